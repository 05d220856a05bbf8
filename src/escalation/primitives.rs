//! The primitives: how a principal's permissions become hops. Every permission is asked of the
//! evaluator ([`Escalation::allowed`]); rule scans only narrow down which names and namespaces
//! are worth asking about.

use std::collections::BTreeSet;

use super::{Escalation, Grant, Hop, Power, Primitive, Principal};
use crate::model::{BindingKind, RoleKind};
use crate::rbac::rule::{group_matches, resource_matches, verb_matches};
use crate::rbac::{Attributes, NonResourceAttributes, ResourceAttributes, SYSTEM_MASTERS};

const RBAC: &str = "rbac.authorization.k8s.io";
const CERTS: &str = "certificates.k8s.io";
const AUTHN: &str = "authentication.k8s.io";

/// Pod controllers, with their group.
const CONTROLLERS: [(&str, &str); 7] = [
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("", "replicationcontrollers"),
];

fn req(verb: &str, group: &str, resource: &str, sub: &str, ns: &str, name: &str) -> Attributes {
    Attributes::Resource(ResourceAttributes {
        verb: verb.into(),
        group: group.into(),
        resource: resource.into(),
        subresource: sub.into(),
        name: name.into(),
        namespace: ns.into(),
    })
}

/// `create pods/exec web-0 -n shop`.
fn describe(a: &Attributes) -> String {
    match a {
        Attributes::NonResource(n) => format!("{} {}", n.verb, n.path),
        Attributes::Resource(r) => {
            let mut s = format!("{} {}", r.verb, r.resource);
            if !r.group.is_empty() {
                s.push('.');
                s.push_str(&r.group);
            }
            if !r.subresource.is_empty() {
                s.push('/');
                s.push_str(&r.subresource);
            }
            if !r.name.is_empty() {
                s.push(' ');
                s.push_str(&r.name);
            }
            if !r.namespace.is_empty() {
                s.push_str(" -n ");
                s.push_str(&r.namespace);
            }
            s
        }
    }
}

/// The permission, if the principal has it.
fn grant(e: &Escalation, p: &Principal, a: &Attributes) -> Option<Grant> {
    e.allowed(p, a).map(|by| Grant {
        request: describe(a),
        by,
    })
}

/// The first of several requests the principal may make.
fn any_of(e: &Escalation, p: &Principal, asks: &[Attributes]) -> Option<Grant> {
    asks.iter().find_map(|a| grant(e, p, a))
}

/// Which object names a principal's rules could allow for a verb on a resource in a scope:
/// `None` for any name (a rule without resourceNames), else the names the rules list.
/// Only a narrowing: every hop is then asked of the evaluator.
fn names(
    e: &Escalation,
    p: &Principal,
    verb: &str,
    group: &str,
    resource: &str,
    sub: &str,
) -> Option<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let matches = |r: &crate::model::PolicyRule| {
        verb_matches(&r.verbs, verb)
            && group_matches(&r.api_groups, group)
            && resource_matches(&r.resources, resource, sub)
    };
    let rules: Vec<&crate::model::PolicyRule> = match p {
        Principal::ClusterAdmin | Principal::NamespaceAdmin { .. } => return None,
        Principal::Role { id, .. } => e.model.roles[*id].rules.iter().collect(),
        _ => {
            let Some(user) = p.user_info() else {
                return Some(out);
            };
            let mut ids = Vec::new();
            for scope in e.model.scopes_for(&user.name, &user.groups) {
                e.model
                    .candidate_bindings(&scope, &user.name, &user.groups, &mut ids);
            }
            ids.sort_unstable();
            ids.dedup();
            ids.iter()
                .filter_map(|&b| e.model.bindings[b].role.as_ref().ok())
                .flat_map(|&r| e.model.roles[r].rules.iter())
                .collect()
        }
    };
    for r in rules.into_iter().filter(|r| matches(r)) {
        if r.resource_names.is_empty() {
            return None;
        }
        out.extend(r.resource_names.iter().cloned());
    }
    Some(out)
}

