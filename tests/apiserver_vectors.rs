//! The answers kube-apiserver gave (recorded by `tests/e2e_apiserver.rs` in
//! `tests/data/apiserver/`), replayed offline: for every RBAC conformance scenario, kubeaudit
//! reading the recorded bootstrap policy plus the scenario's objects must answer every
//! SubjectAccessReview as the real server did. Runs without Go.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

#[path = "common/vectors.rs"]
mod vectors;
use vectors::{fingerprint, object_key, review_object, review_spec};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn kube_apiserver_answers_replayed_offline() {
    let data = repo().join("tests/data/apiserver");
    let bootstrap = data.join("bootstrap-rbac.json");
    let scenarios = repo().join("tests/data/conformance/rbac-oracle");
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("rbac-oracle"))
        .expect("tests/data/apiserver/rbac-oracle")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 90,
        "expected a recording per scenario, found {}",
        files.len()
    );
    let (mut failures, mut total) = (Vec::new(), 0);
    for file in files {
        let recorded: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("readable")).expect("JSON");
        let name = recorded["scenario"].as_str().expect("scenario name");
        let dir = scenarios.join(name);
        let objects = std::fs::read(dir.join("objects.yaml")).expect("objects.yaml");
        let cases_text = std::fs::read(dir.join("cases.json")).expect("cases.json");
        assert_eq!(
            recorded["fingerprint"].as_str(),
            Some(fingerprint(&[&objects, &cases_text]).as_str()),
            "{}: the scenario changed since kube-apiserver answered it; re-record with \
             KUBEAUDIT_E2E=1 KUBEAUDIT_E2E_RECORD=1 cargo test --test e2e_apiserver",
            file.display()
        );
        let cases: Vec<Value> = serde_json::from_slice(&cases_text).expect("cases JSON");
        let cases: Vec<&Value> = cases.iter().filter(|c| c["type"] == "can-i").collect();
        let items: Vec<Value> = cases
            .iter()
            .map(|c| review_object(&review_spec(c)))
            .collect();
        // The cluster the server answered for: the bootstrap policy, with the scenario's objects
        // replacing bootstrap objects of the same kind and name (as the e2e test applied them).
        let scenario: Vec<Value> =
            serde_saphyr::from_multiple::<Value>(std::str::from_utf8(&objects).expect("UTF-8"))
                .expect("objects.yaml")
                .into_iter()
                .filter(|o| !o.is_null())
                .collect();
        let replaced: std::collections::BTreeSet<_> = scenario.iter().map(object_key).collect();
        let base: Value =
            serde_json::from_str(&std::fs::read_to_string(&bootstrap).expect("bootstrap"))
                .expect("bootstrap JSON");
        let mut cluster: Vec<Value> = base["items"]
            .as_array()
            .expect("bootstrap items")
            .iter()
            .filter(|o| !replaced.contains(&object_key(o)))
            .cloned()
            .collect();
        cluster.extend(scenario);
        let cluster_file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(
            cluster_file.path(),
            json!({"apiVersion": "v1", "kind": "List", "items": cluster}).to_string(),
        )
        .expect("writing the cluster");
        let reviews = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(
            reviews.path(),
            json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string(),
        )
        .expect("writing reviews");
        let out = Command::new(env!("CARGO_BIN_EXE_kubeaudit"))
            .arg("review")
            .arg(reviews.path())
            .args(["-o", "json", "-f"])
            .arg(cluster_file.path())
            .output()
            .expect("running kubeaudit");
        let answer: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        let answers = answer["items"].as_array().expect("items");
        let want = recorded["answers"].as_array().expect("answers");
        assert_eq!(answers.len(), want.len(), "{name}: one answer per case");
        for ((case, got), want) in cases.iter().zip(answers).zip(want) {
            total += 1;
            assert_eq!(
                case["id"], want["id"],
                "{name}: recorded cases out of order"
            );
            if got["status"]["allowed"] != want["allowed"] {
                failures.push(format!(
                    "{name}/{}: kube-apiserver said {}, kubeaudit {}",
                    want["id"], want["allowed"], got["status"]["allowed"]
                ));
            }
        }
    }
    assert!(total > 1500, "replayed only {total} answers");
    assert!(
        failures.is_empty(),
        "{} of {total} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
