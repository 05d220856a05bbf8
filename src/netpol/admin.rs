//! Cluster-wide tiers: AdminNetworkPolicy / BaselineAdminNetworkPolicy
//! (policy.networking.k8s.io/v1alpha1) and ClusterNetworkPolicy (v1alpha2).
//!
//! All three become one [`AdminPolicy`] shape: a tier (Admin before NetworkPolicy, Baseline
//! after it), a priority, a subject, and ordered rules with Allow/Deny/Pass actions. Both
//! published v1alpha1 peer shapes are read: `namespaces: <LabelSelector>` and the older
//! `namespaces: {namespaceSelector | sameLabels | notSameLabels}`.

use super::cidr::Cidr;
use super::error::WarningCode;
use super::policy::{cidr, port_number, protocol, selector};
use super::raw::{join, validate_port_name, ObjCtx};
use super::selector::{LabelSelector, RawLabelSelector};
use super::types::{PolicyKind, PolicyRef, Protocol};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a cluster-wide policy sits relative to NetworkPolicy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Tier {
    /// Evaluated before NetworkPolicy; Allow/Deny are final.
    Admin,
    /// Evaluated only for pods no NetworkPolicy isolates in that direction.
    Baseline,
}

/// A rule action (ClusterNetworkPolicy's `Accept` is read as `Allow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AdminAction {
    /// Allow the traffic; final for this direction.
    Allow,
    /// Deny the traffic; final.
    Deny,
    /// Skip the rest of this tier and continue with the next one.
    Pass,
}

/// Which pods a cluster-wide policy applies to (hostNetwork pods never are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AdminSubject {
    /// Every pod in namespaces matching the selector.
    Namespaces(LabelSelector),
    /// Pods matching `pod_selector` in namespaces matching `namespace_selector`.
    Pods {
        /// Namespace selector.
        namespace_selector: LabelSelector,
        /// Pod selector.
        pod_selector: LabelSelector,
    },
}

/// How a peer selects namespaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NamespaceSet {
    /// Namespaces whose labels match.
    Selector(LabelSelector),
    /// (v1alpha1, deprecated) namespaces having all these labels with the subject namespace's values.
    SameLabels(Vec<String>),
    /// (v1alpha1, deprecated) namespaces having all these labels, at least one with a value
    /// different from the subject namespace's.
    NotSameLabels(Vec<String>),
}

/// One element of a cluster-wide rule's `from`/`to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AdminPeer {
    /// All pod-network pods of the selected namespaces.
    Namespaces(NamespaceSet),
    /// Selected pod-network pods of the selected namespaces.
    Pods {
        /// Namespace selection.
        namespaces: NamespaceSet,
        /// Pod selector.
        pod_selector: LabelSelector,
    },
    /// Node IPs of nodes whose labels match (egress only).
    Nodes(LabelSelector),
    /// Any address in these blocks, pod IPs included (egress only).
    Networks(Vec<Cidr>),
    /// Domain names (egress Allow only); cannot be evaluated offline.
    DomainNames(Vec<String>),
}

/// One port condition of a cluster-wide rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AdminPort {
    /// One port number.
    Number {
        /// Protocol.
        protocol: Protocol,
        /// Port.
        port: u16,
    },
    /// An inclusive range.
    Range {
        /// Protocol.
        protocol: Protocol,
        /// First port.
        start: u16,
        /// Last port.
        end: u16,
    },
    /// Every port of a protocol.
    AllPorts(Protocol),
    /// A container port name of the destination pod (any protocol it is declared with).
    Named(String),
}

/// One ordered rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminRule {
    /// The rule's name, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What happens to matching traffic.
    pub action: AdminAction,
    /// Peers (ORed, at least one).
    pub peers: Vec<AdminPeer>,
    /// Ports (ORed); None means every port of every protocol.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<AdminPort>>,
}

