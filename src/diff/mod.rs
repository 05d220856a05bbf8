//! `diff`: what access changed between two compiled models — per binding subject, the
//! permissions gained and lost after aggregation (effective rules, judged by the authorizer's
//! rule matching, never a text diff), the namespaces whose default-deny changed, and the lint
//! findings that are new or fixed.

use compact_str::CompactString;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use crate::lint::{Finding, FindingIdentity};
use crate::model::access::{AccessModel, SubjectKey};
use crate::model::{BindingKind, PolicyRule};
use crate::netpol::NetworkModel;
use crate::rbac::rule::rule_allows;
use crate::rbac::{Attributes, NonResourceAttributes, ResourceAttributes};

/// Where a permission applies: cluster-wide (`*`: a ClusterRoleBinding) or one namespace.
pub type Scope = String;

/// One grantable permission: a verb on a resource (with group, subresource and object name)
/// or on a non-resource URL, in a scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    /// `*` for cluster-wide, else the namespace.
    pub scope: Scope,
    /// The verb as written (`*` included).
    pub verb: String,
    /// The API group (`""` core); empty for URLs.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// `resource` or `resource/subresource` (`*` forms included); empty for URLs.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource: String,
    /// One object name, when the rule names objects.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// A non-resource URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
}

impl Permission {
    /// The request this permission stands for.
    fn attributes(&self) -> Attributes {
        if !self.url.is_empty() {
            return Attributes::NonResource(NonResourceAttributes {
                verb: self.verb.clone(),
                path: self.url.clone(),
            });
        }
        let (resource, sub) = self
            .resource
            .split_once('/')
            .unwrap_or((self.resource.as_str(), ""));
        Attributes::Resource(ResourceAttributes {
            verb: self.verb.clone(),
            group: self.group.clone(),
            resource: resource.to_string(),
            subresource: sub.to_string(),
            name: self.name.clone(),
            namespace: String::new(),
        })
    }

    /// `get secrets`, `create pods/exec`, `get deployments.apps/web`, `get /metrics`.
    pub fn describe(&self) -> String {
        if !self.url.is_empty() {
            return format!("{} {}", self.verb, self.url);
        }
        let (res, sub) = match self.resource.split_once('/') {
            Some((r, s)) => (r, format!("/{s}")),
            None => (self.resource.as_str(), String::new()),
        };
        let group = if self.group.is_empty() {
            String::new()
        } else {
            format!(".{}", self.group)
        };
        let name = if self.name.is_empty() {
            String::new()
        } else {
            format!(" {:?}", self.name)
        };
        format!("{} {res}{group}{sub}{name}", self.verb)
    }
}

/// The rules a subject holds, by scope, with the bindings that grant them.
#[derive(Debug, Default)]
struct Holdings<'a> {
    /// (scope, rule, binding path) for every rule of every binding naming the subject.
    rules: Vec<(Scope, &'a PolicyRule, String)>,
}

impl Holdings<'_> {
    /// True when a rule held in `scope` (or cluster-wide) allows `p`.
    fn allows(&self, p: &Permission) -> Option<&str> {
        let attrs = p.attributes();
        self.rules
            .iter()
            .find(|(scope, rule, _)| {
                // A cluster-wide grant covers every scope; a namespace's only itself.
                (scope == "*" || *scope == p.scope) && rule_allows(&attrs, rule)
            })
            .map(|(_, _, via)| via.as_str())
    }

    /// Every permission the rules name, expanded (verbs × groups × resources × names, or
    /// verbs × URLs), in their scope.
    fn permissions(&self) -> BTreeSet<Permission> {
        let mut out = BTreeSet::new();
        for (scope, rule, _) in &self.rules {
            for verb in &rule.verbs {
                for url in &rule.non_resource_urls {
                    if scope == "*" {
                        out.insert(Permission {
                            scope: scope.clone(),
                            verb: verb.to_string(),
                            group: String::new(),
                            resource: String::new(),
                            name: String::new(),
                            url: url.to_string(),
                        });
                    }
                }
                for group in &rule.api_groups {
                    for resource in &rule.resources {
                        let names: Vec<&str> = if rule.resource_names.is_empty() {
                            vec![""]
                        } else {
                            rule.resource_names
                                .iter()
                                .map(CompactString::as_str)
                                .collect()
                        };
                        for name in names {
                            out.insert(Permission {
                                scope: scope.clone(),
                                verb: verb.to_string(),
                                group: group.to_string(),
                                resource: resource.to_string(),
                                name: name.to_string(),
                                url: String::new(),
                            });
                        }
                    }
                }
            }
        }
        out
    }
}

