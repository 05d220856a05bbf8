//! Runs every case of `tests/data/conformance/netpol-cases.yaml` through the NetworkPolicy
//! engine and checks every query: reachability (verdict, implementation-defined flag,
//! loopback), namespace default-deny (strict, lenient, allow-all) and pod isolation.
//! All failures are collected and reported together.

use kubeaudit::netpol::{Endpoint, NetworkModel, Protocol};
use serde_json::{json, Map, Value};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/conformance/netpol-cases.yaml"
);

fn load() -> Value {
    let text =
        std::fs::read_to_string(CASES).unwrap_or_else(|e| panic!("cannot read {CASES}: {e}"));
    // YAML 1.2 booleans only: with YAML 1.1 rules a namespace named `y` would become `true`.
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(&text, options)
        .unwrap_or_else(|e| panic!("cannot parse {CASES}: {e}"))
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The case's namespaces, nodes, pods and policies as the raw Kubernetes objects a cluster or
/// manifest would hold (Pod status carries podIP/hostIP; Node status carries its address).
fn objects(case: &Value, id: &str) -> Vec<(Value, String)> {
    let mut out = Vec::new();
    let node_ip = |name: &str| -> Option<Value> {
        case.get("nodes")?
            .as_array()?
            .iter()
            .find(|n| str_field(n, "name") == Some(name))
            .and_then(|n| n.get("ip").cloned())
    };
    for (i, n) in case
        .get("nodes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push((
            json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": n["name"]},
                   "status": {"addresses": [{"type": "InternalIP", "address": n["ip"]}]}}),
            format!("{id} nodes[{i}]"),
        ));
    }
    for (i, ns) in case
        .get("namespaces")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push((
            json!({"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": ns["name"], "labels": ns.get("labels").cloned().unwrap_or(json!({}))}}),
            format!("{id} namespaces[{i}]"),
        ));
    }
    for (i, p) in case
        .get("pods")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let mut status = Map::new();
        if let Some(ip) = p.get("ip") {
            status.insert("podIP".into(), ip.clone());
            status.insert("podIPs".into(), json!([{"ip": ip}]));
        }
        if let Some(hip) = str_field(p, "node").and_then(node_ip) {
            status.insert("hostIP".into(), hip);
        }
        let mut spec = Map::new();
        spec.insert(
            "containers".into(),
            p.get("containers").cloned().unwrap_or(json!([])),
        );
        if let Some(node) = p.get("node") {
            spec.insert("nodeName".into(), node.clone());
        }
        if let Some(h) = p.get("hostNetwork") {
            spec.insert("hostNetwork".into(), h.clone());
        }
        out.push((
            json!({"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": p["name"], "namespace": p["namespace"],
                                "labels": p.get("labels").cloned().unwrap_or(json!({}))},
                   "spec": spec, "status": status}),
            format!("{id} pods[{i}]"),
        ));
    }
    for (i, p) in case
        .get("policies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push((p.clone(), format!("{id} policies[{i}]")));
    }
    out
}

#[derive(Default)]
struct Tally {
    reach: usize,
    namespace: usize,
    pod: usize,
    failures: Vec<String>,
}

fn check_reach(model: &NetworkModel, q: &Value, fail: &mut dyn FnMut(String)) {
    let (Some(from), Some(to), Some(port), Some(proto), Some(expect)) = (
        str_field(q, "from"),
        str_field(q, "to"),
        q.get("port").and_then(Value::as_i64),
        str_field(q, "protocol"),
        str_field(q, "expect"),
    ) else {
        return fail("malformed reachability query".into());
    };
    let expect_allowed = match expect {
        "allow" => true,
        "deny" => false,
        other => return fail(format!("unknown expect `{other}`")),
    };
    let parsed = (|| -> Result<_, kubeaudit::netpol::NetpolError> {
        let port = kubeaudit::netpol::validate_port(port)?;
        let proto: Protocol = proto.parse()?;
        model.can_reach(&Endpoint::parse(from)?, &Endpoint::parse(to)?, port, proto)
    })();
    let r = match parsed {
        Ok(r) => r,
        Err(e) => return fail(format!("error: {e}")),
    };
    if r.allowed != expect_allowed {
        fail(format!(
            "expected {expect}, got {} (egress: {:?}, ingress: {:?})",
            if r.allowed { "allow" } else { "deny" },
            r.egress.decision,
            r.ingress.decision
        ));
    }
    let expect_impl = q
        .get("implementation_defined")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if r.implementation_defined != expect_impl {
        fail(format!(
            "implementationDefined: expected {expect_impl}, got {} ({:?})",
            r.implementation_defined, r.implementation_defined_reasons
        ));
    }
    if let Some(lb) = q.get("loopback").and_then(Value::as_bool) {
        if r.loopback != lb {
            fail(format!("loopback: expected {lb}, got {}", r.loopback));
        }
    }
}

