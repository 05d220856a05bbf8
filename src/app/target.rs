//! What a `VERB TARGET` question asks, as a real request would ask it: kubectl's resolution of
//! the type (`kubectl auth can-i`'s), then the authorization-only resources in their real API
//! group, and the namespace a real request carries (none for cluster-scoped resources and URLs;
//! the object's own for a Namespace; the RoleBinding's for `bind` on a ClusterRole). Shared by
//! `can-i` and `who-can`, so the two always ask the same question.

use super::UsageError;
use crate::model::discovery::{Discovery, ResolutionOutcome};
use crate::rbac::attributes::{Attributes, ResourceAttributes};
use crate::rbac::cani_args::{
    parse_can_i, CanIArgErrorKind, CanIFlags, ResourceScope, KNOWN_RESOURCE_VERBS,
};

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

/// The command line settings that shape the question.
#[derive(Debug, Clone, Default)]
pub struct TargetFlags {
    /// The namespace in effect (-n, else the context's, else `default`).
    pub namespace: String,
    /// True when -n was given (notes then say it is ignored where it does not apply).
    pub namespace_given: bool,
    /// -A.
    pub all_namespaces: bool,
    /// --subresource.
    pub subresource: Option<String>,
}

/// A resolved question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
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
    flags: &TargetFlags,
    discovery: &Discovery,
) -> Result<Target, UsageError> {
    let mut out = Target {
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
                    drop_cluster_namespace(&mut request);
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

fn cluster_scope_notes(out: &mut Target, flags: &TargetFlags, what: &str) {
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
pub fn authorization_only(
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
pub fn signer_wildcard(name: &str) -> Option<String> {
    let (domain, rest) = name.split_once('/')?;
    (rest != "*").then(|| format!("{domain}/*"))
}

/// A real request for a cluster-scoped resource carries no namespace — except a request for a
/// Namespace object, which carries the namespace's own name (as the API server derives it).
fn drop_cluster_namespace(request: &mut Attributes) {
    if let Attributes::Resource(r) = request {
        r.namespace = if r.group.is_empty() && r.resource == "namespaces" && !r.name.is_empty() {
            r.name.clone()
        } else {
            String::new()
        };
    }
}
