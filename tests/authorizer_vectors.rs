//! kube-apiserver's answers with Node, ABAC, a Webhook and RBAC in its chain, and with ABAC
//! under every conformance policy (recorded by `tests/e2e_apiserver.rs` in
//! `tests/data/apiserver/authorizers.json`), replayed through `kubeaudit review` without Go:
//! the same loopback webhook answers both.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

#[path = "common/webhook.rs"]
mod webhook;

fn review(dir: &Path, reviews: &[Value], flags: &[String]) -> Vec<(bool, bool)> {
    let file = dir.join("reviews.json");
    let items: Vec<Value> = reviews
        .iter()
        .map(|r| json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": r["spec"]}))
        .collect();
    std::fs::write(
        &file,
        json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string(),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubeaudit"))
        .arg("review")
        .arg(&file)
        .args(["-o", "json"])
        .args(flags)
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "kubeaudit review exited {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["status"]["allowed"] == true,
                a["status"]["denied"] == true,
            )
        })
        .collect()
}

fn expected(reviews: &[Value]) -> Vec<(bool, bool)> {
    reviews
        .iter()
        .map(|r| (r["allowed"] == true, r["denied"] == true))
        .collect()
}

fn differences(what: &str, reviews: &[Value], got: &[(bool, bool)]) -> Vec<String> {
    reviews
        .iter()
        .zip(got)
        .filter(|(r, g)| (r["allowed"] == true, r["denied"] == true) != **g)
        .map(|(r, g)| {
            format!(
                "{what}: {}: kube-apiserver {} / {}, kubeaudit {g:?}",
                r["spec"], r["allowed"], r["denied"]
            )
        })
        .collect()
}

#[test]
fn kubeaudit_gives_kube_apiservers_answers_for_every_authorizer_mode() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let recorded: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/data/apiserver/authorizers.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let hook = webhook::start(dir.path());
    let mut failures = Vec::new();

    let combined = &recorded["combined"];
    let policy = dir.path().join("policy.jsonl");
    std::fs::write(&policy, combined["policy"].as_str().unwrap()).unwrap();
    let objects = dir.path().join("objects.json");
    std::fs::write(
        &objects,
        json!({"apiVersion": "v1", "kind": "List", "items": combined["objects"]}).to_string(),
    )
    .unwrap();
    let reviews = combined["reviews"].as_array().unwrap();
    assert!(
        reviews.len() > 30,
        "the recording holds the combined chain's answers"
    );
    let modes = recorded["modes"].as_str().unwrap();
    let got = review(
        dir.path(),
        reviews,
        &[
            "-f".into(),
            objects.display().to_string(),
            "--bootstrap-policy".into(),
            "--authorization-mode".into(),
            modes.into(),
            "--authorization-policy-file".into(),
            policy.display().to_string(),
            "--authorization-webhook-config-file".into(),
            hook.config.display().to_string(),
            "--authorization-webhook-version".into(),
            "v1".into(),
        ],
    );
    failures.extend(differences(modes, reviews, &got));
    // The recording exercises every outcome: allowed, explicitly denied, no opinion.
    let e = expected(reviews);
    assert!(e.iter().any(|a| a.0) && e.iter().any(|a| a.1) && e.iter().any(|a| !a.0 && !a.1));

    let ns = dir.path().join("ns.json");
    std::fs::write(
        &ns,
        r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns1"}}"#,
    )
    .unwrap();
    for (i, p) in recorded["abac"].as_array().unwrap().iter().enumerate() {
        let file = dir.path().join(format!("abac-{i}.jsonl"));
        std::fs::write(&file, p["policy"].as_str().unwrap()).unwrap();
        let reviews = p["reviews"].as_array().unwrap();
        let got = review(
            dir.path(),
            reviews,
            &[
                "-f".into(),
                ns.display().to_string(),
                "--bootstrap-policy".into(),
                "--authorization-mode".into(),
                "ABAC,RBAC".into(),
                "--authorization-policy-file".into(),
                file.display().to_string(),
            ],
        );
        failures.extend(differences(&format!("ABAC,RBAC policy {i}"), reviews, &got));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