/// A normalised AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminPolicy {
    /// Which kind the object was.
    pub kind: PolicyKind,
    /// Name.
    pub name: String,
    /// Where it came from.
    pub source: String,
    /// Tier.
    pub tier: Tier,
    /// Priority within the tier (lower first); BaselineAdminNetworkPolicy has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// Subject.
    pub subject: AdminSubject,
    /// Ordered ingress rules.
    pub ingress: Vec<AdminRule>,
    /// Ordered egress rules.
    pub egress: Vec<AdminRule>,
}

impl AdminPolicy {
    /// A reference for results.
    pub fn policy_ref(&self) -> PolicyRef {
        PolicyRef {
            kind: self.kind,
            namespace: None,
            name: self.name.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct RawAdmin {
    #[serde(default)]
    spec: Option<RawAdminSpec>,
}

#[derive(Debug, Deserialize)]
struct RawAdminSpec {
    #[serde(default)]
    priority: Option<i64>,
    #[serde(default)]
    tier: Option<String>,
    #[serde(default)]
    subject: Option<Value>,
    #[serde(default)]
    ingress: Option<Vec<RawAdminRule>>,
    #[serde(default)]
    egress: Option<Vec<RawAdminRule>>,
}

#[derive(Debug, Deserialize)]
struct RawAdminRule {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    from: Option<Vec<Value>>,
    #[serde(default)]
    to: Option<Vec<Value>>,
    #[serde(default)]
    ports: Option<Vec<Value>>,
    #[serde(default)]
    protocols: Option<Vec<Value>>,
}

fn obj<'v>(
    ctx: &mut ObjCtx<'_>,
    v: &'v Value,
    path: &str,
) -> Option<&'v serde_json::Map<String, Value>> {
    match v.as_object() {
        Some(m) => Some(m),
        None => {
            ctx.error(path, "expected an object");
            None
        }
    }
}

fn label_selector(ctx: &mut ObjCtx<'_>, v: &Value, path: &str) -> Option<LabelSelector> {
    let raw: RawLabelSelector = if v.is_null() {
        RawLabelSelector::default()
    } else {
        ctx.parse(path, v.clone())?
    };
    selector(ctx, raw, path)
}

fn strings(ctx: &mut ObjCtx<'_>, v: &Value, path: &str) -> Option<Vec<String>> {
    let list: Vec<String> = ctx.parse(path, v.clone())?;
    if list.is_empty() {
        ctx.error(path, "must list at least one item");
        return None;
    }
    Some(list)
}

/// Exactly one of `keys` must be present in `m`; returns it.
fn one_of<'k>(
    ctx: &mut ObjCtx<'_>,
    m: &serde_json::Map<String, Value>,
    keys: &[&'k str],
    path: &str,
) -> Option<&'k str> {
    let present: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| m.get(*k).is_some_and(|v| !v.is_null()))
        .collect();
    match present.as_slice() {
        [one] => Some(one),
        [] => {
            ctx.error(
                path,
                format!("exactly one of {} must be set", keys.join(", ")),
            );
            None
        }
        _ => {
            ctx.error(
                path,
                format!(
                    "only one of {} may be set, found {}",
                    keys.join(", "),
                    present.join(" and ")
                ),
            );
            None
        }
    }
}

fn namespace_set(ctx: &mut ObjCtx<'_>, v: &Value, path: &str) -> Option<NamespaceSet> {
    let m = obj(ctx, v, path)?;
    let legacy = ["namespaceSelector", "sameLabels", "notSameLabels"];
    if !legacy.iter().any(|k| m.contains_key(*k)) {
        // Current shape: the value itself is a label selector ({} = all namespaces).
        return label_selector(ctx, v, path).map(NamespaceSet::Selector);
    }
    let key = one_of(ctx, m, &legacy, path)?;
    let p = join(path, key);
    match key {
        "namespaceSelector" => label_selector(ctx, &m[key], &p).map(NamespaceSet::Selector),
        "sameLabels" => {
            ctx.warn(
                WarningCode::DeprecatedAdminPeer,
                &p,
                "sameLabels is deprecated and absent from later API versions",
            );
            strings(ctx, &m[key], &p).map(NamespaceSet::SameLabels)
        }
        _ => {
            ctx.warn(
                WarningCode::DeprecatedAdminPeer,
                &p,
                "notSameLabels is deprecated and absent from later API versions",
            );
            strings(ctx, &m[key], &p).map(NamespaceSet::NotSameLabels)
        }
    }
}

