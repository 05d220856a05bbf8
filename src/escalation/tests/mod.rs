//! Every primitive: a positive fixture and near misses that must not count; chains and cycles.

use super::*;
use crate::model::Inventory;
use crate::source::manifest::{read_bytes, ManifestRead};

mod elsewhere;
mod pods;
mod runs;

struct Fixture {
    model: AccessModel,
    world: World,
}

fn fixture(yaml: &str) -> Fixture {
    let mut read = ManifestRead::default();
    read_bytes("t.yaml", yaml.as_bytes(), Some(false), &mut read).unwrap();
    let mut inventory = Inventory {
        default_namespace: "default".into(),
        ..Inventory::default()
    };
    inventory.add_objects(read.objects).unwrap();
    let model = AccessModel::build(&inventory);
    let world = World::from_inventory(&inventory, &model);
    Fixture { model, world }
}

fn sa(ns: &str, name: &str) -> Principal {
    Principal::ServiceAccount {
        namespace: ns.into(),
        name: name.into(),
    }
}

/// A ServiceAccount `attacker/me` with these rules, bound cluster-wide (`crb`) or in a
/// namespace, plus the extra objects.
fn attacker(rules: &str, binding: &str, extra: &str) -> String {
    let (kind, ns) = match binding {
        "crb" => ("ClusterRoleBinding", String::new()),
        ns => ("RoleBinding", format!(", namespace: {ns}")),
    };
    format!(
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {{name: me, namespace: attacker}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: attacker-role}}
rules:
{rules}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata: {{name: attacker{ns}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: attacker-role}}
subjects: [{{kind: ServiceAccount, name: me, namespace: attacker}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: cluster-admin}}
rules:
- {{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}}
- {{nonResourceURLs: ["*"], verbs: ["*"]}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: carol-admin}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}}
subjects: [{{kind: User, name: carol}}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {{name: builder, namespace: ci}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {{name: web, namespace: shop}}
{extra}"#
    )
}

/// The closure from `attacker/me`: (principal, primitive of the hop that first reached it).
fn reach(yaml: &str) -> Vec<(String, Option<Primitive>)> {
    let f = fixture(yaml);
    let e = Escalation::new(&f.model, &f.world);
    let c = e.closure(&[sa("attacker", "me")], 10_000);
    c.principals
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, p)| (p.display(), c.reached_by[i].map(|h| c.hops[h].primitive)))
        .collect()
}

fn reaches(yaml: &str, who: &str) -> bool {
    reach(yaml).iter().any(|(p, _)| p == who)
}

fn admin(yaml: &str) -> bool {
    reaches(yaml, "cluster-admin")
}

#[test]
fn impersonating_users_and_groups_needs_cluster_scope() {
    let rules = r#"- {apiGroups: [""], resources: [users], verbs: [impersonate]}"#;
    let r = reach(&attacker(rules, "crb", ""));
    assert!(
        r.contains(&("User carol".into(), Some(Primitive::ImpersonateUser))),
        "{r:?}"
    );
    assert!(admin(&attacker(rules, "crb", "")), "carol is cluster-admin");
    // A RoleBinding never grants impersonation of users.
    assert!(!reaches(&attacker(rules, "attacker", ""), "User carol"));
    // resourceNames limit it.
    let named =
        r#"- {apiGroups: [""], resources: [users], resourceNames: [dave], verbs: [impersonate]}"#;
    assert!(!reaches(&attacker(named, "crb", ""), "User carol"));
    // Groups: system:masters with any user is cluster-admin; groups without users are nothing.
    let groups = r#"- {apiGroups: [""], resources: [groups], resourceNames: ["system:masters"], verbs: [impersonate]}"#;
    assert!(
        !admin(&attacker(groups, "crb", "")),
        "impersonating a group needs a user too"
    );
    let both = format!(
        "{groups}\n{}",
        r#"- {apiGroups: [""], resources: [users], resourceNames: [nobody], verbs: [impersonate]}"#
    );
    let r = reach(&attacker(&both, "crb", ""));
    assert!(
        r.contains(&("cluster-admin".into(), Some(Primitive::ImpersonateGroup))),
        "{r:?}"
    );
}

