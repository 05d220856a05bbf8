//! Per-direction evaluation: admin tier → NetworkPolicy → baseline tier → default allow.

use super::admin::{AdminAction, AdminPeer, AdminPolicy, AdminPort, AdminRule, NamespaceSet, Tier};
use super::model::{ContainerPort, NetworkModel, Pod, METADATA_NAME_LABEL};
use super::policy::{NetworkPolicy, Peer, PortRef, PortSpec, Rule};
use super::selector::LabelSelector;
use super::types::{Direction, PolicyRef, Protocol};
use serde::Serialize;
use std::net::IpAddr;

/// Which of the implementation-defined behaviours to assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Semantics {
    /// ipBlock peers match pod-network pod IPs (upstream e2e, Calico) or not (Cilium).
    pub ipblock_matches_pod_ips: bool,
    /// hostNetwork pods are ordinary pods (option a) or node traffic (option b, most common).
    pub host_network_as_pods: bool,
    /// Traffic from any node IP counts as "from the pod's node".
    pub all_node_ips_local: bool,
}

impl Semantics {
    /// The upstream e2e semantics the engine reports by default.
    pub const UPSTREAM: Semantics = Semantics {
        ipblock_matches_pod_ips: true,
        host_network_as_pods: false,
        all_node_ips_local: false,
    };
}

/// How one side of a connection was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    /// A pod talking to itself: not subject to policy.
    Loopback,
    /// This end is not a pod, so it has no policies of its own.
    ExternalEndpoint,
    /// This end is a hostNetwork pod; the usual implementations do not enforce policy on it.
    HostNetworkNotEnforced,
    /// Traffic from the destination pod's own node is always allowed.
    NodeLocal,
    /// No policy isolates the pod in this direction: everything is allowed.
    NotIsolated,
    /// Isolated by NetworkPolicy and a rule allows it.
    AllowedByNetworkPolicy,
    /// Isolated by NetworkPolicy and no rule allows it.
    DeniedByNetworkPolicy,
    /// An admin-tier rule allows it (final).
    AdminAllow,
    /// An admin-tier rule denies it (final).
    AdminDeny,
    /// A baseline-tier rule allows it.
    BaselineAllow,
    /// A baseline-tier rule denies it.
    BaselineDeny,
}

/// One rule that matched the traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleMatch {
    /// The policy.
    pub policy: PolicyRef,
    /// Index of the rule in the policy's ingress or egress list.
    pub rule_index: usize,
    /// The rule's name (admin-tier rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    /// The rule's action (admin-tier rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<AdminAction>,
    /// Index of the matching peer; None when the rule has no peers (matches every peer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer_index: Option<usize>,
    /// Index of the matching port entry; None when the rule has no ports (every port).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_index: Option<usize>,
    /// The destination container port a named port resolved to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named_port: Option<ContainerPort>,
    /// True when the peer matched through an ipBlock containing a pod IP (implementation-defined).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ip_block_matched_pod_ip: bool,
}

/// The verdict of one side (source egress or destination ingress).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideVerdict {
    /// Which direction this side evaluates.
    pub direction: Direction,
    /// The pod whose policies were evaluated, `namespace/name`; None when not a pod.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Whether this side lets the connection through.
    pub allowed: bool,
    /// How it was decided.
    pub decision: Decision,
    /// The deciding rule (first allowing NetworkPolicy rule, or the admin/baseline rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleMatch>,
    /// An admin-tier Pass rule that sent evaluation on to the next tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed_by: Option<RuleMatch>,
    /// Every NetworkPolicy rule that allows the connection (whether or not it decided).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matching_rules: Vec<RuleMatch>,
    /// NetworkPolicies that isolate the subject in this direction.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub isolated_by: Vec<PolicyRef>,
}

impl SideVerdict {
    /// A side that is decided without looking at policies.
    pub(crate) fn fixed(direction: Direction, subject: Option<String>, decision: Decision) -> Self {
        SideVerdict {
            direction,
            subject,
            allowed: true,
            decision,
            rule: None,
            passed_by: None,
            matching_rules: Vec::new(),
            isolated_by: Vec::new(),
        }
    }
}

