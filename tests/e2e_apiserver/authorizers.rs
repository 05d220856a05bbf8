//! The authorizer chain against kube-apiserver started in the same modes: Node, ABAC and a
//! (loopback) Webhook before RBAC, and ABAC with every policy of the conformance cases. Every
//! request of the `node`, `chain` and `abac` sections, plus generated ones, is asked of the
//! API server (SubjectAccessReview) and of `kubeaudit review` with the same flags.
//!
//! The answers are recorded in `tests/data/apiserver/authorizers.json`; plain `cargo test`
//! replays them without Go (`tests/authorizer_vectors.rs`, with the same loopback webhook).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{self, kubeaudit, kubectl_objects, run, say, ControlPlane};
use crate::vectors::review_object;
use crate::webhook;

/// The chain of the combined control plane.
pub const MODES: &str = "Node,ABAC,Webhook,RBAC";

fn cases() -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/authz-cases.yaml");
    serde_saphyr::from_str(&std::fs::read_to_string(path).expect("authz cases"))
        .expect("authz cases YAML")
}

/// A conformance request as a SubjectAccessReview spec.
fn spec(req: &Value) -> Value {
    let mut spec = json!({ "user": req["user"] });
    if let Some(g) = req.get("groups") {
        spec["groups"] = g.clone();
    }
    if let Some(path) = req.get("nonResourceURL") {
        spec["nonResourceAttributes"] = json!({"path": path, "verb": req["verb"]});
        return spec;
    }
    let mut ra = serde_json::Map::new();
    for (from, to) in [
        ("verb", "verb"),
        ("apiGroup", "group"),
        ("resource", "resource"),
        ("subresource", "subresource"),
        ("name", "name"),
        ("namespace", "namespace"),
    ] {
        if let Some(v) = req
            .get(from)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
        {
            ra.insert(to.into(), json!(v));
        }
    }
    spec["resourceAttributes"] = Value::Object(ra);
    spec
}

/// The API server's (allowed, denied) for each spec.
fn server_answers(plane: &ControlPlane, specs: &[Value]) -> Vec<(bool, bool)> {
    let items: Vec<Value> = specs.iter().map(review_object).collect();
    let list = json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string();
    let out = plane.kubectl_stdin(&["create", "-f", "-", "-o", "json"], &list);
    assert!(
        out.status.success(),
        "POSTing SubjectAccessReviews failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = kubectl_objects(&out.stdout);
    assert_eq!(got.len(), specs.len());
    got.iter()
        .map(|a| {
            (
                a["status"]["allowed"] == true,
                a["status"]["denied"] == true,
            )
        })
        .collect()
}

/// kubeaudit's (allowed, denied) for each spec, from `review` with `flags`.
pub fn kubeaudit_answers(dir: &Path, specs: &[Value], flags: &[String]) -> Vec<(bool, bool)> {
    let file = dir.join("reviews.json");
    let items: Vec<Value> = specs.iter().map(review_object).collect();
    std::fs::write(
        &file,
        json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string(),
    )
    .expect("writing reviews");
    let (code, out, err) = run(kubeaudit()
        .arg("review")
        .arg(&file)
        .args(["-o", "json"])
        .args(flags));
    assert!(
        code == 0 || code == 1,
        "kubeaudit review exited {code}: {err}"
    );
    let v: Value = serde_json::from_str(&out).expect("review JSON");
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| {
            (
                a["status"]["allowed"] == true,
                a["status"]["denied"] == true,
            )
        })
        .collect()
}

/// Polls until the spec is allowed (the authorizer's caches follow writes shortly after).
fn wait_allowed(plane: &ControlPlane, spec: &Value, what: &str) {
    let start = Instant::now();
    while !server_answers(plane, std::slice::from_ref(spec))[0].0 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the API server never allowed {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The objects the combined plane holds besides its own bootstrap policy.
fn objects(cases: &Value) -> Vec<Value> {
    let node = &cases["node"][0]["objects"];
    let mut out = vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns1"}}),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "web-sa", "namespace": "ns1"}}),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "ns1"}}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "pod-reader"},
               "rules": [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}]}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "pod-readers"},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "pod-reader"},
               "subjects": [
                   {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "webhook-deny-bob"},
                   {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "rbac-reader"}]}),
    ];
    for o in node.as_array().expect("node objects") {
        let mut o = o.clone();
        // A mirror pod that references a Secret is refused by the ServiceAccount admission
        // plugin; the offline conformance test covers mirror pods.
        if !o["metadata"]["annotations"]["kubernetes.io/config.mirror"].is_null() {
            continue;
        }
        // Validation needs a PersistentVolume's capacity, access modes and source.
        if o["kind"] == "PersistentVolume" {
            o["spec"]["capacity"] = json!({"storage": "1Gi"});
            o["spec"]["accessModes"] = json!(["ReadWriteOnce"]);
            o["spec"]["hostPath"] = json!({"path": "/tmp/pv1"});
        }
        out.push(o);
    }
    out
}