#[test]
fn impersonating_service_accounts_in_the_binding_namespace() {
    let rules = r#"- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}"#;
    let r = reach(&attacker(rules, "ci", ""));
    assert!(r.contains(&(
        "ServiceAccount ci/builder".into(),
        Some(Primitive::ImpersonateServiceAccount)
    )));
    assert!(
        !r.iter().any(|(p, _)| p == "ServiceAccount shop/web"),
        "{r:?}"
    );
}

#[test]
fn escalate_needs_a_write_on_a_held_role() {
    let esc = r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate]}"#;
    assert!(
        !admin(&attacker(esc, "crb", "")),
        "escalate alone writes nothing"
    );
    let both = format!(
        "{esc}\n{}",
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [patch]}"#
    );
    let r = reach(&attacker(&both, "crb", ""));
    assert!(
        r.contains(&("cluster-admin".into(), Some(Primitive::Escalate))),
        "{r:?}"
    );
    // A RoleBinding cannot grant escalate on ClusterRoles (cluster-scoped).
    assert!(!admin(&attacker(&both, "shop", "")));
    // A Role of the namespace, held through a RoleBinding: the namespace only.
    let role = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: self-editing, namespace: shop}
rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate, update]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: self-editing, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: self-editing}
subjects: [{kind: ServiceAccount, name: me, namespace: attacker}]
"#;
    let r = reach(&attacker(
        "- {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}",
        "crb",
        role,
    ));
    assert!(
        r.contains(&("admin of namespace shop".into(), Some(Primitive::Escalate))),
        "{r:?}"
    );
    assert!(!r.iter().any(|(p, _)| p == "cluster-admin"));
}

#[test]
fn bind_needs_a_binding_write_too() {
    let bind = r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [cluster-admin], verbs: [bind]}"#;
    assert!(
        !admin(&attacker(bind, "crb", "")),
        "bind without creating a binding"
    );
    let create = r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}"#;
    assert!(
        !admin(&attacker(create, "crb", "")),
        "a binding without bind (escalation check)"
    );
    let both = format!("{bind}\n{create}");
    let r = reach(&attacker(&both, "crb", ""));
    assert!(
        r.contains(&("cluster-admin".into(), Some(Primitive::Bind))),
        "{r:?}"
    );
    // In a namespace: cluster-admin bound by a RoleBinding is that namespace's admin.
    let ns = format!(
        "{bind}\n{}",
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}"#
    );
    let r = reach(&attacker(&ns, "shop", ""));
    assert!(
        r.contains(&("admin of namespace shop".into(), Some(Primitive::Bind))),
        "{r:?}"
    );
}

#[test]
fn updating_an_existing_binding_with_bind() {
    let extra = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: ops}]
"#;
    let patch = r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], resourceNames: [ops], verbs: [patch]}"#;
    assert!(
        !admin(&attacker(patch, "crb", extra)),
        "the escalation check needs bind"
    );
    let both = format!(
        "{patch}\n{}",
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}"#
    );
    let r = reach(&attacker(&both, "crb", extra));
    assert!(
        r.iter().any(|(p, h)| p == "cluster-admin"
            && matches!(h, Some(Primitive::UpdateBinding | Primitive::Bind))),
        "{r:?}"
    );
}

#[test]
fn a_closure_cut_short_says_so() {
    let deploy = r#"- {apiGroups: [apps], resources: [deployments], verbs: [create]}"#;
    let f = fixture(&attacker(deploy, "ci", ""));
    let e = Escalation::new(&f.model, &f.world);
    let whole = e.closure(&[sa("attacker", "me")], 10_000);
    assert!(!whole.truncated && whole.principals.len() > 2);
    let cut = e.closure(&[sa("attacker", "me")], 2);
    assert!(cut.truncated);
    assert!(cut.principals.len() <= 2, "{:?}", cut.principals);
    assert!(cut
        .assumptions
        .contains("the search stopped after 2 principals; further paths may exist"));
}

