//! `kubectl auth can-i` argument handling: how kubectl turns its command line into the
//! SelfSubjectAccessReview it sends (its `Complete` and `Validate` steps), with the same
//! warnings and errors, so that kubeaudit asks exactly what kubectl would ask.
//!
//! Semantics worth knowing (spec §12):
//! * the verb is sent as typed (no lower-casing);
//! * the second argument is a non-resource URL when it starts with `/`, otherwise it is split
//!   at the first `/` into TYPE and resource name (`pods/log` = resource `pods`, name `log`;
//!   subresources need `--subresource`);
//! * TYPE `*` is resource `*` in the core group; other types go through kubectl's REST
//!   mapper ([`Discovery::resolve`]); an unresolved type is sent as the original string
//!   with group `""` (with a warning, except for `users` and `groups`);
//! * the namespace is the context's (or `-n`) even for cluster-scoped resources, `""` with
//!   `-A`.

use serde::{Deserialize, Serialize};

use super::attributes::{Attributes, NonResourceAttributes, ResourceAttributes};
use crate::model::discovery::{Discovery, ResolutionOutcome, ResourceInfo};

/// Verbs kubectl knows for resource requests; others draw a warning (not with `-A`).
pub const KNOWN_RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];

/// Verbs kubectl knows for non-resource URLs; others draw a warning.
pub const KNOWN_NON_RESOURCE_VERBS: &[&str] = &[
    "get", "put", "post", "head", "options", "delete", "patch", "*",
];

/// Types the API server authorizes but discovery cannot list (impersonation targets);
/// kubectl sends them without the "doesn't have a resource type" warning.
pub const NON_STANDARD_RESOURCE_NAMES: &[&str] = &["users", "groups"];

/// The `can-i` flags that shape the request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CanIFlags {
    /// The effective namespace: `-n`, else the kubeconfig context's, else `default`.
    pub namespace: String,
    /// `-A/--all-namespaces`.
    pub all_namespaces: bool,
    /// `--subresource`; `Some("")` counts as not given, like kubectl's empty default.
    pub subresource: Option<String>,
    /// `--list`.
    pub list: bool,
    /// `-q/--quiet`.
    pub quiet: bool,
    /// `--no-headers`.
    pub no_headers: bool,
}

/// What discovery says about the scope of the requested resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResourceScope {
    /// A namespaced resource.
    Namespaced,
    /// A cluster-scoped resource: the namespace kubectl sends is meaningless to a real
    /// request (spec §12.5).
    Cluster,
    /// Not a resolved resource: `*`, an unknown type, `users`/`groups`, a non-resource URL,
    /// or `--list`.
    Unknown,
}

/// The request `kubectl auth can-i` would send, plus what it prints on stderr first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CanIRequest {
    /// The SelfSubjectAccessReview attributes; `None` with `--list`.
    pub attributes: Option<Attributes>,
    /// With `--list`: the namespace of the SelfSubjectRulesReview.
    pub list_namespace: Option<String>,
    /// Each warning as kubectl prints it (`Warning: ...`, without the trailing newlines).
    pub warnings: Vec<String>,
    /// The scope of the resolved resource.
    pub scope: ResourceScope,
    /// Discovery's entry for the resolved resource.
    pub resolved: Option<ResourceInfo>,
}

/// A command line kubectl rejects, with kubectl's exact message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanIArgErrorKind {
    /// `--list` with positional arguments.
    #[error("list option must be specified with no arguments")]
    ListWithArguments,
    /// Not exactly two positional arguments.
    #[error("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.")]
    WrongArgumentCount,
    /// `--list` with `--quiet`, `-A` or `--subresource`.
    #[error(
        "list option can't be specified with neither quiet, all-namespaces nor subresource options"
    )]
    ListWithIncompatibleFlags,
    /// `--subresource` with a non-resource URL.
    #[error("--subresource can not be used with NonResourceURL")]
    SubresourceWithNonResourceUrl,
    /// `--no-headers` without `--list`.
    #[error("--no-headers cannot be set without --list specified")]
    NoHeadersWithoutList,
}

/// A rejected command line, with the warnings kubectl had already printed before failing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct CanIArgError {
    /// What is wrong; its `Display` is kubectl's message.
    pub kind: CanIArgErrorKind,
    /// Warnings printed before the error, as in [`CanIRequest::warnings`].
    pub warnings: Vec<String>,
}

