//! Items of a JSON `List` are decoded straight into the inventory's types for the kinds RBAC
//! reads most; everything else goes through a JSON value. Both ways must give the same
//! inventory (same objects, same warnings) and the same errors: the same objects are read
//! once as separate documents (the value path) and once as the items of one List, and of
//! typed `*List`s whose items carry no kind (the decoded path), and compared.

use std::path::{Path, PathBuf};

use kubeaudit::model::item::SourceItem;
use kubeaudit::model::{Inventory, OnConflict};
use kubeaudit::source::manifest::{self, ManifestRead};
use serde_json::{json, Value};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Every manifest the tests keep: the example cluster, the rbac-oracle scenarios, the
/// install-manifest, escalation and authorizer fixtures.
fn inputs() -> Vec<PathBuf> {
    let mut out = vec![repo("examples/cluster")];
    for dir in [
        "tests/data/conformance/rbac-oracle",
        "tests/fixtures/install",
        "tests/fixtures/escalation",
        "tests/fixtures/authorizers",
    ] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(repo(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.expect("dir entry").path())
            .map(|p| {
                if p.is_dir() {
                    p.join("objects.yaml")
                } else {
                    p
                }
            })
            .filter(|p| p.exists() && p.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .collect();
        paths.sort();
        out.extend(paths);
    }
    out
}

fn values(path: &Path) -> Option<Vec<Value>> {
    let read = manifest::read_paths(&[path.to_path_buf()]).ok()?;
    Some(
        read.objects
            .into_iter()
            .map(|(o, _)| o.into_value())
            .collect(),
    )
}

fn read_text(text: &str) -> ManifestRead {
    read_text_as(text, false)
}

/// Read with other kinds' items kept as text (`keep`), as every command but `review` reads
/// files, or as values.
fn read_text_as(text: &str, keep: bool) -> ManifestRead {
    let mut out = if keep {
        ManifestRead::keeping_text()
    } else {
        ManifestRead::default()
    };
    manifest::read_bytes("list.json", text.as_bytes(), Some(true), &mut out)
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

fn inventory(objects: Vec<(SourceItem, kubeaudit::model::Origin)>) -> Result<Inventory, String> {
    let mut inv = Inventory {
        on_conflict: OnConflict::Last,
        ..Inventory::default()
    };
    inv.add_objects(objects)
        .map(|()| inv)
        .map_err(|e| format!("{} {}: {}", e.kind, e.name, e.message))
}

/// What an inventory holds, without where each object was read.
fn contents(inv: &Inventory) -> Value {
    let roles: Vec<Value> = inv
        .roles
        .iter()
        .map(|r| json!([r.kind, r.metadata, r.rules, r.aggregation_rule]))
        .collect();
    let bindings: Vec<Value> = inv
        .bindings
        .iter()
        .map(|b| json!([b.kind, b.metadata, b.role_ref, b.subjects]))
        .collect();
    let named = |list: &[kubeaudit::model::objects::NamedObject]| -> Vec<Value> {
        list.iter()
            .map(|n| json!([n.metadata, n.automount_service_account_token]))
            .collect()
    };
    let other: Vec<Value> = inv.other.iter().map(|o| Value::clone(&o.value)).collect();
    let warnings: Vec<&str> = inv.warnings.iter().map(|w| w.message.as_str()).collect();
    json!({
        "roles": roles,
        "bindings": bindings,
        "serviceAccounts": named(&inv.service_accounts),
        "namespaces": named(&inv.namespaces),
        "other": other,
        "warnings": warnings,
    })
}

fn as_values(objects: &[Value]) -> Vec<(SourceItem, kubeaudit::model::Origin)> {
    objects
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (
                SourceItem::Value(v.clone()),
                kubeaudit::model::Origin {
                    source: "docs".into(),
                    document: i + 1,
                    line: 1,
                },
            )
        })
        .collect()
}

fn decoded_count(read: &ManifestRead) -> usize {
    read.objects
        .iter()
        .filter(|(o, _)| matches!(o, SourceItem::Typed(_)))
        .count()
}

