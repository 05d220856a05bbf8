//! Reachability unit tests: peers, ports, named ports, endPort, ipBlock, special traffic, tiers.

use super::*;
use serde_json::{json, Value};

fn ns(name: &str, labels: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
}

fn pod(ns: &str, name: &str, labels: Value, ip: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {"nodeName": "n1", "containers": [{"name": "c", "ports": [
            {"name": "http", "containerPort": 8080},
            {"name": "dns", "containerPort": 53, "protocol": "UDP"}
        ]}]},
        "status": {"podIP": ip, "hostIP": "192.168.1.1"}})
}

fn np(ns: &str, name: &str, spec: Value) -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": ns}, "spec": spec})
}

/// Namespaces x (team=a) and y (team=b); pods x/a (app=a), x/b (app=b), y/a (app=a).
fn model(policies: Vec<Value>) -> NetworkModel {
    let mut objs = vec![
        ns("x", json!({"team": "a"})),
        ns("y", json!({"team": "b"})),
        pod("x", "a", json!({"app": "a"}), "10.0.1.1"),
        pod("x", "b", json!({"app": "b"}), "10.0.1.2"),
        pod("y", "a", json!({"app": "a"}), "10.0.2.1"),
    ];
    objs.extend(policies);
    NetworkModel::from_objects(objs.into_iter().map(|o| (o, "unit".to_string())))
        .expect("valid model")
}

fn reach(m: &NetworkModel, from: &str, to: &str, port: u16, proto: Protocol) -> Reachability {
    m.can_reach(
        &Endpoint::parse(from).expect("from"),
        &Endpoint::parse(to).expect("to"),
        port,
        proto,
    )
    .expect("query")
}

fn allowed(m: &NetworkModel, from: &str, to: &str, port: u16) -> bool {
    reach(m, from, to, port, Protocol::Tcp).allowed
}

#[test]
fn no_policies_allow_everything() {
    let m = model(vec![]);
    let r = reach(&m, "x/a", "y/a", 80, Protocol::Tcp);
    assert!(r.allowed && !r.implementation_defined);
    assert_eq!(r.egress.decision, Decision::NotIsolated);
    assert_eq!(r.ingress.decision, Decision::NotIsolated);
}

#[test]
fn pod_selector_is_scoped_to_policy_namespace_and_and_vs_or() {
    // podSelector alone: same namespace only.
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {"matchLabels": {"app": "b"}},
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "a"}}}]}]}),
    )]);
    assert!(allowed(&m, "x/a", "x/b", 80));
    assert!(!allowed(&m, "y/a", "x/b", 80));
    let r = reach(&m, "x/a", "x/b", 80, Protocol::Tcp);
    assert_eq!(r.ingress.decision, Decision::AllowedByNetworkPolicy);
    let rule = r.ingress.rule.expect("deciding rule");
    assert_eq!(
        (rule.rule_index, rule.peer_index, rule.port_index),
        (0, Some(0), None)
    );
    assert_eq!(rule.policy.name, "p");

    // One element with both selectors: AND.
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {"matchLabels": {"app": "b"}},
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "b"}}, "podSelector": {"matchLabels": {"app": "zzz"}}}]}]}),
    )]);
    assert!(!allowed(&m, "y/a", "x/b", 80));
    // Two elements: OR.
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {"matchLabels": {"app": "b"}},
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "b"}}}, {"podSelector": {"matchLabels": {"app": "zzz"}}}]}]}),
    )]);
    assert!(allowed(&m, "y/a", "x/b", 80));
    assert!(!allowed(&m, "x/a", "x/b", 80));
}

#[test]
fn namespace_selector_never_matches_external_ips() {
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {},
        "ingress": [{"from": [{"namespaceSelector": {}}]}]}),
    )]);
    assert!(allowed(&m, "y/a", "x/a", 80));
    assert!(!allowed(&m, "203.0.113.1", "x/a", 80));
}

#[test]
fn egress_and_ingress_are_anded() {
    let m = model(vec![
        np(
            "x",
            "deny-egress",
            json!({"podSelector": {}, "policyTypes": ["Egress"]}),
        ),
        np("y", "allow-in", json!({"podSelector": {}, "ingress": [{}]})),
    ]);
    let r = reach(&m, "x/a", "y/a", 80, Protocol::Tcp);
    assert!(!r.allowed);
    assert!(!r.egress.allowed && r.ingress.allowed);
    assert_eq!(r.egress.decision, Decision::DeniedByNetworkPolicy);
    assert_eq!(r.egress.isolated_by[0].name, "deny-egress");
}

