//! The Node authorizer: what a kubelet (`system:node:<name>` in group `system:nodes`) may do.
//!
//! Requests on secrets, configmaps, PVCs, PVs, resource claims, volume attachments, service
//! account tokens, resource slices and pod certificate requests are allowed only along a
//! path of the node graph (object → pod bound to the node → node), built here from the
//! objects as stored (Pods, PersistentVolumes, VolumeAttachments, ResourceSlices,
//! PodCertificateRequests). Leases and CSINodes are limited to the node's own name; nodes and
//! pods are subdivided when `AuthorizeNodeWithSelectors` is on. Everything else is checked
//! against the static node rules. The authorizer never denies: a non-match is NoOpinion.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::attributes::{Attributes, ResourceAttributes, UserInfo};
use super::rule::rule_allows;
use crate::model::inventory::Inventory;
use crate::model::objects::RawObject;
use crate::model::{Origin, PolicyRule};

mod field_selector;
mod graph;

use field_selector::*;
pub use field_selector::{
    parse_field_selector, FieldOperator, FieldRequirement, FieldSelectorError,
};
pub use graph::{NodeGraph, NodeGraphError, Vertex, VertexKind, GRAPH_KINDS};

/// The username prefix of node identities.
pub const NODE_USER_PREFIX: &str = "system:node:";
/// The group every node identity must be in.
pub const NODES_GROUP: &str = "system:nodes";
/// The namespace of node heartbeat leases.
pub const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";
/// The annotation that marks a mirror pod (a static pod's API copy).
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// The node name when `user` is a node identity: the username starts with `system:node:` and
/// the groups contain `system:nodes`. The name may be empty (an unidentifiable node).
pub fn node_identity(user: &UserInfo) -> Option<&str> {
    let name = user.name.strip_prefix(NODE_USER_PREFIX)?;
    user.groups.iter().any(|g| g == NODES_GROUP).then_some(name)
}

/// Feature gates that change what nodes may do. [`Default`] is the Kubernetes 1.35 default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeFeatures {
    /// `AuthorizeNodeWithSelectors`: subdivide nodes and pods, and require a `spec.nodeName`
    /// field selector to list resource slices.
    pub authorize_node_with_selectors: bool,
    /// `DynamicResourceAllocation`: resource claim and slice rules in the static node rules.
    pub dynamic_resource_allocation: bool,
    /// `KubeletServiceAccountTokenForCredentialProviders`: nodes may get service accounts
    /// used by their pods.
    pub kubelet_service_account_token_for_credential_providers: bool,
    /// `ClusterTrustBundleProjection`: nodes may read cluster trust bundles.
    pub cluster_trust_bundle_projection: bool,
    /// `PodCertificateRequest`: nodes may create and read pod certificate requests.
    pub pod_certificate_request: bool,
}

impl Default for NodeFeatures {
    fn default() -> Self {
        NodeFeatures {
            authorize_node_with_selectors: true,
            dynamic_resource_allocation: true,
            kubelet_service_account_token_for_credential_providers: true,
            cluster_trust_bundle_projection: false,
            pod_certificate_request: false,
        }
    }
}

fn rule(verbs: &[&str], group: &str, resources: &[&str]) -> PolicyRule {
    let v = |xs: &[&str]| xs.iter().map(|&s| s.into()).collect::<Vec<_>>();
    PolicyRule {
        verbs: v(verbs),
        api_groups: vec![group.into()],
        resources: v(resources),
        ..Default::default()
    }
}

