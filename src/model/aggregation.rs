//! ClusterRole aggregation, computed from manifests the way the aggregation controller does.
//!
//! For each selector in order, the ClusterRoles it selects (other than the aggregating role
//! itself) are taken in name order and their rules appended unless an equal rule is already
//! there; a non-empty result *replaces* the role's own rules. An empty result changes nothing:
//! the controller server-side-applies the role with no rules, which removes none that another
//! manager wrote (kube-apiserver 1.35 keeps the written rules; tests/e2e_apiserver.rs checks it).
//! Aggregated roles can select other aggregated roles, so the computation is repeated until
//! nothing changes.

use crate::model::objects::{PolicyRule, Role, RoleKind};
use crate::model::selector;

/// The most passes before giving up on a cycle that does not settle.
const MAX_PASSES: usize = 100;

/// What aggregation could not do, as warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregationNote {
    /// Index of the role in the slice given to [`aggregate`].
    pub role: usize,
    /// What happened.
    pub message: String,
}

/// Replaces the rules of every ClusterRole with an `aggregationRule` by the aggregation
/// result when it is not empty. A role with an invalid selector keeps its rules (the controller's sync fails).
pub fn aggregate(roles: &mut [Role]) -> Vec<AggregationNote> {
    let mut notes = Vec::new();
    let mut cluster: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i].kind == RoleKind::ClusterRole)
        .collect();
    cluster.sort_by(|&a, &b| roles[a].metadata.name.cmp(&roles[b].metadata.name));
    let mut aggregating = Vec::new();
    for &i in &cluster {
        let Some(rule) = &roles[i].aggregation_rule else {
            continue;
        };
        match rule.cluster_role_selectors.iter().try_for_each(selector::validate) {
            Ok(()) => aggregating.push(i),
            Err(e) => notes.push(AggregationNote {
                role: i,
                message: format!(
                    "ClusterRole {}: aggregationRule is invalid ({e}); its rules are left as written",
                    roles[i].metadata.name
                ),
            }),
        }
    }
    if aggregating.is_empty() {
        return notes;
    }
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for &i in &aggregating {
            let new_rules = compute(roles, &cluster, i);
            if !new_rules.is_empty() && roles[i].rules != new_rules {
                roles[i].rules = new_rules;
                changed = true;
            }
        }
        if !changed {
            return notes;
        }
    }
    for &i in &aggregating {
        notes.push(AggregationNote {
            role: i,
            message: format!(
                "ClusterRole {}: aggregation did not settle after {MAX_PASSES} passes (a selection cycle); its rules may differ from the cluster's",
                roles[i].metadata.name
            ),
        });
    }
    notes
}

fn compute(roles: &[Role], cluster_sorted: &[usize], target: usize) -> Vec<PolicyRule> {
    let mut out: Vec<PolicyRule> = Vec::new();
    let Some(rule) = &roles[target].aggregation_rule else {
        return out;
    };
    // Membership by hash: the rules stay in first-seen order, without a quadratic scan.
    let mut seen: std::collections::HashSet<&PolicyRule> = std::collections::HashSet::new();
    for sel in &rule.cluster_role_selectors {
        for &j in cluster_sorted {
            if j == target || !selector::matches(sel, &roles[j].metadata.labels) {
                continue;
            }
            for r in &roles[j].rules {
                if seen.insert(r) {
                    out.push(r.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects::Origin;
    use crate::model::Inventory;
    use serde_json::json;

    /// N ClusterRoles that all carry the label they all select settle in a few passes on one
    /// common set of rules. The first role processed loses its own rule, as with the
    /// controller: its written rules are replaced before the others read them.
    #[test]
    fn mutually_aggregating_roles_reach_the_fixed_point() {
        let n = 60;
        let objects = (0..n)
            .map(|i| {
                (
                    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                        "metadata": {"name": format!("r{i:03}"), "labels": {"a": "x"}},
                        "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"a": "x"}}]},
                        "rules": [{"apiGroups": [""], "resources": [format!("res{i}")], "verbs": ["get"]}]}),
                    Origin {
                        source: "t.yaml".into(),
                        document: i + 1,
                        line: 1,
                    },
                )
            })
            .collect();
        let mut inv = Inventory::default();
        inv.add_objects(objects).expect("objects");
        let notes = aggregate(&mut inv.roles);
        assert!(notes.is_empty(), "{notes:?}");
        let counts: Vec<usize> = inv.roles.iter().map(|r| r.rules.len()).collect();
        assert!(counts.iter().all(|c| *c == n - 1), "{counts:?}");
        assert!(inv.roles.windows(2).all(|w| w[0].rules == w[1].rules));
    }
}
