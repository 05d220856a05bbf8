//! Every top-level field a command prints with `-o json` is documented in
//! `docs/json-shapes.md` under that command's heading (a renamed or undocumented field, such
//! as `auth_method` for `authMethod`, fails here).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::{examples, kubeaudit, stdout};

/// The names a section of docs/json-shapes.md mentions: `"quoted"` JSON keys and `backticked`
/// field names.
fn documented(heading: &str) -> BTreeSet<String> {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json-shapes.md"),
    )
    .expect("docs/json-shapes.md");
    let start = doc
        .find(&format!("## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading:?} in docs/json-shapes.md"));
    let rest = &doc[start + heading.len() + 4..];
    let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut names = BTreeSet::new();
    for quote in ['"', '`'] {
        let mut parts = section.split(quote);
        parts.next();
        for (i, p) in parts.enumerate() {
            if i % 2 == 0 && !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()) {
                names.insert(p.to_string());
            }
        }
    }
    names
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn json_of(args: &[&str]) -> Value {
    let a = kubeaudit()
        .args(args)
        .args(["-o", "json", "-f"])
        .arg(examples())
        .assert();
    serde_json::from_str(&stdout(&a)).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn every_printed_field_is_documented() {
    let cases: [(&str, Value); 10] = [
        (
            "`can-i`",
            json_of(&["can-i", "get", "pods", "--as", "carol", "-n", "shop"]),
        ),
        (
            "`who-can -o json`",
            json_of(&["who-can", "get", "pods", "-n", "shop"]),
        ),
        (
            "`can-i --list -o json`",
            json_of(&["can-i", "--list", "--as", "carol", "-n", "shop"]),
        ),
        (
            "`access-matrix -o json`",
            json_of(&["access-matrix", "--as", "carol", "-n", "shop"]),
        ),
        ("`default-deny -o json`", json_of(&["default-deny", "-A"])),
        (
            "`can-reach -o json`",
            json_of(&[
                "can-reach",
                "shop/storefront-7d4b9",
                "shop/cart-5f6c8",
                "--port",
                "9000",
            ]),
        ),
        (
            "`netpol-matrix -o json`",
            json_of(&["netpol-matrix", "-n", "shop", "--port", "80"]),
        ),
        ("`lint -o json`", json_of(&["lint"])),
        (
            "`escalation -o json`",
            json_of(&["escalation", "--sa", "ci/deployer", "--to", "cluster-admin"]),
        ),
        ("`diff -o json`", {
            let a = kubeaudit()
                .args(["diff", "-o", "json"])
                .arg(examples())
                .arg(examples())
                .assert();
            serde_json::from_str(&stdout(&a)).expect("json")
        }),
    ];
    let mut undocumented = Vec::new();
    for (heading, printed) in &cases {
        let doc = documented(heading);
        let mut fields = keys(printed);
        // One level down where the shape is a list of objects.
        for list in [
            "subjects",
            "rules",
            "rows",
            "namespaces",
            "findings",
            "podSecurity",
        ] {
            if let Some(first) = printed[list].as_array().and_then(|l| l.first()) {
                fields.extend(keys(first));
            }
        }
        assert!(fields.len() >= 3, "{heading}: printed only {fields:?}");
        for f in fields {
            if !doc.contains(&f) {
                undocumented.push(format!("{heading}: {f}"));
            }
        }
    }
    let contexts = {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster: {server: \"https://127.0.0.1:6443\"}\nusers:\n- name: u\n  user: {token: not-a-real-token}\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\n",
        )
        .expect("kubeconfig");
        let a = kubeaudit()
            .args(["contexts", "-o", "json", "--kubeconfig"])
            .arg(&config)
            .assert();
        let v: Value = serde_json::from_str(&stdout(&a)).expect("json");
        v
    };
    let doc = documented("`contexts -o json`");
    let mut fields = keys(&contexts[0]);
    if let Some(f) = contexts[0]["findings"].as_array().and_then(|l| l.first()) {
        fields.extend(keys(f));
    }
    for f in fields {
        if !doc.contains(&f) {
            undocumented.push(format!("contexts: {f}"));
        }
    }
    assert!(
        undocumented.is_empty(),
        "printed but not in docs/json-shapes.md: {undocumented:?}"
    );
}