fn peer(ctx: &mut ObjCtx<'_>, v: &Value, path: &str, egress: bool) -> Option<AdminPeer> {
    let m = obj(ctx, v, path)?;
    let keys: &[&str] = if egress {
        &["namespaces", "pods", "nodes", "networks", "domainNames"]
    } else {
        &["namespaces", "pods"]
    };
    if let Some(extra) = m.keys().find(|k| {
        !keys.contains(&k.as_str()) && ["nodes", "networks", "domainNames"].contains(&k.as_str())
    }) {
        ctx.error(join(path, extra), "only allowed in egress peers");
        return None;
    }
    let key = one_of(ctx, m, keys, path)?;
    let p = join(path, key);
    let val = &m[key];
    match key {
        "namespaces" => namespace_set(ctx, val, &p).map(AdminPeer::Namespaces),
        "pods" => {
            let pm = obj(ctx, val, &p)?;
            let namespaces = if let Some(ns) = pm.get("namespaces") {
                namespace_set(ctx, ns, &join(&p, "namespaces"))
            } else {
                label_selector(
                    ctx,
                    pm.get("namespaceSelector").unwrap_or(&Value::Null),
                    &join(&p, "namespaceSelector"),
                )
                .map(NamespaceSet::Selector)
            };
            let pod_selector = label_selector(
                ctx,
                pm.get("podSelector").unwrap_or(&Value::Null),
                &join(&p, "podSelector"),
            );
            Some(AdminPeer::Pods {
                namespaces: namespaces?,
                pod_selector: pod_selector?,
            })
        }
        "nodes" => label_selector(ctx, val, &p).map(AdminPeer::Nodes),
        "networks" => {
            let list = strings(ctx, val, &p)?;
            let mut out = Vec::new();
            let mut ok = true;
            for (i, c) in list.iter().enumerate() {
                match cidr(ctx, c, &format!("{p}[{i}]")) {
                    Some(c) => out.push(c),
                    None => ok = false,
                }
            }
            ok.then_some(AdminPeer::Networks(out))
        }
        _ => strings(ctx, val, &p).map(AdminPeer::DomainNames),
    }
}

fn range(
    ctx: &mut ObjCtx<'_>,
    m: &serde_json::Map<String, Value>,
    path: &str,
) -> Option<(u16, u16)> {
    let start: i64 = ctx.parse(
        &join(path, "start"),
        m.get("start").cloned().unwrap_or(Value::Null),
    )?;
    let end: i64 = ctx.parse(
        &join(path, "end"),
        m.get("end").cloned().unwrap_or(Value::Null),
    )?;
    let s = port_number(ctx, start, &join(path, "start"))?;
    let e = port_number(ctx, end, &join(path, "end"))?;
    if s >= e {
        ctx.error(
            join(path, "end"),
            format!("end {e} must be greater than start {s}"),
        );
        return None;
    }
    Some((s, e))
}

