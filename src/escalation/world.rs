//! What escalation knows of the cluster beyond RBAC: running pods and workload templates,
//! token Secrets (metadata only), nodes, namespaces' Pod Security labels.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::access::AccessModel;
use crate::model::objects::present;
use crate::model::Inventory;

/// A pod (running, or a workload's pods from its template) as escalation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodInfo {
    /// Namespace.
    pub namespace: String,
    /// `Pod/name` or `Deployment/name` (for a template).
    pub object: String,
    /// The pod name (for a template: the workload's name).
    pub name: String,
    /// Its ServiceAccount.
    pub service_account: String,
    /// Its node, when known.
    pub node: Option<String>,
    /// True for a real Pod object (exec and patch need one); false for a template.
    pub running: bool,
}

/// A legacy token Secret (metadata only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSecret {
    /// Namespace.
    pub namespace: String,
    /// Secret name.
    pub name: String,
    /// The ServiceAccount it belongs to.
    pub service_account: String,
}

/// Everything escalation reads besides the access model.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// ServiceAccounts by namespace (objects read, and those bindings and pods name).
    pub service_accounts: BTreeMap<String, BTreeSet<String>>,
    /// User names bindings name.
    pub users: BTreeSet<String>,
    /// Group names bindings name.
    pub groups: BTreeSet<String>,
    /// Pods and workload templates.
    pub pods: Vec<PodInfo>,
    /// Indexes into `pods` by namespace, each in `pods`' order (a principal bound in a few
    /// namespaces looks at their pods only).
    pub pods_by_namespace: BTreeMap<String, Vec<usize>>,
    /// The kinds in `pods` (`Pod`, `Deployment`, …): a workload kind with no object is not
    /// looked for.
    pub pod_kinds: BTreeSet<String>,
    /// Legacy token Secrets.
    pub token_secrets: Vec<TokenSecret>,
    /// Namespaces' `pod-security.kubernetes.io/enforce` level (absent: none).
    pub pod_security: BTreeMap<String, String>,
    /// Node names known.
    pub nodes: BTreeSet<String>,
    /// True when running Pod objects were read (live data); else pods come from templates.
    pub live_pods: bool,
}

impl World {
    /// Gathers the world from an inventory and its model.
    pub fn from_inventory(inventory: &Inventory, model: &AccessModel) -> World {
        let mut w = World::default();
        let placement = if inventory.default_namespace.is_empty() {
            "default".to_string()
        } else {
            inventory.default_namespace.clone()
        };
        for (ns, name) in &model.service_accounts {
            w.service_accounts
                .entry(ns.clone())
                .or_default()
                .insert(name.clone());
        }
        for s in &model.subjects {
            match s.kind.as_str() {
                "User" => {
                    w.users.insert(s.name.clone());
                }
                "Group" => {
                    w.groups.insert(s.name.clone());
                }
                "ServiceAccount" if !s.namespace.is_empty() => {
                    w.service_accounts
                        .entry(s.namespace.clone())
                        .or_default()
                        .insert(s.name.clone());
                }
                _ => {}
            }
        }
        for ns in &model.namespaces {
            // The ServiceAccount controller gives every namespace a `default`.
            w.service_accounts
                .entry(ns.clone())
                .or_default()
                .insert("default".into());
        }
        for ns in &inventory.namespaces {
            if let Some(level) = ns.metadata.labels.get("pod-security.kubernetes.io/enforce") {
                w.pod_security
                    .insert(ns.metadata.name.to_string(), level.clone());
            }
        }
        for raw in &inventory.other {
            let v = &raw.value;
            match raw.kind.as_str() {
                "Node" => {
                    w.nodes.insert(text(v, "/metadata/name"));
                }
                "Secret"
                    if v.get("type").and_then(Value::as_str)
                        == Some("kubernetes.io/service-account-token") =>
                {
                    let ns = match text(v, "/metadata/namespace") {
                        n if n.is_empty() => placement.clone(),
                        n => n,
                    };
                    w.token_secrets.push(TokenSecret {
                        namespace: ns,
                        name: text(v, "/metadata/name"),
                        service_account: text(
                            v,
                            "/metadata/annotations/kubernetes.io~1service-account.name",
                        ),
                    });
                }
                kind => {
                    let Some(path) = crate::model::workload::pod_spec_path(kind) else {
                        continue;
                    };
                    // From the text when it has not been read yet (no value tree kept for
                    // 10,000s of pods); else, or when its shape is in the least unusual, from
                    // the value as before.
                    let read = match raw.value.unread_text().map(|t| fields(t, path)) {
                        Some(Some(read)) => read,
                        _ => fields_of_value(v, path),
                    };
                    let (sa, ns, name, node) = read;
                    let ns = match ns {
                        n if n.is_empty() => placement.clone(),
                        n => n,
                    };
                    if let Some(n) = &node {
                        w.nodes.insert(n.clone());
                    }
                    let running = kind == "Pod";
                    w.live_pods |= running;
                    w.service_accounts
                        .entry(ns.clone())
                        .or_default()
                        .insert(sa.clone());
                    w.pods_by_namespace
                        .entry(ns.clone())
                        .or_default()
                        .push(w.pods.len());
                    w.pod_kinds.insert(kind.to_string());
                    w.pods.push(PodInfo {
                        namespace: ns,
                        object: format!("{kind}/{name}"),
                        name,
                        service_account: sa,
                        node,
                        running,
                    });
                }
            }
        }
        w.nodes.remove("");
        w
    }
}

