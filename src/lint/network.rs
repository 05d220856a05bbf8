//! Network: namespaces whose pods are not isolated by default (per direction), and policies
//! that allow everything — answered by the NetworkPolicy engine behind `default-deny`.

use std::collections::HashMap;

use super::{Context, Finding, Location, ObjectRef, Rule};
use crate::model::field_path::FieldPath;
use crate::model::objects::Origin;
use crate::netpol::{DirectionPosture, NamespacePosture, PolicyRole};

/// Where a namespace-level finding is located: its Namespace object, else the first pod or
/// workload read in it.
fn namespace_location(ctx: &Context, namespace: &str) -> Location {
    let object = ObjectRef::new("Namespace", "", namespace);
    if let Some(ns) = ctx
        .input
        .inventory
        .namespaces
        .iter()
        .find(|n| n.metadata.name == namespace)
    {
        return Location::new(object, &ns.origin, FieldPath::default());
    }
    let origin = ctx
        .input
        .templates
        .iter()
        .find(|t| t.namespace == namespace)
        .map(|t| t.origin.clone())
        .unwrap_or(Origin {
            source: String::new(),
            document: 0,
            line: 0,
        });
    Location::new(object, &origin, FieldPath::default())
}

/// Each namespace's posture, found once for every rule that reads it.
fn postures<'c>(ctx: &'c Context) -> &'c [NamespacePosture] {
    ctx.postures.get_or_init(|| {
        let Some(model) = ctx.input.network else {
            return Vec::new();
        };
        model
            .namespaces()
            .map(|n| model.namespace_posture(&n.name))
            .collect()
    })
}

fn no_default_deny(
    ctx: &Context,
    rule: &'static Rule,
    direction: &str,
    pick: fn(&NamespacePosture) -> &DirectionPosture,
    out: &mut Vec<Finding>,
) {
    for p in postures(ctx) {
        let d = pick(p);
        if d.default_deny || d.all_pods_isolated {
            continue;
        }
        let why = if d.policies.is_empty() {
            format!("no NetworkPolicy selects its pods for {direction}")
        } else {
            format!("no NetworkPolicy selects every pod for {direction}")
        };
        out.push(Finding::new(
            rule,
            namespace_location(ctx, &p.namespace),
            None,
            "",
            format!(
                "namespace {} has no default-deny for {direction}: {why}, so new pods accept all {}",
                p.namespace,
                if direction == "ingress" {
                    "incoming connections"
                } else {
                    "outgoing connections"
                }
            ),
        ));
    }
}

/// Namespaces without an ingress default-deny.
pub fn no_default_deny_ingress(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    no_default_deny(ctx, rule, "ingress", |p| &p.ingress, out);
}

/// Namespaces without an egress default-deny.
pub fn no_default_deny_egress(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    no_default_deny(ctx, rule, "egress", |p| &p.egress, out);
}

/// Policies that select every pod and allow everything in a direction: nothing else in the
/// namespace can deny that direction.
pub fn allow_all(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    let mut origins = None;
    for p in postures(ctx) {
        for (direction, d) in [("ingress", &p.ingress), ("egress", &p.egress)] {
            for pol in &d.policies {
                if pol.role != PolicyRole::AllowAll {
                    continue;
                }
                let origin = origins
                    .get_or_insert_with(|| policy_origins(ctx))
                    .get(&(p.namespace.as_str(), pol.name.as_str()))
                    .map(|o| (*o).clone())
                    .unwrap_or(Origin {
                        source: String::new(),
                        document: 0,
                        line: 0,
                    });
                let field = if direction == "ingress" {
                    "ingress"
                } else {
                    "egress"
                };
                let path = match pol.allow_all_rules.first() {
                    Some(&i) => FieldPath::keys(&["spec", field]).index(i),
                    None => FieldPath::keys(&["spec"]),
                };
                out.push(Finding::new(
                    rule,
                    Location::new(
                        ObjectRef::new("NetworkPolicy", &p.namespace, &pol.name),
                        &origin,
                        path,
                    ),
                    None,
                    direction,
                    format!(
                        "NetworkPolicy {}/{} allows all {direction} to every pod of the namespace: no other policy can deny {direction} there",
                        p.namespace, pol.name
                    ),
                ));
            }
        }
    }
}

/// Where each NetworkPolicy was read, by namespace and name (a policy without a namespace was
/// placed in the default namespace; the first read of a name wins): built once, not scanned for
/// every finding.
fn policy_origins<'a>(ctx: &Context<'a>) -> HashMap<(&'a str, &'a str), &'a Origin> {
    let placement = ctx.input.inventory.default_namespace.as_str();
    let mut out = HashMap::new();
    for o in ctx.input.inventory.other.iter() {
        if o.kind != "NetworkPolicy" {
            continue;
        }
        let text = |p: &str| {
            o.value
                .pointer(p)
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
        };
        let ns = match text("/metadata/namespace") {
            "" => placement,
            ns => ns,
        };
        out.entry((ns, text("/metadata/name"))).or_insert(&o.origin);
    }
    out
}