#[test]
fn numeric_ports_protocols_and_end_port() {
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {},
        "ingress": [{"ports": [{"port": 80}, {"protocol": "UDP", "port": 1000, "endPort": 2000}, {"protocol": "SCTP"}]}]}),
    )]);
    assert!(allowed(&m, "y/a", "x/a", 80));
    assert!(!allowed(&m, "y/a", "x/a", 81));
    assert!(!reach(&m, "y/a", "x/a", 80, Protocol::Udp).allowed);
    for (p, expect) in [
        (999, false),
        (1000, true),
        (1500, true),
        (2000, true),
        (2001, false),
    ] {
        assert_eq!(
            reach(&m, "y/a", "x/a", p, Protocol::Udp).allowed,
            expect,
            "UDP {p}"
        );
    }
    assert!(reach(&m, "y/a", "x/a", 4242, Protocol::Sctp).allowed);
    let r = reach(&m, "y/a", "x/a", 1500, Protocol::Udp);
    assert_eq!(r.ingress.rule.expect("rule").port_index, Some(1));
}

#[test]
fn named_ports_resolve_on_destination_with_protocol() {
    // Ingress: resolved on the selected pod; protocol defaults to TCP.
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {},
        "ingress": [{"ports": [{"port": "http"}, {"port": "dns"}]}]}),
    )]);
    assert!(allowed(&m, "y/a", "x/a", 8080));
    assert!(!allowed(&m, "y/a", "x/a", 80));
    // `dns` is 53/UDP but the rule says TCP (default): matches nothing.
    assert!(!reach(&m, "y/a", "x/a", 53, Protocol::Udp).allowed);
    assert!(!allowed(&m, "y/a", "x/a", 53));
    let r = reach(&m, "y/a", "x/a", 53, Protocol::Tcp);
    assert!(r
        .notes
        .iter()
        .any(|n| matches!(n, Note::NamedPortUnresolved { name, .. } if name == "dns")));
    let r = reach(&m, "y/a", "x/a", 8080, Protocol::Tcp);
    let cp = r.ingress.rule.expect("rule").named_port.expect("resolved");
    assert_eq!((cp.container.as_str(), cp.port), ("c", 8080));

    // Egress: resolved on the peer (destination) pod; never on an IP.
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {}, "policyTypes": ["Egress"],
        "egress": [{"ports": [{"port": "dns", "protocol": "UDP"}]}]}),
    )]);
    assert!(reach(&m, "x/a", "y/a", 53, Protocol::Udp).allowed);
    assert!(!reach(&m, "x/a", "8.8.8.8", 53, Protocol::Udp).allowed);
}

#[test]
fn ip_block_except_and_union() {
    let m = model(vec![np(
        "x",
        "cidr",
        json!({"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "203.0.113.0/24", "except": ["203.0.113.128/25"]}}]}]}),
    )]);
    assert!(allowed(&m, "x/a", "203.0.113.5", 443));
    assert!(!allowed(&m, "x/a", "203.0.113.200", 443));
    assert!(!allowed(&m, "x/a", "198.51.100.1", 443));
    // A second policy re-allows the excepted range: except is not a deny.
    let m = model(vec![
        np(
            "x",
            "cidr",
            json!({"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "203.0.113.0/24", "except": ["203.0.113.128/25"]}}]}]}),
        ),
        np(
            "x",
            "host",
            json!({"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "203.0.113.200/32"}}]}]}),
        ),
    ]);
    let r = reach(&m, "x/a", "203.0.113.200", 443, Protocol::Tcp);
    assert!(r.allowed && !r.implementation_defined);
    assert_eq!(r.egress.rule.expect("rule").policy.name, "host");
}

#[test]
fn ip_block_on_pod_ip_is_implementation_defined() {
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "10.0.2.0/24"}}]}]}),
    )]);
    let r = reach(&m, "x/a", "y/a", 80, Protocol::Tcp);
    assert!(r.allowed && r.implementation_defined);
    assert_eq!(
        r.implementation_defined_reasons,
        vec![ImplementationDefined::IpBlockMatchesPodIp]
    );
    assert!(r.egress.rule.expect("rule").ip_block_matched_pod_ip);
    // A deny that no ipBlock could change is not implementation-defined.
    let r = reach(&m, "x/a", "x/b", 80, Protocol::Tcp);
    assert!(!r.allowed && !r.implementation_defined);
}