fn holdings(model: &AccessModel) -> BTreeMap<&SubjectKey, Holdings<'_>> {
    let mut out: BTreeMap<&SubjectKey, Holdings<'_>> = BTreeMap::new();
    for (id, b) in model.bindings.iter().enumerate() {
        let Ok(role) = b.role else { continue };
        let scope = match b.kind {
            BindingKind::ClusterRoleBinding => "*".to_string(),
            BindingKind::RoleBinding => b.namespace.to_string(),
        };
        let via = format!(
            "{} → {}",
            model.binding_name(id).path(),
            model.role_name(role).path()
        );
        for &s in &model.binding_subjects[id] {
            let key = &model.subjects[s];
            if !matches!(key.kind.as_str(), "User" | "Group" | "ServiceAccount") {
                continue;
            }
            let h = out.entry(key).or_default();
            for rule in &model.roles[role].rules {
                h.rules.push((scope.clone(), rule, via.clone()));
            }
        }
    }
    out
}

/// A subject's change of access.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubjectChange {
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// A ServiceAccount's namespace.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// The name.
    pub name: String,
    /// Permissions held after but not allowed before, each with the binding → role that
    /// grants it.
    pub gained: Vec<Change>,
    /// Permissions held before but not allowed after, each with what granted it.
    pub lost: Vec<Change>,
}

/// One permission gained or lost, and the binding → role behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The permission.
    #[serde(flatten)]
    pub permission: Permission,
    /// `ClusterRoleBinding/x → ClusterRole/y`.
    pub via: String,
}

/// A namespace whose default-deny changed in a direction.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultDenyChange {
    /// The namespace.
    pub namespace: String,
    /// `ingress` or `egress`.
    pub direction: &'static str,
    /// Before (`None`: the namespace was not there).
    pub before: Option<bool>,
    /// After.
    pub after: Option<bool>,
}

/// Everything that changed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessDiff {
    /// Subjects whose access changed, by kind, namespace, name.
    pub subjects: Vec<SubjectChange>,
    /// Namespaces whose default-deny changed.
    pub default_deny: Vec<DefaultDenyChange>,
    /// Subjects that reach cluster-admin or root on a node after, and did not (as strongly)
    /// before.
    pub new_escalations: Vec<EscalationChange>,
    /// Subjects that no longer reach what they reached before.
    pub removed_escalations: Vec<EscalationChange>,
    /// Lint findings of AFTER that BEFORE did not have (by fingerprint).
    pub new_findings: Vec<Finding>,
    /// Lint findings of BEFORE that AFTER no longer has.
    pub fixed_findings: Vec<Finding>,
}

impl AccessDiff {
    /// True when anything was gained: a permission, a lost default-deny, a new finding.
    pub fn gained_anything(&self) -> bool {
        self.subjects.iter().any(|s| !s.gained.is_empty())
            || self
                .default_deny
                .iter()
                .any(|d| d.before == Some(true) && d.after != Some(true))
            || !self.new_escalations.is_empty()
            || self.new_findings.iter().any(|f| f.suppressed.is_none())
    }
}