#[test]
fn a_list_reads_as_its_objects_do() {
    let mut compared = 0;
    let mut decoded = 0;
    let mut kept = 0;
    for path in inputs() {
        let Some(objects) = values(&path) else {
            continue;
        };
        let expected = inventory(as_values(&objects));
        let list = json!({"apiVersion": "v1", "kind": "List", "items": objects});
        let text = serde_json::to_string_pretty(&list).unwrap();
        for keep in [false, true] {
            let read = read_text_as(&text, keep);
            decoded += decoded_count(&read);
            kept += read
                .objects
                .iter()
                .filter(|(o, _)| matches!(o, SourceItem::Raw(_)))
                .count();
            let got = inventory(read.objects);
            match (&expected, &got) {
                (Ok(a), Ok(b)) => assert_eq!(contents(a), contents(b), "{}", path.display()),
                (Err(a), Err(b)) => assert_eq!(a, b, "{}", path.display()),
                _ => panic!("{}: {expected:?} vs {got:?}", path.display()),
            }
        }
        compared += 1;
    }
    assert!(compared > 50, "only {compared} inputs compared");
    assert!(decoded > 1000, "only {decoded} items were decoded directly");
    assert!(kept > 20, "only {kept} items were kept as text");
}

/// A large YAML `List` (cut into items read on every core, most straight into JSON text by
/// a line scan, the rest by the YAML parser, then read as a JSON List's items are) reads as
/// its objects do as separate documents: every kept manifest's objects, in YAML as
/// serde-saphyr writes it and in kubectl's style; and so does a stream of documents, each
/// one line of JSON or block YAML (read from JSON text too).
#[test]
fn a_large_yaml_list_reads_as_its_objects_do() {
    // Each named object once (a repeated one is warned about with where it was read, which
    // differs between the two ways).
    let mut objects = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in inputs() {
        for o in values(&path).unwrap_or_default() {
            let key = [
                &o["kind"],
                &o["metadata"]["namespace"],
                &o["metadata"]["name"],
            ]
            .map(Value::to_string);
            if o["metadata"]["name"].is_string() && seen.insert(key) {
                objects.push(o);
            }
        }
    }
    // Enough copies to be cut (over 1 MiB), each copy's objects renamed.
    let mut all: Vec<Value> = Vec::new();
    let mut copy = 0;
    while serde_json::to_string(&all).unwrap().len() < (3 << 20) / 2 {
        copy += 1;
        all.extend(objects.iter().map(|o| {
            let mut o = o.clone();
            if let Some(name) = o.pointer_mut("/metadata/name").filter(|n| n.is_string()) {
                *name = Value::String(format!("{}-{copy}", name.as_str().unwrap()));
            }
            o
        }));
    }
    let expected = inventory(as_values(&all));
    let list = json!({"apiVersion": "v1", "kind": "List", "items": all});
    let yaml = serde_saphyr::to_string(&list).unwrap();
    // The same objects as a stream of documents: each one line of JSON (YAML reads JSON), or
    // block YAML in kubectl's style.
    let mut json_lines = String::new();
    let mut blocks = String::new();
    for o in list["items"].as_array().unwrap() {
        json_lines.push_str(&format!("---\n{o}\n"));
        blocks.push_str(&format!("---\n{}", kubectl_style(o)));
    }
    for text in [yaml.clone(), kubectl_style(&list), json_lines, blocks] {
        let mut read = ManifestRead::keeping_text();
        manifest::read_bytes("list.yaml", text.as_bytes(), Some(false), &mut read)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(decoded_count(&read) > 1000, "the items were not cut");
        let got = inventory(read.objects);
        match (&expected, &got) {
            (Ok(a), Ok(b)) => {
                let (a, b) = (contents(a), contents(b));
                for (key, a) in a.as_object().unwrap() {
                    let (a, b) = (a.as_array().unwrap(), b[key].as_array().unwrap());
                    for (x, y) in a.iter().zip(b) {
                        assert_eq!(x, y, "{key}");
                    }
                    assert_eq!(a.len(), b.len(), "{key}");
                }
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            _ => panic!("{expected:?} vs {got:?}"),
        }
    }
}

/// YAML as `kubectl get -o yaml` writes it: block style, sequences in a mapping not indented,
/// strings quoted only when they would read as something else, `[]` and `{}` for empties,
/// `|` for strings with line breaks.
fn kubectl_style(value: &Value) -> String {
    fn scalar(s: &str) -> String {
        let plain = !s.is_empty()
            && s.bytes().all(|b| (b' '..=b'~').contains(&b))
            && s.as_bytes()[0].is_ascii_alphabetic()
            && !s.contains(": ")
            && !s.contains(" #")
            && !s.ends_with([':', ' '])
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
                .contains(&s.to_ascii_lowercase().as_str());
        if plain {
            s.to_string()
        } else {
            serde_json::to_string(s).unwrap()
        }
    }
    fn write(v: &Value, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    out.push_str(&format!("{pad}{}:", scalar(k)));
                    inline_or_block(v, indent, true, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    out.push_str(&format!("{pad}-"));
                    match item {
                        Value::Object(m) if !m.is_empty() => {
                            let mut inner = String::new();
                            write(item, indent + 2, &mut inner);
                            out.push(' ');
                            out.push_str(&inner[indent + 2..]);
                        }
                        _ => inline_or_block(item, indent, false, out),
                    }
                }
            }
            _ => unreachable!("collections only"),
        }
    }
    fn inline_or_block(v: &Value, indent: usize, in_map: bool, out: &mut String) {
        match v {
            Value::Object(m) if m.is_empty() => out.push_str(" {}\n"),
            Value::Array(a) if a.is_empty() => out.push_str(" []\n"),
            Value::Object(_) => {
                out.push('\n');
                write(v, indent + 2, out);
            }
            // kubectl does not indent a mapping's sequences.
            Value::Array(_) => {
                out.push('\n');
                write(v, if in_map { indent } else { indent + 2 }, out);
            }
            Value::String(s) if in_map && s.contains('\n') && !s.contains(['\r', '\t']) => {
                let body = s.strip_suffix('\n').unwrap_or(s);
                let lead = body
                    .lines()
                    .next()
                    .is_none_or(|l| l.starts_with(' ') || l.is_empty());
                if lead || body.lines().any(|l| l.trim().is_empty() && !l.is_empty()) {
                    out.push_str(&format!(" {}\n", serde_json::to_string(s).unwrap()));
                    return;
                }
                out.push_str(if s.ends_with('\n') { " |\n" } else { " |-\n" });
                for line in body.split('\n') {
                    if !line.is_empty() {
                        out.push_str(&" ".repeat(indent + 2));
                    }
                    out.push_str(line);
                    out.push('\n');
                }
            }
            Value::String(s) => out.push_str(&format!(" {}\n", scalar(s))),
            other => out.push_str(&format!(" {other}\n")),
        }
    }
    let mut out = String::new();
    write(value, 0, &mut out);
    out
}