#[test]
fn workloads_run_as_any_service_account_of_their_namespace() {
    let deploy = r#"- {apiGroups: [apps], resources: [deployments], verbs: [create]}"#;
    let r = reach(&attacker(deploy, "ci", ""));
    assert!(
        r.contains(&(
            "ServiceAccount ci/builder".into(),
            Some(Primitive::CreateWorkload)
        )),
        "{r:?}"
    );
    assert!(
        !r.iter().any(|(p, _)| p == "ServiceAccount shop/web"),
        "a controller in another namespace"
    );
    // Create with resourceNames authorizes nothing (a create has no name).
    let named = r#"- {apiGroups: [""], resources: [pods], resourceNames: [x], verbs: [create]}"#;
    assert!(!reaches(
        &attacker(named, "ci", ""),
        "ServiceAccount ci/builder"
    ));
    // deployments in the core group do not exist.
    let core = r#"- {apiGroups: [""], resources: [deployments], verbs: [create]}"#;
    assert!(!reaches(
        &attacker(core, "ci", ""),
        "ServiceAccount ci/builder"
    ));
}

#[test]
fn privileged_pods_reach_the_node_unless_pod_security_stops_them() {
    let pods = r#"- {apiGroups: [""], resources: [pods], verbs: [create]}"#;
    let running = r#"---
apiVersion: v1
kind: Pod
metadata: {name: api-0, namespace: shop}
spec: {serviceAccountName: web, nodeName: node-1, containers: [{name: c, image: i}]}
"#;
    let r = reach(&attacker(pods, "ci", running));
    assert!(
        r.contains(&("root on a node".into(), Some(Primitive::PrivilegedPod))),
        "{r:?}"
    );
    assert!(
        r.contains(&("ServiceAccount shop/web".into(), Some(Primitive::NodePods))),
        "{r:?}"
    );
    let restricted = r#"---
apiVersion: v1
kind: Namespace
metadata: {name: ci, labels: {pod-security.kubernetes.io/enforce: restricted}}
"#;
    assert!(!reaches(
        &attacker(pods, "ci", restricted),
        "root on a node"
    ));
    // Unless the namespace can be relabelled.
    let relabel = format!(
        "{pods}\n{}",
        r#"- {apiGroups: [""], resources: [namespaces], verbs: [patch]}"#
    );
    assert!(reaches(
        &attacker(&relabel, "crb", restricted),
        "root on a node"
    ));
}

#[test]
fn running_pods_by_patch_exec_attach_and_debug() {
    let pod = r#"---
apiVersion: v1
kind: Pod
metadata: {name: api-0, namespace: shop}
spec: {serviceAccountName: web, containers: [{name: c, image: i}]}
"#;
    for (rules, primitive) in [
        (
            r#"- {apiGroups: [""], resources: [pods], verbs: [patch]}"#,
            Primitive::PatchPod,
        ),
        (
            r#"- {apiGroups: [""], resources: [pods/exec], verbs: [create]}"#,
            Primitive::Exec,
        ),
        (
            r#"- {apiGroups: [""], resources: [pods/attach], verbs: [create]}"#,
            Primitive::Attach,
        ),
        (
            r#"- {apiGroups: [""], resources: [pods/ephemeralcontainers], verbs: [patch]}"#,
            Primitive::EphemeralContainer,
        ),
    ] {
        let r = reach(&attacker(rules, "shop", pod));
        assert!(
            r.contains(&("ServiceAccount shop/web".into(), Some(primitive))),
            "{primitive:?}: {r:?}"
        );
    }
    // get on pods/exec is not enough (the API server checks create), and pods/* is no wildcard.
    assert!(!reaches(
        &attacker(
            r#"- {apiGroups: [""], resources: [pods/exec], verbs: [get]}"#,
            "shop",
            pod
        ),
        "ServiceAccount shop/web"
    ));
    assert!(!reaches(
        &attacker(
            r#"- {apiGroups: [""], resources: ["pods/*"], verbs: [create]}"#,
            "shop",
            pod
        ),
        "ServiceAccount shop/web"
    ));
    // Another pod's name.
    assert!(!reaches(
        &attacker(
            r#"- {apiGroups: [""], resources: [pods/exec], resourceNames: [other], verbs: [create]}"#,
            "shop",
            pod
        ),
        "ServiceAccount shop/web"
    ));
}

