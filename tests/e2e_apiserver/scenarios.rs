//! Every RBAC conformance scenario applied to the real cluster (bootstrap roles included): for
//! every can-i case, kubeaudit live (`--kubeconfig`), kubeaudit from a `snapshot` of the cluster
//! and the API server's SubjectAccessReview must agree. The API server's answers are recorded in
//! `tests/data/apiserver/rbac-oracle/<scenario>.json`.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::harness::{control_plane, kubeaudit, review, run, say, ControlPlane};
use crate::queries;
use crate::vectors::{
    example_cases, example_files, fingerprint, object_key as key, review_object,
    review_spec as spec,
};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// How many identities of each scenario `can-i --list` is compared for.
pub const LIST_IDENTITIES: usize = 3;

fn recording() -> bool {
    std::env::var("KUBEAUDIT_E2E_RECORD").as_deref() == Ok("1")
}

/// The bootstrap RBAC objects as the fresh API server wrote them, without server-set metadata.
fn strip(o: &Value) -> Value {
    let mut out = o.clone();
    let meta = &o["metadata"];
    let mut m = serde_json::Map::new();
    for k in ["name", "namespace", "labels", "annotations"] {
        if let Some(v) = meta.get(k) {
            m.insert(k.into(), v.clone());
        }
    }
    out["metadata"] = Value::Object(m);
    if let Some(obj) = out.as_object_mut() {
        obj.remove("status");
    }
    out
}

