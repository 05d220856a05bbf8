//! `kubeaudit can-i --list`: kubectl's rows and layout, the Via column, -A, and the
//! RoleBinding non-resource rules that are listed (as the API server lists them) but grant nothing.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{examples, kubeaudit, stderr, stdout};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/who-can-cases.yaml")
}

#[test]
fn kubectl_layout_for_a_service_account() {
    let a = kubeaudit()
        .args([
            "can-i",
            "--list",
            "--as",
            "system:serviceaccount:ns1:app",
            "-n",
            "ns1",
            "-f",
        ])
        .arg(fixture())
        .assert()
        .code(0);
    // Rows sorted by Go's PolicyRule string: "[get list watch]" (pods, from the Role) and the
    // non-resource rows of all-urls, which ClusterRoleBinding grants to user url-star only.
    assert_eq!(
        stdout(&a),
        "Resources   Non-Resource URLs   Resource Names   Verbs\n\
         pods        []                  []               [get list watch]\n"
    );
    let a = kubeaudit()
        .args([
            "can-i",
            "--list",
            "--no-headers",
            "--as",
            "system:serviceaccount:ns1:app",
            "-n",
            "ns1",
            "-f",
        ])
        .arg(fixture())
        .assert()
        .code(0);
    // Without the header, the widths come from the rows alone (Go's tabwriter).
    assert_eq!(
        stdout(&a),
        "pods      []        []        [get list watch]\n"
    );
}

#[test]
fn merged_rows_with_via_and_json() {
    let a = kubeaudit()
        .args(["can-i", "--list", "--as", "imp", "-o", "wide", "-f"])
        .arg(fixture())
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(out.starts_with("Resources "), "{out}");
    assert!(
        out.lines().next().is_some_and(|h| h.ends_with("Via")),
        "{out}"
    );
    let users: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("users "))
        .expect("users row")
        .split_whitespace()
        .collect();
    assert_eq!(
        users,
        [
            "users",
            "[]",
            "[alice]",
            "[impersonate]",
            "ClusterRoleBinding/impersonator",
            "→",
            "ClusterRole/impersonator,",
            "rule",
            "0"
        ]
    );
    assert!(out.contains("uids.authentication.k8s.io"), "{out}");
    assert!(
        out.contains("userextras.authentication.k8s.io/scopes"),
        "{out}"
    );
    let a = kubeaudit()
        .args(["can-i", "--list", "--as", "imp", "-o", "json", "-f"])
        .arg(fixture())
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout(&a)).expect("json");
    assert_eq!(v["namespace"], "default");
    assert_eq!(v["complete"], true);
    let users = v["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["resources"] == serde_json::json!(["users"]))
        .expect("users row");
    assert_eq!(users["resourceNames"], serde_json::json!(["alice"]));
    assert_eq!(users["apiGroups"], serde_json::json!([""]));
    assert_eq!(users["verbs"], serde_json::json!(["impersonate"]));
    assert_eq!(users["via"][0]["role"]["name"], "impersonator");
}

#[test]
fn role_binding_non_resource_urls_are_listed_with_a_note() {
    let a = kubeaudit()
        .args([
            "can-i",
            "--list",
            "--as",
            "rb-url-user",
            "-n",
            "ns1",
            "-o",
            "json",
            "-f",
        ])
        .arg(fixture())
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout(&a)).expect("json");
    let rules = v["rules"].as_array().expect("rules");
    // Listed, as the API server's SelfSubjectRulesReview lists it.
    assert!(
        rules
            .iter()
            .any(|r| r["nonResourceURLs"] == serde_json::json!(["/test-reader"])),
        "{rules:?}"
    );
    assert!(rules
        .iter()
        .any(|r| r["resources"] == serde_json::json!(["configmaps"])));
    assert_eq!(
        v["ineffective"][0]["nonResourceURLs"],
        serde_json::json!(["/test-reader"])
    );
    assert!(stderr(&a).contains("grants nothing"), "{}", stderr(&a));
}

#[test]
fn all_namespaces_groups_rows_by_namespace() {
    let a = kubeaudit()
        .args([
            "can-i",
            "--list",
            "-A",
            "--as",
            "system:serviceaccount:ci:deployer",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    let first_columns: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(first_columns[0], "Namespace");
    // "*" rows (ClusterRoleBindings) first, then namespaces in order.
    let order: Vec<&str> = first_columns[1..].iter().fold(Vec::new(), |mut acc, ns| {
        if acc.last() != Some(ns) {
            acc.push(ns);
        }
        acc
    });
    assert_eq!(order, ["*", "ci", "payments", "shop"], "{out}");
    assert!(
        out.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == [
                "shop",
                "clusterroles.rbac.authorization.k8s.io",
                "[]",
                "[edit]",
                "[bind]"
            ]),
        "{out}"
    );
}

#[test]
fn kubectl_flag_constraints_and_subject() {
    for bad in [
        &["can-i", "--list", "get", "pods", "--as", "x"][..],
        &["can-i", "--list", "-q", "--as", "x"][..],
        &["can-i", "--list", "--subresource", "log", "--as", "x"][..],
        &["can-i", "--list"][..],
    ] {
        kubeaudit()
            .args(bad)
            .arg("-f")
            .arg(fixture())
            .assert()
            .code(2);
    }
    // system:masters lists no rules but says so.
    let a = kubeaudit()
        .args([
            "can-i",
            "--list",
            "--as",
            "root",
            "--as-group",
            "system:masters",
            "-o",
            "json",
            "-f",
        ])
        .arg(fixture())
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout(&a)).expect("json");
    assert_eq!(v["privilegedGroup"], true);
    assert!(stderr(&a).contains("system:masters"), "{}", stderr(&a));
}
