//! Principals granted every name at home and a few names elsewhere (a rule with resourceNames
//! bound cluster-wide): elsewhere only those count, found by name, not by walking every
//! namespace.

use super::*;

/// `me` may do everything in its own namespace: its rules there name nothing, but elsewhere
/// only its cluster-wide rules apply.
const OWN_NAMESPACE_ADMIN: &str = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: everything, namespace: attacker}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: everything, namespace: attacker}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: everything}
subjects: [{kind: ServiceAccount, name: me, namespace: attacker}]
"#;

#[test]
fn names_granted_cluster_wide_count_beside_every_name_at_home() {
    // Every name may be asked about at home; elsewhere (users are cluster-scoped) only dave.
    let users =
        r#"- {apiGroups: [""], resources: [users], resourceNames: [dave], verbs: [impersonate]}"#;
    let r = reach(&attacker(users, "crb", OWN_NAMESPACE_ADMIN));
    assert!(
        r.contains(&("User dave".into(), Some(Primitive::ImpersonateUser))),
        "{r:?}"
    );
    assert!(!r.iter().any(|(p, _)| p == "User carol"), "{r:?}");
    // ServiceAccounts: any of its own namespace, and elsewhere the one named.
    for (verb, resource, primitive) in [
        (
            "impersonate",
            "serviceaccounts",
            Primitive::ImpersonateServiceAccount,
        ),
        ("create", "serviceaccounts/token", Primitive::TokenRequest),
    ] {
        let rules = format!(
            r#"- {{apiGroups: [""], resources: [{resource}], resourceNames: [web], verbs: [{verb}]}}"#
        );
        let r = reach(&attacker(&rules, "crb", OWN_NAMESPACE_ADMIN));
        assert!(
            r.contains(&("ServiceAccount shop/web".into(), Some(primitive))),
            "{verb} {resource}: {r:?}"
        );
        assert!(
            !r.iter().any(|(p, _)| p == "ServiceAccount ci/builder"),
            "{verb} {resource}: {r:?}"
        );
        // Bound in its own namespace only: nothing elsewhere.
        let r = reach(&attacker(&rules, "attacker", OWN_NAMESPACE_ADMIN));
        assert!(
            !r.iter().any(|(p, _)| p == "ServiceAccount shop/web"),
            "{verb} {resource}: {r:?}"
        );
    }
}

#[test]
fn binding_writes_granted_cluster_wide_by_name_reach_those_names_only() {
    let extra = format!("{OWN_NAMESPACE_ADMIN}{SHOP_MINTER}{SHOP_READER}");
    let minter = "holder of Role/shop/minter in shop";
    let reader = "holder of Role/shop/reader in shop";
    let rbac = |resource: &str, names: &str, verb: &str| {
        format!("- {{apiGroups: [rbac.authorization.k8s.io], resources: [{resource}], resourceNames: [{names}], verbs: [{verb}]}}")
    };
    let any = |resource: &str, verb: &str| {
        format!("- {{apiGroups: [rbac.authorization.k8s.io], resources: [{resource}], verbs: [{verb}]}}")
    };
    // Bind on the Role named minter, in every namespace; create of RoleBindings.
    let rules = format!(
        "{}\n{}",
        rbac("roles", "minter", "bind"),
        any("rolebindings", "create")
    );
    let r = reach(&attacker(&rules, "crb", &extra));
    assert!(r.contains(&(minter.into(), Some(Primitive::Bind))), "{r:?}");
    assert!(!r.iter().any(|(p, _)| p == reader), "{r:?}");
    // Patch of the RoleBinding named readers, bind on any Role.
    let rules = format!(
        "{}\n{}",
        rbac("rolebindings", "readers", "patch"),
        any("roles", "bind")
    );
    let r = reach(&attacker(&rules, "crb", &extra));
    assert!(
        r.contains(&(reader.into(), Some(Primitive::UpdateBinding))),
        "{r:?}"
    );
    assert!(
        !r.contains(&(minter.into(), Some(Primitive::UpdateBinding))),
        "{r:?}"
    );
    // Patch of any RoleBinding, bind on the Role named reader.
    let rules = format!(
        "{}\n{}",
        any("rolebindings", "patch"),
        rbac("roles", "reader", "bind")
    );
    let r = reach(&attacker(&rules, "crb", &extra));
    assert!(
        r.contains(&(reader.into(), Some(Primitive::UpdateBinding))),
        "{r:?}"
    );
    assert!(!r.iter().any(|(p, _)| p == minter), "{r:?}");
}

