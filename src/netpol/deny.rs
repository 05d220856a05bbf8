//! default-deny: per namespace and direction, is there a strict default-deny, are all pods
//! isolated, does an allow-all policy override everything, and which pods are isolated.

use super::error::{NetpolError, ObjectRef, Warning};
use super::filter::NamespaceFilter;
use super::model::{NetworkModel, Pod};
use super::policy::NetworkPolicy;
use super::types::{Direction, PolicyRef};
use serde::Serialize;
use std::collections::BTreeSet;

/// What a policy is, for one direction, named for what it really does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyRole {
    /// Selects every pod, has the direction in policyTypes and no rules: a strict default-deny.
    DefaultDeny,
    /// Selects every pod and has a rule with no peers and no ports: allows everything, and
    /// no other policy can deny anything in this direction.
    AllowAll,
    /// Selects every pod and has rules: every pod is isolated, but some traffic is allowed
    /// (e.g. deny-all-except-DNS, or allow-from-same-namespace).
    IsolatesAllWithRules,
    /// Selects only some pods and has no rules: denies everything for those pods only.
    DenyAllForSelected,
    /// Selects only some pods and has a rule with no peers and no ports.
    AllowAllForSelected,
    /// Selects only some pods and has rules.
    AllowsForSelected,
    /// Has rules for this direction, but the explicit policyTypes omits it: they are ignored.
    StrayRulesIgnored,
}

/// One policy's part in a namespace's posture for one direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyPosture {
    /// Policy name (the namespace is the enclosing one).
    pub name: String,
    /// What it does in this direction.
    pub role: PolicyRole,
    /// Whether its podSelector is empty.
    pub selects_all_pods: bool,
    /// Number of rules for this direction (as written).
    pub rule_count: usize,
    /// Whether policyTypes was computed by defaulting.
    pub policy_types_defaulted: bool,
    /// Indexes of rules with no peers and no ports (allow everything).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow_all_rules: Vec<usize>,
    /// Indexes of rules with ports but no peers: open to every peer, external IPs included
    /// (e.g. DNS to any resolver).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub any_peer_rules: Vec<usize>,
}

/// A namespace's posture for one direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectionPosture {
    /// Strict: a policy with an empty podSelector, this direction in its effective
    /// policyTypes, and zero rules for it.
    pub default_deny: bool,
    /// Lenient: a policy with an empty podSelector and this direction (rules allowed).
    pub all_pods_isolated: bool,
    /// A policy selecting every pod has a rule with no peers and no ports for this direction:
    /// nothing is denied, whatever other policies say.
    pub allow_all: bool,
    /// The policies of the namespace that concern this direction.
    pub policies: Vec<PolicyPosture>,
}

/// Why a pod is not isolated in a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NotIsolatedReason {
    /// The namespace has no NetworkPolicy at all.
    NoPolicyInNamespace,
    /// No policy of the namespace selects the pod.
    NoPolicySelectsPod,
    /// Policies select the pod, but none has this direction in its policyTypes.
    SelectedOnlyForOtherDirection,
}

/// A pod's isolation (API level: which policies select it with each direction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodIsolation {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Selected by a policy with Ingress in its policyTypes.
    pub ingress_isolated: bool,
    /// Selected by a policy with Egress in its policyTypes.
    pub egress_isolated: bool,
    /// Names of the policies isolating it for ingress.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ingress_isolated_by: Vec<String>,
    /// Names of the policies isolating it for egress.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub egress_isolated_by: Vec<String>,
    /// Why it is not isolated for ingress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_reason: Option<NotIsolatedReason>,
    /// Why it is not isolated for egress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress_reason: Option<NotIsolatedReason>,
    /// A hostNetwork pod: isolated at API level, but most implementations do not enforce
    /// NetworkPolicy on it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub host_network: bool,
}

/// One namespace in a default-deny report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespacePosture {
    /// Name.
    pub namespace: String,
    /// Whether a Namespace object was loaded (else it is only referenced or requested).
    pub declared: bool,
    /// Ingress posture.
    pub ingress: DirectionPosture,
    /// Egress posture.
    pub egress: DirectionPosture,
    /// Pods of the namespace and their isolation (empty when pods were not loaded).
    pub pods: Vec<PodIsolation>,
    /// Cluster-wide (admin/baseline tier) policies whose subject can cover this namespace;
    /// they can allow or deny regardless of the NetworkPolicy posture above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_policies: Vec<PolicyRef>,
}

