//! The shipped documentation files say what the code does: the RBAC kubeaudit needs, the
//! krew manifest, and the plugin instructions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kubeaudit::source::live::Kind;
use kubeaudit::source::manifest;
use serde_json::Value;

use crate::util::{kubeaudit, stdout};

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo_file(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The (apiGroup, resource, verb) triples the live source and `--verify` use.
fn needed() -> BTreeSet<(String, String, String)> {
    let mut set: BTreeSet<_> = Kind::ALL
        .iter()
        .map(|k| {
            (
                k.group().to_string(),
                k.plural().to_string(),
                "list".to_string(),
            )
        })
        .collect();
    for (group, resource) in [
        ("authentication.k8s.io", "selfsubjectreviews"),
        ("authorization.k8s.io", "selfsubjectaccessreviews"),
        ("authorization.k8s.io", "subjectaccessreviews"),
    ] {
        set.insert((group.into(), resource.into(), "create".into()));
    }
    set
}

#[test]
fn rbac_for_kubeaudit_grants_exactly_what_it_uses() {
    let read = manifest::read_paths(&[repo_file("docs/rbac-for-kubeaudit.yaml")])
        .expect("docs/rbac-for-kubeaudit.yaml parses");
    let mut granted = BTreeSet::new();
    let values: Vec<serde_json::Value> = read
        .objects
        .iter()
        .map(|(v, _)| v.value().into_owned())
        .collect();
    let roles = values.iter().filter(|v| v["kind"] == "ClusterRole");
    for rule in roles.flat_map(|r| r["rules"].as_array().expect("rules")) {
        let strings = |key: &str| -> Vec<String> {
            rule[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
        };
        for g in strings("apiGroups") {
            for r in strings("resources") {
                for v in strings("verbs") {
                    granted.insert((g.clone(), r.clone(), v));
                }
            }
        }
    }
    assert_eq!(
        granted,
        needed(),
        "docs/rbac-for-kubeaudit.yaml must grant exactly the lists and reviews kubeaudit performs"
    );
    // Secrets are in the optional role only.
    let main = read
        .objects
        .iter()
        .map(|(v, _)| v.value().into_owned())
        .find(|v| v["metadata"]["name"] == "kubeaudit-reader")
        .unwrap();
    assert!(!main.to_string().contains("secrets"));
}

#[test]
fn the_example_binding_works_according_to_kubeaudit_itself() {
    let file = repo_file("docs/rbac-for-kubeaudit.yaml");
    let identities: [&[&str]; 2] = [
        &["--as", "system:serviceaccount:kubeaudit:kubeaudit"],
        &[
            "--as",
            "alice@example.com",
            "--as-group",
            "kubeaudit-auditors",
        ],
    ];
    for who in identities {
        for (group, resource, verb) in needed() {
            if resource == "secrets" {
                continue; // the optional role, not bound by the example (denied below)
            }
            if group == "policy.networking.k8s.io" {
                // Served only where installed (CRDs): not in the built-in type table, so the
                // question is asked as raw attributes.
                let (user, groups) = match who {
                    [_, u] => (*u, vec![]),
                    [_, u, _, g] => (*u, vec![*g]),
                    _ => unreachable!("identities above"),
                };
                let sar = serde_json::json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                    "spec": {"user": user, "groups": groups,
                             "resourceAttributes": {"verb": verb, "group": group, "resource": resource}}});
                kubeaudit()
                    .args(["review", "-f"])
                    .arg(&file)
                    .write_stdin(sar.to_string())
                    .assert()
                    .code(0);
                continue;
            }
            let target = if group.is_empty() {
                resource.clone()
            } else {
                format!("{resource}.{group}")
            };
            let a = kubeaudit()
                .args(["can-i", &verb, &target, "-A"])
                .args(who)
                .arg("-f")
                .arg(&file)
                .assert()
                .code(0);
            assert_eq!(stdout(&a), "yes\n", "{verb} {target} {who:?}");
        }
        for (verb, target) in [
            ("get", "pods"),
            ("watch", "roles.rbac.authorization.k8s.io"),
            ("list", "secrets"),
        ] {
            kubeaudit()
                .args(["can-i", verb, target, "-A"])
                .args(who)
                .arg("-f")
                .arg(&file)
                .assert()
                .code(1);
        }
    }
}

/// Renders the krew-release-bot template the way the bot does, with a made-up tag and hashes.
fn render_krew_template(template: &str, tag: &str) -> String {
    let text = template.replace("{{ .TagName }}", tag);
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("{{addURIAndSha \"") {
            let indent = &line[..line.len() - trimmed.len()];
            let uri = rest.split('"').next().unwrap_or_default();
            out.push_str(&format!(
                "{indent}uri: {uri}\n{indent}sha256: \"{}\"\n",
                "0".repeat(64)
            ));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn krew_manifest_template_renders_to_a_valid_plugin() {
    let rendered = render_krew_template(&read(".krew.yaml"), "v9.9.9");
    assert!(
        !rendered.contains("{{"),
        "unrendered template left:\n{rendered}"
    );
    let plugin: Value = serde_saphyr::from_str(&rendered).expect("rendered .krew.yaml is YAML");
    assert_eq!(plugin["kind"], "Plugin");
    assert_eq!(
        plugin["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(plugin["metadata"]["name"], kubeaudit::cli::PLUGIN_NAME);
    assert_eq!(plugin["spec"]["version"], "v9.9.9");
    let homepage = plugin["spec"]["homepage"].as_str().expect("homepage");
    let platforms = plugin["spec"]["platforms"].as_array().expect("platforms");
    let mut seen = BTreeSet::new();
    for p in platforms {
        let labels = &p["selector"]["matchLabels"];
        let (os, arch) = (
            labels["os"].as_str().expect("os"),
            labels["arch"].as_str().expect("arch"),
        );
        assert!(seen.insert((os, arch)), "duplicate platform {os}/{arch}");
        let uri = p["uri"].as_str().expect("uri");
        assert!(
            uri.starts_with(&format!(
                "{homepage}/releases/download/v9.9.9/kubeaudit-v9.9.9-"
            )),
            "{uri}"
        );
        let bin = p["bin"].as_str().expect("bin");
        assert_eq!(
            bin,
            if os == "windows" {
                "kubeaudit.exe"
            } else {
                "kubeaudit"
            }
        );
        assert_eq!(p["sha256"].as_str().map(str::len), Some(64));
    }
    for needed in [
        ("linux", "amd64"),
        ("darwin", "arm64"),
        ("windows", "amd64"),
    ] {
        assert!(seen.contains(&needed), "{needed:?} missing");
    }
}

#[test]
fn readme_and_guide_document_the_plugin_and_link_their_files() {
    let readme = read("README.md");
    for needle in [
        "kubectl access-audit",
        r#"ln -s "$(command -v kubeaudit)" ~/.local/bin/kubectl-access_audit"#,
        "docs/guide.md",
        "completions/",
        "docs/man/",
    ] {
        assert!(readme.contains(needle), "README.md lacks {needle:?}");
    }
    let guide = read("docs/guide.md");
    for link in ["json-shapes.md", "rbac-for-kubeaudit.yaml"] {
        assert!(guide.contains(link), "docs/guide.md lacks a link to {link}");
        assert!(repo_file(&format!("docs/{link}")).is_file(), "docs/{link}");
    }
    let contributing = read("CONTRIBUTING.md");
    assert!(contributing.contains("KUBEAUDIT_REGENERATE=1 cargo test --test cli generated"));
}
