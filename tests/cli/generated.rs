//! The committed completion scripts and man pages match what this build generates.
//!
//! They go stale whenever a command or flag changes. To regenerate them, run
//! `KUBEAUDIT_REGENERATE=1 cargo test --test cli generated` and commit the result
//! (see CONTRIBUTING.md).

use std::collections::BTreeSet;
use std::path::Path;

use kubeaudit::artifacts::{self, Artifact, SHELLS};

use crate::util::kubeaudit;

const REGENERATE: &str = "KUBEAUDIT_REGENERATE=1 cargo test --test cli generated";

fn regenerating() -> bool {
    std::env::var_os("KUBEAUDIT_REGENERATE").is_some_and(|v| v != "0" && !v.is_empty())
}

/// Compares `dir` (relative to the crate root) with `expected`: every expected file must exist
/// with the same bytes, and no other file matching `is_ours` may linger. With
/// KUBEAUDIT_REGENERATE set, rewrites the directory instead.
fn check_dir(dir: &str, expected: &[Artifact], is_ours: impl Fn(&str) -> bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let wanted: BTreeSet<&str> = expected.iter().map(|a| a.file_name.as_str()).collect();
    let present: BTreeSet<String> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| is_ours(n))
                .collect()
        })
        .unwrap_or_default();
    let extra: Vec<&String> = present
        .iter()
        .filter(|n| !wanted.contains(n.as_str()))
        .collect();
    if regenerating() {
        std::fs::create_dir_all(&root).expect("create the directory");
        for a in expected {
            std::fs::write(root.join(&a.file_name), &a.contents).expect("write a generated file");
        }
        for n in extra {
            std::fs::remove_file(root.join(n)).expect("remove a stale file");
        }
        eprintln!("regenerated {dir}/ ({} files)", expected.len());
        return;
    }
    let mut problems = Vec::new();
    for a in expected {
        match std::fs::read(root.join(&a.file_name)) {
            Ok(bytes) if bytes == a.contents => {}
            Ok(_) => problems.push(format!("{dir}/{} is out of date", a.file_name)),
            Err(_) => problems.push(format!("{dir}/{} is missing", a.file_name)),
        }
    }
    for n in extra {
        problems.push(format!("{dir}/{n} is no longer generated (remove it)"));
    }
    assert!(
        problems.is_empty(),
        "generated files are stale:\n  {}\nregenerate them with:\n  {REGENERATE}\nand commit the result.",
        problems.join("\n  ")
    );
}

#[test]
fn completion_scripts_in_the_repo_are_current() {
    let scripts = artifacts::completion_scripts();
    // What the binary prints is what the library generates (and what is committed).
    for (shell, script) in SHELLS.iter().zip(&scripts) {
        let a = kubeaudit()
            .args(["completions", &shell.to_string()])
            .assert()
            .code(0);
        assert!(
            a.get_output().stdout == script.contents,
            "`kubeaudit completions {shell}` differs from the library's script"
        );
    }
    check_dir("completions", &scripts, |n| {
        n.starts_with("kubeaudit") || n.starts_with("_kubeaudit")
    });
}

#[test]
fn man_pages_in_the_repo_are_current() {
    let pages = artifacts::man_pages().expect("render man pages");
    check_dir("docs/man", &pages, |n| n.ends_with(".1"));
}

#[test]
fn rule_catalog_in_the_repo_is_current() {
    check_dir("docs", &[artifacts::rules_doc()], |n| n == "rules.md");
}

#[test]
fn completions_rejects_an_unknown_shell() {
    kubeaudit()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("possible values"));
}