#[test]
fn nodes_proxy_reaches_the_pods_of_that_node() {
    let pods = r#"---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {serviceAccountName: web, nodeName: node-1, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: ci}
spec: {serviceAccountName: builder, nodeName: node-2, containers: [{name: c, image: i}]}
"#;
    let one =
        r#"- {apiGroups: [""], resources: [nodes/proxy], resourceNames: [node-1], verbs: [get]}"#;
    let r = reach(&attacker(one, "crb", pods));
    assert!(
        r.contains(&(
            "ServiceAccount shop/web".into(),
            Some(Primitive::NodesProxy)
        )),
        "{r:?}"
    );
    assert!(
        !r.iter().any(|(p, _)| p == "ServiceAccount ci/builder"),
        "{r:?}"
    );
}

#[test]
fn tokens_from_secrets_and_token_requests() {
    let secret = r#"---
apiVersion: v1
kind: Secret
metadata: {name: builder-token, namespace: ci, annotations: {kubernetes.io/service-account.name: builder}}
type: kubernetes.io/service-account-token
"#;
    let r = reach(&attacker(
        r#"- {apiGroups: [""], resources: [secrets], verbs: [get]}"#,
        "ci",
        secret,
    ));
    assert!(
        r.contains(&(
            "ServiceAccount ci/builder".into(),
            Some(Primitive::ReadTokenSecret)
        )),
        "{r:?}"
    );
    // Creating a token Secret needs reading it back.
    let create = r#"- {apiGroups: [""], resources: [secrets], verbs: [create]}"#;
    assert!(!reaches(
        &attacker(create, "ci", ""),
        "ServiceAccount ci/builder"
    ));
    let both = format!(
        "{create}\n{}",
        r#"- {apiGroups: [""], resources: [secrets], verbs: [list]}"#
    );
    assert!(reaches(
        &attacker(&both, "ci", ""),
        "ServiceAccount ci/builder"
    ));
    let token = r#"- {apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [builder], verbs: [create]}"#;
    let r = reach(&attacker(token, "ci", ""));
    assert!(
        r.contains(&(
            "ServiceAccount ci/builder".into(),
            Some(Primitive::TokenRequest)
        )),
        "{r:?}"
    );
    assert!(
        !r.iter().any(|(p, _)| p == "ServiceAccount ci/default"),
        "{r:?}"
    );
}

#[test]
fn csr_approval_reaches_users_but_not_system_masters() {
    let extra = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: masters}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: "system:masters"}]
"#;
    let rules = r#"- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get]}
- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}
- {apiGroups: [certificates.k8s.io], resources: [signers], resourceNames: [kubernetes.io/kube-apiserver-client], verbs: [approve]}"#;
    let r = reach(&attacker(rules, "crb", extra));
    assert!(
        r.contains(&("User carol".into(), Some(Primitive::ApproveCsr))),
        "{r:?}"
    );
    // cluster-admin through carol (2 hops), never as a system:masters certificate.
    assert!(
        r.iter()
            .any(|(p, h)| p == "cluster-admin" && *h == Some(Primitive::ClusterAdminEquivalent)),
        "{r:?}"
    );
    // Without the signer's approve: nothing.
    let no_signer = rules.lines().take(2).collect::<Vec<_>>().join("\n");
    assert!(!reaches(&attacker(&no_signer, "crb", extra), "User carol"));
}

#[test]
fn mutating_webhooks_reach_the_node() {
    let rules = r#"- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [create]}"#;
    let r = reach(&attacker(rules, "crb", ""));
    assert!(
        r.contains(&("root on a node".into(), Some(Primitive::MutatingWebhook))),
        "{r:?}"
    );
    let validating = r#"- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [create]}"#;
    assert!(!reaches(&attacker(validating, "crb", ""), "root on a node"));
}

#[test]
fn chains_and_cycles() {
    // me creates pods in ci → builder; builder may impersonate users → carol → cluster-admin.
    let extra = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: impersonator}