/// Prefixes a message the way kubectl's warning printer does.
fn warning(message: impl AsRef<str>) -> String {
    format!("Warning: {}", message.as_ref())
}

/// The resource part of a request after type resolution.
struct ResolvedType {
    group: String,
    version: String,
    resource: String,
    info: Option<ResourceInfo>,
}

/// kubectl's `resourceFor`: `*` as is, else the REST mapper, else the original string.
fn resource_for(type_arg: &str, discovery: &Discovery, warnings: &mut Vec<String>) -> ResolvedType {
    let raw = || ResolvedType {
        group: String::new(),
        version: String::new(),
        resource: type_arg.to_string(),
        info: None,
    };
    if type_arg == "*" {
        return raw();
    }
    let resolution = discovery.resolve(type_arg);
    warnings.extend(resolution.warnings.iter().map(warning));
    match resolution.outcome {
        ResolutionOutcome::Resolved { gvr, info } => ResolvedType {
            group: gvr.group,
            version: gvr.version,
            resource: gvr.resource,
            info: info.map(|b| *b),
        },
        ResolutionOutcome::NoMatch
        | ResolutionOutcome::Ambiguous { .. }
        | ResolutionOutcome::Empty => {
            let parsed = &resolution.parsed;
            if !NON_STANDARD_RESOURCE_NAMES.contains(&parsed.to_kube_string().as_str()) {
                warnings.push(if parsed.group.is_empty() {
                    warning(format!(
                        "the server doesn't have a resource type '{}'",
                        parsed.resource
                    ))
                } else {
                    warning(format!(
                        "the server doesn't have a resource type '{}' in group '{}'",
                        parsed.resource, parsed.group
                    ))
                });
            }
            raw()
        }
    }
}

/// Emulates `kubectl auth can-i [flags] ARGS...` up to the request it sends: kubectl's
/// `Complete` then `Validate`, with their warnings (in order) and errors.
pub fn parse_can_i(
    args: &[String],
    flags: &CanIFlags,
    discovery: &Discovery,
) -> Result<CanIRequest, CanIArgError> {
    let mut warnings = Vec::new();
    let fail = |kind, warnings: Vec<String>| Err(CanIArgError { kind, warnings });

    // Complete.
    let mut verb = String::new();
    let mut non_resource_url: Option<String> = None;
    let mut resolved: Option<ResolvedType> = None;
    let mut resource_name = String::new();
    if flags.list {
        if !args.is_empty() {
            return fail(CanIArgErrorKind::ListWithArguments, warnings);
        }
    } else {
        let [first, second] = args else {
            return fail(CanIArgErrorKind::WrongArgumentCount, warnings);
        };
        verb = first.clone();
        if second.starts_with('/') {
            non_resource_url = Some(second.clone());
        } else {
            let (type_arg, name) = match second.split_once('/') {
                Some((t, n)) => (t, n),
                None => (second.as_str(), ""),
            };
            resolved = Some(resource_for(type_arg, discovery, &mut warnings));
            resource_name = name.to_string();
        }
    }
    let namespace = if flags.all_namespaces {
        String::new()
    } else {
        flags.namespace.clone()
    };
    let subresource = flags.subresource.clone().unwrap_or_default();

    // Validate.
    if flags.list {
        if flags.quiet || flags.all_namespaces || !subresource.is_empty() {
            return fail(CanIArgErrorKind::ListWithIncompatibleFlags, warnings);
        }
        return Ok(CanIRequest {
            attributes: None,
            list_namespace: Some(namespace),
            warnings,
            scope: ResourceScope::Unknown,
            resolved: None,
        });
    }
    if let Some(url) = &non_resource_url {
        if !subresource.is_empty() {
            return fail(CanIArgErrorKind::SubresourceWithNonResourceUrl, warnings);
        }
        if !KNOWN_NON_RESOURCE_VERBS.contains(&verb.as_str()) {
            warnings.push(warning(format!("verb '{verb}' is not a known verb")));
        }
        if flags.no_headers {
            return fail(CanIArgErrorKind::NoHeadersWithoutList, warnings);
        }
        return Ok(CanIRequest {
            attributes: Some(Attributes::NonResource(NonResourceAttributes {
                verb,
                path: url.clone(),
            })),
            list_namespace: None,
            warnings,
            scope: ResourceScope::Unknown,
            resolved: None,
        });
    }

    let target = resolved.unwrap_or(ResolvedType {
        group: String::new(),
        version: String::new(),
        resource: String::new(),
        info: None,
    });
    // kubectl skips these checks for an empty type (nothing to look up).
    let empty = target.group.is_empty() && target.version.is_empty() && target.resource.is_empty();
    if !empty && !flags.all_namespaces {
        // kubectl asks discovery for the resolved group/version; unresolved types have no
        // version, the lookup fails and no scope warning is printed. `*` counts as namespaced.
        let cluster_scoped = target.resource != "*"
            && discovery
                .lookup_version(&target.group, &target.version, &target.resource)
                .is_some_and(|r| !r.namespaced);
        if cluster_scoped {
            warnings.push(if target.group.is_empty() {
                warning(format!(
                    "resource '{}' is not namespace scoped",
                    target.resource
                ))
            } else {
                warning(format!(
                    "resource '{}' is not namespace scoped in group '{}'",
                    target.resource, target.group
                ))
            });
        }
        if !KNOWN_RESOURCE_VERBS.contains(&verb.as_str()) {
            warnings.push(warning(format!("verb '{verb}' is not a known verb")));
        }
    }
    if flags.no_headers {
        return fail(CanIArgErrorKind::NoHeadersWithoutList, warnings);
    }

    let scope = match &target.info {
        Some(info) if info.namespaced => ResourceScope::Namespaced,
        Some(_) => ResourceScope::Cluster,
        None => ResourceScope::Unknown,
    };
    Ok(CanIRequest {
        attributes: Some(Attributes::Resource(ResourceAttributes {
            verb,
            group: target.group,
            resource: target.resource,
            subresource,
            name: resource_name,
            namespace,
        })),
        list_namespace: None,
        warnings,
        scope,
        resolved: target.info,
    })
}

