//! The authorizer chain on the command line: --authorization-mode, ABAC policy files, the
//! Node authorizer, webhooks (the loopback webhook of the tests) and --authorization-config.

use std::path::PathBuf;

use crate::util::{kubeaudit, stderr, stdout};
use crate::webhook;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/authorizers")
        .join(name)
}

#[test]
fn the_node_authorizer_names_the_pod_that_makes_it_so() {
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "secrets/db",
            "-n",
            "shop",
            "--as",
            "system:node:node-1",
        ])
        .args([
            "--as-group",
            "system:nodes",
            "--authorization-mode",
            "Node,RBAC",
            "--explain",
            "-f",
        ])
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(0);
    assert!(
        stdout(&a)
            .contains("decided by Node: pod shop/web on node node-1 references secret shop/db"),
        "{}",
        stdout(&a)
    );
    // Another node has no pod that uses the Secret; RBAC grants nodes nothing.
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "secrets/db",
            "-n",
            "shop",
            "--as",
            "system:node:node-2",
        ])
        .args([
            "--as-group",
            "system:nodes",
            "--authorization-mode",
            "Node,RBAC",
            "-f",
        ])
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(1);
    assert!(stdout(&a).starts_with("no"), "{}", stdout(&a));
    // Without Node in the chain, RBAC alone decides (as in a cluster without it).
    kubeaudit()
        .args([
            "can-i",
            "get",
            "secrets/db",
            "-n",
            "shop",
            "--as",
            "system:node:node-1",
        ])
        .args(["--as-group", "system:nodes", "-f"])
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(1);
}

#[test]
fn who_can_lists_nodes_and_abac_subjects_beside_rbac() {
    let a = kubeaudit()
        .args(["who-can", "get", "secrets/db", "-n", "shop"])
        .args([
            "--authorization-mode",
            "Node,ABAC,RBAC",
            "--authorization-policy-file",
        ])
        .arg(fixture("policy.jsonl"))
        .arg("-f")
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(
        out.contains("system:node:node-1") && !out.contains("system:node:node-2"),
        "{out}"
    );
    assert!(out.contains("alice") && out.contains("line 1 of"), "{out}");
    assert!(
        out.contains("auditors") && out.contains("line 2 of"),
        "{out}"
    );
    // Read-only ABAC lines do not allow writes.
    let a = kubeaudit()
        .args(["who-can", "delete", "secrets/db", "-n", "shop"])
        .args([
            "--authorization-mode",
            "ABAC,RBAC",
            "--authorization-policy-file",
        ])
        .arg(fixture("policy.jsonl"))
        .arg("-f")
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(0);
    assert!(stdout(&a).contains("alice") && !stdout(&a).contains("auditors"));
}

#[test]
fn abac_decides_before_rbac_with_its_line() {
    let a = kubeaudit()
        .args([
            "can-i",
            "delete",
            "pods",
            "-n",
            "shop",
            "--as",
            "alice",
            "--explain",
        ])
        .args([
            "--authorization-mode",
            "ABAC,RBAC",
            "--authorization-policy-file",
        ])
        .arg(fixture("policy.jsonl"))
        .arg("-f")
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(0);
    assert!(
        stdout(&a).contains("decided by ABAC: line 1 of the policy file"),
        "{}",
        stdout(&a)
    );
    kubeaudit()
        .args(["can-i", "delete", "pods", "-n", "other", "--as", "alice"])
        .args([
            "--authorization-mode",
            "ABAC,RBAC",
            "--authorization-policy-file",
        ])
        .arg(fixture("policy.jsonl"))
        .arg("-f")
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(1);
}

#[test]
fn bad_chain_settings_are_clear_errors() {
    let run = |args: &[&str]| {
        let a = kubeaudit()
            .args(["can-i", "get", "pods", "-n", "shop", "--as", "alice"])
            .args(args)
            .arg("-f")
            .arg(fixture("nodes.yaml"))
            .assert()
            .code(2);
        stderr(&a)
    };
    assert!(
        run(&["--authorization-mode", "Node,Rbac"]).contains("unknown authorization mode \"Rbac\"")
    );
    assert!(run(&["--authorization-mode", "RBAC,RBAC"]).contains("more than once"));
    assert!(run(&["--authorization-mode", "ABAC,RBAC"]).contains("--authorization-policy-file"));
    let bad = fixture("bad-policy.jsonl");
    let e = run(&[
        "--authorization-mode",
        "ABAC,RBAC",
        "--authorization-policy-file",
        bad.to_str().unwrap(),
    ]);
    assert!(e.contains("bad-policy.jsonl: line 2"), "{e}");
    let e = run(&[
        "--authorization-mode",
        "ABAC",
        "--authorization-policy-file",
        "/dev/zero",
    ]);
    assert!(e.contains("not a regular file"), "{e}");
    // A webhook that is not configured: the answer depends on it.
    let e = run(&["--authorization-mode", "Webhook,RBAC"]);
    assert!(e.contains("cannot tell") && e.contains("Webhook"), "{e}");
}

#[test]
fn a_structured_authorization_config_is_read() {
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "secrets/db",
            "-n",
            "shop",
            "--as",
            "system:node:node-1",
        ])
        .args(["--as-group", "system:nodes", "--authorization-config"])
        .arg(fixture("authorization-config.yaml"))
        .arg("-f")
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(0);
    assert_eq!(stdout(&a).trim(), "yes");
}

#[test]
fn the_webhook_is_asked_when_the_chain_reaches_it() {
    let dir = tempfile::tempdir().unwrap();
    let hook = webhook::start(dir.path());
    let ask = |user: &str, code: i32| {
        let a = kubeaudit()
            .args([
                "can-i",
                "get",
                "pods",
                "-n",
                "shop",
                "--as",
                user,
                "--explain",
                "--bootstrap-policy",
            ])
            .args([
                "--authorization-mode",
                "Webhook,RBAC",
                "--authorization-webhook-config-file",
            ])
            .arg(&hook.config)
            .arg("-f")
            .arg(fixture("nodes.yaml"))
            .assert()
            .code(code);
        stdout(&a)
    };
    assert!(ask("webhook-allow-ann", 0).contains("decided by Webhook: loopback webhook allows"));
    // An explicit Deny ends the chain before RBAC, which would allow dev.
    assert!(ask("webhook-deny-dev", 1).contains("decided by Webhook: loopback webhook denies"));
    ask("dev", 0);
    // An unreachable webhook has no opinion (with a warning); RBAC decides.
    let dead = dir.path().join("dead.kubeconfig");
    std::fs::write(
        &dead,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: w\n  cluster:\n    server: http://127.0.0.1:9/authorize\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: w\n  context: {cluster: w, user: u}\ncurrent-context: w\n",
    )
    .unwrap();
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "pods",
            "-n",
            "shop",
            "--as",
            "dev",
            "--bootstrap-policy",
        ])
        .args([
            "--authorization-mode",
            "Webhook,RBAC",
            "--authorization-webhook-config-file",
        ])
        .arg(&dead)
        .arg("-f")
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(0);
    assert!(stderr(&a).contains("could not answer"), "{}", stderr(&a));
    // who-can cannot list what a webhook allows.
    let a = kubeaudit()
        .args(["who-can", "get", "pods", "-n", "shop"])
        .args([
            "--authorization-mode",
            "Webhook,RBAC",
            "--authorization-webhook-config-file",
        ])
        .arg(&hook.config)
        .arg("-f")
        .arg(fixture("nodes.yaml"))
        .assert()
        .code(2);
    assert!(stderr(&a).contains("cannot be listed"), "{}", stderr(&a));
}
