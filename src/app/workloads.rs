//! Pods derived from workload pod templates, for manifests that hold Deployments, StatefulSets,
//! DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs rather than Pods: one
//! representative pod per workload (its template's labels, ports, hostNetwork and the
//! workload's namespace), named `SHORT.NAME` (`deploy.argocd-server`) so that a table shows it
//! is derived. A real Pod wins: no pod is derived for a workload when a Pod of its namespace
//! carries all of its template's labels, nor for a ReplicaSet or Job that another object owns
//! (its owner's template is the one that counts).

use serde_json::{json, Value};

use crate::model::Inventory;

/// How a derived pod's origin begins (tables and notes tell derived pods by it).
pub const DERIVED_ORIGIN: &str = "the pod template of";

/// The workload kinds, their short name and the accepted endpoint prefixes (kubectl's).
const WORKLOADS: &[(&str, &str, &[&str])] = &[
    (
        "Deployment",
        "deploy",
        &["deploy", "deployment", "deployments"],
    ),
    (
        "StatefulSet",
        "sts",
        &["sts", "statefulset", "statefulsets"],
    ),
    ("DaemonSet", "ds", &["ds", "daemonset", "daemonsets"]),
    ("ReplicaSet", "rs", &["rs", "replicaset", "replicasets"]),
    (
        "ReplicationController",
        "rc",
        &["rc", "replicationcontroller", "replicationcontrollers"],
    ),
    ("Job", "job", &["job", "jobs"]),
    ("CronJob", "cronjob", &["cj", "cronjob", "cronjobs"]),
];

/// The derived pod name for an endpoint written `TYPE/NAME` (`deploy/web`, `sts/db` …), or
/// `None` when the prefix is not a workload type.
pub fn derived_pod_name(type_arg: &str, name: &str) -> Option<String> {
    let lower = type_arg.to_lowercase();
    WORKLOADS
        .iter()
        .find(|(_, _, aliases)| aliases.contains(&lower.as_str()))
        .map(|(_, short, _)| format!("{short}.{name}"))
}

/// The pod template of a workload object, if it has one.
fn template<'a>(kind: &str, value: &'a Value) -> Option<&'a Value> {
    let t = if kind == "CronJob" {
        value.pointer("/spec/jobTemplate/spec/template")
    } else {
        value.pointer("/spec/template")
    }?;
    t.is_object().then_some(t)
}

/// One Pod object per workload of the inventory that has no real Pod, with where it comes
/// from.
pub fn derived_pods(inventory: &Inventory) -> Vec<(Value, String)> {
    // The labels of the real Pods, by namespace.
    let pods: Vec<(&str, &serde_json::Map<String, Value>)> = inventory
        .other
        .iter()
        .filter(|o| o.kind == "Pod")
        .filter_map(|o| {
            let ns = o
                .value
                .pointer("/metadata/namespace")?
                .as_str()
                .unwrap_or("");
            Some((ns, o.value.pointer("/metadata/labels")?.as_object()?))
        })
        .collect();
    let mut out = Vec::new();
    for raw in &inventory.other {
        let Some((kind, short, _)) = WORKLOADS.iter().find(|(k, _, _)| *k == raw.kind) else {
            continue;
        };
        let Some(template) = template(kind, &raw.value) else {
            continue;
        };
        let meta = &raw.value["metadata"];
        if meta["ownerReferences"]
            .as_array()
            .is_some_and(|owners| !owners.is_empty())
        {
            continue;
        }
        let name = meta["name"].as_str().unwrap_or("");
        let namespace = meta["namespace"].as_str().unwrap_or("");
        let labels = template
            .pointer("/metadata/labels")
            .cloned()
            .unwrap_or(json!({}));
        let has_real_pod = labels.as_object().is_some_and(|want| {
            !want.is_empty()
                && pods.iter().any(|(ns, have)| {
                    (*ns == namespace || namespace.is_empty())
                        && want.iter().all(|(k, v)| have.get(k) == Some(v))
                })
        });
        if has_real_pod || name.is_empty() {
            continue;
        }
        let mut metadata = json!({"name": format!("{short}.{name}"), "labels": labels});
        if !namespace.is_empty() {
            metadata["namespace"] = json!(namespace);
        }
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": template.get("spec").cloned().unwrap_or(json!({}))});
        out.push((
            pod,
            format!("{DERIVED_ORIGIN} {kind} {name} at {}", raw.origin),
        ));
    }
    out
}
