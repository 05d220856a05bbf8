//! Files generated from the command-line definition: shell completion scripts and man pages.
//!
//! Both are committed (`completions/`, `docs/man/`) and kept current by the staleness tests in
//! `tests/cli/generated.rs`; `KUBEAUDIT_REGENERATE=1 cargo test --test cli generated` rewrites
//! them. Everything is rendered into memory, so writing can fail (a closed pipe) without a panic.

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use crate::cli::{Cli, BIN_NAME};

/// The shells `kubeaudit completions` supports, in a stable order.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// One generated file: its name (no directory) and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// The file name, e.g. `_kubeaudit` or `kubeaudit-can-i.1`.
    pub file_name: String,
    /// The file contents.
    pub contents: Vec<u8>,
}

/// The completion script for `shell`, for the `kubeaudit` command.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail, so clap_complete's panic-on-write-error cannot trigger.
    clap_complete::generate(shell, &mut Cli::command(), BIN_NAME, &mut buf);
    buf
}

/// Every completion script, named as the shells expect (`kubeaudit.bash`, `_kubeaudit`,
/// `kubeaudit.fish`, `_kubeaudit.ps1`, `kubeaudit.elv`).
pub fn completion_scripts() -> Vec<Artifact> {
    SHELLS
        .iter()
        .map(|&shell| Artifact {
            file_name: shell.file_name(BIN_NAME),
            contents: completion_script(shell),
        })
        .collect()
}

/// Man pages (section 1) for `kubeaudit` and every visible subcommand, nested ones included:
/// `kubeaudit.1`, `kubeaudit-can-i.1`, ...
///
/// # Errors
/// Only if rendering fails, which for an in-memory buffer it does not.
pub fn man_pages() -> std::io::Result<Vec<Artifact>> {
    fn collect(cmd: clap::Command, out: &mut Vec<Artifact>) -> std::io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            collect(sub.clone(), out)?;
        }
        let man = clap_mangen::Man::new(cmd);
        let mut contents = Vec::new();
        man.render(&mut contents)?;
        out.push(Artifact {
            file_name: man.get_filename(),
            contents,
        });
        Ok(())
    }
    // Building propagates the global flags into every subcommand and gives subcommands their
    // `kubeaudit-SUB` names; the implicit `help` subcommand gets no page.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    collect(cmd, &mut out)?;
    out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok(out)
}

/// `docs/rules.md`: the lint rule catalog, generated from the registry.
pub fn rules_doc() -> Artifact {
    use crate::lint::RULES;
    let mut s = String::from(
        "# kubeaudit lint rules\n\n\
<!-- Generated from src/lint/registry.rs: KUBEAUDIT_REGENERATE=1 cargo test --test cli generated -->\n\n\
Every rule asks kubeaudit's evaluator (the same one behind `can-i` and `who-can`) or reads typed \
fields of the objects; none matches strings of a manifest. Ids and slugs are stable: a retired \
rule's id is never reused. Suppress a finding with the annotation `access-audit.io/ignore: \
\"RULE[,RULE]: reason [until YYYY-MM-DD]\"` on its object, or with a baseline \
(`--write-baseline`, `--baseline`).\n\n\
| id | slug | severity | category | title |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        s.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} | {} |\n",
            r.id,
            r.id.to_lowercase(),
            r.slug,
            r.severity.as_str(),
            r.category.as_str(),
            r.title
        ));
    }
    for r in RULES {
        s.push_str(&format!(
            "\n## {}\n\n**{}** (`{}`) — {} severity, {}; precision {}.\n\n{}\n\n**Fix:** {}\n",
            r.id,
            r.title,
            r.slug,
            r.severity.as_str(),
            r.category.as_str(),
            r.precision,
            r.rationale,
            r.remediation
        ));
        if !r.references.is_empty() {
            s.push_str(&format!("\n**References:** {}\n", r.references.join("; ")));
        }
    }
    Artifact {
        file_name: "rules.md".into(),
        contents: s.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_file_names_are_the_conventional_ones() {
        let names: Vec<String> = completion_scripts()
            .into_iter()
            .map(|a| a.file_name)
            .collect();
        assert_eq!(
            names,
            [
                "kubeaudit.bash",
                "_kubeaudit",
                "kubeaudit.fish",
                "_kubeaudit.ps1",
                "kubeaudit.elv"
            ]
        );
    }

    #[test]
    fn scripts_know_subcommands_flags_and_values() {
        let bash = String::from_utf8(completion_script(Shell::Bash)).expect("utf-8");
        for word in [
            "can-i",
            "review",
            "completions",
            "--kubeconfig",
            "--context",
        ] {
            assert!(bash.contains(word), "bash script lacks {word}");
        }
        let zsh = String::from_utf8(completion_script(Shell::Zsh)).expect("utf-8");
        assert!(zsh.contains("#compdef kubeaudit"));
        // -o values are enumerated; -f completes paths.
        assert!(zsh.contains("table"), "zsh lacks -o values");
        assert!(zsh.contains("_files"), "zsh lacks file completion");
    }

    #[test]
    fn a_man_page_per_command_with_global_flags() {
        let pages = man_pages().expect("renders");
        let names: Vec<&str> = pages.iter().map(|p| p.file_name.as_str()).collect();
        for expected in [
            "kubeaudit.1",
            "kubeaudit-can-i.1",
            "kubeaudit-review.1",
            "kubeaudit-completions.1",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
        let can_i = pages
            .iter()
            .find(|p| p.file_name == "kubeaudit-can-i.1")
            .map(|p| String::from_utf8_lossy(&p.contents).into_owned())
            .unwrap_or_default();
        assert!(can_i.contains("kubeconfig"), "global flags missing");
        assert!(can_i.contains("subresource"), "own flags missing");
    }
}
