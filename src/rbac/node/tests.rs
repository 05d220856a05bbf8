use super::*;
use serde_json::json;

fn raw(value: Value) -> RawObject {
    RawObject {
        api_version: value["apiVersion"].as_str().unwrap_or("").into(),
        kind: value["kind"].as_str().unwrap_or("").into(),
        value: value.into(),
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
                    out.insert((g.to_string(), res.to_string(), v.to_string()));
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
        serde_json::from_str(include_str!("../../model/bootstrap_policy_v1_35.json")).unwrap();
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
