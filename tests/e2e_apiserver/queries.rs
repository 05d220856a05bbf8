//! The list-shaped answers on the real server, scenario by scenario: `who-can` against the
//! candidates (every subject of every binding, and `system:masters`) the API server's
//! SubjectAccessReviews allow, and `can-i --list` against `kubectl auth can-i --list`
//! (a SelfSubjectRulesReview as the impersonated identity). Both are recorded beside the can-i
//! answers and replayed offline by `tests/apiserver_vectors.rs`.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;

use kubeaudit::model::discovery::Discovery;
use serde_json::{json, Value};

use crate::harness::{kubeaudit, run, ControlPlane};
use crate::query_args::{command_line, identity, list_args, normalized_rules, reported};

/// The user who stands for a group in a SubjectAccessReview: bound to nothing itself.
const PROBE_USER: &str = "kubeaudit:e2e:probe";

/// The SubjectAccessReview spec asking `request` (a who-can report's `request`) for one
/// identity.
fn spec_for(request: &Value, who: &str) -> Value {
    let mut spec = request.clone();
    let (kind, name) = who.split_once(':').expect("an identity");
    match kind {
        "Group" => {
            spec["user"] = json!(PROBE_USER);
            spec["groups"] = json!([name]);
        }
        "ServiceAccount" => {
            let (ns, sa) = name.split_once('/').expect("NS/NAME");
            spec["user"] = json!(format!("system:serviceaccount:{ns}:{sa}"));
        }
        _ => spec["user"] = json!(name),
    }
    spec
}

/// Why the request kubeaudit asked is not the case's, if it is not: the same verb, group,
/// resource (lower-cased, as kubectl's type resolution does), subresource and name; the
/// namespace is the one a real request carries, which kubeaudit works out.
pub fn request_mismatch(case: &Value, request: &Value) -> Option<String> {
    let same = if let Some(url) = case.get("nonResourceURL") {
        let n = &request["nonResourceAttributes"];
        n["verb"] == case["verb"] && &n["path"] == url
    } else {
        let r = &request["resourceAttributes"];
        let resource = case["resource"].as_str().unwrap_or("").to_lowercase();
        // A bare name (group "") is resolved as kubectl resolves it: `rolebindings` is
        // asked in rbac.authorization.k8s.io.
        r["verb"] == case["verb"]
            && (r["group"] == case["apiGroup"] || case["apiGroup"] == "")
            && r["resource"] == json!(resource)
            && r["subresource"] == case["subresource"]
            && r["name"] == case["name"]
    };
    (!same).then(|| format!("kubeaudit asked {request} for the case {case}"))
}

/// Every subject of every binding on the server, and `Group system:masters`.
fn candidates(plane: &ControlPlane) -> Vec<String> {
    let mut all: BTreeSet<String> = BTreeSet::from(["Group:system:masters".to_string()]);
    for b in plane.get("clusterrolebindings,rolebindings") {
        let ns = b["metadata"]["namespace"].as_str().unwrap_or("");
        for s in b["subjects"].as_array().into_iter().flatten() {
            all.insert(identity(s, ns));
        }
    }
    all.into_iter().collect()
}

/// Compares kubeaudit's `who-can`, live and from the snapshot, with the API server for every
/// who-can case: the request kubeaudit asked, POSTed for every candidate; returns the recorded
/// answers (`{id, request, subjects}`).
pub fn who_can(
    plane: &ControlPlane,
    scenario: &str,
    cases: &[&Value],
    snapshot: &Path,
    failures: &mut Vec<String>,
) -> Vec<Value> {
    let who = candidates(plane);
    let discovery = Discovery::builtin();
    let kubeconfig = plane.kubeconfig.as_os_str();
    let live_source = [OsStr::new("--kubeconfig"), kubeconfig];
    let snapshot_source = [OsStr::new("-f"), snapshot.as_os_str()];
    // kubeaudit first: the request it asked is the one the API server is asked.
    let mut asked = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or("?");
        let (args, star_only) = command_line(case, &discovery);
        let live = who_can_report(&args, &live_source);
        let from_snapshot = who_can_report(&args, &snapshot_source);
        let request = match &live {
            Ok(report) => report["request"].clone(),
            Err(e) => {
                failures.push(format!("{scenario}/{id}: who-can {args:?} live: {e}"));
                continue;
            }
        };
        if let Some(why) = request_mismatch(case, &request) {
            failures.push(format!("{scenario}/{id}: who-can {args:?}: {why}"));
        }
        asked.push((id, args, star_only, request, live, from_snapshot));
    }
    let specs: Vec<Value> = asked
        .iter()
        .flat_map(|(_, _, _, request, _, _)| who.iter().map(|w| spec_for(request, w)))
        .collect();
    let allowed = plane.sar(&specs);
    let mut recorded = Vec::new();
    for (i, (id, args, star_only, request, live, from_snapshot)) in asked.iter().enumerate() {
        let want: BTreeSet<String> = who
            .iter()
            .zip(&allowed[i * who.len()..(i + 1) * who.len()])
            .filter(|(_, a)| **a)
            .map(|(w, _)| w.clone())
            .collect();
        for (how, report) in [("live", live), ("from snapshot", from_snapshot)] {
            match report {
                Ok(report) => {
                    let got = reported(report, *star_only);
                    if got != want {
                        failures.push(format!(
                            "{scenario}/{id}: who-can {args:?} {how}: kube-apiserver allows {:?} but kubeaudit lists {:?}",
                            want.difference(&got).collect::<Vec<_>>(),
                            got.difference(&want).collect::<Vec<_>>()
                        ));
                    }
                }
                Err(e) => failures.push(format!("{scenario}/{id}: who-can {args:?} {how}: {e}")),
            }
        }
        recorded.push(json!({"id": id, "request": request, "subjects": want}));
    }
    recorded
}