/// The combined plane's ABAC policy: the chain section's, and lines for generated cases.
fn combined_policy(cases: &Value) -> String {
    let chain = cases["chain"].as_array().expect("chain");
    let abac = chain
        .iter()
        .find_map(|c| c["abacPolicy"].as_str())
        .expect("a chain case with an ABAC policy");
    format!(
        "{}\n{}\n{}\n",
        abac.trim_end(),
        r#"{"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{"user":"webhook-deny-abac","resource":"pods","namespace":"*","apiGroup":"*"}}"#,
        r#"{"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{"group":"abac-readers","readonly":true,"resource":"*","namespace":"ns1","apiGroup":"*"}}"#
    )
}

/// Requests made up for what the conformance sections do not cover: the webhook's Allow and
/// Deny against the authorizers before and after it, ABAC groups, node static rules.
fn generated() -> Vec<Value> {
    let auth = json!(["system:authenticated"]);
    let node = json!(["system:nodes", "system:authenticated"]);
    let ra = |user: &str, groups: &Value, verb: &str, resource: &str, ns: &str| {
        json!({"user": user, "groups": groups,
               "resourceAttributes": {"verb": verb, "resource": resource, "namespace": ns}})
    };
    vec![
        ra("webhook-allow-ann", &auth, "delete", "secrets", "ns1"),
        ra("webhook-deny-bob", &auth, "get", "pods", "ns1"),
        ra("rbac-reader", &auth, "get", "pods", "ns1"),
        ra("webhook-deny-abac", &auth, "get", "pods", "ns1"),
        ra("webhook-deny-abac", &auth, "get", "secrets", "ns1"),
        ra(
            "carol",
            &json!(["webhook-admins", "system:authenticated"]),
            "create",
            "nodes",
            "",
        ),
        ra("dave", &auth, "list", "webhookwidgets", "ns1"),
        ra(
            "erin",
            &json!(["abac-readers", "system:authenticated"]),
            "get",
            "secrets",
            "ns1",
        ),
        ra(
            "erin",
            &json!(["abac-readers", "system:authenticated"]),
            "delete",
            "secrets",
            "ns1",
        ),
        ra("system:node:n1", &node, "get", "services", "ns1"),
        ra("system:node:n1", &node, "get", "secrets", "ns1"),
        ra("webhook-deny-node", &node, "get", "services", "ns1"),
        json!({"user": "webhook-allow-x", "nonResourceAttributes": {"path": "/metrics", "verb": "get"}}),
        json!({"user": "frank", "groups": auth, "nonResourceAttributes": {"path": "/metrics", "verb": "get"}}),
    ]
}

fn recording_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/apiserver/authorizers.json")
}

fn compare(
    what: &str,
    specs: &[Value],
    server: &[(bool, bool)],
    ours: &[(bool, bool)],
) -> Vec<String> {
    specs
        .iter()
        .zip(server.iter().zip(ours))
        .filter(|(_, (s, o))| s != o)
        .map(|(spec, (s, o))| {
            format!("{what}: {spec}: kube-apiserver (allowed, denied) = {s:?}, kubeaudit = {o:?}")
        })
        .collect()
}

