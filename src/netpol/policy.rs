//! networking.k8s.io/v1 NetworkPolicy, normalised as the API server stores it.
//!
//! Normalisation applies the API server's defaults (`policyTypes`, port protocol TCP) and
//! rejects what its validation rejects, so raw manifests and live objects mean the same thing.

use super::cidr::{Cidr, IpBlock};
use super::error::WarningCode;
use super::raw::{join, validate_port_name, ObjCtx, RawIntOrString, RawMeta};
use super::selector::{LabelSelector, RawLabelSelector};
use super::types::{Direction, PolicyKind, PolicyRef, Protocol};
use serde::{Deserialize, Serialize};

/// A normalised NetworkPolicy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkPolicy {
    /// Namespace (the only namespace whose pods it can select).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Where the object came from.
    pub source: String,
    /// `spec.podSelector`; absent and every empty spelling become the empty selector.
    pub pod_selector: LabelSelector,
    /// Effective `policyTypes` after defaulting.
    pub policy_types: Vec<Direction>,
    /// True when `policyTypes` was absent or empty and was computed by defaulting.
    pub policy_types_defaulted: bool,
    /// `spec.ingress` as written (ignored unless Ingress is in `policy_types`).
    pub ingress: Vec<Rule>,
    /// `spec.egress` as written (ignored unless Egress is in `policy_types`).
    pub egress: Vec<Rule>,
}

impl NetworkPolicy {
    /// A reference to this policy for results.
    pub fn policy_ref(&self) -> PolicyRef {
        PolicyRef {
            kind: PolicyKind::NetworkPolicy,
            namespace: Some(self.namespace.clone()),
            name: self.name.clone(),
        }
    }

    /// Whether the direction is in the effective policyTypes.
    pub fn applies_to(&self, direction: Direction) -> bool {
        self.policy_types.contains(&direction)
    }

    /// The rules written for a direction, whether or not they take effect.
    pub fn written_rules(&self, direction: Direction) -> &[Rule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// The rules that take effect for a direction (none when the direction is not a policy type).
    pub fn effective_rules(&self, direction: Direction) -> &[Rule] {
        if self.applies_to(direction) {
            self.written_rules(direction)
        } else {
            &[]
        }
    }

    /// Whether the podSelector is empty, i.e. the policy selects every pod of its namespace.
    pub fn selects_all_pods(&self) -> bool {
        self.pod_selector.is_empty()
    }
}

/// One ingress or egress rule. Empty `peers` means every peer (including external IPs);
/// empty `ports` means every port of every protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// `from` (ingress) or `to` (egress); ORed.
    pub peers: Vec<Peer>,
    /// `ports`; ORed.
    pub ports: Vec<PortSpec>,
}

impl Rule {
    /// A rule with no peers and no ports: it allows everything.
    pub fn is_allow_all(&self) -> bool {
        self.peers.is_empty() && self.ports.is_empty()
    }
}

/// One element of `from`/`to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Peer {
    /// Pod-network pods selected by labels. `namespace_selector: None` means the policy's own
    /// namespace; `pod_selector: None` means every pod of the selected namespaces.
    Pods {
        /// `namespaceSelector` (None = the policy's namespace).
        #[serde(skip_serializing_if = "Option::is_none")]
        namespace_selector: Option<LabelSelector>,
        /// `podSelector` (None = all pods).
        #[serde(skip_serializing_if = "Option::is_none")]
        pod_selector: Option<LabelSelector>,
    },
    /// Addresses in a CIDR block minus exceptions.
    IpBlock(IpBlock),
}

/// A port given by number or by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PortRef {
    /// A port number.
    Number(u16),
    /// A container port name, resolved against the destination pod.
    Name(String),
}

/// One `ports[]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortSpec {
    /// Protocol (defaulted to TCP).
    pub protocol: Protocol,
    /// Port; None means every port of the protocol.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortRef>,
    /// Inclusive upper end of a numeric range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_port: Option<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNetworkPolicy {
    #[serde(default)]
    spec: Option<RawSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSpec {
    #[serde(default)]
    pod_selector: Option<RawLabelSelector>,
    #[serde(default)]
    policy_types: Option<Vec<String>>,
    #[serde(default)]
    ingress: Option<Vec<RawIngressRule>>,
    #[serde(default)]
    egress: Option<Vec<RawEgressRule>>,
}

