//! who-can ⇔ can-i: on every rbac-oracle scenario and every who-can question of it, each
//! subject the model knows (as an identity: a User by name, a Group through a member, a
//! ServiceAccount by its username) is listed iff can-i (authorize, literal) says yes. And with
//! all namespaces: listed for namespace N (or `*`) iff can-i says yes in N.

use std::path::{Path, PathBuf};

use kubeaudit::model::access::SubjectKey;
use kubeaudit::model::discovery::Discovery;
use kubeaudit::model::{AccessModel, Inventory};
use kubeaudit::rbac::who_can::AllowedSubject;
use kubeaudit::rbac::{Attributes, Explain, NonResourceAttributes, ResourceAttributes, UserInfo};
use kubeaudit::source::manifest;
use serde_json::Value;

/// A user name no binding of the scenarios uses, for "a member of group G".
const PROBE: &str = "kubeaudit:test:group-member";

fn oracle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/rbac-oracle")
}

fn scenarios() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(oracle())
        .expect("rbac-oracle directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("objects.yaml").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 90, "expected the rbac-oracle scenarios");
    dirs
}

fn model(path: &Path) -> AccessModel {
    let read = manifest::read_paths(&[path.to_path_buf()]).unwrap_or_else(|e| panic!("{e}"));
    let mut inv = Inventory::default();
    inv.add_objects(read.objects)
        .unwrap_or_else(|e| panic!("{e}"));
    AccessModel::build(&inv)
}

fn cases(path: &Path) -> Vec<Value> {
    if !path.exists() {
        return Vec::new();
    }
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str::<Vec<Value>>(&text) {
        Ok(list) => list,
        // cases.json: one object per line.
        Err(_) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
            .collect(),
    }
}

fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn attributes(case: &Value, namespace: &str) -> Attributes {
    if let Some(path) = case.get("nonResourceURL").and_then(Value::as_str) {
        return Attributes::NonResource(NonResourceAttributes {
            verb: field(case, "verb").into(),
            path: path.into(),
        });
    }
    Attributes::Resource(ResourceAttributes {
        verb: field(case, "verb").into(),
        group: field(case, "apiGroup").into(),
        resource: field(case, "resource").into(),
        subresource: field(case, "subresource").into(),
        name: field(case, "name").into(),
        namespace: namespace.into(),
    })
}

/// The identity a binding subject describes, if it describes one.
fn identity(s: &SubjectKey) -> Option<UserInfo> {
    match s.kind.as_str() {
        "User" => Some(UserInfo {
            name: s.name.clone(),
            groups: Vec::new(),
        }),
        "Group" => Some(UserInfo {
            name: PROBE.into(),
            groups: vec![s.name.clone()],
        }),
        "ServiceAccount" if !s.namespace.is_empty() => Some(UserInfo {
            name: format!("system:serviceaccount:{}:{}", s.namespace, s.name),
            groups: Vec::new(),
        }),
        _ => None,
    }
}

/// Whether a listed subject covers the identity.
fn covers(s: &AllowedSubject, who: &UserInfo) -> bool {
    match s.kind {
        "User" => who.name == s.name,
        "Group" => who.groups.iter().any(|g| g == s.name),
        "ServiceAccount" => s
            .namespace
            .is_some_and(|ns| who.name == format!("system:serviceaccount:{ns}:{}", s.name)),
        _ => false,
    }
}

fn identities(model: &AccessModel) -> Vec<UserInfo> {
    let mut out: Vec<UserInfo> = model.subjects.iter().filter_map(identity).collect();
    out.push(UserInfo {
        name: PROBE.into(),
        groups: vec!["system:masters".into()],
    });
    out
}

#[test]
fn who_can_lists_exactly_the_identities_can_i_allows() {
    let mut failures = Vec::new();
    let mut checks = 0usize;
    for dir in scenarios() {
        let scenario = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let model = model(&dir.join("objects.yaml"));
        let people = identities(&model);
        let all_cases = cases(&dir.join("cases.json"))
            .into_iter()
            .chain(cases(&dir.join("who-can-cli.json")))
            .filter(|c| field(c, "type") == "who-can");
        for case in all_cases {
            let attrs = attributes(&case, field(&case, "namespace"));
            let answer = model.who_can(&attrs);
            for who in &people {
                checks += 1;
                let allowed = model.authorize(who, &attrs, Explain::default()).allowed;
                let listed = answer.subjects.iter().any(|s| covers(s, who));
                if allowed != listed {
                    failures.push(format!(
                        "{scenario}/{}: {who:?}: can-i {allowed}, who-can lists {listed}",
                        field(&case, "id")
                    ));
                }
            }
        }
    }
    assert!(checks > 10_000, "expected many checks, ran {checks}");
    assert!(
        failures.is_empty(),
        "{} of {checks} disagree:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

#[test]
fn all_namespaces_lists_where_can_i_allows() {
    let discovery = Discovery::builtin();
    let mut failures = Vec::new();
    let mut checks = 0usize;
    for dir in scenarios() {
        let scenario = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let model = model(&dir.join("objects.yaml"));
        let people = identities(&model);
        let mut namespaces = model.namespaces.clone();
        namespaces.push("never-bound-anywhere".into());
        for case in cases(&dir.join("who-can-cli.json")) {
            if case.get("nonResourceURL").is_some()
                || discovery.is_namespaced(field(&case, "apiGroup"), field(&case, "resource"))
                    != Some(true)
            {
                continue;
            }
            let answer = model.who_can_all_namespaces(&attributes(&case, ""));
            for ns in &namespaces {
                let attrs = attributes(&case, ns);
                for who in &people {
                    checks += 1;
                    let allowed = model.authorize(who, &attrs, Explain::default()).allowed;
                    let listed = answer.subjects.iter().any(|s| {
                        covers(s, who)
                            && s.namespaces
                                .as_ref()
                                .is_some_and(|w| w.iter().any(|n| *n == "*" || n == ns))
                    });
                    if allowed != listed {
                        failures.push(format!(
                            "{scenario}/{} in {ns}: {who:?}: can-i {allowed}, who-can -A lists {listed}",
                            field(&case, "id")
                        ));
                    }
                }
            }
        }
    }
    assert!(checks > 10_000, "expected many checks, ran {checks}");
    assert!(
        failures.is_empty(),
        "{} of {checks} disagree:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}