/// v1alpha1 `ports[]` entry.
fn v1alpha1_port(ctx: &mut ObjCtx<'_>, v: &Value, path: &str) -> Option<AdminPort> {
    let m = obj(ctx, v, path)?;
    let key = one_of(ctx, m, &["portNumber", "namedPort", "portRange"], path)?;
    let p = join(path, key);
    match key {
        "namedPort" => {
            let name: String = ctx.parse(&p, m[key].clone())?;
            if let Err(e) = validate_port_name(&name) {
                ctx.error(p, e);
                return None;
            }
            Some(AdminPort::Named(name))
        }
        "portNumber" => {
            let pm = obj(ctx, &m[key], &p)?;
            let proto = match pm.get("protocol") {
                // The CRD defaults an unset protocol to TCP; "" is Go's zero value for unset.
                Some(Value::String(s)) if s.is_empty() => Some(Protocol::Tcp),
                Some(Value::String(s)) => protocol(ctx, Some(s), &join(&p, "protocol")),
                Some(Value::Null) | None => Some(Protocol::Tcp),
                Some(_) => {
                    ctx.error(join(&p, "protocol"), "expected a string");
                    None
                }
            };
            let port: i64 = ctx.parse(
                &join(&p, "port"),
                pm.get("port").cloned().unwrap_or(Value::Null),
            )?;
            let port = port_number(ctx, port, &join(&p, "port"))?;
            Some(AdminPort::Number {
                protocol: proto?,
                port,
            })
        }
        _ => {
            let pm = obj(ctx, &m[key], &p)?;
            let proto = match pm.get("protocol") {
                // The CRD defaults an unset protocol to TCP; "" is Go's zero value for unset.
                Some(Value::String(s)) if s.is_empty() => Some(Protocol::Tcp),
                Some(Value::String(s)) => protocol(ctx, Some(s), &join(&p, "protocol")),
                Some(Value::Null) | None => Some(Protocol::Tcp),
                Some(_) => {
                    ctx.error(join(&p, "protocol"), "expected a string");
                    None
                }
            };
            let (start, end) = range(ctx, pm, &p)?;
            Some(AdminPort::Range {
                protocol: proto?,
                start,
                end,
            })
        }
    }
}

/// v1alpha2 `protocols[]` entry.
fn v1alpha2_protocol(ctx: &mut ObjCtx<'_>, v: &Value, path: &str) -> Option<AdminPort> {
    let m = obj(ctx, v, path)?;
    let key = one_of(
        ctx,
        m,
        &["tcp", "udp", "sctp", "destinationNamedPort"],
        path,
    )?;
    let p = join(path, key);
    let proto = match key {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "sctp" => Protocol::Sctp,
        _ => {
            let name: String = ctx.parse(&p, m[key].clone())?;
            if let Err(e) = validate_port_name(&name) {
                ctx.error(p, e);
                return None;
            }
            return Some(AdminPort::Named(name));
        }
    };
    let pm = obj(ctx, &m[key], &p)?;
    let Some(dp) = pm.get("destinationPort").filter(|v| !v.is_null()) else {
        return Some(AdminPort::AllPorts(proto));
    };
    let dpath = join(&p, "destinationPort");
    let dm = obj(ctx, dp, &dpath)?;
    let key = one_of(ctx, dm, &["number", "range"], &dpath)?;
    let kp = join(&dpath, key);
    if key == "number" {
        let n: i64 = ctx.parse(&kp, dm[key].clone())?;
        let port = port_number(ctx, n, &kp)?;
        Some(AdminPort::Number {
            protocol: proto,
            port,
        })
    } else {
        let rm = obj(ctx, &dm[key], &kp)?;
        let (start, end) = range(ctx, rm, &kp)?;
        Some(AdminPort::Range {
            protocol: proto,
            start,
            end,
        })
    }
}