/// Facts about the evaluation that the caller reports (completeness, explanations).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Note {
    /// An IP endpoint was recognised as a pod's IP and evaluated as that pod.
    IpResolvedToPod {
        /// The address.
        ip: IpAddr,
        /// The pod.
        pod: String,
    },
    /// Several pods share the IP; the first was used.
    AmbiguousIp {
        /// The address.
        ip: IpAddr,
        /// The pods.
        pods: Vec<String>,
    },
    /// An ipBlock/networks peer was checked against a pod whose IP is unknown.
    PeerIpUnknown {
        /// The pod.
        pod: String,
    },
    /// The source might be the destination's own node, whose IP is unknown. The answer is
    /// the one for the address as given (an external one), so this is said, not a gap.
    NodeIpUnknown {
        /// The destination pod.
        pod: String,
    },
    /// A named port in a rule whose peer matched is not declared by the destination.
    NamedPortUnresolved {
        /// The policy.
        policy: PolicyRef,
        /// Rule index.
        rule_index: usize,
        /// Port entry index.
        port_index: usize,
        /// The name.
        name: String,
        /// The rule's protocol (None for admin-tier named ports).
        #[serde(skip_serializing_if = "Option::is_none")]
        protocol: Option<Protocol>,
        /// The destination pod, or None when the destination is not a pod.
        #[serde(skip_serializing_if = "Option::is_none")]
        destination: Option<String>,
    },
    /// A domainNames peer could have matched an external destination; it cannot be evaluated offline.
    DomainNamesNotEvaluated {
        /// The policy.
        policy: PolicyRef,
        /// Rule index.
        rule_index: usize,
    },
    /// A node IP matched no Node object, so a `nodes` selector could not be checked.
    NodeLabelsUnknown {
        /// The address.
        ip: IpAddr,
    },
    /// A namespaceSelector was checked against a namespace without a Namespace object.
    NamespaceLabelsUnknown {
        /// The namespace.
        namespace: String,
    },
    /// No Pod objects were loaded: an address may belong to a pod the model cannot see.
    PodsNotLoaded,
    /// Admin-tier policies with equal priority both matched with different actions.
    AdminPriorityTie {
        /// The policies.
        policies: Vec<PolicyRef>,
    },
}

impl Note {
    /// Whether the note means the answer may be wrong for lack of data.
    pub fn makes_incomplete(&self) -> bool {
        matches!(
            self,
            Note::AmbiguousIp { .. }
                | Note::PodsNotLoaded
                | Note::PeerIpUnknown { .. }
                | Note::DomainNamesNotEvaluated { .. }
                | Note::NodeLabelsUnknown { .. }
                | Note::NamespaceLabelsUnknown { .. }
        )
    }
}

/// The other end of the connection, as rules see it.
#[derive(Debug, Clone)]
pub(crate) struct PeerView<'a> {
    /// The pod, when selectors can match it (pod-network pods).
    pub pod: Option<&'a Pod>,
    /// Its addresses.
    pub ips: Vec<IpAddr>,
    /// Whether `ips` are pod IPs (for the ipBlock-vs-pod-IP question).
    pub ips_are_pod_ips: bool,
    /// Display name of the endpoint (for notes).
    pub label: String,
}

/// Everything one side's evaluation needs.
pub(crate) struct SideInput<'a> {
    pub subject: &'a Pod,
    pub direction: Direction,
    pub peer: &'a PeerView<'a>,
    /// The destination pod, for named ports (the subject for ingress, the peer for egress).
    pub destination: Option<&'a Pod>,
    pub port: u16,
    pub protocol: Protocol,
}

struct Ctx<'a, 'n> {
    model: &'a NetworkModel,
    input: &'a SideInput<'a>,
    sem: Semantics,
    notes: &'n mut Vec<Note>,
}

impl Ctx<'_, '_> {
    fn namespace_matches(&mut self, sel: &LabelSelector, namespace: &str) -> bool {
        let declared = self.model.namespace(namespace).is_some_and(|n| n.declared);
        // An empty selector matches every namespace, whatever its labels.
        let empty = sel.match_labels.is_empty() && sel.match_expressions.is_empty();
        let only_name = sel
            .match_expressions
            .iter()
            .all(|r| r.key == METADATA_NAME_LABEL)
            && sel.match_labels.keys().all(|k| k == METADATA_NAME_LABEL);
        if !declared && !only_name && !empty {
            self.notes.push(Note::NamespaceLabelsUnknown {
                namespace: namespace.to_string(),
            });
        }
        sel.matches(&self.model.namespace_labels(namespace))
    }