#[test]
fn loopback_and_node_local() {
    let m = model(vec![np(
        "x",
        "deny",
        json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    )]);
    let r = reach(&m, "x/a", "x/a", 80, Protocol::Tcp);
    assert!(r.allowed && r.loopback && r.implementation_defined);
    // The pod's IP resolves to the pod itself.
    let r = reach(&m, "10.0.1.1", "x/a", 80, Protocol::Tcp);
    assert!(r.loopback);
    // Own node (hostIP) may always reach the pod.
    let r = reach(&m, "192.168.1.1", "x/a", 80, Protocol::Tcp);
    assert!(r.allowed);
    assert_eq!(r.ingress.decision, Decision::NodeLocal);
    let r = reach(&m, "192.168.1.2", "x/a", 80, Protocol::Tcp);
    assert!(!r.allowed && r.complete);
}

#[test]
fn unknown_node_ip_is_said_but_the_address_is_answered_as_given() {
    let m = NetworkModel::from_objects(vec![
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x"},
               "spec": {"nodeName": "n1"}, "status": {"podIP": "10.0.0.1"}}),
            "t".to_string(),
        ),
        (np("x", "deny", json!({"podSelector": {}})), "t".to_string()),
    ])
    .expect("model");
    let r = reach(&m, "203.0.113.9", "x/a", 80, Protocol::Tcp);
    assert!(!r.allowed && r.complete);
    assert!(r.notes.contains(&Note::NodeIpUnknown { pod: "x/a".into() }));
}

#[test]
fn host_network_pods() {
    let mut objs = vec![
        ns("x", json!({})),
        pod("x", "a", json!({"app": "a"}), "10.0.1.1"),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "agent", "namespace": "x", "labels": {"app": "agent"}},
               "spec": {"hostNetwork": true, "nodeName": "n2"}, "status": {"podIP": "192.168.1.2", "hostIP": "192.168.1.2"}}),
    ];
    objs.push(np("x", "only-agent", json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "agent"}}}]}]})));
    let m =
        NetworkModel::from_objects(objs.into_iter().map(|o| (o, "t".to_string()))).expect("model");
    let r = reach(&m, "x/agent", "x/a", 80, Protocol::Tcp);
    assert!(!r.allowed && r.implementation_defined);
    assert_eq!(r.from.kind, EndpointKind::HostNetworkPod);
    assert_eq!(r.egress.decision, Decision::HostNetworkNotEnforced);
    let r = reach(&m, "x/a", "x/agent", 80, Protocol::Tcp);
    assert!(r.allowed && r.implementation_defined);
    assert_eq!(r.ingress.decision, Decision::HostNetworkNotEnforced);
    // API-level isolation still reports the hostNetwork pod as selected.
    let iso = m.pod_isolation("x", "agent").expect("pod");
    assert!(iso.ingress_isolated && iso.host_network);
}

#[test]
fn admin_tiers() {
    let anp = |name: &str, prio: i64, ingress: Value| {
        json!({"apiVersion": "policy.networking.k8s.io/v1alpha1",
        "kind": "AdminNetworkPolicy", "metadata": {"name": name},
        "spec": {"priority": prio, "subject": {"namespaces": {"matchLabels": {"team": "a"}}}, "ingress": ingress}})
    };
    let banp = json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "BaselineAdminNetworkPolicy",
        "metadata": {"name": "default"}, "spec": {"subject": {"namespaces": {}},
        "ingress": [{"name": "deny", "action": "Deny", "from": [{"namespaces": {}}]}]}});
    // Admin Deny beats a NetworkPolicy allow.
    let m = model(vec![
        anp(
            "deny-y",
            10,
            json!([{"name": "no-y", "action": "Deny", "from": [{"namespaces": {"matchLabels": {"team": "b"}}}]}]),
        ),
        np("x", "allow", json!({"podSelector": {}, "ingress": [{}]})),
    ]);
    let r = reach(&m, "y/a", "x/a", 80, Protocol::Tcp);
    assert!(!r.allowed);
    assert_eq!(r.ingress.decision, Decision::AdminDeny);
    assert_eq!(
        r.ingress.rule.as_ref().and_then(|m| m.rule_name.as_deref()),
        Some("no-y")
    );
    assert!(allowed(&m, "x/b", "x/a", 80));
    // Baseline applies only where no NetworkPolicy isolates the pod.
    let m = model(vec![
        banp.clone(),
        np(
            "x",
            "allow-b",
            json!({"podSelector": {"matchLabels": {"app": "a"}},
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "b"}}}]}]}),
        ),
    ]);
    assert!(allowed(&m, "x/b", "x/a", 80));
    assert!(!allowed(&m, "y/a", "x/a", 80));
    let r = reach(&m, "x/a", "x/b", 80, Protocol::Tcp);
    assert!(!r.allowed);
    assert_eq!(r.ingress.decision, Decision::BaselineDeny);
    // Pass skips the admin tier to NetworkPolicy/baseline.
    let m = model(vec![
        anp(
            "pass",
            1,
            json!([{"action": "Pass", "from": [{"namespaces": {}}], "ports": [{"portNumber": {"protocol": "TCP", "port": 80}}]}]),
        ),
        anp(
            "allow",
            2,
            json!([{"action": "Allow", "from": [{"namespaces": {}}]}]),
        ),
        banp,
    ]);
    let r = reach(&m, "x/b", "x/a", 80, Protocol::Tcp);
    assert!(!r.allowed);
    assert!(r.ingress.passed_by.is_some());
    assert!(allowed(&m, "x/b", "x/a", 81));
}

