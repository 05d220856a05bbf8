//! What the kube-apiserver recorder (`tests/e2e_apiserver.rs`) and its offline replay
//! (`tests/apiserver_vectors.rs`) must compute the same way.

use serde_json::{json, Value};

/// The SubjectAccessReview spec of an rbac-oracle can-i case (user and groups exactly as given).
pub fn review_spec(case: &Value) -> Value {
    let mut spec = if let Some(url) = case.get("nonResourceURL") {
        json!({"nonResourceAttributes": {"verb": case["verb"], "path": url}})
    } else {
        json!({"resourceAttributes": {"verb": case["verb"], "group": case["apiGroup"], "resource": case["resource"],
            "subresource": case["subresource"], "name": case["name"], "namespace": case["namespace"]}})
    };
    spec["user"] = case["user"].clone();
    spec["groups"] = case["groups"].clone();
    spec
}

/// A SubjectAccessReview object around a spec.
pub fn review_object(spec: &Value) -> Value {
    json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec})
}

/// An object's (kind, namespace, name).
#[allow(dead_code)] // the kube-apiserver tests use it; the offline replay does not
pub fn object_key(o: &Value) -> (String, String, String) {
    let s = |p: &str| {
        o.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (s("/kind"), s("/metadata/namespace"), s("/metadata/name"))
}

/// 64-bit FNV-1a over the parts: the fingerprint that tells recorded answers from stale ones.
pub fn fingerprint(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.iter().chain(b"\0") {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// The bundled example files (`examples/cluster/*.yaml`, in name order) and their texts; the
/// texts joined by `\n---\n` are what the examples' recording's fingerprint covers.
pub fn example_files() -> Vec<(std::path::PathBuf, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cluster");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .expect("examples/cluster")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("an example file");
            (f, text)
        })
        .collect()
}

/// can-i and who-can cases for a set of objects (the bundled examples), in the rbac-oracle
/// case format: every subject of every binding (a group through a member bound to nothing
/// else, a ServiceAccount with its groups) and `system:anonymous`, asking what the rules of
/// every Role and ClusterRole name (wildcards replaced by concrete values) plus a few requests
/// no rule names, in a rotation of namespaces. Deterministic: the same objects give the same
/// cases.
pub fn example_cases(objects: &[Value]) -> Vec<Value> {
    use std::collections::BTreeSet;
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|x| x.as_str().unwrap_or("").to_string())
            .collect()
    };
    let mut identities: Vec<(String, Vec<String>)> = vec![(
        "system:anonymous".into(),
        vec!["system:unauthenticated".into()],
    )];
    let mut namespaces: Vec<String> = Vec::new();
    // (group, resource, subresource, name, verb) and (url, verb)
    let mut requests: BTreeSet<(String, String, String, String, String)> = BTreeSet::new();
    let mut urls: BTreeSet<(String, String)> = BTreeSet::new();
    for o in objects {
        let kind = o["kind"].as_str().unwrap_or("");
        if kind == "Namespace" {
            namespaces.push(s(&o["metadata"]["name"]));
        }
        if kind == "RoleBinding" || kind == "ClusterRoleBinding" {
            let binding_ns = s(&o["metadata"]["namespace"]);
            for sub in o["subjects"].as_array().into_iter().flatten() {
                let name = s(&sub["name"]);
                let id = match sub["kind"].as_str().unwrap_or("") {
                    "User" => (name, vec!["system:authenticated".into()]),
                    "Group" => (
                        format!("kubeaudit:e2e:member-of:{name}"),
                        vec![name, "system:authenticated".into()],
                    ),
                    _ => {
                        let ns = match s(&sub["namespace"]) {
                            n if n.is_empty() => binding_ns.clone(),
                            n => n,
                        };
                        (
                            format!("system:serviceaccount:{ns}:{name}"),
                            vec![
                                "system:serviceaccounts".into(),
                                format!("system:serviceaccounts:{ns}"),
                                "system:authenticated".into(),
                            ],
                        )
                    }
                };
                if !identities.contains(&id) {
                    identities.push(id);
                }
            }
        }
        if kind == "Role" || kind == "ClusterRole" {
            for rule in o["rules"].as_array().into_iter().flatten() {
                let verbs: Vec<String> = strings(&rule["verbs"])
                    .into_iter()
                    .flat_map(|v| {
                        if v == "*" {
                            vec!["get".to_string(), "delete".to_string()]
                        } else {
                            vec![v]
                        }
                    })
                    .collect();
                for url in strings(&rule["nonResourceURLs"]) {
                    let url = match url.strip_suffix('*') {
                        Some("") => "/kubeaudit".to_string(),
                        Some(prefix) => format!("{prefix}kubeaudit"),
                        None => url,
                    };
                    for v in &verbs {
                        urls.insert((url.clone(), v.clone()));
                    }
                }
                let mut names = vec![String::new()];
                names.extend(strings(&rule["resourceNames"]).into_iter().take(1));
                for g in strings(&rule["apiGroups"]) {
                    let groups = if g == "*" {
                        vec![String::new(), "apps".into()]
                    } else {
                        vec![g]
                    };
                    for r in strings(&rule["resources"]) {
                        let (res, sub) = match r.split_once('/') {
                            Some((res, sub)) => (res.to_string(), sub.to_string()),
                            None => (r.clone(), String::new()),
                        };
                        let res = if res == "*" { "pods".into() } else { res };
                        let sub = if sub == "*" { "exec".into() } else { sub };
                        for g in &groups {
                            for n in &names {
                                for v in &verbs {
                                    requests.insert((
                                        g.clone(),
                                        res.clone(),
                                        sub.clone(),
                                        n.clone(),
                                        v.clone(),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // What no rule names, or only some roles do.
    for (g, r, sub, v) in [
        ("", "secrets", "", "get"),
        ("", "secrets", "", "list"),
        ("", "pods", "exec", "create"),
        ("", "nodes", "proxy", "get"),
        ("", "users", "", "impersonate"),
        ("", "serviceaccounts", "token", "create"),
        ("rbac.authorization.k8s.io", "clusterroles", "", "escalate"),
        ("rbac.authorization.k8s.io", "clusterroles", "", "bind"),
        ("rbac.authorization.k8s.io", "rolebindings", "", "create"),
        ("apps", "deployments", "", "create"),
        ("kubeaudit.example", "widgets", "", "get"),
    ] {
        requests.insert((g.into(), r.into(), sub.into(), String::new(), v.into()));
    }
    urls.insert(("/healthz".into(), "get".into()));
    urls.insert(("/metrics".into(), "get".into()));
    if namespaces.is_empty() {
        namespaces.push("default".into());
    }
    namespaces.sort();

    let mut cases = Vec::new();
    let mut id = 0usize;
    let mut next_id = || {
        id += 1;
        format!("x{id:05}")
    };
    let resource = |(g, r, sub, n, v): &(String, String, String, String, String), ns: &str| json!({"verb": v, "apiGroup": g, "resource": r, "subresource": sub, "name": n, "namespace": ns});
    for (i, req) in requests.iter().enumerate() {
        let rotation = [
            String::new(),
            namespaces[i % namespaces.len()].clone(),
            namespaces[(i + 1) % namespaces.len()].clone(),
        ];
        for (user, groups) in &identities {
            for ns in &rotation {
                let mut case = resource(req, ns);
                case["id"] = json!(next_id());
                case["type"] = json!("can-i");
                case["user"] = json!(user);
                case["groups"] = json!(groups);
                cases.push(case);
            }
        }
        if i % 2 == 0 {
            let ns = if i % 4 == 0 { "" } else { rotation[1].as_str() };
            let mut case = resource(req, ns);
            case["id"] = json!(next_id());
            case["type"] = json!("who-can");
            cases.push(case);
        }
    }
    for (i, (url, verb)) in urls.iter().enumerate() {
        for (user, groups) in &identities {
            cases.push(
                json!({"id": next_id(), "type": "can-i", "user": user, "groups": groups,
                "verb": verb, "nonResourceURL": url}),
            );
        }
        if i % 2 == 0 {
            cases.push(
                json!({"id": next_id(), "type": "who-can", "verb": verb, "nonResourceURL": url}),
            );
        }
    }
    cases
}