    /// Whether an address-based peer matches; records notes for unknown IPs.
    fn ip_matches(
        &mut self,
        pod_ip_semantics_apply: bool,
        test: impl Fn(&IpAddr) -> bool,
    ) -> (bool, bool) {
        let peer = self.input.peer;
        if peer.ips_are_pod_ips && pod_ip_semantics_apply && !self.sem.ipblock_matches_pod_ips {
            return (false, false);
        }
        if peer.ips.is_empty() {
            self.notes.push(Note::PeerIpUnknown {
                pod: peer.label.clone(),
            });
            return (false, false);
        }
        let m = peer.ips.iter().any(test);
        (m, m && peer.ips_are_pod_ips)
    }

    fn np_peer(&mut self, peer: &Peer, policy_ns: &str) -> Option<bool> {
        match peer {
            Peer::Pods {
                namespace_selector,
                pod_selector,
            } => {
                let pod = self.input.peer.pod?;
                // The pod selector first: when it fails, the namespace's labels (perhaps
                // unknown) cannot matter.
                if !pod_selector.as_ref().is_none_or(|s| s.matches(&pod.labels)) {
                    return None;
                }
                let ns_ok = match namespace_selector {
                    None => pod.namespace == policy_ns,
                    Some(sel) => self.namespace_matches(sel, &pod.namespace),
                };
                ns_ok.then_some(false)
            }
            Peer::IpBlock(block) => {
                let (m, via_pod) = self.ip_matches(true, |ip| block.contains(ip));
                m.then_some(via_pod)
            }
        }
    }

    /// Returns (port index, named port resolution) when the ports allow the traffic.
    fn np_ports(
        &mut self,
        ports: &[PortSpec],
        policy: &NetworkPolicy,
        rule_index: usize,
    ) -> Option<(Option<usize>, Option<ContainerPort>)> {
        if ports.is_empty() {
            return Some((None, None));
        }
        let (port, proto, dst) = (self.input.port, self.input.protocol, self.input.destination);
        for (i, spec) in ports.iter().enumerate() {
            if spec.protocol != proto {
                continue;
            }
            match &spec.port {
                None => return Some((Some(i), None)),
                Some(PortRef::Number(n)) => {
                    let hit = match spec.end_port {
                        Some(end) => (*n..=end).contains(&port),
                        None => *n == port,
                    };
                    if hit {
                        return Some((Some(i), None));
                    }
                }
                Some(PortRef::Name(name)) => {
                    if let Some(cp) = dst.and_then(|d| d.named_port(name, proto, port)) {
                        return Some((Some(i), Some(cp.clone())));
                    }
                    let declared = dst.is_some_and(|d| {
                        d.ports.iter().any(|cp| {
                            cp.name.as_deref() == Some(name.as_str()) && cp.protocol == proto
                        })
                    });
                    if !declared {
                        self.notes.push(Note::NamedPortUnresolved {
                            policy: policy.policy_ref(),
                            rule_index,
                            port_index: i,
                            name: name.clone(),
                            protocol: Some(proto),
                            destination: dst.map(Pod::key),
                        });
                    }
                }
            }
        }
        None
    }

    fn np_rule(
        &mut self,
        policy: &NetworkPolicy,
        rule_index: usize,
        rule: &Rule,
    ) -> Option<RuleMatch> {
        let (peer_index, via_pod_ip) = if rule.peers.is_empty() {
            (None, false)
        } else {
            let mut found = None;
            for (i, p) in rule.peers.iter().enumerate() {
                if let Some(via) = self.np_peer(p, &policy.namespace) {
                    found = Some((Some(i), via));
                    break;
                }
            }
            found?
        };
        let (port_index, named_port) = self.np_ports(&rule.ports, policy, rule_index)?;
        Some(RuleMatch {
            policy: policy.policy_ref(),
            rule_index,
            rule_name: None,
            action: None,
            peer_index,
            port_index,
            named_port,
            ip_block_matched_pod_ip: via_pod_ip,
        })
    }

