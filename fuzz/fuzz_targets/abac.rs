#![no_main]
//! An ABAC policy file, and a request decided by it.
use kubeaudit::rbac::abac::parse_abac_policy;
use kubeaudit::rbac::{Attributes, ResourceAttributes, UserInfo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(policy) = parse_abac_policy("fuzz.jsonl", text) {
        let user = UserInfo {
            name: "alice".into(),
            groups: vec!["system:authenticated".into()],
        };
        let attrs = Attributes::Resource(ResourceAttributes {
            verb: "get".into(),
            resource: "pods".into(),
            namespace: "default".into(),
            ..Default::default()
        });
        let _ = policy.authorize(&user, &attrs);
    }
});
