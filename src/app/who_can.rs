//! `kubeaudit who-can`: argument resolution (kubectl's, plus the scope a real request has)
//! and the exit code of a listing.

use std::io::Write;

use super::can_i::{correct_scope, discovery_for};
use super::load::load;
use super::{note, warn, UsageError};
use crate::cli::{GlobalArgs, OutputFormat, WhoCanArgs};
use crate::exit::Exit;
use crate::model::discovery::{Discovery, ResolutionOutcome};
use crate::output;
use crate::rbac::attributes::{Attributes, ResourceAttributes};
use crate::rbac::cani_args::{
    parse_can_i, CanIArgErrorKind, CanIFlags, ResourceScope, KNOWN_RESOURCE_VERBS,
};
use crate::rbac::who_can::{who_can_report, WhoCanOptions, WhoCanReport};

/// Resources the API server authorizes but does not serve (so discovery cannot resolve
/// them), as (group, resource). All are asked without a namespace: impersonation of users,
/// groups, UIDs and extras, and the `signers` of certificates.k8s.io (CSR approval and
/// signing).
pub const AUTHORIZATION_ONLY_RESOURCES: &[(&str, &str)] = &[
    ("", "users"),
    ("", "groups"),
    ("authentication.k8s.io", "uids"),
    ("authentication.k8s.io", "userextras"),
    ("certificates.k8s.io", "signers"),
];

/// The who-can command line settings that shape the question.
#[derive(Debug, Clone, Default)]
pub struct WhoCanFlags {
    /// The namespace in effect (-n, else the context's, else `default`).
    pub namespace: String,
    /// True when -n was given (notes then say it is ignored where it does not apply).
    pub namespace_given: bool,
    /// -A.
    pub all_namespaces: bool,
    /// --subresource.
    pub subresource: Option<String>,
}

/// A resolved who-can question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoCanTarget {
    /// The request, with the namespace a real request carries.
    pub request: Attributes,
    /// Alternatives that each suffice (a signer's `domain/*` name).
    pub also_checked: Vec<Attributes>,
    /// Ask in every namespace (-A on a namespaced or unknown resource).
    pub all_namespaces: bool,
    /// kubectl-style warnings (`Warning: ...`).
    pub warnings: Vec<String>,
    /// kubeaudit's notes on how the question was scoped.
    pub notes: Vec<String>,
}

