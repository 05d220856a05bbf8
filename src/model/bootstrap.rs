//! Kubernetes' bootstrap RBAC policy: the ClusterRoles, ClusterRoleBindings, Roles and
//! RoleBindings every kube-apiserver creates at start (`cluster-admin`, `view`,
//! `system:auth-delegator`, `system:discovery` for `system:authenticated`, …).
//!
//! Install manifests bind to these roles without shipping them, so offline answers about an
//! install can add them (`--bootstrap-policy`). The data is what kube-apiserver v1.35.4 serves
//! (`kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A` on a fresh control
//! plane, recorded by the e2e suite into `tests/data/apiserver/bootstrap-rbac.json`; a test keeps
//! the two copies equal).

use std::sync::OnceLock;

use serde_json::Value;

use super::objects::Origin;

/// The Kubernetes release whose bootstrap policy is embedded.
pub const BOOTSTRAP_POLICY_VERSION: &str = "v1.35";

/// Where bootstrap objects say they come from, in explanations and warnings.
pub const BOOTSTRAP_ORIGIN: &str = "the Kubernetes v1.35 bootstrap policy";

const POLICY_JSON: &str = include_str!("bootstrap_policy_v1_35.json");

fn items() -> &'static [Value] {
    static ITEMS: OnceLock<Vec<Value>> = OnceLock::new();
    ITEMS.get_or_init(|| {
        let list: Value = serde_json::from_str(POLICY_JSON).expect("embedded bootstrap policy");
        match list.get("items") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        }
    })
}

/// The identity of an RBAC object: kind, namespace (`""` for cluster-scoped), name.
pub type PolicyKey = (String, String, String);

/// The bootstrap objects, each with its origin, except those `replaced` says the inputs
/// define (kind, namespace, name): they take their place, as applying them to a cluster would.
pub fn bootstrap_objects(replaced: impl Fn(&str, &str, &str) -> bool) -> Vec<(Value, Origin)> {
    items()
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            let (kind, namespace, name) = key_of(o);
            !replaced(&kind, &namespace, &name)
        })
        .map(|(i, o)| {
            (
                o.clone(),
                Origin {
                    source: BOOTSTRAP_ORIGIN.to_string(),
                    document: i + 1,
                    line: 0,
                },
            )
        })
        .collect()
}

/// True when a role of that kind, namespace and name is part of the bootstrap policy.
pub fn is_bootstrap_role(kind: &str, namespace: &str, name: &str) -> bool {
    // Keyed by borrowed text of the embedded policy: asked once per binding, so no copies.
    type Key = (&'static str, &'static str, &'static str);
    type Keys = std::collections::HashSet<Key, ahash::RandomState>;
    static ROLES: OnceLock<Keys> = OnceLock::new();
    let text = |o: &'static Value, pointer: &str| o.pointer(pointer).and_then(Value::as_str);
    let roles: &Keys = ROLES.get_or_init(|| {
        items()
            .iter()
            .map(|o| {
                (
                    text(o, "/kind").unwrap_or(""),
                    text(o, "/metadata/namespace").unwrap_or(""),
                    text(o, "/metadata/name").unwrap_or(""),
                )
            })
            .filter(|(k, _, _)| *k == "ClusterRole" || *k == "Role")
            .collect()
    });
    roles.contains(&(kind, namespace, name))
}

/// The bootstrap policy's object of that kind, namespace and name, as kube-apiserver
/// creates it.
pub fn default_object(kind: &str, namespace: &str, name: &str) -> Option<&'static Value> {
    static BY_KEY: OnceLock<std::collections::HashMap<PolicyKey, usize>> = OnceLock::new();
    let index = BY_KEY.get_or_init(|| {
        items()
            .iter()
            .enumerate()
            .map(|(i, o)| (key_of(o), i))
            .collect()
    });
    index
        .get(&(kind.to_string(), namespace.to_string(), name.to_string()))
        .map(|&i| &items()[i])
}

fn key_of(o: &Value) -> PolicyKey {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    (
        text(o.get("kind")),
        text(o.pointer("/metadata/namespace")),
        text(o.pointer("/metadata/name")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_well_known_roles_and_bindings() {
        let all = bootstrap_objects(|_, _, _| false);
        assert_eq!(all.len(), 131);
        assert!(is_bootstrap_role(
            "ClusterRole",
            "",
            "system:auth-delegator"
        ));
        assert!(is_bootstrap_role(
            "Role",
            "kube-system",
            "extension-apiserver-authentication-reader"
        ));
        assert!(!is_bootstrap_role("ClusterRole", "", "argocd-server"));
        assert!(all.iter().any(|(o, _)| key_of(o)
            == (
                "ClusterRoleBinding".into(),
                String::new(),
                "cluster-admin".into()
            )));
    }

    #[test]
    fn replaced_objects_are_left_out() {
        let some = bootstrap_objects(|kind, namespace, name| {
            (kind, namespace, name) == ("ClusterRole", "", "view")
        });
        assert_eq!(some.len(), 130);
        assert!(!some
            .iter()
            .any(|(o, _)| key_of(o).2 == "view" && key_of(o).0 == "ClusterRole"));
    }

    /// The embedded copy is the one the e2e suite recorded from kube-apiserver.
    #[test]
    fn equals_the_recording() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/apiserver/bootstrap-rbac.json"
        );
        let recorded: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("recording")).expect("json");
        assert_eq!(
            recorded["items"].as_array().expect("items").as_slice(),
            items()
        );
    }
}
