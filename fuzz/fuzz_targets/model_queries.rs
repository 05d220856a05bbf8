#![no_main]
//! Inventory, compiled model (aggregation included) and the queries over it.
use kubeaudit::model::discovery::Discovery;
use kubeaudit::model::AccessModel;
use kubeaudit::rbac::can_i::can_i;
use kubeaudit::rbac::matrix::access_matrix;
use kubeaudit::rbac::rules_list::list_rules;
use kubeaudit::rbac::who_can::{who_can_report, WhoCanOptions};
use kubeaudit::rbac::{Attributes, ResourceAttributes, UserInfo};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(inventory) = common::inventory(data) else {
        return;
    };
    let model = AccessModel::build(&inventory);
    let ask = |verb: &str, resource: &str, ns: &str| {
        Attributes::Resource(ResourceAttributes {
            verb: verb.into(),
            resource: resource.into(),
            namespace: ns.into(),
            ..Default::default()
        })
    };
    for all in [false, true] {
        let _ = who_can_report(
            &model,
            ask("get", "secrets", "default"),
            Vec::new(),
            WhoCanOptions {
                all_namespaces: all,
                expand_groups: all,
            },
            Vec::new(),
        );
    }
    let user = UserInfo {
        name: "system:serviceaccount:default:default".into(),
        groups: vec![
            "system:serviceaccounts".into(),
            "system:authenticated".into(),
        ],
    };
    let _ = can_i(&model, &user, &ask("create", "pods", "default"));
    let _ = list_rules(&model, &user, Some("default"));
    let discovery = Discovery::builtin();
    let _ = access_matrix(
        &model,
        &user,
        Some("default"),
        discovery.iter(),
        &["get".into(), "create".into()],
    );
});
