//! `kubeaudit diff` on two versions of the example cluster: the subject that gained access is
//! named, `--fail-on-gain` exits 1 on a gain and 0 when access was only removed.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{examples, kubeaudit, stdout};

/// A copy of the example cluster with `edit` handed to mallory in payments, and shop's
/// default-deny NetworkPolicy removed.
fn changed(dir: &Path) -> PathBuf {
    let copy = dir.join("after");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(examples()).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
    }
    let bindings = copy.join("30-bindings.yaml");
    let mut text = std::fs::read_to_string(&bindings).unwrap();
    text.push_str(
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: contractor, namespace: payments}\n\
subjects: [{kind: User, name: mallory}]\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n",
    );
    std::fs::write(&bindings, text).unwrap();
    let netpols = copy.join("60-networkpolicies.yaml");
    let text = std::fs::read_to_string(&netpols).unwrap();
    let kept: Vec<&str> = text
        .split("\n---\n")
        .filter(|d| !d.contains("name: default-deny, namespace: shop"))
        .collect();
    std::fs::write(&netpols, kept.join("\n---\n")).unwrap();
    copy
}

#[test]
fn names_who_gained_and_fails_only_on_gains() {
    let dir = tempfile::tempdir().unwrap();
    let after = changed(dir.path());
    let a = kubeaudit()
        .args(["diff", "--fail-on-gain", "-o", "json"])
        .arg(examples())
        .arg(&after)
        .assert()
        .code(1);
    let d: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let subjects = d["subjects"].as_array().unwrap();
    assert_eq!(subjects.len(), 1, "{subjects:#?}");
    assert_eq!(subjects[0]["name"], "mallory");
    let gained = subjects[0]["gained"].as_array().unwrap();
    assert!(gained.iter().any(|g| g["verb"] == "create"
        && g["resource"] == "pods/exec"
        && g["scope"] == "payments"));
    assert!(gained
        .iter()
        .all(|g| g["via"] == "RoleBinding/payments/contractor → ClusterRole/edit"));
    assert!(subjects[0]["lost"].as_array().unwrap().is_empty());
    let dd = d["defaultDeny"].as_array().unwrap();
    assert!(dd.iter().any(|c| c["namespace"] == "shop"
        && c["direction"] == "ingress"
        && c["before"] == true
        && c["after"] == false));
    assert!(d["newFindings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "KA105"));
    // The other way round only removes access and adds a default-deny: exit 0.
    let a = kubeaudit()
        .args(["diff", "--fail-on-gain"])
        .arg(&after)
        .arg(examples())
        .assert()
        .code(0);
    let t = stdout(&a);
    assert!(t.contains("-   User mallory"), "{t}");
    // Without the flag a gain is reported, not failed.
    kubeaudit()
        .arg("diff")
        .arg(examples())
        .arg(&after)
        .assert()
        .code(0);
}

#[test]
fn the_same_cluster_has_no_changes_and_markdown_summarises() {
    let a = kubeaudit()
        .args(["diff", "--fail-on-gain"])
        .arg(examples())
        .arg(examples())
        .assert()
        .code(0);
    assert_eq!(stdout(&a), "no access changes\n");
    let dir = tempfile::tempdir().unwrap();
    let after = changed(dir.path());
    let a = kubeaudit()
        .args(["diff", "-o", "markdown"])
        .arg(examples())
        .arg(&after)
        .assert()
        .code(0);
    let md = stdout(&a);
    assert!(md.starts_with("### kubeaudit: access changes"), "{md}");
    assert!(md.contains("| ➕ | User mallory |"), "{md}");
}

#[test]
fn sides_are_checked() {
    kubeaudit()
        .args(["diff", "-", "-"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("only one"));
    kubeaudit()
        .args(["diff", "/no/such/dir"])
        .arg(examples())
        .assert()
        .code(2);
}