/// Why a report may be missing something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum IncompleteReason {
    /// No Pod objects were loaded: pod lists are empty.
    PodsNotLoaded,
    /// Policy objects of kinds that are not evaluated were loaded.
    UnsupportedPolicies {
        /// The objects.
        objects: Vec<ObjectRef>,
    },
}

/// The default-deny report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultDenyReport {
    /// False when data the report depends on was not available (see `incompleteReasons`).
    pub complete: bool,
    /// Why it is incomplete.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete_reasons: Vec<IncompleteReason>,
    /// One entry per selected namespace, sorted by name.
    pub namespaces: Vec<NamespacePosture>,
    /// Model warnings about the selected namespaces and cluster-scoped objects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

fn role(p: &NetworkPolicy, d: Direction) -> Option<PolicyRole> {
    let written = p.written_rules(d);
    if !p.applies_to(d) {
        return (!written.is_empty()).then_some(PolicyRole::StrayRulesIgnored);
    }
    let all = p.selects_all_pods();
    let allow_all = written.iter().any(|r| r.is_allow_all());
    Some(match (all, written.is_empty(), allow_all) {
        (true, true, _) => PolicyRole::DefaultDeny,
        (true, false, true) => PolicyRole::AllowAll,
        (true, false, false) => PolicyRole::IsolatesAllWithRules,
        (false, true, _) => PolicyRole::DenyAllForSelected,
        (false, false, true) => PolicyRole::AllowAllForSelected,
        (false, false, false) => PolicyRole::AllowsForSelected,
    })
}

impl NetworkModel {
    fn direction_posture(&self, namespace: &str, d: Direction) -> DirectionPosture {
        let mut policies = Vec::new();
        for p in self.policies_in(namespace) {
            let Some(role) = role(p, d) else { continue };
            let rules = p.written_rules(d);
            policies.push(PolicyPosture {
                name: p.name.clone(),
                role,
                selects_all_pods: p.selects_all_pods(),
                rule_count: rules.len(),
                policy_types_defaulted: p.policy_types_defaulted,
                allow_all_rules: (0..rules.len())
                    .filter(|i| rules[*i].is_allow_all())
                    .collect(),
                any_peer_rules: (0..rules.len())
                    .filter(|i| rules[*i].peers.is_empty() && !rules[*i].ports.is_empty())
                    .collect(),
            });
        }
        let has = |r: PolicyRole| policies.iter().any(|p| p.role == r);
        let default_deny = has(PolicyRole::DefaultDeny);
        let allow_all = has(PolicyRole::AllowAll);
        DirectionPosture {
            default_deny,
            all_pods_isolated: default_deny || allow_all || has(PolicyRole::IsolatesAllWithRules),
            allow_all,
            policies,
        }
    }

    fn isolation(&self, pod: &Pod) -> PodIsolation {
        let in_ns: Vec<&NetworkPolicy> = self.policies_in(&pod.namespace).collect();
        let selecting: Vec<&NetworkPolicy> = in_ns
            .iter()
            .copied()
            .filter(|p| p.pod_selector.matches(&pod.labels))
            .collect();
        let by = |d: Direction| -> Vec<String> {
            selecting
                .iter()
                .filter(|p| p.applies_to(d))
                .map(|p| p.name.clone())
                .collect()
        };
        let (ib, eb) = (by(Direction::Ingress), by(Direction::Egress));
        let reason = |isolated_by: &Vec<String>| {
            if !isolated_by.is_empty() {
                None
            } else if in_ns.is_empty() {
                Some(NotIsolatedReason::NoPolicyInNamespace)
            } else if selecting.is_empty() {
                Some(NotIsolatedReason::NoPolicySelectsPod)
            } else {
                Some(NotIsolatedReason::SelectedOnlyForOtherDirection)
            }
        };
        PodIsolation {
            namespace: pod.namespace.clone(),
            name: pod.name.clone(),
            ingress_isolated: !ib.is_empty(),
            egress_isolated: !eb.is_empty(),
            ingress_reason: reason(&ib),
            egress_reason: reason(&eb),
            ingress_isolated_by: ib,
            egress_isolated_by: eb,
            host_network: pod.host_network,
        }
    }

