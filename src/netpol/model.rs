//! The network model: namespaces, pods, nodes and policies, built from raw Kubernetes objects.

use super::admin::{parse_admin_policy, AdminPolicy, AdminSubject, Tier};
use super::error::{NetpolError, ObjectError, ObjectRef, Warning, WarningCode};
use super::policy::{parse_network_policy, NetworkPolicy, PortRef};
use super::raw::{from_value, ObjCtx, RawMeta};
use super::selector::Labels;
use super::types::{Direction, PolicyKind, PolicyRef, Protocol};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

/// The label the API server puts on every Namespace, holding its name.
pub const METADATA_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A namespace and its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    /// Name.
    pub name: String,
    /// Labels, always including `kubernetes.io/metadata.name`.
    pub labels: Labels,
    /// False when no Namespace object was loaded: then only the metadata.name label is known.
    pub declared: bool,
}

/// A port declared by a container, used to resolve named ports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    /// The container declaring it.
    pub container: String,
    /// The port's name, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `containerPort`.
    pub port: u16,
    /// Protocol (default TCP).
    pub protocol: Protocol,
}

/// A pod as far as network policy is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Labels.
    pub labels: Labels,
    /// `status.podIPs` (or `podIP`); for hostNetwork pods these are node addresses.
    pub ips: Vec<IpAddr>,
    /// `spec.hostNetwork`.
    pub host_network: bool,
    /// `spec.nodeName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    /// `status.hostIPs` (or `hostIP`): the IPs of the pod's node, when known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub host_ips: Vec<IpAddr>,
    /// Ports declared by `spec.containers[].ports[]`.
    pub ports: Vec<ContainerPort>,
    /// Where the object came from.
    pub source: String,
}

impl Pod {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The declared container port with this name, protocol and number, if any.
    pub fn named_port(&self, name: &str, protocol: Protocol, port: u16) -> Option<&ContainerPort> {
        self.ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name) && p.protocol == protocol && p.port == port)
    }
}

/// A node: its labels (for admin-tier `nodes` peers) and addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// Name.
    pub name: String,
    /// Labels.
    pub labels: Labels,
    /// InternalIP/ExternalIP addresses from `status.addresses`.
    pub addresses: Vec<IpAddr>,
}

/// A policy object of a kind the engine does not evaluate (Calico, Cilium, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsupportedPolicy {
    /// `apiVersion`.
    pub api_version: String,
    /// The object.
    pub object: ObjectRef,
}

/// Options for building a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelOptions {
    /// The namespace of namespaced objects without `metadata.namespace` (kubectl's `-n`).
    pub default_namespace: String,
    /// The user chose `default_namespace` for such objects (`--apply-namespace`): no warning.
    pub default_namespace_explicit: bool,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            default_namespace: "default".into(),
            default_namespace_explicit: false,
        }
    }
}