/// True when `name` passes a [`names`] narrowing.
fn may_name(set: &Option<BTreeSet<String>>, name: &str) -> bool {
    set.as_ref().is_none_or(|s| s.contains(name))
}

/// The namespaces a principal may act in: every known namespace when a cluster-wide grant
/// could apply, else the namespaces of its RoleBindings.
fn namespaces(e: &Escalation, p: &Principal) -> BTreeSet<String> {
    let all = || -> BTreeSet<String> {
        let mut s: BTreeSet<String> = e.model.namespaces.iter().cloned().collect();
        s.extend(e.world.service_accounts.keys().cloned());
        s.extend(e.world.pods.iter().map(|p| p.namespace.clone()));
        s
    };
    match p {
        Principal::ClusterAdmin => all(),
        Principal::NamespaceAdmin { namespace } => [namespace.clone()].into(),
        Principal::Role { scope, .. } if scope == "*" => all(),
        Principal::Role { scope, .. } => [scope.clone()].into(),
        _ => {
            let Some(user) = p.user_info() else {
                return BTreeSet::new();
            };
            let scopes = e.model.scopes_for(&user.name, &user.groups);
            if scopes.iter().any(|s| s.is_empty()) {
                all()
            } else {
                scopes.into_iter().collect()
            }
        }
    }
}

struct Out<'e, 'a> {
    e: &'e Escalation<'a>,
    hops: Vec<(Principal, Hop)>,
}

impl Out<'_, '_> {
    fn hop(
        &mut self,
        to: Principal,
        primitive: Primitive,
        grants: Vec<Grant>,
        objects: Vec<String>,
        assumes: Option<String>,
    ) {
        self.hops.push((
            to,
            Hop {
                from: 0,
                to: 0,
                primitive,
                grants,
                objects,
                assumes,
            },
        ));
    }

    fn service_accounts(&self, ns: &str) -> Vec<Principal> {
        self.e
            .world
            .service_accounts
            .get(ns)
            .into_iter()
            .flatten()
            .map(|name| Principal::ServiceAccount {
                namespace: ns.to_string(),
                name: name.clone(),
            })
            .collect()
    }
}

const TEMPLATES_RUN: &str =
    "pods of workload templates read from manifests are assumed to be running (their names and nodes are not known)";
const PSA_DEFAULT: &str = "namespaces without a pod-security.kubernetes.io/enforce label are assumed to admit privileged pods (the API server's default admission configuration)";

/// Every hop out of `p`.
pub fn hops(e: &Escalation, p: &Principal) -> Vec<(Principal, Hop)> {
    let mut out = Out {
        e,
        hops: Vec::new(),
    };
    match p {
        Principal::ClusterAdmin => return out.hops,
        Principal::Node => node_pods(&mut out),
        _ => {}
    }
    cluster_admin(&mut out, p);
    impersonation(&mut out, p);
    escalate(&mut out, p);
    bind(&mut out, p);
    update_bindings(&mut out, p);
    workloads(&mut out, p);
    running_pods(&mut out, p);
    nodes_proxy(&mut out, p);
    tokens(&mut out, p);
    csr(&mut out, p);
    webhooks(&mut out, p);
    // A hop to oneself gains nothing.
    out.hops.retain(|(to, _)| to != p);
    out.hops
}

fn cluster_admin(out: &mut Out, p: &Principal) {
    let e = out.e;
    let everything = req("*", "*", "*", "", "", "");
    let urls = Attributes::NonResource(NonResourceAttributes {
        verb: "*".into(),
        path: "*".into(),
    });
    if let (Some(a), Some(b)) = (grant(e, p, &everything), grant(e, p, &urls)) {
        out.hop(
            Principal::ClusterAdmin,
            Primitive::ClusterAdminEquivalent,
            vec![a, b],
            vec![],
            None,
        );
    }
}