/// The static node rules (the bootstrap `system:node` ClusterRole's rules), used for every
/// request the Node authorizer does not subdivide.
pub fn node_rules(features: &NodeFeatures) -> Vec<PolicyRule> {
    const READ: &[&str] = &["get", "list", "watch"];
    let mut rules = vec![
        rule(&["create"], "authentication.k8s.io", &["tokenreviews"]),
        rule(
            &["create"],
            "authorization.k8s.io",
            &["subjectaccessreviews", "localsubjectaccessreviews"],
        ),
        rule(READ, "", &["services"]),
        rule(&["create", "get", "list", "watch"], "", &["nodes"]),
        rule(&["update", "patch"], "", &["nodes/status"]),
        rule(&["update", "patch"], "", &["nodes"]),
        PolicyRule {
            api_groups: vec!["".into(), "events.k8s.io".into()],
            ..rule(&["create", "update", "patch"], "", &["events"])
        },
        rule(READ, "", &["pods"]),
        rule(&["create", "delete"], "", &["pods"]),
        rule(&["update", "patch"], "", &["pods/status"]),
        rule(&["create"], "", &["pods/eviction"]),
        rule(READ, "", &["secrets", "configmaps"]),
        rule(
            &["get"],
            "",
            &["persistentvolumeclaims", "persistentvolumes"],
        ),
        rule(&["get"], "", &["endpoints"]),
        rule(
            &["create", "get", "list", "watch"],
            "certificates.k8s.io",
            &["certificatesigningrequests"],
        ),
        rule(
            &["get", "create", "update", "patch", "delete"],
            "coordination.k8s.io",
            &["leases"],
        ),
        rule(&["get"], "storage.k8s.io", &["volumeattachments"]),
        rule(&["create"], "", &["serviceaccounts/token"]),
        rule(
            &["get", "update", "patch"],
            "",
            &["persistentvolumeclaims/status"],
        ),
        rule(&["get", "watch", "list"], "storage.k8s.io", &["csidrivers"]),
        rule(
            &["get", "create", "update", "patch", "delete"],
            "storage.k8s.io",
            &["csinodes"],
        ),
        rule(READ, "node.k8s.io", &["runtimeclasses"]),
    ];
    if features.dynamic_resource_allocation {
        rules.push(rule(&["get"], "resource.k8s.io", &["resourceclaims"]));
        rules.push(rule(
            &["deletecollection"],
            "resource.k8s.io",
            &["resourceslices"],
        ));
    }
    if features.cluster_trust_bundle_projection {
        rules.push(rule(READ, "certificates.k8s.io", &["clustertrustbundles"]));
    }
    if features.kubelet_service_account_token_for_credential_providers {
        rules.push(rule(&["get"], "", &["serviceaccounts"]));
    }
    rules
}

/// The Node authorizer's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NodeVerdict {
    /// Allowed.
    Allow,
    /// No opinion (the next authorizer decides).
    NoOpinion,
    /// Depends on graph data kubeaudit does not have.
    Unknown,
}

/// The Node authorizer's decision, with the reason and the graph path or rule behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeDecision {
    /// The answer.
    pub verdict: NodeVerdict,
    /// Why (the API server's reason where it gives one).
    pub reason: String,
    /// The node name, when the identity is a node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// For graph decisions that allow: object → … → node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<Vertex>,
    /// For decisions by the static node rules: the rule that allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub static_rule: Option<NodeRuleMatch>,
}

/// A static node rule that allows a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRuleMatch {
    /// The index of the rule in [`NodeAuthorizer::rules`].
    pub index: usize,
    /// The rule.
    pub rule: PolicyRule,
}

impl NodeDecision {
    fn no_opinion(node: Option<&str>, reason: impl Into<String>) -> Self {
        NodeDecision {
            verdict: NodeVerdict::NoOpinion,
            reason: reason.into(),
            node: node.map(String::from),
            path: Vec::new(),
            static_rule: None,
        }
    }

    fn allow(node: &str, reason: impl Into<String>) -> Self {
        NodeDecision {
            verdict: NodeVerdict::Allow,
            ..NodeDecision::no_opinion(Some(node), reason)
        }
    }
}

/// The Node authorizer: graph, feature gates and static rules.
#[derive(Debug, Clone)]
pub struct NodeAuthorizer {
    /// The node graph; `None` when its inputs are unavailable (graph checks are Unknown).
    pub graph: Option<NodeGraph>,
    /// Graph inputs that could not be read completely (graph checks that find no path are
    /// then Unknown rather than NoOpinion).
    pub missing: Vec<String>,
    /// Feature gates.
    pub features: NodeFeatures,
    /// The static node rules.
    pub rules: Vec<PolicyRule>,
}

impl NodeAuthorizer {
    /// An authorizer over a complete graph.
    pub fn new(graph: NodeGraph, features: NodeFeatures) -> NodeAuthorizer {
        NodeAuthorizer {
            graph: Some(graph),
            missing: Vec::new(),
            rules: node_rules(&features),
            features,
        }
    }

