//! The answers kube-apiserver gave (recorded by `tests/e2e_apiserver.rs` in
//! `tests/data/apiserver/`), replayed offline: for every RBAC conformance scenario and for the
//! bundled examples, kubeaudit reading the recorded bootstrap policy plus the scenario's objects
//! must answer every SubjectAccessReview as the real server did, list for `who-can` exactly the
//! subjects the server allowed, and print `can-i --list` as `kubectl auth can-i --list` did.
//! Runs without Go.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

#[path = "common/queries.rs"]
mod query_args;
#[path = "common/vectors.rs"]
mod vectors;
use query_args::{command_line, list_args, normalized_rules, reported};
use vectors::{example_cases, example_files, fingerprint, review_object, review_spec};

const RERECORD: &str =
    "re-record with KUBEAUDIT_E2E=1 KUBEAUDIT_E2E_RECORD=1 cargo test --test e2e_apiserver";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn kubeaudit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kubeaudit"))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
}

/// The objects of a YAML stream, Lists flattened, empty documents dropped.
fn yaml_objects(text: &str, what: &str) -> Vec<Value> {
    serde_saphyr::from_multiple::<Value>(text)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .into_iter()
        .filter(|o| !o.is_null())
        .flat_map(|o| {
            if o["kind"] == "List" {
                o["items"].as_array().cloned().unwrap_or_default()
            } else {
                vec![o]
            }
        })
        .collect()
}

/// Counts of what a replay compared: can-i answers, who-can queries, can-i --list identities.
type Counts = [usize; 3];

