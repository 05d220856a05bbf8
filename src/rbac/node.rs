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
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    PolicyRule {
        verbs: v(verbs),
        api_groups: vec![group.to_string()],
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
            api_groups: vec![String::new(), "events.k8s.io".into()],
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

// ---------------------------------------------------------------------------------------
// Field selectors

/// A field-selector operator (`=` and `==` both mean equality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FieldOperator {
    /// `=` or `==`.
    Equals,
    /// `!=`.
    NotEquals,
}

/// One requirement of a list/watch `fieldSelector`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRequirement {
    /// The field path, e.g. `spec.nodeName`.
    pub field: String,
    /// The operator.
    pub operator: FieldOperator,
    /// The (unescaped) value.
    pub value: String,
}

/// A `fieldSelector` the API server would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("invalid field selector {selector:?}: {message}")]
pub struct FieldSelectorError {
    /// The selector as given.
    pub selector: String,
    /// What is wrong.
    pub message: String,
}

/// Parses a field selector (`a=b,c!=d`; `\`, `,` and `=` in values escaped with `\`) into
/// its requirements, as the API server does before authorizing a list or watch.
pub fn parse_field_selector(selector: &str) -> Result<Vec<FieldRequirement>, FieldSelectorError> {
    let fail = |message: String| FieldSelectorError {
        selector: selector.to_string(),
        message,
    };
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in selector.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            current.push(c);
            escaped = true;
        } else if c == ',' {
            terms.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    terms.push(current);
    let mut out = Vec::new();
    for term in terms.into_iter().filter(|t| !t.is_empty()) {
        // The first operator occurrence, trying `!=`, `==`, `=` at each position.
        let found = term.char_indices().find_map(|(i, _)| {
            let rest = &term[i..];
            [
                ("!=", FieldOperator::NotEquals),
                ("==", FieldOperator::Equals),
                ("=", FieldOperator::Equals),
            ]
            .into_iter()
            .find(|(op, _)| rest.starts_with(op))
            .map(|(op, kind)| (i, op.len(), kind))
        });
        let Some((i, len, operator)) = found else {
            return Err(fail(format!("can't understand {term:?}")));
        };
        let value = unescape_field_value(&term[i + len..]).map_err(fail)?;
        out.push(FieldRequirement {
            field: term[..i].to_string(),
            operator,
            value,
        });
    }
    Ok(out)
}

fn unescape_field_value(v: &str) -> Result<String, String> {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ ('\\' | ',' | '=')) => out.push(e),
            Some(e) => return Err(format!("invalid escape sequence \\{e} in {v:?}")),
            None => return Err(format!("trailing backslash in {v:?}")),
        }
    }
    Ok(out)
}

fn field_equals(fields: &[FieldRequirement], field: &str, value: &str) -> bool {
    fields
        .iter()
        .any(|r| r.field == field && r.operator == FieldOperator::Equals && r.value == value)
}

// ---------------------------------------------------------------------------------------
// The graph

/// The kinds of vertices in the node graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VertexKind {
    /// A ConfigMap.
    ConfigMap,
    /// A ResourceSlice.
    ResourceSlice,
    /// A Node.
    Node,
    /// A Pod.
    Pod,
    /// A PersistentVolumeClaim.
    PersistentVolumeClaim,
    /// A PersistentVolume.
    PersistentVolume,
    /// A ResourceClaim.
    ResourceClaim,
    /// A Secret.
    Secret,
    /// A VolumeAttachment.
    VolumeAttachment,
    /// A ServiceAccount.
    ServiceAccount,
    /// A PodCertificateRequest.
    PodCertificateRequest,
}

/// One object in the node graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Vertex {
    /// The object's kind.
    pub kind: VertexKind,
    /// Its namespace (`""` for cluster-scoped objects).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Its name.
    pub name: String,
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    to: usize,
    /// The node this edge leads to, for edges that lead to exactly one node; a search for
    /// another node does not follow it.
    destination: Option<usize>,
}

/// An object the node graph could not read: where it is, which field, what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{origin}: {kind} {name}: {message}")]
pub struct NodeGraphError {
    /// Where the object was read.
    pub origin: Origin,
    /// Its kind.
    pub kind: String,
    /// `namespace/name` or `name`.
    pub name: String,
    /// What is wrong.
    pub message: String,
}