    /// An authorizer without graph data: decisions that need the graph are Unknown.
    pub fn without_graph(features: NodeFeatures) -> NodeAuthorizer {
        NodeAuthorizer {
            graph: None,
            ..NodeAuthorizer::new(NodeGraph::new(), features)
        }
    }

    /// Builds the graph from an inventory's objects; graph kinds the source could not read
    /// make graph checks without a path Unknown.
    pub fn from_inventory(
        inventory: &Inventory,
        features: NodeFeatures,
    ) -> Result<NodeAuthorizer, NodeGraphError> {
        let mut a = NodeAuthorizer::new(NodeGraph::from_objects(&inventory.other)?, features);
        a.missing = inventory
            .missing
            .iter()
            .filter(|m| GRAPH_KINDS.contains(&m.kind.as_str()))
            .map(|m| match &m.namespace {
                Some(ns) => format!("{} in namespace {ns}: {}", m.kind, m.reason),
                None => format!("{}: {}", m.kind, m.reason),
            })
            .collect();
        Ok(a)
    }

    /// Decides a request. `fields` are the request's field-selector requirements (list and
    /// watch only; empty otherwise).
    pub fn authorize(
        &self,
        user: &UserInfo,
        attrs: &Attributes,
        fields: &[FieldRequirement],
    ) -> NodeDecision {
        let Some(node) = node_identity(user) else {
            return NodeDecision::no_opinion(None, "");
        };
        if node.is_empty() {
            return NodeDecision::no_opinion(
                Some(node),
                format!("unknown node for user {:?}", user.name),
            );
        }
        if let Attributes::Resource(r) = attrs {
            let gates = &self.features;
            let decided = match (r.group.as_str(), r.resource.as_str()) {
                ("", "secrets") => Some(self.read_namespaced(node, VertexKind::Secret, r)),
                ("", "configmaps") => Some(self.read_namespaced(node, VertexKind::ConfigMap, r)),
                ("", "persistentvolumeclaims") if r.subresource == "status" => {
                    Some(self.status_update(node, VertexKind::PersistentVolumeClaim, r))
                }
                ("", "persistentvolumeclaims") => {
                    Some(self.get(node, VertexKind::PersistentVolumeClaim, r))
                }
                ("", "persistentvolumes") => Some(self.get(node, VertexKind::PersistentVolume, r)),
                ("resource.k8s.io", "resourceclaims") => {
                    Some(self.get(node, VertexKind::ResourceClaim, r))
                }
                ("storage.k8s.io", "volumeattachments") => {
                    Some(self.get(node, VertexKind::VolumeAttachment, r))
                }
                ("", "serviceaccounts") => Some(self.service_account(node, r)),
                ("coordination.k8s.io", "leases") => Some(lease(node, r)),
                ("storage.k8s.io", "csinodes") => Some(csi_node(node, r)),
                ("resource.k8s.io", "resourceslices") => Some(self.resource_slice(node, r, fields)),
                ("certificates.k8s.io", "podcertificaterequests")
                    if gates.pod_certificate_request =>
                {
                    Some(self.pod_certificate_request(node, r, fields))
                }
                ("", "nodes") if gates.authorize_node_with_selectors => Some(node_object(node, r)),
                ("", "pods") if gates.authorize_node_with_selectors => {
                    Some(self.pod(node, r, fields))
                }
                _ => None,
            };
            if let Some(d) = decided {
                return d;
            }
        }
        match self
            .rules
            .iter()
            .enumerate()
            .find(|(_, rule)| rule_allows(attrs, rule))
        {
            Some((i, rule)) => NodeDecision {
                static_rule: Some(NodeRuleMatch {
                    index: i,
                    rule: rule.clone(),
                }),
                ..NodeDecision::allow(node, "")
            },
            None => NodeDecision::no_opinion(Some(node), ""),
        }
    }