#[derive(Debug, Deserialize)]
struct RawIngressRule {
    #[serde(default)]
    from: Option<Vec<RawPeer>>,
    #[serde(default)]
    ports: Option<Vec<RawPort>>,
}

#[derive(Debug, Deserialize)]
struct RawEgressRule {
    #[serde(default)]
    to: Option<Vec<RawPeer>>,
    #[serde(default)]
    ports: Option<Vec<RawPort>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPeer {
    #[serde(default)]
    pod_selector: Option<RawLabelSelector>,
    #[serde(default)]
    namespace_selector: Option<RawLabelSelector>,
    #[serde(default)]
    ip_block: Option<RawIpBlock>,
}

#[derive(Debug, Deserialize)]
struct RawIpBlock {
    cidr: String,
    #[serde(default)]
    except: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPort {
    #[serde(default)]
    protocol: Option<String>,
    #[serde(default)]
    port: Option<RawIntOrString>,
    #[serde(default)]
    end_port: Option<i64>,
}

/// Validates a selector and records its problems; returns None when invalid.
pub(crate) fn selector(
    ctx: &mut ObjCtx<'_>,
    raw: RawLabelSelector,
    path: &str,
) -> Option<LabelSelector> {
    match raw.validate(path) {
        Ok(s) => Some(s),
        Err(problems) => {
            for (field, message) in problems {
                ctx.error(field, message);
            }
            None
        }
    }
}

/// Parses a CIDR field, recording errors and non-canonical warnings.
pub(crate) fn cidr(ctx: &mut ObjCtx<'_>, text: &str, path: &str) -> Option<Cidr> {
    match Cidr::parse(text) {
        Ok(p) => {
            if !p.canonical {
                ctx.warn(
                    WarningCode::NonCanonicalCidr,
                    path,
                    format!("`{text}` has host bits set; read as {}", p.cidr),
                );
            }
            Some(p.cidr)
        }
        Err(m) => {
            ctx.error(path, m);
            None
        }
    }
}

/// Parses a protocol field (None = TCP default).
pub(crate) fn protocol(ctx: &mut ObjCtx<'_>, raw: Option<&str>, path: &str) -> Option<Protocol> {
    match raw {
        None => Some(Protocol::Tcp),
        Some(p) => match Protocol::from_api(p) {
            Some(p) => Some(p),
            None => {
                ctx.error(
                    path,
                    format!("unsupported protocol `{p}`: expected TCP, UDP or SCTP"),
                );
                None
            }
        },
    }
}

/// Parses a port number field (1–65535).
pub(crate) fn port_number(ctx: &mut ObjCtx<'_>, n: i64, path: &str) -> Option<u16> {
    match u16::try_from(n).ok().filter(|p| *p != 0) {
        Some(p) => Some(p),
        None => {
            ctx.error(
                path,
                format!("port {n} is out of range: expected 1 to 65535"),
            );
            None
        }
    }
}

fn parse_peer(ctx: &mut ObjCtx<'_>, raw: RawPeer, path: &str) -> Option<Peer> {
    match raw {
        RawPeer {
            ip_block: Some(block),
            pod_selector: None,
            namespace_selector: None,
        } => {
            let base = join(path, "ipBlock");
            let c = cidr(ctx, &block.cidr, &join(&base, "cidr"));
            let mut except = Vec::new();
            let mut ok = c.is_some();
            for (i, e) in block.except.unwrap_or_default().iter().enumerate() {
                let p = format!("{base}.except[{i}]");
                match (cidr(ctx, e, &p), c) {
                    (Some(ec), Some(c)) if c.strictly_contains(&ec) => except.push(ec),
                    (Some(_), Some(c)) => {
                        ctx.error(p, format!("`{e}` must be a strict subset of cidr {c}"));
                        ok = false;
                    }
                    _ => ok = false,
                }
            }
            match (ok, c) {
                (true, Some(cidr)) => Some(Peer::IpBlock(IpBlock { cidr, except })),
                _ => None,
            }
        }
        RawPeer {
            ip_block: Some(_), ..
        } => {
            ctx.error(
                path,
                "ipBlock cannot be combined with podSelector or namespaceSelector in one peer",
            );
            None
        }
        RawPeer {
            ip_block: None,
            pod_selector: None,
            namespace_selector: None,
        } => {
            ctx.error(
                path,
                "a peer must set at least one of podSelector, namespaceSelector or ipBlock",
            );
            None
        }
        RawPeer {
            ip_block: None,
            pod_selector,
            namespace_selector,
        } => {
            let ps = match pod_selector {
                Some(s) => Some(selector(ctx, s, &join(path, "podSelector"))?),
                None => None,
            };
            let ns = match namespace_selector {
                Some(s) => Some(selector(ctx, s, &join(path, "namespaceSelector"))?),
                None => None,
            };
            Some(Peer::Pods {
                namespace_selector: ns,
                pod_selector: ps,
            })
        }
    }
}

fn parse_port(ctx: &mut ObjCtx<'_>, raw: RawPort, path: &str) -> Option<PortSpec> {
    let protocol = protocol(ctx, raw.protocol.as_deref(), &join(path, "protocol"));
    let port_path = join(path, "port");
    let port = match raw.port {
        None => None,
        Some(RawIntOrString::Int(n)) => Some(PortRef::Number(port_number(ctx, n, &port_path)?)),
        Some(RawIntOrString::Str(s)) => match validate_port_name(&s) {
            Ok(()) => Some(PortRef::Name(s)),
            Err(m) => {
                ctx.error(port_path, m);
                return None;
            }
        },
    };
    let end_path = join(path, "endPort");
    let end_port = match (raw.end_port, &port) {
        (None, _) => None,
        (Some(_), None) => {
            ctx.error(
                end_path,
                "endPort may only be set together with a numeric port",
            );
            return None;
        }
        (Some(_), Some(PortRef::Name(_))) => {
            ctx.error(end_path, "endPort cannot be used with a named port");
            return None;
        }
        (Some(e), Some(PortRef::Number(p))) => {
            let e16 = port_number(ctx, e, &end_path)?;
            if e16 < *p {
                ctx.error(
                    end_path,
                    format!("endPort {e} must be greater than or equal to port {p}"),
                );
                return None;
            }
            Some(e16)
        }
    };
    Some(PortSpec {
        protocol: protocol?,
        port,
        end_port,
    })
}

fn parse_rule(
    ctx: &mut ObjCtx<'_>,
    peers: Option<Vec<RawPeer>>,
    ports: Option<Vec<RawPort>>,
    path: &str,
    peer_field: &str,
) -> Option<Rule> {
    let mut ok = true;
    let mut out_peers = Vec::new();
    for (i, p) in peers.unwrap_or_default().into_iter().enumerate() {
        match parse_peer(ctx, p, &format!("{path}.{peer_field}[{i}]")) {
            Some(p) => out_peers.push(p),
            None => ok = false,
        }
    }
    let mut out_ports = Vec::new();
    for (i, p) in ports.unwrap_or_default().into_iter().enumerate() {
        match parse_port(ctx, p, &format!("{path}.ports[{i}]")) {
            Some(p) => out_ports.push(p),
            None => ok = false,
        }
    }
    ok.then_some(Rule {
        peers: out_peers,
        ports: out_ports,
    })
}

/// Parses and normalises one NetworkPolicy object. `namespace` is the already-defaulted
/// namespace. Returns None (with errors recorded in `ctx`) when the object is invalid.
pub(crate) fn parse_network_policy(
    ctx: &mut ObjCtx<'_>,
    value: serde_json::Value,
    meta: &RawMeta,
    namespace: &str,
) -> Option<NetworkPolicy> {
    let raw: RawNetworkPolicy = ctx.parse("", value)?;
    let name = meta.name.clone()?;
    let spec = raw.spec.unwrap_or(RawSpec {
        pod_selector: None,
        policy_types: None,
        ingress: None,
        egress: None,
    });
    let errors_before = ctx.errors.len();
    let pod_selector = selector(
        ctx,
        spec.pod_selector.unwrap_or_default(),
        "spec.podSelector",
    );
    let mut ingress = Vec::new();
    for (i, r) in spec.ingress.unwrap_or_default().into_iter().enumerate() {
        if let Some(rule) = parse_rule(ctx, r.from, r.ports, &format!("spec.ingress[{i}]"), "from")
        {
            ingress.push(rule);
        }
    }
    let mut egress = Vec::new();
    for (i, r) in spec.egress.unwrap_or_default().into_iter().enumerate() {
        if let Some(rule) = parse_rule(ctx, r.to, r.ports, &format!("spec.egress[{i}]"), "to") {
            egress.push(rule);
        }
    }
    let written = spec.policy_types.unwrap_or_default();
    let defaulted = written.is_empty();
    let mut policy_types = Vec::new();
    if defaulted {
        // SetDefaults_NetworkPolicy: Ingress always; Egress only when egress rules exist.
        policy_types.push(Direction::Ingress);
        if !egress.is_empty() {
            policy_types.push(Direction::Egress);
        }
    } else {
        if written.len() > 2 {
            ctx.error(
                "spec.policyTypes",
                "may not specify more than two policyTypes",
            );
        }
        for (i, t) in written.iter().enumerate() {
            let d = match t.as_str() {
                "Ingress" => Direction::Ingress,
                "Egress" => Direction::Egress,
                other => {
                    ctx.error(
                        format!("spec.policyTypes[{i}]"),
                        format!("unsupported policy type `{other}`: expected Ingress or Egress"),
                    );
                    continue;
                }
            };
            if !policy_types.contains(&d) {
                policy_types.push(d);
            }
        }
        policy_types.sort();
    }
    if ctx.errors.len() > errors_before {
        return None;
    }
    for (d, rules, field) in [
        (Direction::Ingress, &ingress, "spec.ingress"),
        (Direction::Egress, &egress, "spec.egress"),
    ] {
        if !rules.is_empty() && !policy_types.contains(&d) {
            ctx.warn(
                WarningCode::StrayRulesIgnored,
                field,
                format!(
                    "policyTypes does not include {d}, so these {} {d} rule(s) have no effect",
                    rules.len()
                ),
            );
        }
    }
    Some(NetworkPolicy {
        namespace: namespace.to_string(),
        name,
        source: ctx.object.source.clone(),
        pod_selector: pod_selector?,
        policy_types,
        policy_types_defaulted: defaulted,
        ingress,
        egress,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpol::error::{ObjectError, ObjectRef, Warning};

    fn parse(spec: serde_json::Value) -> (Option<NetworkPolicy>, Vec<ObjectError>, Vec<Warning>) {
        let value = serde_json::json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "p", "namespace": "x"}, "spec": spec
        });
        let meta: RawMeta =
            serde_json::from_value(value["metadata"].clone()).expect("test metadata");
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut ctx = ObjCtx {
            object: ObjectRef {
                kind: "NetworkPolicy".into(),
                namespace: Some("x".into()),
                name: "p".into(),
                source: "test".into(),
            },
            errors: &mut errors,
            warnings: &mut warnings,
        };
        let p = parse_network_policy(&mut ctx, value, &meta, "x");
        (p, errors, warnings)
    }