    fn namespace_set(&mut self, set: &NamespaceSet, peer_ns: &str) -> bool {
        match set {
            NamespaceSet::Selector(sel) => self.namespace_matches(sel, peer_ns),
            NamespaceSet::SameLabels(keys) => {
                let subj = self.model.namespace_labels(&self.input.subject.namespace);
                let peer = self.model.namespace_labels(peer_ns);
                keys.iter()
                    .all(|k| subj.contains_key(k) && subj.get(k) == peer.get(k))
            }
            NamespaceSet::NotSameLabels(keys) => {
                let subj = self.model.namespace_labels(&self.input.subject.namespace);
                let peer = self.model.namespace_labels(peer_ns);
                keys.iter().all(|k| peer.contains_key(k))
                    && keys.iter().any(|k| peer.get(k) != subj.get(k))
            }
        }
    }

    fn admin_peer(&mut self, peer: &AdminPeer, policy: &AdminPolicy, rule_index: usize) -> bool {
        match peer {
            AdminPeer::Namespaces(set) => match self.input.peer.pod {
                Some(pod) => self.namespace_set(set, &pod.namespace),
                None => false,
            },
            AdminPeer::Pods {
                namespaces,
                pod_selector,
            } => match self.input.peer.pod {
                Some(pod) => {
                    pod_selector.matches(&pod.labels)
                        && self.namespace_set(namespaces, &pod.namespace)
                }
                None => false,
            },
            AdminPeer::Nodes(sel) => {
                if self.input.peer.pod.is_some() {
                    return false;
                }
                let ips = self.input.peer.ips.clone();
                ips.iter().any(|ip| {
                    if let Some(node) = self.model.nodes().find(|n| n.addresses.contains(ip)) {
                        sel.matches(&node.labels)
                    } else if self.model.is_node_ip(ip) {
                        self.notes.push(Note::NodeLabelsUnknown { ip: *ip });
                        sel.is_empty()
                    } else {
                        false
                    }
                })
            }
            // Admin-tier networks are defined to match pod IPs as well: not implementation-defined.
            AdminPeer::Networks(cidrs) => {
                self.ip_matches(false, |ip| cidrs.iter().any(|c| c.contains(ip)))
                    .0
            }
            AdminPeer::DomainNames(_) => {
                if self.input.peer.pod.is_none() {
                    self.notes.push(Note::DomainNamesNotEvaluated {
                        policy: policy.policy_ref(),
                        rule_index,
                    });
                }
                false
            }
        }
    }

    fn admin_ports(
        &mut self,
        ports: &Option<Vec<AdminPort>>,
    ) -> Option<(Option<usize>, Option<ContainerPort>)> {
        let Some(ports) = ports else {
            return Some((None, None));
        };
        let (port, proto, dst) = (self.input.port, self.input.protocol, self.input.destination);
        for (i, p) in ports.iter().enumerate() {
            let hit = match p {
                AdminPort::Number { protocol, port: n } => *protocol == proto && *n == port,
                AdminPort::Range {
                    protocol,
                    start,
                    end,
                } => *protocol == proto && (*start..=*end).contains(&port),
                AdminPort::AllPorts(protocol) => *protocol == proto,
                AdminPort::Named(name) => {
                    if let Some(cp) = dst.and_then(|d| d.named_port(name, proto, port)) {
                        return Some((Some(i), Some(cp.clone())));
                    }
                    false
                }
            };
            if hit {
                return Some((Some(i), None));
            }
        }
        None
    }

    fn admin_rule(
        &mut self,
        policy: &AdminPolicy,
        rule_index: usize,
        rule: &AdminRule,
    ) -> Option<RuleMatch> {
        let mut peer_index = None;
        for (i, p) in rule.peers.iter().enumerate() {
            if self.admin_peer(p, policy, rule_index) {
                peer_index = Some(i);
                break;
            }
        }
        let peer_index = peer_index?;
        let (port_index, named_port) = self.admin_ports(&rule.ports)?;
        Some(RuleMatch {
            policy: policy.policy_ref(),
            rule_index,
            rule_name: rule.name.clone(),
            action: Some(rule.action),
            peer_index: Some(peer_index),
            port_index,
            named_port,
            ip_block_matched_pod_ip: false,
        })
    }