    /// A graph check: allowed when a path object → node exists.
    fn path(&self, node: &str, kind: VertexKind, r: &ResourceAttributes) -> NodeDecision {
        if r.name.is_empty() {
            return NodeDecision::no_opinion(Some(node), "No Object name found");
        }
        let Some(graph) = &self.graph else {
            return NodeDecision {
                verdict: NodeVerdict::Unknown,
                ..NodeDecision::no_opinion(
                    Some(node),
                    "the node graph (Pods, PersistentVolumes, ...) is not available",
                )
            };
        };
        match graph.path_to_node(node, kind, &r.namespace, &r.name) {
            Some(path) => NodeDecision {
                path,
                ..NodeDecision::allow(node, "")
            },
            None if !self.missing.is_empty() => NodeDecision {
                verdict: NodeVerdict::Unknown,
                ..NodeDecision::no_opinion(
                    Some(node),
                    format!(
                        "no relationship found between node '{node}' and this object, but the node graph is incomplete ({})",
                        self.missing.join("; ")
                    ),
                )
            },
            None => NodeDecision::no_opinion(
                Some(node),
                format!("no relationship found between node '{node}' and this object"),
            ),
        }
    }

    fn status_update(&self, node: &str, kind: VertexKind, r: &ResourceAttributes) -> NodeDecision {
        if !matches!(r.verb.as_str(), "update" | "patch") {
            return NodeDecision::no_opinion(Some(node), "can only get/update/patch this type");
        }
        if r.subresource != "status" {
            return NodeDecision::no_opinion(Some(node), "can only update status subresource");
        }
        self.path(node, kind, r)
    }

    fn get(&self, node: &str, kind: VertexKind, r: &ResourceAttributes) -> NodeDecision {
        if r.verb != "get" {
            return NodeDecision::no_opinion(
                Some(node),
                "can only get individual resources of this type",
            );
        }
        if !r.subresource.is_empty() {
            return NodeDecision::no_opinion(Some(node), "cannot get subresource");
        }
        self.path(node, kind, r)
    }

    fn read_namespaced(
        &self,
        node: &str,
        kind: VertexKind,
        r: &ResourceAttributes,
    ) -> NodeDecision {
        if !matches!(r.verb.as_str(), "get" | "list" | "watch") {
            return NodeDecision::no_opinion(Some(node), "can only read resources of this type");
        }
        if !r.subresource.is_empty() {
            return NodeDecision::no_opinion(Some(node), "cannot read subresource");
        }
        if r.namespace.is_empty() {
            return NodeDecision::no_opinion(
                Some(node),
                "can only read namespaced object of this type",
            );
        }
        self.path(node, kind, r)
    }

    fn service_account(&self, node: &str, r: &ResourceAttributes) -> NodeDecision {
        if r.verb == "get" && r.subresource.is_empty() {
            let f = &self.features;
            if !f.kubelet_service_account_token_for_credential_providers
                && !f.pod_certificate_request
            {
                return NodeDecision::no_opinion(Some(node), "not allowed to get service accounts");
            }
            return self.read_namespaced(node, VertexKind::ServiceAccount, r);
        }
        if r.verb != "create" || r.name.is_empty() {
            return NodeDecision::no_opinion(
                Some(node),
                "can only create tokens for individual service accounts",
            );
        }
        if r.subresource != "token" {
            return NodeDecision::no_opinion(
                Some(node),
                "can only create token subresource of serviceaccount",
            );
        }
        self.path(node, VertexKind::ServiceAccount, r)
    }

    fn resource_slice(
        &self,
        node: &str,
        r: &ResourceAttributes,
        fields: &[FieldRequirement],
    ) -> NodeDecision {
        if !r.subresource.is_empty() {
            return NodeDecision::no_opinion(
                Some(node),
                "cannot authorize ResourceSlice subresources",
            );
        }
        match r.verb.as_str() {
            // NodeRestriction admission checks the new slice's node name.
            "create" => NodeDecision::allow(node, ""),
            "get" | "update" | "patch" | "delete" => {
                self.path(node, VertexKind::ResourceSlice, r)
            }
            "watch" | "list" | "deletecollection" => {
                if !self.features.authorize_node_with_selectors
                    || field_equals(fields, "spec.nodeName", node)
                {
                    NodeDecision::allow(node, "")
                } else {
                    NodeDecision::no_opinion(
                        Some(node),
                        "can only list/watch/deletecollection resourceslices with nodeName field selector",
                    )
                }
            }
            _ => NodeDecision::no_opinion(
                Some(node),
                "only the following verbs are allowed for a ResourceSlice: get, watch, list, create, update, patch, delete, deletecollection",
            ),
        }
    }