/// Turns `VERB TARGET` into the request(s) to ask: kubectl's resolution of the type, the
/// authorization-only resources with their real group, and the namespace a real request
/// has (none for cluster-scoped resources and URLs; the object's own for a Namespace).
pub fn resolve_target(
    verb: &str,
    target: &str,
    flags: &WhoCanFlags,
    discovery: &Discovery,
) -> Result<WhoCanTarget, UsageError> {
    let mut out = WhoCanTarget {
        request: Attributes::NonResource(Default::default()),
        also_checked: Vec::new(),
        all_namespaces: false,
        warnings: Vec::new(),
        notes: Vec::new(),
    };
    let subresource = flags.subresource.clone().unwrap_or_default();
    if !target.starts_with('/') {
        let (type_arg, name) = target.split_once('/').unwrap_or((target, ""));
        if let Some((group, resource)) = authorization_only(type_arg, discovery) {
            if !KNOWN_RESOURCE_VERBS.contains(&verb) {
                out.warnings
                    .push(format!("Warning: verb '{verb}' is not a known verb"));
            }
            let request = ResourceAttributes {
                verb: verb.to_string(),
                group: group.to_string(),
                resource: resource.to_string(),
                subresource,
                name: name.to_string(),
                namespace: String::new(),
            };
            if resource == "signers" {
                let also_needed = match verb {
                    "approve" => {
                        Some("update on certificatesigningrequests.certificates.k8s.io/approval")
                    }
                    "sign" => {
                        Some("update on certificatesigningrequests.certificates.k8s.io/status")
                    }
                    _ => None,
                };
                if let Some(needed) = also_needed {
                    out.notes.push(format!(
                        "to {verb} a CertificateSigningRequest the API server also requires {needed}"
                    ));
                }
                if let Some(wildcard) = signer_wildcard(name) {
                    out.notes.push(format!(
                        "the API server also accepts {verb} on signer {wildcard:?} for signer {name:?}; both are asked"
                    ));
                    out.also_checked
                        .push(Attributes::Resource(ResourceAttributes {
                            name: wildcard,
                            ..request.clone()
                        }));
                }
            }
            cluster_scope_notes(&mut out, flags, &format!("{resource}.{group}"));
            out.request = Attributes::Resource(request);
            return Ok(out);
        }
    }
    // kubectl's resolution, as for all namespaces: the namespace is set below, by scope.
    let can_i_flags = CanIFlags {
        namespace: flags.namespace.clone(),
        all_namespaces: true,
        subresource: flags.subresource.clone(),
        ..CanIFlags::default()
    };
    let positional = [verb.to_string(), target.to_string()];
    let parsed = parse_can_i(&positional, &can_i_flags, discovery).map_err(|e| {
        UsageError(match e.kind {
            CanIArgErrorKind::WrongArgumentCount => {
                "you must specify two arguments: VERB TYPE[.GROUP][/NAME] or VERB /URL".into()
            }
            _ => e.to_string(),
        })
    })?;
    out.warnings = parsed.warnings;
    let Some(mut request) = parsed.attributes else {
        return Err(UsageError(
            "nothing to ask: give VERB and TYPE[/NAME] or a URL".into(),
        ));
    };
    match &mut request {
        // parse_can_i has already warned about an unknown non-resource verb.
        Attributes::NonResource(n) => cluster_scope_notes(&mut out, flags, &n.path),
        Attributes::Resource(r) => {
            if !KNOWN_RESOURCE_VERBS.contains(&r.verb.as_str()) {
                out.warnings
                    .push(format!("Warning: verb '{}' is not a known verb", r.verb));
            }
            r.namespace = flags.namespace.clone();
            let display = if r.group.is_empty() {
                r.resource.clone()
            } else {
                format!("{}.{}", r.resource, r.group)
            };
            let bind_cluster_role = r.verb == "bind"
                && r.group == "rbac.authorization.k8s.io"
                && r.resource == "clusterroles"
                && r.subresource.is_empty();
            let scope = if bind_cluster_role {
                out.notes.push(if flags.all_namespaces {
                    "bind on a ClusterRole is checked in the namespace of the RoleBinding that references it; * = also in ClusterRoleBindings".to_string()
                } else {
                    format!(
                        "bind on a ClusterRole is checked in the namespace of the RoleBinding that references it: asked for RoleBindings in {:?} (-A: everywhere)",
                        flags.namespace
                    )
                });
                ResourceScope::Namespaced
            } else {
                parsed.scope
            };
            match scope {
                ResourceScope::Cluster => {
                    // Drops the namespace, or for a Namespace object uses its own name.
                    let _ = correct_scope(&mut request, scope);
                    if request.namespace().is_empty() {
                        cluster_scope_notes(&mut out, flags, &display);
                    } else if flags.namespace_given || flags.all_namespaces {
                        out.notes.push(format!(
                            "a request for Namespace {0:?} carries namespace {0:?}: asked there",
                            request.namespace()
                        ));
                    }
                }
                ResourceScope::Namespaced | ResourceScope::Unknown => {
                    if flags.all_namespaces {
                        out.all_namespaces = true;
                        if let Attributes::Resource(r) = &mut request {
                            r.namespace.clear();
                        }
                    }
                }
            }
        }
    }
    out.request = request;
    Ok(out)
}

fn cluster_scope_notes(out: &mut WhoCanTarget, flags: &WhoCanFlags, what: &str) {
    if flags.all_namespaces {
        out.notes.push(format!(
            "{what} is not namespaced: -A ignored; only ClusterRoleBindings can grant it"
        ));
    } else if flags.namespace_given {
        out.notes.push(format!(
            "{what} is not namespaced: -n {} ignored; only ClusterRoleBindings can grant it",
            flags.namespace
        ));
    }
}

/// The authorization-only resource a type argument names, when discovery does not resolve
/// it: `users`, `groups`, `uids`, `userextras`, `signers`, with or without their group.
fn authorization_only(
    type_arg: &str,
    discovery: &Discovery,
) -> Option<(&'static str, &'static str)> {
    let lower = type_arg.to_lowercase();
    let (resource, group) = lower.split_once('.').unwrap_or((lower.as_str(), ""));
    let found = AUTHORIZATION_ONLY_RESOURCES
        .iter()
        .find(|(g, r)| *r == resource && (group.is_empty() || group == *g))?;
    if matches!(
        discovery.resolve(type_arg).outcome,
        ResolutionOutcome::Resolved { .. }
    ) {
        // A served resource of that name (a CRD) wins, as in kubectl.
        return None;
    }
    Some(*found)
}