/// The relationships between nodes and the objects their pods use, as the API server's node
/// graph records them.
#[derive(Debug, Clone, Default)]
pub struct NodeGraph {
    vertices: Vec<Vertex>,
    index: HashMap<Vertex, usize>,
    out: Vec<Vec<Edge>>,
}

/// Object kinds the node graph is built from.
pub const GRAPH_KINDS: &[&str] = &[
    "Pod",
    "PersistentVolume",
    "VolumeAttachment",
    "ResourceSlice",
    "PodCertificateRequest",
];

// Minimal object shapes: only the fields the graph reads. Nulls are removed before decoding
// (Go leaves a field at its zero value for null), unknown fields are ignored.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Meta {
    name: String,
    namespace: String,
    annotations: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NameRef {
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NsNameRef {
    name: String,
    namespace: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Pod {
    metadata: Meta,
    spec: PodSpec,
    status: PodStatus,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PodSpec {
    node_name: String,
    service_account_name: String,
    /// The deprecated alias of `serviceAccountName`.
    service_account: String,
    image_pull_secrets: Vec<NameRef>,
    init_containers: Vec<Container>,
    containers: Vec<Container>,
    ephemeral_containers: Vec<Container>,
    volumes: Vec<PodVolume>,
    resource_claims: Vec<PodResourceClaim>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Container {
    env: Vec<EnvVar>,
    env_from: Vec<EnvFromSource>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct EnvVar {
    value_from: Option<EnvVarSource>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct EnvVarSource {
    secret_key_ref: Option<NameRef>,
    config_map_key_ref: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct EnvFromSource {
    secret_ref: Option<NameRef>,
    config_map_ref: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SecretRefHolder {
    secret_ref: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SecretNameHolder {
    secret_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct CsiVolume {
    node_publish_secret_ref: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Projected {
    sources: Vec<ProjectedSource>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ProjectedSource {
    secret: Option<NameRef>,
    config_map: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ClaimSource {
    claim_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PodVolume {
    name: String,
    azure_file: Option<SecretNameHolder>,
    cephfs: Option<SecretRefHolder>,
    cinder: Option<SecretRefHolder>,
    flex_volume: Option<SecretRefHolder>,
    projected: Option<Projected>,
    rbd: Option<SecretRefHolder>,
    secret: Option<SecretNameHolder>,
    #[serde(rename = "scaleIO")]
    scale_io: Option<SecretRefHolder>,
    iscsi: Option<SecretRefHolder>,
    storageos: Option<SecretRefHolder>,
    csi: Option<CsiVolume>,
    config_map: Option<NameRef>,
    persistent_volume_claim: Option<ClaimSource>,
    ephemeral: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PodResourceClaim {
    name: String,
    resource_claim_name: Option<String>,
    resource_claim_template_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PodStatus {
    resource_claim_statuses: Vec<ResourceClaimStatus>,
    extended_resource_claim_status: Option<ExtendedClaimStatus>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ResourceClaimStatus {
    name: String,
    resource_claim_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ExtendedClaimStatus {
    resource_claim_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Pv {
    metadata: Meta,
    spec: PvSpec,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PvSpec {
    claim_ref: Option<NsNameRef>,
    azure_file: Option<PvAzureFile>,
    cephfs: Option<PvSecretRefHolder>,
    cinder: Option<PvSecretRefHolder>,
    flex_volume: Option<PvSecretRefHolder>,
    rbd: Option<PvSecretRefHolder>,
    #[serde(rename = "scaleIO")]
    scale_io: Option<PvSecretRefHolder>,
    iscsi: Option<PvSecretRefHolder>,
    storageos: Option<PvSecretRefHolder>,
    csi: Option<PvCsi>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PvAzureFile {
    secret_name: String,
    secret_namespace: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PvSecretRefHolder {
    secret_ref: Option<NsNameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PvCsi {
    controller_publish_secret_ref: Option<NsNameRef>,
    controller_expand_secret_ref: Option<NsNameRef>,
    node_publish_secret_ref: Option<NsNameRef>,
    node_stage_secret_ref: Option<NsNameRef>,
    node_expand_secret_ref: Option<NsNameRef>,
}

/// VolumeAttachment, ResourceSlice and PodCertificateRequest: a name and a node.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NodeBound {
    metadata: Meta,
    spec: NodeNameSpec,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct NodeNameSpec {
    node_name: String,
}

/// Removes `null` members of objects, recursively.
fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

fn decode<T: for<'de> Deserialize<'de>>(obj: &RawObject) -> Result<T, NodeGraphError> {
    let value = strip_nulls(&obj.value);
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(&value, &mut track);
    T::deserialize(de).map_err(|e| {
        let meta = |k: &str| {
            obj.value
                .get("metadata")
                .and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let (ns, name) = (meta("namespace"), meta("name"));
        NodeGraphError {
            origin: obj.origin.clone(),
            kind: obj.kind.clone(),
            name: match (ns.is_empty(), name.is_empty()) {
                (_, true) => "(unnamed)".into(),
                (true, false) => name,
                (false, false) => format!("{ns}/{name}"),
            },
            message: format!("field {}: {e}", track.path()),
        }
    })
}

fn in_group(api_version: &str, group: &str) -> bool {
    api_version.is_empty()
        || api_version
            .strip_prefix(group)
            .is_some_and(|rest| rest.starts_with('/'))
}

impl NodeGraph {
    /// The names of the nodes the graph knows (from the objects bound to them), sorted.
    pub fn node_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .vertices
            .iter()
            .filter(|v| v.kind == VertexKind::Node)
            .map(|v| v.name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// An empty graph.
    pub fn new() -> NodeGraph {
        NodeGraph::default()
    }

    /// Builds the graph from stored objects (other kinds are ignored). An object of a graph
    /// kind whose fields have the wrong type is an error naming it and the field.
    pub fn from_objects(objects: &[RawObject]) -> Result<NodeGraph, NodeGraphError> {
        let mut g = NodeGraph::new();
        for obj in objects {
            let v = obj.api_version.as_str();
            match obj.kind.as_str() {
                "Pod" if v.is_empty() || v == "v1" => g.add_pod(&decode(obj)?),
                "PersistentVolume" if v.is_empty() || v == "v1" => g.add_pv(&decode(obj)?),
                "VolumeAttachment" if in_group(v, "storage.k8s.io") => {
                    let o: NodeBound = decode(obj)?;
                    g.add_node_bound(VertexKind::VolumeAttachment, "", &o);
                }
                "ResourceSlice" if in_group(v, "resource.k8s.io") => {
                    let o: NodeBound = decode(obj)?;
                    g.add_node_bound(VertexKind::ResourceSlice, "", &o);
                }
                "PodCertificateRequest" if in_group(v, "certificates.k8s.io") => {
                    let o: NodeBound = decode(obj)?;
                    let ns = o.metadata.namespace.clone();
                    g.add_node_bound(VertexKind::PodCertificateRequest, &ns, &o);
                }
                _ => {}
            }
        }
        Ok(g)
    }

    fn vertex(&mut self, kind: VertexKind, namespace: &str, name: &str) -> usize {
        let key = Vertex {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        };
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = self.vertices.len();
        self.vertices.push(key.clone());
        self.index.insert(key, id);
        self.out.push(Vec::new());
        id
    }

    /// Adds (or replaces) the edge `from → to`.
    fn edge(&mut self, from: usize, to: usize, destination: Option<usize>) {
        let edges = &mut self.out[from];
        match edges.iter_mut().find(|e| e.to == to) {
            Some(e) => e.destination = destination,
            None => edges.push(Edge { to, destination }),
        }
    }

    fn add_pod(&mut self, pod: &Pod) {
        let spec = &pod.spec;
        if spec.node_name.is_empty() {
            return; // not bound to a node: not in the graph
        }
        let ns = pod.metadata.namespace.as_str();
        let p = self.vertex(VertexKind::Pod, ns, &pod.metadata.name);
        let n = self.vertex(VertexKind::Node, "", &spec.node_name);
        self.edge(p, n, Some(n));
        // A node must not gain access to anything through a pod it created itself.
        if pod.metadata.annotations.contains_key(MIRROR_POD_ANNOTATION) {
            return;
        }
        let sa = if spec.service_account_name.is_empty() {
            &spec.service_account
        } else {
            &spec.service_account_name
        };
        if !sa.is_empty() {
            let s = self.vertex(VertexKind::ServiceAccount, ns, sa);
            self.edge(s, p, Some(n));
        }
        for secret in pod_secret_names(spec) {
            let s = self.vertex(VertexKind::Secret, ns, secret);
            self.edge(s, p, Some(n));
        }
        for cm in pod_configmap_names(spec) {
            let c = self.vertex(VertexKind::ConfigMap, ns, cm);
            self.edge(c, p, Some(n));
        }
        for v in &spec.volumes {
            let claim = if let Some(pvc) = &v.persistent_volume_claim {
                pvc.claim_name.clone()
            } else if v.ephemeral.is_some() {
                // A generic ephemeral volume's claim is named <pod>-<volume>.
                format!("{}-{}", pod.metadata.name, v.name)
            } else {
                String::new()
            };
            if !claim.is_empty() {
                let c = self.vertex(VertexKind::PersistentVolumeClaim, ns, &claim);
                self.edge(c, p, Some(n));
            }
        }
        for rc in &spec.resource_claims {
            if let Some(claim) = resource_claim_name(pod, rc) {
                let c = self.vertex(VertexKind::ResourceClaim, ns, claim);
                self.edge(c, p, Some(n));
            }
        }
        if let Some(ext) = &pod.status.extended_resource_claim_status {
            if !ext.resource_claim_name.is_empty() {
                let c = self.vertex(VertexKind::ResourceClaim, ns, &ext.resource_claim_name);
                self.edge(c, p, Some(n));
            }
        }
    }

    fn add_pv(&mut self, pv: &Pv) {
        let Some(claim) = &pv.spec.claim_ref else {
            return;
        };
        let v = self.vertex(VertexKind::PersistentVolume, "", &pv.metadata.name);
        let c = self.vertex(
            VertexKind::PersistentVolumeClaim,
            &claim.namespace,
            &claim.name,
        );
        // Which node the claim's pods run on is not known here: no destination.
        self.edge(v, c, None);
        for (ns, name) in pv_kubelet_secret_names(pv) {
            let s = self.vertex(VertexKind::Secret, &ns, &name);
            self.edge(s, v, None);
        }
    }

    fn add_node_bound(&mut self, kind: VertexKind, namespace: &str, o: &NodeBound) {
        if o.spec.node_name.is_empty() {
            return;
        }
        let v = self.vertex(kind, namespace, &o.metadata.name);
        let n = self.vertex(VertexKind::Node, "", &o.spec.node_name);
        self.edge(v, n, Some(n));
    }

    /// Number of vertices.
    pub fn len(&self) -> usize {
        self.vertices.len()
    }

    /// True when the graph has no vertex.
    pub fn is_empty(&self) -> bool {
        self.vertices.is_empty()
    }

    /// The path from an object to a node, if one exists: edges known to lead to other nodes
    /// are not followed. The path starts with the object and ends with the node.
    pub fn path_to_node(
        &self,
        node: &str,
        kind: VertexKind,
        namespace: &str,
        name: &str,
    ) -> Option<Vec<Vertex>> {
        let key = |kind, namespace: &str, name: &str| Vertex {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        };
        let &target = self.index.get(&key(VertexKind::Node, "", node))?;
        let &start = self.index.get(&key(kind, namespace, name))?;
        let mut parent: Vec<Option<usize>> = vec![None; self.vertices.len()];
        let mut seen = vec![false; self.vertices.len()];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(v) = stack.pop() {
            if v == target {
                let mut path = vec![self.vertices[v].clone()];
                let mut cur = v;
                while let Some(p) = parent[cur] {
                    path.push(self.vertices[p].clone());
                    cur = p;
                }
                path.reverse();
                return Some(path);
            }
            for e in &self.out[v] {
                if e.destination.is_some_and(|d| d != target) || seen[e.to] {
                    continue;
                }
                seen[e.to] = true;
                parent[e.to] = Some(v);
                stack.push(e.to);
            }
        }
        None
    }
}

/// Secrets a pod references directly: image pull secrets, env and envFrom of every
/// container (init, regular, ephemeral), and secret-bearing volumes. Empty names are skipped.
fn pod_secret_names(spec: &PodSpec) -> Vec<&str> {
    let mut out: Vec<&str> = spec
        .image_pull_secrets
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    for c in containers(spec) {
        out.extend(
            c.env_from
                .iter()
                .filter_map(|e| e.secret_ref.as_ref().map(|r| r.name.as_str())),
        );
        out.extend(c.env.iter().filter_map(|e| {
            e.value_from
                .as_ref()
                .and_then(|v| v.secret_key_ref.as_ref())
                .map(|r| r.name.as_str())
        }));
    }
    for v in &spec.volumes {
        // One source per volume; the first present one (in the API server's order) counts.
        if let Some(a) = &v.azure_file {
            out.push(&a.secret_name);
        } else if let Some(h) = &v.cephfs {
            out.extend(refd(h));
        } else if let Some(h) = &v.cinder {
            out.extend(refd(h));
        } else if let Some(h) = &v.flex_volume {
            out.extend(refd(h));
        } else if let Some(p) = &v.projected {
            out.extend(
                p.sources
                    .iter()
                    .filter_map(|s| s.secret.as_ref().map(|r| r.name.as_str())),
            );
        } else if let Some(h) = &v.rbd {
            out.extend(refd(h));
        } else if let Some(s) = &v.secret {
            out.push(&s.secret_name);
        } else if let Some(h) = &v.scale_io {
            out.extend(refd(h));
        } else if let Some(h) = &v.iscsi {
            out.extend(refd(h));
        } else if let Some(h) = &v.storageos {
            out.extend(refd(h));
        } else if let Some(c) = &v.csi {
            out.extend(c.node_publish_secret_ref.as_ref().map(|r| r.name.as_str()));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// ConfigMaps a pod references directly: env and envFrom of every container, configMap and
/// projected volumes. Empty names are skipped.
fn pod_configmap_names(spec: &PodSpec) -> Vec<&str> {
    let mut out = Vec::new();
    for c in containers(spec) {
        out.extend(
            c.env_from
                .iter()
                .filter_map(|e| e.config_map_ref.as_ref().map(|r| r.name.as_str())),
        );
        out.extend(c.env.iter().filter_map(|e| {
            e.value_from
                .as_ref()
                .and_then(|v| v.config_map_key_ref.as_ref())
                .map(|r| r.name.as_str())
        }));
    }
    for v in &spec.volumes {
        if let Some(p) = &v.projected {
            out.extend(
                p.sources
                    .iter()
                    .filter_map(|s| s.config_map.as_ref().map(|r| r.name.as_str())),
            );
        } else if let Some(c) = &v.config_map {
            out.push(&c.name);
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn refd(h: &SecretRefHolder) -> Option<&str> {
    h.secret_ref.as_ref().map(|r| r.name.as_str())
}

fn containers(spec: &PodSpec) -> impl Iterator<Item = &Container> {
    spec.init_containers
        .iter()
        .chain(&spec.containers)
        .chain(&spec.ephemeral_containers)
}

/// The ResourceClaim a pod claim refers to: its `resourceClaimName`, or for a template the
/// claim recorded in the pod status (none while it is not created yet).
fn resource_claim_name<'a>(pod: &'a Pod, rc: &'a PodResourceClaim) -> Option<&'a str> {
    if let Some(name) = &rc.resource_claim_name {
        return Some(name);
    }
    rc.resource_claim_template_name.as_ref()?;
    pod.status
        .resource_claim_statuses
        .iter()
        .find(|s| s.name == rc.name)
        .and_then(|s| s.resource_claim_name.as_deref())
}

/// Secrets of a PV the kubelet reads (namespace, name); secret references without a
/// namespace default to the claim's namespace where the API server does so.
fn pv_kubelet_secret_names(pv: &Pv) -> Vec<(String, String)> {
    let claim_ns = pv
        .spec
        .claim_ref
        .as_ref()
        .map(|c| c.namespace.clone())
        .unwrap_or_default();
    let defaulted = |r: &NsNameRef| {
        let ns = if r.namespace.is_empty() {
            claim_ns.clone()
        } else {
            r.namespace.clone()
        };
        (ns, r.name.clone())
    };
    let literal = |r: &NsNameRef| (r.namespace.clone(), r.name.clone());
    let s = &pv.spec;
    let mut out = Vec::new();
    if let Some(a) = &s.azure_file {
        let ns = match &a.secret_namespace {
            Some(ns) if !ns.is_empty() => ns.clone(),
            _ => claim_ns.clone(),
        };
        out.push((ns, a.secret_name.clone()));
    } else if let Some(h) = &s.cephfs {
        out.extend(h.secret_ref.as_ref().map(defaulted));
    } else if let Some(h) = &s.cinder {
        out.extend(h.secret_ref.as_ref().map(literal));
    } else if let Some(h) = &s.flex_volume {
        out.extend(h.secret_ref.as_ref().map(defaulted));
    } else if let Some(h) = &s.rbd {
        out.extend(h.secret_ref.as_ref().map(defaulted));
    } else if let Some(h) = &s.scale_io {
        out.extend(h.secret_ref.as_ref().map(defaulted));
    } else if let Some(h) = &s.iscsi {
        out.extend(h.secret_ref.as_ref().map(defaulted));
    } else if let Some(h) = &s.storageos {
        out.extend(h.secret_ref.as_ref().map(literal));
    } else if let Some(c) = &s.csi {
        // Controller secrets are used by the controller, not the kubelet: no edge.
        for r in [
            &c.node_publish_secret_ref,
            &c.node_stage_secret_ref,
            &c.node_expand_secret_ref,
        ]
        .into_iter()
        .flatten()
        {
            out.push(literal(r));
        }
    }
    out.retain(|(_, name)| !name.is_empty());
    out
}

// ---------------------------------------------------------------------------------------
// The authorizer

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
mod tests {
    use super::*;
    use serde_json::json;

    fn raw(value: Value) -> RawObject {
        RawObject {
            api_version: value["apiVersion"].as_str().unwrap_or("").into(),
            kind: value["kind"].as_str().unwrap_or("").into(),
            value,
            origin: Origin {
                source: "t.yaml".into(),
                document: 1,
                line: 3,
            },
        }
    }

    /// Every (group, resource, verb) a rule list grants.
    fn triples(rules: &[PolicyRule]) -> std::collections::BTreeSet<(String, String, String)> {
        let mut out = std::collections::BTreeSet::new();
        for r in rules {
            for g in &r.api_groups {
                for res in &r.resources {
                    for v in &r.verbs {
                        out.insert((g.clone(), res.clone(), v.clone()));
                    }
                }
            }
        }
        out
    }

    /// The static node rules are the `system:node` ClusterRole kube-apiserver 1.35 writes
    /// (bootstrappolicy.NodeRules(), recorded from the real server with its default feature
    /// gates in src/model/bootstrap_policy_v1_35.json), not a copy from memory.
    #[test]
    fn static_rules_are_the_servers_system_node_role() {
        let policy: Value =
            serde_json::from_str(include_str!("../model/bootstrap_policy_v1_35.json")).unwrap();
        let role = policy["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "ClusterRole" && i["metadata"]["name"] == "system:node")
            .expect("system:node in the recorded bootstrap policy");
        let recorded: Vec<PolicyRule> = serde_json::from_value(role["rules"].clone()).unwrap();
        assert_eq!(
            triples(&node_rules(&NodeFeatures::default())),
            triples(&recorded)
        );
    }

    fn node_user(n: &str) -> UserInfo {
        UserInfo {
            name: format!("{NODE_USER_PREFIX}{n}"),
            groups: vec![NODES_GROUP.into()],
        }
    }

    fn req(verb: &str, group: &str, resource: &str, sub: &str, ns: &str, name: &str) -> Attributes {
        Attributes::Resource(ResourceAttributes {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: sub.into(),
            name: name.into(),
            namespace: ns.into(),
        })
    }

    fn authz() -> NodeAuthorizer {
        let objects = vec![
            raw(
                json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},
                "spec":{"nodeName":"n1","serviceAccount":"old-sa",
                    "initContainers":[{"name":"i","envFrom":[{"secretRef":{"name":"init-env"}}]}],
                    "ephemeralContainers":[{"name":"e","env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"eph-cm","key":"k"}}}]}],
                    "volumes":[
                        {"name":"proj","projected":{"sources":[{"secret":{"name":"proj-s"}},{"configMap":{"name":"proj-cm"}}]}},
                        {"name":"csi","csi":{"driver":"d","nodePublishSecretRef":{"name":"csi-s"}}},
                        {"name":"scratch","ephemeral":{"volumeClaimTemplate":{}}},
                        {"name":"both","secret":{"secretName":"sv"},"configMap":{"name":null}}
                    ],
                    "resourceClaims":[{"name":"gpu","resourceClaimTemplateName":"t"},{"name":"direct","resourceClaimName":"rc"}]},
                "status":{"resourceClaimStatuses":[{"name":"gpu","resourceClaimName":"p-gpu-abc"}]}}),
            ),
            raw(
                json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"pending","namespace":"ns"},
                "spec":{"containers":[{"name":"c","envFrom":[{"secretRef":{"name":"pending-s"}}]}]}}),
            ),
            raw(
                json!({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv"},
                "spec":{"claimRef":{"namespace":"ns","name":"p-scratch"},"rbd":{"secretRef":{"name":"ceph"}}}}),
            ),
            raw(
                json!({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-csi"},
                "spec":{"claimRef":{"namespace":"ns","name":"p-scratch"},
                    "csi":{"controllerPublishSecretRef":{"name":"ctl","namespace":"x"},"nodeStageSecretRef":{"name":"stage","namespace":"x"}}}}),
            ),
            raw(
                json!({"apiVersion":"storage.k8s.io/v1","kind":"VolumeAttachment","metadata":{"name":"va"},"spec":{"nodeName":"n1"}}),
            ),
            raw(
                json!({"apiVersion":"resource.k8s.io/v1","kind":"ResourceSlice","metadata":{"name":"rs"},"spec":{"nodeName":"n2"}}),
            ),
        ];
        NodeAuthorizer::new(
            NodeGraph::from_objects(&objects).unwrap(),
            NodeFeatures::default(),
        )
    }

    fn verdict(a: &NodeAuthorizer, attrs: Attributes) -> NodeVerdict {
        a.authorize(&node_user("n1"), &attrs, &[]).verdict
    }

    #[test]
    fn graph_references() {
        let a = authz();
        for (resource, name) in [
            ("secrets", "init-env"),
            ("secrets", "proj-s"),
            ("secrets", "csi-s"),
            ("secrets", "sv"),
            ("configmaps", "eph-cm"),
            ("configmaps", "proj-cm"),
        ] {
            assert_eq!(
                verdict(&a, req("get", "", resource, "", "ns", name)),
                NodeVerdict::Allow,
                "{resource}/{name}"
            );
        }
        // Pods not bound to a node are not in the graph.
        assert_eq!(
            verdict(&a, req("get", "", "secrets", "", "ns", "pending-s")),
            NodeVerdict::NoOpinion
        );
        let d = a.authorize(
            &node_user("n1"),
            &req("get", "", "secrets", "", "ns", "ceph"),
            &[],
        );
        assert_eq!(d.verdict, NodeVerdict::Allow);
        let kinds: Vec<VertexKind> = d.path.iter().map(|v| v.kind).collect();
        assert_eq!(
            kinds,
            [
                VertexKind::Secret,
                VertexKind::PersistentVolume,
                VertexKind::PersistentVolumeClaim,
                VertexKind::Pod,
                VertexKind::Node
            ]
        );
        assert_eq!(
            verdict(&a, req("get", "", "secrets", "", "x", "stage")),
            NodeVerdict::Allow
        );
        assert_eq!(
            verdict(&a, req("get", "", "secrets", "", "x", "ctl")),
            NodeVerdict::NoOpinion
        );
        assert_eq!(
            verdict(
                &a,
                req(
                    "get",
                    "resource.k8s.io",
                    "resourceclaims",
                    "",
                    "ns",
                    "p-gpu-abc"
                )
            ),
            NodeVerdict::Allow
        );
        assert_eq!(
            verdict(
                &a,
                req("get", "resource.k8s.io", "resourceclaims", "", "ns", "rc")
            ),
            NodeVerdict::Allow
        );
        assert_eq!(
            verdict(
                &a,
                req("create", "", "serviceaccounts", "token", "ns", "old-sa")
            ),
            NodeVerdict::Allow
        );
        assert_eq!(
            verdict(
                &a,
                req("get", "storage.k8s.io", "volumeattachments", "", "", "va")
            ),
            NodeVerdict::Allow
        );
        assert_eq!(
            verdict(
                &a,
                req("get", "resource.k8s.io", "resourceslices", "", "", "rs")
            ),
            NodeVerdict::NoOpinion
        );
        assert_eq!(
            verdict(
                &a,
                req(
                    "update",
                    "",
                    "persistentvolumeclaims",
                    "status",
                    "ns",
                    "p-scratch"
                )
            ),
            NodeVerdict::Allow
        );
        assert_eq!(
            verdict(
                &a,
                req(
                    "get",
                    "",
                    "persistentvolumeclaims",
                    "status",
                    "ns",
                    "p-scratch"
                )
            ),
            NodeVerdict::NoOpinion
        );
    }

    #[test]
    fn selectors_and_gates() {
        let mut a = authz();
        let sel = parse_field_selector("spec.nodeName=n1").unwrap();
        let u = node_user("n1");
        let list_pods = req("list", "", "pods", "", "", "");
        assert_eq!(
            a.authorize(&u, &list_pods, &[]).verdict,
            NodeVerdict::NoOpinion
        );
        assert_eq!(
            a.authorize(&u, &list_pods, &sel).verdict,
            NodeVerdict::Allow
        );
        let not = parse_field_selector("spec.nodeName!=n1").unwrap();
        assert_eq!(
            a.authorize(&u, &list_pods, &not).verdict,
            NodeVerdict::NoOpinion
        );
        let slices = req("list", "resource.k8s.io", "resourceslices", "", "", "");
        assert_eq!(
            a.authorize(&u, &slices, &[]).verdict,
            NodeVerdict::NoOpinion
        );
        assert_eq!(a.authorize(&u, &slices, &sel).verdict, NodeVerdict::Allow);
        a.features.authorize_node_with_selectors = false;
        assert_eq!(a.authorize(&u, &list_pods, &[]).verdict, NodeVerdict::Allow);
        assert_eq!(a.authorize(&u, &slices, &[]).verdict, NodeVerdict::Allow);
        let other_node = req("get", "", "nodes", "", "", "n2");
        assert_eq!(
            a.authorize(&u, &other_node, &[]).verdict,
            NodeVerdict::Allow
        );
        a.features.authorize_node_with_selectors = true;
        assert_eq!(
            a.authorize(&u, &other_node, &[]).verdict,
            NodeVerdict::NoOpinion
        );
    }

    #[test]
    fn identity_leases_and_unknown() {
        let a = authz();
        let mut u = node_user("n1");
        u.groups.clear();
        let lease_req = req(
            "update",
            "coordination.k8s.io",
            "leases",
            "",
            NODE_LEASE_NAMESPACE,
            "n1",
        );
        assert_eq!(a.authorize(&u, &lease_req, &[]).node, None);
        assert_eq!(
            a.authorize(&node_user(""), &lease_req, &[]).reason,
            "unknown node for user \"system:node:\""
        );
        assert_eq!(
            a.authorize(
                &node_user("n1"),
                &req(
                    "create",
                    "coordination.k8s.io",
                    "leases",
                    "",
                    NODE_LEASE_NAMESPACE,
                    "x"
                ),
                &[]
            )
            .verdict,
            NodeVerdict::Allow
        );
        let blind = NodeAuthorizer::without_graph(NodeFeatures::default());
        let secret = req("get", "", "secrets", "", "ns", "sv");
        assert_eq!(verdict(&blind, secret.clone()), NodeVerdict::Unknown);
        assert_eq!(verdict(&blind, lease_req), NodeVerdict::Allow);
        let mut partial = authz();
        partial.missing.push("Pod: forbidden".into());
        assert_eq!(verdict(&partial, secret), NodeVerdict::Allow);
        assert_eq!(
            verdict(&partial, req("get", "", "secrets", "", "ns", "nope")),
            NodeVerdict::Unknown
        );
    }

    #[test]
    fn bad_objects_and_selectors() {
        let e = NodeGraph::from_objects(&[raw(
            json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},"spec":{"nodeName":3}}),
        )])
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("t.yaml, document 1 (line 3): Pod ns/p: field spec.nodeName"),
            "{e}"
        );
        assert_eq!(
            parse_field_selector(r"a==b\,c,d!=e").unwrap(),
            vec![
                FieldRequirement {
                    field: "a".into(),
                    operator: FieldOperator::Equals,
                    value: "b,c".into()
                },
                FieldRequirement {
                    field: "d".into(),
                    operator: FieldOperator::NotEquals,
                    value: "e".into()
                }
            ]
        );
        assert!(parse_field_selector("novalue").is_err());
        assert!(parse_field_selector(r"a=b\x").is_err());
        assert!(parse_field_selector("").unwrap().is_empty());
    }
}
