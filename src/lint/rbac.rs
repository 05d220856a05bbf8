//! RBAC rules. Each asks the evaluator which bindings grant a request ("create pods/exec"),
//! through the model's rule index and the authorizer's own rule matching, so wildcards,
//! `*/exec`, aggregation, RoleBinding → ClusterRole and the core group are right by
//! construction. A finding is one subject of one binding, located at that subject, with the
//! binding's roleRef and the granting rule (in the ClusterRole it was aggregated from, when it
//! was) as evidence. The bootstrap policy's own bindings are never findings.

use compact_str::CompactString;
use std::collections::BTreeSet;

use super::{Context, Evidence, Finding, Location, ObjectRef, Rule, SubjectRef};
use crate::model::access::{BindingId, CompiledBinding, RoleId};
use crate::model::field_path::FieldPath;
use crate::model::{BindingKind, RoleKind, Subject};
use crate::rbac::identity::{AUTHENTICATED, SERVICE_ACCOUNTS, UNAUTHENTICATED};
use crate::rbac::{Attributes, ResourceAttributes, SYSTEM_MASTERS};

/// One request of a capability: verb, group, resource, subresource, and whether a RoleBinding
/// can grant it (a namespaced resource) or only a ClusterRoleBinding can.
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    /// The verb.
    pub verb: &'static str,
    /// The API group.
    pub group: &'static str,
    /// The resource.
    pub resource: &'static str,
    /// The subresource (`""` for none).
    pub subresource: &'static str,
    /// True for namespaced resources.
    pub namespaced: bool,
}

const fn ask(
    verb: &'static str,
    group: &'static str,
    resource: &'static str,
    subresource: &'static str,
    namespaced: bool,
) -> Ask {
    Ask {
        verb,
        group,
        resource,
        subresource,
        namespaced,
    }
}

impl Ask {
    /// The request (without a namespace or a name: any object).
    pub fn attributes(&self) -> Attributes {
        Attributes::Resource(ResourceAttributes {
            verb: self.verb.into(),
            group: self.group.into(),
            resource: self.resource.into(),
            subresource: self.subresource.into(),
            name: String::new(),
            namespace: String::new(),
        })
    }

    /// `create pods/exec`, `update certificatesigningrequests.certificates.k8s.io/approval`.
    pub fn describe(&self) -> String {
        let mut s = format!("{} {}", self.verb, self.resource);
        if !self.group.is_empty() {
            s.push('.');
            s.push_str(self.group);
        }
        if !self.subresource.is_empty() {
            s.push('/');
            s.push_str(self.subresource);
        }
        s
    }
}

/// A binding that grants one of the asked requests: the binding, its role, the rule, and
/// which request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// The binding.
    pub binding: BindingId,
    /// Its role.
    pub role: RoleId,
    /// The first rule of the role that allows the request.
    pub rule: usize,
    /// Index into the asked requests.
    pub ask: usize,
}

/// The bindings (not the bootstrap policy's own) that grant any of the requests, one hit per
/// binding (the first request it grants), in binding order.
pub fn grants(ctx: &Context, asks: &[Ask]) -> Vec<Hit> {
    let model = ctx.input.access;
    let mut hits: Vec<Hit> = Vec::new();
    for (i, a) in asks.iter().enumerate() {
        let attrs = a.attributes();
        for (role, rule) in model.roles_allowing(&attrs) {
            for &binding in &model.bindings_by_role[role] {
                let b = &model.bindings[binding];
                if b.kind == BindingKind::RoleBinding && !a.namespaced {
                    continue; // a real request for a cluster-scoped resource has no namespace
                }
                if ctx.is_default_binding(binding) {
                    continue;
                }
                hits.push(Hit {
                    binding,
                    role,
                    rule,
                    ask: i,
                });
            }
        }
    }
    hits.sort();
    hits.dedup_by_key(|h| h.binding);
    hits
}