fn impersonation(out: &mut Out, p: &Principal) {
    let e = out.e;
    let users = names(e, p, "impersonate", "", "users", "");
    let mut impersonable: Option<(String, Grant)> = None;
    let candidates: Vec<String> = match &users {
        None => e.world.users.iter().cloned().collect(),
        Some(named) => named.iter().cloned().collect(),
    };
    for u in candidates {
        if let Some(g) = grant(e, p, &req("impersonate", "", "users", "", "", &u)) {
            impersonable.get_or_insert((u.clone(), g.clone()));
            out.hop(
                Principal::user(&u, &[]),
                Primitive::ImpersonateUser,
                vec![g],
                vec![],
                None,
            );
        }
    }
    if impersonable.is_none() && users.is_none() {
        // Any user name will do; none of the bindings' users is needed.
        let any = "(any user)";
        if let Some(g) = grant(e, p, &req("impersonate", "", "users", "", "", any)) {
            impersonable = Some((any.to_string(), g));
        }
    }
    if let Some((user, ug)) = impersonable {
        let groups = names(e, p, "impersonate", "", "groups", "");
        let mut candidates: BTreeSet<String> = e.world.groups.clone();
        candidates.insert(SYSTEM_MASTERS.to_string());
        for g in candidates.into_iter().filter(|g| may_name(&groups, g)) {
            if let Some(gg) = grant(e, p, &req("impersonate", "", "groups", "", "", &g)) {
                out.hop(
                    Principal::user(&user, std::slice::from_ref(&g)),
                    Primitive::ImpersonateGroup,
                    vec![ug.clone(), gg],
                    vec![],
                    None,
                );
            }
        }
    }
    let sas = names(e, p, "impersonate", "", "serviceaccounts", "");
    for ns in namespaces(e, p) {
        for sa in out.service_accounts(&ns) {
            let Principal::ServiceAccount { name, .. } = &sa else {
                continue;
            };
            if !may_name(&sas, name) {
                continue;
            }
            if let Some(g) = grant(
                e,
                p,
                &req("impersonate", "", "serviceaccounts", "", &ns, name),
            ) {
                out.hop(
                    sa,
                    Primitive::ImpersonateServiceAccount,
                    vec![g],
                    vec![],
                    None,
                );
            }
        }
    }
}

/// The roles a principal holds, with the scope of each binding (`*` cluster-wide).
fn held_roles(e: &Escalation, p: &Principal) -> Vec<(usize, String)> {
    match p {
        Principal::Role { id, scope, .. } => vec![(*id, scope.clone())],
        _ => {
            let Some(user) = p.user_info() else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for scope in e.model.scopes_for(&user.name, &user.groups) {
                let mut ids = Vec::new();
                e.model
                    .candidate_bindings(&scope, &user.name, &user.groups, &mut ids);
                for b in ids {
                    let binding = &e.model.bindings[b];
                    if let Ok(r) = binding.role {
                        let s = if binding.kind == BindingKind::ClusterRoleBinding {
                            "*".to_string()
                        } else {
                            binding.namespace.clone()
                        };
                        out.push((r, s));
                    }
                }
            }
            out.sort();
            out.dedup();
            out
        }
    }
}

/// `escalate` and update/patch on a role the principal holds: it can write any rule into it.
fn escalate(out: &mut Out, p: &Principal) {
    let e = out.e;
    for (role, scope) in held_roles(e, p) {
        let r = &e.model.roles[role];
        let (resource, ns) = match r.kind {
            RoleKind::ClusterRole => ("clusterroles", ""),
            RoleKind::Role => ("roles", r.namespace.as_str()),
        };
        let Some(esc) = grant(e, p, &req("escalate", RBAC, resource, "", ns, &r.name)) else {
            continue;
        };
        let Some(write) = any_of(
            e,
            p,
            &[
                req("update", RBAC, resource, "", ns, &r.name),
                req("patch", RBAC, resource, "", ns, &r.name),
            ],
        ) else {
            continue;
        };
        let to = if scope == "*" {
            Principal::ClusterAdmin
        } else {
            Principal::NamespaceAdmin { namespace: scope }
        };
        out.hop(
            to,
            Primitive::Escalate,
            vec![esc, write],
            vec![e.model.role_name(role).path()],
            None,
        );
    }
}

