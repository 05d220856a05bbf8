//! `kubeaudit escalation` through the binary: every case of tests/fixtures/escalation (each
//! primitive and its near misses; the e2e suite replays them on kube-apiserver), the example
//! cluster's non-obvious path to cluster-admin, -A, and the graph outputs.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{examples, kubeaudit, stdout};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/escalation")
}

#[test]
fn every_fixture_case_finds_the_recorded_path() {
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(fixture().join("cases.json")).unwrap())
            .unwrap();
    let mut problems = Vec::new();
    for case in &cases {
        let start = format!("e2e-esc/{}", case["start"].as_str().unwrap());
        let to = case["to"].as_str().unwrap();
        let a = kubeaudit()
            .args(["escalation", "--sa", &start, "--to", to, "-o", "json", "-f"])
            .arg(fixture().join("cluster.yaml"))
            .assert();
        let code = a.get_output().status.code().unwrap();
        let r: Value = serde_json::from_str(&stdout(&a)).unwrap();
        let path: Option<Vec<String>> =
            r["reached"]
                .as_array()
                .and_then(|l| l.first())
                .map(|first| {
                    first["path"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| h["primitive"].as_str().unwrap().to_string())
                        .collect()
                });
        let want: Option<Vec<String>> = case["path"]
            .as_array()
            .map(|p| p.iter().map(|x| x.as_str().unwrap().to_string()).collect());
        let want_code = if want.is_some() { 0 } else { 1 };
        if path != want || code != want_code {
            problems.push(format!(
                "{start} → {to}: got {path:?} (exit {code}), want {want:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_example_cluster_has_a_non_obvious_path_to_cluster_admin() {
    let a = kubeaudit()
        .args([
            "escalation",
            "--sa",
            "ci/deployer",
            "--to",
            "cluster-admin",
            "-o",
            "json",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let r: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let path = r["reached"][0]["path"].as_array().unwrap();
    let tos: Vec<&str> = path.iter().map(|h| h["to"].as_str().unwrap()).collect();
    assert_eq!(
        tos,
        [
            "ServiceAccount ci/image-builder",
            "ServiceAccount platform/argocd-application-controller",
            "cluster-admin"
        ]
    );
    // Each hop names the binding → role → rule that enables it.
    assert!(path[1]["grants"][0]["by"].as_str().unwrap().starts_with(
        "RoleBinding/platform/image-builder-sync-token → Role/platform/argocd-sync-token"
    ));
    // The table prints one line per hop; dot and mermaid draw the same path.
    let a = kubeaudit()
        .args([
            "escalation",
            "--sa",
            "ci/deployer",
            "--to",
            "cluster-admin",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let t = stdout(&a);
    assert!(t.contains("token-request") && t.lines().count() == 5, "{t}");
    let a = kubeaudit()
        .args([
            "escalation",
            "--sa",
            "ci/deployer",
            "--to",
            "cluster-admin",
            "-o",
            "dot",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let dot = stdout(&a);
    assert!(
        dot.starts_with("digraph escalation {") && dot.contains("-> \"cluster-admin\""),
        "{dot}"
    );
    if let Ok(out) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(dot.as_bytes())?;
            c.wait_with_output()
        })
    {
        assert!(out.status.success(), "Graphviz renders it");
    }
    let a = kubeaudit()
        .args([
            "escalation",
            "--sa",
            "ci/deployer",
            "--to",
            "cluster-admin",
            "-o",
            "mermaid",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    assert!(stdout(&a).starts_with("```mermaid\nflowchart LR"));
}

#[test]
fn every_subject_ranked_and_targets_checked() {
    let a = kubeaudit()
        .args(["escalation", "-A", "-o", "json", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let r: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let ranking = r["ranking"].as_array().unwrap();
    let deployer = ranking
        .iter()
        .find(|x| x["subject"] == "ServiceAccount ci/deployer")
        .unwrap();
    assert_eq!(deployer["reaches"], "cluster-admin");
    // Ranked: cluster-admin first, fewest hops first.
    let first_node = ranking
        .iter()
        .position(|x| x["reaches"] != "cluster-admin")
        .unwrap_or(ranking.len());
    assert!(ranking[..first_node]
        .windows(2)
        .all(|w| w[0]["hops"].as_u64() <= w[1]["hops"].as_u64()));
    // A question as the target.
    kubeaudit()
        .args([
            "escalation",
            "--as",
            "dev-user",
            "--to",
            "can-i get secrets -n payments",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    kubeaudit()
        .args([
            "escalation",
            "--sa",
            "shop/storefront",
            "--to",
            "cluster-admin",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(1);
    kubeaudit()
        .args(["escalation", "--sa", "shop", "-f"])
        .arg(examples())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("NAMESPACE/NAME"));
    kubeaudit()
        .args(["escalation", "--sa", "ci/deployer", "--to", "root", "-f"])
        .arg(examples())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected cluster-admin"));
}