/// A binding subject as findings name it (a ServiceAccount's namespace defaulted to its
/// RoleBinding's), or `None` for a kind that matches nobody.
pub fn subject_ref(b: &CompiledBinding, s: &Subject) -> Option<SubjectRef> {
    let namespace = match s.kind.as_str() {
        "ServiceAccount" => Some(subject_namespace(b, s).to_string()),
        "User" | "Group" => None,
        _ => return None,
    };
    Some(SubjectRef {
        kind: s.kind.to_string(),
        namespace: namespace.filter(|n| !n.is_empty()),
        name: s.name.to_string(),
    })
}

/// A subject's namespace as written, a ServiceAccount's defaulted to its RoleBinding's.
pub fn subject_namespace<'b>(b: &'b CompiledBinding, s: &'b Subject) -> &'b str {
    if s.kind == "ServiceAccount" && s.namespace.is_empty() {
        b.scope()
    } else {
        &s.namespace
    }
}

/// The binding as a finding's object.
pub fn binding_object(b: &CompiledBinding) -> ObjectRef {
    ObjectRef::new(b.kind.as_str(), &b.namespace, &b.name)
}

/// Where a binding grants: `in every namespace`, `cluster-wide`, `in namespace NS`.
fn scope_text(b: &CompiledBinding, namespaced: bool) -> String {
    match (b.kind, namespaced) {
        (BindingKind::ClusterRoleBinding, true) => "in every namespace".into(),
        (BindingKind::ClusterRoleBinding, false) => "cluster-wide".into(),
        (BindingKind::RoleBinding, _) => format!("in namespace {}", b.namespace),
    }
}

/// Where a role's effective rule was written: the role itself, or for an aggregated
/// ClusterRole, the ClusterRole it was aggregated from.
fn rule_location(ctx: &Context, role: RoleId, rule: usize) -> (Location, usize) {
    let model = ctx.input.access;
    let r = &model.roles[role];
    let written = &r.rules[rule];
    if r.aggregated {
        let source = ctx
            .input
            .inventory
            .roles
            .iter()
            .filter(|w| w.kind == RoleKind::ClusterRole && w.metadata.name != r.name)
            .filter(|w| w.aggregation_rule.is_none())
            .find_map(|w| w.rules.iter().position(|x| x == written).map(|i| (w, i)));
        if let Some((w, i)) = source {
            let object = ObjectRef::new("ClusterRole", "", &w.metadata.name);
            let path = FieldPath::keys(&["rules"]).index(i);
            return (Location::new(object, &w.origin, path), i);
        }
    }
    let object = ObjectRef::new(r.kind.as_str(), &r.namespace, &r.name);
    (
        Location::new(object, &r.origin, FieldPath::keys(&["rules"]).index(rule)),
        rule,
    )
}

/// The evidence of a grant: the binding's roleRef and the rule.
pub fn grant_evidence(
    ctx: &Context,
    binding: BindingId,
    role: RoleId,
    rule: usize,
) -> Vec<Evidence> {
    let model = ctx.input.access;
    let b = &model.bindings[binding];
    let r = &model.roles[role];
    let mut out = vec![Evidence {
        message: format!("roleRef: {} {}", r.kind.as_str(), r.name),
        location: Location::new(binding_object(b), &b.origin, FieldPath::keys(&["roleRef"])),
    }];
    out.push(ctx.rule_evidence(role, rule, || rule_evidence(ctx, role, rule)));
    out
}

/// The evidence step of a role's rule: where it is written (the aggregated role's source
/// rule, for an aggregated ClusterRole) and what it allows.
fn rule_evidence(ctx: &Context, role: RoleId, rule: usize) -> Evidence {
    let r = &ctx.input.access.roles[role];
    let (location, index) = rule_location(ctx, role, rule);
    let from = if location.object.name != r.name {
        format!(" (aggregated into {} from {})", r.name, location.object)
    } else {
        String::new()
    };
    Evidence {
        message: format!("rule {index}{from}: {}", r.rules[rule].compact()),
        location,
    }
}