#[test]
fn admin_priority_tie_is_flagged() {
    let anp = |name: &str, action: &str| {
        json!({"apiVersion": "policy.networking.k8s.io/v1alpha1",
        "kind": "AdminNetworkPolicy", "metadata": {"name": name},
        "spec": {"priority": 5, "subject": {"namespaces": {}}, "ingress": [{"action": action, "from": [{"namespaces": {}}]}]}})
    };
    let m = model(vec![anp("a-allow", "Allow"), anp("b-deny", "Deny")]);
    let r = reach(&m, "x/b", "x/a", 80, Protocol::Tcp);
    assert!(r.implementation_defined);
    assert!(r
        .implementation_defined_reasons
        .contains(&ImplementationDefined::AdminPriorityTie));
    assert!(m
        .warnings()
        .iter()
        .any(|w| w.code == WarningCode::DuplicatePriority));
}

#[test]
fn query_errors() {
    let m = model(vec![]);
    let e = m.can_reach(
        &Endpoint::parse("x/nope").expect("ep"),
        &Endpoint::parse("x/a").expect("ep"),
        80,
        Protocol::Tcp,
    );
    assert!(matches!(e, Err(NetpolError::PodNotFound { .. })));
    let e = m.can_reach(
        &Endpoint::parse("x/a").expect("ep"),
        &Endpoint::parse("x/b").expect("ep"),
        0,
        Protocol::Tcp,
    );
    assert!(matches!(e, Err(NetpolError::InvalidPort(0))));
}

#[test]
fn matrix_grid() {
    let m = model(vec![np(
        "x",
        "same-ns",
        json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]}),
    )]);
    let g = m
        .matrix(&NamespaceFilter::all(), 80, Protocol::Tcp)
        .expect("matrix");
    assert_eq!(g.pods, vec!["x/a", "x/b", "y/a"]);
    assert!(g.allowed[0][1] && g.allowed[1][0]);
    assert!(!g.allowed[2][0] && !g.allowed[2][1]);
    assert!(g.allowed[0][2] && g.allowed[2][2]);
    assert!(g.implementation_defined[0][0] && !g.implementation_defined[0][1]);
    let json = serde_json::to_value(&g).expect("json");
    assert_eq!(json["egressAllowed"][2][0], json!(true));
    let only_x = m
        .matrix(
            &NamespaceFilter::new(&["x"], &[]).expect("filter"),
            80,
            Protocol::Tcp,
        )
        .expect("matrix");
    assert_eq!(only_x.pods.len(), 2);
}

#[test]
fn reachability_json_shape() {
    let m = model(vec![np(
        "x",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}]}),
    )]);
    let v = serde_json::to_value(reach(&m, "y/a", "x/a", 80, Protocol::Tcp)).expect("json");
    assert_eq!(v["allowed"], json!(true));
    assert_eq!(v["implementationDefined"], json!(false));
    assert_eq!(v["ingress"]["decision"], json!("allowedByNetworkPolicy"));
    assert_eq!(
        v["ingress"]["rule"]["policy"],
        json!({"kind": "NetworkPolicy", "namespace": "x", "name": "p"})
    );
    assert_eq!(v["ingress"]["rule"]["ruleIndex"], json!(0));
    assert_eq!(v["egress"]["decision"], json!("notIsolated"));
}

