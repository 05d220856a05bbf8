//! A sample of `tests/data/conformance/netpol-cases.yaml` through the binary: each chosen
//! case's objects are written to a temporary file as one `List`, and every query of the case
//! is asked with `can-reach` (verdict, exit code, implementation-defined flag) or
//! `default-deny -o json` (namespace posture, pod isolation). All failures are reported
//! together.

use std::io::Write as _;

use serde_json::{json, Map, Value};

use crate::util::{conformance, kubeaudit, stderr, stdout};

/// Cases covering the main semantics: default-deny forms, AND/OR peers, ipBlock/except,
/// protocols, policyTypes defaulting, synthesized namespace labels, hostNetwork and node
/// traffic, the admin/baseline tiers, named ports and the allow-all override.
const SAMPLE: [&str; 13] = [
    "e2e-default-deny-ingress",
    "e2e-podselector-and-namespaceselector",
    "except-is-not-deny-union",
    "e2e-sctp-only-isolates",
    "lookalike-egress-rules-without-policytypes",
    "metadata-name-label-synthesized",
    "hostnetwork-pods",
    "pa-anp-pass-then-banp",
    "node-local-traffic-allowed",
    "kubeaudit-namespace-has-default-deny-and-allow-all-netpol",
    "named-port-differs-per-pod",
    "e2e-egress-cidr-pod-ip",
    "recipe-12-default-deny-egress",
];

fn load_cases() -> Vec<Value> {
    let path = conformance().join("netpol-cases.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    // YAML 1.2 booleans: a namespace called `y` must stay a string.
    let options = serde_saphyr::options! { strict_booleans: true };
    let doc: Value = serde_saphyr::from_str_with_options(&text, options)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
    doc.get("cases")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_else(|| panic!("{} has no cases", path.display()))
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// The case as the Kubernetes objects a cluster dump would hold.
fn case_objects(case: &Value) -> Value {
    let mut items = Vec::new();
    let node_ip = |name: &Value| {
        list(case, "nodes")
            .find(|n| &n["name"] == name)
            .map(|n| n["ip"].clone())
    };
    for n in list(case, "nodes") {
        items.push(
            json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": n["name"]},
            "status": {"addresses": [{"type": "InternalIP", "address": n["ip"]}]}}),
        );
    }
    for ns in list(case, "namespaces") {
        items.push(json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": ns["name"], "labels": ns.get("labels").cloned().unwrap_or(json!({}))}}));
    }
    for p in list(case, "pods") {
        let mut spec = Map::new();
        spec.insert(
            "containers".into(),
            p.get("containers").cloned().unwrap_or(json!([])),
        );
        let mut status = Map::new();
        if let Some(ip) = p.get("ip") {
            status.insert("podIP".into(), ip.clone());
            status.insert("podIPs".into(), json!([{"ip": ip}]));
        }
        if let Some(node) = p.get("node") {
            spec.insert("nodeName".into(), node.clone());
            if let Some(hip) = node_ip(node) {
                status.insert("hostIP".into(), hip);
            }
        }
        if let Some(h) = p.get("hostNetwork") {
            spec.insert("hostNetwork".into(), h.clone());
        }
        items.push(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": p["name"], "namespace": p["namespace"],
                         "labels": p.get("labels").cloned().unwrap_or(json!({}))},
            "spec": spec, "status": status}));
    }
    items.extend(list(case, "policies").cloned());
    json!({"apiVersion": "v1", "kind": "List", "items": items})
}

fn reach(file: &std::path::Path, q: &Value) -> Result<(), String> {
    let s = |k: &str| q.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let port = q
        .get("port")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        .to_string();
    let a = kubeaudit()
        .args(["can-reach", &s("from"), &s("to"), "--port", &port])
        .args(["--protocol", &s("protocol"), "-o", "json", "-f"])
        .arg(file)
        .assert();
    let code = a.get_output().status.code();
    let want_allowed = s("expect") == "allow";
    let want_code = if want_allowed { 0 } else { 1 };
    if code != Some(want_code) {
        return Err(format!(
            "exit {code:?}, expected {want_code}; stderr: {}",
            stderr(&a)
        ));
    }
    let v: Value = serde_json::from_str(&stdout(&a)).map_err(|e| format!("bad JSON: {e}"))?;
    if v["allowed"] != want_allowed {
        return Err(format!("allowed {}, expected {want_allowed}", v["allowed"]));
    }
    let want_impl = q
        .get("implementation_defined")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if v["implementationDefined"] != want_impl {
        return Err(format!(
            "implementationDefined {}, expected {want_impl} ({})",
            v["implementationDefined"], v["implementationDefinedReasons"]
        ));
    }
    if let Some(lb) = q.get("loopback") {
        if &v["loopback"] != lb {
            return Err(format!("loopback {}, expected {lb}", v["loopback"]));
        }
    }
    Ok(())
}