/// One finding per subject of each hit's binding, with `what` (what the subject can do),
/// `key` telling findings of one rule apart beyond binding and subject.
fn report(
    ctx: &Context,
    rule: &'static Rule,
    asks: &[Ask],
    hits: &[Hit],
    what: &dyn Fn(&Ask) -> String,
    out: &mut Vec<Finding>,
) {
    let model = ctx.input.access;
    // One finding per subject at most: room for all at once (hundreds of thousands of large
    // findings would otherwise be copied at every doubling).
    out.reserve(
        hits.iter()
            .map(|h| model.bindings[h.binding].subjects.len())
            .sum(),
    );
    for h in hits {
        let b = &model.bindings[h.binding];
        let a = &asks[h.ask];
        // What every subject of the binding shares, worded once per binding.
        let role = model.role_name(h.role);
        let how = format!(
            "can {} {} through {} {} → {} {}",
            what(a),
            scope_text(b, a.namespaced),
            b.kind.as_str(),
            display(b),
            role.kind,
            role.name
        );
        let mut evidence: Option<std::sync::Arc<[Evidence]>> = None;
        for (i, s) in b.subjects.iter().enumerate() {
            let Some(subject) = subject_ref(b, s) else {
                continue;
            };
            if s.kind == "Group" && s.name == SYSTEM_MASTERS {
                continue; // allowed everything anyway
            }
            let message = format!("{subject} {how}");
            let location = Location::new(
                binding_object(b),
                &b.origin,
                FieldPath::keys(&["subjects"]).index(i),
            );
            let evidence = evidence
                .get_or_insert_with(|| grant_evidence(ctx, h.binding, h.role, h.rule).into())
                .clone();
            out.push(
                Finding::new(rule, location, Some(subject), "", message).with_evidence(evidence),
            );
        }
    }
}

/// `namespace/name` or `name`.
fn display(b: &CompiledBinding) -> String {
    if b.namespace.is_empty() {
        b.name.to_string()
    } else {
        format!("{}/{}", b.namespace, b.name)
    }
}

/// Runs a capability check: every non-default grant of any of `asks`, filtered by `keep`.
fn capability(
    ctx: &Context,
    rule: &'static Rule,
    asks: &[Ask],
    keep: &dyn Fn(&CompiledBinding) -> bool,
    what: &dyn Fn(&Ask) -> String,
    out: &mut Vec<Finding>,
) {
    let model = ctx.input.access;
    let hits: Vec<Hit> = grants(ctx, asks)
        .into_iter()
        .filter(|h| keep(&model.bindings[h.binding]) && !ctx.is_subsumed(h.binding))
        .collect();
    report(ctx, rule, asks, &hits, what, out);
}

fn verb_and_resource(a: &Ask) -> String {
    a.describe()
}

/// Every verb on every resource of every group.
pub const EVERYTHING: [Ask; 1] = [ask("*", "*", "*", "", true)];

/// Every verb on every resource of every group, granted cluster-wide.
pub fn cluster_admin(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const CLUSTER: [Ask; 1] = [ask("*", "*", "*", "", false)];
    report(
        ctx,
        rule,
        &CLUSTER,
        &grants(ctx, &CLUSTER),
        &|_| "do everything (every verb on every resource)".into(),
        out,
    );
}

/// Every verb on every resource of every group, granted in one namespace.
pub fn namespace_admin(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let model = ctx.input.access;
    let hits: Vec<Hit> = grants(ctx, &EVERYTHING)
        .into_iter()
        .filter(|h| model.bindings[h.binding].kind == BindingKind::RoleBinding)
        .collect();
    report(
        ctx,
        rule,
        &EVERYTHING,
        &hits,
        &|_| "do everything (every verb on every namespaced resource)".into(),
        out,
    );
}

/// Read Secrets cluster-wide or in kube-system.
pub fn read_secrets(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ASKS: [Ask; 3] = [
        ask("get", "", "secrets", "", true),
        ask("list", "", "secrets", "", true),
        ask("watch", "", "secrets", "", true),
    ];
    capability(
        ctx,
        rule,
        &ASKS,
        &|b| b.kind == BindingKind::ClusterRoleBinding || b.namespace == "kube-system",
        &|a| format!("{} secrets", a.verb),
        out,
    );
}