#[test]
fn cluster_network_policy_tiers_and_egress_peers() {
    let cnp = |name: &str, tier: &str, prio: i64, egress: Value| {
        json!({"apiVersion": "policy.networking.k8s.io/v1alpha2",
        "kind": "ClusterNetworkPolicy", "metadata": {"name": name},
        "spec": {"tier": tier, "priority": prio, "subject": {"namespaces": {"matchLabels": {"team": "a"}}}, "egress": egress}})
    };
    let m = model(vec![
        cnp(
            "admin",
            "Admin",
            1,
            json!([
                {"name": "metadata", "action": "Deny", "to": [{"networks": ["169.254.169.254/32"]}]},
                {"name": "pods-pass", "action": "Pass", "to": [{"namespaces": {}}]},
                {"name": "dns", "action": "Accept", "to": [{"domainNames": ["*.example.com"]}]}
            ]),
        ),
        cnp(
            "baseline",
            "Baseline",
            1,
            json!([
                {"name": "deny-y", "action": "Deny", "to": [{"pods": {"namespaceSelector": {"matchLabels": {"team": "b"}}, "podSelector": {}}}],
                 "protocols": [{"tcp": {"destinationPort": {"range": {"start": 80, "end": 90}}}}]}
            ]),
        ),
    ]);
    let r = reach(&m, "x/a", "169.254.169.254", 80, Protocol::Tcp);
    assert!(!r.allowed);
    assert_eq!(r.egress.decision, Decision::AdminDeny);
    // Pass → no NetworkPolicy → baseline denies TCP 80-90 to team=b.
    let r = reach(&m, "x/a", "y/a", 85, Protocol::Tcp);
    assert!(!r.allowed);
    assert_eq!(r.egress.decision, Decision::BaselineDeny);
    assert!(r.egress.passed_by.is_some());
    assert!(allowed(&m, "x/a", "y/a", 91));
    assert!(allowed(&m, "x/a", "x/b", 85));
    // A domainNames rule cannot be evaluated offline: the answer is incomplete.
    let r = reach(&m, "x/a", "198.51.100.1", 443, Protocol::Tcp);
    assert!(r.allowed && !r.complete);
    assert!(r
        .notes
        .iter()
        .any(|n| matches!(n, Note::DomainNamesNotEvaluated { .. })));
    // Subjects outside team=a are untouched.
    assert!(allowed(&m, "y/a", "169.254.169.254", 80));
}

#[test]
fn admin_same_and_not_same_labels() {
    let anp = json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy",
    "metadata": {"name": "a"}, "spec": {"priority": 1, "subject": {"namespaces": {}},
    "ingress": [
        {"action": "Allow", "from": [{"namespaces": {"sameLabels": ["team"]}}]},
        {"action": "Deny", "from": [{"namespaces": {"notSameLabels": ["team"]}}]}
    ]}});
    let m = model(vec![anp]);
    assert!(allowed(&m, "x/b", "x/a", 80));
    let r = reach(&m, "y/a", "x/a", 80, Protocol::Tcp);
    assert!(!r.allowed);
    assert_eq!(r.ingress.rule.expect("rule").rule_index, 1);
    assert!(m
        .warnings()
        .iter()
        .any(|w| w.code == WarningCode::DeprecatedAdminPeer));
}

#[test]
fn admin_nodes_peer_uses_node_labels() {
    let objs = vec![
        ns("x", json!({})),
        pod("x", "a", json!({"app": "a"}), "10.0.1.1"),
        json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "cp", "labels": {"node-role.kubernetes.io/control-plane": ""}},
               "status": {"addresses": [{"type": "InternalIP", "address": "192.168.9.9"}]}}),
        json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy", "metadata": {"name": "no-cp"},
               "spec": {"priority": 3, "subject": {"namespaces": {}},
               "egress": [{"action": "Deny", "to": [{"nodes": {"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]}}]}]}}),
    ];
    let m =
        NetworkModel::from_objects(objs.into_iter().map(|o| (o, "t".to_string()))).expect("model");
    assert!(!allowed(&m, "x/a", "192.168.9.9", 6443));
    assert!(allowed(&m, "x/a", "192.168.9.10", 6443));
}