/// What binding a role to oneself in a scope gives: cluster-admin or a namespace's admin when
/// the role allows everything, else the role's holder.
fn holder(e: &Escalation, role: usize, scope: &str) -> Principal {
    let rules = &e.model.roles[role].rules;
    let everything = req("*", "*", "*", "", "", "");
    let urls = Attributes::NonResource(NonResourceAttributes {
        verb: "*".into(),
        path: "*".into(),
    });
    let all_resources = rules
        .iter()
        .any(|r| crate::rbac::rule::rule_allows(&everything, r));
    let all_urls = rules
        .iter()
        .any(|r| crate::rbac::rule::rule_allows(&urls, r));
    match (scope, all_resources, all_urls) {
        ("*", true, true) => Principal::ClusterAdmin,
        (ns, true, _) if ns != "*" => Principal::NamespaceAdmin {
            namespace: ns.to_string(),
        },
        _ => Principal::Role {
            role: e.model.role_name(role).path(),
            id: role,
            scope: scope.to_string(),
        },
    }
}

/// `bind` on a role and create of a binding: the role, bound to oneself. The API server's
/// escalation check on bindings passes with `bind` on the referenced role.
fn bind(out: &mut Out, p: &Principal) {
    let e = out.e;
    let model = e.model;
    let bindable = names(e, p, "bind", RBAC, "clusterroles", "");
    // Cluster-wide.
    if let Some(create) = grant(
        e,
        p,
        &req("create", RBAC, "clusterrolebindings", "", "", ""),
    ) {
        for (id, r) in model.roles.iter().enumerate() {
            if r.kind != RoleKind::ClusterRole
                || r.rules.is_empty()
                || !may_name(&bindable, &r.name)
            {
                continue;
            }
            if let Some(b) = grant(e, p, &req("bind", RBAC, "clusterroles", "", "", &r.name)) {
                out.hop(
                    holder(e, id, "*"),
                    Primitive::Bind,
                    vec![create.clone(), b],
                    vec![format!("ClusterRole/{}", r.name)],
                    None,
                );
            }
        }
    }
    // In namespaces: ClusterRoles and the namespace's Roles.
    let bindable_roles = names(e, p, "bind", RBAC, "roles", "");
    for ns in namespaces(e, p) {
        let Some(create) = grant(e, p, &req("create", RBAC, "rolebindings", "", &ns, "")) else {
            continue;
        };
        for (id, r) in model.roles.iter().enumerate() {
            let ok = match r.kind {
                RoleKind::ClusterRole => may_name(&bindable, &r.name),
                RoleKind::Role => r.namespace == ns && may_name(&bindable_roles, &r.name),
            };
            if !ok || r.rules.is_empty() {
                continue;
            }
            let resource = if r.kind == RoleKind::ClusterRole {
                "clusterroles"
            } else {
                "roles"
            };
            if let Some(b) = grant(e, p, &req("bind", RBAC, resource, "", &ns, &r.name)) {
                out.hop(
                    holder(e, id, &ns),
                    Primitive::Bind,
                    vec![create.clone(), b],
                    vec![model.role_name(id).path()],
                    None,
                );
            }
        }
    }
}