/// The string at `pointer` in `v`, else empty.
fn text(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// What the world reads of a pod or workload: its ServiceAccount (`default` when none is
/// named), namespace, name and node.
type PodFields = (String, String, String, Option<String>);

/// [`PodFields`] from an object's value; `path` leads to its pod spec.
fn fields_of_value(v: &Value, path: &[&str]) -> PodFields {
    let spec = v.pointer(&format!("/{}", path.join("/")));
    let sa = spec
        .and_then(|s| {
            s.get("serviceAccountName")
                .or_else(|| s.get("serviceAccount"))
        })
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    let node = spec
        .and_then(|s| s.get("nodeName"))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    (
        sa,
        text(v, "/metadata/namespace"),
        text(v, "/metadata/name"),
        node,
    )
}

/// [`PodFields`] decoded from an object's JSON text, the same as [`fields_of_value`] reads
/// them: `None` for any shape it reads differently (a field of another type, a repeated key),
/// which the caller reads from the value instead.
fn fields(json: &str, path: &[&str]) -> Option<PodFields> {
    let top: Level = serde_json::from_str(json).ok()?;
    let mut at = &top;
    for step in path {
        let next = match *step {
            "spec" => &at.spec,
            "template" => &at.template,
            "jobTemplate" => &at.job_template,
            _ => return None,
        };
        match next {
            Some(level) => at = level,
            None => {
                at = &NO_SPEC;
                break;
            }
        }
    }
    // A field present (even null) hides `serviceAccount`, as `get` does on the value.
    let sa = match (&at.service_account_name, &at.service_account) {
        (Some(named), _) => named.clone(),
        (None, Some(named)) => named.clone(),
        (None, None) => None,
    }
    .filter(|s| !s.is_empty())
    .unwrap_or_else(|| "default".to_string());
    let node = at.node_name.clone().flatten().filter(|n| !n.is_empty());
    let meta = top.metadata.as_ref().and_then(Option::as_ref);
    let text = |f: fn(&Meta) -> &Option<Option<String>>| {
        meta.and_then(|m| f(m).clone().flatten())
            .unwrap_or_default()
    };
    Some((sa, text(|m| &m.namespace), text(|m| &m.name), node))
}

/// The fields [`fields`] reads at one level of an object (the top, a spec, a template):
/// each `Some` when present, holding `None` when it is null.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Level {
    #[serde(default, deserialize_with = "present")]
    metadata: Option<Option<Meta>>,
    #[serde(default)]
    spec: Option<Box<Level>>,
    #[serde(default)]
    template: Option<Box<Level>>,
    #[serde(default)]
    job_template: Option<Box<Level>>,
    #[serde(default, deserialize_with = "present")]
    service_account_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    service_account: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    node_name: Option<Option<String>>,
}

/// A level that is not there (the path to the pod spec ends early).
static NO_SPEC: Level = Level {
    metadata: None,
    spec: None,
    template: None,
    job_template: None,
    service_account_name: None,
    service_account: None,
    node_name: None,
};

#[derive(serde::Deserialize)]
struct Meta {
    #[serde(default, deserialize_with = "present")]
    name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    namespace: Option<Option<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text decode reads what the value path reads, or leaves the object to it.
    #[test]
    fn pod_fields_from_text_are_those_of_the_value() {
        let specs = [
            r#"{"serviceAccountName":"web","nodeName":"n1"}"#,
            r#"{"serviceAccount":"old","nodeName":""}"#,
            r#"{"serviceAccountName":null,"serviceAccount":"old"}"#,
            r#"{"serviceAccountName":"","serviceAccount":"old"}"#,
            r#"{"serviceAccountName":5}"#,
            r#"{"nodeName":null,"containers":[{"name":"c"}]}"#,
            r#"{"serviceAccountName":"a","serviceAccountName":"b"}"#,
            r#"{"serviceAccountName":"w\u00e9b\n"}"#,
            r#"{}"#,
            r#"null"#,
            r#"[]"#,
            r#""text""#,
        ];
        let metas = [
            r#"{"name":"p","namespace":"shop"}"#,
            r#"{"name":"p"}"#,
            r#"{"name":null,"namespace":7}"#,
            r#"null"#,
            r#"{"labels":{"a":"b"},"name":"x"}"#,
        ];
        let mut read_from_text = 0;
        for spec in specs {
            for meta in metas {
                let objects = [
                    (
                        vec!["spec"],
                        format!(r#"{{"kind":"Pod","metadata":{meta},"spec":{spec}}}"#),
                    ),
                    (
                        vec!["spec", "template", "spec"],
                        format!(
                            r#"{{"metadata":{meta},"spec":{{"template":{{"metadata":{meta},"spec":{spec}}}}}}}"#
                        ),
                    ),
                    (
                        vec!["spec", "template", "spec"],
                        format!(r#"{{"metadata":{meta},"spec":{{"template":{spec}}}}}"#),
                    ),
                    (
                        vec!["spec", "jobTemplate", "spec", "template", "spec"],
                        format!(
                            r#"{{"metadata":{meta},"spec":{{"jobTemplate":{{"spec":{{"template":{{"spec":{spec}}}}}}}}}}}"#
                        ),
                    ),
                    (vec!["spec"], format!(r#"{{"metadata":{meta}}}"#)),
                ];
                for (path, json) in objects {
                    let value: Value = serde_json::from_str(&json).unwrap();
                    let want = fields_of_value(&value, &path);
                    if let Some(got) = fields(&json, &path) {
                        assert_eq!(got, want, "{json}");
                        read_from_text += 1;
                    }
                }
            }
        }
        // The usual shapes are read from the text.
        assert!(read_from_text > 150, "{read_from_text}");
    }
}