fn subject(ctx: &mut ObjCtx<'_>, v: Option<&Value>) -> Option<AdminSubject> {
    let path = "spec.subject";
    let Some(v) = v.filter(|v| !v.is_null()) else {
        ctx.error(path, "subject is required");
        return None;
    };
    let m = obj(ctx, v, path)?;
    let key = one_of(ctx, m, &["namespaces", "pods"], path)?;
    let p = join(path, key);
    if key == "namespaces" {
        return label_selector(ctx, &m[key], &p).map(AdminSubject::Namespaces);
    }
    let pm = obj(ctx, &m[key], &p)?;
    let ns = label_selector(
        ctx,
        pm.get("namespaceSelector").unwrap_or(&Value::Null),
        &join(&p, "namespaceSelector"),
    );
    let pods = label_selector(
        ctx,
        pm.get("podSelector").unwrap_or(&Value::Null),
        &join(&p, "podSelector"),
    );
    Some(AdminSubject::Pods {
        namespace_selector: ns?,
        pod_selector: pods?,
    })
}

fn rules(
    ctx: &mut ObjCtx<'_>,
    raw: Option<Vec<RawAdminRule>>,
    kind: PolicyKind,
    egress: bool,
) -> Vec<AdminRule> {
    let dir = if egress { "egress" } else { "ingress" };
    let peer_field = if egress { "to" } else { "from" };
    let mut out = Vec::new();
    for (i, r) in raw.unwrap_or_default().into_iter().enumerate() {
        let path = format!("spec.{dir}[{i}]");
        let action = match (kind, r.action.as_deref()) {
            (PolicyKind::ClusterNetworkPolicy, Some("Accept")) => Some(AdminAction::Allow),
            (
                PolicyKind::AdminNetworkPolicy | PolicyKind::BaselineAdminNetworkPolicy,
                Some("Allow"),
            ) => Some(AdminAction::Allow),
            (_, Some("Deny")) => Some(AdminAction::Deny),
            (PolicyKind::AdminNetworkPolicy | PolicyKind::ClusterNetworkPolicy, Some("Pass")) => {
                Some(AdminAction::Pass)
            }
            (_, other) => {
                let expected = match kind {
                    PolicyKind::ClusterNetworkPolicy => "Accept, Deny or Pass",
                    PolicyKind::BaselineAdminNetworkPolicy => "Allow or Deny",
                    _ => "Allow, Deny or Pass",
                };
                ctx.error(
                    join(&path, "action"),
                    match other {
                        Some(a) => format!("unsupported action `{a}`: expected {expected}"),
                        None => format!("action is required: expected {expected}"),
                    },
                );
                None
            }
        };
        let raw_peers = if egress { r.to } else { r.from };
        let raw_peers = raw_peers.unwrap_or_default();
        if raw_peers.is_empty() {
            ctx.error(join(&path, peer_field), "must contain at least one peer");
        }
        let mut peers = Vec::new();
        let mut ok = action.is_some() && !raw_peers.is_empty();
        for (j, p) in raw_peers.iter().enumerate() {
            match peer(ctx, p, &format!("{path}.{peer_field}[{j}]"), egress) {
                Some(p) => peers.push(p),
                None => ok = false,
            }
        }
        if let (Some(AdminAction::Deny | AdminAction::Pass), true) = (
            action,
            peers.iter().any(|p| matches!(p, AdminPeer::DomainNames(_))),
        ) {
            ctx.error(
                join(&path, peer_field),
                "domainNames peers are only allowed in Allow/Accept rules",
            );
            ok = false;
        }
        let (field, list) = match kind {
            PolicyKind::ClusterNetworkPolicy => ("protocols", r.protocols),
            _ => ("ports", r.ports),
        };
        let ports = match list {
            None => None,
            Some(list) => {
                let mut ports = Vec::new();
                for (j, p) in list.iter().enumerate() {
                    let pp = format!("{path}.{field}[{j}]");
                    let parsed = if kind == PolicyKind::ClusterNetworkPolicy {
                        v1alpha2_protocol(ctx, p, &pp)
                    } else {
                        v1alpha1_port(ctx, p, &pp)
                    };
                    match parsed {
                        Some(p) => ports.push(p),
                        None => ok = false,
                    }
                }
                // An empty list is read like an absent one: no port filtering.
                (!ports.is_empty()).then_some(ports)
            }
        };
        if let (true, Some(action)) = (ok, action) {
            out.push(AdminRule {
                name: r.name.filter(|n| !n.is_empty()),
                action,
                peers,
                ports,
            });
        }
    }
    out
}