rules: [{apiGroups: [""], resources: [users], verbs: [impersonate]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: builder-impersonates}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator}
subjects: [{kind: ServiceAccount, name: builder, namespace: ci}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-back, namespace: attacker}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: attacker-role}
subjects: [{kind: ServiceAccount, name: builder, namespace: ci}]
"#;
    let f = fixture(&attacker(
        r#"- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}
- {apiGroups: [""], resources: [pods], verbs: [create]}"#,
        "ci",
        extra,
    ));
    let e = Escalation::new(&f.model, &f.world);
    let c = e.closure(&[sa("attacker", "me")], 10_000);
    let admin = c
        .principals
        .iter()
        .position(|p| *p == Principal::ClusterAdmin)
        .expect("cluster-admin");
    let path: Vec<Primitive> = c.path_to(admin).iter().map(|h| h.primitive).collect();
    assert_eq!(path.len(), 3, "{path:?}");
    assert_eq!(path[2], Primitive::ClusterAdminEquivalent);
    // Each principal appears once, cycles (builder ↔ me) included.
    let mut seen = std::collections::BTreeSet::new();
    assert!(c.principals.iter().all(|p| seen.insert(p.clone())));
    // Every hop's grants come from the evaluator.
    assert!(
        c.path_to(admin)[0].grants[0]
            .by
            .contains("RoleBinding/ci/attacker"),
        "{:?}",
        c.path_to(admin)[0]
    );
}

/// A Role in `shop` that mints tokens, and its RoleBinding (to dave).
const SHOP_MINTER: &str = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: minter, namespace: shop}
rules: [{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: minters, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: minter}
subjects: [{kind: User, name: dave}]
"#;

#[test]
fn cluster_wide_binding_writes_reach_every_namespace() {
    // A Role and a RoleBinding in `shop`, where `me` is bound nowhere: its ClusterRoleBinding
    // still lets it bind the Role there, or add itself to the RoleBinding.
    let extra = SHOP_MINTER;
    let bind = r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind]}"#;
    let create =
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}"#;
    let patch =
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [patch]}"#;
    let holder = "holder of Role/shop/minter in shop";
    for (rules, primitive) in [
        (format!("{bind}\n{create}"), Primitive::Bind),
        (format!("{bind}\n{patch}"), Primitive::UpdateBinding),
    ] {
        let r = reach(&attacker(&rules, "crb", extra));
        assert!(r.contains(&(holder.into(), Some(primitive))), "{r:?}");
        assert!(r.contains(&(
            "ServiceAccount shop/web".into(),
            Some(Primitive::TokenRequest)
        )));
        // Bound in another namespace only: the Role in `shop` is out of reach.
        let r = reach(&attacker(&rules, "ci", extra));
        assert!(!r.iter().any(|(p, _)| p == holder), "{r:?}");
    }
}

/// A Role `reader` in `shop`, bound to erin by the RoleBinding `readers`.
const SHOP_READER: &str = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: User, name: erin}]
"#;

#[test]
fn updating_bindings_needs_bind_on_that_role_by_name() {
    // `me` may patch every RoleBinding, but bind only the Role named in resourceNames: the
    // binding of that Role is a way in, the binding of the other is not.
    let extra = format!("{SHOP_MINTER}{SHOP_READER}");
    let patch =
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [patch]}"#;
    let minter = "holder of Role/shop/minter in shop";
    let reader = "holder of Role/shop/reader in shop";
    for (bind, reaches_minter, reaches_reader) in [
        (
            r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], resourceNames: [minter], verbs: [bind]}"#,
            true,
            false,
        ),
        (
            r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], resourceNames: [nothing-here], verbs: [bind]}"#,
            false,
            false,
        ),
        (
            r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind]}"#,
            true,
            true,
        ),
    ] {
        for scope in ["crb", "shop"] {
            let r = reach(&attacker(&format!("{patch}\n{bind}"), scope, &extra));
            let by_update = |who: &str| r.contains(&(who.into(), Some(Primitive::UpdateBinding)));
            assert_eq!(by_update(minter), reaches_minter, "{scope} {bind}: {r:?}");
            assert_eq!(by_update(reader), reaches_reader, "{scope} {bind}: {r:?}");
        }
    }
}

#[test]
fn searches_for_cluster_admin_alone_give_the_same_paths() {
    // A principal's hops other than its first to cluster-admin, and hops to roles whose power
    // it holds already, are left out of such searches: the shortest paths are unchanged.
    let extra = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ns-admin}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-admin, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ns-admin}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: builder-everything}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ns-admin}