/// Run commands in, attach to, forward ports of or debug running pods.
pub fn pod_exec(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ASKS: [Ask; 8] = [
        ask("create", "", "pods", "exec", true),
        ask("get", "", "pods", "exec", true),
        ask("create", "", "pods", "attach", true),
        ask("get", "", "pods", "attach", true),
        ask("create", "", "pods", "portforward", true),
        ask("get", "", "pods", "portforward", true),
        ask("patch", "", "pods", "ephemeralcontainers", true),
        ask("update", "", "pods", "ephemeralcontainers", true),
    ];
    capability(ctx, rule, &ASKS, &|_| true, &verb_and_resource, out);
}

/// The kubelet API through the API server's node proxy.
pub fn nodes_proxy(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ASKS: [Ask; 2] = [
        ask("get", "", "nodes", "proxy", false),
        ask("create", "", "nodes", "proxy", false),
    ];
    capability(ctx, rule, &ASKS, &|_| true, &verb_and_resource, out);
}

/// The resources whose objects run pods, with their group.
pub const POD_CONTROLLERS: [(&str, &str); 8] = [
    ("", "pods"),
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("", "replicationcontrollers"),
];

/// Create pods or anything that creates pods.
pub fn create_workloads(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let asks: Vec<Ask> = POD_CONTROLLERS
        .iter()
        .map(|&(g, r)| ask("create", g, r, "", true))
        .collect();
    capability(ctx, rule, &asks, &|_| true, &verb_and_resource, out);
}

/// Impersonation of users, groups, ServiceAccounts, UIDs or extras.
pub fn impersonate(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ASKS: [Ask; 5] = [
        ask("impersonate", "", "users", "", false),
        ask("impersonate", "", "groups", "", false),
        ask("impersonate", "", "serviceaccounts", "", true),
        ask("impersonate", "authentication.k8s.io", "uids", "", false),
        ask(
            "impersonate",
            "authentication.k8s.io",
            "userextras",
            "*",
            false,
        ),
    ];
    capability(
        ctx,
        rule,
        &ASKS,
        &|_| true,
        &|a| {
            if a.resource == "userextras" {
                "impersonate user extras".into()
            } else {
                format!("impersonate {}", a.resource)
            }
        },
        out,
    );
}

/// bind or escalate on roles.
pub fn bind_escalate(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const G: &str = "rbac.authorization.k8s.io";
    const ASKS: [Ask; 4] = [
        ask("escalate", G, "clusterroles", "", false),
        ask("bind", G, "clusterroles", "", true),
        ask("escalate", G, "roles", "", true),
        ask("bind", G, "roles", "", true),
    ];
    // `bind` on clusterroles is checked in the RoleBinding's namespace for a RoleBinding that
    // references a ClusterRole, so a RoleBinding can grant it; `escalate` on clusterroles
    // concerns cluster-scoped objects.
    capability(ctx, rule, &ASKS, &|_| true, &verb_and_resource, out);
}

/// TokenRequest for ServiceAccounts.
pub fn create_tokens(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ASKS: [Ask; 1] = [ask("create", "", "serviceaccounts", "token", true)];
    capability(ctx, rule, &ASKS, &|_| true, &verb_and_resource, out);
}

/// Approving CertificateSigningRequests.
pub fn approve_csrs(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ASKS: [Ask; 2] = [
        ask(
            "update",
            "certificates.k8s.io",
            "certificatesigningrequests",
            "approval",
            false,
        ),
        ask(
            "patch",
            "certificates.k8s.io",
            "certificatesigningrequests",
            "approval",
            false,
        ),
    ];
    capability(
        ctx,
        rule,
        &ASKS,
        &|_| true,
        &|a| {
            format!(
                "{} (approve certificate requests, given approve on a signer)",
                a.describe()
            )
        },
        out,
    );
}

/// Writing admission webhook configurations.
pub fn webhook_write(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const G: &str = "admissionregistration.k8s.io";
    let mut asks = Vec::new();
    for r in [
        "mutatingwebhookconfigurations",
        "validatingwebhookconfigurations",
    ] {
        for v in ["create", "update", "patch", "delete"] {
            asks.push(ask(v, G, r, "", false));
        }
    }
    capability(ctx, rule, &asks, &|_| true, &verb_and_resource, out);
}