/// update/patch of an existing binding (adding oneself as a subject) with `bind` on its role.
fn update_bindings(out: &mut Out, p: &Principal) {
    let e = out.e;
    let model = e.model;
    let crb = names(e, p, "update", RBAC, "clusterrolebindings", "");
    let crb_patch = names(e, p, "patch", RBAC, "clusterrolebindings", "");
    let rb = names(e, p, "update", RBAC, "rolebindings", "");
    let rb_patch = names(e, p, "patch", RBAC, "rolebindings", "");
    let spaces = namespaces(e, p);
    for (id, b) in model.bindings.iter().enumerate() {
        let Ok(role) = b.role else { continue };
        let (resource, ns, candidates) = match b.kind {
            BindingKind::ClusterRoleBinding => ("clusterrolebindings", "", (&crb, &crb_patch)),
            BindingKind::RoleBinding => {
                if !spaces.contains(&b.namespace) {
                    continue;
                }
                ("rolebindings", b.namespace.as_str(), (&rb, &rb_patch))
            }
        };
        if !may_name(candidates.0, &b.name) && !may_name(candidates.1, &b.name) {
            continue;
        }
        let Some(write) = any_of(
            e,
            p,
            &[
                req("update", RBAC, resource, "", ns, &b.name),
                req("patch", RBAC, resource, "", ns, &b.name),
            ],
        ) else {
            continue;
        };
        let r = &model.roles[role];
        let role_resource = if r.kind == RoleKind::ClusterRole {
            "clusterroles"
        } else {
            "roles"
        };
        let Some(bind) = grant(e, p, &req("bind", RBAC, role_resource, "", ns, &r.name)) else {
            continue;
        };
        let scope = if b.kind == BindingKind::ClusterRoleBinding {
            "*"
        } else {
            ns
        };
        out.hop(
            holder(e, role, scope),
            Primitive::UpdateBinding,
            vec![write, bind],
            vec![model.binding_name(id).path()],
            None,
        );
    }
}

/// Create pods or pod controllers (any ServiceAccount of the namespace; privileged or hostPath
/// pods: the node), patch workload templates (any ServiceAccount of the namespace).
fn workloads(out: &mut Out, p: &Principal) {
    let e = out.e;
    let world = e.world;
    let pvs = grant(e, p, &req("create", "", "persistentvolumes", "", "", ""));
    for ns in namespaces(e, p) {
        let mut creates = vec![req("create", "", "pods", "", &ns, "")];
        creates.extend(
            CONTROLLERS
                .iter()
                .map(|(g, r)| req("create", g, r, "", &ns, "")),
        );
        let create = any_of(e, p, &creates);
        if let Some(c) = &create {
            for sa in out.service_accounts(&ns) {
                let Principal::ServiceAccount { name, .. } = &sa else {
                    continue;
                };
                let object = format!("a pod with serviceAccountName {name}");
                out.hop(
                    sa.clone(),
                    Primitive::CreateWorkload,
                    vec![c.clone()],
                    vec![object],
                    None,
                );
            }
            // Pod Security admission decides whether the pod may be privileged.
            let level = world.pod_security.get(&ns).map(String::as_str);
            let relabel = || {
                any_of(
                    e,
                    p,
                    &[
                        req("patch", "", "namespaces", "", &ns, &ns),
                        req("update", "", "namespaces", "", &ns, &ns),
                    ],
                )
            };
            let (allowed, extra, assumes) = match level {
                None => (true, None, Some(PSA_DEFAULT.to_string())),
                Some("privileged") => (true, None, None),
                Some(_) => match relabel() {
                    Some(g) => (true, Some(g), None),
                    None => (false, None, None),
                },
            };
            if allowed {
                let mut grants = vec![c.clone()];
                let mut objects = vec![format!("a privileged pod with a hostPath volume in {ns}")];
                if let Some(g) = extra {
                    objects.push(format!(
                        "Namespace/{ns} relabelled pod-security.kubernetes.io/enforce: privileged"
                    ));
                    grants.push(g);
                }
                out.hop(
                    Principal::Node,
                    Primitive::PrivilegedPod,
                    grants,
                    objects,
                    assumes,
                );
            }
            if let (Some(pv), Some(pvc)) = (
                &pvs,
                grant(
                    e,
                    p,
                    &req("create", "", "persistentvolumeclaims", "", &ns, ""),
                ),
            ) {
                out.hop(
                    Principal::Node,
                    Primitive::HostPathVolume,
                    vec![pv.clone(), pvc, c.clone()],
                    vec![format!(
                        "a hostPath PersistentVolume claimed by a pod in {ns}"
                    )],
                    None,
                );
            }
        }
        // A workload's template can be given any ServiceAccount of its namespace.
        for (group, resource) in CONTROLLERS {
            let kind = controller_kind(resource);
            let existing: Vec<&super::PodInfo> = world
                .pods
                .iter()
                .filter(|w| w.namespace == ns && w.object.starts_with(&format!("{kind}/")))
                .collect();
            let Some((w, g)) = existing.iter().find_map(|w| {
                any_of(
                    e,
                    p,
                    &[
                        req("patch", group, resource, "", &ns, &w.name),
                        req("update", group, resource, "", &ns, &w.name),
                    ],
                )
                .map(|g| (*w, g))
            }) else {
                continue;
            };
            for sa in out.service_accounts(&ns) {
                out.hop(
                    sa,
                    Primitive::PatchWorkload,
                    vec![g.clone()],
                    vec![w.object.clone()],
                    None,
                );
            }
        }
    }
}