subjects: [{kind: ServiceAccount, name: builder, namespace: ci}]
"#;
    let f = fixture(&attacker(
        r#"- {apiGroups: [""], resources: [pods], verbs: [create]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, roles, clusterroles], verbs: ["*"]}"#,
        "ci",
        extra,
    ));
    let e = Escalation::new(&f.model, &f.world);
    let subjects = subjects(&f.model);
    let admin = |p: &Principal| *p == Principal::ClusterAdmin;
    let paths = |admin_only| {
        let (reach, _) = e.reach(&subjects, &[&admin], 10_000, admin_only);
        reach
            .into_iter()
            .map(|r| r.map(|r| r.path.iter().map(|h| h.2.primitive).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    };
    let full = paths(false);
    assert!(full.iter().filter(|p| p.is_some()).count() >= 3, "{full:?}");
    assert_eq!(paths(true), full);
    // And the pruned graph is smaller.
    let nodes = |admin_only| e.graph(&subjects, 10_000, admin_only).nodes.len();
    assert!(nodes(true) < nodes(false));
}

#[test]
fn roles_are_offered_in_inventory_order() {
    // The model keeps roles in hash maps; the escalation search walks them in inventory
    // order, or the same closure would print its principals in a different order each run.
    let mut yaml = String::new();
    for i in 0..40 {
        yaml.push_str(&format!(
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: r{i}, namespace: shop}}\nrules: []\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {{name: c{i}}}\nrules: []\n"
        ));
    }
    let f = fixture(&yaml);
    for ids in [
        f.model.namespace_role_ids("shop"),
        f.model.cluster_role_ids(),
    ] {
        assert_eq!(ids.len(), 40);
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    }
}

#[test]
fn a_role_held_in_every_namespace_acts_in_every_namespace() {
    // `me` binds secret-maker in every namespace (a RoleBinding it may create anywhere); the
    // holder may create and read Secrets in every namespace: a token Secret for anyone.
    let extra = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-maker}
rules: [{apiGroups: [""], resources: [secrets], verbs: [create, get]}]
"#;
    let rules = r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [secret-maker], verbs: [bind]}"#;
    let r = reach(&attacker(rules, "crb", extra));
    let holder = "holder of ClusterRole/secret-maker in every namespace";
    assert!(r.contains(&(holder.into(), Some(Primitive::Bind))), "{r:?}");
    assert!(
        r.contains(&(
            "ServiceAccount shop/web".into(),
            Some(Primitive::CreateTokenSecret)
        )),
        "{r:?}"
    );
}

#[test]
fn users_to_impersonate_keep_their_place_when_asked_last() {
    // For cluster-admin alone, the users a principal can impersonate are asked about after
    // its other primitives (none of them leads to cluster-admin itself): when no hop does,
    // the hops are exactly those of the full search, in the same order.
    let extra = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: people}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: attacker-role}
subjects: [{kind: User, name: dave}, {kind: User, name: erin}, {kind: Group, name: devs}]
"#;
    let users_and_groups = r#"- {apiGroups: [""], resources: [users], verbs: [impersonate]}
- {apiGroups: [""], resources: [groups], resourceNames: [devs], verbs: [impersonate]}
- {apiGroups: [""], resources: [pods], verbs: [create]}"#;
    let f = fixture(&attacker(users_and_groups, "crb", extra));
    let e = Escalation::new(&f.model, &f.world);
    let me = sa("attacker", "me");
    let full = primitives::hops(&e, &me, false).written_out(&f.world);
    let users: Vec<String> = full
        .iter()
        .filter(|(_, h)| h.primitive == Primitive::ImpersonateUser)
        .map(|(to, _)| to.display())
        .collect();
    assert_eq!(users, ["User carol", "User dave", "User erin"], "{full:?}");
    assert!(full
        .iter()
        .any(|(_, h)| h.primitive == Primitive::ImpersonateGroup));
    assert_eq!(primitives::hops(&e, &me, true).written_out(&f.world), full);
    // With a later hop to cluster-admin (bind of any ClusterRole), that hop alone.
    let bind = format!(
        "{users_and_groups}\n{}",
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}"#
    );
    let f = fixture(&attacker(&bind, "crb", extra));
    let e = Escalation::new(&f.model, &f.world);
    let only = primitives::hops(&e, &me, true).written_out(&f.world);
    assert_eq!(only.len(), 1, "{only:?}");
    assert_eq!(only[0].0, Principal::ClusterAdmin);
    let full = primitives::hops(&e, &me, false).written_out(&f.world);
    assert!(full.contains(&only[0]) && full.len() > 3, "{full:?}");
}