#[test]
fn typed_lists_give_their_items_kind_and_api_version() {
    let objects = values(&repo("examples/cluster")).expect("examples");
    let mut by_kind: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    for o in &objects {
        let kind = o["kind"].as_str().unwrap_or("").to_string();
        let mut item = o.clone();
        // `kubectl get roles -o json` items carry no kind or apiVersion.
        if let Some(map) = item.as_object_mut() {
            map.remove("kind");
            map.remove("apiVersion");
        }
        by_kind.entry(kind).or_default().push(item);
    }
    let mut ordered = Vec::new();
    let mut text = String::new();
    for (kind, items) in &by_kind {
        let api_version = objects
            .iter()
            .find(|o| o["kind"] == kind.as_str())
            .and_then(|o| o["apiVersion"].as_str())
            .unwrap_or("v1");
        ordered.extend(
            objects
                .iter()
                .filter(|o| o["kind"] == kind.as_str())
                .cloned(),
        );
        let list =
            json!({"apiVersion": api_version, "kind": format!("{kind}List"), "items": items});
        text.push_str(&serde_json::to_string(&list).unwrap());
        text.push('\n');
    }
    let read = read_text(&text);
    assert!(decoded_count(&read) > 10);
    let expected = inventory(as_values(&ordered)).expect("examples");
    let got = inventory(read.objects).expect("typed lists");
    assert_eq!(contents(&expected), contents(&got));
}

