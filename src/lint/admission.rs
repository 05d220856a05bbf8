//! Admission: webhooks that fail open or can be sidestepped with labels, and namespaces that
//! Pod Security admission does not guard.

use serde_json::Value;

use super::rbac::{grants, Ask};
use super::{Context, Evidence, Finding, Location, ObjectRef, Rule};
use crate::model::field_path::FieldPath;
use crate::model::objects::RawObject;
use crate::rbac::rule::resource_matches;

/// Resources whose admission checks guard against privilege: (group, resource, subresource).
const GUARDED: &[(&str, &str, &str)] = &[
    ("", "pods", ""),
    ("", "pods", "exec"),
    ("", "pods", "attach"),
    ("", "pods", "ephemeralcontainers"),
    ("", "secrets", ""),
    ("", "serviceaccounts", ""),
    ("", "namespaces", ""),
    ("", "nodes", ""),
    ("", "replicationcontrollers", ""),
    ("apps", "deployments", ""),
    ("apps", "statefulsets", ""),
    ("apps", "daemonsets", ""),
    ("apps", "replicasets", ""),
    ("batch", "jobs", ""),
    ("batch", "cronjobs", ""),
    ("rbac.authorization.k8s.io", "roles", ""),
    ("rbac.authorization.k8s.io", "rolebindings", ""),
    ("rbac.authorization.k8s.io", "clusterroles", ""),
    ("rbac.authorization.k8s.io", "clusterrolebindings", ""),
];