fn controller_kind(resource: &str) -> &'static str {
    match resource {
        "deployments" => "Deployment",
        "statefulsets" => "StatefulSet",
        "daemonsets" => "DaemonSet",
        "replicasets" => "ReplicaSet",
        "jobs" => "Job",
        "cronjobs" => "CronJob",
        _ => "ReplicationController",
    }
}

/// Running pods: patch (image), exec, attach, ephemeral containers → the pod's ServiceAccount.
fn running_pods(out: &mut Out, p: &Principal) {
    let e = out.e;
    let spaces = namespaces(e, p);
    for pod in e
        .world
        .pods
        .iter()
        .filter(|w| spaces.contains(&w.namespace))
    {
        let sa = Principal::ServiceAccount {
            namespace: pod.namespace.clone(),
            name: pod.service_account.clone(),
        };
        let ns = pod.namespace.as_str();
        // A template's pods have generated names: only a grant for any name reaches them.
        let name = if pod.running { pod.name.as_str() } else { "" };
        let assumes = (!pod.running).then(|| TEMPLATES_RUN.to_string());
        let ways: [(Primitive, &[(&str, &str)]); 4] = [
            (Primitive::PatchPod, &[("patch", ""), ("update", "")]),
            (Primitive::Exec, &[("create", "exec")]),
            (Primitive::Attach, &[("create", "attach")]),
            (
                Primitive::EphemeralContainer,
                &[
                    ("patch", "ephemeralcontainers"),
                    ("update", "ephemeralcontainers"),
                ],
            ),
        ];
        for (primitive, asks) in ways {
            if primitive == Primitive::PatchPod && !pod.running {
                continue; // a template is patched through its workload
            }
            let asks: Vec<Attributes> = asks
                .iter()
                .map(|(v, sub)| req(v, "", "pods", sub, ns, name))
                .collect();
            if let Some(g) = any_of(e, p, &asks) {
                out.hop(
                    sa.clone(),
                    primitive,
                    vec![g],
                    vec![pod.object.clone()],
                    assumes.clone(),
                );
            }
        }
    }
}

/// `nodes/proxy`: the kubelet API runs commands in every pod of the node.
fn nodes_proxy(out: &mut Out, p: &Principal) {
    let e = out.e;
    let proxy = |node: &str| {
        any_of(
            e,
            p,
            &[
                req("get", "", "nodes", "proxy", "", node),
                req("create", "", "nodes", "proxy", "", node),
            ],
        )
    };
    for pod in &e.world.pods {
        let (g, assumes) = match &pod.node {
            Some(n) => (proxy(n), None),
            None => (
                proxy(""),
                Some(if pod.running {
                    "pods not yet scheduled are assumed to land on a node the nodes/proxy grant covers".to_string()
                } else {
                    TEMPLATES_RUN.to_string()
                }),
            ),
        };
        let Some(g) = g else { continue };
        let mut objects = vec![pod.object.clone()];
        if let Some(n) = &pod.node {
            objects.push(format!("Node/{n}"));
        }
        out.hop(
            Principal::ServiceAccount {
                namespace: pod.namespace.clone(),
                name: pod.service_account.clone(),
            },
            Primitive::NodesProxy,
            vec![g],
            objects,
            assumes,
        );
    }
}