#[test]
fn a_cluster_wide_pod_grant_prefers_a_namespace_that_admits_privileged_pods() {
    let pods = r#"- {apiGroups: [""], resources: [pods], verbs: [create]}"#;
    let namespaces = |shop: &str| {
        format!(
            r#"---
apiVersion: v1
kind: Namespace
metadata: {{name: ci, labels: {{pod-security.kubernetes.io/enforce: restricted}}}}
---
apiVersion: v1
kind: Namespace
metadata: {{name: shop, labels: {{pod-security.kubernetes.io/enforce: {shop}}}}}
---
apiVersion: v1
kind: Namespace
metadata: {{name: zoo}}
"#
        )
    };
    // (level of shop, the namespace of the pod, whether an assumption is made)
    for (shop, chosen, assumes) in [
        ("privileged", "shop", false),
        ("baseline", "attacker", true),
    ] {
        let f = fixture(&attacker(pods, "crb", &namespaces(shop)));
        let e = Escalation::new(&f.model, &f.world);
        let c = e.closure(&[sa("attacker", "me")], 10_000);
        let node = c.principals.iter().position(|p| *p == Principal::Node);
        let hop = &c.hops[c.reached_by[node.expect("root on a node")].unwrap()];
        assert_eq!(hop.primitive, Primitive::PrivilegedPod);
        assert_eq!(hop.assumes.is_some(), assumes, "{shop}: {hop:?}");
        assert!(
            hop.objects[0].ends_with(&format!(" in {chosen}")),
            "{shop}: {hop:?}"
        );
    }
}

/// A pod in `shop` run as `web`, one in `ci` run as `builder`.
const TWO_PODS: &str = r#"---
apiVersion: v1
kind: Pod
metadata: {name: api-0, namespace: shop}
spec: {serviceAccountName: web, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: build-0, namespace: ci}
spec: {serviceAccountName: builder, containers: [{name: c, image: i}]}
"#;

#[test]
fn pods_elsewhere_are_reached_only_through_cluster_wide_grants() {
    let extra = format!("{OWN_NAMESPACE_ADMIN}{TWO_PODS}");
    // Exec into the pod named api-0 anywhere: its ServiceAccount, not the other pod's.
    let named =
        r#"- {apiGroups: [""], resources: [pods/exec], resourceNames: [api-0], verbs: [create]}"#;
    let r = reach(&attacker(named, "crb", &extra));
    assert!(
        r.contains(&("ServiceAccount shop/web".into(), Some(Primitive::Exec))),
        "{r:?}"
    );
    // (At home it may run a privileged pod: the node, and every pod's ServiceAccount from
    // there; never by exec.)
    let by_exec = |r: &[(String, Option<Primitive>)], who: &str| {
        r.contains(&(who.to_string(), Some(Primitive::Exec)))
    };
    assert!(!by_exec(&r, "ServiceAccount ci/builder"), "{r:?}");
    // Exec at home only: neither by exec.
    let nothing = r#"- {apiGroups: [""], resources: [configmaps], verbs: [get]}"#;
    let r = reach(&attacker(nothing, "crb", &extra));
    assert!(!by_exec(&r, "ServiceAccount shop/web"), "{r:?}");
    assert!(!by_exec(&r, "ServiceAccount ci/builder"), "{r:?}");
}

#[test]
fn a_pod_reached_several_ways_is_one_hop_the_first() {
    // Patch, exec and attach on every pod: one hop to each pod's ServiceAccount, by patch (the
    // first way asked); the others could never be on a shortest path.
    let rules =
        r#"- {apiGroups: [""], resources: [pods, pods/exec, pods/attach], verbs: [patch, create]}"#;
    let f = fixture(&attacker(rules, "crb", TWO_PODS));
    let e = Escalation::new(&f.model, &f.world);
    let hops = primitives::hops(&e, &sa("attacker", "me"), false).written_out(&f.world);
    for who in [sa("shop", "web"), sa("ci", "builder")] {
        let to: Vec<Primitive> = hops
            .iter()
            .filter(|(to, _)| *to == who)
            .map(|(_, h)| h.primitive)
            .collect();
        assert_eq!(to, [Primitive::PatchPod], "{who:?}: {hops:?}");
    }
}

#[test]
fn the_kubelet_of_a_node_named_cluster_wide_reaches_its_pods_only() {
    let pods = r#"---
apiVersion: v1
kind: Pod
metadata: {name: api-0, namespace: shop}
spec: {serviceAccountName: web, nodeName: node-1, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: build-0, namespace: ci}
spec: {serviceAccountName: builder, nodeName: node-2, containers: [{name: c, image: i}]}
"#;
    let extra = format!("{OWN_NAMESPACE_ADMIN}{pods}");
    let proxy =
        r#"- {apiGroups: [""], resources: [nodes/proxy], resourceNames: [node-1], verbs: [get]}"#;
    let r = reach(&attacker(proxy, "crb", &extra));
    let by_proxy = |who: &str| r.contains(&(who.to_string(), Some(Primitive::NodesProxy)));
    assert!(by_proxy("ServiceAccount shop/web"), "{r:?}");
    assert!(!by_proxy("ServiceAccount ci/builder"), "{r:?}");
}
