//! An index of every rule of every role by the resource or URL it names, so that "which rules
//! could allow this request?" costs a few hash lookups instead of a scan of every rule.
//!
//! The index only narrows the search: it returns every rule that *could* allow a request (by
//! its resource or URL entries) and the caller still decides with
//! [`crate::rbac::rule::rule_allows`]. The lookup keys are exactly the strings
//! `rule::resource_matches` and `rule::url_matches` compare against, so no rule that allows a
//! request is ever missed.

use std::collections::HashMap;

use super::access::{CompiledRole, RoleId};

/// A rule of a role: `roles[role].rules[rule]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleRef {
    /// The role.
    pub role: RoleId,
    /// The index of the rule in the role's effective rules.
    pub rule: usize,
}

/// Rules by the entries of their `resources` and `nonResourceURLs`.
#[derive(Debug, Clone, Default)]
pub struct RuleIndex {
    /// Entry of `resources` as written (`pods`, `pods/log`, `*/scale`, `*`) → rules.
    by_resource: HashMap<String, Vec<RuleRef>>,
    /// Exact `nonResourceURLs` entries → rules.
    by_url: HashMap<String, Vec<RuleRef>>,
    /// `nonResourceURLs` entries ending in `*`, as (prefix without the trailing `*`s, rule);
    /// `*` itself is the empty prefix. Few in practice, so scanned.
    url_prefixes: Vec<(String, RuleRef)>,
}

fn push(map: &mut HashMap<String, Vec<RuleRef>>, key: &str, r: RuleRef) {
    let list = map.entry(key.to_string()).or_default();
    if list.last() != Some(&r) {
        list.push(r);
    }
}

impl RuleIndex {
    /// Indexes the effective rules of `roles`, given with their ids.
    pub fn build<'a>(roles: impl IntoIterator<Item = (RoleId, &'a CompiledRole)>) -> RuleIndex {
        let mut index = RuleIndex::default();
        for (role, compiled) in roles {
            for (rule, policy) in compiled.rules.iter().enumerate() {
                let r = RuleRef { role, rule };
                for res in &policy.resources {
                    push(&mut index.by_resource, res, r);
                }
                for url in &policy.non_resource_urls {
                    if url == "*" || url.ends_with('*') {
                        let prefix = url.trim_end_matches('*').to_string();
                        if index.url_prefixes.last() != Some(&(prefix.clone(), r)) {
                            index.url_prefixes.push((prefix, r));
                        }
                    } else {
                        push(&mut index.by_url, url, r);
                    }
                }
            }
        }
        index
    }

    /// Appends the rules whose `resources` could match `resource` with `subresource`: those
    /// naming `*`, and `resource` (no subresource) or `resource/subresource` and
    /// `*/subresource`. Unsorted; a rule naming several of those appears more than once.
    pub fn resource_candidates(&self, resource: &str, subresource: &str, out: &mut Vec<RuleRef>) {
        let mut add = |key: &str| {
            if let Some(list) = self.by_resource.get(key) {
                out.extend_from_slice(list);
            }
        };
        add("*");
        if subresource.is_empty() {
            add(resource);
        } else {
            add(&format!("{resource}/{subresource}"));
            add(&format!("*/{subresource}"));
        }
    }

    /// Appends the rules whose `nonResourceURLs` could match `path`: exact entries, `*`, and
    /// `prefix*` entries the path starts with. Unsorted, possibly with duplicates.
    pub fn url_candidates(&self, path: &str, out: &mut Vec<RuleRef>) {
        if let Some(list) = self.by_url.get(path) {
            out.extend_from_slice(list);
        }
        out.extend(
            self.url_prefixes
                .iter()
                .filter(|(prefix, _)| path.starts_with(prefix.as_str()))
                .map(|(_, r)| *r),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, PolicyRule, RoleKind};

    fn role(rules: Vec<PolicyRule>) -> CompiledRole {
        CompiledRole {
            kind: RoleKind::ClusterRole,
            namespace: Default::default(),
            name: "r".into(),
            rules,
            aggregated: false,
            origin: Origin {
                source: "test".into(),
                document: 0,
                line: 0,
            },
        }
    }

    fn rule(resources: &[&str], urls: &[&str]) -> PolicyRule {
        PolicyRule {
            verbs: vec!["get".into()],
            api_groups: vec!["".into()],
            resources: resources.iter().map(|&s| s.into()).collect(),
            non_resource_urls: urls.iter().map(|&s| s.into()).collect(),
            ..Default::default()
        }
    }

    fn candidates(index: &RuleIndex, resource: &str, sub: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        index.resource_candidates(resource, sub, &mut out);
        out.sort_unstable();
        out.dedup();
        out.iter().map(|r| (r.role, r.rule)).collect()
    }

    fn url_candidates(index: &RuleIndex, path: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        index.url_candidates(path, &mut out);
        out.sort_unstable();
        out.dedup();
        out.iter().map(|r| (r.role, r.rule)).collect()
    }

    #[test]
    fn resource_keys_cover_every_matching_form() {
        let roles = [
            role(vec![rule(&["pods", "*"], &[]), rule(&["pods/log"], &[])]),
            role(vec![rule(&["*/log"], &[]), rule(&["services"], &[])]),
        ];
        let index = RuleIndex::build(roles.iter().enumerate());
        assert_eq!(candidates(&index, "pods", ""), [(0, 0)]);
        assert_eq!(candidates(&index, "pods", "log"), [(0, 0), (0, 1), (1, 0)]);
        assert_eq!(candidates(&index, "services", ""), [(0, 0), (1, 1)]);
        assert_eq!(candidates(&index, "nodes", "proxy"), [(0, 0)]);
    }

    #[test]
    fn url_keys_cover_exact_star_and_prefixes() {
        let roles = [
            role(vec![rule(&[], &["/healthz"]), rule(&[], &["/healthz/*"])]),
            role(vec![rule(&[], &["*"]), rule(&[], &["/api*", "/apis"])]),
        ];
        let index = RuleIndex::build(roles.iter().enumerate());
        assert_eq!(url_candidates(&index, "/healthz"), [(0, 0), (1, 0)]);
        assert_eq!(url_candidates(&index, "/healthz/etcd"), [(0, 1), (1, 0)]);
        assert_eq!(url_candidates(&index, "/apis"), [(1, 0), (1, 1)]);
        assert_eq!(url_candidates(&index, "/version"), [(1, 0)]);
    }
}