/// Everything the evaluator knows about a cluster's network policy state.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkModel {
    namespaces: BTreeMap<String, Namespace>,
    pods: BTreeMap<(String, String), Pod>,
    nodes: BTreeMap<String, Node>,
    policies: Vec<NetworkPolicy>,
    admin_policies: Vec<AdminPolicy>,
    unsupported: Vec<UnsupportedPolicy>,
    warnings: Vec<Warning>,
    pods_loaded: bool,
    #[serde(skip)]
    has_ip_blocks: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPod {
    #[serde(default)]
    spec: Option<RawPodSpec>,
    #[serde(default)]
    status: Option<RawPodStatus>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPodSpec {
    #[serde(default)]
    containers: Option<Vec<RawContainer>>,
    #[serde(default)]
    host_network: Option<bool>,
    #[serde(default)]
    node_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawContainer {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    ports: Option<Vec<RawContainerPort>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawContainerPort {
    #[serde(default)]
    name: Option<String>,
    container_port: i64,
    #[serde(default)]
    protocol: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawIp {
    ip: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPodStatus {
    #[serde(default)]
    phase: Option<String>,
    #[serde(default, rename = "podIP")]
    pod_ip: Option<String>,
    #[serde(default, rename = "podIPs")]
    pod_ips: Option<Vec<RawIp>>,
    #[serde(default, rename = "hostIP")]
    host_ip: Option<String>,
    #[serde(default, rename = "hostIPs")]
    host_ips: Option<Vec<RawIp>>,
}

#[derive(Debug, Deserialize)]
struct RawNode {
    #[serde(default)]
    status: Option<RawNodeStatus>,
}

#[derive(Debug, Deserialize)]
struct RawNodeStatus {
    #[serde(default)]
    addresses: Option<Vec<RawNodeAddress>>,
}

#[derive(Debug, Deserialize)]
struct RawNodeAddress {
    #[serde(rename = "type")]
    kind: String,
    address: String,
}

fn parse_ips(
    ctx: &mut ObjCtx<'_>,
    single: Option<String>,
    list: Option<Vec<RawIp>>,
    field: &str,
) -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = Vec::new();
    let candidates: Vec<(String, String)> = match list.filter(|l| !l.is_empty()) {
        Some(l) => l
            .into_iter()
            .enumerate()
            .map(|(i, r)| (format!("status.{field}s[{i}].ip"), r.ip))
            .collect(),
        None => single
            .filter(|s| !s.is_empty())
            .map(|s| vec![(format!("status.{field}"), s)])
            .unwrap_or_default(),
    };
    for (path, text) in candidates {
        match text.parse::<IpAddr>() {
            Ok(ip) if !out.contains(&ip) => out.push(ip),
            Ok(_) => {}
            Err(_) => ctx.error(path, format!("`{text}` is not an IP address")),
        }
    }
    out
}

struct Builder {
    options: ModelOptions,
    model: NetworkModel,
    errors: Vec<ObjectError>,
    seen: BTreeMap<(String, Option<String>, String), String>,
    /// Where each NetworkPolicy (namespace, name) and admin policy (kind, name) is in the
    /// model: a later object of the same name replaces it there (the lists are sorted at the
    /// end), without a scan of every policy for each one added.
    policy_at: HashMap<(String, String), usize>,
    admin_policy_at: HashMap<(PolicyKind, String), usize>,
}

/// Kinds (by API group) of policy objects other CNIs or APIs use; they are reported as not
/// evaluated rather than silently ignored.
fn is_foreign_policy(api_version: &str, kind: &str) -> bool {
    kind.ends_with("NetworkPolicy")
        || kind.ends_with("NetworkPolicies")
        || (kind.ends_with("Policy")
            && [
                "cilium.io/",
                "projectcalico.org/",
                "antrea.io/",
                "policy.networking.k8s.io/",
            ]
            .iter()
            .any(|g| api_version.contains(g)))
}

impl Builder {
    fn add(&mut self, value: Value, source: String) {
        let kind = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let api_version = value
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if kind == "List"
            || (kind.ends_with("List") && value.get("items").is_some_and(Value::is_array))
        {
            // Items of a typed list (e.g. NetworkPolicyList straight from the API) may omit
            // apiVersion/kind; they are those of the list.
            let item_kind = kind
                .strip_suffix("List")
                .filter(|k| !k.is_empty())
                .map(str::to_string);
            if let Some(Value::Array(items)) = value.get("items").cloned() {
                for (i, mut item) in items.into_iter().enumerate() {
                    if let (Some(k), Some(obj)) = (&item_kind, item.as_object_mut()) {
                        obj.entry("kind")
                            .or_insert_with(|| Value::String(k.clone()));
                        obj.entry("apiVersion")
                            .or_insert_with(|| Value::String(api_version.clone()));
                    }
                    self.add(item, format!("{source} items[{i}]"));
                }
            }
            return;
        }
        let namespaced = matches!(kind.as_str(), "Pod" | "NetworkPolicy");
        let mut warnings = Vec::new();
        let meta_value = value.get("metadata").cloned().unwrap_or(Value::Null);
        let meta: Result<RawMeta, _> = if meta_value.is_null() {
            Ok(RawMeta::default())
        } else {
            from_value(meta_value)
        };
        let object = ObjectRef {
            kind: if kind.is_empty() {
                "(no kind)".into()
            } else {
                kind.clone()
            },
            namespace: None,
            name: "(unnamed)".into(),
            source: source.clone(),
        };
        let mut ctx = ObjCtx {
            object,
            errors: &mut self.errors,
            warnings: &mut warnings,
        };
        let meta = match meta {
            Ok(m) => m,
            Err((p, m)) => {
                ctx.error(super::raw::join("metadata", &p), m);
                return;
            }
        };
        if let Some(n) = &meta.name {
            ctx.object.name = n.clone();
        }
        let evaluated = matches!(
            (api_version.as_str(), kind.as_str()),
            ("v1", "Namespace" | "Pod" | "Node")
                | ("networking.k8s.io/v1", "NetworkPolicy")
                | (
                    "policy.networking.k8s.io/v1alpha1",
                    "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy"
                )
                | ("policy.networking.k8s.io/v1alpha2", "ClusterNetworkPolicy")
        );
        if !evaluated {
            if is_foreign_policy(&api_version, &kind) {
                ctx.warn(
                    WarningCode::UnsupportedPolicyKind,
                    "",
                    format!("{api_version} {kind} is not evaluated; results that it could affect are incomplete"),
                );
                self.model.unsupported.push(UnsupportedPolicy {
                    api_version,
                    object: ctx.object.clone(),
                });
            }
            self.model.warnings.append(&mut warnings);
            return;
        }
        let Some(name) = meta.name.clone().filter(|n| !n.is_empty()) else {
            ctx.error("metadata.name", "metadata.name is required");
            return;
        };
        let namespace = if namespaced {
            let ns = match meta.namespace.clone().filter(|n| !n.is_empty()) {
                Some(ns) => ns,
                None if self.options.default_namespace_explicit => {
                    self.options.default_namespace.clone()
                }
                None => {
                    ctx.warn(
                        WarningCode::MissingNamespace,
                        "metadata.namespace",
                        format!(
                            "no namespace given; assumed `{}`",
                            self.options.default_namespace
                        ),
                    );
                    self.options.default_namespace.clone()
                }
            };
            ctx.object.namespace = Some(ns.clone());
            Some(ns)
        } else {
            None
        };
        let identity = (kind.clone(), namespace.clone(), name.clone());
        if let Some(previous) = self.seen.insert(identity, source.clone()) {
            ctx.warn(
                WarningCode::DuplicateObject,
                "",
                format!("also defined in {previous}; this later definition replaces it"),
            );
        }
        match kind.as_str() {
            "Namespace" => {
                let mut labels = meta.labels.clone().unwrap_or_default();
                match labels.get(METADATA_NAME_LABEL) {
                    Some(v) if v != &name => {
                        ctx.warn(
                            WarningCode::MetadataNameLabelCorrected,
                            "metadata.labels",
                            format!("{METADATA_NAME_LABEL}={v} replaced by {name}: the API server always sets it to the name"),
                        );
                    }
                    _ => {}
                }
                labels.insert(METADATA_NAME_LABEL.into(), name.clone());
                self.model.namespaces.insert(
                    name.clone(),
                    Namespace {
                        name,
                        labels,
                        declared: true,
                    },
                );
            }
            "Node" => {
                let errors_before = ctx.errors.len();
                if let Some(raw) = ctx.parse::<RawNode>("", value) {
                    let mut addresses = Vec::new();
                    for (i, a) in raw
                        .status
                        .and_then(|s| s.addresses)
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                    {
                        if a.kind != "InternalIP" && a.kind != "ExternalIP" {
                            continue;
                        }
                        match a.address.parse::<IpAddr>() {
                            Ok(ip) if !addresses.contains(&ip) => addresses.push(ip),
                            Ok(_) => {}
                            Err(_) => ctx.error(
                                format!("status.addresses[{i}].address"),
                                format!("`{}` is not an IP address", a.address),
                            ),
                        }
                    }
                    if ctx.errors.len() == errors_before {
                        self.model.nodes.insert(
                            name.clone(),
                            Node {
                                name,
                                labels: meta.labels.clone().unwrap_or_default(),
                                addresses,
                            },
                        );
                    }
                }
            }
            "Pod" => {
                self.model.pods_loaded = true;
                let ns = namespace.unwrap_or_default();
                if let Some(pod) = parse_pod(&mut ctx, value, &meta, &ns, &name) {
                    self.model.pods.insert((ns, name), pod);
                }
            }
            "NetworkPolicy" => {
                let ns = namespace.unwrap_or_default();
                if let Some(p) = parse_network_policy(&mut ctx, value, &meta, &ns) {
                    let policies = &mut self.model.policies;
                    match self.policy_at.entry((p.namespace.clone(), p.name.clone())) {
                        Entry::Occupied(at) => policies[*at.get()] = p,
                        Entry::Vacant(at) => {
                            at.insert(policies.len());
                            policies.push(p);
                        }
                    }
                }
            }
            _ => {
                let pk = match kind.as_str() {
                    "AdminNetworkPolicy" => PolicyKind::AdminNetworkPolicy,
                    "BaselineAdminNetworkPolicy" => PolicyKind::BaselineAdminNetworkPolicy,
                    _ => PolicyKind::ClusterNetworkPolicy,
                };
                if let Some(p) = parse_admin_policy(&mut ctx, value, pk, &name) {
                    let policies = &mut self.model.admin_policies;
                    match self.admin_policy_at.entry((p.kind, p.name.clone())) {
                        Entry::Occupied(at) => policies[*at.get()] = p,
                        Entry::Vacant(at) => {
                            at.insert(policies.len());
                            policies.push(p);
                        }
                    }
                }
            }
        }
        self.model.warnings.append(&mut warnings);
    }

    fn finish(mut self) -> Result<NetworkModel, NetpolError> {
        if !self.errors.is_empty() {
            return Err(NetpolError::InvalidObjects(self.errors));
        }
        let m = &mut self.model;
        // Namespaces referenced by pods and policies exist even without a Namespace object.
        let referenced: BTreeSet<String> = m
            .pods
            .keys()
            .map(|(ns, _)| ns.clone())
            .chain(m.policies.iter().map(|p| p.namespace.clone()))
            .collect();
        for ns in referenced {
            if !m.namespaces.contains_key(&ns) {
                m.warnings.push(Warning {
                    code: WarningCode::NamespaceObjectMissing,
                    object: Some(ObjectRef {
                        kind: "Namespace".into(),
                        namespace: None,
                        name: ns.clone(),
                        source: "referenced by pods or policies".into(),
                    }),
                    field: None,
                    message: format!(
                        "no Namespace object for `{ns}`: only its {METADATA_NAME_LABEL} label is known, so namespaceSelectors on other labels will not match it"
                    ),
                });
                m.namespaces.insert(ns.clone(), synthesized_namespace(&ns));
            }
        }
        m.policies
            .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        m.admin_policies.sort_by(|a, b| {
            (a.tier, a.priority, &a.name, a.kind).cmp(&(b.tier, b.priority, &b.name, b.kind))
        });
        m.has_ip_blocks = m.policies.iter().any(|p| {
            p.ingress.iter().chain(&p.egress).any(|r| {
                r.peers
                    .iter()
                    .any(|peer| matches!(peer, super::policy::Peer::IpBlock(_)))
            })
        });
        self.lint();
        self.model.warnings.sort();
        self.model.warnings.dedup();
        Ok(self.model)
    }

    /// Model-wide warnings that need every object: named ports, empty selections, ties.
    fn lint(&mut self) {
        let m = &self.model;
        let mut out = Vec::new();
        let obj = |p: &NetworkPolicy| ObjectRef {
            kind: "NetworkPolicy".into(),
            namespace: Some(p.namespace.clone()),
            name: p.name.clone(),
            source: p.source.clone(),
        };
        if m.pods_loaded {
            for p in &m.policies {
                let selected: Vec<&Pod> = m
                    .pods_in(&p.namespace)
                    .filter(|pod| p.pod_selector.matches(&pod.labels))
                    .collect();
                if selected.is_empty() {
                    out.push(Warning {
                        code: WarningCode::PolicySelectsNoPods,
                        object: Some(obj(p)),
                        field: Some("spec.podSelector".into()),
                        message: "the podSelector matches none of the loaded pods".into(),
                    });
                }
                for d in [Direction::Ingress, Direction::Egress] {
                    let field = if d == Direction::Ingress {
                        "ingress"
                    } else {
                        "egress"
                    };
                    for (ri, rule) in p.effective_rules(d).iter().enumerate() {
                        for (pi, port) in rule.ports.iter().enumerate() {
                            let Some(PortRef::Name(name)) = &port.port else {
                                continue;
                            };
                            // Ingress names resolve on the selected pods, egress names on any peer.
                            let candidates: Vec<&Pod> = if d == Direction::Ingress {
                                selected.clone()
                            } else {
                                m.pods.values().collect()
                            };
                            let same = candidates.iter().any(|pod| {
                                pod.ports.iter().any(|cp| {
                                    cp.name.as_deref() == Some(name) && cp.protocol == port.protocol
                                })
                            });
                            if same {
                                continue;
                            }
                            let other: BTreeSet<Protocol> = candidates
                                .iter()
                                .flat_map(|pod| pod.ports.iter())
                                .filter(|cp| cp.name.as_deref() == Some(name))
                                .map(|cp| cp.protocol)
                                .collect();
                            let (code, message) = if other.is_empty() {
                                (
                                    WarningCode::NamedPortUnmatched,
                                    format!("named port `{name}` ({}) is declared by no {} pod, so this entry matches nothing", port.protocol, if d == Direction::Ingress { "selected" } else { "loaded" }),
                                )
                            } else {
                                (
                                    WarningCode::NamedPortProtocolMismatch,
                                    format!(
                                        "named port `{name}` is declared only with protocol {} but this entry uses {}; it matches nothing",
                                        other.iter().map(Protocol::as_str).collect::<Vec<_>>().join("/"),
                                        port.protocol
                                    ),
                                )
                            };
                            out.push(Warning {
                                code,
                                object: Some(obj(p)),
                                field: Some(format!("spec.{field}[{ri}].ports[{pi}].port")),
                                message,
                            });
                        }
                    }
                }
            }
            // Without an ipBlock peer a pod's IP cannot matter.
            for pod in m.pods.values().filter(|_| m.has_ip_blocks) {
                if pod.ips.is_empty() {
                    out.push(Warning {
                        code: WarningCode::PodWithoutIp,
                        object: Some(ObjectRef {
                            kind: "Pod".into(),
                            namespace: Some(pod.namespace.clone()),
                            name: pod.name.clone(),
                            source: pod.source.clone(),
                        }),
                        field: Some("status.podIPs".into()),
                        message: "no pod IP known: ipBlock rules cannot be evaluated for this pod"
                            .into(),
                    });
                }
            }
        }
        let mut by_priority: BTreeMap<(Tier, i32), Vec<&AdminPolicy>> = BTreeMap::new();
        for p in &m.admin_policies {
            if let Some(prio) = p.priority {
                by_priority.entry((p.tier, prio)).or_default().push(p);
            }
        }
        for ((tier, prio), list) in by_priority {
            if list.len() > 1 {
                out.push(Warning {
                    code: WarningCode::DuplicatePriority,
                    object: None,
                    field: None,
                    message: format!(
                        "{tier:?}-tier policies {} share priority {prio}: where both match, the winner is implementation-defined",
                        list.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
        self.model.warnings.extend(out);
    }
}

fn synthesized_namespace(name: &str) -> Namespace {
    Namespace {
        name: name.to_string(),
        labels: [(METADATA_NAME_LABEL.to_string(), name.to_string())]
            .into_iter()
            .collect(),
        declared: false,
    }
}

fn parse_pod(
    ctx: &mut ObjCtx<'_>,
    value: Value,
    meta: &RawMeta,
    ns: &str,
    name: &str,
) -> Option<Pod> {
    let raw: RawPod = ctx.parse("", value)?;
    let errors_before = ctx.errors.len();
    let status = raw.status.unwrap_or(RawPodStatus {
        phase: None,
        pod_ip: None,
        pod_ips: None,
        host_ip: None,
        host_ips: None,
    });
    if matches!(status.phase.as_deref(), Some("Succeeded" | "Failed")) {
        ctx.warn(
            WarningCode::TerminatedPodSkipped,
            "status.phase",
            "the pod has terminated; it sends and receives no traffic and its IP may be reused",
        );
        return None;
    }
    let spec = raw.spec.unwrap_or(RawPodSpec {
        containers: None,
        host_network: None,
        node_name: None,
    });
    let mut ports = Vec::new();
    for (ci, c) in spec.containers.unwrap_or_default().into_iter().enumerate() {
        let cname = c.name.unwrap_or_else(|| format!("containers[{ci}]"));
        for (pi, p) in c.ports.unwrap_or_default().into_iter().enumerate() {
            let path = format!("spec.containers[{ci}].ports[{pi}]");
            let protocol =
                super::policy::protocol(ctx, p.protocol.as_deref(), &format!("{path}.protocol"));
            let port =
                super::policy::port_number(ctx, p.container_port, &format!("{path}.containerPort"));
            if let (Some(protocol), Some(port)) = (protocol, port) {
                ports.push(ContainerPort {
                    container: cname.clone(),
                    name: p.name.filter(|n| !n.is_empty()),
                    port,
                    protocol,
                });
            }
        }
    }
    let ips = parse_ips(ctx, status.pod_ip, status.pod_ips, "podIP");
    let host_ips = parse_ips(ctx, status.host_ip, status.host_ips, "hostIP");
    if ctx.errors.len() > errors_before {
        return None;
    }
    Some(Pod {
        namespace: ns.to_string(),
        name: name.to_string(),
        labels: meta.labels.clone().unwrap_or_default(),
        ips,
        host_network: spec.host_network.unwrap_or(false),
        node_name: spec.node_name.filter(|n| !n.is_empty()),
        host_ips,
        ports,
        source: ctx.object.source.clone(),
    })
}

impl NetworkModel {
    /// Builds a model from raw objects (`(object, where it came from)`), with the default
    /// namespace `default` for namespaced objects that have none.
    ///
    /// Evaluated: v1 Namespace, Pod, Node; networking.k8s.io/v1 NetworkPolicy;
    /// policy.networking.k8s.io v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy and
    /// v1alpha2 ClusterNetworkPolicy. `List` objects are flattened. Other policy kinds (Calico,
    /// Cilium, …) are recorded as unsupported; everything else is ignored. Every invalid field
    /// of every object is reported in one [`NetpolError::InvalidObjects`].
    pub fn from_objects<I>(objects: I) -> Result<NetworkModel, NetpolError>
    where
        I: IntoIterator<Item = (Value, String)>,
    {
        Self::from_objects_with(objects, &ModelOptions::default())
    }

    /// Like [`NetworkModel::from_objects`], with options.
    pub fn from_objects_with<I>(
        objects: I,
        options: &ModelOptions,
    ) -> Result<NetworkModel, NetpolError>
    where
        I: IntoIterator<Item = (Value, String)>,
    {
        let mut b = Builder {
            options: options.clone(),
            model: NetworkModel::default(),
            errors: Vec::new(),
            seen: BTreeMap::new(),
            policy_at: HashMap::new(),
            admin_policy_at: HashMap::new(),
        };
        for (value, source) in objects {
            b.add(value, source);
        }
        b.finish()
    }

    /// All namespaces (declared or referenced), sorted by name.
    pub fn namespaces(&self) -> impl Iterator<Item = &Namespace> {
        self.namespaces.values()
    }

    /// One namespace.
    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.namespaces.get(name)
    }

    /// Labels of a namespace; an unknown namespace gets only the metadata.name label.
    pub fn namespace_labels(&self, name: &str) -> Labels {
        match self.namespaces.get(name) {
            Some(ns) => ns.labels.clone(),
            None => synthesized_namespace(name).labels,
        }
    }

    /// Whether any Pod objects were loaded (pod-level answers need them).
    pub fn pods_loaded(&self) -> bool {
        self.pods_loaded
    }

    /// All pods, sorted by namespace and name.
    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.pods.values()
    }

    /// Pods of one namespace, sorted by name (a range of the pods, not a scan of all: lint
    /// and default-deny ask this per policy and per namespace).
    pub fn pods_in<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
        let from = (namespace.to_string(), String::new());
        self.pods
            .range(from..)
            .take_while(move |((ns, _), _)| ns == namespace)
            .map(|(_, pod)| pod)
    }

    /// One pod.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.pods.get(&(namespace.to_string(), name.to_string()))
    }

    /// All nodes.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.values()
    }

    /// One node.
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.get(name)
    }

    /// All NetworkPolicies, sorted by namespace and name.
    pub fn policies(&self) -> &[NetworkPolicy] {
        &self.policies
    }

    /// NetworkPolicies of one namespace.
    pub fn policies_in<'a>(
        &'a self,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a NetworkPolicy> + 'a {
        // Policies are sorted by namespace, so the namespace's policies are one slice.
        let start = self
            .policies
            .partition_point(|p| p.namespace.as_str() < namespace);
        let end = self
            .policies
            .partition_point(|p| p.namespace.as_str() <= namespace);
        self.policies[start..end.max(start)].iter()
    }

    /// Admin- and baseline-tier policies, in evaluation order (tier, priority, name).
    pub fn admin_policies(&self) -> &[AdminPolicy] {
        &self.admin_policies
    }

    /// Policy objects of kinds that are not evaluated.
    pub fn unsupported_policies(&self) -> &[UnsupportedPolicy] {
        &self.unsupported
    }

    /// Whether any NetworkPolicy has an ipBlock peer.
    pub(crate) fn has_ip_blocks(&self) -> bool {
        self.has_ip_blocks
    }

    /// Warnings found while building the model.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The IPs of the node a pod runs on: its `hostIPs`, plus the Node object's addresses.
    pub fn node_ips_of(&self, pod: &Pod) -> Vec<IpAddr> {
        let mut ips = pod.host_ips.clone();
        if let Some(node) = pod.node_name.as_deref().and_then(|n| self.nodes.get(n)) {
            for ip in &node.addresses {
                if !ips.contains(ip) {
                    ips.push(*ip);
                }
            }
        }
        ips
    }

    /// The node an IP belongs to, by Node addresses and pods' host IPs, if known.
    pub fn node_of_ip(&self, ip: &IpAddr) -> Option<String> {
        if let Some(n) = self.nodes.values().find(|n| n.addresses.contains(ip)) {
            return Some(n.name.clone());
        }
        self.pods
            .values()
            .find(|p| p.host_ips.contains(ip) || (p.host_network && p.ips.contains(ip)))
            .and_then(|p| p.node_name.clone())
    }

    /// Whether an IP is known to be some node's address.
    pub fn is_node_ip(&self, ip: &IpAddr) -> bool {
        self.nodes.values().any(|n| n.addresses.contains(ip))
            || self
                .pods
                .values()
                .any(|p| p.host_ips.contains(ip) || (p.host_network && p.ips.contains(ip)))
    }

    /// Whether the pod's namespace matches an admin subject and the pod is selected by it.
    /// hostNetwork pods are never subjects.
    pub(crate) fn admin_subject_selects(&self, subject: &AdminSubject, pod: &Pod) -> bool {
        if pod.host_network {
            return false;
        }
        let ns_labels = self.namespace_labels(&pod.namespace);
        match subject {
            AdminSubject::Namespaces(sel) => sel.matches(&ns_labels),
            AdminSubject::Pods {
                namespace_selector,
                pod_selector,
            } => namespace_selector.matches(&ns_labels) && pod_selector.matches(&pod.labels),
        }
    }

    /// Admin/baseline policies whose subject can cover pods of a namespace.
    pub fn admin_policies_for_namespace(&self, namespace: &str) -> Vec<PolicyRef> {
        let labels = self.namespace_labels(namespace);
        self.admin_policies
            .iter()
            .filter(|p| match &p.subject {
                AdminSubject::Namespaces(sel) => sel.matches(&labels),
                AdminSubject::Pods {
                    namespace_selector, ..
                } => namespace_selector.matches(&labels),
            })
            .map(AdminPolicy::policy_ref)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn build(objs: Vec<Value>) -> Result<NetworkModel, NetpolError> {
        NetworkModel::from_objects(
            objs.into_iter()
                .enumerate()
                .map(|(i, v)| (v, format!("test.yaml document {i}"))),
        )
    }

    #[test]
    fn namespaces_get_metadata_name_label() {
        let m = build(vec![
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "y"}}),
        ])
        .expect("model");
        assert_eq!(
            m.namespace("x")
                .expect("x")
                .labels
                .get(METADATA_NAME_LABEL)
                .map(String::as_str),
            Some("x")
        );
        let y = m.namespace("y").expect("y synthesized");
        assert!(!y.declared);
        assert_eq!(
            y.labels.get(METADATA_NAME_LABEL).map(String::as_str),
            Some("y")
        );
        assert!(m
            .warnings()
            .iter()
            .any(|w| w.code == WarningCode::NamespaceObjectMissing));
    }

    #[test]
    fn errors_name_object_source_and_field() {
        let err = build(vec![
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "x"},
                   "spec": {"ingress": [{"from": [{"ipBlock": {"cidr": "nonsense"}}]}]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x"},
                   "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 0}]}]}}),
        ])
        .expect_err("invalid");
        let NetpolError::InvalidObjects(errors) = &err else {
            panic!("unexpected error {err}")
        };
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "spec.ingress[0].from[0].ipBlock.cidr");
        assert_eq!(errors[0].object.source, "test.yaml document 0");
        assert_eq!(errors[1].field, "spec.containers[0].ports[0].containerPort");
        let text = err.to_string();
        assert!(
            text.contains("NetworkPolicy x/p (test.yaml document 0)"),
            "{text}"
        );
    }

    #[test]
    fn other_kinds_ignored_foreign_policies_recorded() {
        let m = build(vec![
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}}),
            json!({"apiVersion": "crd.projectcalico.org/v1", "kind": "NetworkPolicy", "metadata": {"name": "c", "namespace": "x"}}),
            json!({"apiVersion": "cilium.io/v2", "kind": "CiliumClusterwideNetworkPolicy", "metadata": {"name": "c"}}),
        ])
        .expect("model");
        assert_eq!(m.unsupported_policies().len(), 2);
        assert!(m.policies().is_empty());
    }

    #[test]
    fn lists_duplicates_and_missing_namespace() {
        let np = |name: &str, types: &str| {
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name}, "spec": {"podSelector": {}, "policyTypes": [types]}})
        };
        let m = build(vec![json!({"apiVersion": "v1", "kind": "List", "items": [np("p", "Ingress"), np("p", "Egress")]})])
            .expect("model");
        assert_eq!(m.policies().len(), 1);
        assert_eq!(m.policies()[0].namespace, "default");
        assert_eq!(m.policies()[0].policy_types, vec![Direction::Egress]);
        let codes: Vec<WarningCode> = m.warnings().iter().map(|w| w.code).collect();
        assert!(codes.contains(&WarningCode::DuplicateObject));
        assert!(codes.contains(&WarningCode::MissingNamespace));
    }

    #[test]
    fn typed_list_items_inherit_kind() {
        let m = build(vec![
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicyList", "items": [
                {"metadata": {"name": "p", "namespace": "x"}, "spec": {"podSelector": {}}}
            ]}),
        ])
        .expect("model");
        assert_eq!(m.policies().len(), 1);
        assert_eq!(m.policies()[0].source, "test.yaml document 0 items[0]");
        assert_eq!(m.policies_in("x").count(), 1);
        assert_eq!(m.policies_in("w").count(), 0);
        assert_eq!(m.policies_in("y").count(), 0);
    }

    #[test]
    fn pods_ips_ports_and_terminated() {
        let m = build(vec![
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x", "labels": {"app": "a"}},
                   "spec": {"nodeName": "n1", "containers": [{"name": "c", "ports": [{"name": "dns", "containerPort": 53, "protocol": "UDP"}, {"containerPort": 80}]}]},
                   "status": {"podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}], "hostIP": "192.168.0.1"}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "done", "namespace": "x"}, "status": {"phase": "Succeeded"}}),
            json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
                   "status": {"addresses": [{"type": "Hostname", "address": "n1"}, {"type": "InternalIP", "address": "192.168.0.1"}, {"type": "ExternalIP", "address": "203.0.113.1"}]}}),
        ])
        .expect("model");
        let a = m.pod("x", "a").expect("pod");
        assert_eq!(a.ips.len(), 2);
        assert_eq!(a.ports[0].protocol, Protocol::Udp);
        assert_eq!(a.ports[1].protocol, Protocol::Tcp);
        assert!(a.named_port("dns", Protocol::Udp, 53).is_some());
        assert!(a.named_port("dns", Protocol::Tcp, 53).is_none());
        assert!(m.pod("x", "done").is_none());
        assert_eq!(m.node_ips_of(a).len(), 2);
        assert!(m.is_node_ip(&"203.0.113.1".parse().expect("ip")));
    }

    #[test]
    fn named_port_warnings() {
        let m = build(vec![
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x"},
                   "spec": {"containers": [{"name": "c", "ports": [{"name": "dns", "containerPort": 53, "protocol": "UDP"}]}]},
                   "status": {"podIP": "10.0.0.1"}}),
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "x"},
                   "spec": {"podSelector": {}, "ingress": [{"ports": [{"port": "dns"}, {"port": "nothing"}]}]}}),
        ])
        .expect("model");
        let codes: Vec<(WarningCode, Option<String>)> = m
            .warnings()
            .iter()
            .map(|w| (w.code, w.field.clone()))
            .collect();
        assert!(codes.contains(&(
            WarningCode::NamedPortProtocolMismatch,
            Some("spec.ingress[0].ports[0].port".into())
        )));
        assert!(codes.contains(&(
            WarningCode::NamedPortUnmatched,
            Some("spec.ingress[0].ports[1].port".into())
        )));
    }

    #[test]
    fn never_panics_on_garbage() {
        for v in [
            json!(null),
            json!(42),
            json!({"kind": "Pod"}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": "x"}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": "no"}}),
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "a"}, "spec": []}),
            json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy", "metadata": {"name": "a"}, "spec": {"subject": 3}}),
        ] {
            let _ = build(vec![v]);
        }
    }
}