#[test]
fn unusual_items_are_read_and_refused_as_documents_are() {
    let rbac = "rbac.authorization.k8s.io/v1";
    let cases = vec![
        // A field of the wrong type, deep and shallow.
        json!({"apiVersion": rbac, "kind": "Role", "metadata": {"name": "r", "namespace": "a"}, "rules": [{"verbs": "get"}]}),
        json!({"apiVersion": rbac, "kind": "RoleBinding", "metadata": {"name": "b", "namespace": "a"}, "subjects": {"kind": "User"}}),
        json!({"apiVersion": rbac, "kind": "ClusterRole", "metadata": {"name": 7}}),
        // Lenient where the value path is lenient.
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "s", "namespace": "a"}, "automountServiceAccountToken": "no"}),
        json!({"apiVersion": rbac, "kind": "Role", "metadata": null, "rules": null}),
        // Not an RBAC group, not a read kind, no kind at all.
        json!({"apiVersion": "example.com/v1", "kind": "Role", "metadata": {"name": "x"}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}),
        json!({"apiVersion": rbac, "kind": "Role", "metadata": {"name": "r", "namespace": "a"}, "subjects": 3}),
        // Other kinds (kept as text until read): metadata still checked, Secret data dropped.
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": 7}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": "c"}),
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "a"}, "data": {"k": "djE="}, "type": "Opaque"}),
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"}, "spec": {"podSelector": {}}}),
    ];
    for case in cases {
        let expected = inventory(as_values(std::slice::from_ref(&case)));
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [case.clone()]});
        for keep in [false, true] {
            let got = read_text_as(&list.to_string(), keep);
            let got = inventory(got.objects);
            match (&expected, &got) {
                (Ok(a), Ok(b)) => assert_eq!(contents(a), contents(b), "{case}"),
                (Err(a), Err(b)) => assert_eq!(a, b, "{case}"),
                _ => panic!("{case}: {expected:?} vs {got:?}"),
            }
        }
    }
    // A repeated key is refused wherever it is, as in any other document.
    let text = r#"{"kind":"List","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","labels":{"x":"1","x":"2"}}}]}"#;
    let mut out = ManifestRead::default();
    let err = manifest::read_bytes("dup.json", text.as_bytes(), None, &mut out).unwrap_err();
    assert!(
        err.to_string().contains("duplicate mapping key: x"),
        "{err}"
    );
}

#[test]
fn two_copies_of_one_object_are_compared_as_values() {
    let role = |verb: &str| {
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
               "metadata": {"name": "r"}, "rules": [{"verbs": [verb], "apiGroups": [""], "resources": ["pods"]}]})
    };
    // Identical (keys in another order): read once, with a warning naming both places.
    let same = format!(
        r#"{{"kind":"List","items":[{},{{"rules":[{{"resources":["pods"],"apiGroups":[""],"verbs":["get"]}}],"metadata":{{"name":"r"}},"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1"}}]}}"#,
        role("get")
    );
    let inv = inventory(read_text(&same).objects).expect("identical copies");
    assert_eq!(inv.roles.len(), 1);
    assert!(inv.warnings[0].message.contains("identical; read once"));
    // Different: an error by default, naming the first definition.
    let different = json!({"kind": "List", "items": [role("get"), role("list")]}).to_string();
    let mut inv = Inventory::default();
    let err = inv
        .add_objects(read_text(&different).objects)
        .expect_err("conflict");
    assert!(err
        .message
        .contains("defined twice with different contents"));
}