#[test]
fn the_authorizer_chain_agrees_with_kube_apiserver_in_the_same_modes() {
    if !harness::enabled() {
        return;
    }
    let cases = cases();
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-authz-work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work dir");
    let hook = webhook::start(&work);
    let mut failures = Vec::new();
    let mut recorded = json!({ "modes": MODES, "combined": {}, "abac": [] });

    // 1. Node, ABAC, Webhook and RBAC in one chain.
    let policy = work.join("policy.jsonl");
    std::fs::write(&policy, combined_policy(&cases)).expect("policy");
    let objects = objects(&cases);
    let objects_file = work.join("objects.json");
    std::fs::write(
        &objects_file,
        json!({"apiVersion": "v1", "kind": "List", "items": objects}).to_string(),
    )
    .expect("objects");
    let plane = harness::start_with(
        "e2e-authz",
        &[
            format!("--authorization-mode={MODES}"),
            format!("--authorization-policy-file={}", policy.display()),
            format!(
                "--authorization-webhook-config-file={}",
                hook.config.display()
            ),
            "--authorization-webhook-version=v1".into(),
        ],
    );
    // The server makes each new namespace's `default` ServiceAccount itself: when that lands
    // between apply's look and its create, the create fails; applying again settles it.
    let apply = || {
        plane.kubectl_stdin(
            &["apply", "-f", "-"],
            &std::fs::read_to_string(&objects_file).expect("objects"),
        )
    };
    let mut created = apply();
    for _ in 0..2 {
        if created.status.success()
            || !String::from_utf8_lossy(&created.stderr).contains("AlreadyExists")
        {
            break;
        }
        created = apply();
    }
    assert!(
        created.status.success(),
        "creating the objects: {}",
        String::from_utf8_lossy(&created.stderr)
    );
    let mut specs: Vec<Value> = Vec::new();
    for section in ["node", "chain"] {
        for c in cases[section].as_array().expect("section") {
            specs.push(spec(&c["request"]));
        }
    }
    specs.extend(generated());
    wait_allowed(
        &plane,
        &spec(&cases["node"][0]["request"]),
        "the node's secret (graph)",
    );
    wait_allowed(&plane, &generated()[2], "rbac-reader (RBAC cache)");
    let server = server_answers(&plane, &specs);
    plane.stop();
    let flags: Vec<String> = vec![
        "-f".into(),
        objects_file.display().to_string(),
        "--bootstrap-policy".into(),
        "--authorization-mode".into(),
        MODES.into(),
        "--authorization-policy-file".into(),
        policy.display().to_string(),
        "--authorization-webhook-config-file".into(),
        hook.config.display().to_string(),
        "--authorization-webhook-version".into(),
        "v1".into(),
    ];
    let ours = kubeaudit_answers(&work, &specs, &flags);
    failures.extend(compare(MODES, &specs, &server, &ours));
    say(&format!(
        "e2e: {MODES}: {} requests asked of kube-apiserver and kubeaudit ({} allowed, {} denied by the webhook)\n",
        specs.len(),
        server.iter().filter(|a| a.0).count(),
        server.iter().filter(|a| a.1).count()
    ));
    recorded["combined"] = json!({
        "policy": combined_policy(&cases),
        "objects": objects,
        "reviews": specs.iter().zip(&server).map(|(s, a)| json!({"spec": s, "allowed": a.0, "denied": a.1})).collect::<Vec<_>>(),
    });

    // 2. ABAC with each policy of the abac section (ABAC,RBAC: the controllers need RBAC).
    let mut by_policy: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for c in cases["abac"].as_array().expect("abac") {
        by_policy
            .entry(c["policy"].as_str().expect("policy").to_string())
            .or_default()
            .push(c);
    }
    let ns_file = work.join("ns.json");
    std::fs::write(
        &ns_file,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns1"}}).to_string(),
    )
    .expect("ns");
    for (i, (text, group)) in by_policy.iter().enumerate() {
        let file = work.join(format!("abac-{i}.jsonl"));
        std::fs::write(&file, text).expect("abac policy");
        let plane = harness::start_with(
            "e2e-abac",
            &[
                "--authorization-mode=ABAC,RBAC".into(),
                format!("--authorization-policy-file={}", file.display()),
            ],
        );
        let specs: Vec<Value> = group.iter().map(|c| spec(&c["request"])).collect();
        let server = server_answers(&plane, &specs);
        plane.stop();
        for (c, s) in group.iter().zip(&server) {
            // RBAC after ABAC can only add: every case ABAC allows, the server allows.
            if c["expect"] == "allow" && !s.0 {
                failures.push(format!(
                    "{}: the case expects allow; kube-apiserver denies",
                    c["name"]
                ));
            }
        }
        let flags: Vec<String> = vec![
            "-f".into(),
            ns_file.display().to_string(),
            "--bootstrap-policy".into(),
            "--authorization-mode".into(),
            "ABAC,RBAC".into(),
            "--authorization-policy-file".into(),
            file.display().to_string(),
        ];
        let ours = kubeaudit_answers(&work, &specs, &flags);
        failures.extend(compare(
            &format!("ABAC,RBAC policy {i}"),
            &specs,
            &server,
            &ours,
        ));
        recorded["abac"].as_array_mut().expect("abac").push(json!({
            "policy": text,
            "reviews": specs.iter().zip(&server).map(|(s, a)| json!({"spec": s, "allowed": a.0, "denied": a.1})).collect::<Vec<_>>(),
        }));
    }
    say(&format!(
        "e2e: ABAC,RBAC: {} policies, {} cases asked of kube-apiserver and kubeaudit\n",
        by_policy.len(),
        by_policy.values().map(Vec::len).sum::<usize>()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let text = serde_json::to_string_pretty(&recorded).expect("json") + "\n";
    if std::env::var("KUBEAUDIT_E2E_RECORD").as_deref() == Ok("1") {
        std::fs::write(recording_path(), &text).expect("recording");
    } else {
        let old = std::fs::read_to_string(recording_path()).unwrap_or_default();
        assert!(
            old == text,
            "tests/data/apiserver/authorizers.json is stale: re-record with KUBEAUDIT_E2E=1 KUBEAUDIT_E2E_RECORD=1 cargo test --test e2e_apiserver authorizer"
        );
    }
}