/// Parses one cluster-wide policy object of `kind`. Returns None (errors recorded) when invalid.
pub(crate) fn parse_admin_policy(
    ctx: &mut ObjCtx<'_>,
    value: Value,
    kind: PolicyKind,
    name: &str,
) -> Option<AdminPolicy> {
    let raw: RawAdmin = ctx.parse("", value)?;
    let Some(spec) = raw.spec else {
        ctx.error("spec", "spec is required");
        return None;
    };
    let errors_before = ctx.errors.len();
    let tier = match kind {
        PolicyKind::AdminNetworkPolicy => Some(Tier::Admin),
        PolicyKind::BaselineAdminNetworkPolicy => Some(Tier::Baseline),
        _ => match spec.tier.as_deref() {
            Some("Admin") => Some(Tier::Admin),
            Some("Baseline") => Some(Tier::Baseline),
            other => {
                ctx.error(
                    "spec.tier",
                    format!(
                        "expected Admin or Baseline, found {}",
                        other.unwrap_or("nothing")
                    ),
                );
                None
            }
        },
    };
    let priority = match kind {
        PolicyKind::BaselineAdminNetworkPolicy => {
            if name != "default" {
                ctx.error(
                    "metadata.name",
                    "a BaselineAdminNetworkPolicy must be named `default` (it is a singleton)",
                );
            }
            None
        }
        _ => match spec.priority {
            Some(p) if (0..=1000).contains(&p) => i32::try_from(p).ok(),
            Some(p) => {
                ctx.error(
                    "spec.priority",
                    format!("priority {p} is out of range: expected 0 to 1000"),
                );
                None
            }
            None => {
                ctx.error("spec.priority", "priority is required");
                None
            }
        },
    };
    let subject = subject(ctx, spec.subject.as_ref());
    let ingress = rules(ctx, spec.ingress, kind, false);
    let egress = rules(ctx, spec.egress, kind, true);
    if ctx.errors.len() > errors_before {
        return None;
    }
    Some(AdminPolicy {
        kind,
        name: name.to_string(),
        source: ctx.object.source.clone(),
        tier: tier?,
        priority,
        subject: subject?,
        ingress,
        egress,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpol::error::ObjectRef;

    fn parse(kind: PolicyKind, name: &str, spec: Value) -> Result<AdminPolicy, Vec<String>> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut ctx = ObjCtx {
            object: ObjectRef {
                kind: format!("{kind:?}"),
                namespace: None,
                name: name.into(),
                source: "test".into(),
            },
            errors: &mut errors,
            warnings: &mut warnings,
        };
        let p = parse_admin_policy(&mut ctx, serde_json::json!({"spec": spec}), kind, name);
        p.ok_or_else(|| errors.iter().map(|e| e.field.clone()).collect())
    }

    #[test]
    fn both_v1alpha1_peer_shapes() {
        let p = parse(
            PolicyKind::AdminNetworkPolicy,
            "a",
            serde_json::json!({
                "priority": 10,
                "subject": {"pods": {"namespaceSelector": {"matchLabels": {"ns": "x"}}, "podSelector": {}}},
                "ingress": [
                    {"action": "Pass", "from": [{"namespaces": {"sameLabels": ["ns"]}}],
                     "ports": [{"portNumber": {"protocol": "UDP", "port": 80}}]},
                    {"action": "Allow", "from": [{"namespaces": {}}, {"pods": {"namespaceSelector": {}, "podSelector": {"matchLabels": {"a": "b"}}}}]},
                    {"action": "Deny", "from": [{"pods": {"namespaces": {"namespaceSelector": {}}, "podSelector": {}}}],
                     "ports": [{"portRange": {"start": 1000, "end": 2000}}, {"namedPort": "web"}]}
                ],
                "egress": [{"action": "Deny", "to": [{"networks": ["0.0.0.0/0"]}, {"nodes": {}}]}]
            }),
        )
        .expect("valid");
        assert_eq!(p.tier, Tier::Admin);
        assert_eq!(p.priority, Some(10));
        assert_eq!(
            p.ingress[0].peers[0],
            AdminPeer::Namespaces(NamespaceSet::SameLabels(vec!["ns".into()]))
        );
        assert_eq!(
            p.ingress[1].peers[0],
            AdminPeer::Namespaces(NamespaceSet::Selector(LabelSelector::everything()))
        );
        assert_eq!(
            p.ingress[2].ports,
            Some(vec![
                AdminPort::Range {
                    protocol: Protocol::Tcp,
                    start: 1000,
                    end: 2000
                },
                AdminPort::Named("web".into())
            ])
        );
        assert_eq!(p.egress.len(), 1);
    }

    #[test]
    fn cluster_network_policy_v1alpha2() {
        let p = parse(
            PolicyKind::ClusterNetworkPolicy,
            "c",
            serde_json::json!({
                "tier": "Baseline", "priority": 5,
                "subject": {"namespaces": {}},
                "ingress": [{"action": "Accept", "from": [{"namespaces": {}}],
                    "protocols": [{"tcp": {"destinationPort": {"number": 80}}}, {"udp": {}},
                                  {"sctp": {"destinationPort": {"range": {"start": 5, "end": 9}}}},
                                  {"destinationNamedPort": "dns"}]}]
            }),
        )
        .expect("valid");
        assert_eq!(p.tier, Tier::Baseline);
        assert_eq!(p.ingress[0].action, AdminAction::Allow);
        assert_eq!(
            p.ingress[0].ports.as_deref().map(<[AdminPort]>::len),
            Some(4)
        );
    }

    #[test]
    fn invalid_admin_policies() {
        assert_eq!(
            parse(
                PolicyKind::AdminNetworkPolicy,
                "a",
                serde_json::json!({"priority": 1001, "subject": {"namespaces": {}}})
            )
            .expect_err("priority"),
            vec!["spec.priority"]
        );
        assert_eq!(
            parse(
                PolicyKind::BaselineAdminNetworkPolicy,
                "other",
                serde_json::json!({"subject": {"namespaces": {}}})
            )
            .expect_err("name"),
            vec!["metadata.name"]
        );
        assert_eq!(
            parse(
                PolicyKind::BaselineAdminNetworkPolicy,
                "default",
                serde_json::json!({"subject": {"namespaces": {}},
                "ingress": [{"action": "Pass", "from": [{"namespaces": {}}]}]})
            )
            .expect_err("action"),
            vec!["spec.ingress[0].action"]
        );
        assert_eq!(
            parse(
                PolicyKind::AdminNetworkPolicy,
                "a",
                serde_json::json!({"priority": 1, "subject": {"namespaces": {}},
                "ingress": [{"action": "Deny", "from": [{"networks": ["10.0.0.0/8"]}]}]})
            )
            .expect_err("ingress networks"),
            vec!["spec.ingress[0].from[0].networks"]
        );
        assert_eq!(
            parse(
                PolicyKind::AdminNetworkPolicy,
                "a",
                serde_json::json!({"priority": 1, "subject": {"namespaces": {}},
                "egress": [{"action": "Deny", "to": [{}]}]})
            )
            .expect_err("empty peer"),
            vec!["spec.egress[0].to[0]"]
        );
        assert_eq!(
            parse(
                PolicyKind::AdminNetworkPolicy,
                "a",
                serde_json::json!({"priority": 1, "subject": {"namespaces": {}, "pods": {}}})
            )
            .expect_err("two subjects"),
            vec!["spec.subject"]
        );
    }
}
