//! Install manifests as they ship: bindings to Kubernetes' built-in roles
//! (`--bootstrap-policy`) and namespace-less objects.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{kubeaudit, stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/install")
        .join(name)
}

fn adapter() -> PathBuf {
    fixture("metrics-adapter.yaml")
}

const ADAPTER: &str = "system:serviceaccount:monitoring:prometheus-adapter";

/// Without the bootstrap policy a binding to `system:auth-delegator` grants nothing (the API
/// server's answer for these objects alone), and a note says how to add the built-in roles.
#[test]
fn bootstrap_roles_are_named_when_missing() {
    let a = kubeaudit()
        .args(["can-i", "create", "tokenreviews", "--as", ADAPTER, "-f"])
        .arg(adapter())
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(err.contains("--bootstrap-policy"), "{err}");
    assert!(
        err.contains("extension-apiserver-authentication-reader, system:auth-delegator"),
        "{err}"
    );
    // Inputs that define what they bind get no such note.
    let a = kubeaudit()
        .args(["can-i", "get", "pods", "--as", "x", "-f"])
        .arg(fixture("argocd-like.yaml"))
        .assert()
        .code(1);
    assert!(!stderr(&a).contains("--bootstrap-policy"), "{}", stderr(&a));
}

#[test]
fn bootstrap_policy_adds_the_built_in_roles_and_bindings() {
    let can_i = |args: &[&str], code: i32| {
        let a = kubeaudit()
            .arg("can-i")
            .args(args)
            .args(["--bootstrap-policy", "-f"])
            .arg(adapter())
            .assert()
            .code(code);
        stdout(&a)
    };
    can_i(&["create", "tokenreviews", "--as", ADAPTER], 0);
    can_i(
        &[
            "get",
            "configmaps/extension-apiserver-authentication",
            "-n",
            "kube-system",
            "--as",
            ADAPTER,
        ],
        0,
    );
    // The bootstrap `view` aggregates the install's metrics reader, as the controller would.
    let out = can_i(
        &[
            "list",
            "pods.metrics.k8s.io",
            "-n",
            "team-a",
            "--as",
            "alice",
            "--explain",
        ],
        0,
    );
    assert!(out.contains("ClusterRole/view"), "{out}");
    can_i(
        &[
            "list",
            "pods.metrics.k8s.io",
            "-n",
            "team-b",
            "--as",
            "alice",
        ],
        1,
    );
    // The built-in bindings count: every authenticated user may ask about itself.
    can_i(
        &[
            "create",
            "selfsubjectaccessreviews",
            "--as",
            "bob",
            "--as-group",
            "system:authenticated",
        ],
        0,
    );
    // The input's binding of the same name replaces the bootstrap one.
    let a = kubeaudit()
        .args([
            "who-can",
            "get",
            "/healthz",
            "-o",
            "json",
            "--bootstrap-policy",
            "-f",
        ])
        .arg(adapter())
        .assert()
        .code(0);
    let r: Value = serde_json::from_str(&stdout(&a)).expect("json");
    let names: Vec<&str> = r["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(names.contains(&"system:authenticated"), "{names:?}");
    assert!(!names.contains(&"system:unauthenticated"), "{names:?}");
}

#[test]
fn bootstrap_policy_is_for_manifests_only() {
    let a = kubeaudit()
        .args(["can-i", "get", "pods", "--bootstrap-policy"])
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .assert()
        .code(2);
    assert!(stderr(&a).contains("-f inputs"), "{}", stderr(&a));
}

/// One warning for all the namespace-less objects of an install, not one per object.
#[test]
fn namespace_less_objects_get_one_warning() {
    let a = kubeaudit()
        .args(["who-can", "get", "secrets", "-A", "-f"])
        .arg(fixture("argocd-like.yaml"))
        .assert()
        .code(0);
    let err = stderr(&a);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("no metadata.namespace"))
        .collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("more namespaced objects"), "{err}");
    let a = kubeaudit()
        .args(["default-deny", "-A", "-f"])
        .arg(fixture("netpol-no-namespace.yaml"))
        .assert();
    let err = stderr(&a);
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("no metadata.namespace"))
            .count(),
        1,
        "{err}"
    );
    assert!(err.contains("3 more"), "{err}");
    // Placed where asked: no warning, and the question about that namespace is answered.
    let a = kubeaudit()
        .args([
            "can-reach",
            "deploy/argocd-server",
            "deploy/argocd-redis",
            "--port",
            "6379",
        ])
        .args(["-n", "argocd", "--apply-namespace", "argocd", "-f"])
        .arg(fixture("netpol-no-namespace.yaml"))
        .assert()
        .code(0);
    assert!(
        !stderr(&a).contains("no metadata.namespace"),
        "{}",
        stderr(&a)
    );
    assert!(!stderr(&a).contains("no namespace given"), "{}", stderr(&a));
}
