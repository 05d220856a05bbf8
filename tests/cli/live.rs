//! Live clusters through the binary: a kubeconfig pointing at the loopback test API server
//! must give the same answers as `-f` on the same objects, and say so when data is missing.

use std::path::{Path, PathBuf};

use kubeaudit::model::{AccessModel, Inventory};
use kubeaudit::rbac::{Attributes, Explain, NonResourceAttributes, ResourceAttributes};
use kubeaudit::source::manifest;
use serde_json::Value;

use crate::support::apiserver::{ApiServer, ApiServerBuilder, AuthzAnswer, CaMode, KubeUser};
use crate::util::{examples, kubeaudit, stderr, stdout};

const TOKEN: &str = "token-of-the-auditor-0123456789";

/// The example cluster as a real API server stores it: aggregated ClusterRoles carry the
/// rules the aggregation controller computed.
fn stored_objects() -> Vec<Value> {
    let read = manifest::read_paths(&[examples()]).unwrap();
    let mut inv = Inventory::default();
    inv.add_objects(read.objects.clone()).unwrap();
    let model = AccessModel::build(&inv);
    read.objects
        .into_iter()
        .map(|(v, _)| {
            let mut v = v.into_value();
            if v["kind"] == "ClusterRole" && v.get("aggregationRule").is_some() {
                let name = v["metadata"]["name"].as_str().unwrap().to_string();
                let id = model.cluster_role(&name).unwrap();
                v["rules"] = serde_json::to_value(&model.roles[id].rules).unwrap();
            }
            v
        })
        .collect()
}

fn server(builder: ApiServerBuilder) -> (ApiServer, PathBuf) {
    let server = builder
        .objects(stored_objects())
        .token(TOKEN, "auditor", &["auditors"])
        .start();
    let kubeconfig = server.write_kubeconfig(&KubeUser::Token(TOKEN.into()), CaMode::Data);
    (server, kubeconfig)
}

/// The same question asked live (pages of 2) and from files; (stdout, exit code) each.
fn both(kubeconfig: &Path, args: &[&str]) -> ((String, i32), (String, i32)) {
    let live = kubeaudit()
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(["--chunk-size", "2"])
        .output()
        .unwrap();
    let files = kubeaudit()
        .args(args)
        .arg("-f")
        .arg(examples())
        .output()
        .unwrap();
    (
        (
            String::from_utf8_lossy(&live.stdout).into_owned(),
            live.status.code().unwrap_or(-1),
        ),
        (
            String::from_utf8_lossy(&files.stdout).into_owned(),
            files.status.code().unwrap_or(-1),
        ),
    )
}

const QUESTIONS: &[&[&str]] = &[
    &[
        "can-i", "create", "pods", "--as", "dev-user", "-n", "shop", "-o", "wide",
    ],
    &[
        "can-i", "create", "pods", "--as", "dev-user", "-n", "payments", "-o", "wide",
    ],
    &[
        "can-i", "create", "widgets", "--as", "erin", "-n", "payments", "-o", "json",
    ],
    &[
        "can-i",
        "get",
        "secrets",
        "--as",
        "system:serviceaccount:payments:ledger",
        "-n",
        "payments",
        "-o",
        "json",
    ],
    &[
        "can-i",
        "get",
        "configmaps/storefront-config",
        "--as",
        "system:serviceaccount:shop:storefront",
        "-n",
        "shop",
    ],
    &[
        "can-i",
        "delete",
        "nodes",
        "--as",
        "sam",
        "--as-group",
        "sre",
    ],
    &[
        "can-i",
        "get",
        "/metrics",
        "--as",
        "system:serviceaccount:monitoring:prometheus",
    ],
    &[
        "can-i",
        "bind",
        "clusterroles/edit",
        "--as",
        "system:serviceaccount:ci:deployer",
        "-n",
        "shop",
    ],
    &[
        "can-i",
        "escalate",
        "clusterroles",
        "--as",
        "carol",
        "-o",
        "wide",
    ],
    &[
        "can-i",
        "impersonate",
        "users/alice",
        "--as",
        "frank",
        "--as-group",
        "support",
    ],
];

