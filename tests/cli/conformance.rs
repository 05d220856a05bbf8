//! The conformance vectors through the binary: every rbac-oracle can-i case of every scenario
//! is sent to `kubeaudit review` as a SubjectAccessReview (raw attributes, no group added).

use serde_json::{json, Value};

use crate::util::{conformance, kubeaudit, stdout};

#[test]
fn rbac_oracle_can_i_cases_through_review() {
    let mut dirs: Vec<_> = std::fs::read_dir(conformance().join("rbac-oracle"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut total = 0;
    for dir in dirs {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap())
                .unwrap();
        let cases: Vec<&Value> = cases.iter().filter(|c| c["type"] == "can-i").collect();
        if cases.is_empty() {
            continue;
        }
        let items: Vec<Value> = cases
            .iter()
            .map(|c| {
                let attrs = if let Some(url) = c.get("nonResourceURL") {
                    json!({"nonResourceAttributes": {"verb": c["verb"], "path": url}})
                } else {
                    json!({"resourceAttributes": {"verb": c["verb"], "group": c["apiGroup"], "resource": c["resource"],
                        "subresource": c["subresource"], "name": c["name"], "namespace": c["namespace"]}})
                };
                let mut spec = attrs;
                spec["user"] = c["user"].clone();
                spec["groups"] = c["groups"].clone();
                json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec})
            })
            .collect();
        let input = json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string();
        let a = kubeaudit()
            .args(["review", "-o", "json", "-f"])
            .arg(dir.join("objects.yaml"))
            .write_stdin(input)
            .assert();
        let out: Value =
            serde_json::from_str(&stdout(&a)).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for (case, answer) in cases.iter().zip(out["items"].as_array().unwrap()) {
            total += 1;
            if answer["status"]["allowed"] != case["expect"] {
                failures.push(format!(
                    "{}/{}: expected {}",
                    dir.file_name().unwrap().to_string_lossy(),
                    case["id"],
                    case["expect"]
                ));
            }
        }
    }
    assert!(total > 1500, "ran only {total} cases");
    assert!(
        failures.is_empty(),
        "{} of {total} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
