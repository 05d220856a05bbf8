//! Escalation paths to cluster-admin (the `escalation` engine): a subject that is not
//! cluster-admin but can become it in two hops or more. One hop (a cluster-admin binding, a
//! bind or escalate grant) is reported by the rules that see it directly.

use super::rbac::{binding_object, subject_namespace, subject_ref};
use super::{Context, Evidence, Finding, Location, Rule, SubjectRef};
use crate::escalation::{Escalation, Principal, World};
use crate::model::field_path::FieldPath;
use crate::model::BindingKind;
use crate::rbac::SYSTEM_MASTERS;

pub(crate) use crate::escalation::LIMIT;

/// The binding a hop's first permission comes from (`Kind/ns/name → …`).
fn binding_of(ctx: &Context, by: &str) -> Option<usize> {
    let binding = by.split(" → ").next()?;
    let mut parts = binding.split('/');
    let kind = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    match (kind, rest.as_slice()) {
        ("ClusterRoleBinding", [name]) => ctx.binding(BindingKind::ClusterRoleBinding, "", name),
        ("RoleBinding", [ns, name]) => ctx.binding(BindingKind::RoleBinding, ns, name),
        _ => None,
    }
}

/// Subjects that reach cluster-admin in two hops or more.
pub fn to_cluster_admin(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let model = ctx.input.access;
    let world = World::from_inventory(ctx.input.inventory, model);
    let e = Escalation::new(model, &world);
    // Subjects of bindings outside the bootstrap policy, once each, with where they are named.
    let mut principals: Vec<Principal> = Vec::new();
    let mut starts: Vec<(SubjectRef, usize, usize)> = Vec::new();
    let mut seen: std::collections::HashSet<Principal, ahash::RandomState> = Default::default();
    // Subjects as written (a ServiceAccount's namespace defaulted), borrowed: most repeat
    // (250,000 subjects, 46,000 principals in a large cluster), and a repeat is skipped before
    // anything is allocated. The same subject is always the same principal.
    let mut seen_subjects: std::collections::HashSet<(&str, &str, &str), ahash::RandomState> =
        Default::default();
    for (id, b) in model.bindings.iter().enumerate() {
        if ctx.is_default_binding(id) || b.role.is_err() {
            continue;
        }
        for (i, s) in b.subjects.iter().enumerate() {
            if s.kind == "Group" && s.name == SYSTEM_MASTERS {
                continue;
            }
            let namespace = subject_namespace(b, s);
            if !seen_subjects.insert((s.kind.as_str(), namespace, s.name.as_str())) {
                continue;
            }
            let Some(subject) = subject_ref(b, s) else {
                continue;
            };
            let ns = subject.namespace.as_deref().unwrap_or_default();
            let Some(start) = Principal::of_subject(&s.kind, ns, &s.name) else {
                continue;
            };
            if seen.insert(start.clone()) {
                principals.push(start);
                starts.push((subject, id, i));
            }
        }
    }
    drop(seen);
    let admin = |p: &Principal| *p == Principal::ClusterAdmin;
    // Each subject's finding is made where its path is found, on every core.
    let limit = ctx.escalation_limit;
    let (found, truncated) = e.reach_map(&principals, &[&admin], limit, true, &|k, _, path| {
        if path.len() < 2 {
            return None;
        }
        let (subject, id, i) = &starts[k];
        let (id, i) = (*id, *i);
        let steps: Vec<String> = path
            .iter()
            .map(|(_, to, h)| format!("{} → {}", h.primitive.as_str(), to.display()))
            .collect();
        // Located at the binding that enables the first hop, when it names this subject.
        let first = path[0]
            .2
            .grants
            .first()
            .and_then(|g| binding_of(ctx, &g.by));
        let (loc_binding, loc_index) = match first {
            Some(fb) => {
                let fbind = &model.bindings[fb];
                let idx = fbind
                    .subjects
                    .iter()
                    .position(|x| subject_ref(fbind, x).as_ref() == Some(subject));
                (fb, idx)
            }
            None => (id, Some(i)),
        };
        let lb = &model.bindings[loc_binding];
        let path_field = match loc_index {
            Some(k) => FieldPath::keys(&["subjects"]).index(k),
            None => FieldPath::keys(&["subjects"]),
        };
        let evidence: Vec<Evidence> = path
            .iter()
            .enumerate()
            .map(|(n, (from, to, h))| {
                let by = h.grants.first().map(|g| g.by.clone()).unwrap_or_default();
                let location = h
                    .grants
                    .first()
                    .and_then(|g| binding_of(ctx, &g.by))
                    .map(|bid| {
                        let bb = &model.bindings[bid];
                        Location::new(
                            binding_object(bb),
                            &bb.origin,
                            FieldPath::keys(&["roleRef"]),
                        )
                    })
                    .unwrap_or_else(|| {
                        Location::new(binding_object(lb), &lb.origin, FieldPath::default())
                    });
                Evidence {
                    message: format!(
                        "hop {}: {} {} → {}{}",
                        n + 1,
                        from.display(),
                        h.primitive.as_str(),
                        to.display(),
                        if by.is_empty() {
                            String::new()
                        } else {
                            format!(" ({by})")
                        }
                    ),
                    location,
                }
            })
            .collect();
        Some(
            Finding::new(
                rule,
                Location::new(binding_object(lb), &lb.origin, path_field),
                Some(subject.clone()),
                "",
                format!(
                    "{subject} can become cluster-admin in {} hops: {} (kubeaudit escalation shows the path)",
                    path.len(),
                    steps.join(", ")
                ),
            )
            .with_evidence(evidence),
        )
    });
    out.extend(found.into_iter().map(|(_, f)| f));
    if truncated {
        ctx.incomplete(format!(
            "{}: the escalation search stopped after {limit} principals, further paths may exist",
            rule.id
        ));
    }
}