fn check_namespace(model: &NetworkModel, q: &Value, fail: &mut dyn FnMut(String)) {
    let Some(ns) = str_field(q, "namespace") else {
        return fail("malformed namespace query".into());
    };
    let p = model.namespace_posture(ns);
    let checks = [
        ("expect_default_deny_ingress", p.ingress.default_deny, true),
        ("expect_default_deny_egress", p.egress.default_deny, true),
        (
            "expect_all_pods_isolated_ingress",
            p.ingress.all_pods_isolated,
            false,
        ),
        (
            "expect_all_pods_isolated_egress",
            p.egress.all_pods_isolated,
            false,
        ),
        (
            "expect_allow_all_ingress_policy",
            p.ingress.allow_all,
            false,
        ),
        ("expect_allow_all_egress_policy", p.egress.allow_all, false),
    ];
    for (key, got, required) in checks {
        match q.get(key).and_then(Value::as_bool) {
            Some(want) if want != got => fail(format!("{key}: expected {want}, got {got}")),
            Some(_) => {}
            None if required => fail(format!("{key} missing from query")),
            None => {}
        }
    }
}

fn check_pod(model: &NetworkModel, q: &Value, fail: &mut dyn FnMut(String)) {
    let Some((ns, name)) = str_field(q, "pod").and_then(|p| p.split_once('/')) else {
        return fail("malformed pod query".into());
    };
    let iso = match model.pod_isolation(ns, name) {
        Ok(i) => i,
        Err(e) => return fail(format!("error: {e}")),
    };
    for (key, got) in [
        ("expect_isolated_ingress", iso.ingress_isolated),
        ("expect_isolated_egress", iso.egress_isolated),
    ] {
        match q.get(key).and_then(Value::as_bool) {
            Some(want) if want != got => fail(format!("{key}: expected {want}, got {got}")),
            Some(_) => {}
            None => fail(format!("{key} missing from query")),
        }
    }
}

fn run_case(case: &Value, tally: &mut Tally) {
    let id = str_field(case, "id").unwrap_or("(no id)").to_string();
    let model = match NetworkModel::from_objects(objects(case, &id)) {
        Ok(m) => m,
        Err(e) => {
            tally.failures.push(format!("[{id}] model: {e}"));
            return;
        }
    };
    for (i, q) in case
        .get("queries")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let mut fails = Vec::new();
        let mut fail = |m: String| fails.push(m);
        if q.get("from").is_some() || q.get("to").is_some() {
            tally.reach += 1;
            check_reach(&model, q, &mut fail);
        } else if q.get("namespace").is_some() {
            tally.namespace += 1;
            check_namespace(&model, q, &mut fail);
        } else if q.get("pod").is_some() {
            tally.pod += 1;
            check_pod(&model, q, &mut fail);
        } else {
            fail("unknown query kind".into());
        }
        for f in fails {
            tally.failures.push(format!("[{id}] queries[{i}] {q}: {f}"));
        }
    }
}

#[test]
fn netpol_conformance_cases() {
    let doc = load();
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{CASES} has no `cases` list"));
    let mut tally = Tally::default();
    for case in cases {
        run_case(case, &mut tally);
    }
    let total = tally.reach + tally.namespace + tally.pod;
    eprintln!(
        "netpol conformance: {} cases, {total} queries ({} reachability, {} namespace, {} pod), {} failures",
        cases.len(),
        tally.reach,
        tally.namespace,
        tally.pod,
        tally.failures.len()
    );
    assert!(
        cases.len() >= 63 && total >= 250,
        "too few cases/queries loaded: {} / {total}",
        cases.len()
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {total} netpol conformance queries failed:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
}