/// Replays one recording: the cluster the server answered for is the bootstrap policy with the
/// scenario's objects replacing bootstrap objects of the same kind and name (as the e2e test
/// applied them) — what `--bootstrap-policy -f objects` reads.
fn replay(
    name: &str,
    scenario: Vec<Value>,
    all_cases: &[Value],
    recorded: &Value,
    failures: &mut Vec<String>,
) -> Counts {
    let mut counts = [0; 3];
    // The bootstrap policy comes from --bootstrap-policy: its embedded copy and the way the
    // scenario's objects replace bootstrap objects of the same name are checked here too.
    let cluster = scenario;
    let cluster_file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(
        cluster_file.path(),
        json!({"apiVersion": "v1", "kind": "List", "items": cluster}).to_string(),
    )
    .expect("writing the cluster");

    // can-i: one review per case.
    let cases: Vec<&Value> = all_cases.iter().filter(|c| c["type"] == "can-i").collect();
    let items: Vec<Value> = cases
        .iter()
        .map(|c| review_object(&review_spec(c)))
        .collect();
    let reviews = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(
        reviews.path(),
        json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string(),
    )
    .expect("writing reviews");
    let out = kubeaudit()
        .arg("review")
        .arg(reviews.path())
        .args(["-o", "json", "-f"])
        .arg(cluster_file.path())
        .arg("--bootstrap-policy")
        .output()
        .expect("running kubeaudit");
    let answer: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    let answers = answer["items"].as_array().expect("items");
    let want = recorded["answers"].as_array().expect("answers");
    assert_eq!(answers.len(), want.len(), "{name}: one answer per case");
    for ((case, got), want) in cases.iter().zip(answers).zip(want) {
        counts[0] += 1;
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

    // who-can: the identities whose SubjectAccessReview the server allowed.
    let discovery = kubeaudit::model::discovery::Discovery::builtin();
    for recorded_case in recorded["whoCan"].as_array().expect("whoCan") {
        counts[1] += 1;
        let id = &recorded_case["id"];
        let case = all_cases
            .iter()
            .find(|c| &c["id"] == id)
            .unwrap_or_else(|| panic!("{name}: who-can case {id} not among the cases"));
        let (args, star_only) = command_line(case, &discovery);
        let out = kubeaudit()
            .arg("who-can")
            .args(&args)
            .args(["-o", "json", "-f"])
            .arg(cluster_file.path())
            .arg("--bootstrap-policy")
            .output()
            .expect("running kubeaudit");
        let report = serde_json::from_slice::<Value>(&out.stdout);
        if let Ok(r) = &report {
            if r["request"] != recorded_case["request"] {
                failures.push(format!(
                    "{name}/{id}: who-can {args:?} asked {}, kube-apiserver was asked {}",
                    r["request"], recorded_case["request"]
                ));
            }
        }
        let got = report.map(|report| reported(&report, star_only));
        let want: BTreeSet<String> = recorded_case["subjects"]
            .as_array()
            .expect("subjects")
            .iter()
            .map(|s| s.as_str().expect("identity").to_string())
            .collect();
        match got {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!(
                "{name}/{id}: who-can {args:?}: kube-apiserver allowed {:?}, kubeaudit lists {:?} besides",
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            )),
            Err(e) => failures.push(format!(
                "{name}/{id}: who-can {args:?}: {e}: {}",
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    }

    // can-i --list: kubectl auth can-i --list's rows (a SelfSubjectRulesReview).
    for recorded_list in recorded["canIList"].as_array().expect("canIList") {
        counts[2] += 1;
        let args = list_args(&recorded_list["identity"]);
        if recorded_list["forbidden"] == true {
            // kube-apiserver refused the SelfSubjectRulesReview itself.
            let out = kubeaudit()
                .args([
                    "can-i",
                    "create",
                    "selfsubjectrulesreviews.authorization.k8s.io",
                ])
                .args(&args[..args.len() - 2])
                .arg("-f")
                .arg(cluster_file.path())
                .arg("--bootstrap-policy")
                .output()
                .expect("running kubeaudit");
            if out.status.code() != Some(1) {
                failures.push(format!(
                    "{name}: kube-apiserver forbade {args:?} a SelfSubjectRulesReview, kubeaudit exits {:?}",
                    out.status.code()
                ));
            }
            continue;
        }
        let out = kubeaudit()
            .args(["can-i", "--list"])
            .args(&args)
            .arg("-f")
            .arg(cluster_file.path())
            .arg("--bootstrap-policy")
            .output()
            .expect("running kubeaudit");
        let want: Vec<String> = recorded_list["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r.as_str().expect("row").to_string())
            .collect();
        let got = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || normalized_rules(&got) != want {
            failures.push(format!(
                "{name}: can-i --list {args:?} (exit {:?}):\n--- kubectl\n{}\n--- kubeaudit\n{got}",
                out.status.code(),
                want.join("\n")
            ));
        }
    }
    counts
}

fn assert_no_failures(failures: &[String], counts: Counts) {
    assert!(
        failures.is_empty(),
        "{} of {counts:?} (can-i, who-can, can-i --list) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn kube_apiserver_answers_replayed_offline() {
    let data = repo().join("tests/data/apiserver");
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
    let (mut failures, mut total) = (Vec::new(), [0; 3]);
    for file in files {
        let recorded = read_json(&file);
        let name = recorded["scenario"].as_str().expect("scenario name");
        let dir = scenarios.join(name);
        let objects = std::fs::read_to_string(dir.join("objects.yaml")).expect("objects.yaml");
        let cases_text = std::fs::read_to_string(dir.join("cases.json")).expect("cases.json");
        assert_eq!(
            recorded["fingerprint"].as_str(),
            Some(fingerprint(&[objects.as_bytes(), cases_text.as_bytes()]).as_str()),
            "{}: the scenario changed since kube-apiserver answered it; {RERECORD}",
            file.display()
        );
        let cases: Vec<Value> = serde_json::from_str(&cases_text).expect("cases JSON");
        let counts = replay(
            name,
            yaml_objects(&objects, name),
            &cases,
            &recorded,
            &mut failures,
        );
        for (t, c) in total.iter_mut().zip(counts) {
            *t += c;
        }
    }
    assert!(total[0] > 1500, "replayed only {} can-i answers", total[0]);
    assert!(total[1] > 400, "replayed only {} who-can answers", total[1]);
    assert!(
        total[2] > 200,
        "replayed only {} can-i --list answers",
        total[2]
    );
    assert_no_failures(&failures, total);
}

/// examples/cluster as the e2e test applied it: the same files, the same generated cases.
#[test]
fn kube_apiserver_answers_on_the_examples_replayed_offline() {
    let recorded = read_json(&repo().join("tests/data/apiserver/examples.json"));
    let files = example_files();
    let texts: Vec<&str> = files.iter().map(|(_, t)| t.as_str()).collect();
    let objects: Vec<Value> = files
        .iter()
        .flat_map(|(f, t)| yaml_objects(t, &f.display().to_string()))
        .collect();
    let cases = example_cases(&objects);
    let cases_text = serde_json::to_string(&cases).expect("JSON");
    assert_eq!(
        recorded["fingerprint"].as_str(),
        Some(fingerprint(&[texts.join("\n---\n").as_bytes(), cases_text.as_bytes()]).as_str()),
        "examples/cluster or its generated cases changed since kube-apiserver answered them; {RERECORD}"
    );
    let mut failures = Vec::new();
    let counts = replay("examples", objects, &cases, &recorded, &mut failures);
    assert!(
        counts[0] > 1000,
        "replayed only {} can-i answers",
        counts[0]
    );
    assert_no_failures(&failures, counts);
}
