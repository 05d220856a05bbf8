//! The `who-can-cli.json` vectors of the random rbac-oracle scenarios, asked through the
//! binary as the conformance README says: namespace set → `who-can ... -n NS`; a namespaced
//! resource with namespace "" → the subjects `who-can ... -A` reports as allowed cluster-wide
//! (`*`); cluster-scoped resources and URLs → plain `who-can`. All of them (about 1,000
//! invocations, a few seconds).

use std::collections::BTreeSet;
use std::path::PathBuf;

use kubeaudit::model::discovery::Discovery;
use serde_json::Value;

use crate::query_args::command_line;
use crate::util::{conformance, kubeaudit, stdout};

fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

type Key = (String, String, String);

fn key(v: &Value) -> Key {
    (
        field(v, "kind").to_string(),
        field(v, "namespace").to_string(),
        field(v, "name").to_string(),
    )
}

#[test]
fn random_scenarios_through_the_binary() {
    let discovery = Discovery::builtin();
    let mut files: Vec<PathBuf> = std::fs::read_dir(conformance().join("rbac-oracle"))
        .expect("rbac-oracle directory")
        .map(|e| e.expect("dir entry").path().join("who-can-cli.json"))
        .filter(|p| p.exists())
        .collect();
    files.sort();
    assert!(
        files.len() >= 30,
        "expected the random scenarios, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let dir = file.parent().expect("scenario directory").to_path_buf();
        let scenario = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(&file).expect("readable");
        let cases: Vec<Value> = serde_json::from_str(&text).expect("JSON list");
        for case in cases {
            count += 1;
            let (args, star_only) = command_line(&case, &discovery);
            let a = kubeaudit()
                .arg("who-can")
                .args(&args)
                .args(["-o", "json", "-f"])
                .arg(dir.join("objects.yaml"))
                .assert();
            let out = a.get_output();
            if out.status.code() != Some(0) {
                failures.push(format!(
                    "{scenario}/{}: who-can {args:?} exited {:?}: {}",
                    field(&case, "id"),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                ));
                continue;
            }
            let report: Value = match serde_json::from_str(&stdout(&a)) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{scenario}/{}: bad JSON: {e}", field(&case, "id")));
                    continue;
                }
            };
            // The request must be the case's (kubectl's type resolution found the resource).
            if case.get("nonResourceURL").is_none() {
                let r = &report["request"]["resourceAttributes"];
                if r["group"] != case["apiGroup"] || r["resource"] != case["resource"] {
                    failures.push(format!(
                        "{scenario}/{}: asked {r} for {case}",
                        field(&case, "id")
                    ));
                }
            }
            let got: BTreeSet<Key> = report["subjects"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter(|s| !star_only || s["namespaces"] == serde_json::json!(["*"]))
                        .map(key)
                        .collect()
                })
                .unwrap_or_default();
            let want: BTreeSet<Key> = case["expect"]
                .as_array()
                .map(|list| list.iter().map(key).collect())
                .unwrap_or_default();
            if got != want {
                failures.push(format!(
                    "{scenario}/{}: who-can {args:?}: expected {want:?}, got {got:?}",
                    field(&case, "id")
                ));
            }
        }
    }
    assert!(count > 500, "expected the full vectors, ran {count}");
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}
