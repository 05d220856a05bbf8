//! How rbac-oracle `who-can` cases and `can-i --list` identities are asked through the binary,
//! and how subjects compare: the conformance CLI test, the kube-apiserver comparison and its
//! offline replay all use these.

use kubeaudit::model::discovery::Discovery;
use serde_json::Value;

fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The `who-can` arguments for a case, and whether to keep only the subjects `-A` reports as
/// allowed cluster-wide (`namespaces: ["*"]`). Namespace set → `-n NS`; a namespaced resource
/// with namespace "" → `-A`; cluster-scoped resources and URLs → neither.
pub fn command_line(case: &Value, discovery: &Discovery) -> (Vec<String>, bool) {
    let verb = field(case, "verb").to_string();
    if let Some(url) = case.get("nonResourceURL").and_then(Value::as_str) {
        return (vec![verb, url.to_string()], false);
    }
    let (group, resource) = (field(case, "apiGroup"), field(case, "resource"));
    let mut target = if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    };
    if !field(case, "name").is_empty() {
        target = format!("{target}/{}", field(case, "name"));
    }
    let mut args = vec![verb.clone(), target];
    let sub = field(case, "subresource");
    if !sub.is_empty() {
        args.extend(["--subresource".to_string(), sub.to_string()]);
    }
    let ns = field(case, "namespace");
    // bind on a ClusterRole is asked in the namespace of the RoleBinding being created.
    let namespaced = discovery.is_namespaced(group, resource) == Some(true)
        || (verb == "bind" && resource == "clusterroles" && sub.is_empty());
    if !ns.is_empty() {
        args.extend(["-n".to_string(), ns.to_string()]);
        (args, false)
    } else if namespaced {
        args.push("-A".to_string());
        (args, true)
    } else {
        (args, false)
    }
}

/// One identity for a subject, whichever way it is written: a ServiceAccount and the User
/// `system:serviceaccount:NS:NAME` are the same (`ServiceAccount:NS/NAME`); otherwise
/// `User:NAME` or `Group:NAME`. `namespace` is the binding's, for ServiceAccounts without one.
pub fn identity(subject: &Value, binding_namespace: &str) -> String {
    let name = field(subject, "name");
    match field(subject, "kind") {
        "ServiceAccount" => {
            let ns = match field(subject, "namespace") {
                "" => binding_namespace,
                ns => ns,
            };
            format!("ServiceAccount:{ns}/{name}")
        }
        "User" => match name
            .strip_prefix("system:serviceaccount:")
            .and_then(|rest| rest.split_once(':'))
        {
            Some((ns, sa)) if !ns.is_empty() && !sa.is_empty() && !sa.contains(':') => {
                format!("ServiceAccount:{ns}/{sa}")
            }
            _ => format!("User:{name}"),
        },
        kind => format!("{kind}:{name}"),
    }
}

/// The subjects of a `who-can -o json` report as identities (only those allowed cluster-wide
/// when `star_only`).
pub fn reported(report: &Value, star_only: bool) -> std::collections::BTreeSet<String> {
    report["subjects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| !star_only || s["namespaces"] == serde_json::json!(["*"]))
        .map(|s| identity(s, ""))
        .collect()
}

/// The `--as`/`--as-group`/`-n` arguments of a `can-i --list` identity
/// (`{user, groups, namespace}`).
pub fn list_args(id: &Value) -> Vec<String> {
    let mut args = vec!["--as".to_string(), field(id, "user").to_string()];
    for g in id["groups"].as_array().into_iter().flatten() {
        args.extend([
            "--as-group".to_string(),
            g.as_str().unwrap_or("").to_string(),
        ]);
    }
    args.extend(["-n".to_string(), field(id, "namespace").to_string()]);
    args
}

/// `can-i --list` output in a form that does not depend on the order the API server's
/// informer caches hand out bindings (Go map order): kubectl merges the verbs of rules of the
/// same group/resource/names in the order they arrive and sorts rows by the merged rule, so
/// the verbs of each row are sorted here and the rows after the header too.
pub fn normalized_rules(text: &str) -> Vec<String> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("").to_string();
    let mut rows: Vec<String> = lines
        .map(|line| match line.rfind('[') {
            Some(open) if line.ends_with(']') => {
                let mut verbs: Vec<&str> = line[open + 1..line.len() - 1].split(' ').collect();
                verbs.sort_unstable();
                format!("{}[{}]", &line[..open], verbs.join(" "))
            }
            _ => line.to_string(),
        })
        .collect();
    rows.sort();
    std::iter::once(header).chain(rows).collect()
}