    /// The first matching rule of a tier, in priority and rule order.
    fn tier(&mut self, tier: Tier) -> Option<RuleMatch> {
        let subject = self.input.subject;
        let candidates: Vec<&AdminPolicy> = self
            .model
            .admin_policies()
            .iter()
            .filter(|p| p.tier == tier && self.model.admin_subject_selects(&p.subject, subject))
            .collect();
        let first_match = |ctx: &mut Self, p: &AdminPolicy| {
            let rules = match ctx.input.direction {
                Direction::Ingress => &p.ingress,
                Direction::Egress => &p.egress,
            };
            rules
                .iter()
                .enumerate()
                .find_map(|(i, r)| ctx.admin_rule(p, i, r))
        };
        for (idx, p) in candidates.iter().enumerate() {
            if let Some(m) = first_match(self, p) {
                // Equal priorities: the API leaves the winner to the implementation.
                let mut tied = vec![m.policy.clone()];
                for other in candidates
                    .iter()
                    .skip(idx + 1)
                    .filter(|o| o.priority == p.priority)
                {
                    if let Some(om) = first_match(self, other) {
                        if om.action != m.action {
                            tied.push(om.policy);
                        }
                    }
                }
                if tied.len() > 1 {
                    self.notes.push(Note::AdminPriorityTie { policies: tied });
                }
                return Some(m);
            }
        }
        None
    }
}

/// Evaluates one side for a pod subject to policy.
pub(crate) fn evaluate_side(
    model: &NetworkModel,
    input: &SideInput<'_>,
    sem: Semantics,
    notes: &mut Vec<Note>,
) -> SideVerdict {
    let subject = input.subject;
    let dir = input.direction;
    let isolating: Vec<&NetworkPolicy> = model
        .policies_in(&subject.namespace)
        .filter(|p| p.applies_to(dir) && p.pod_selector.matches(&subject.labels))
        .collect();
    // NetworkPolicy rules are matched up front for the explanation; their notes only count
    // when the NetworkPolicy tier actually decides.
    let mut np_notes = Vec::new();
    let mut np_ctx = Ctx {
        model,
        input,
        sem,
        notes: &mut np_notes,
    };
    let mut matching_rules = Vec::new();
    for p in &isolating {
        for (i, r) in p.effective_rules(dir).iter().enumerate() {
            if let Some(m) = np_ctx.np_rule(p, i, r) {
                matching_rules.push(m);
            }
        }
    }
    let mut ctx = Ctx {
        model,
        input,
        sem,
        notes,
    };
    let mut verdict = SideVerdict {
        direction: dir,
        subject: Some(subject.key()),
        allowed: true,
        decision: Decision::NotIsolated,
        rule: None,
        passed_by: None,
        isolated_by: isolating.iter().map(|p| p.policy_ref()).collect(),
        matching_rules,
    };
    match ctx.tier(Tier::Admin) {
        Some(m) if m.action == Some(AdminAction::Pass) => verdict.passed_by = Some(m),
        Some(m) => {
            verdict.allowed = m.action == Some(AdminAction::Allow);
            verdict.decision = if verdict.allowed {
                Decision::AdminAllow
            } else {
                Decision::AdminDeny
            };
            verdict.rule = Some(m);
            return verdict;
        }
        None => {}
    }
    if !isolating.is_empty() {
        ctx.notes.append(&mut np_notes);
        verdict.allowed = !verdict.matching_rules.is_empty();
        verdict.decision = if verdict.allowed {
            Decision::AllowedByNetworkPolicy
        } else {
            Decision::DeniedByNetworkPolicy
        };
        verdict.rule = verdict.matching_rules.first().cloned();
        return verdict;
    }
    match ctx.tier(Tier::Baseline) {
        // Pass in the baseline tier ends that tier: the default (allow) applies.
        Some(m) if m.action == Some(AdminAction::Pass) => verdict.passed_by = Some(m),
        Some(m) => {
            verdict.allowed = m.action == Some(AdminAction::Allow);
            verdict.decision = if verdict.allowed {
                Decision::BaselineAllow
            } else {
                Decision::BaselineDeny
            };
            verdict.rule = Some(m);
        }
        None => {}
    }
    verdict
}
