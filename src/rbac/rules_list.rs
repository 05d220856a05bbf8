//! `can-i --list`: every rule that applies to an identity in a namespace (RBAC's `RulesFor`,
//! which a SelfSubjectRulesReview returns), rendered rows as kubectl renders them: each rule
//! broken down into atoms, atoms of the same group/resource/name merged, rows sorted by the
//! Go string of the rule (kubectl's `BreakdownRule`, `CompactRules`, `SortableRuleSlice`).
//!
//! The non-resource part of a rule reached through a RoleBinding is listed, as the API server's
//! SelfSubjectRulesReview lists it, although it never takes effect (a non-resource request
//! carries no namespace); it is also reported in [`RulesList::ineffective`].

use compact_str::CompactString;
use std::collections::HashMap;

use serde::Serialize;

use super::attributes::UserInfo;
use super::authorize::{subject_applies, SYSTEM_MASTERS};
use super::who_can::Via;
use crate::model::access::{AccessModel, BindingId};
use crate::model::{BindingKind, MissingData, PolicyRule};

/// A rule that applies to the identity, with the path it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedRule<'a> {
    /// The rule as stored in the role.
    pub rule: &'a PolicyRule,
    /// binding → role → rule index.
    pub via: Via<'a>,
    /// The binding's kind.
    pub binding_kind: BindingKind,
}

/// One row of the listing: a PolicyRule atom or merged atoms, with every path behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRow<'a> {
    /// With all namespaces: `*` for rules of ClusterRoleBindings, else the RoleBindings'
    /// namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The API group (at most one).
    pub api_groups: Vec<CompactString>,
    /// The resource, possibly `resource/subresource` (at most one).
    pub resources: Vec<CompactString>,
    /// The object name (at most one).
    pub resource_names: Vec<CompactString>,
    /// The URL (at most one).
    #[serde(rename = "nonResourceURLs")]
    pub non_resource_urls: Vec<CompactString>,
    /// The verbs, in first-seen order.
    pub verbs: Vec<CompactString>,
    /// The binding → role → rule paths the row comes from.
    pub via: Vec<Via<'a>>,
}

impl ListRow<'_> {
    fn rule(&self) -> PolicyRule {
        PolicyRule {
            verbs: self.verbs.clone(),
            api_groups: self.api_groups.clone(),
            resources: self.resources.clone(),
            resource_names: self.resource_names.clone(),
            non_resource_urls: self.non_resource_urls.clone(),
        }
    }
}

/// A non-resource grant that a RoleBinding carries but that never takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IneffectiveRule<'a> {
    /// The URLs.
    #[serde(rename = "nonResourceURLs")]
    pub non_resource_urls: Vec<CompactString>,
    /// The verbs.
    pub verbs: Vec<CompactString>,
    /// Where it comes from.
    pub via: Via<'a>,
}

/// What `can-i --list` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesList<'a> {
    /// The identity.
    pub subject: UserInfo,
    /// The namespace listed; `None` with all namespaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// True when the identity is in `system:masters`: it may do everything, whatever the
    /// rules below say (that authorizer lists no rules).
    pub privileged_group: bool,
    /// The rows, in kubectl's order (grouped by namespace with all namespaces).
    pub rules: Vec<ListRow<'a>>,
    /// Non-resource rules of RoleBindings: listed (the API server lists them) but never in
    /// effect.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ineffective: Vec<IneffectiveRule<'a>>,
    /// Bindings of the identity whose role cannot be resolved (the review's
    /// `evaluationError`).
    pub errors: Vec<String>,
    /// False when some data could not be read: more rules may apply.
    pub complete: bool,
    /// What could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingData>,
}

impl AccessModel {
    /// RBAC's `RulesFor`: the rules of every ClusterRoleBinding, then of every RoleBinding in
    /// `namespace` (none when `""`), that applies to the identity, in binding order, each
    /// with its path; plus the resolution errors met.
    pub fn rules_for(
        &self,
        user: &UserInfo,
        namespace: &str,
    ) -> (Vec<SourcedRule<'_>>, Vec<String>) {
        let (mut rules, mut errors) = self.rules_in_scope(user, "");
        if !namespace.is_empty() {
            let (more, errs) = self.rules_in_scope(user, namespace);
            rules.extend(more);
            errors.extend(errs);
        }
        (rules, errors)
    }

    /// The rules of the bindings of one scope that apply to the identity: ClusterRoleBindings
    /// for `""`, else the RoleBindings of that namespace only.
    pub fn rules_in_scope(
        &self,
        user: &UserInfo,
        scope: &str,
    ) -> (Vec<SourcedRule<'_>>, Vec<String>) {
        let mut ids = Vec::new();
        self.candidate_bindings(scope, &user.name, &user.groups, &mut ids);
        self.rules_of_bindings(user, &ids)
    }

