//! Every command's output on the generated cluster (`tests/data/generated/`) is byte for byte
//! the one recorded: work meant to be invisible — a faster loader, a leaner model, a search that
//! asks less — must leave every answer, path, finding and location alone.
//!
//! To record new outputs on purpose: `KUBEAUDIT_REGENERATE=1 cargo test --test cli
//! generated_cluster`, and say in the commit why they changed.

use std::path::{Path, PathBuf};

use crate::util::kubeaudit;

/// The commands, each run in a directory holding `cluster.json` (and `before.json`, the same
/// cluster without its pods, workloads and one ClusterRoleBinding), so that the paths they
/// print are the same on every machine.
const COMMANDS: &[&str] = &[
    "who-can get secrets -A -f cluster.json",
    "who-can get secrets -A -o json -f cluster.json",
    "who-can create pods/exec -n ns-3 -o yaml -f cluster.json",
    "who-can get /metrics -f cluster.json",
    "can-i --list --as user-42 -n ns-1 -f cluster.json",
    "can-i --list --as user-42 -n ns-1 -o json -f cluster.json",
    "can-i create pods --as system:serviceaccount:ns-6:sa-8 -n ns-6 -f cluster.json",
    "access-matrix --as user-42 -n ns-1 -f cluster.json",
    "escalation -A -f cluster.json",
    "escalation -A -o json -f cluster.json",
    "escalation --sa ns-6/sa-8 -o wide -f cluster.json",
    "escalation --sa ns-6/sa-8 -o dot -f cluster.json",
    "lint -f cluster.json",
    "lint -o json -f cluster.json",
    "lint -o yaml -f cluster.json",
    "lint -o sarif -f cluster.json",
    "lint -o junit -f cluster.json",
    "default-deny -A -f cluster.json",
    "netpol-matrix -n ns-1 --port 8080 -f cluster.json",
    "diff before.json cluster.json",
    "diff before.json cluster.json -o json",
];

/// Commands whose output names no file: the same cluster as one YAML List must give the same
/// bytes as the JSON (lint and diff name lines of the file they read).
const SAME_FROM_YAML: &[&str] = &[
    "who-can get secrets -A -f cluster.json",
    "can-i --list --as user-42 -n ns-1 -o json -f cluster.json",
    "access-matrix --as user-42 -n ns-1 -f cluster.json",
    "escalation -A -o json -f cluster.json",
    "default-deny -A -f cluster.json",
];

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/generated")
}

/// A directory with `cluster.json`, `cluster.yaml` (the same List as YAML) and `before.json`.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let text = std::fs::read_to_string(data().join("cluster.json")).expect("read cluster.json");
    std::fs::write(dir.path().join("cluster.json"), &text).expect("write cluster.json");
    let list: serde_json::Value = serde_json::from_str(&text).expect("cluster.json is JSON");
    let yaml = serde_saphyr::to_string(&list).expect("the List as YAML");
    std::fs::write(dir.path().join("cluster.yaml"), yaml).expect("write cluster.yaml");
    let mut before = list;
    before["items"]
        .as_array_mut()
        .expect("a List")
        .retain(|item| {
            !matches!(
                item["kind"].as_str(),
                Some("Pod" | "Deployment" | "ReplicaSet")
            ) && item["metadata"]["name"] != "crb-3"
        });
    std::fs::write(
        dir.path().join("before.json"),
        serde_json::to_string(&before).expect("before as JSON"),
    )
    .expect("write before.json");
    dir
}

/// What a command prints and its exit code; the version the SARIF log names is left out (it
/// changes with every release, not with the answers).
fn run(dir: &Path, command: &str) -> (Vec<u8>, i32) {
    let out = kubeaudit()
        .current_dir(dir)
        .args(command.split_whitespace())
        .output()
        .expect("run kubeaudit");
    let code = out.status.code().unwrap_or(-1);
    let text = String::from_utf8(out.stdout).expect("output is UTF-8");
    let text = text.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"(version)\"",
    );
    (text.into_bytes(), code)
}

fn sha256(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `digest  size  exit-code  command`, one line a command.
fn record(dir: &Path) -> String {
    COMMANDS
        .iter()
        .map(|command| {
            let (out, code) = run(dir, command);
            format!("{}  {}  {code}  {command}\n", sha256(&out), out.len())
        })
        .collect()
}

#[test]
fn generated_cluster_outputs_are_the_recorded_ones() {
    let dir = workdir();
    let recorded_file = data().join("outputs.sha256");
    let now = record(dir.path());
    if std::env::var_os("KUBEAUDIT_REGENERATE").is_some_and(|v| v != "0" && !v.is_empty()) {
        std::fs::write(&recorded_file, &now).expect("write outputs.sha256");
        eprintln!("recorded {}", recorded_file.display());
        return;
    }
    let recorded = std::fs::read_to_string(&recorded_file).expect("read outputs.sha256");
    let changed: Vec<String> = now
        .lines()
        .zip(recorded.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("  now:      {a}\n  recorded: {b}"))
        .collect();
    assert!(
        changed.is_empty() && now.lines().count() == recorded.lines().count(),
        "outputs on tests/data/generated/cluster.json changed:\n{}\n\
         ({} commands now, {} recorded; when the change is meant, regenerate with \
         KUBEAUDIT_REGENERATE=1 cargo test --test cli generated_cluster)",
        changed.join("\n"),
        now.lines().count(),
        recorded.lines().count()
    );
    // The record is not empty: every command answered, most with something to say.
    let answered = recorded
        .lines()
        .filter(|l| l.split_whitespace().nth(1).is_some_and(|n| n != "0"))
        .count();
    assert_eq!(answered, COMMANDS.len(), "{recorded}");
}

#[test]
fn the_same_cluster_as_yaml_gives_the_same_answers() {
    let dir = workdir();
    for command in SAME_FROM_YAML {
        let (json, json_code) = run(dir.path(), command);
        let (yaml, yaml_code) = run(dir.path(), &command.replace("cluster.json", "cluster.yaml"));
        assert_eq!(json_code, yaml_code, "{command}");
        assert!(
            json == yaml,
            "{command}: YAML gives other output:\n{}",
            String::from_utf8_lossy(&yaml)
        );
        assert!(!json.is_empty(), "{command}");
    }
}