    /// Isolation of one pod.
    pub fn pod_isolation(&self, namespace: &str, name: &str) -> Result<PodIsolation, NetpolError> {
        self.pod(namespace, name)
            .map(|p| self.isolation(p))
            .ok_or_else(|| NetpolError::PodNotFound {
                namespace: namespace.to_string(),
                name: name.to_string(),
                pods_loaded: self.pods_loaded(),
            })
    }

    /// The posture of one namespace (also for a namespace the model has never seen: it then
    /// has no policies, so nothing is denied).
    pub fn namespace_posture(&self, namespace: &str) -> NamespacePosture {
        NamespacePosture {
            namespace: namespace.to_string(),
            declared: self.namespace(namespace).is_some_and(|n| n.declared),
            ingress: self.direction_posture(namespace, Direction::Ingress),
            egress: self.direction_posture(namespace, Direction::Egress),
            pods: self.pods_in(namespace).map(|p| self.isolation(p)).collect(),
            cluster_policies: self.admin_policies_for_namespace(namespace),
        }
    }

    /// The default-deny report for the namespaces the filter selects. Requested namespaces
    /// the model does not know are reported too (with `declared: false`).
    pub fn default_deny(&self, filter: &NamespaceFilter) -> DefaultDenyReport {
        let mut names: BTreeSet<String> = self
            .namespaces()
            .map(|n| n.name.clone())
            .filter(|n| filter.matches(n))
            .collect();
        if let Some(req) = filter.requested() {
            names.extend(req.iter().filter(|n| filter.matches(n)).cloned());
        }
        let mut incomplete = Vec::new();
        if !self.pods_loaded() {
            incomplete.push(IncompleteReason::PodsNotLoaded);
        }
        if !self.unsupported_policies().is_empty() {
            incomplete.push(IncompleteReason::UnsupportedPolicies {
                objects: self
                    .unsupported_policies()
                    .iter()
                    .map(|u| u.object.clone())
                    .collect(),
            });
        }
        let warnings = self
            .warnings()
            .iter()
            .filter(|w| match &w.object {
                Some(o) if o.kind == "Namespace" => names.contains(&o.name),
                Some(o) => o.namespace.as_ref().is_none_or(|ns| names.contains(ns)),
                None => true,
            })
            .cloned()
            .collect();
        DefaultDenyReport {
            complete: incomplete.is_empty(),
            incomplete_reasons: incomplete,
            namespaces: names.iter().map(|n| self.namespace_posture(n)).collect(),
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn model(policies: Vec<Value>) -> NetworkModel {
        let mut objs = vec![
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x", "labels": {"app": "web"}}, "status": {"podIP": "10.0.0.1"}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b", "namespace": "x", "labels": {"app": "db"}}, "status": {"podIP": "10.0.0.2"}}),
        ];
        for (i, spec) in policies.into_iter().enumerate() {
            objs.push(
                json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                "metadata": {"name": format!("p{i}"), "namespace": "x"}, "spec": spec}),
            );
        }
        NetworkModel::from_objects(objs.into_iter().map(|o| (o, "test".to_string())))
            .expect("model")
    }

    fn posture(spec: Value) -> NamespacePosture {
        model(vec![spec]).namespace_posture("x")
    }

    #[test]
    fn strict_default_deny_forms() {
        let p = posture(json!({"podSelector": {}}));
        assert!(p.ingress.default_deny && !p.egress.default_deny);
        let p = posture(json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}));
        assert!(p.ingress.default_deny && p.egress.default_deny);
        assert_eq!(p.ingress.policies[0].role, PolicyRole::DefaultDeny);
        let p = posture(
            json!({"podSelector": {"matchExpressions": []}, "policyTypes": ["Egress"], "egress": []}),
        );
        assert!(!p.ingress.default_deny && p.egress.default_deny);
    }

    #[test]
    fn lookalikes_are_named_for_what_they_are() {
        let p = posture(json!({"podSelector": {}, "ingress": [{}]}));
        assert!(!p.ingress.default_deny && p.ingress.all_pods_isolated && p.ingress.allow_all);
        assert_eq!(p.ingress.policies[0].role, PolicyRole::AllowAll);

        let p = posture(json!({"podSelector": {}, "ingress": [{"from": []}]}));
        assert_eq!(p.ingress.policies[0].role, PolicyRole::AllowAll);

        let p = posture(json!({"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}]}));
        assert_eq!(p.ingress.policies[0].role, PolicyRole::IsolatesAllWithRules);
        assert_eq!(p.ingress.policies[0].any_peer_rules, vec![0]);
        assert!(!p.ingress.allow_all && !p.ingress.default_deny && p.ingress.all_pods_isolated);

        // egress: [] without policyTypes does not add Egress.
        let p = posture(json!({"podSelector": {}, "ingress": [], "egress": []}));
        assert!(p.ingress.default_deny && !p.egress.all_pods_isolated);

        // Only egress rules, no policyTypes: ingress is default-denied as a side effect.
        let p = posture(
            json!({"podSelector": {}, "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}]}),
        );
        assert!(p.ingress.default_deny);
        assert!(!p.egress.default_deny && p.egress.all_pods_isolated);

        let p = posture(
            json!({"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress", "Egress"]}),
        );
        assert!(!p.ingress.default_deny && !p.ingress.all_pods_isolated);
        assert_eq!(p.ingress.policies[0].role, PolicyRole::DenyAllForSelected);
        assert!(p.pods[0].ingress_isolated && !p.pods[1].ingress_isolated);
        assert_eq!(
            p.pods[1].ingress_reason,
            Some(NotIsolatedReason::NoPolicySelectsPod)
        );

        let p = posture(
            json!({"podSelector": {}, "policyTypes": ["Ingress"], "egress": [{"to": [{"podSelector": {}}]}]}),
        );
        assert!(!p.egress.all_pods_isolated);
        assert_eq!(p.egress.policies[0].role, PolicyRole::StrayRulesIgnored);
        assert_eq!(
            p.pods[0].egress_reason,
            Some(NotIsolatedReason::SelectedOnlyForOtherDirection)
        );
    }

    #[test]
    fn allow_all_overrides_default_deny() {
        let m = model(vec![
            json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
            json!({"podSelector": {}, "ingress": [{}], "egress": [{}], "policyTypes": ["Ingress", "Egress"]}),
        ]);
        let p = m.namespace_posture("x");
        assert!(p.ingress.default_deny && p.ingress.allow_all);
        assert!(p.egress.default_deny && p.egress.allow_all);
    }

    #[test]
    fn report_filters_and_unknown_namespaces() {
        let m = model(vec![json!({"podSelector": {}})]);
        let r = m.default_deny(&NamespaceFilter::new(&["x", "nowhere"], &[]).expect("filter"));
        assert!(r.complete);
        assert_eq!(r.namespaces.len(), 2);
        assert_eq!(r.namespaces[0].namespace, "nowhere");
        assert!(!r.namespaces[0].declared && !r.namespaces[0].ingress.default_deny);
        let r = m.default_deny(&NamespaceFilter::new::<&str>(&[], &["x*"]).expect("filter"));
        assert!(r.namespaces.is_empty());
        let json = serde_json::to_value(m.default_deny(&NamespaceFilter::all())).expect("json");
        assert_eq!(json["namespaces"][0]["ingress"]["defaultDeny"], json!(true));
        assert_eq!(
            json["namespaces"][0]["pods"][0]["ingressIsolated"],
            json!(true)
        );
        assert_eq!(json["namespaces"][0]["egress"]["allowAll"], json!(false));
    }

    #[test]
    fn without_pods_namespace_answers_still_work() {
        let m = NetworkModel::from_objects(vec![(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "d", "namespace": "x"}, "spec": {"podSelector": {}}}),
            "t".to_string(),
        )])
        .expect("model");
        let r = m.default_deny(&NamespaceFilter::all());
        assert!(!r.complete);
        assert_eq!(r.incomplete_reasons, vec![IncompleteReason::PodsNotLoaded]);
        assert!(r.namespaces[0].ingress.default_deny);
    }
}