#[test]
fn rbac_conformance_scenarios_agree_with_kube_apiserver() {
    let Some(plane) = control_plane() else {
        return;
    };
    let data = repo().join("tests/data/apiserver");
    let record_dir = data.join("rbac-oracle");
    std::fs::create_dir_all(&record_dir).expect("tests/data/apiserver");
    let work = plane.dir.join("scenarios");
    std::fs::create_dir_all(&work).expect("work directory");

    // The bootstrap state (what every scenario adds to) before anything is applied.
    plane.wait_aggregated();
    let rbac_kinds = "clusterroles,clusterrolebindings,roles,rolebindings";
    let mut bootstrap: Vec<Value> = plane.get(rbac_kinds).iter().map(strip).collect();
    bootstrap.sort_by_key(key);
    let bootstrap_keys: BTreeSet<_> = bootstrap.iter().map(key).collect();
    let bootstrap_file = data.join("bootstrap-rbac.json");
    let bootstrap_doc = serde_json::to_string_pretty(&json!({
        "apiVersion": "v1", "kind": "List",
        "metadata": {"annotations": {"kubeaudit.test/source": format!("kube-apiserver {} bootstrap RBAC policy, read back after aggregation by tests/e2e_apiserver.rs", plane.version)}},
        "items": bootstrap,
    }))
    .expect("JSON")
        + "\n";
    if recording() {
        std::fs::write(&bootstrap_file, &bootstrap_doc).expect("writing bootstrap-rbac.json");
    } else {
        let recorded = std::fs::read_to_string(&bootstrap_file).unwrap_or_default();
        assert_eq!(
            recorded, bootstrap_doc,
            "{} is stale: re-record with KUBEAUDIT_E2E=1 KUBEAUDIT_E2E_RECORD=1 cargo test --test e2e_apiserver",
            bootstrap_file.display()
        );
    }

    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(repo().join("tests/data/conformance/rbac-oracle"))
            .expect("rbac-oracle scenarios")
            .map(|e| e.expect("entry").path())
            .collect();
    dirs.sort();
    let mut cluster = Cluster {
        plane: &plane,
        work,
        bootstrap,
        bootstrap_keys,
        namespaces: ["default", "kube-system", "kube-public", "kube-node-lease"]
            .map(String::from)
            .into(),
        failures: Vec::new(),
        totals: [0; 3],
    };
    for (round, dir) in dirs.iter().enumerate() {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let objects = dir.join("objects.yaml");
        let cases_text = std::fs::read_to_string(dir.join("cases.json")).expect("cases.json");
        let objects_text = std::fs::read_to_string(&objects).expect("objects.yaml");
        let cases: Vec<Value> = serde_json::from_str(&cases_text).expect("cases JSON");
        cluster.scenario(&Scenario {
            source: format!("SubjectAccessReviews answered by kube-apiserver {} with the bootstrap policy (../../bootstrap-rbac.json) and this scenario's objects.yaml applied", plane.version),
            fingerprint: fingerprint(&[objects_text.as_bytes(), cases_text.as_bytes()]),
            record: record_dir.join(format!("{name}.json")),
            name,
            objects,
            cases,
            round,
        });
    }
    let [total, who_can_total, list_total] = cluster.totals;
    say(&format!(
        "e2e: {total} can-i cases, {who_can_total} who-can queries and {list_total} can-i --list identities of {} scenarios compared with kube-apiserver {}\n",
        dirs.len(),
        plane.version
    ));
    assert!(total > 1500, "ran only {total} cases");
    assert!(
        who_can_total > 400,
        "ran only {who_can_total} who-can queries"
    );

    // The bundled examples, last: their namespaces are deleted afterwards.
    let example = example_files();
    let files = example
        .iter()
        .map(|(f, _)| {
            f.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect::<Vec<_>>()
        .join(", ");
    let text = example
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n");
    let all_objects = plane.read_objects(&repo().join("examples/cluster").to_string_lossy());
    // Generated from every object, as the offline replay does from the files.
    let cases = example_cases(&all_objects);
    let objects: Vec<Value> = all_objects
        .into_iter()
        .filter(|o| {
            !(o["kind"] == "Namespace"
                && cluster
                    .namespaces
                    .contains(o["metadata"]["name"].as_str().unwrap_or("")))
        })
        .collect();
    let cases_text = serde_json::to_string(&cases).expect("JSON");
    let list_file = cluster.work.join("examples.json");
    std::fs::write(
        &list_file,
        json!({"apiVersion": "v1", "kind": "List", "items": objects}).to_string(),
    )
    .expect("writing the examples");
    cluster.totals = [0; 3];
    cluster.scenario(&Scenario {
        source: format!("SubjectAccessReviews answered by kube-apiserver {} with the bootstrap policy (bootstrap-rbac.json) and examples/cluster applied ({files}); the cases are generated by example_cases in tests/common/vectors.rs", plane.version),
        fingerprint: fingerprint(&[text.as_bytes(), cases_text.as_bytes()]),
        record: data.join("examples.json"),
        name: "examples".into(),
        objects: list_file,
        cases,
        round: dirs.len(),
    });
    let [total, who_can_total, list_total] = cluster.totals;
    say(&format!(
        "e2e: examples/cluster: {total} can-i cases, {who_can_total} who-can queries and {list_total} can-i --list identities compared with kube-apiserver {}\n",
        plane.version
    ));
    assert!(total > 1000, "ran only {total} example cases");
    let failures = cluster.failures;
    assert!(
        failures.is_empty(),
        "{} disagreements with kube-apiserver:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

/// One set of objects applied on top of the bootstrap policy, with its cases.
struct Scenario {
    name: String,
    /// A file or directory for `kubectl apply -f`.
    objects: PathBuf,
    cases: Vec<Value>,
    fingerprint: String,
    /// Where the API server's answers are recorded.
    record: PathBuf,
    /// The recording's `source` line.
    source: String,
    /// Distinguishes the marker objects of `wait_authorizer_caught_up`.
    round: usize,
}

/// The cluster the scenarios take turns on, and what they found.
struct Cluster<'a> {
    plane: &'a ControlPlane,
    work: PathBuf,
    bootstrap: Vec<Value>,
    bootstrap_keys: BTreeSet<(String, String, String)>,
    /// Namespaces that exist.
    namespaces: BTreeSet<String>,
    failures: Vec<String>,
    /// can-i cases, who-can queries, can-i --list identities.
    totals: [usize; 3],
}

impl Cluster<'_> {
    /// Applies the scenario (replacing bootstrap objects of the same name), compares every
    /// answer three ways, records the API server's, and restores the bootstrap state.
    fn scenario(&mut self, s: &Scenario) {
        let plane = self.plane;
        let name = &s.name;
        let objects_path = s.objects.to_str().expect("UTF-8 path");
        let cases: Vec<&Value> = s.cases.iter().filter(|c| c["type"] == "can-i").collect();
        let who_can_cases: Vec<&Value> =
            s.cases.iter().filter(|c| c["type"] == "who-can").collect();

        // The scenario's objects as kubectl reads them; namespaces first, bootstrap names replaced.
        let objects = plane.read_objects(objects_path);
        for o in &objects {
            if let Some(ns) = o["metadata"]["namespace"].as_str() {
                if self.namespaces.insert(ns.to_string()) {
                    plane.kubectl_ok(&["create", "namespace", ns]);
                }
            }
        }
        let replaced: Vec<&Value> = objects
            .iter()
            .filter(|o| self.bootstrap_keys.contains(&key(o)))
            .collect();
        for o in &replaced {
            let (kind, ns, obj) = key(o);
            let mut args = vec!["delete", kind.as_str(), obj.as_str(), "--wait=false"];
            if !ns.is_empty() {
                args.extend(["-n", ns.as_str()]);
            }
            plane.kubectl_ok(&args);
        }
        // A Pod may be refused until the namespace's default ServiceAccount exists: apply again.
        let apply = || {
            plane
                .kubectl()
                .args(["apply", "-f", objects_path])
                .output()
                .expect("kubectl apply")
        };
        let mut applied = apply();
        for _ in 0..20 {
            if applied.status.success() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
            applied = apply();
        }
        assert!(
            applied.status.success(),
            "{name}: kubectl apply rejected objects: {}",
            String::from_utf8_lossy(&applied.stderr)
        );
        plane.wait_aggregated();
        plane.wait_authorizer_caught_up(s.round);

        // The three answers.
        let specs: Vec<Value> = cases.iter().map(|c| spec(c)).collect();
        let reviews = self.work.join(format!("{name}.reviews.json"));
        let list = json!({"apiVersion": "v1", "kind": "List", "items": specs.iter().map(review_object).collect::<Vec<_>>()});
        std::fs::write(&reviews, list.to_string()).expect("writing reviews");
        let api = plane.sar(&specs);
        let live = review(
            &reviews,
            &[OsStr::new("--kubeconfig"), plane.kubeconfig.as_os_str()],
        );
        let snapshot = self.work.join(format!("{name}.snapshot.json"));
        let (code, _, err) = run(kubeaudit()
            .arg("snapshot")
            .arg("-o")
            .arg(&snapshot)
            .arg("--kubeconfig")
            .arg(&plane.kubeconfig));
        assert_eq!(code, 0, "{name}: kubeaudit snapshot failed: {err}");
        let from_snapshot = review(&reviews, &[OsStr::new("-f"), snapshot.as_os_str()]);
        for (i, case) in cases.iter().enumerate() {
            self.totals[0] += 1;
            if api[i] != live[i] || api[i] != from_snapshot[i] {
                self.failures.push(format!(
                    "{name}/{}: kube-apiserver {}, kubeaudit live {}, from snapshot {}: {}",
                    case["id"].as_str().unwrap_or("?"),
                    api[i],
                    live[i],
                    from_snapshot[i],
                    specs[i]
                ));
            }
        }

        // who-can and can-i --list on the same cluster.
        let who_can = queries::who_can(plane, name, &who_can_cases, &snapshot, &mut self.failures);
        self.totals[1] += who_can.len();
        let identities = queries::list_identities(&cases, LIST_IDENTITIES);
        let lists = queries::list(plane, name, &identities, &snapshot, &mut self.failures);
        self.totals[2] += lists.len();

        // The recorded vector, replayed offline by tests/apiserver_vectors.rs.
        let answers: Vec<Value> = cases
            .iter()
            .zip(&api)
            .map(|(c, a)| json!({"id": c["id"], "allowed": a}))
            .collect();
        let doc = serde_json::to_string_pretty(&json!({
            "source": s.source,
            "scenario": name,
            "fingerprint": s.fingerprint,
            "answers": answers,
            "whoCan": who_can,
            "canIList": lists,
        }))
        .expect("JSON")
            + "\n";
        if recording() {
            std::fs::write(&s.record, &doc).expect("writing the recorded answers");
        } else if std::fs::read_to_string(&s.record).unwrap_or_default() != doc {
            self.failures.push(format!(
                "{}: stale or missing (re-record: KUBEAUDIT_E2E=1 KUBEAUDIT_E2E_RECORD=1 cargo test --test e2e_apiserver)",
                s.record.display()
            ));
        }

        // Back to the bootstrap state.
        let deleted = plane
            .kubectl()
            .args([
                "delete",
                "--ignore-not-found",
                "--wait=false",
                "-f",
                objects_path,
            ])
            .output()
            .expect("kubectl delete");
        assert!(
            deleted.status.success(),
            "{name}: kubectl delete: {}",
            String::from_utf8_lossy(&deleted.stderr)
        );
        if !replaced.is_empty() {
            let originals: Vec<Value> = self
                .bootstrap
                .iter()
                .filter(|b| replaced.iter().any(|r| key(r) == key(b)))
                .cloned()
                .collect();
            let list = json!({"apiVersion": "v1", "kind": "List", "items": originals}).to_string();
            let out = plane.kubectl_stdin(&["create", "-f", "-"], &list);
            assert!(
                out.status.success(),
                "{name}: restoring bootstrap objects: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        plane.wait_aggregated();
    }
}

/// The identity the admin kubeconfig carries, as kubeaudit works it out (SelfSubjectReview):
/// the admin is in system:masters, so everything is allowed, and `contexts` reads the file.
#[test]
fn admin_identity_and_contexts() {
    let Some(plane) = control_plane() else {
        return;
    };
    let (code, out, err) = run(kubeaudit()
        .args(["can-i", "delete", "nodes", "--explain", "--kubeconfig"])
        .arg(&plane.kubeconfig));
    assert_eq!(code, 0, "the admin may delete nodes: {out}{err}");
    assert!(
        out.contains("system:masters"),
        "explained by system:masters: {out}"
    );
    let (code, out, err) = run(kubeaudit()
        .args(["can-i", "delete", "nodes", "--verify", "--kubeconfig"])
        .arg(&plane.kubeconfig));
    assert_eq!(code, 0, "--verify against the real server: {out}{err}");
    let (code, out, err) = run(kubeaudit()
        .args([
            "can-i",
            "get",
            "secrets",
            "-n",
            "kube-system",
            "--as",
            "nobody",
            "--verify",
            "--kubeconfig",
        ])
        .arg(&plane.kubeconfig));
    assert_eq!(code, 1, "nobody may not read secrets: {out}{err}");
    assert!(
        !format!("{out}{err}").to_lowercase().contains("disagree"),
        "{out}{err}"
    );
    let (code, out, err) = run(kubeaudit()
        .args(["contexts", "--kubeconfig"])
        .arg(&plane.kubeconfig));
    assert!(code == 0 || code == 1, "contexts: {out}{err}");
    assert!(
        out.contains("e2e-admin"),
        "the generated context is listed: {out}"
    );
}

/// Pagination on the real server: a snapshot read two objects per page holds exactly the objects
/// of one read in default pages.
#[test]
fn chunk_size_two_loses_nothing() {
    let Some(plane) = control_plane() else {
        return;
    };
    let objects = |extra: &[&str]| -> BTreeSet<(String, String, String)> {
        let file = plane.dir.join(format!("chunks{}.json", extra.len()));
        let (code, _, err) = run(kubeaudit()
            .arg("snapshot")
            .arg("-o")
            .arg(&file)
            .args(extra)
            .arg("--kubeconfig")
            .arg(&plane.kubeconfig));
        assert_eq!(code, 0, "snapshot {extra:?}: {err}");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("snapshot"))
            .expect("snapshot JSON");
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(key)
            .collect()
    };
    let whole = objects(&[]);
    let paged = objects(&["--chunk-size", "2"]);
    assert!(
        whole.len() > 100,
        "the bootstrap policy alone has more: {}",
        whole.len()
    );
    assert_eq!(whole, paged, "--chunk-size 2 must read the same objects");
}

/// Live reading as a ServiceAccount that may list cluster-wide RBAC but not Roles or RoleBindings:
/// the real 403s make a "no" uncertain (exit 2, naming what was missing), a "yes" stays a yes.
#[test]
fn restricted_reader_gets_cannot_tell_not_a_wrong_no() {
    let Some(plane) = control_plane() else {
        return;
    };
    let setup = r#"{"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"e2e-restricted"}},
 {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"reader","namespace":"e2e-restricted"}},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"e2e-cluster-rbac-reader"},
  "rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles","clusterrolebindings"],"verbs":["get","list"]}]},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"e2e-cluster-rbac-reader"},
  "subjects":[{"kind":"ServiceAccount","name":"reader","namespace":"e2e-restricted"}],
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"e2e-cluster-rbac-reader"}},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"e2e-pod-reader"},
  "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"e2e-pod-reader"}],
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}]}"#;
    let out = plane.kubectl_stdin(&["apply", "-f", "-"], setup);
    assert!(
        out.status.success(),
        "setup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    plane.wait_authorizer_caught_up(10_000);
    let token = plane.kubectl_ok(&["create", "token", "reader", "-n", "e2e-restricted"]);
    let ca = plane.dir.join("pki/ca.crt");
    let kubeconfig = plane.dir.join("reader.kubeconfig");
    let config = json!({"apiVersion": "v1", "kind": "Config", "current-context": "reader",
        "clusters": [{"name": "e2e", "cluster": {"server": plane.server, "certificate-authority": ca}}],
        "users": [{"name": "reader", "user": {"token": token.trim()}}],
        "contexts": [{"name": "reader", "context": {"cluster": "e2e", "user": "reader"}}]});
    std::fs::write(&kubeconfig, config.to_string()).expect("writing the reader's kubeconfig");

    let (code, out, err) = run(kubeaudit()
        .args([
            "can-i",
            "get",
            "pods",
            "-n",
            "default",
            "--as",
            "e2e-pod-reader",
            "--kubeconfig",
        ])
        .arg(&kubeconfig));
    assert_eq!(
        code, 0,
        "a ClusterRoleBinding's yes stays a yes: {out}{err}"
    );
    let (code, out, err) = run(kubeaudit()
        .args([
            "can-i",
            "get",
            "pods",
            "-n",
            "default",
            "--as",
            "e2e-nobody",
            "--kubeconfig",
        ])
        .arg(&kubeconfig));
    assert_eq!(
        code, 2,
        "a no that a RoleBinding could change is a cannot-tell: {out}{err}"
    );
    assert!(
        err.contains("forbidden") || err.contains("RoleBinding"),
        "says what was missing: {err}"
    );
    assert!(!err.contains(token.trim()), "never prints the token");
    let (code, out, err) = run(kubeaudit()
        .args(["who-can", "get", "pods", "-n", "default", "--kubeconfig"])
        .arg(&kubeconfig));
    assert_eq!(code, 2, "who-can is only a lower bound: {out}{err}");

    // Leave the RBAC state as the bootstrap policy (the scenarios test records it).
    plane.kubectl_ok(&[
        "delete",
        "clusterrolebinding/e2e-cluster-rbac-reader",
        "clusterrolebinding/e2e-pod-reader",
        "clusterrole/e2e-cluster-rbac-reader",
    ]);
}
