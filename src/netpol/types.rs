//! Small shared vocabulary: protocols, directions, policy references and endpoints.

use super::error::NetpolError;
use serde::Serialize;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// A transport protocol NetworkPolicy can filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Protocol {
    /// TCP (the default when a port entry has no protocol).
    #[serde(rename = "TCP")]
    Tcp,
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
    /// SCTP.
    #[serde(rename = "SCTP")]
    Sctp,
}

impl Protocol {
    /// Parses a protocol exactly as the API accepts it (`TCP`, `UDP`, `SCTP`).
    pub fn from_api(s: &str) -> Option<Self> {
        match s {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }

    /// The API spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

impl FromStr for Protocol {
    type Err = NetpolError;

    /// Parses a protocol case-insensitively (for command lines).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Protocol::from_api(&s.to_ascii_uppercase())
            .ok_or_else(|| NetpolError::InvalidProtocol(s.to_string()))
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Validates a destination port given by a caller.
pub fn validate_port(port: i64) -> Result<u16, NetpolError> {
    u16::try_from(port)
        .ok()
        .filter(|p| *p != 0)
        .ok_or(NetpolError::InvalidPort(port))
}

/// A traffic direction relative to the pod a policy selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Direction {
    /// Traffic into the selected pod.
    Ingress,
    /// Traffic out of the selected pod.
    Egress,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        })
    }
}

/// The kinds of policy objects the engine evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PolicyKind {
    /// networking.k8s.io/v1 NetworkPolicy.
    NetworkPolicy,
    /// policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy (admin tier).
    AdminNetworkPolicy,
    /// policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy (baseline tier).
    BaselineAdminNetworkPolicy,
    /// policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy (admin or baseline tier).
    ClusterNetworkPolicy,
}

/// Names one policy: kind, namespace (NetworkPolicy only) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRef {
    /// The policy's kind.
    pub kind: PolicyKind,
    /// The namespace, for namespaced kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

impl fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{ns}/{}", self.name),
            None => write!(f, "{:?} {}", self.kind, self.name),
        }
    }
}

/// One end of a connection, as a user names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Endpoint {
    /// A pod, `NAMESPACE/POD`.
    Pod {
        /// The pod's namespace.
        namespace: String,
        /// The pod's name.
        name: String,
    },
    /// An IP address (an external host, a node, or a pod's IP).
    Ip {
        /// The address.
        ip: IpAddr,
    },
}

impl Endpoint {
    /// Parses `NAMESPACE/POD`, an IP address, or `ip:ADDRESS`.
    pub fn parse(text: &str) -> Result<Endpoint, NetpolError> {
        let bad = |reason: &str| NetpolError::InvalidEndpoint {
            input: text.to_string(),
            reason: reason.to_string(),
        };
        let trimmed = text.trim();
        if let Some(addr) = trimmed.strip_prefix("ip:") {
            return addr
                .parse()
                .map(|ip| Endpoint::Ip { ip })
                .map_err(|_| bad("`ip:` must be followed by an IPv4 or IPv6 address"));
        }
        if let Ok(ip) = trimmed.parse::<IpAddr>() {
            return Ok(Endpoint::Ip { ip });
        }
        let Some((ns, name)) = trimmed.split_once('/') else {
            return Err(bad("expected NAMESPACE/POD or an IP address"));
        };
        if ns.parse::<IpAddr>().is_ok() {
            return Err(bad(
                "a CIDR is not an endpoint: give a single address, e.g. 10.0.0.1",
            ));
        }
        if !is_dns_label(ns) {
            return Err(bad(
                "the namespace must be a DNS label (lowercase letters, digits and '-')",
            ));
        }
        if !is_dns_subdomain(name) {
            return Err(bad(
                "the pod name must be a DNS subdomain (lowercase letters, digits, '-' and '.')",
            ));
        }
        Ok(Endpoint::Pod {
            namespace: ns.to_string(),
            name: name.to_string(),
        })
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Pod { namespace, name } => write!(f, "{namespace}/{name}"),
            Endpoint::Ip { ip } => write!(f, "{ip}"),
        }
    }
}

impl FromStr for Endpoint {
    type Err = NetpolError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Endpoint::parse(s)
    }
}

fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
}

fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns_label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(
            Endpoint::parse("x/a").expect("pod"),
            Endpoint::Pod {
                namespace: "x".into(),
                name: "a".into()
            }
        );
        assert_eq!(
            Endpoint::parse("10.0.0.1").expect("ip"),
            Endpoint::Ip {
                ip: "10.0.0.1".parse().expect("ip")
            }
        );
        assert_eq!(
            Endpoint::parse("ip:fd00::1").expect("ip"),
            Endpoint::Ip {
                ip: "fd00::1".parse().expect("ip")
            }
        );
        assert!(Endpoint::parse("10.0.0.0/8").is_err());
        assert!(Endpoint::parse("x").is_err());
        assert!(Endpoint::parse("X/a").is_err());
        assert!(Endpoint::parse("x/a/b").is_err());
        assert!(Endpoint::parse("ip:nope").is_err());
        assert!(Endpoint::parse("/a").is_err());
    }

    #[test]
    fn protocols_and_ports() {
        assert_eq!("udp".parse::<Protocol>().expect("udp"), Protocol::Udp);
        assert!("ICMP".parse::<Protocol>().is_err());
        assert_eq!(Protocol::from_api("tcp"), None);
        assert_eq!(validate_port(80).expect("ok"), 80);
        assert!(validate_port(0).is_err());
        assert!(validate_port(65536).is_err());
    }
}
