//! Printers: they render report data to a writer and never decide anything.

pub mod can_i;
pub mod matrix;
pub mod rules_list;
pub mod who_can;

use std::io::Write;

use serde::Serialize;

use crate::model::PolicyRule;

/// Writes a value as pretty JSON followed by a newline.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    // Keep the I/O error's kind (a closed pipe must stay recognisable as one).
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    })?;
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
    fn list(items: &[String]) -> String {
        let quoted: Vec<String> = items
            .iter()
            .map(|s| {
                if s.is_empty() || s == "*" || s.contains([' ', ':', ',']) {
                    format!("{s:?}")
                } else {
                    s.clone()
                }
            })
            .collect();
        format!("[{}]", quoted.join(", "))
    }
    let mut parts = vec![format!("verbs: {}", list(&rule.verbs))];
    if !rule.api_groups.is_empty() {
        parts.push(format!("apiGroups: {}", list(&rule.api_groups)));
    }
    if !rule.resources.is_empty() {
        parts.push(format!("resources: {}", list(&rule.resources)));
    }
    if !rule.resource_names.is_empty() {
        parts.push(format!("resourceNames: {}", list(&rule.resource_names)));
    }
    if !rule.non_resource_urls.is_empty() {
        parts.push(format!(
            "nonResourceURLs: {}",
            list(&rule.non_resource_urls)
        ));
    }
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

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