/// The label the API server sets on every Namespace to its name; nobody can change it.
const NAME_LABEL: &str = "kubernetes.io/metadata.name";

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The guarded resources a webhook's rules intercept, as `group/resource[/sub]`.
fn guarded_resources(webhook: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let rules = webhook.get("rules").and_then(Value::as_array);
    for rule in rules.into_iter().flatten() {
        let groups = strings(rule.get("apiGroups"));
        let resources = strings(rule.get("resources"));
        let ops = strings(rule.get("operations"));
        let writes = ops
            .iter()
            .any(|o| matches!(o.as_str(), "*" | "CREATE" | "UPDATE" | "CONNECT"));
        if !writes {
            continue;
        }
        for &(g, r, sub) in GUARDED {
            let group_ok = groups.iter().any(|x| x == "*" || x == g);
            // Webhook rules match resources as RBAC does, plus `*/*` for all subresources.
            let res_ok = resource_matches(&resources, r, sub)
                || (!sub.is_empty() && resources.iter().any(|x| x == "*/*"));
            if group_ok && res_ok {
                let name = match (g, sub) {
                    ("", "") => r.to_string(),
                    ("", s) => format!("{r}/{s}"),
                    (g, "") => format!("{r}.{g}"),
                    (g, s) => format!("{r}.{g}/{s}"),
                };
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

/// Each webhook of each webhook configuration: the object, its index, the webhook.
fn webhooks<'a>(ctx: &'a Context) -> impl Iterator<Item = (&'a RawObject, usize, &'a Value)> {
    ctx.input
        .inventory
        .other
        .iter()
        .filter(|o| {
            matches!(
                o.kind.as_str(),
                "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration"
            ) && o.api_version.starts_with("admissionregistration.k8s.io/")
        })
        .flat_map(|o| {
            o.value
                .get("webhooks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(i, w)| (o, i, w))
        })
}

fn object_of(o: &RawObject) -> ObjectRef {
    let name = o
        .value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    ObjectRef::new(&o.kind, "", name)
}

fn webhook_name(w: &Value, i: usize) -> String {
    w.get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("webhooks[{i}]"))
}

/// Webhooks on security-relevant resources with `failurePolicy: Ignore`: when the webhook is
/// down or slow, the request is admitted unchecked.
pub fn fails_open(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    for (o, i, w) in webhooks(ctx) {
        if w.get("failurePolicy").and_then(Value::as_str) != Some("Ignore") {
            continue; // v1 defaults to Fail
        }
        let guarded = guarded_resources(w);
        if guarded.is_empty() {
            continue;
        }
        let object = object_of(o);
        out.push(Finding::new(
            rule,
            Location::new(
                object.clone(),
                &o.origin,
                FieldPath::keys(&["webhooks"]).index(i).key("failurePolicy"),
            ),
            None,
            &webhook_name(w, i),
            format!(
                "{} {}: webhook {:?} has failurePolicy Ignore on {}: whenever it is unreachable, those requests are admitted unchecked",
                o.kind,
                object.name,
                webhook_name(w, i),
                guarded.join(", ")
            ),
        ));
    }
}

/// Label keys of a selector (matchLabels and matchExpressions).
fn selector_keys(selector: Option<&Value>) -> Vec<String> {
    let Some(s) = selector else { return Vec::new() };
    let mut keys: Vec<String> = s
        .get("matchLabels")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for e in s
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(k) = e.get("key").and_then(Value::as_str) {
            keys.push(k.to_string());
        }
    }
    keys
}

/// Webhooks on security-relevant resources whose namespaceSelector rests on labels that
/// anyone allowed to update a Namespace can change, or whose objectSelector rests on labels
/// the object's own author writes.
pub fn selector_bypass(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ASKS: [Ask; 2] = [
        Ask {
            verb: "update",
            group: "",
            resource: "namespaces",
            subresource: "",
            namespaced: false,
        },
        Ask {
            verb: "patch",
            group: "",
            resource: "namespaces",
            subresource: "",
            namespaced: false,
        },
    ];
    let relabel = grants(ctx, &ASKS);
    let model = ctx.input.access;
    for (o, i, w) in webhooks(ctx) {
        let guarded = guarded_resources(w);
        if guarded.is_empty() {
            continue;
        }
        let object = object_of(o);
        let name = webhook_name(w, i);
        let ns_keys: Vec<String> = selector_keys(w.get("namespaceSelector"))
            .into_iter()
            .filter(|k| k != NAME_LABEL)
            .collect();
        if !ns_keys.is_empty() && !relabel.is_empty() {
            let evidence: Vec<Evidence> = relabel
                .iter()
                .take(5)
                .map(|h| {
                    let b = &model.bindings[h.binding];
                    Evidence {
                        message: format!(
                            "{} {} grants {} on namespaces",
                            b.kind.as_str(),
                            b.name,
                            ASKS[h.ask].verb
                        ),
                        location: Location::new(
                            super::rbac::binding_object(b),
                            &b.origin,
                            FieldPath::keys(&["roleRef"]),
                        ),
                    }
                })
                .collect();
            out.push(
                Finding::new(
                    rule,
                    Location::new(
                        object.clone(),
                        &o.origin,
                        FieldPath::keys(&["webhooks"]).index(i).key("namespaceSelector"),
                    ),
                    None,
                    &format!("{name}:namespaceSelector"),
                    format!(
                        "{} {}: webhook {name:?} on {} skips namespaces by label ({}), which {} binding(s) outside the bootstrap policy may change (update/patch namespaces); select by {NAME_LABEL} instead",
                        o.kind,
                        object.name,
                        guarded.join(", "),
                        ns_keys.join(", "),
                        relabel.len()
                    ),
                )
                .with_evidence(evidence),
            );
        }
        let obj_keys = selector_keys(w.get("objectSelector"));
        if !obj_keys.is_empty() {
            out.push(Finding::new(
                rule,
                Location::new(
                    object.clone(),
                    &o.origin,
                    FieldPath::keys(&["webhooks"]).index(i).key("objectSelector"),
                ),
                None,
                &format!("{name}:objectSelector"),
                format!(
                    "{} {}: webhook {name:?} on {} selects objects by their own labels ({}): whoever writes the object chooses whether it is checked",
                    o.kind,
                    object.name,
                    guarded.join(", "),
                    obj_keys.join(", ")
                ),
            ));
        }
    }
}

/// Namespaces without Pod Security admission enforcement (no `enforce` label, or
/// `privileged`).
pub fn namespace_without_psa(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    const ENFORCE: &str = "pod-security.kubernetes.io/enforce";
    for ns in &ctx.input.inventory.namespaces {
        let name = &ns.metadata.name;
        let (path, why) = match ns.metadata.labels.get(ENFORCE).map(String::as_str) {
            None => (
                FieldPath::keys(&["metadata"]),
                format!("has no {ENFORCE} label: pods of any privilege are admitted (unless the cluster sets a default)"),
            ),
            Some("privileged") => (
                FieldPath::keys(&["metadata", "labels"]),
                format!("sets {ENFORCE}: privileged: pods of any privilege are admitted"),
            ),
            Some(_) => continue,
        };
        out.push(Finding::new(
            rule,
            Location::new(ObjectRef::new("Namespace", "", name), &ns.origin, path),
            None,
            "",
            format!("Namespace {name} {why}"),
        ));
    }
}