fn default_deny(file: &std::path::Path, namespace: &str) -> Result<(Value, Option<i32>), String> {
    let a = kubeaudit()
        .args(["default-deny", "-n", namespace, "-o", "json", "-f"])
        .arg(file)
        .assert();
    let v: Value = serde_json::from_str(&stdout(&a))
        .map_err(|e| format!("bad JSON ({e}); stderr: {}", stderr(&a)))?;
    let ns = v["namespaces"]
        .as_array()
        .and_then(|a| a.iter().find(|n| n["namespace"] == namespace))
        .cloned()
        .ok_or_else(|| format!("namespace {namespace} missing from {v}"))?;
    Ok((ns, a.get_output().status.code()))
}

fn namespace_query(file: &std::path::Path, q: &Value) -> Result<(), String> {
    let name = q["namespace"].as_str().unwrap_or("");
    let (ns, code) = default_deny(file, name)?;
    let fields = [
        ("expect_default_deny_ingress", "/ingress/defaultDeny"),
        ("expect_default_deny_egress", "/egress/defaultDeny"),
        (
            "expect_all_pods_isolated_ingress",
            "/ingress/allPodsIsolated",
        ),
        ("expect_all_pods_isolated_egress", "/egress/allPodsIsolated"),
        ("expect_allow_all_ingress_policy", "/ingress/allowAll"),
        ("expect_allow_all_egress_policy", "/egress/allowAll"),
    ];
    for (key, pointer) in fields {
        if let Some(want) = q.get(key) {
            if ns.pointer(pointer) != Some(want) {
                return Err(format!(
                    "{key}: got {:?}, expected {want}",
                    ns.pointer(pointer)
                ));
            }
        }
    }
    let both = q["expect_default_deny_ingress"] == true && q["expect_default_deny_egress"] == true;
    let want_code = if both { 0 } else { 1 };
    if code != Some(want_code) {
        return Err(format!("exit {code:?}, expected {want_code}"));
    }
    Ok(())
}

fn pod_query(file: &std::path::Path, q: &Value) -> Result<(), String> {
    let Some((ns, name)) = q["pod"].as_str().and_then(|p| p.split_once('/')) else {
        return Err("malformed pod query".into());
    };
    let (posture, _) = default_deny(file, ns)?;
    let pod = posture["pods"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["name"] == name))
        .ok_or_else(|| format!("pod {name} missing from {posture}"))?;
    for (key, field) in [
        ("expect_isolated_ingress", "ingressIsolated"),
        ("expect_isolated_egress", "egressIsolated"),
    ] {
        if let Some(want) = q.get(key) {
            if &pod[field] != want {
                return Err(format!("{key}: got {}, expected {want}", pod[field]));
            }
        }
    }
    Ok(())
}

#[test]
fn sample_of_netpol_conformance_cases_through_the_binary() {
    let cases = load_cases();
    let mut failures = Vec::new();
    let (mut reach_n, mut ns_n, mut pod_n) = (0, 0, 0);
    for id in SAMPLE {
        let case = cases
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("case {id} not in netpol-cases.yaml"));
        let mut file = tempfile::Builder::new()
            .suffix(".json")
            .tempfile()
            .expect("temp file");
        let text = serde_json::to_string(&case_objects(case)).expect("serialize");
        file.write_all(text.as_bytes()).expect("write");
        for (i, q) in list(case, "queries").enumerate() {
            let result = if q.get("from").is_some() {
                reach_n += 1;
                reach(file.path(), q)
            } else if q.get("namespace").is_some() {
                ns_n += 1;
                namespace_query(file.path(), q)
            } else if q.get("pod").is_some() {
                pod_n += 1;
                pod_query(file.path(), q)
            } else {
                Err("unknown query kind".into())
            };
            if let Err(e) = result {
                failures.push(format!("[{id}] queries[{i}] {q}: {e}"));
            }
        }
    }
    eprintln!(
        "netpol conformance sample: {} cases, {reach_n} can-reach, {ns_n} namespace, {pod_n} pod queries",
        SAMPLE.len()
    );
    assert!(
        reach_n >= 30 && ns_n >= 3 && pod_n >= 2,
        "sample too small: {reach_n}/{ns_n}/{pod_n}"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