/// Writing bindings.
pub fn binding_write(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const G: &str = "rbac.authorization.k8s.io";
    let mut asks = Vec::new();
    for (r, namespaced) in [("clusterrolebindings", false), ("rolebindings", true)] {
        for v in ["create", "update", "patch"] {
            asks.push(ask(v, G, r, "", namespaced));
        }
    }
    capability(ctx, rule, &asks, &|_| true, &verb_and_resource, out);
}

/// Creating PersistentVolumes (hostPath volumes of any node path).
pub fn create_persistent_volumes(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ASKS: [Ask; 1] = [ask("create", "", "persistentvolumes", "", false)];
    capability(ctx, rule, &ASKS, &|_| true, &verb_and_resource, out);
}

/// Wildcards in the rules of roles (other than the bootstrap policy's): `*` in verbs,
/// resources, apiGroups or nonResourceURLs. Aggregated ClusterRoles are judged by their parts.
pub fn wildcard_rules(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let model = ctx.input.access;
    for (id, r) in model.roles.iter().enumerate() {
        if r.aggregated || ctx.is_default_role(id) {
            continue;
        }
        let object = ObjectRef::new(r.kind.as_str(), &r.namespace, &r.name);
        for (i, pr) in r.rules.iter().enumerate() {
            let fields: [(&str, &[CompactString]); 4] = [
                ("verbs", &pr.verbs),
                ("resources", &pr.resources),
                ("apiGroups", &pr.api_groups),
                ("nonResourceURLs", &pr.non_resource_urls),
            ];
            let wild: Vec<&str> = fields
                .iter()
                .filter(|(_, v)| v.iter().any(|s| s == "*"))
                .map(|(f, _)| *f)
                .collect();
            let Some(first) = wild.first() else { continue };
            let path = FieldPath::keys(&["rules"]).index(i).key(first);
            let message = format!(
                "{} {} rule {i} uses `*` in {}: {}",
                r.kind.as_str(),
                object_display(&r.namespace, &r.name),
                wild.join(", "),
                pr.compact()
            );
            out.push(Finding::new(
                rule,
                Location::new(object.clone(), &r.origin, path),
                None,
                &i.to_string(),
                message,
            ));
        }
    }
}

fn object_display(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    }
}

/// True for a subject that stands for a broad built-in set of identities.
fn broad_group(s: &Subject) -> Option<&'static str> {
    match (s.kind.as_str(), s.name.as_str()) {
        ("User", "system:anonymous") => Some("every anonymous request"),
        ("Group", UNAUTHENTICATED) => Some("every anonymous request"),
        ("Group", AUTHENTICATED) => Some("every authenticated user and service account"),
        ("Group", SERVICE_ACCOUNTS) => Some("every service account"),
        ("Group", g) if g.starts_with("system:serviceaccounts:") => {
            Some("every service account of a namespace")
        }
        _ => None,
    }
}

/// Grants to system:anonymous, system:unauthenticated, system:authenticated and the
/// service-account groups, beyond what the bootstrap policy grants them.
pub fn broad_groups(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let model = ctx.input.access;
    for (id, b) in model.bindings.iter().enumerate() {
        if ctx.is_default_binding(id) {
            continue;
        }
        let granted = match &b.role {
            Ok(role) => format!(
                "{} {}",
                model.roles[*role].kind.as_str(),
                model.roles[*role].name
            ),
            Err(_) => format!("{} {} (not found)", b.role_ref.kind, b.role_ref.name),
        };
        for (i, s) in b.subjects.iter().enumerate() {
            let Some(who) = broad_group(s) else { continue };
            let Some(subject) = subject_ref(b, s) else {
                continue;
            };
            let mut f = Finding::new(
                rule,
                Location::new(
                    binding_object(b),
                    &b.origin,
                    FieldPath::keys(&["subjects"]).index(i),
                ),
                Some(subject.clone()),
                "",
                format!(
                    "{} {} grants {granted} to {subject} ({who}) {}",
                    b.kind.as_str(),
                    display(b),
                    if b.kind == BindingKind::RoleBinding {
                        format!("in namespace {}", b.namespace)
                    } else {
                        "cluster-wide".into()
                    }
                ),
            );
            if b.role.is_ok() {
                f = f.with_evidence(vec![Evidence {
                    message: format!("roleRef: {granted}"),
                    location: Location::new(
                        binding_object(b),
                        &b.origin,
                        FieldPath::keys(&["roleRef"]),
                    ),
                }]);
            }
            out.push(f);
        }
    }
}