/// Per subject: what AFTER allows that BEFORE did not, and the reverse.
pub fn access_changes(before: &AccessModel, after: &AccessModel) -> Vec<SubjectChange> {
    let hb = holdings(before);
    let ha = holdings(after);
    let empty = Holdings::default();
    let keys: BTreeSet<&SubjectKey> = hb.keys().chain(ha.keys()).copied().collect();
    let mut out = Vec::new();
    for key in keys {
        let b = hb.get(key).unwrap_or(&empty);
        let a = ha.get(key).unwrap_or(&empty);
        let gained: Vec<Change> = a
            .permissions()
            .into_iter()
            .filter(|p| b.allows(p).is_none())
            .map(|p| Change {
                via: a.allows(&p).unwrap_or_default().to_string(),
                permission: p,
            })
            .collect();
        let lost: Vec<Change> = b
            .permissions()
            .into_iter()
            .filter(|p| a.allows(p).is_none())
            .map(|p| Change {
                via: b.allows(&p).unwrap_or_default().to_string(),
                permission: p,
            })
            .collect();
        if gained.is_empty() && lost.is_empty() {
            continue;
        }
        out.push(SubjectChange {
            kind: key.kind.clone(),
            namespace: key.namespace.clone(),
            name: key.name.clone(),
            gained,
            lost,
        });
    }
    out
}

/// Namespaces whose default-deny (every pod isolated) changed, per direction.
pub fn default_deny_changes(before: &NetworkModel, after: &NetworkModel) -> Vec<DefaultDenyChange> {
    let state = |m: &NetworkModel| -> BTreeMap<String, (bool, bool)> {
        m.namespaces()
            .map(|n| {
                let p = m.namespace_posture(&n.name);
                (
                    n.name.clone(),
                    (
                        p.ingress.default_deny || p.ingress.all_pods_isolated,
                        p.egress.default_deny || p.egress.all_pods_isolated,
                    ),
                )
            })
            .collect()
    };
    let (b, a) = (state(before), state(after));
    let names: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    let mut out = Vec::new();
    for ns in names {
        let (pb, pa) = (b.get(ns), a.get(ns));
        for (direction, pick) in [
            (
                "ingress",
                (|x: &(bool, bool)| x.0) as fn(&(bool, bool)) -> bool,
            ),
            ("egress", |x: &(bool, bool)| x.1),
        ] {
            let (before, after) = (pb.map(pick), pa.map(pick));
            // A namespace that appears or goes without default-deny is not a change of it.
            if before != after && (before == Some(true) || after == Some(true)) {
                out.push(DefaultDenyChange {
                    namespace: ns.clone(),
                    direction,
                    before,
                    after,
                });
            }
        }
    }
    out
}

/// A subject whose escalation changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EscalationChange {
    /// The subject.
    pub subject: String,
    /// What it reaches (after for new paths, before for removed ones).
    pub reaches: String,
    /// In how many hops.
    pub hops: usize,
}

/// Subjects' strongest escalation targets before and after: new ones (or stronger) and
/// removed ones (or weaker), and true when a search stopped at its bound (then changes may
/// be missing).
pub fn escalation_changes(
    before: &crate::escalation::Escalation,
    after: &crate::escalation::Escalation,
) -> (Vec<EscalationChange>, Vec<EscalationChange>, bool) {
    use crate::escalation::{subjects, Standing, Tier, LIMIT};
    let tiers = |e: &crate::escalation::Escalation| -> (BTreeMap<String, (Tier, usize)>, bool) {
        let subjects: Vec<_> = subjects(e.model)
            .into_iter()
            .filter(|p| *p != crate::escalation::Principal::ClusterAdmin)
            .collect();
        let (standings, truncated) = e.standings(&subjects, LIMIT);
        let tiers = subjects
            .iter()
            .zip(standings)
            .filter_map(|(p, s)| match s {
                Some(Standing::Tier(t, r)) => Some((p.display(), (t, r.path.len()))),
                _ => None,
            })
            .collect();
        (tiers, truncated)
    };
    let ((b, cut_before), (a, cut_after)) = (tiers(before), tiers(after));
    let change = |s: &String, (t, d): &(Tier, usize)| EscalationChange {
        subject: s.clone(),
        reaches: t.as_str().to_string(),
        hops: *d,
    };
    let new = a
        .iter()
        .filter(|(s, (t, _))| b.get(*s).is_none_or(|(bt, _)| t < bt))
        .map(|(s, v)| change(s, v))
        .collect();
    let removed = b
        .iter()
        .filter(|(s, (t, _))| a.get(*s).is_none_or(|(at, _)| t < at))
        .map(|(s, v)| change(s, v))
        .collect();
    (new, removed, cut_before || cut_after)
}

