//! Printers: they render report data to a writer and never decide anything.

pub mod can_i;
pub mod diff;
pub mod escalation;
pub mod junit;
pub mod lint;
pub mod matrix;
pub mod netpol;
pub mod rules_list;
pub mod sarif;
pub mod who_can;

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::cli::ColorChoice;
use crate::model::PolicyRule;

/// Whether stdout gets colour. `--color always|never` wins; with `auto`, `CLICOLOR_FORCE`
/// (set and not `0`) forces colour, then `NO_COLOR` (set and not empty) and `CLICOLOR=0`
/// turn it off, and otherwise colour is used only when stdout is a terminal. `env` reads an
/// environment variable.
pub fn use_color(
    choice: ColorChoice,
    env: impl Fn(&str) -> Option<String>,
    stdout_is_terminal: bool,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if env("NO_COLOR").is_some_and(|v| !v.is_empty())
                || env("CLICOLOR").as_deref() == Some("0")
            {
                false
            } else {
                stdout_is_terminal
            }
        }
    }
}

/// Decides colour once for the process (see [`use_color`]) and tells `colored` so.
pub fn apply_color(choice: ColorChoice) {
    let on = use_color(
        choice,
        |name| std::env::var(name).ok(),
        std::io::stdout().is_terminal(),
    );
    colored::control::set_override(on);
}

/// Writes a file atomically: a temporary file in the same directory, synced, then renamed
/// over the target, so a reader never sees half a file and a failure leaves the old one.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a value as pretty JSON followed by a newline.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    // `io::Error::from` hands back the writer's own error (e.g. BrokenPipe) unchanged, so the
    // caller can recognise a closed pipe.
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// Writes a value as one YAML document.
pub fn write_yaml<T: Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    let text = serde_saphyr::to_string(value).map_err(|e| std::io::Error::other(e.to_string()))?;
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// Writes a borderless, kubectl-like table (columns separated by three spaces, no trailing
/// blanks); a cell may span several lines. `header` is omitted for `--no-headers`.
pub fn plain_table(
    out: &mut dyn Write,
    header: Option<&[&str]>,
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    use comfy_table::{presets, CellAlignment, ColumnConstraint, ContentArrangement, Table};
    if header.is_none() && rows.is_empty() {
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty();
    if let Some(h) = header {
        table.set_header(h.to_vec());
    }
    for row in rows {
        table.add_row(row.clone());
    }
    let columns = table.column_count();
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if i + 1 == columns { 0 } else { 3 }));
        column.set_cell_alignment(CellAlignment::Left);
        column.set_constraint(ColumnConstraint::ContentWidth);
    }
    for line in table.lines() {
        // The preset draws a blank left border.
        let line = line.strip_prefix(' ').unwrap_or(&line);
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A Go-style list: `[a b]`.
pub fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// A compact, YAML-flow-like rendering of a rule: `{verbs: [get], resources: [pods]}`.
pub fn format_rule(rule: &PolicyRule) -> String {
    rule.compact()
}

/// A comfy-table rendering without trailing spaces on each line.
pub fn trim_table(rendered: &str) -> String {
    let lines: Vec<&str> = rendered.lines().map(str::trim_end).collect();
    // The borderless preset pads the first column too: drop the margin every line shares.
    let margin = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(margin..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The serialized name of a unit enum value (`insecure-skip-tls-verify`, `high`, ...), so
/// tables say exactly what JSON says.
pub fn label<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn color_choice_and_environment() {
        use ColorChoice::{Always, Auto, Never};
        let force = [("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")];
        assert!(use_color(Always, env_of(&[("NO_COLOR", "1")]), false));
        assert!(!use_color(Never, env_of(&force), true));
        assert!(
            use_color(Auto, env_of(&force), false),
            "CLICOLOR_FORCE wins"
        );
        assert!(!use_color(Auto, env_of(&[("NO_COLOR", "1")]), true));
        assert!(
            use_color(Auto, env_of(&[("NO_COLOR", "")]), true),
            "empty NO_COLOR is unset"
        );
        assert!(!use_color(Auto, env_of(&[("CLICOLOR_FORCE", "0")]), false));
        assert!(!use_color(Auto, env_of(&[("CLICOLOR", "0")]), true));
        assert!(use_color(Auto, env_of(&[]), true));
        assert!(!use_color(Auto, env_of(&[]), false));
    }

    #[test]
    fn json_write_errors_keep_their_kind() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let err = write_json(&mut Closed, &serde_json::json!({"a": [1, 2]})).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn rule_rendering() {
        let rule = PolicyRule {
            verbs: vec!["get".into(), "*".into()],
            api_groups: vec!["".into()],
            resources: vec!["pods".into()],
            ..Default::default()
        };
        assert_eq!(
            format_rule(&rule),
            r#"{verbs: [get, "*"], apiGroups: [""], resources: [pods]}"#
        );
    }
}
