//! PolicyRule matching, exactly as Kubernetes' `RuleAllows` (evaluation_helpers.go).
//!
//! Every comparison is exact and case-sensitive; `*` is a wildcard only in verbs, apiGroups,
//! resources and nonResourceURLs.

use serde::{Deserialize, Serialize};

use super::attributes::{Attributes, NonResourceAttributes, ResourceAttributes};
use crate::model::PolicyRule;

/// True when `rule` allows the request.
pub fn rule_allows(attrs: &Attributes, rule: &PolicyRule) -> bool {
    match attrs {
        Attributes::Resource(r) => resource_rule_allows(r, rule),
        Attributes::NonResource(n) => non_resource_rule_allows(n, rule),
    }
}

/// Resource request matching: verb, group, resource (with subresource forms) and name.
pub fn resource_rule_allows(r: &ResourceAttributes, rule: &PolicyRule) -> bool {
    verb_matches(&rule.verbs, &r.verb)
        && group_matches(&rule.api_groups, &r.group)
        && resource_matches(&rule.resources, &r.resource, &r.subresource)
        && name_matches(&rule.resource_names, &r.name)
}

/// Non-resource request matching: verb and URL (exact, `*`, or trailing-`*` prefix).
pub fn non_resource_rule_allows(n: &NonResourceAttributes, rule: &PolicyRule) -> bool {
    verb_matches(&rule.verbs, &n.verb) && url_matches(&rule.non_resource_urls, &n.path)
}

/// `verbs` contains `*` or the verb.
pub fn verb_matches<S: AsRef<str>>(verbs: &[S], verb: &str) -> bool {
    verbs
        .iter()
        .map(AsRef::as_ref)
        .any(|v| v == "*" || v == verb)
}

/// `apiGroups` contains `*` or the group (`""` is the core group).
pub fn group_matches<S: AsRef<str>>(groups: &[S], group: &str) -> bool {
    groups
        .iter()
        .map(AsRef::as_ref)
        .any(|g| g == "*" || g == group)
}

/// `resources` contains `*`, `resource[/subresource]`, or `*/subresource`.
pub fn resource_matches<S: AsRef<str>>(resources: &[S], resource: &str, subresource: &str) -> bool {
    resources
        .iter()
        .any(|r| resource_entry_matches(r.as_ref(), resource, subresource))
}

/// One `resources` entry is `*`, `resource[/subresource]`, or `*/subresource`.
pub fn resource_entry_matches(r: &str, resource: &str, subresource: &str) -> bool {
    if r == "*" {
        return true;
    }
    if subresource.is_empty() {
        return r == resource;
    }
    // `resource/subresource` (the combined form) or `*/subresource`, without allocating.
    let combined = r.len() == resource.len() + 1 + subresource.len()
        && r.starts_with(resource)
        && r.as_bytes()[resource.len()] == b'/'
        && r.ends_with(subresource);
    combined
        || (r.len() == subresource.len() + 2 && r.starts_with("*/") && r.ends_with(subresource))
}

/// `resourceNames` is empty (any name) or contains the name; a request without a name never
/// matches a non-empty list.
pub fn name_matches<S: AsRef<str>>(names: &[S], name: &str) -> bool {
    names.is_empty() || names.iter().any(|n| n.as_ref() == name)
}

/// `nonResourceURLs` contains `*`, the path, or a prefix ending in `*` (all trailing `*`
/// removed) of the path.
pub fn url_matches<S: AsRef<str>>(urls: &[S], path: &str) -> bool {
    urls.iter().map(AsRef::as_ref).any(|u| {
        if u == "*" || u == path {
            return true;
        }
        u.ends_with('*') && path.starts_with(u.trim_end_matches('*'))
    })
}

/// The request fields a rule fails on, for near-miss explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mismatch {
    /// The verb is not granted.
    Verb,
    /// The API group is not granted.
    ApiGroup,
    /// The resource (or subresource) is not granted.
    Resource,
    /// The rule is restricted to other resource names (or the request has no name).
    ResourceName,
    /// The non-resource URL is not granted.
    NonResourceUrl,
    /// The binding grants the rule in another namespace (or only in a namespace).
    Namespace,
}

/// Which fields of the request `rule` does not match (empty when it allows the request).
pub fn mismatches(attrs: &Attributes, rule: &PolicyRule) -> Vec<Mismatch> {
    let mut out = Vec::new();
    match attrs {
        Attributes::Resource(r) => {
            if !verb_matches(&rule.verbs, &r.verb) {
                out.push(Mismatch::Verb);
            }
            if !group_matches(&rule.api_groups, &r.group) {
                out.push(Mismatch::ApiGroup);
            }
            if !resource_matches(&rule.resources, &r.resource, &r.subresource) {
                out.push(Mismatch::Resource);
            }
            if !name_matches(&rule.resource_names, &r.name) {
                out.push(Mismatch::ResourceName);
            }
        }
        Attributes::NonResource(n) => {
            if !verb_matches(&rule.verbs, &n.verb) {
                out.push(Mismatch::Verb);
            }
            if !url_matches(&rule.non_resource_urls, &n.path) {
                out.push(Mismatch::NonResourceUrl);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn resources_and_subresources() {
        assert!(resource_matches(&v(&["pods"]), "pods", ""));
        assert!(!resource_matches(&v(&["pods"]), "pods", "log"));
        assert!(resource_matches(&v(&["pods/log"]), "pods", "log"));
        assert!(!resource_matches(&v(&["pods/*"]), "pods", "log"));
        assert!(resource_matches(&v(&["*/scale"]), "deployments", "scale"));
        assert!(!resource_matches(&v(&["*/scale"]), "deployments", ""));
        assert!(!resource_matches(&v(&["*/scale"]), "deployments", "scalex"));
        assert!(resource_matches(&v(&["*"]), "pods", "exec"));
        assert!(!resource_matches(&v(&["Pods"]), "pods", ""));
        assert!(!resource_matches(&v(&["pods"]), "*", ""));
        assert!(!resource_matches(&v(&[]), "pods", ""));
        // the combined string is compared, as upstream does
        assert!(resource_matches(&v(&["a/b/c"]), "a/b", "c"));
        assert!(resource_matches(&v(&["a/b/c"]), "a", "b/c"));
        assert!(resource_matches(&v(&["pods/log"]), "pods/log", ""));
        assert!(!resource_matches(&v(&["pods/log/x"]), "pods", "log"));
    }

    #[test]
    fn urls() {
        assert!(url_matches(&v(&["/apis/*"]), "/apis/v1"));
        assert!(url_matches(&v(&["/apis/*"]), "/apis/"));
        assert!(!url_matches(&v(&["/apis/*"]), "/apis"));
        assert!(url_matches(&v(&["/api*"]), "/apifoo"));
        assert!(url_matches(&v(&["/api**"]), "/api"));
        assert!(!url_matches(&v(&["/healthz"]), "/healthz/"));
        assert!(!url_matches(&v(&["/a/*/b"]), "/a/x/b"));
        assert!(url_matches(&v(&["/a", "*"]), "/anything"));
    }

    #[test]
    fn names_and_verbs() {
        assert!(name_matches::<&str>(&[], ""));
        assert!(!name_matches(&v(&["x"]), ""));
        assert!(!name_matches(&v(&["*"]), "foo"));
        assert!(!verb_matches(&v(&["get"]), "GET"));
        assert!(!verb_matches(&v(&["get"]), "*"));
        assert!(verb_matches(&v(&["*"]), "escalate"));
    }
}
