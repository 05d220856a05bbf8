//! What the kube-apiserver recorder (`tests/e2e_apiserver.rs`) and its offline replay
//! (`tests/apiserver_vectors.rs`) must compute the same way.

use serde_json::{json, Value};

/// The SubjectAccessReview spec of an rbac-oracle can-i case (user and groups exactly as given).
pub fn review_spec(case: &Value) -> Value {
    let mut spec = if let Some(url) = case.get("nonResourceURL") {
        json!({"nonResourceAttributes": {"verb": case["verb"], "path": url}})
    } else {
        json!({"resourceAttributes": {"verb": case["verb"], "group": case["apiGroup"], "resource": case["resource"],
            "subresource": case["subresource"], "name": case["name"], "namespace": case["namespace"]}})
    };
    spec["user"] = case["user"].clone();
    spec["groups"] = case["groups"].clone();
    spec
}

/// A SubjectAccessReview object around a spec.
pub fn review_object(spec: &Value) -> Value {
    json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec})
}

/// An object's (kind, namespace, name).
pub fn object_key(o: &Value) -> (String, String, String) {
    let s = |p: &str| {
        o.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (s("/kind"), s("/metadata/namespace"), s("/metadata/name"))
}

/// 64-bit FNV-1a over the parts: the fingerprint that tells recorded answers from stale ones.
pub fn fingerprint(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.iter().chain(b"\0") {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}