    fn rules_of_bindings(
        &self,
        user: &UserInfo,
        ids: &[BindingId],
    ) -> (Vec<SourcedRule<'_>>, Vec<String>) {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for &id in ids {
            let b = &self.bindings[id];
            if !b
                .subjects
                .iter()
                .any(|s| subject_applies(s, user, b.scope()))
            {
                continue;
            }
            let role = match &b.role {
                Ok(r) => *r,
                Err(e) => {
                    errors.push(format!("{}: {e}", self.binding_name(id).path()));
                    continue;
                }
            };
            for (i, rule) in self.roles[role].rules.iter().enumerate() {
                rules.push(SourcedRule {
                    rule,
                    via: Via {
                        binding: self.binding_name(id),
                        role: self.role_name(role),
                        rule: i,
                    },
                    binding_kind: b.kind,
                });
            }
        }
        (rules, errors)
    }
}

/// kubectl's `BreakdownRule`: one atom per (group × resource × verb × name-or-none), then one
/// per (URL × verb).
pub fn breakdown(rule: &PolicyRule) -> Vec<PolicyRule> {
    let mut out = Vec::new();
    for group in &rule.api_groups {
        for resource in &rule.resources {
            for verb in &rule.verbs {
                let atom = |names: Vec<CompactString>| PolicyRule {
                    verbs: vec![verb.clone()],
                    api_groups: vec![group.clone()],
                    resources: vec![resource.clone()],
                    resource_names: names,
                    non_resource_urls: Vec::new(),
                };
                if rule.resource_names.is_empty() {
                    out.push(atom(Vec::new()));
                } else {
                    out.extend(rule.resource_names.iter().map(|n| atom(vec![n.clone()])));
                }
            }
        }
    }
    for url in &rule.non_resource_urls {
        for verb in &rule.verbs {
            out.push(PolicyRule {
                verbs: vec![verb.clone()],
                non_resource_urls: vec![url.clone()],
                ..Default::default()
            });
        }
    }
    out
}

/// Go's `%v` of a string slice: `[a b]`.
fn go_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("[{}]", items.join(" "))
}

/// The generated Go `String()` of a PolicyRule, which kubectl sorts rows by.
pub fn go_string(rule: &PolicyRule) -> String {
    format!(
        "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
        go_list(&rule.verbs),
        go_list(&rule.api_groups),
        go_list(&rule.resources),
        go_list(&rule.resource_names),
        go_list(&rule.non_resource_urls)
    )
}

/// kubectl's `isSimpleResourceRule` key: one group, one resource, at most one name, no URL.
fn simple_key(rule: &PolicyRule) -> Option<(CompactString, CompactString, Option<CompactString>)> {
    if rule.resource_names.len() > 1
        || !rule.non_resource_urls.is_empty()
        || rule.api_groups.len() != 1
        || rule.resources.len() != 1
    {
        return None;
    }
    Some((
        rule.api_groups[0].clone(),
        rule.resources[0].clone(),
        rule.resource_names.first().cloned(),
    ))
}