    fn ok(spec: serde_json::Value) -> NetworkPolicy {
        let (p, errors, _) = parse(spec);
        assert!(errors.is_empty(), "unexpected errors: {errors:?}");
        p.expect("policy")
    }

    fn err_fields(spec: serde_json::Value) -> Vec<String> {
        let (p, errors, _) = parse(spec);
        assert!(p.is_none());
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn policy_types_defaulting() {
        use Direction::*;
        assert_eq!(
            ok(serde_json::json!({"podSelector": {}})).policy_types,
            vec![Ingress]
        );
        let p = ok(serde_json::json!({"podSelector": {}, "ingress": [], "egress": []}));
        assert_eq!(p.policy_types, vec![Ingress]);
        assert!(p.policy_types_defaulted);
        let p = ok(serde_json::json!({"podSelector": {}, "egress": [{}]}));
        assert_eq!(p.policy_types, vec![Ingress, Egress]);
        let p = ok(serde_json::json!({"podSelector": {}, "policyTypes": [], "egress": [{}]}));
        assert_eq!(p.policy_types, vec![Ingress, Egress]);
        // Explicit types are used as written, never merged with the rules present.
        let p =
            ok(serde_json::json!({"podSelector": {}, "policyTypes": ["Egress"], "ingress": [{}]}));
        assert_eq!(p.policy_types, vec![Egress]);
        assert!(!p.policy_types_defaulted);
        assert!(p.effective_rules(Ingress).is_empty());
        assert_eq!(p.written_rules(Ingress).len(), 1);
        // No spec at all: ingress default-deny for every pod.
        let (p, e, _) = parse(serde_json::Value::Null);
        assert!(e.is_empty());
        let p = p.expect("policy");
        assert!(p.selects_all_pods());
        assert_eq!(p.policy_types, vec![Ingress]);
    }

    #[test]
    fn stray_rules_warn() {
        let (p, e, w) = parse(serde_json::json!({
            "podSelector": {}, "policyTypes": ["Ingress"], "egress": [{"to": [{"podSelector": {}}]}]
        }));
        assert!(e.is_empty() && p.is_some());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, WarningCode::StrayRulesIgnored);
        assert_eq!(w[0].field.as_deref(), Some("spec.egress"));
    }

