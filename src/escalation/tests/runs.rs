//! A run of hops into pods is searched as its hops one by one would be: on generated clusters
//! (replicas sharing a ServiceAccount, workload templates, impersonation and tokens beside
//! exec), every backward search over the graph's runs gives the distances and edges of the
//! same search over every hop reversed one by one (the forward search reads a run's hops in
//! order, as `Graph::edges` lists them).

use std::fmt::Write;

use super::*;
use crate::escalation::graph::{Backward, Edge, Graph};

/// A small deterministic generator (a linear congruential one: no crate needed for this).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const ROLES: [(&str, &str); 8] = [
    (
        "exec",
        r#"[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]"#,
    ),
    (
        "patch",
        r#"[{apiGroups: [""], resources: [pods], verbs: [patch]}]"#,
    ),
    (
        "deploy",
        r#"[{apiGroups: [apps], resources: [deployments], verbs: [update]}]"#,
    ),
    (
        "impersonate",
        r#"[{apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}]"#,
    ),
    (
        "token",
        r#"[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}]"#,
    ),
    (
        "listed",
        r#"[{apiGroups: [""], resources: [pods/exec], resourceNames: [p-1], verbs: [create]}, {apiGroups: [""], resources: [pods/attach], verbs: [create]}]"#,
    ),
    (
        "all",
        r#"[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]"#,
    ),
    (
        "pods",
        r#"[{apiGroups: [""], resources: [pods], verbs: [create]}]"#,
    ),
];

fn cluster(seed: u64) -> String {
    let mut rng = Lcg(seed);
    let mut y = String::new();
    for (name, rules) in ROLES {
        let _ = write!(
            y,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {{name: {name}}}\nrules: {rules}\n"
        );
    }
    let accounts = ["a", "b", "c"];
    for n in 0..6 {
        let _ = write!(
            y,
            "---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: n{n}}}\n"
        );
        for p in 0..4 {
            let account = accounts[rng.below(3)];
            let _ = write!(
                y,
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p-{p}, namespace: n{n}}}\nspec: {{serviceAccountName: {account}, nodeName: node-{}, containers: [{{name: c, image: i}}]}}\n",
                rng.below(3)
            );
        }
        if rng.below(2) == 0 {
            let _ = write!(
                y,
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d, namespace: n{n}}}\nspec: {{template: {{spec: {{serviceAccountName: {}, containers: [{{name: c, image: i}}]}}}}}}\n",
                accounts[rng.below(3)]
            );
        }
    }
    for b in 0..24 {
        let subject = if rng.below(3) == 0 {
            format!(
                "{{kind: User, apiGroup: rbac.authorization.k8s.io, name: u{}}}",
                rng.below(5)
            )
        } else {
            format!(
                "{{kind: ServiceAccount, name: {}, namespace: n{}}}",
                accounts[rng.below(3)],
                rng.below(6)
            )
        };
        let role = ROLES[rng.below(ROLES.len())].0;
        // "all" stays rare: a few principals reach cluster-admin, most only by hops.
        let role = if role == "all" && rng.below(3) != 0 {
            "exec"
        } else {
            role
        };
        let (kind, ns) = match rng.below(3) {
            0 => ("ClusterRoleBinding", String::new()),
            _ => ("RoleBinding", format!(", namespace: n{}", rng.below(6))),
        };
        let _ = write!(
            y,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {{name: b{b}{ns}}}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role}}}\nsubjects: [{subject}]\n"
        );
    }
    y
}

/// Every node's edges, each run's hops one by one: `edges[v]`.
fn one_by_one(g: &Graph) -> Vec<Vec<Edge>> {
    (0..g.nodes.len() as u32).map(|v| g.edges(v)).collect()
}

/// The backward search as it was before runs: over every hop reversed one by one.
fn backward_one_by_one(
    g: &Graph,
    goal: &dyn Fn(&Principal) -> bool,
) -> (Vec<u32>, Vec<Option<Edge>>) {
    let out = one_by_one(g);
    let n = out.len();
    let mut incoming: Vec<Vec<(u32, Edge)>> = vec![Vec::new(); n];
    for (v, edges) in out.iter().enumerate() {
        for e in edges {
            incoming[e.to as usize].push((v as u32, *e));
        }
    }
    let mut search = Backward::new(g, goal);
    while let Some(w) = search.deque.pop_front() {
        let d = search.dist[w as usize];
        for &(v, e) in &incoming[w as usize] {
            search.relax(d, v, e);
        }
    }
    (search.dist, search.next)
}

fn same(a: Option<Edge>, b: Option<Edge>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.to == b.to && a.hop == b.hop,
        _ => false,
    }
}

#[test]
fn runs_are_searched_as_their_hops_one_by_one() {
    let (mut repeated, mut reached_through_runs) = (0, 0);
    for seed in 0..40 {
        let f = fixture(&cluster(seed));
        let e = Escalation::new(&f.model, &f.world);
        let subjects = crate::escalation::subjects(&f.model);
        for admin_only in [false, true] {
            let g = e.graph(&subjects, 10_000, admin_only);
            let reverse = g.reverse();
            let goals: [&dyn Fn(&Principal) -> bool; 2] =
                [&|p| *p == Principal::ClusterAdmin, &|p| {
                    *p == Principal::Node
                }];
            for goal in goals {
                let (dist, next) = g.backward(&reverse, goal);
                let (want_dist, want_next) = backward_one_by_one(&g, goal);
                assert_eq!(dist, want_dist, "seed {seed}");
                for v in 0..dist.len() {
                    assert!(same(next[v], want_next[v]), "seed {seed}, node {v}");
                    reached_through_runs += usize::from(
                        dist[v] != u32::MAX && next[v].is_some_and(|e| e.hop & (1 << 31) != 0),
                    );
                }
            }
            for v in 0..g.nodes.len() as u32 {
                // A run holding a pod whose ServiceAccount an earlier hop reaches.
                let mut targets: Vec<u32> = g.edges(v).iter().map(|e| e.to).collect();
                let all = targets.len();
                targets.sort_unstable();
                targets.dedup();
                repeated += all - targets.len();
            }
        }
    }
    // The generated clusters have what the comparison is about.
    assert!(repeated > 0 && reached_through_runs > 0);
}
