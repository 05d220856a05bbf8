//! ClusterRole aggregation, computed from manifests the way the aggregation controller does.
//!
//! For each selector in order, the ClusterRoles it selects (other than the aggregating role
//! itself) are taken in name order and their rules appended unless an equal rule is already
//! there; a non-empty result *replaces* the role's own rules. An empty result changes nothing:
//! the controller server-side-applies the role with no rules, which removes none that another
//! manager wrote (kube-apiserver 1.35 keeps the written rules; tests/e2e_apiserver.rs checks it).
//! Aggregated roles can select other aggregated roles, so the computation is repeated until
//! nothing changes.

use crate::model::access::HashMap;
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
    // Rules are interned once: passes then move ids, and a union is a pass over ids with a
    // "seen" mark, never a comparison of rules.
    let mut ids: HashMap<PolicyRule, u32> = HashMap::default();
    let mut table: Vec<PolicyRule> = Vec::new();
    let mut intern = |r: &PolicyRule| -> u32 {
        if let Some(&id) = ids.get(r) {
            return id;
        }
        let id = table.len() as u32;
        ids.insert(r.clone(), id);
        table.push(r.clone());
        id
    };
    // Only ClusterRoles can be selected; a namespaced Role's rules are never read here.
    let mut rules: Vec<Vec<u32>> = vec![Vec::new(); roles.len()];
    for &i in &cluster {
        rules[i] = roles[i].rules.iter().map(&mut intern).collect();
    }
    // Which cluster roles each aggregating role selects, in the controller's order (selector by
    // selector, roles by name), computed once: labels do not change.
    let view: &[Role] = roles;
    let selected: Vec<Vec<usize>> =
        aggregating
            .iter()
            .map(|&i| {
                let mut out = Vec::new();
                if let Some(rule) = &view[i].aggregation_rule {
                    for sel in &rule.cluster_role_selectors {
                        out.extend(cluster.iter().copied().filter(|&j| {
                            j != i && selector::matches(sel, &view[j].metadata.labels)
                        }));
                    }
                }
                out
            })
            .collect();
    // Who reads whom: a role is recomputed only when a role it selects changed.
    let mut readers: HashMap<usize, Vec<usize>> = HashMap::default();
    for (k, sel) in selected.iter().enumerate() {
        for &j in sel {
            readers.entry(j).or_default().push(k);
        }
    }
    let mut seen = vec![false; table.len()];
    let mut dirty = vec![true; aggregating.len()];
    let mut touched = false;
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for (k, &i) in aggregating.iter().enumerate() {
            if !dirty[k] {
                continue;
            }
            dirty[k] = false;
            let mut out: Vec<u32> = Vec::new();
            for &j in &selected[k] {
                for &r in &rules[j] {
                    if !seen[r as usize] {
                        seen[r as usize] = true;
                        out.push(r);
                    }
                }
            }
            for &r in &out {
                seen[r as usize] = false;
            }
            if !out.is_empty() && rules[i] != out {
                rules[i] = out;
                changed = true;
                touched = true;
                for &reader in readers.get(&i).into_iter().flatten() {
                    dirty[reader] = true;
                }
            }
        }
        if !changed {
            if touched {
                for &i in &aggregating {
                    roles[i].rules = rules[i]
                        .iter()
                        .map(|&r| table[r as usize].clone())
                        .collect();
                }
            }
            return notes;
        }
    }
    for &i in &aggregating {
        roles[i].rules = rules[i]
            .iter()
            .map(|&r| table[r as usize].clone())
            .collect();
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

    /// The hostile shape of the fuzzing report (N roles that all aggregate each other, and one
    /// role over 20,000 labelled roles) costs work near the size of the result: counted in rule
    /// visits, not timed.
    #[test]
    fn hostile_aggregation_stays_bounded() {
        let role = |i: usize, aggregating: bool| {
            let mut v = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": {"name": format!("r{i:05}"), "labels": {"a": "x"}},
                "rules": [{"apiGroups": [""], "resources": [format!("res{i}")], "verbs": ["get"]}]});
            if aggregating {
                v["aggregationRule"] =
                    json!({"clusterRoleSelectors": [{"matchLabels": {"a": "x"}}]});
            }
            (
                v,
                Origin {
                    source: "t.yaml".into(),
                    document: i + 1,
                    line: 1,
                },
            )
        };
        for (n, aggregating) in [(300usize, n_all()), (20_000, 1)] {
            let objects = (0..n).map(|i| role(i, i < aggregating.min(n))).collect();
            let mut inv = Inventory::default();
            inv.add_objects(objects).unwrap();
            let start = std::time::Instant::now();
            let notes = aggregate(&mut inv.roles);
            assert!(notes.is_empty());
            // A generous bound for a debug build on a shared machine; it took minutes before.
            assert!(
                start.elapsed() < std::time::Duration::from_secs(20),
                "{n}: {:?}",
                start.elapsed()
            );
        }
    }

    fn n_all() -> usize {
        usize::MAX
    }
}
