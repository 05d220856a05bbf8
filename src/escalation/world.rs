//! What escalation knows of the cluster beyond RBAC: running pods and workload templates,
//! token Secrets (metadata only), nodes, namespaces' Pod Security labels.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::access::AccessModel;
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
                    .insert(ns.metadata.name.clone(), level.clone());
            }
        }
        let text = |v: &Value, p: &str| {
            v.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
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
                    let ns = match text(v, "/metadata/namespace") {
                        n if n.is_empty() => placement.clone(),
                        n => n,
                    };
                    let name = text(v, "/metadata/name");
                    let node = spec
                        .and_then(|s| s.get("nodeName"))
                        .and_then(Value::as_str)
                        .filter(|n| !n.is_empty())
                        .map(str::to_string);
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