#[test]
fn live_answers_equal_file_answers_with_pages_of_two() {
    let (server, kubeconfig) = server(ApiServerBuilder::new());
    for q in QUESTIONS {
        let (live, files) = both(&kubeconfig, q);
        assert_eq!(live, files, "{q:?}");
        assert!(live.1 == 0 || live.1 == 1, "{q:?}: {live:?}");
    }
    let lists: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.param("limit").is_some())
        .collect();
    assert!(
        lists
            .iter()
            .all(|r| r.param("limit").as_deref() == Some("2")),
        "pages of 2 were asked"
    );
    assert!(
        lists.iter().any(|r| r.param("continue").is_some()),
        "pagination was followed"
    );
    // Names and labels suffice for Namespaces (and Secrets are never read whole):
    // metadata-only lists. ServiceAccounts are read whole (lint reads automountServiceAccountToken).
    let accept = |r: &crate::support::apiserver::RecordedRequest| {
        r.headers
            .iter()
            .find(|(k, _)| k == "accept")
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    for r in &lists {
        let partial = accept(r).contains("as=PartialObjectMetadataList");
        let wants_partial = r.path.ends_with("/secrets") || r.path.ends_with("/namespaces");
        assert_eq!(partial, wants_partial, "{} {}", r.path, accept(r));
    }
}

#[test]
fn live_review_equals_file_review() {
    let (_server, kubeconfig) = server(ApiServerBuilder::new().short_pages(true));
    let reviews = r#"{"apiVersion":"v1","kind":"List","items":[
      {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"dev-user","groups":["system:authenticated"],"resourceAttributes":{"namespace":"shop","verb":"create","resource":"pods"}}},
      {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"erin","resourceAttributes":{"namespace":"payments","verb":"create","resource":"rolebindings","group":"rbac.authorization.k8s.io"}}},
      {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"x","groups":["system:authenticated"],"nonResourceAttributes":{"path":"/metrics","verb":"get"}}}]}"#;
    let live = kubeaudit()
        .args(["review", "-o", "json", "--chunk-size", "2", "--kubeconfig"])
        .arg(&kubeconfig)
        .write_stdin(reviews)
        .output()
        .unwrap();
    let files = kubeaudit()
        .args(["review", "-o", "json", "-f"])
        .arg(examples())
        .write_stdin(reviews)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&live.stdout),
        String::from_utf8_lossy(&files.stdout)
    );
    assert_eq!(live.status.code(), files.status.code());
    assert_eq!(live.status.code(), Some(1));
}