/// `domain/*` for a signer name `domain/path` (the API server's second check for signers).
fn signer_wildcard(name: &str) -> Option<String> {
    let (domain, rest) = name.split_once('/')?;
    (rest != "*").then(|| format!("{domain}/*"))
}

/// Runs `who-can`: exit 0 with the list; 2 when data was missing (the list is then a
/// lower bound) unless --allow-incomplete.
pub async fn run(global: &GlobalArgs, args: WhoCanArgs) -> anyhow::Result<Exit> {
    if global.as_user.is_some() || !global.as_group.is_empty() {
        return Err(UsageError(
            "who-can lists subjects; --as/--as-group do not apply (use can-i --as USER)".into(),
        )
        .into());
    }
    let loaded = load(global).await?;
    let discovery = discovery_for(&loaded);
    let flags = WhoCanFlags {
        namespace: loaded.namespace(global),
        namespace_given: global.namespace.is_some(),
        all_namespaces: global.all_namespaces,
        subresource: args.subresource.clone(),
    };
    let target = resolve_target(&args.verb, &args.target, &flags, &discovery)?;
    for w in &target.warnings {
        let _ = writeln!(std::io::stderr(), "{w}");
    }
    for n in &target.notes {
        note(n);
    }
    let model = loaded.compile();
    let mut messages = target.warnings.clone();
    messages.extend(target.notes.iter().map(|n| format!("Note: {n}")));
    let report = who_can_report(
        &model,
        target.request,
        target.also_checked,
        WhoCanOptions {
            all_namespaces: target.all_namespaces,
            expand_groups: args.expand_groups,
        },
        messages,
    );
    for e in &report.errors {
        warn(format_args!("binding grants nothing: {e}"));
    }
    print(&report, &args, global)?;
    Ok(exit_for(&report, global))
}

fn print(report: &WhoCanReport, args: &WhoCanArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output {
        OutputFormat::Json => output::write_json(&mut out, report)?,
        OutputFormat::Yaml => output::write_yaml(&mut out, report)?,
        OutputFormat::Table => {
            output::who_can::write_table(&mut out, report, false, global.no_headers)?
        }
        OutputFormat::Wide => {
            output::who_can::write_table(&mut out, report, true, global.no_headers)?
        }
    }
    out.flush()?;
    Ok(())
}

