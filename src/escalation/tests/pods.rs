//! Hops into pods keep only the pod when the grant is the same for every pod of a scope: what a
//! path shows must still be the evaluator's answer for that very pod — its request, its first
//! grant (a rule listing the pod's name may come first), what it assumes.

use super::*;

const PODS: &str = r#"---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: shop}
spec: {serviceAccountName: web, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-0, namespace: shop}
spec: {serviceAccountName: api, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: ci}
spec: {serviceAccountName: builder, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: build-0, namespace: ci}
spec: {serviceAccountName: runner, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: mine-0, namespace: attacker}
spec: {serviceAccountName: me, containers: [{name: c, image: i}]}
"#;

/// A Role `exec` in shop (any pod) bound to `attacker/me`.
const SHOP_EXEC: &str = r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: exec, namespace: shop}
rules: [{apiGroups: [""], resources: [pods/exec], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: exec, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}
subjects: [{kind: ServiceAccount, name: me, namespace: attacker}]
"#;

/// A hop into a pod as shown: (principal reached, request, grant, objects, assumes).
type Shown = (String, String, String, Vec<String>, Option<String>);

/// Each ServiceAccount reached from `attacker/me` by a hop into a pod, sorted.
fn pod_hops(yaml: &str) -> Vec<Shown> {
    shown(yaml, Primitive::Exec)
}

/// Each principal reached from `attacker/me` by a hop of this primitive, sorted.
fn shown(yaml: &str, primitive: Primitive) -> Vec<Shown> {
    let f = fixture(yaml);
    let e = Escalation::new(&f.model, &f.world);
    let c = e.closure(&[sa("attacker", "me")], 10_000);
    let mut out = Vec::new();
    for (i, p) in c.principals.iter().enumerate() {
        let Some(h) = c.reached_by[i].map(|h| &c.hops[h]) else {
            continue;
        };
        if h.primitive == primitive {
            let g = &h.grants[0];
            out.push((
                p.display(),
                g.request.clone(),
                g.by.clone(),
                h.objects.clone(),
                h.assumes.clone(),
            ));
        }
    }
    out.sort();
    out
}

fn row(who: &str, request: &str, by: &str, object: &str) -> Shown {
    (
        who.into(),
        request.into(),
        by.into(),
        vec![object.into()],
        None,
    )
}

#[test]
fn a_rule_listing_a_pod_comes_first_for_that_pod_only() {
    // Rule 0 lists web-0 (in any namespace); rule 1 allows every pod.
    let rules = r#"- {apiGroups: [""], resources: [pods/exec], resourceNames: [web-0], verbs: [create]}
- {apiGroups: [""], resources: [pods/exec], verbs: [create]}"#;
    let crb = "ClusterRoleBinding/attacker → ClusterRole/attacker-role";
    assert_eq!(
        pod_hops(&attacker(rules, "crb", PODS)),
        vec![
            row(
                "ServiceAccount ci/builder",
                "create pods/exec web-0 -n ci",
                &format!("{crb}, rule 0"),
                "Pod/web-0"
            ),
            row(
                "ServiceAccount ci/runner",
                "create pods/exec build-0 -n ci",
                &format!("{crb}, rule 1"),
                "Pod/build-0"
            ),
            row(
                "ServiceAccount shop/api",
                "create pods/exec api-0 -n shop",
                &format!("{crb}, rule 1"),
                "Pod/api-0"
            ),
            row(
                "ServiceAccount shop/web",
                "create pods/exec web-0 -n shop",
                &format!("{crb}, rule 0"),
                "Pod/web-0"
            ),
        ]
    );
}

#[test]
fn own_namespaces_and_every_other_one_are_answered_apart() {
    // Cluster-wide: web-0 only. In shop, a Role allows every pod.
    let rules =
        r#"- {apiGroups: [""], resources: [pods/exec], resourceNames: [web-0], verbs: [create]}"#;
    let crb = "ClusterRoleBinding/attacker → ClusterRole/attacker-role, rule 0";
    assert_eq!(
        pod_hops(&attacker(rules, "crb", &format!("{PODS}{SHOP_EXEC}"))),
        vec![
            // Elsewhere the listed name only; build-0 is not reached.
            row(
                "ServiceAccount ci/builder",
                "create pods/exec web-0 -n ci",
                crb,
                "Pod/web-0"
            ),
            // In shop the ClusterRoleBinding still comes first for web-0.
            row(
                "ServiceAccount shop/api",
                "create pods/exec api-0 -n shop",
                "RoleBinding/shop/exec → Role/shop/exec, rule 0",
                "Pod/api-0"
            ),
            row(
                "ServiceAccount shop/web",
                "create pods/exec web-0 -n shop",
                crb,
                "Pod/web-0"
            ),
        ]
    );
}

#[test]
fn a_template_pod_is_asked_about_alone_when_a_rule_lists_the_empty_name() {
    // A workload template's pods have no name yet: asked as the empty name, which a (hostile)
    // rule may list. A running pod of the namespace gets the other rule.
    let template = r#"---
apiVersion: v1
kind: Pod
metadata: {name: build-0, namespace: ci}
spec: {serviceAccountName: runner, containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tmpl, namespace: ci}
spec:
  selector: {matchLabels: {app: t}}
  template:
    metadata: {labels: {app: t}}
    spec: {serviceAccountName: builder, containers: [{name: c, image: i}]}
"#;
    let rules = r#"- {apiGroups: [""], resources: [pods/exec], resourceNames: [""], verbs: [create]}
- {apiGroups: [""], resources: [pods/exec], verbs: [create]}"#;
    let hops = pod_hops(&attacker(rules, "crb", template));
    assert_eq!(hops.len(), 2, "{hops:?}");
    assert_eq!(
        hops[1],
        row(
            "ServiceAccount ci/runner",
            "create pods/exec build-0 -n ci",
            "ClusterRoleBinding/attacker → ClusterRole/attacker-role, rule 1",
            "Pod/build-0"
        )
    );
    let (who, request, by, objects, assumes) = &hops[0];
    assert_eq!(who, "ServiceAccount ci/builder");
    assert_eq!(request, "create pods/exec -n ci");
    assert_eq!(
        by,
        "ClusterRoleBinding/attacker → ClusterRole/attacker-role, rule 0"
    );
    assert_eq!(objects, &vec!["Deployment/tmpl".to_string()]);
    assert!(assumes.is_some());
}

#[test]
fn its_own_pod_is_no_hop() {
    let rules = r#"- {apiGroups: [""], resources: [pods/exec], verbs: [create]}"#;
    let f = fixture(&attacker(rules, "crb", PODS));
    let e = Escalation::new(&f.model, &f.world);
    let g = e.graph(&[sa("attacker", "me")], 10_000, false);
    let me = g.node(&sa("attacker", "me")).unwrap();
    assert!(g.edges(me).iter().all(|edge| edge.to != me));
    // The other four ServiceAccounts are each one hop away.
    let c = e.closure(&[sa("attacker", "me")], 10_000);
    assert_eq!(
        pod_hops(&attacker(rules, "crb", PODS)).len(),
        4,
        "{:?}",
        c.principals
    );
}

#[test]
fn a_workload_template_patched_shows_its_own_request_and_first_grant() {
    let workloads = r#"---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {serviceAccountName: web, containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: build, namespace: ci}
spec:
  selector: {matchLabels: {app: build}}
  template:
    metadata: {labels: {app: build}}
    spec: {serviceAccountName: builder, containers: [{name: c, image: i}]}
"#;
    // Rule 0 lists the Deployment web; rule 1 updates every Deployment.
    let rules = r#"- {apiGroups: [apps], resources: [deployments], resourceNames: [web], verbs: [patch]}
- {apiGroups: [apps], resources: [deployments], verbs: [update]}"#;
    let crb = "ClusterRoleBinding/attacker → ClusterRole/attacker-role";
    let hops = shown(&attacker(rules, "crb", workloads), Primitive::PatchWorkload);
    let row = |who: &str, request: &str, rule: usize, object: &str| {
        (
            who.to_string(),
            request.to_string(),
            format!("{crb}, rule {rule}"),
            vec![object.to_string()],
            None,
        )
    };
    // Any ServiceAccount of the namespace (its `default` too), each by the namespace's
    // Deployment and that Deployment's own first grant.
    let build = ("update deployments.apps build -n ci", 1, "Deployment/build");
    let web = ("patch deployments.apps web -n shop", 0, "Deployment/web");
    let expected: Vec<Shown> = [
        ("ServiceAccount ci/builder", build),
        ("ServiceAccount ci/default", build),
        ("ServiceAccount shop/default", web),
        ("ServiceAccount shop/web", web),
    ]
    .into_iter()
    .map(|(who, (request, rule, object))| row(who, request, rule, object))
    .collect();
    assert_eq!(hops, expected);
}