/// Bindings whose role does not exist: they grant nothing now, and whoever creates a role of
/// that name grants it to their subjects.
pub fn missing_roles(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let model = ctx.input.access;
    for &id in &model.unresolved_bindings {
        let b = &model.bindings[id];
        let Err(e) = &b.role else { continue };
        let hint = if crate::model::bootstrap::is_bootstrap_role(
            &b.role_ref.kind,
            if b.role_ref.kind == "Role" {
                &b.namespace
            } else {
                ""
            },
            &b.role_ref.name,
        ) {
            " (a built-in role: with -f, --bootstrap-policy adds Kubernetes' default roles)"
        } else {
            ""
        };
        out.push(Finding::new(
            rule,
            Location::new(binding_object(b), &b.origin, FieldPath::keys(&["roleRef"])),
            None,
            "",
            format!(
                "{} {} refers to a role that does not exist: {e}; it grants nothing until someone creates it, and then grants whatever that role says{hint}",
                b.kind.as_str(),
                display(b)
            ),
        ));
    }
}

/// ServiceAccount subjects that are not among the ServiceAccounts read.
pub fn missing_service_accounts(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let model = ctx.input.access;
    let inventory = ctx.input.inventory;
    if inventory
        .missing
        .iter()
        .chain(&inventory.unreadable)
        .any(|m| m.kind == "ServiceAccount")
    {
        return; // not all ServiceAccounts could be read: absence proves nothing
    }
    let known: BTreeSet<(&str, &str)> = model
        .service_accounts
        .iter()
        .map(|(ns, n)| (ns.as_str(), n.as_str()))
        .collect();
    for (id, b) in model.bindings.iter().enumerate() {
        if ctx.is_default_binding(id) {
            continue;
        }
        for (i, s) in b.subjects.iter().enumerate() {
            if s.kind != "ServiceAccount" {
                continue;
            }
            let Some(subject) = subject_ref(b, s) else {
                continue;
            };
            let ns = subject.namespace.as_deref().unwrap_or("");
            // Every namespace has a `default` ServiceAccount (its controller creates it).
            if ns.is_empty() || s.name == "default" || known.contains(&(ns, s.name.as_str())) {
                continue;
            }
            out.push(Finding::new(
                rule,
                Location::new(
                    binding_object(b),
                    &b.origin,
                    FieldPath::keys(&["subjects"]).index(i),
                ),
                Some(subject.clone()),
                "",
                format!(
                    "{} {} names {subject}, which is not among the ServiceAccounts read: whoever creates it gets the grant",
                    b.kind.as_str(),
                    display(b)
                ),
            ));
        }
    }
}

/// Bindings to a namespace's `default` ServiceAccount, which every pod without a
/// serviceAccountName runs as.
pub fn default_service_account(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let model = ctx.input.access;
    for (id, b) in model.bindings.iter().enumerate() {
        if ctx.is_default_binding(id) || b.role.is_err() {
            continue;
        }
        for (i, s) in b.subjects.iter().enumerate() {
            if s.kind != "ServiceAccount" || s.name != "default" {
                continue;
            }
            let Some(subject) = subject_ref(b, s) else {
                continue;
            };
            let role = model.role_name(*b.role.as_ref().expect("resolved"));
            out.push(
                Finding::new(
                    rule,
                    Location::new(
                        binding_object(b),
                        &b.origin,
                        FieldPath::keys(&["subjects"]).index(i),
                    ),
                    Some(subject.clone()),
                    "",
                    format!(
                        "{} {} grants {} {} to {subject}, which every pod of that namespace without a serviceAccountName runs as",
                        b.kind.as_str(),
                        display(b),
                        role.kind,
                        role.name
                    ),
                )
                .with_evidence(vec![Evidence {
                    message: format!("roleRef: {} {}", role.kind, role.name),
                    location: Location::new(
                        binding_object(b),
                        &b.origin,
                        FieldPath::keys(&["roleRef"]),
                    ),
                }]),
            );
        }
    }
}