/// Root on a node: the ServiceAccount token of every pod there (the attacker picks the node).
fn node_pods(out: &mut Out) {
    let mut seen = BTreeSet::new();
    for pod in &out.e.world.pods {
        if !seen.insert((pod.namespace.clone(), pod.service_account.clone())) {
            continue;
        }
        let assumes = (!pod.running).then(|| TEMPLATES_RUN.to_string());
        out.hop(
            Principal::ServiceAccount {
                namespace: pod.namespace.clone(),
                name: pod.service_account.clone(),
            },
            Primitive::NodePods,
            vec![],
            vec![pod.object.clone()],
            assumes,
        );
    }
}

/// Token Secrets (read, or created and read back) and TokenRequest.
fn tokens(out: &mut Out, p: &Principal) {
    let e = out.e;
    let spaces = namespaces(e, p);
    for s in e
        .world
        .token_secrets
        .iter()
        .filter(|s| spaces.contains(&s.namespace))
    {
        let ns = s.namespace.as_str();
        let asks = [
            req("get", "", "secrets", "", ns, &s.name),
            req("list", "", "secrets", "", ns, ""),
            req("watch", "", "secrets", "", ns, ""),
        ];
        if let Some(g) = any_of(e, p, &asks) {
            out.hop(
                Principal::ServiceAccount {
                    namespace: ns.to_string(),
                    name: s.service_account.clone(),
                },
                Primitive::ReadTokenSecret,
                vec![g],
                vec![format!("Secret/{ns}/{} (metadata only)", s.name)],
                None,
            );
        }
    }
    let token_names = names(e, p, "create", "", "serviceaccounts", "token");
    for ns in spaces {
        // A Secret of type kubernetes.io/service-account-token naming any ServiceAccount is
        // filled in by the token controller; reading it back needs get (any name), list or watch.
        let create = grant(e, p, &req("create", "", "secrets", "", &ns, ""));
        // The new Secret's name is the attacker's choice: one that a get grant names will do.
        let gettable = names(e, p, "get", "", "secrets", "");
        let new_name = match &gettable {
            None => "(a new secret)".to_string(),
            Some(named) => named
                .iter()
                .find(|n| {
                    !e.world
                        .token_secrets
                        .iter()
                        .any(|s| s.namespace == ns && &s.name == *n)
                })
                .cloned()
                .unwrap_or_default(),
        };
        let mut reads = vec![
            req("list", "", "secrets", "", &ns, ""),
            req("watch", "", "secrets", "", &ns, ""),
        ];
        if !new_name.is_empty() {
            reads.insert(0, req("get", "", "secrets", "", &ns, &new_name));
        }
        let read = any_of(e, p, &reads);
        let sas = out.service_accounts(&ns);
        if let (Some(c), Some(r)) = (create, read) {
            for sa in &sas {
                out.hop(
                    sa.clone(),
                    Primitive::CreateTokenSecret,
                    vec![c.clone(), r.clone()],
                    vec!["a Secret of type kubernetes.io/service-account-token".into()],
                    None,
                );
            }
        }
        for sa in sas {
            let Principal::ServiceAccount { name, .. } = &sa else {
                continue;
            };
            if !may_name(&token_names, name) {
                continue;
            }
            if let Some(g) = grant(
                e,
                p,
                &req("create", "", "serviceaccounts", "token", &ns, name),
            ) {
                out.hop(sa.clone(), Primitive::TokenRequest, vec![g], vec![], None);
            }
        }
    }
}