    fn pod_certificate_request(
        &self,
        node: &str,
        r: &ResourceAttributes,
        fields: &[FieldRequirement],
    ) -> NodeDecision {
        if !r.subresource.is_empty() {
            return NodeDecision::no_opinion(
                Some(node),
                "nodes may not access the status subresource of PodCertificateRequests",
            );
        }
        match r.verb.as_str() {
            "create" => NodeDecision::allow(node, ""),
            "get" => self.path(node, VertexKind::PodCertificateRequest, r),
            "list" | "watch" if field_equals(fields, "spec.nodeName", node) => {
                NodeDecision::allow(node, "")
            }
            "list" | "watch" => NodeDecision::no_opinion(
                Some(node),
                "can only list/watch podcertificaterequests with nodeName field selector",
            ),
            v => NodeDecision::no_opinion(
                Some(node),
                format!("nodes may not {v} podcertificaterequests"),
            ),
        }
    }

    fn pod(&self, node: &str, r: &ResourceAttributes, fields: &[FieldRequirement]) -> NodeDecision {
        match (r.subresource.as_str(), r.verb.as_str()) {
            ("", "get") => self.get(node, VertexKind::Pod, r),
            ("", "list" | "watch") => {
                if field_equals(fields, "spec.nodeName", node) {
                    NodeDecision::allow(node, "")
                } else if !r.name.is_empty() {
                    self.path(node, VertexKind::Pod, r)
                } else {
                    NodeDecision::no_opinion(
                        Some(node),
                        "can only list/watch pods with spec.nodeName field selector",
                    )
                }
            }
            // Mirror pods, status and evictions: NodeRestriction admission limits these to
            // pods bound to the node.
            ("", "create" | "delete") | ("status", "update" | "patch") | ("eviction", "create") => {
                NodeDecision::allow(node, "")
            }
            _ => NodeDecision::no_opinion(Some(node), ""),
        }
    }
}

fn lease(node: &str, r: &ResourceAttributes) -> NodeDecision {
    if !matches!(
        r.verb.as_str(),
        "get" | "create" | "update" | "patch" | "delete"
    ) {
        return NodeDecision::no_opinion(
            Some(node),
            "can only get, create, update, patch, or delete a node lease",
        );
    }
    if r.namespace != NODE_LEASE_NAMESPACE {
        return NodeDecision::no_opinion(
            Some(node),
            format!("can only access leases in the {NODE_LEASE_NAMESPACE:?} system namespace"),
        );
    }
    // The name is not known at create time; NodeRestriction admission checks it then.
    if r.verb != "create" && r.name != node {
        return NodeDecision::no_opinion(
            Some(node),
            "can only access node lease with the same name as the requesting node",
        );
    }
    NodeDecision::allow(node, "")
}

fn csi_node(node: &str, r: &ResourceAttributes) -> NodeDecision {
    if !matches!(
        r.verb.as_str(),
        "get" | "create" | "update" | "patch" | "delete"
    ) {
        return NodeDecision::no_opinion(
            Some(node),
            "can only get, create, update, patch, or delete a CSINode",
        );
    }
    if !r.subresource.is_empty() {
        return NodeDecision::no_opinion(Some(node), "cannot authorize CSINode subresources");
    }
    if r.verb != "create" && r.name != node {
        return NodeDecision::no_opinion(
            Some(node),
            "can only access CSINode with the same name as the requesting node",
        );
    }
    NodeDecision::allow(node, "")
}

fn node_object(node: &str, r: &ResourceAttributes) -> NodeDecision {
    match (r.subresource.as_str(), r.verb.as_str()) {
        // NodeRestriction admission limits writes to the node's own object.
        ("", "create" | "update" | "patch") | ("status", "update" | "patch") => {
            NodeDecision::allow(node, "")
        }
        ("", "get" | "list" | "watch") => {
            if r.name == node {
                NodeDecision::allow(node, "")
            } else if r.name.is_empty() {
                NodeDecision::no_opinion(
                    Some(node),
                    format!("node '{node}' cannot read all nodes, only its own Node object"),
                )
            } else {
                NodeDecision::no_opinion(
                    Some(node),
                    format!(
                        "node '{node}' cannot read '{}', only its own Node object",
                        r.name
                    ),
                )
            }
        }
        _ => NodeDecision::no_opinion(Some(node), ""),
    }
}

#[cfg(test)]
mod tests;
