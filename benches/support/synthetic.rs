//! The synthetic cluster of the benchmarks: deterministic, `kubectl get -o json`-shaped objects.
//! Per namespace: 25 ServiceAccounts, 10 Roles, 50 RoleBindings; cluster-wide: 200 ClusterRoles
//! and 2.5 ClusterRoleBindings per namespace. Used by `benches/engine.rs` and, through
//! `cargo run --example gen_cluster`, by `benches/live_snapshot.sh`.

use serde_json::{json, Value};

/// A deterministic synthetic cluster with `namespaces` namespaces.
pub fn cluster(namespaces: usize) -> Vec<Value> {
    let mut seed: u64 = 7998;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let core = [
        "pods",
        "pods/log",
        "services",
        "configmaps",
        "secrets",
        "serviceaccounts",
    ];
    let verbs = [
        "get", "list", "watch", "create", "update", "patch", "delete",
    ];
    let rule = |next: &mut dyn FnMut(u64) -> u64| {
        let group = if next(10) < 7 { "" } else { "apps" };
        let resource = if group.is_empty() {
            core[next(core.len() as u64) as usize]
        } else {
            "deployments"
        };
        json!({"apiGroups": [group], "resources": [resource], "verbs": [verbs[next(7) as usize], verbs[next(7) as usize]]})
    };
    let mut out = Vec::new();
    for i in 0..200 {
        let rules: Vec<Value> = (0..3).map(|_| rule(&mut next)).collect();
        out.push(
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": format!("cluster-role-{i}")}, "rules": rules}),
        );
    }
    for n in 0..namespaces {
        let ns = format!("ns-{n}");
        out.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}));
        for s in 0..25 {
            out.push(json!({"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": {"name": format!("sa-{s}"), "namespace": ns}}));
        }
        for r in 0..10 {
            let rules: Vec<Value> = (0..3).map(|_| rule(&mut next)).collect();
            out.push(
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                "metadata": {"name": format!("role-{r}"), "namespace": ns}, "rules": rules}),
            );
        }
        for b in 0..50 {
            let subject = match next(3) {
                0 => json!({"kind": "User", "name": format!("user-{}", next(1000))}),
                1 => json!({"kind": "Group", "name": format!("group-{}", next(50))}),
                _ => {
                    json!({"kind": "ServiceAccount", "name": format!("sa-{}", next(25)), "namespace": ns})
                }
            };
            let role_ref = if next(10) < 7 {
                json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": format!("role-{}", next(10))})
            } else {
                json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": format!("cluster-role-{}", next(200))})
            };
            out.push(
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": {"name": format!("binding-{b}"), "namespace": ns},
                "subjects": [subject], "roleRef": role_ref}),
            );
        }
    }
    for c in 0..namespaces * 5 / 2 {
        out.push(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": format!("crb-{c}")},
            "subjects": [{"kind": "User", "name": format!("user-{}", next(1000))}],
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": format!("cluster-role-{}", next(200))}}));
    }
    out
}