    #[test]
    fn protocol_defaults_to_tcp_also_for_named_ports() {
        let p = ok(
            serde_json::json!({"podSelector": {}, "ingress": [{"ports": [
                {"port": 80}, {"port": "http"}, {"protocol": "UDP"}, {"port": 32000, "endPort": 32768}
            ]}]}),
        );
        let ports = &p.ingress[0].ports;
        assert_eq!(ports[0].protocol, Protocol::Tcp);
        assert_eq!(ports[1].protocol, Protocol::Tcp);
        assert_eq!(ports[1].port, Some(PortRef::Name("http".into())));
        assert_eq!(ports[2].protocol, Protocol::Udp);
        assert_eq!(ports[2].port, None);
        assert_eq!(ports[3].end_port, Some(32768));
    }

    #[test]
    fn empty_lists_and_lookalikes() {
        let p = ok(serde_json::json!({"podSelector": {}, "ingress": [{}]}));
        assert!(p.ingress[0].is_allow_all());
        let p = ok(serde_json::json!({"podSelector": {}, "ingress": [{"from": []}]}));
        assert!(p.ingress[0].is_allow_all());
        let p = ok(serde_json::json!({"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}]}));
        assert!(!p.ingress[0].is_allow_all());
        let p = ok(serde_json::json!({"podSelector": {"matchLabels": null}}));
        assert!(p.selects_all_pods());
    }

    #[test]
    fn peers_keep_null_and_empty_apart() {
        let p = ok(serde_json::json!({"podSelector": {}, "ingress": [{"from": [
            {"podSelector": {}}, {"namespaceSelector": {}}, {"namespaceSelector": {"matchLabels": {"a": "b"}}, "podSelector": {}}
        ]}]}));
        let peers = &p.ingress[0].peers;
        assert_eq!(
            peers[0],
            Peer::Pods {
                namespace_selector: None,
                pod_selector: Some(LabelSelector::everything())
            }
        );
        assert_eq!(
            peers[1],
            Peer::Pods {
                namespace_selector: Some(LabelSelector::everything()),
                pod_selector: None
            }
        );
        assert!(
            matches!(&peers[2], Peer::Pods { namespace_selector: Some(n), pod_selector: Some(_) } if !n.is_empty())
        );
    }

    #[test]
    fn validation_errors_name_fields() {
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/33"}}]}]})
            ),
            vec!["spec.ingress[0].from[0].ipBlock.cidr"]
        );
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {}, "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["11.0.0.0/16"]}}]}]})
            ),
            vec!["spec.egress[0].to[0].ipBlock.except[0]"]
        );
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {}, "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}]})
            ),
            vec!["spec.egress[0].to[0]"]
        );
        assert_eq!(
            err_fields(serde_json::json!({"podSelector": {}, "ingress": [{"from": [{}]}]})),
            vec!["spec.ingress[0].from[0]"]
        );
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {}, "ingress": [{"ports": [{"port": 0}, {"port": 70000}]}]})
            ),
            vec![
                "spec.ingress[0].ports[0].port",
                "spec.ingress[0].ports[1].port"
            ]
        );
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {}, "ingress": [{"ports": [{"endPort": 90}, {"port": "http", "endPort": 90}, {"port": 90, "endPort": 80}]}]})
            ),
            vec![
                "spec.ingress[0].ports[0].endPort",
                "spec.ingress[0].ports[1].endPort",
                "spec.ingress[0].ports[2].endPort"
            ]
        );
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {}, "ingress": [{"ports": [{"protocol": "ICMP"}, {"port": "80"}]}]})
            ),
            vec![
                "spec.ingress[0].ports[0].protocol",
                "spec.ingress[0].ports[1].port"
            ]
        );
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {}, "policyTypes": ["Ingress", "Sideways"]})
            ),
            vec!["spec.policyTypes[1]"]
        );
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {"matchExpressions": [{"key": "a", "operator": "Is", "values": ["b"]}]}})
            ),
            vec!["spec.podSelector.matchExpressions[0].operator"]
        );
        // Type errors are located by serde_path_to_error.
        assert_eq!(
            err_fields(
                serde_json::json!({"podSelector": {}, "ingress": [{"ports": [{"port": [80]}]}]})
            ),
            vec!["spec.ingress[0].ports[0].port"]
        );
    }
}
