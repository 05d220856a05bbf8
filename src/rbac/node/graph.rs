//! The node graph: objects as stored (Pods, PersistentVolumes, VolumeAttachments,
//! ResourceSlices, PodCertificateRequests) and the paths from them to the node they are bound to.

use super::*;

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
pub(super) struct Edge {
    pub(super) to: usize,
    /// The node this edge leads to, for edges that lead to exactly one node; a search for
    /// another node does not follow it.
    pub(super) destination: Option<usize>,
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
pub(super) struct Meta {
    pub(super) name: String,
    pub(super) namespace: String,
    pub(super) annotations: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NameRef {
    pub(super) name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NsNameRef {
    pub(super) name: String,
    pub(super) namespace: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Pod {
    pub(super) metadata: Meta,
    pub(super) spec: PodSpec,
    pub(super) status: PodStatus,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct PodSpec {
    pub(super) node_name: String,
    pub(super) service_account_name: String,
    /// The deprecated alias of `serviceAccountName`.
    pub(super) service_account: String,
    pub(super) image_pull_secrets: Vec<NameRef>,
    pub(super) init_containers: Vec<Container>,
    pub(super) containers: Vec<Container>,
    pub(super) ephemeral_containers: Vec<Container>,
    pub(super) volumes: Vec<PodVolume>,
    pub(super) resource_claims: Vec<PodResourceClaim>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Container {
    pub(super) env: Vec<EnvVar>,
    pub(super) env_from: Vec<EnvFromSource>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct EnvVar {
    pub(super) value_from: Option<EnvVarSource>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct EnvVarSource {
    pub(super) secret_key_ref: Option<NameRef>,
    pub(super) config_map_key_ref: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct EnvFromSource {
    pub(super) secret_ref: Option<NameRef>,
    pub(super) config_map_ref: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct SecretRefHolder {
    pub(super) secret_ref: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct SecretNameHolder {
    pub(super) secret_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct CsiVolume {
    pub(super) node_publish_secret_ref: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Projected {
    pub(super) sources: Vec<ProjectedSource>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct ProjectedSource {
    pub(super) secret: Option<NameRef>,
    pub(super) config_map: Option<NameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct ClaimSource {
    pub(super) claim_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct PodVolume {
    pub(super) name: String,
    pub(super) azure_file: Option<SecretNameHolder>,
    pub(super) cephfs: Option<SecretRefHolder>,
    pub(super) cinder: Option<SecretRefHolder>,
    pub(super) flex_volume: Option<SecretRefHolder>,
    pub(super) projected: Option<Projected>,
    pub(super) rbd: Option<SecretRefHolder>,
    pub(super) secret: Option<SecretNameHolder>,
    #[serde(rename = "scaleIO")]
    pub(super) scale_io: Option<SecretRefHolder>,
    pub(super) iscsi: Option<SecretRefHolder>,
    pub(super) storageos: Option<SecretRefHolder>,
    pub(super) csi: Option<CsiVolume>,
    pub(super) config_map: Option<NameRef>,
    pub(super) persistent_volume_claim: Option<ClaimSource>,
    pub(super) ephemeral: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct PodResourceClaim {
    pub(super) name: String,
    pub(super) resource_claim_name: Option<String>,
    pub(super) resource_claim_template_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct PodStatus {
    pub(super) resource_claim_statuses: Vec<ResourceClaimStatus>,
    pub(super) extended_resource_claim_status: Option<ExtendedClaimStatus>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct ResourceClaimStatus {
    pub(super) name: String,
    pub(super) resource_claim_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct ExtendedClaimStatus {
    pub(super) resource_claim_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Pv {
    pub(super) metadata: Meta,
    pub(super) spec: PvSpec,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct PvSpec {
    pub(super) claim_ref: Option<NsNameRef>,
    pub(super) azure_file: Option<PvAzureFile>,
    pub(super) cephfs: Option<PvSecretRefHolder>,
    pub(super) cinder: Option<PvSecretRefHolder>,
    pub(super) flex_volume: Option<PvSecretRefHolder>,
    pub(super) rbd: Option<PvSecretRefHolder>,
    #[serde(rename = "scaleIO")]
    pub(super) scale_io: Option<PvSecretRefHolder>,
    pub(super) iscsi: Option<PvSecretRefHolder>,
    pub(super) storageos: Option<PvSecretRefHolder>,
    pub(super) csi: Option<PvCsi>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct PvAzureFile {
    pub(super) secret_name: String,
    pub(super) secret_namespace: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct PvSecretRefHolder {
    pub(super) secret_ref: Option<NsNameRef>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct PvCsi {
    pub(super) controller_publish_secret_ref: Option<NsNameRef>,
    pub(super) controller_expand_secret_ref: Option<NsNameRef>,
    pub(super) node_publish_secret_ref: Option<NsNameRef>,
    pub(super) node_stage_secret_ref: Option<NsNameRef>,
    pub(super) node_expand_secret_ref: Option<NsNameRef>,
}

/// VolumeAttachment, ResourceSlice and PodCertificateRequest: a name and a node.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NodeBound {
    pub(super) metadata: Meta,
    pub(super) spec: NodeNameSpec,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct NodeNameSpec {
    pub(super) node_name: String,
}

/// Removes `null` members of objects, recursively.
pub(super) fn strip_nulls(v: &Value) -> Value {
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

pub(super) fn decode<T: for<'de> Deserialize<'de>>(obj: &RawObject) -> Result<T, NodeGraphError> {
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

pub(super) fn in_group(api_version: &str, group: &str) -> bool {
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

    pub(super) fn vertex(&mut self, kind: VertexKind, namespace: &str, name: &str) -> usize {
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
    pub(super) fn edge(&mut self, from: usize, to: usize, destination: Option<usize>) {
        let edges = &mut self.out[from];
        match edges.iter_mut().find(|e| e.to == to) {
            Some(e) => e.destination = destination,
            None => edges.push(Edge { to, destination }),
        }
    }

    pub(super) fn add_pod(&mut self, pod: &Pod) {
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

    pub(super) fn add_pv(&mut self, pv: &Pv) {
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

    pub(super) fn add_node_bound(&mut self, kind: VertexKind, namespace: &str, o: &NodeBound) {
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
pub(super) fn pod_secret_names(spec: &PodSpec) -> Vec<&str> {
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
pub(super) fn pod_configmap_names(spec: &PodSpec) -> Vec<&str> {
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

pub(super) fn refd(h: &SecretRefHolder) -> Option<&str> {
    h.secret_ref.as_ref().map(|r| r.name.as_str())
}

pub(super) fn containers(spec: &PodSpec) -> impl Iterator<Item = &Container> {
    spec.init_containers
        .iter()
        .chain(&spec.containers)
        .chain(&spec.ephemeral_containers)
}

/// The ResourceClaim a pod claim refers to: its `resourceClaimName`, or for a template the
/// claim recorded in the pod status (none while it is not created yet).
pub(super) fn resource_claim_name<'a>(pod: &'a Pod, rc: &'a PodResourceClaim) -> Option<&'a str> {
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
pub(super) fn pv_kubelet_secret_names(pv: &Pv) -> Vec<(String, String)> {
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