/// 0 for a complete list; 2 for a lower bound (data missing) unless --allow-incomplete.
pub fn exit_for(report: &WhoCanReport, global: &GlobalArgs) -> Exit {
    if report.complete {
        return Exit::Yes;
    }
    let missing = report
        .missing
        .iter()
        .map(|m| match &m.namespace {
            Some(ns) => format!("{} in {ns}: {}", m.kind, m.reason),
            None => format!("{}: {}", m.kind, m.reason),
        })
        .collect::<Vec<_>>()
        .join("; ");
    if global.allow_incomplete {
        warn(format_args!(
            "the list is a lower bound: some data could not be read ({missing})"
        ));
        return Exit::Yes;
    }
    let _ = writeln!(
        std::io::stderr(),
        "error: the list is only a lower bound: some data could not be read ({missing}); use --allow-incomplete to accept it"
    );
    Exit::Error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(ns: &str, given: bool, all: bool) -> WhoCanFlags {
        WhoCanFlags {
            namespace: ns.into(),
            namespace_given: given,
            all_namespaces: all,
            subresource: None,
        }
    }

    fn resource(t: &WhoCanTarget) -> &ResourceAttributes {
        match &t.request {
            Attributes::Resource(r) => r,
            other => panic!("expected a resource request, got {other:?}"),
        }
    }

    #[test]
    fn namespaced_cluster_scoped_and_namespace_objects() {
        let d = Discovery::builtin();
        let t = resolve_target("get", "po", &flags("shop", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "shop");
        assert!(!t.all_namespaces);
        let t = resolve_target("get", "pods", &flags("shop", true, true), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "");
        assert!(t.all_namespaces);
        let t = resolve_target("delete", "nodes", &flags("default", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "");
        assert!(t.notes.is_empty() && t.warnings.is_empty(), "{t:?}");
        let t = resolve_target("delete", "nodes", &flags("shop", true, true), &d).expect("ok");
        assert!(!t.all_namespaces);
        assert_eq!(t.notes.len(), 1);
        let t = resolve_target("delete", "ns/shop", &flags("x", true, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "shop");
        let t = resolve_target("list", "namespaces", &flags("x", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "");
    }

    #[test]
    fn escalation_and_authorization_only_resources() {
        let d = Discovery::builtin();
        let t = resolve_target("impersonate", "users/alice", &flags("a", false, false), &d)
            .expect("ok");
        let r = resource(&t);
        assert_eq!(
            (r.group.as_str(), r.resource.as_str(), r.name.as_str()),
            ("", "users", "alice")
        );
        assert!(t.warnings.is_empty());
        let t = resolve_target("impersonate", "uids", &flags("a", true, false), &d).expect("ok");
        assert_eq!(resource(&t).group, "authentication.k8s.io");
        assert_eq!(resource(&t).namespace, "");
        assert!(t.warnings.is_empty());
        let mut f = flags("a", false, false);
        f.subresource = Some("scopes".into());
        let t = resolve_target(
            "impersonate",
            "userextras.authentication.k8s.io/view",
            &f,
            &d,
        )
        .expect("ok");
        let r = resource(&t);
        assert_eq!(
            (r.resource.as_str(), r.subresource.as_str(), r.name.as_str()),
            ("userextras", "scopes", "view")
        );
        let t = resolve_target(
            "approve",
            "signers.certificates.k8s.io/kubernetes.io/kube-apiserver-client",
            &flags("a", false, false),
            &d,
        )
        .expect("ok");
        assert_eq!(resource(&t).name, "kubernetes.io/kube-apiserver-client");
        match &t.also_checked[..] {
            [Attributes::Resource(w)] => assert_eq!(w.name, "kubernetes.io/*"),
            other => panic!("{other:?}"),
        }
        let t =
            resolve_target("escalate", "clusterroles", &flags("a", false, false), &d).expect("ok");
        assert_eq!(resource(&t).group, "rbac.authorization.k8s.io");
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        let t = resolve_target("bind", "roles/x", &flags("a", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "a");
        // bind on a ClusterRole is checked in the namespace of the RoleBinding being made.
        let t =
            resolve_target("bind", "clusterroles/edit", &flags("a", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "a");
        let t = resolve_target("bind", "clusterroles", &flags("a", false, true), &d).expect("ok");
        assert!(t.all_namespaces);
        let t =
            resolve_target("escalate", "clusterroles", &flags("a", true, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "");
    }

    #[test]
    fn unknown_types_and_verbs_warn_but_are_asked() {
        let d = Discovery::builtin();
        let t = resolve_target("frob", "gizmos.example.com", &flags("a", false, false), &d)
            .expect("ok");
        assert_eq!(
            t.warnings,
            [
                "Warning: the server doesn't have a resource type 'gizmos' in group 'example.com'",
                "Warning: verb 'frob' is not a known verb"
            ]
        );
        let r = resource(&t);
        assert_eq!(
            (r.resource.as_str(), r.namespace.as_str()),
            ("gizmos.example.com", "a")
        );
        let t = resolve_target("get", "/healthz", &flags("a", true, false), &d).expect("ok");
        assert!(matches!(t.request, Attributes::NonResource(_)));
        assert_eq!(t.notes.len(), 1);
        let mut f = flags("a", false, false);
        f.subresource = Some("log".into());
        assert!(resolve_target("get", "/logs", &f, &d).is_err());
    }

    #[test]
    fn incomplete_data_makes_a_lower_bound_and_exit_2_unless_allowed() {
        use crate::model::{AccessModel, Inventory, MissingData};
        let mut inv = Inventory::default();
        inv.missing.push(MissingData {
            kind: "RoleBinding".into(),
            namespace: Some("shop".into()),
            reason: "forbidden".into(),
            code: Some(403),
        });
        let model = AccessModel::build(&inv);
        let d = Discovery::builtin();
        let t = resolve_target("get", "pods", &flags("shop", false, false), &d).expect("ok");
        let report = who_can_report(
            &model,
            t.request,
            t.also_checked,
            WhoCanOptions::default(),
            t.warnings,
        );
        assert!(!report.complete);
        assert_eq!(report.missing.len(), 1);
        let mut global = GlobalArgs::default();
        assert_eq!(exit_for(&report, &global), Exit::Error);
        global.allow_incomplete = true;
        assert_eq!(exit_for(&report, &global), Exit::Yes);
        let json = serde_json::to_value(&report).expect("serializable");
        assert_eq!(json["complete"], false);
        assert_eq!(json["missing"][0]["kind"], "RoleBinding");
        let empty = AccessModel::build(&Inventory::default());
        let complete = who_can_report(
            &empty,
            report.request.clone(),
            Vec::new(),
            WhoCanOptions::default(),
            Vec::new(),
        );
        assert_eq!(exit_for(&complete, &GlobalArgs::default()), Exit::Yes);
    }
}
