//! can-reach: is a connection A → B on port/protocol allowed? (source egress AND destination ingress)

use super::error::NetpolError;
use super::eval::{evaluate_side, Decision, Note, PeerView, Semantics, SideInput, SideVerdict};
use super::model::{NetworkModel, Pod};
use super::types::{Direction, Endpoint, Protocol};
use serde::Serialize;
use std::net::IpAddr;

/// Why a verdict is implementation-defined: CNIs are known to differ on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ImplementationDefined {
    /// A pod talking to itself (docs: a pod cannot block itself; e2e ignores it).
    Loopback,
    /// The verdict depends on an ipBlock matching a pod IP (e2e/Calico: yes; Cilium: no).
    IpBlockMatchesPodIp,
    /// The verdict depends on how hostNetwork pods are treated (commonly: as node traffic).
    HostNetworkPod,
    /// The verdict depends on whether other nodes' IPs are treated like the pod's own node.
    NodeIpTraffic,
    /// Admin-tier policies of equal priority disagree.
    AdminPriorityTie,
}

/// What an endpoint turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EndpointKind {
    /// A pod on the pod network.
    Pod,
    /// A hostNetwork pod: its traffic is node traffic.
    HostNetworkPod,
    /// An address that is not a pod's: external host, node, load balancer…
    Address,
}

/// An endpoint after resolution against the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedEndpoint {
    /// What it is.
    pub kind: EndpointKind,
    /// `namespace/name` for pods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// Its addresses (pod IPs, or the given address).
    pub ips: Vec<IpAddr>,
    /// The node it runs on (pods) or whose address it is, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
}

/// The answer to one can-reach query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reachability {
    /// The source.
    pub from: ResolvedEndpoint,
    /// The destination.
    pub to: ResolvedEndpoint,
    /// Destination port (as the destination pod sees it, after Service DNAT).
    pub port: u16,
    /// Protocol.
    pub protocol: Protocol,
    /// The verdict: source egress AND destination ingress.
    pub allowed: bool,
    /// True when CNIs are known to give different answers; `allowed` follows upstream e2e semantics.
    pub implementation_defined: bool,
    /// Why it is implementation-defined.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub implementation_defined_reasons: Vec<ImplementationDefined>,
    /// True for a pod talking to itself.
    pub loopback: bool,
    /// The source's egress side.
    pub egress: SideVerdict,
    /// The destination's ingress side.
    pub ingress: SideVerdict,
    /// False when missing data could change the answer (see `notes`).
    pub complete: bool,
    /// Explanations and data gaps.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, Copy)]