/// Breaks down, compacts and sorts rules as kubectl does for `auth can-i --list`, keeping
/// the paths of the atoms merged into each row.
pub fn compact_rows<'a>(rules: &[(PolicyRule, Via<'a>)]) -> Vec<ListRow<'a>> {
    let row = |atom: PolicyRule, via: &Via<'a>| ListRow {
        namespace: None,
        api_groups: atom.api_groups,
        resources: atom.resources,
        resource_names: atom.resource_names,
        non_resource_urls: atom.non_resource_urls,
        verbs: atom.verbs,
        via: vec![*via],
    };
    let mut complex: Vec<ListRow<'a>> = Vec::new();
    let mut simple: Vec<ListRow<'a>> = Vec::new();
    let mut simple_at: HashMap<(CompactString, CompactString, Option<CompactString>), usize> =
        HashMap::new();
    for (rule, via) in rules {
        for atom in breakdown(rule) {
            match simple_key(&atom) {
                Some(key) => match simple_at.get(&key) {
                    Some(&i) => {
                        let existing = &mut simple[i];
                        for v in &atom.verbs {
                            if !existing.verbs.contains(v) {
                                existing.verbs.push(v.clone());
                            }
                        }
                        if !existing.via.contains(via) {
                            existing.via.push(*via);
                        }
                    }
                    None => {
                        simple_at.insert(key, simple.len());
                        simple.push(row(atom, via));
                    }
                },
                None => complex.push(row(atom, via)),
            }
        }
    }
    complex.extend(simple);
    let mut keyed: Vec<(String, ListRow<'a>)> = complex
        .into_iter()
        .map(|r| (go_string(&r.rule()), r))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// Lists the rules that apply to `user` in `namespace` (`None`: in every namespace, grouped
/// by where they apply: `*` for ClusterRoleBindings, then each namespace).
pub fn list_rules<'a>(
    model: &'a AccessModel,
    user: &UserInfo,
    namespace: Option<&str>,
) -> RulesList<'a> {
    let mut rows = Vec::new();
    let mut ineffective = Vec::new();
    let mut errors = Vec::new();
    let mut add_scope = |sourced: Vec<SourcedRule<'a>>, scope: Option<String>| {
        let mut kept = Vec::with_capacity(sourced.len());
        for s in sourced {
            let rule = s.rule.clone();
            if s.binding_kind == BindingKind::RoleBinding && !rule.non_resource_urls.is_empty() {
                ineffective.push(IneffectiveRule {
                    non_resource_urls: rule.non_resource_urls.clone(),
                    verbs: rule.verbs.clone(),
                    via: s.via,
                });
            }
            kept.push((rule, s.via));
        }
        for mut r in compact_rows(&kept) {
            r.namespace = scope.clone();
            rows.push(r);
        }
    };
    match namespace {
        Some(ns) => {
            let (sourced, errs) = model.rules_for(user, ns);
            errors.extend(errs);
            add_scope(sourced, None);
        }
        None => {
            let (sourced, errs) = model.rules_for(user, "");
            errors.extend(errs);
            add_scope(sourced, Some("*".into()));
            for scope in model.scopes_for(&user.name, &user.groups) {
                if scope.is_empty() {
                    continue;
                }
                let (sourced, errs) = model.rules_in_scope(user, scope);
                errors.extend(errs);
                if !sourced.is_empty() {
                    add_scope(sourced, Some(scope.to_string()));
                }
            }
        }
    }
    RulesList {
        subject: user.clone(),
        namespace: namespace.map(str::to_string),
        privileged_group: user.groups.iter().any(|g| g == SYSTEM_MASTERS),
        rules: rows,
        ineffective,
        errors,
        complete: model.is_complete_in(namespace),
        missing: model.missing.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rbac::who_can::ObjectName;

    fn v(items: &[&str]) -> Vec<CompactString> {
        items.iter().map(|&s| s.into()).collect()
    }

    fn via(rule: usize) -> Via<'static> {
        Via {
            binding: ObjectName {
                kind: "ClusterRoleBinding",
                name: "b",
                namespace: None,
            },
            role: ObjectName {
                kind: "ClusterRole",
                name: "r",
                namespace: None,
            },
            rule,
        }
    }

    /// kubectl's own test (cani_test.go, "test-resource"): rows and their order.
    #[test]
    fn kubectl_example() {
        let rules = vec![
            (
                PolicyRule {
                    verbs: v(&["get", "list"]),
                    api_groups: v(&["*"]),
                    resources: v(&["pod", "job"]),
                    resource_names: v(&["test-resource"]),
                    ..Default::default()
                },
                via(0),
            ),
            (
                PolicyRule {
                    verbs: v(&["get"]),
                    non_resource_urls: v(&["/apis/*", "/version"]),
                    ..Default::default()
                },
                via(1),
            ),
        ];
        let rows = compact_rows(&rules);
        type Row = (
            Vec<CompactString>,
            Vec<CompactString>,
            Vec<CompactString>,
            Vec<CompactString>,
        );
        let got: Vec<Row> = rows
            .iter()
            .map(|r| {
                (
                    r.resources.clone(),
                    r.non_resource_urls.clone(),
                    r.resource_names.clone(),
                    r.verbs.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    v(&["job"]),
                    v(&[]),
                    v(&["test-resource"]),
                    v(&["get", "list"])
                ),
                (
                    v(&["pod"]),
                    v(&[]),
                    v(&["test-resource"]),
                    v(&["get", "list"])
                ),
                (v(&[]), v(&["/apis/*"]), v(&[]), v(&["get"])),
                (v(&[]), v(&["/version"]), v(&[]), v(&["get"])),
            ]
        );
    }

    #[test]
    fn merging_order_and_duplicates() {
        let rules = vec![
            (
                PolicyRule {
                    verbs: v(&["watch", "get"]),
                    api_groups: v(&[""]),
                    resources: v(&["pods"]),
                    ..Default::default()
                },
                via(0),
            ),
            (
                PolicyRule {
                    verbs: v(&["get", "list"]),
                    api_groups: v(&[""]),
                    resources: v(&["pods", "pods/log"]),
                    non_resource_urls: v(&["/healthz"]),
                    ..Default::default()
                },
                via(1),
            ),
            (
                PolicyRule {
                    verbs: v(&["get"]),
                    non_resource_urls: v(&["/healthz"]),
                    ..Default::default()
                },
                via(2),
            ),
        ];
        let rows = compact_rows(&rules);
        // pods: verbs merged in first-seen order from two rules, both paths kept.
        let pods = rows
            .iter()
            .find(|r| r.resources == ["pods"])
            .expect("pods row");
        assert_eq!(pods.verbs, ["watch", "get", "list"]);
        assert_eq!(pods.via, [via(0), via(1)]);
        // Non-resource atoms are never merged: /healthz get appears twice.
        assert_eq!(
            rows.iter()
                .filter(|r| r.non_resource_urls == ["/healthz"] && r.verbs == ["get"])
                .count(),
            2
        );
        // Go-string order: "[get list]" < "[get]" < "[list]" < "[watch get list]".
        let order: Vec<String> = rows
            .iter()
            .map(|r| format!("{}{}", r.resources.join(""), r.non_resource_urls.join("")))
            .collect();
        assert_eq!(
            order,
            ["pods/log", "/healthz", "/healthz", "/healthz", "pods"]
        );
        assert_eq!(rows[3].verbs, ["list"]);
    }
}
