//! Conformance vectors from tests/data/conformance: RBAC decisions and who-can lists whose
//! answers come from Kubernetes' own logic. A failing vector is a bug in kubeaudit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kubeaudit::model::{AccessModel, Inventory, Origin};
use kubeaudit::rbac::{Attributes, Explain, NonResourceAttributes, ResourceAttributes, UserInfo};
use kubeaudit::source::manifest;
use serde_json::Value;

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance")
}

fn load_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Request attributes from a case (`apiGroup` or `group`; `nonResourceURL` makes it non-resource).
fn attributes(req: &Value) -> Attributes {
    if let Some(path) = req.get("nonResourceURL").and_then(Value::as_str) {
        return Attributes::NonResource(NonResourceAttributes {
            verb: str_field(req, "verb").into(),
            path: path.into(),
        });
    }
    let group = req
        .get("apiGroup")
        .or_else(|| req.get("group"))
        .and_then(Value::as_str)
        .unwrap_or("");
    Attributes::Resource(ResourceAttributes {
        verb: str_field(req, "verb").into(),
        group: group.into(),
        resource: str_field(req, "resource").into(),
        subresource: str_field(req, "subresource").into(),
        name: str_field(req, "name").into(),
        namespace: str_field(req, "namespace").into(),
    })
}

fn user(req: &Value) -> UserInfo {
    UserInfo {
        name: str_field(req, "user").into(),
        groups: req
            .get("groups")
            .and_then(Value::as_array)
            .map(|g| {
                g.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn model_from_values(objects: &[Value], name: &str) -> AccessModel {
    let mut inv = Inventory::default();
    let objs = objects
        .iter()
        .enumerate()
        .map(|(i, o)| {
            (
                o.clone(),
                Origin {
                    source: name.to_string(),
                    document: i + 1,
                    line: 0,
                },
            )
        })
        .collect();
    inv.add_objects(objs)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    AccessModel::build(&inv)
}

fn model_from_file(path: &Path) -> AccessModel {
    let read = manifest::read_paths(&[path.to_path_buf()]).unwrap_or_else(|e| panic!("{e}"));
    let mut inv = Inventory::default();
    inv.add_objects(read.objects)
        .unwrap_or_else(|e| panic!("{e}"));
    AccessModel::build(&inv)
}

type Key = (String, String, String);

fn subject_key(v: &Value) -> Key {
    (
        str_field(v, "kind").into(),
        str_field(v, "namespace").into(),
        str_field(v, "name").into(),
    )
}

fn multiset(keys: impl IntoIterator<Item = Key>) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

#[test]
fn authz_cases_rbac_decisions() {
    let doc = load_yaml(&conformance_dir().join("authz-cases.yaml"));
    let cases = doc["rbac"].as_array().expect("rbac section");
    assert!(cases.len() > 100, "expected the full rbac section");
    let mut failures = Vec::new();
    for case in cases {
        let name = str_field(case, "name");
        let model = model_from_values(
            case["objects"].as_array().map(Vec::as_slice).unwrap_or(&[]),
            name,
        );
        let req = &case["request"];
        // The `rbac` section is the RBAC authorizer alone: grants, not the system:masters shortcut.
        let d = model.authorize(&user(req), &attributes(req), Explain::default());
        let got = if d.grants.is_empty() { "deny" } else { "allow" };
        if got != str_field(case, "expect") {
            failures.push(format!(
                "{name}: expected {}, got {got}",
                str_field(case, "expect")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn authz_cases_who_can_raw_subjects() {
    let doc = load_yaml(&conformance_dir().join("authz-cases.yaml"));
    let cases = doc["whoCan"].as_array().expect("whoCan section");
    let mut failures = Vec::new();
    for case in cases {
        let name = str_field(case, "name");
        let model = model_from_values(
            case["objects"].as_array().map(Vec::as_slice).unwrap_or(&[]),
            name,
        );
        let (mut subjects, errors) = model.allowed_subjects_raw(&attributes(&case["request"]));
        // The legacy super-user setting of the API server adds one User after system:masters.
        if let Some(su) = case.get("superUser").and_then(Value::as_str) {
            subjects.insert(
                1,
                kubeaudit::model::Subject {
                    kind: "User".into(),
                    name: su.into(),
                    ..Default::default()
                },
            );
        }
        let got = multiset(subjects.iter().map(|s| {
            (
                s.kind.to_string(),
                s.namespace.to_string(),
                s.name.to_string(),
            )
        }));
        let want = multiset(
            case["expect_subjects"]
                .as_array()
                .expect("expect_subjects")
                .iter()
                .map(subject_key),
        );
        if got != want {
            failures.push(format!("{name}: expected {want:?}, got {got:?}"));
        }
        let want_error = case
            .get("expect_error")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if want_error == errors.is_empty() {
            failures.push(format!(
                "{name}: expected error={want_error}, got errors {errors:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn oracle_scenarios() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(conformance_dir().join("rbac-oracle"))
        .expect("rbac-oracle directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("objects.yaml").exists())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 90,
        "expected the rbac-oracle scenarios, found {}",
        dirs.len()
    );
    dirs
}

fn load_json(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn rbac_oracle_scenarios() {
    let mut failures = Vec::new();
    let mut count = 0;
    for dir in oracle_scenarios() {
        let scenario = dir.file_name().unwrap().to_string_lossy().to_string();
        let model = model_from_file(&dir.join("objects.yaml"));
        for case in load_json(&dir.join("cases.json")) {
            count += 1;
            let id = str_field(&case, "id");
            let attrs = attributes(&case);
            match str_field(&case, "type") {
                "can-i" => {
                    let d = model.authorize(&user(&case), &attrs, Explain::default());
                    if Some(d.allowed) != case["expect"].as_bool() {
                        failures.push(format!(
                            "{scenario}/{id}: can-i expected {}, got {}",
                            case["expect"], d.allowed
                        ));
                    }
                }
                "who-can" => {
                    let got: BTreeMap<Key, usize> =
                        multiset(model.who_can(&attrs).subjects.into_iter().map(|s| {
                            (
                                s.kind.to_string(),
                                s.namespace.unwrap_or_default().to_string(),
                                s.name.to_string(),
                            )
                        }));
                    let want = multiset(
                        case["expect"]
                            .as_array()
                            .expect("expect list")
                            .iter()
                            .map(subject_key),
                    );
                    if got != want {
                        failures.push(format!(
                            "{scenario}/{id}: who-can expected {want:?}, got {got:?}"
                        ));
                    }
                }
                other => failures.push(format!("{scenario}/{id}: unknown case type {other:?}")),
            }
        }
    }
    assert!(count > 2000, "expected the full oracle, ran {count}");
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
