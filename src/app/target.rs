//! What a `VERB TARGET` question asks, as a real request would ask it: kubectl's resolution of
//! the type (`kubectl auth can-i`'s), then the authorization-only resources in their real API
//! group, and the namespace a real request carries (none for cluster-scoped resources and URLs;
//! the object's own for a Namespace; the RoleBinding's for `bind` on a ClusterRole). Shared by
//! `can-i` and `who-can`, so the two always ask the same question.

use super::UsageError;
use crate::model::discovery::{Discovery, ResolutionOutcome};
use crate::rbac::attributes::{Attributes, ResourceAttributes};
use crate::rbac::cani_args::{
    parse_can_i, CanIArgError, CanIArgErrorKind, CanIFlags, ResourceScope,
    KNOWN_NON_RESOURCE_VERBS, KNOWN_RESOURCE_VERBS,
};
use compact_str::CompactString;

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
    /// Verbs the loaded rules name (besides the standard ones, these are not typos).
    pub rule_verbs: std::collections::BTreeSet<String>,
    /// --allow-unknown: an unknown verb or bare type is asked as written, as kubectl does.
    pub allow_unknown: bool,
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
    check_verb(verb, target.starts_with('/'), flags, &mut out.notes)?;
    if !target.starts_with('/') {
        let (type_arg, name) = target.split_once('/').unwrap_or((target, ""));
        if let Some((group, resource)) = authorization_only(type_arg, discovery) {
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
    if let Some(written) = unknown_type(verb, target, flags, discovery, &mut out)? {
        return Ok(written);
    }
    // kubectl's resolution, as for all namespaces: the namespace is set below, by scope.
    let can_i_flags = CanIFlags {
        namespace: flags.namespace.clone(),
        all_namespaces: true,
        subresource: flags.subresource.clone(),
        ..CanIFlags::default()
    };
    let positional = [verb.to_string(), target.to_string()];
    let parsed = parse_can_i(&positional, &can_i_flags, discovery).map_err(in_our_words)?;
    out.warnings = kept_warnings(parsed.warnings);
    let Some(mut request) = parsed.attributes else {
        return Err(UsageError(
            "nothing to ask: give VERB and TYPE[/NAME] or a URL".into(),
        ));
    };
    match &mut request {
        Attributes::NonResource(n) => cluster_scope_notes(&mut out, flags, &n.path),
        Attributes::Resource(r) => {
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

/// A kubectl argument error in kubeaudit's words (kubectl's text points at kubectl's help).
pub fn in_our_words(e: CanIArgError) -> UsageError {
    UsageError(match e.kind {
        CanIArgErrorKind::WrongArgumentCount => {
            "you must specify two arguments: VERB TYPE[.GROUP][/NAME] or VERB /URL (see 'kubeaudit can-i --help')".into()
        }
        _ => e.to_string(),
    })
}

/// kubectl's warnings without the two that [`resolve_target`] turns into errors or notes of
/// its own: "the server doesn't have a resource type" (there may be no server, and an unknown
/// type is handled by `unknown_type`) and "not a known verb" (`check_verb`).
pub fn kept_warnings(warnings: Vec<String>) -> Vec<String> {
    warnings
        .into_iter()
        .filter(|w| {
            !w.starts_with("Warning: the server doesn't have")
                && !w.ends_with("is not a known verb")
        })
        .collect()
}

/// The verbs the loaded rules name (not typos, whatever they are), when `verb` — the verb
/// asked about `target` — is not a standard one for it; empty when it is (it is no typo, and
/// no rule is looked at).
pub fn rule_verbs(
    inventory: &crate::model::Inventory,
    verb: &str,
    target: &str,
) -> std::collections::BTreeSet<String> {
    if standard_verbs(target.starts_with('/')).contains(&verb) {
        return Default::default();
    }
    // A few distinct verbs among 100,000s: told apart borrowed, copied once each.
    let distinct: std::collections::HashSet<&str, ahash::RandomState> = inventory
        .roles
        .iter()
        .flat_map(|r| r.rules.iter())
        .flat_map(|rule| rule.verbs.iter().map(CompactString::as_str))
        .collect();
    distinct.into_iter().map(str::to_string).collect()
}

/// The standard verbs of a request about a URL (`non_resource`) or about resources.
fn standard_verbs(non_resource: bool) -> &'static [&'static str] {
    if non_resource {
        KNOWN_NON_RESOURCE_VERBS
    } else {
        KNOWN_RESOURCE_VERBS
    }
}

/// An unknown verb is a typo unless the rules name it or --allow-unknown says it is meant:
/// an error with the closest known verb; meant, a note.
fn check_verb(
    verb: &str,
    non_resource: bool,
    flags: &TargetFlags,
    notes: &mut Vec<String>,
) -> Result<(), UsageError> {
    let standard = standard_verbs(non_resource);
    if standard.contains(&verb) || flags.rule_verbs.contains(verb) {
        return Ok(());
    }
    if flags.allow_unknown {
        notes.push(format!(
            "verb {verb:?} is not a standard verb and no loaded rule names it: asked as written"
        ));
        return Ok(());
    }
    let candidates = standard
        .iter()
        .copied()
        .filter(|v| *v != "*")
        .chain(flags.rule_verbs.iter().map(String::as_str));
    Err(UsageError(format!(
        "unknown verb {verb:?}{}: not a standard verb{} and no loaded rule names it; to ask about a custom verb as written, add --allow-unknown",
        did_you_mean(verb, candidates),
        if non_resource { " for a URL" } else { "" }
    )))
}

/// A type argument that neither the built-in table nor the inputs' CustomResourceDefinitions
/// know. kubectl would send the whole argument as a core-group resource because a server
/// would have resolved it; here that is simply wrong. With a group written (`TYPE.GROUP`,
/// `TYPE.VERSION.GROUP`) the group and resource are asked as given; a bare name is a typo
/// (an error with a suggestion) unless --allow-unknown. Returns the finished target for the
/// first case; `None` when kubectl's resolution applies.
fn unknown_type(
    verb: &str,
    target: &str,
    flags: &TargetFlags,
    discovery: &Discovery,
    out: &mut Target,
) -> Result<Option<Target>, UsageError> {
    if target.starts_with('/') {
        return Ok(None);
    }
    let (type_arg, name) = target.split_once('/').unwrap_or((target, ""));
    if type_arg == "*" || type_arg.is_empty() {
        return Ok(None);
    }
    let resolution = discovery.resolve(type_arg);
    if !matches!(resolution.outcome, ResolutionOutcome::NoMatch) {
        return Ok(None);
    }
    let lower = type_arg.to_lowercase();
    let (resource, group) = written_group_resource(&lower);
    if group.is_empty() {
        if flags.allow_unknown {
            out.notes.push(format!(
                "resource type {type_arg:?} is not in the built-in table or the inputs' CustomResourceDefinitions: asked as resource {type_arg:?} of the core group, as written"
            ));
            return Ok(None);
        }
        let known = discovery.iter().flat_map(|r| {
            std::iter::once(r.plural.as_str())
                .chain(std::iter::once(r.singular.as_str()))
                .chain(r.short_names.iter().map(String::as_str))
        });
        return Err(UsageError(format!(
            "unknown resource type {type_arg:?}{}: not in the built-in table of Kubernetes 1.35 types or the inputs' CustomResourceDefinitions; for a type of another API group write TYPE.GROUP (e.g. widgets.example.com), or add --allow-unknown to ask as written",
            did_you_mean(&lower, known)
        )));
    }
    out.notes.push(format!(
        "resource type {type_arg:?} is not in the built-in table or the inputs' CustomResourceDefinitions: asked as resource {resource:?} in group {group:?}, as written; its scope is unknown, so RoleBindings of the namespace count (if it is cluster-scoped, ask without -n)"
    ));
    let mut request = ResourceAttributes {
        verb: verb.to_string(),
        group: group.to_string(),
        resource: resource.to_string(),
        subresource: flags.subresource.clone().unwrap_or_default(),
        name: name.to_string(),
        namespace: flags.namespace.clone(),
    };
    if flags.all_namespaces {
        out.all_namespaces = true;
        request.namespace.clear();
    }
    let mut done = std::mem::replace(
        out,
        Target {
            request: Attributes::NonResource(Default::default()),
            also_checked: Vec::new(),
            all_namespaces: false,
            warnings: Vec::new(),
            notes: Vec::new(),
        },
    );
    done.request = Attributes::Resource(request);
    Ok(Some(done))
}

/// `(resource, group)` of a lower-cased `TYPE[.VERSION].GROUP` argument: the second part is
/// a version when it looks like one (`v1`, `v2beta1`), else part of the group.
fn written_group_resource(arg: &str) -> (&str, &str) {
    let Some((resource, rest)) = arg.split_once('.') else {
        return (arg, "");
    };
    if let Some((first, group)) = rest.split_once('.') {
        if is_version(first) {
            return (resource, group);
        }
    }
    (resource, rest)
}

fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let tail = &rest[digits..];
    tail.is_empty()
        || ["alpha", "beta"].iter().any(|p| {
            tail.strip_prefix(p)
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
}

/// ` (did you mean "X"?)` for the closest candidate within two edits (the first of equals),
/// else nothing.
fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let best = candidates
        .filter(|c| !c.is_empty())
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2 && *d < c.len().max(word.len()))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, c)) => format!(" (did you mean {c:?}?)"),
        None => String::new(),
    }
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