#[test]
fn forbidden_clusterroles_make_a_no_uncertain_but_keep_a_certain_yes() {
    let (_server, kubeconfig) =
        server(ApiServerBuilder::new().forbid("rbac.authorization.k8s.io", "clusterroles"));
    // dev-user's grants in shop come through ClusterRole edit, which cannot be read: cannot tell.
    let a = kubeaudit()
        .args([
            "can-i",
            "create",
            "pods",
            "--as",
            "dev-user",
            "-n",
            "shop",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .code(2);
    let err = stderr(&a);
    assert_eq!(
        stdout(&a),
        "",
        "an uncertain no is not printed as an answer"
    );
    assert!(err.contains("ClusterRole"), "{err}");
    assert!(
        err.contains("clusterroles.rbac.authorization.k8s.io is forbidden"),
        "{err}"
    );
    assert!(err.contains("cannot tell"), "{err}");
    // JSON says so too.
    let a = kubeaudit()
        .args([
            "can-i",
            "create",
            "pods",
            "--as",
            "dev-user",
            "-n",
            "shop",
            "-o",
            "json",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .code(2);
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v["complete"], false);
    assert_eq!(v["missing"][0]["kind"], "ClusterRole");
    // --allow-incomplete turns it into a warned no.
    kubeaudit()
        .args([
            "can-i",
            "create",
            "pods",
            "--as",
            "dev-user",
            "-n",
            "shop",
            "--allow-incomplete",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .code(1);
    // A yes through a Role is certain even without the ClusterRoles.
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "configmaps/storefront-config",
            "--as",
            "system:serviceaccount:shop:storefront",
            "-n",
            "shop",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .code(0);
    assert_eq!(stdout(&a), "yes\n");
    assert!(stderr(&a).contains("certain anyway"), "{}", stderr(&a));
}

#[test]
fn live_review_with_missing_data_marks_denials_and_exits_2() {
    let (_server, kubeconfig) =
        server(ApiServerBuilder::new().forbid("rbac.authorization.k8s.io", "clusterroles"));
    let reviews = r#"{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"dev-user","resourceAttributes":{"namespace":"shop","verb":"create","resource":"pods"}}}"#;
    let a = kubeaudit()
        .args(["review", "-o", "json", "--kubeconfig"])
        .arg(&kubeconfig)
        .write_stdin(reviews)
        .assert()
        .code(2);
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let status = &v["items"][0]["status"];
    assert_eq!(status["allowed"], false);
    assert!(
        status["evaluationError"]
            .as_str()
            .unwrap()
            .contains("could not be read"),
        "{status}"
    );
}

#[test]
fn snapshot_round_trips() {
    let (_server, kubeconfig) = server(ApiServerBuilder::new());
    let dir = tempfile::tempdir().unwrap();
    for name in ["snap.json", "snap.yaml"] {
        let file = dir.path().join(name);
        kubeaudit()
            .args(["snapshot", "--chunk-size", "3", "-o"])
            .arg(&file)
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .assert()
            .code(0);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("kubeauditSnapshot"), "{name}");
        for q in QUESTIONS {
            let live = kubeaudit()
                .args(*q)
                .arg("--kubeconfig")
                .arg(&kubeconfig)
                .output()
                .unwrap();
            let snap = kubeaudit().args(*q).arg("-f").arg(&file).output().unwrap();
            assert_eq!(
                String::from_utf8_lossy(&live.stdout),
                String::from_utf8_lossy(&snap.stdout),
                "{name} {q:?}"
            );
            assert_eq!(live.status.code(), snap.status.code(), "{name} {q:?}");
        }
    }
    // No temporary files are left beside the snapshot.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn incomplete_snapshot_records_what_is_missing_and_answers_the_same() {
    let (_server, kubeconfig) =
        server(ApiServerBuilder::new().forbid("rbac.authorization.k8s.io", "clusterroles"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("snap.json");
    let a = kubeaudit()
        .args(["snapshot", "-o"])
        .arg(&file)
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .assert()
        .code(2);
    assert!(stderr(&a).contains("incomplete"), "{}", stderr(&a));
    let a = kubeaudit()
        .args([
            "can-i", "create", "pods", "--as", "dev-user", "-n", "shop", "-f",
        ])
        .arg(&file)
        .assert()
        .code(2);
    assert!(stderr(&a).contains("forbidden"), "{}", stderr(&a));
}

#[test]
fn can_i_without_as_asks_the_server_who_i_am() {
    let (_server, kubeconfig) = server(ApiServerBuilder::new());
    // auditor is in no binding; system:authenticated (added by the server) gets discovery and secrets.
    let a = kubeaudit()
        .args([
            "can-i",
            "list",
            "secrets",
            "-n",
            "payments",
            "-o",
            "json",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v["subject"]["name"], "auditor");
    assert!(v["subject"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g == "system:authenticated"));
    kubeaudit()
        .args(["can-i", "delete", "nodes", "--kubeconfig"])
        .arg(&kubeconfig)
        .assert()
        .code(1);
}

fn attrs_of(spec: &Value) -> Attributes {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if let Some(n) = spec.get("nonResourceAttributes").filter(|v| !v.is_null()) {
        return Attributes::NonResource(NonResourceAttributes {
            verb: s(n, "verb"),
            path: s(n, "path"),
        });
    }
    let r = &spec["resourceAttributes"];
    Attributes::Resource(ResourceAttributes {
        verb: s(r, "verb"),
        group: s(r, "group"),
        resource: s(r, "resource"),
        subresource: s(r, "subresource"),
        name: s(r, "name"),
        namespace: s(r, "namespace"),
    })
}

#[test]
fn verify_reports_agreement_and_explains_a_disagreement() {
    // The server's authorizer is kubeaudit's RBAC evaluation plus a Node-like allowance for one user.
    let mut inv = Inventory::default();
    inv.add_objects(manifest::read_paths(&[examples()]).unwrap().objects)
        .unwrap();
    let model = AccessModel::build(&inv);
    let (_server, kubeconfig) = server(ApiServerBuilder::new().authorizer(move |user, spec| {
        if user.name == "system:node:node-a" {
            return AuthzAnswer::from((true, ""));
        }
        let d = model.authorize(user, &attrs_of(spec), Explain::default());
        AuthzAnswer::from((d.allowed, d.reason()))
    }));
    let a = kubeaudit()
        .args([
            "can-i",
            "create",
            "pods",
            "--as",
            "dev-user",
            "-n",
            "shop",
            "--verify",
            "-o",
            "json",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v["verification"]["agrees"], true);
    assert_eq!(v["verification"]["review"], "SubjectAccessReview");
    let a = kubeaudit()
        .args([
            "can-i",
            "delete",
            "nodes/node-a",
            "--as",
            "system:node:node-a",
            "--as-group",
            "system:nodes",
            "--verify",
            "-o",
            "wide",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.contains("DISAGREES"), "{out}");
    assert!(stderr(&a).contains("another authorizer"), "{}", stderr(&a));
    // Self review without --as.
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "/healthz",
            "--verify",
            "-o",
            "json",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v["verification"]["review"], "SelfSubjectAccessReview");
    assert_eq!(v["verification"]["agrees"], true);
    // --verify needs a cluster.
    kubeaudit()
        .args(["can-i", "get", "pods", "--as", "x", "--verify", "-f"])
        .arg(examples())
        .assert()
        .code(2);
}

#[test]
fn contexts_flags_risky_credentials_without_printing_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("config");
    let secret_token = "sekrit-token-value-42";
    let password = "hunter2-password";
    std::fs::write(
        &kc,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: risky\nclusters:\n- name: insecure\n  cluster:\n    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true\n- name: plain\n  cluster:\n    server: http://10.0.0.2:8080\nusers:\n- name: tok\n  user:\n    token: {secret_token}\n- name: basic\n  user:\n    username: admin\n    password: {password}\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: no-such-credential-helper-xyz\n      interactiveMode: Never\ncontexts:\n- name: risky\n  context: {{cluster: insecure, user: tok}}\n- name: cleartext\n  context: {{cluster: plain, user: basic, namespace: team}}\n- name: exec\n  context: {{cluster: insecure, user: plugin}}\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&kc, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    for format in ["json", "yaml", "table", "wide"] {
        let a = kubeaudit()
            .args(["contexts", "-o", format, "--kubeconfig"])
            .arg(&kc)
            .assert()
            .code(1);
        let (out, err) = (stdout(&a), stderr(&a));
        for id in [
            "insecure-skip-tls-verify",
            "plain-http-server",
            "embedded-token",
            "embedded-password",
            "exec-command-not-found",
        ] {
            if format != "wide" {
                assert!(out.contains(id), "{format}: {id} missing in {out}");
            }
        }
        #[cfg(unix)]
        if format != "wide" {
            assert!(
                out.contains("kubeconfig-file-permissions"),
                "{format}: {out}"
            );
        }
        assert!(
            !out.contains(secret_token) && !err.contains(secret_token),
            "{format}: token leaked"
        );
        assert!(
            !out.contains(password) && !err.contains(password),
            "{format}: password leaked"
        );
    }
}

#[test]
fn network_commands_answer_the_same_live_and_from_files() {
    let (server, kubeconfig) = server(ApiServerBuilder::new());
    let questions: &[&[&str]] = &[
        &["default-deny", "-A", "-o", "json"],
        &["default-deny", "-n", "shop", "-o", "wide"],
        &[
            "can-reach",
            "shop/storefront-7d4b9",
            "shop/cart-5f6c8",
            "--port",
            "9000",
            "-o",
            "json",
        ],
        &[
            "can-reach",
            "payments/payments-api-6b7d",
            "shop/cart-5f6c8",
            "--port",
            "9000",
        ],
        &["netpol-matrix", "-A", "--port", "8080"],
    ];
    for q in questions {
        let (live, files) = both(&kubeconfig, q);
        assert_eq!(live, files, "{q:?}");
    }
    // Only the kinds NetworkPolicy questions need are listed.
    let listed: std::collections::BTreeSet<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.param("limit").is_some())
        .map(|r| r.path.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        listed,
        [
            "adminnetworkpolicies",
            "baselineadminnetworkpolicies",
            "clusternetworkpolicies",
            "namespaces",
            "networkpolicies",
            "nodes",
            "pods"
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    );
}

#[test]
fn listing_commands_answer_the_same_live_and_from_files() {
    let (_server, kubeconfig) = server(ApiServerBuilder::new().short_pages(true));
    let questions: &[&[&str]] = &[
        &["who-can", "delete", "nodes", "-o", "wide"],
        &["who-can", "get", "secrets", "-n", "payments", "-o", "json"],
        &[
            "who-can",
            "create",
            "pods",
            "-A",
            "--expand-groups",
            "-o",
            "json",
        ],
        &["who-can", "get", "/healthz"],
        &["who-can", "impersonate", "users/alice"],
        &[
            "can-i", "--list", "--as", "dev-user", "-n", "shop", "-o", "wide",
        ],
        &[
            "access-matrix",
            "--as",
            "system:serviceaccount:ci:deployer",
            "-n",
            "shop",
            "-o",
            "json",
        ],
    ];
    for q in questions {
        let (live, files) = both(&kubeconfig, q);
        assert_eq!(live, files, "{q:?}");
        assert_eq!(live.1, 0, "{q:?}");
    }
}

#[test]
fn an_unreachable_cluster_is_an_error_not_a_no() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("config");
    std::fs::write(
        &kc,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n",
    )
    .unwrap();
    for args in [
        &["can-i", "get", "pods", "--as", "x"][..],
        &["who-can", "get", "pods"],
        &["default-deny", "-A"],
    ] {
        let a = kubeaudit()
            .args(args)
            .arg("--kubeconfig")
            .arg(&kc)
            .args(["--request-timeout", "2s"])
            .assert()
            .code(2);
        assert_eq!(stdout(&a), "", "{args:?}");
        assert!(
            stderr(&a).contains("could not read anything from the cluster at https://127.0.0.1:1"),
            "{args:?}: {}",
            stderr(&a)
        );
    }
    let out = dir.path().join("snap.json");
    kubeaudit()
        .args(["snapshot", "-o"])
        .arg(&out)
        .arg("--kubeconfig")
        .arg(&kc)
        .args(["--request-timeout", "2s"])
        .assert()
        .code(2);
    assert!(
        !out.exists(),
        "no snapshot is written when nothing could be read"
    );
}

#[test]
fn admin_network_policies_are_read_live_where_the_cluster_serves_them() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(examples()).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let anp = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: adminnetworkpolicies.policy.networking.k8s.io}
spec:
  group: policy.networking.k8s.io
  scope: Cluster
  names: {plural: adminnetworkpolicies, singular: adminnetworkpolicy, kind: AdminNetworkPolicy, shortNames: [anp]}
  versions:
  - {name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: quarantine-cart}
spec:
  priority: 10
  subject:
    pods:
      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
      podSelector: {matchLabels: {app: cart}}
  ingress:
  - {name: deny-everything, action: Deny, from: [{namespaces: {}}]}
"#;
    std::fs::write(dir.path().join("70-anp.yaml"), anp).unwrap();
    let mut objects = stored_objects();
    objects.extend(
        manifest::read_paths(&[dir.path().join("70-anp.yaml")])
            .unwrap()
            .objects
            .into_iter()
            .map(|(v, _)| v.into_value()),
    );
    let server = ApiServerBuilder::new()
        .objects(objects)
        .token(TOKEN, "auditor", &["auditors"])
        .start();
    let kubeconfig = server.write_kubeconfig(&KubeUser::Token(TOKEN.into()), CaMode::Data);
    let q = [
        "can-reach",
        "shop/storefront-7d4b9",
        "shop/cart-5f6c8",
        "--port",
        "9000",
        "-o",
        "wide",
    ];
    let live = kubeaudit()
        .args(q)
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .output()
        .unwrap();
    let files = kubeaudit()
        .args(q)
        .arg("-f")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&live.stdout),
        String::from_utf8_lossy(&files.stdout)
    );
    assert_eq!(
        live.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    assert!(String::from_utf8_lossy(&live.stdout).contains("AdminNetworkPolicy quarantine-cart"));
}

/// `lint` live (pages of 2) finds exactly what `lint -f` finds on the same objects: the same
/// fingerprints (rule, object, subject, key; never a place).
#[test]
fn live_lint_equals_file_lint() {
    let (_server, kubeconfig) = server(ApiServerBuilder::new());
    let fingerprints = |out: &str| -> std::collections::BTreeSet<(String, String)> {
        let r: Value = serde_json::from_str(out).unwrap();
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["fingerprint"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let ((live, live_code), (files, files_code)) = both(&kubeconfig, &["lint", "-o", "json"]);
    assert_eq!((live_code, files_code), (1, 1));
    let (l, f) = (fingerprints(&live), fingerprints(&files));
    assert!(l.len() > 20);
    assert_eq!(l, f, "live and file lint differ");
}