/// Runs kubeaudit `who-can … -o json` with `source`: its report, or why it gave none.
fn who_can_report(args: &[String], source: &[&OsStr]) -> Result<Value, String> {
    let (code, out, err) = run(kubeaudit()
        .arg("who-can")
        .args(args)
        .args(["-o", "json"])
        .args(source));
    if code != 0 {
        return Err(format!("exit {code}: {err}"));
    }
    serde_json::from_str(&out).map_err(|e| format!("bad JSON: {e}"))
}

/// The identities of a scenario's can-i cases whose rules `can-i --list` is compared for: the
/// first few distinct (user, groups, namespace).
pub fn list_identities(cases: &[&Value], limit: usize) -> Vec<Value> {
    let mut seen = Vec::new();
    for c in cases {
        // kubectl cannot impersonate an empty user name.
        if c["user"].as_str().unwrap_or("").is_empty() {
            continue;
        }
        let ns = match c["namespace"].as_str().unwrap_or("") {
            "" => "default",
            ns => ns,
        };
        let id = json!({"user": c["user"], "groups": c["groups"], "namespace": ns});
        if !seen.contains(&id) {
            seen.push(id);
        }
        if seen.len() == limit {
            break;
        }
    }
    seen
}

/// Compares `kubeaudit can-i --list`, live and from the snapshot, with `kubectl auth can-i
/// --list` for each identity; returns the recorded answers (`{identity, rows}`).
pub fn list(
    plane: &ControlPlane,
    scenario: &str,
    identities: &[Value],
    snapshot: &Path,
    failures: &mut Vec<String>,
) -> Vec<Value> {
    let mut recorded = Vec::new();
    for id in identities {
        let args = list_args(id);
        let out = plane
            .kubectl()
            .args(["auth", "can-i", "--list"])
            .args(&args)
            .output()
            .expect("kubectl auth can-i --list");
        if !out.status.success() {
            // The identity may not create SelfSubjectRulesReviews (system:anonymous without
            // system:public-info-viewer's grant): then kubeaudit must say it may not either.
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("selfsubjectrulesreviews") && err.contains("forbidden"),
                "{scenario}: kubectl auth can-i --list {args:?}: {err}"
            );
            let (code, got, kerr) = run(kubeaudit()
                .args([
                    "can-i",
                    "create",
                    "selfsubjectrulesreviews.authorization.k8s.io",
                ])
                .args(&args[..args.len() - 2])
                .arg("--kubeconfig")
                .arg(&plane.kubeconfig));
            if code != 1 {
                failures.push(format!(
                    "{scenario}: kube-apiserver forbids {args:?} a SelfSubjectRulesReview, kubeaudit can-i exits {code}: {got}{kerr}"
                ));
            }
            recorded.push(json!({"identity": id, "forbidden": true}));
            continue;
        }
        let want = normalized_rules(&String::from_utf8_lossy(&out.stdout));
        let kubeconfig = plane.kubeconfig.as_os_str();
        for (how, source) in [
            ("live", [std::ffi::OsStr::new("--kubeconfig"), kubeconfig]),
            (
                "from snapshot",
                [std::ffi::OsStr::new("-f"), snapshot.as_os_str()],
            ),
        ] {
            let (code, got, err) = run(kubeaudit()
                .args(["can-i", "--list"])
                .args(&args)
                .args(source));
            if code != 0 || normalized_rules(&got) != want {
                failures.push(format!(
                    "{scenario}: can-i --list {args:?} {how} (exit {code}) differs from kubectl auth can-i --list:\n--- kubectl\n{}\n--- kubeaudit\n{got}{err}", want.join("\n")
                ));
            }
        }
        recorded.push(json!({"identity": id, "rows": want}));
    }
    recorded
}