enum Resolved<'a> {
    Pod(&'a Pod),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
enum Class<'a> {
    PodNet(&'a Pod),
    Host(&'a Pod),
    External(IpAddr),
}

struct Outcome {
    allowed: bool,
    egress: SideVerdict,
    ingress: SideVerdict,
}

impl NetworkModel {
    fn resolve(&self, ep: &Endpoint, notes: &mut Vec<Note>) -> Result<Resolved<'_>, NetpolError> {
        match ep {
            Endpoint::Pod { namespace, name } => self
                .pod(namespace, name)
                .map(Resolved::Pod)
                .ok_or_else(|| NetpolError::PodNotFound {
                    namespace: namespace.clone(),
                    name: name.clone(),
                    pods_loaded: self.pods_loaded(),
                }),
            Endpoint::Ip { ip } => {
                // A pod-network pod's IP is that pod; hostNetwork pods share their node's IP.
                let owners: Vec<&Pod> = self
                    .pods()
                    .filter(|p| !p.host_network && p.ips.contains(ip))
                    .collect();
                match owners.as_slice() {
                    [] => Ok(Resolved::Address(*ip)),
                    [one] => {
                        notes.push(Note::IpResolvedToPod {
                            ip: *ip,
                            pod: one.key(),
                        });
                        Ok(Resolved::Pod(one))
                    }
                    [first, ..] => {
                        notes.push(Note::AmbiguousIp {
                            ip: *ip,
                            pods: owners.iter().map(|p| p.key()).collect(),
                        });
                        Ok(Resolved::Pod(first))
                    }
                }
            }
        }
    }

    fn describe(&self, r: Resolved<'_>) -> ResolvedEndpoint {
        match r {
            Resolved::Pod(p) => ResolvedEndpoint {
                kind: if p.host_network {
                    EndpointKind::HostNetworkPod
                } else {
                    EndpointKind::Pod
                },
                pod: Some(p.key()),
                ips: p.ips.clone(),
                node: p.node_name.clone(),
            },
            Resolved::Address(ip) => ResolvedEndpoint {
                kind: EndpointKind::Address,
                pod: None,
                ips: vec![ip],
                node: self.node_of_ip(&ip),
            },
        }
    }

    /// The addresses a hostNetwork pod's traffic carries: its IPs, else its node's.
    fn host_ips(&self, p: &Pod) -> Vec<IpAddr> {
        if p.ips.is_empty() {
            self.node_ips_of(p)
        } else {
            p.ips.clone()
        }
    }

    fn peer_view<'a>(&self, c: Class<'a>) -> PeerView<'a> {
        match c {
            Class::PodNet(p) => PeerView {
                pod: Some(p),
                ips: p.ips.clone(),
                ips_are_pod_ips: true,
                label: p.key(),
            },
            Class::Host(p) => PeerView {
                pod: None,
                ips: self.host_ips(p),
                ips_are_pod_ips: false,
                label: p.key(),
            },
            Class::External(ip) => PeerView {
                pod: None,
                ips: vec![ip],
                ips_are_pod_ips: false,
                label: ip.to_string(),
            },
        }
    }

    /// Whether traffic from `src` counts as coming from `dst`'s own node.
    fn node_local(&self, src: Class<'_>, dst: &Pod, sem: Semantics, notes: &mut Vec<Note>) -> bool {
        let dst_node_ips = self.node_ips_of(dst);
        match src {
            Class::PodNet(_) => false,
            Class::Host(h) => {
                sem.all_node_ips_local
                    || (h.node_name.is_some() && h.node_name == dst.node_name)
                    || self.host_ips(h).iter().any(|ip| dst_node_ips.contains(ip))
            }
            Class::External(ip) => {
                if dst_node_ips.contains(&ip) || (sem.all_node_ips_local && self.is_node_ip(&ip)) {
                    return true;
                }
                // Unknown node address: the source could be the node itself.
                let other_node = self
                    .node_of_ip(&ip)
                    .is_some_and(|n| Some(&n) != dst.node_name.as_ref());
                if dst_node_ips.is_empty() && dst.node_name.is_some() && !other_node {
                    notes.push(Note::NodeIpUnknown { pod: dst.key() });
                }
                false
            }
        }
    }

    fn classify<'a>(r: Resolved<'a>, sem: Semantics) -> Class<'a> {
        match r {
            Resolved::Pod(p) if p.host_network && !sem.host_network_as_pods => Class::Host(p),
            Resolved::Pod(p) => Class::PodNet(p),
            Resolved::Address(ip) => Class::External(ip),
        }
    }

    fn outcome(
        &self,
        src: Resolved<'_>,
        dst: Resolved<'_>,
        port: u16,
        protocol: Protocol,
        sem: Semantics,
        notes: &mut Vec<Note>,
    ) -> Outcome {
        let (s, d) = (Self::classify(src, sem), Self::classify(dst, sem));
        let dst_pod = match d {
            Class::PodNet(p) => Some(p),
            _ => None,
        };
        let key = |c: Class<'_>| match c {
            Class::PodNet(p) | Class::Host(p) => Some(p.key()),
            Class::External(_) => None,
        };
        let egress = match s {
            Class::PodNet(sp) => {
                let peer = self.peer_view(d);
                let input = SideInput {
                    subject: sp,
                    direction: Direction::Egress,
                    peer: &peer,
                    destination: dst_pod,
                    port,
                    protocol,
                };
                evaluate_side(self, &input, sem, notes)
            }
            Class::Host(_) => {
                SideVerdict::fixed(Direction::Egress, key(s), Decision::HostNetworkNotEnforced)
            }
            Class::External(_) => {
                SideVerdict::fixed(Direction::Egress, None, Decision::ExternalEndpoint)
            }
        };
        let ingress = match d {
            Class::PodNet(dp) if self.node_local(s, dp, sem, notes) => {
                SideVerdict::fixed(Direction::Ingress, Some(dp.key()), Decision::NodeLocal)
            }
            Class::PodNet(dp) => {
                let peer = self.peer_view(s);
                let input = SideInput {
                    subject: dp,
                    direction: Direction::Ingress,
                    peer: &peer,
                    destination: Some(dp),
                    port,
                    protocol,
                };
                evaluate_side(self, &input, sem, notes)
            }
            Class::Host(_) => {
                SideVerdict::fixed(Direction::Ingress, key(d), Decision::HostNetworkNotEnforced)
            }
            Class::External(_) => {
                SideVerdict::fixed(Direction::Ingress, None, Decision::ExternalEndpoint)
            }
        };
        Outcome {
            allowed: egress.allowed && ingress.allowed,
            egress,
            ingress,
        }
    }

    /// Whether `from` can open a connection to `to` on `port`/`protocol`.
    ///
    /// The port is the destination pod's port (a Service's targetPort). The verdict follows
    /// the upstream e2e semantics (ipBlock matches pod IPs, hostNetwork pods are node traffic,
    /// loopback and own-node traffic allowed); answers that CNIs are known to decide
    /// differently are flagged `implementationDefined` with the reasons.
    pub fn can_reach(
        &self,
        from: &Endpoint,
        to: &Endpoint,
        port: u16,
        protocol: Protocol,
    ) -> Result<Reachability, NetpolError> {
        if port == 0 {
            return Err(NetpolError::InvalidPort(0));
        }
        let mut notes = Vec::new();
        if !self.pods_loaded() {
            notes.push(Note::PodsNotLoaded);
        }
        let src = self.resolve(from, &mut notes)?;
        let dst = self.resolve(to, &mut notes)?;
        let loopback =
            matches!((src, dst), (Resolved::Pod(a), Resolved::Pod(b)) if a.key() == b.key());
        let (from_desc, to_desc) = (self.describe(src), self.describe(dst));
        if loopback {
            let subject = from_desc.pod.clone();
            return Ok(Reachability {
                from: from_desc,
                to: to_desc,
                port,
                protocol,
                allowed: true,
                implementation_defined: true,
                implementation_defined_reasons: vec![ImplementationDefined::Loopback],
                loopback: true,
                egress: SideVerdict::fixed(Direction::Egress, subject.clone(), Decision::Loopback),
                ingress: SideVerdict::fixed(Direction::Ingress, subject, Decision::Loopback),
                complete: true,
                notes,
            });
        }
        let base = self.outcome(src, dst, port, protocol, Semantics::UPSTREAM, &mut notes);
        let mut reasons = Vec::new();
        let involves_host = [src, dst]
            .iter()
            .any(|r| matches!(r, Resolved::Pod(p) if p.host_network));
        let involves_pod_ips = self.has_ip_blocks()
            && [src, dst]
                .iter()
                .any(|r| matches!(r, Resolved::Pod(p) if !p.host_network));
        let from_node_ip = match src {
            Resolved::Address(ip) => self.is_node_ip(&ip),
            Resolved::Pod(p) => p.host_network,
        };
        let variants = [
            (
                involves_pod_ips,
                Semantics {
                    ipblock_matches_pod_ips: false,
                    ..Semantics::UPSTREAM
                },
                ImplementationDefined::IpBlockMatchesPodIp,
            ),
            (
                involves_host,
                Semantics {
                    host_network_as_pods: true,
                    ..Semantics::UPSTREAM
                },
                ImplementationDefined::HostNetworkPod,
            ),
            (
                from_node_ip,
                Semantics {
                    all_node_ips_local: true,
                    ..Semantics::UPSTREAM
                },
                ImplementationDefined::NodeIpTraffic,
            ),
        ];
        for (relevant, sem, reason) in variants {
            if relevant
                && self
                    .outcome(src, dst, port, protocol, sem, &mut Vec::new())
                    .allowed
                    != base.allowed
            {
                reasons.push(reason);
            }
        }
        if notes
            .iter()
            .any(|n| matches!(n, Note::AdminPriorityTie { .. }))
        {
            reasons.push(ImplementationDefined::AdminPriorityTie);
        }
        notes.sort();
        notes.dedup();
        let complete =
            self.unsupported_policies().is_empty() && !notes.iter().any(Note::makes_incomplete);
        Ok(Reachability {
            from: from_desc,
            to: to_desc,
            port,
            protocol,
            allowed: base.allowed,
            implementation_defined: !reasons.is_empty(),
            implementation_defined_reasons: reasons,
            loopback: false,
            egress: base.egress,
            ingress: base.ingress,
            complete,
            notes,
        })
    }
}