/// A client certificate for any user or group (but system:masters, which the
/// CertificateSubjectRestriction admission plugin refuses for this signer).
fn csr(out: &mut Out, p: &Principal) {
    let e = out.e;
    let Some(create) = grant(
        e,
        p,
        &req("create", CERTS, "certificatesigningrequests", "", "", ""),
    ) else {
        return;
    };
    let Some(approval) = any_of(
        e,
        p,
        &[
            req(
                "update",
                CERTS,
                "certificatesigningrequests",
                "approval",
                "",
                "",
            ),
            req(
                "patch",
                CERTS,
                "certificatesigningrequests",
                "approval",
                "",
                "",
            ),
        ],
    ) else {
        return;
    };
    let Some(signer) = any_of(
        e,
        p,
        &[
            req(
                "approve",
                CERTS,
                "signers",
                "",
                "",
                "kubernetes.io/kube-apiserver-client",
            ),
            req("approve", CERTS, "signers", "", "", "kubernetes.io/*"),
        ],
    ) else {
        return;
    };
    let Some(read) = any_of(
        e,
        p,
        &[
            req(
                "get",
                CERTS,
                "certificatesigningrequests",
                "",
                "",
                "(its request)",
            ),
            req("list", CERTS, "certificatesigningrequests", "", "", ""),
            req("watch", CERTS, "certificatesigningrequests", "", "", ""),
        ],
    ) else {
        return;
    };
    let grants = vec![create, approval, signer, read];
    let note = "a client certificate from signer kubernetes.io/kube-apiserver-client".to_string();
    for u in &e.world.users {
        if crate::rbac::identity::split_service_account_username(u).is_some() {
            continue;
        }
        out.hop(
            Principal::user(u, &[]),
            Primitive::ApproveCsr,
            grants.clone(),
            vec![note.clone()],
            None,
        );
    }
    for g in e.world.groups.iter().filter(|g| *g != SYSTEM_MASTERS) {
        out.hop(
            Principal::GroupMember { group: g.clone() },
            Primitive::ApproveCsr,
            grants.clone(),
            vec![note.clone()],
            None,
        );
    }
}

/// Writing mutating webhook configurations: every pod admitted afterwards can be made
/// privileged (by a webhook the attacker serves).
fn webhooks(out: &mut Out, p: &Principal) {
    let e = out.e;
    let asks: Vec<Attributes> = ["create", "update", "patch"]
        .iter()
        .map(|v| {
            req(
                v,
                "admissionregistration.k8s.io",
                "mutatingwebhookconfigurations",
                "",
                "",
                "",
            )
        })
        .collect();
    if let Some(g) = any_of(e, p, &asks) {
        out.hop(
            Principal::Node,
            Primitive::MutatingWebhook,
            vec![g],
            vec!["a MutatingWebhookConfiguration".into()],
            Some("a mutating webhook the attacker serves changes the next pod admitted into a privileged one".into()),
        );
    }
}

/// Powers that are not identities.
pub fn powers(e: &Escalation, p: &Principal) -> Vec<Power> {
    if *p == Principal::ClusterAdmin {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut add = |what: &str, asks: &[Attributes]| {
        if let Some(g) = any_of(e, p, asks) {
            out.push(Power {
                what: what.to_string(),
                via: vec![g],
            });
        }
    };
    add(
        "impersonate UIDs (authentication.k8s.io uids)",
        &[req("impersonate", AUTHN, "uids", "", "", "")],
    );
    add(
        "impersonate user extras (authentication.k8s.io userextras)",
        &[req("impersonate", AUTHN, "userextras", "*", "", "")],
    );
    add(
        "write validating webhook configurations (switch admission checks off)",
        &["create", "update", "patch", "delete"]
            .iter()
            .map(|v| {
                req(
                    v,
                    "admissionregistration.k8s.io",
                    "validatingwebhookconfigurations",
                    "",
                    "",
                    "",
                )
            })
            .collect::<Vec<_>>(),
    );
    let spaces = namespaces(e, p);
    let pf: Vec<Attributes> = spaces
        .iter()
        .map(|ns| req("create", "", "pods", "portforward", ns, ""))
        .collect();
    add(
        "port-forward to pods (network access to their ports, not their identity)",
        &pf,
    );
    out
}