/// kubectl's output for a single check: stdout text and exit code. `yes` (exit 0), or `no`
/// followed by ` - <reason>` and ` - <evaluationError>` when present (exit 1). `--quiet`
/// empties stdout and keeps the exit code.
pub fn format_can_i_result(
    allowed: bool,
    reason: &str,
    evaluation_error: &str,
    quiet: bool,
) -> (String, i32) {
    let code = if allowed { 0 } else { 1 };
    if quiet {
        return (String::new(), code);
    }
    if allowed {
        return ("yes\n".to_string(), code);
    }
    let mut out = String::from("no");
    if !reason.is_empty() {
        out.push_str(" - ");
        out.push_str(reason);
    }
    if !evaluation_error.is_empty() {
        out.push_str(" - ");
        out.push_str(evaluation_error);
    }
    out.push('\n');
    (out, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    fn ns(n: &str) -> CanIFlags {
        CanIFlags {
            namespace: n.to_string(),
            ..CanIFlags::default()
        }
    }

    fn resource(req: &CanIRequest) -> &ResourceAttributes {
        match &req.attributes {
            Some(Attributes::Resource(r)) => r,
            other => panic!("expected resource attributes, got {other:?}"),
        }
    }

    #[test]
    fn cluster_scoped_in_group_warning_and_scope() {
        let d = Discovery::builtin();
        let req = parse_can_i(&args(&["get", "clusterroles"]), &ns("dev"), &d).expect("valid");
        assert_eq!(
            req.warnings,
            ["Warning: resource 'clusterroles' is not namespace scoped in group 'rbac.authorization.k8s.io'"]
        );
        assert_eq!(req.scope, ResourceScope::Cluster);
        assert_eq!(resource(&req).namespace, "dev");
        let req = parse_can_i(&args(&["get", "po"]), &ns("dev"), &d).expect("valid");
        assert_eq!(req.scope, ResourceScope::Namespaced);
        assert_eq!(req.resolved.map(|r| r.kind), Some("Pod".to_string()));
    }

    #[test]
    fn unknown_types_keep_the_original_string() {
        let d = Discovery::builtin();
        let req = parse_can_i(&args(&["get", "Gizmos/x"]), &ns("a"), &d).expect("valid");
        assert_eq!(
            req.warnings,
            ["Warning: the server doesn't have a resource type 'gizmos'"]
        );
        let r = resource(&req);
        assert_eq!(
            (r.resource.as_str(), r.group.as_str(), r.name.as_str()),
            ("Gizmos", "", "x")
        );
        assert_eq!(req.scope, ResourceScope::Unknown);
        // Groups is silently accepted, whatever its case; users.x is not.
        let req = parse_can_i(&args(&["impersonate", "Groups"]), &ns("a"), &d).expect("valid");
        assert!(req.warnings.is_empty());
        assert_eq!(resource(&req).resource, "Groups");
        let req = parse_can_i(&args(&["impersonate", "users.x"]), &ns("a"), &d).expect("valid");
        assert_eq!(
            req.warnings,
            ["Warning: the server doesn't have a resource type 'users' in group 'x'"]
        );
        // uids are not special to kubectl.
        let req = parse_can_i(&args(&["impersonate", "uids"]), &ns("a"), &d).expect("valid");
        assert_eq!(
            req.warnings,
            ["Warning: the server doesn't have a resource type 'uids'"]
        );
    }

    #[test]
    fn star_and_empty_types() {
        let d = Discovery::builtin();
        let req = parse_can_i(&args(&["frob", "*"]), &ns("a"), &d).expect("valid");
        assert_eq!(req.warnings, ["Warning: verb 'frob' is not a known verb"]);
        // An empty type: warning from the mapper, but no verb check (kubectl skips it).
        let req = parse_can_i(&args(&["frob", ""]), &ns("a"), &d).expect("valid");
        assert_eq!(
            req.warnings,
            ["Warning: the server doesn't have a resource type ''"]
        );
    }

    #[test]
    fn warnings_before_errors_are_kept_in_order() {
        let d = Discovery::builtin();
        let flags = CanIFlags {
            no_headers: true,
            ..ns("a")
        };
        let err = parse_can_i(&args(&["GET", "ev"]), &flags, &d).expect_err("no-headers");
        assert_eq!(err.kind, CanIArgErrorKind::NoHeadersWithoutList);
        assert_eq!(
            err.warnings,
            [
                "Warning: short name \"ev\" could also match lower priority resource events.events.k8s.io",
                "Warning: verb 'GET' is not a known verb",
            ]
        );
    }

    #[test]
    fn list_mode() {
        let d = Discovery::builtin();
        let flags = CanIFlags {
            list: true,
            no_headers: true,
            ..ns("team")
        };
        let req = parse_can_i(&[], &flags, &d).expect("valid");
        assert_eq!(req.attributes, None);
        assert_eq!(req.list_namespace.as_deref(), Some("team"));
        for bad in [
            CanIFlags {
                quiet: true,
                ..flags.clone()
            },
            CanIFlags {
                subresource: Some("log".into()),
                ..flags.clone()
            },
        ] {
            assert_eq!(
                parse_can_i(&[], &bad, &d).map_err(|e| e.kind),
                Err(CanIArgErrorKind::ListWithIncompatibleFlags)
            );
        }
        // An empty --subresource is the same as none.
        let ok = CanIFlags {
            subresource: Some(String::new()),
            ..flags
        };
        assert!(parse_can_i(&[], &ok, &d).is_ok());
    }

    #[test]
    fn argument_count_error_text() {
        let d = Discovery::builtin();
        let err = parse_can_i(&args(&["get", "pods", "extra"]), &ns("a"), &d).expect_err("3 args");
        assert_eq!(
            err.to_string(),
            "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples."
        );
    }

    #[test]
    fn output_formatting() {
        assert_eq!(
            format_can_i_result(true, "ignored", "", false),
            ("yes\n".into(), 0)
        );
        assert_eq!(
            format_can_i_result(false, "", "", false),
            ("no\n".into(), 1)
        );
        assert_eq!(
            format_can_i_result(false, "r", "e", false),
            ("no - r - e\n".into(), 1)
        );
        assert_eq!(
            format_can_i_result(false, "", "e", false),
            ("no - e\n".into(), 1)
        );
        assert_eq!(format_can_i_result(true, "", "", true), (String::new(), 0));
    }
}