/// Findings of `after` that `before` lacks, and the reverse ([`Finding::identity`], not the
/// fingerprint alone: a crafted name must not make a new finding pass for an old one).
pub fn finding_changes(before: &[Finding], after: &[Finding]) -> (Vec<Finding>, Vec<Finding>) {
    let fb: HashSet<FindingIdentity> = before.iter().map(Finding::identity).collect();
    let fa: HashSet<FindingIdentity> = after.iter().map(Finding::identity).collect();
    (
        after
            .iter()
            .filter(|f| !fb.contains(&f.identity()))
            .cloned()
            .collect(),
        before
            .iter()
            .filter(|f| !fa.contains(&f.identity()))
            .cloned()
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects::Origin;
    use crate::model::Inventory;
    use serde_json::json;

    fn model(objects: Vec<serde_json::Value>) -> AccessModel {
        let mut inv = Inventory::default();
        let o = Origin {
            source: "t".into(),
            document: 1,
            line: 1,
        };
        inv.add_objects(objects.into_iter().map(|v| (v, o.clone())).collect())
            .unwrap();
        AccessModel::build(&inv)
    }

    fn role(name: &str, rules: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": name}, "rules": rules})
    }

    fn crb(name: &str, role: &str, user: &str) -> serde_json::Value {
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": name},
               "roleRef": {"kind": "ClusterRole", "name": role}, "subjects": [{"kind": "User", "name": user}]})
    }

    #[test]
    fn gains_and_losses_are_semantic() {
        let before = model(vec![
            role(
                "r",
                json!([{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}]),
            ),
            crb("b", "r", "alice"),
        ]);
        // Rewritten as a wildcard: get and list are still allowed (not lost); `*` is gained.
        let after = model(vec![
            role(
                "r",
                json!([{"verbs": ["*"], "apiGroups": [""], "resources": ["pods"]}]),
            ),
            crb("b", "r", "alice"),
        ]);
        let c = access_changes(&before, &after);
        assert_eq!(c.len(), 1);
        assert!(c[0].lost.is_empty(), "{:?}", c[0].lost);
        assert_eq!(c[0].gained.len(), 1);
        assert_eq!(c[0].gained[0].permission.describe(), "* pods");
        assert_eq!(c[0].gained[0].via, "ClusterRoleBinding/b → ClusterRole/r");
        // The same rules split differently: no change at all.
        let split = model(vec![
            role(
                "r",
                json!([{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]},
                             {"verbs": ["list"], "apiGroups": [""], "resources": ["pods"]}]),
            ),
            crb("b", "r", "alice"),
        ]);
        assert!(access_changes(&before, &split).is_empty());
        // Removed: lost only.
        let none = model(vec![role("r", json!([]))]);
        let c = access_changes(&before, &none);
        assert_eq!((c[0].gained.len(), c[0].lost.len()), (0, 2));
    }

    #[test]
    fn a_namespace_grant_does_not_cover_a_cluster_wide_one() {
        let rb = |ns: &str| {
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "b", "namespace": ns}, "roleRef": {"kind": "ClusterRole", "name": "r"},
            "subjects": [{"kind": "User", "name": "alice"}]})
        };
        let r = role(
            "r",
            json!([{"verbs": ["get"], "apiGroups": [""], "resources": ["secrets"]}]),
        );
        let before = model(vec![r.clone(), rb("shop")]);
        let after = model(vec![r.clone(), rb("shop"), crb("c", "r", "alice")]);
        let c = access_changes(&before, &after);
        assert_eq!(c[0].gained[0].permission.scope, "*");
        assert!(c[0].lost.is_empty());
    }
}
