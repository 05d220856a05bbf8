//! `kubeaudit contexts`: the documented JSON names, one id per finding kind in the table, no
//! margin, and a word when there is no kubeconfig at all.

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::util::{kubeaudit, stderr, stdout};

fn kubeconfig(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("config");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Config\ncurrent-context: c1\nclusters:\n- name: k\n  cluster: {server: \"https://127.0.0.1:6443\", certificate-authority: /nonexistent/ca.crt}\nusers:\n- name: u\n  user: {client-certificate: /nonexistent/a.crt, client-key: /nonexistent/a.key}\ncontexts:\n- name: c1\n  context: {cluster: k, user: u}\n",
    )
    .expect("writing the kubeconfig");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path
}

#[test]
fn table_and_json_say_what_the_docs_say() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = kubeconfig(dir.path());
    let a = kubeaudit()
        .args(["contexts", "--kubeconfig"])
        .arg(&config)
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.starts_with("CURRENT"), "no margin: {out:?}");
    let row = out.lines().nth(1).expect("a row");
    assert_eq!(row.matches("unreadable-file").count(), 1, "{row}");
    let a = kubeaudit()
        .args(["contexts", "-o", "json", "--kubeconfig"])
        .arg(&config)
        .assert()
        .code(1);
    let v: Value = serde_json::from_str(&stdout(&a)).expect("json");
    assert_eq!(v[0]["authMethod"], "client-certificate", "{v}");
    assert!(v[0].get("auth_method").is_none());
    assert!(v[0]["findings"].as_array().is_some_and(|f| f.len() >= 2));
}

#[test]
fn no_kubeconfig_at_all_is_said() {
    let home = tempfile::tempdir().expect("temp dir");
    let a = kubeaudit()
        .arg("contexts")
        .env("HOME", home.path())
        .env_remove("KUBECONFIG")
        .assert()
        .code(0);
    assert!(
        stderr(&a).contains("no kubeconfig contexts found"),
        "{}",
        stderr(&a)
    );
}
