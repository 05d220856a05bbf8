//! `kubeaudit access-matrix`: the grid, its scope rules, JSON, colour.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{examples, kubeaudit, stdout};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/who-can-cases.yaml")
}

fn matrix(file: &PathBuf, args: &[&str]) -> Value {
    let a = kubeaudit()
        .arg("access-matrix")
        .args(args)
        .args(["-o", "json", "-f"])
        .arg(file)
        .assert()
        .code(0);
    serde_json::from_str(&stdout(&a)).expect("json")
}

fn cell<'a>(m: &'a Value, resource: &str, group: &str, verb: &str) -> &'a str {
    m["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["resource"] == resource && r["group"] == group)
        .and_then(|r| r["access"][verb].as_str())
        .unwrap_or_else(|| panic!("no cell {resource}.{group} {verb}"))
}

#[test]
fn dev_user_in_shop_and_payments() {
    let m = matrix(&examples(), &["--as", "dev-user", "-n", "shop"]);
    assert_eq!(m["namespace"], "shop");
    assert_eq!(cell(&m, "pods", "", "create"), "allowed");
    assert_eq!(cell(&m, "deployments", "apps", "delete"), "allowed");
    assert_eq!(cell(&m, "nodes", "", "get"), "denied");
    assert_eq!(cell(&m, "bindings", "", "get"), "notApplicable");
    // The CRD of the example cluster is a row too.
    assert_eq!(cell(&m, "widgets", "shop.example.com", "create"), "allowed");
    let m = matrix(&examples(), &["--as", "dev-user", "-n", "payments"]);
    assert_eq!(cell(&m, "pods", "", "get"), "allowed");
    assert_eq!(cell(&m, "pods", "", "create"), "denied");
}

#[test]
fn role_binding_grants_never_reach_cluster_scoped_resources() {
    let m = matrix(&fixture(), &["--as", "bob", "-n", "default"]);
    assert_eq!(cell(&m, "pods", "", "delete"), "allowed");
    assert_eq!(cell(&m, "nodes", "", "delete"), "denied");
    assert_eq!(
        cell(&m, "clusterroles", "rbac.authorization.k8s.io", "get"),
        "denied"
    );
    // -A: only cluster-wide grants count.
    let m = matrix(&fixture(), &["--as", "bob", "-A"]);
    assert_eq!(m["namespace"], Value::Null);
    assert_eq!(cell(&m, "pods", "", "delete"), "denied");
}

#[test]
fn custom_verbs_and_resource_names() {
    let m = matrix(
        &fixture(),
        &["--as", "eve", "-n", "ns1", "--verbs", "get,bind,escalate"],
    );
    assert_eq!(m["verbs"], serde_json::json!(["get", "bind", "escalate"]));
    assert_eq!(
        cell(&m, "roles", "rbac.authorization.k8s.io", "escalate"),
        "allowed"
    );
    // bind is limited to clusterrole "edit": a request without a name is denied.
    assert_eq!(
        cell(&m, "clusterroles", "rbac.authorization.k8s.io", "bind"),
        "denied"
    );
    let m = matrix(&fixture(), &["--as", "named-reader", "-n", "ns1"]);
    assert_eq!(cell(&m, "secrets", "", "get"), "denied");
}

#[test]
fn table_symbols_and_colour() {
    let a = kubeaudit()
        .args([
            "access-matrix",
            "--as",
            "dev-user",
            "-n",
            "shop",
            "--verbs",
            "get,create",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    let header = out.lines().next().expect("header");
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["NAME", "GET", "CREATE"]
    );
    let pods = out
        .lines()
        .find(|l| l.starts_with("pods "))
        .expect("pods row");
    assert_eq!(
        pods.split_whitespace().collect::<Vec<_>>(),
        ["pods", ".", "."]
    );
    let nodes = out
        .lines()
        .find(|l| l.starts_with("nodes "))
        .expect("nodes row");
    assert_eq!(
        nodes.split_whitespace().collect::<Vec<_>>(),
        ["nodes", "X", "X"]
    );
    assert!(
        !out.contains('\u{1b}'),
        "no colour when NO_COLOR is set / not a terminal"
    );
    assert!(
        !out.contains('✔'),
        "symbols only on a colour terminal, as in netpol-matrix"
    );
    let a = kubeaudit()
        .args([
            "access-matrix",
            "--as",
            "dev-user",
            "-n",
            "shop",
            "--color",
            "always",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    assert!(stdout(&a).contains("\u{1b}[32m✔"), "{}", stdout(&a));
    kubeaudit()
        .args(["access-matrix", "-f"])
        .arg(examples())
        .assert()
        .code(2);
}
