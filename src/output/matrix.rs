//! Rendering of the access matrix: `NAME` then one column per verb, ✔ allowed, ✖ denied,
//! `n/a` not served, coloured — on a colour terminal (or --color always); otherwise `.`, `X` and
//! `n/a`, as the NetworkPolicy matrices print them.

use std::io::Write;

use colored::Colorize;

use crate::rbac::matrix::{Access, AccessMatrix};

/// `resource.group`, or `resource` for the core group.
pub fn resource_name(resource: &str, group: &str) -> String {
    if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    }
}

fn symbol(a: Access, fancy: bool) -> &'static str {
    match (a, fancy) {
        (Access::Allowed, true) => "✔",
        (Access::Denied, true) => "✖",
        (Access::Allowed, false) => ".",
        (Access::Denied, false) => "X",
        (Access::NotApplicable, _) => "n/a",
    }
}

fn painted(a: Access, fancy: bool) -> String {
    if !fancy {
        return symbol(a, false).to_string();
    }
    match a {
        Access::Allowed => symbol(a, true).green().to_string(),
        Access::Denied => symbol(a, true).red().to_string(),
        Access::NotApplicable => symbol(a, true).dimmed().to_string(),
    }
}

/// Prints the grid. Columns are padded by character count (the symbols are one column wide).
pub fn write_table(
    out: &mut dyn Write,
    m: &AccessMatrix,
    no_headers: bool,
    fancy: bool,
) -> std::io::Result<()> {
    let names: Vec<String> = m
        .rows
        .iter()
        .map(|r| resource_name(&r.resource, &r.group))
        .collect();
    let name_width = names
        .iter()
        .map(|n| n.chars().count())
        .chain(std::iter::once(4))
        .max()
        .unwrap_or(4);
    let widths: Vec<usize> = m.verbs.iter().map(|v| v.chars().count().max(3)).collect();
    if !no_headers {
        let mut line = format!("{:<name_width$}", "NAME");
        for (verb, w) in m.verbs.iter().zip(&widths) {
            line.push_str(&format!("  {:<w$}", verb.to_uppercase()));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    for (row, name) in m.rows.iter().zip(&names) {
        let mut line = format!("{name:<name_width$}");
        for ((_, access), w) in row.access.iter().zip(&widths) {
            let pad = w.saturating_sub(symbol(*access, fancy).chars().count());
            line.push_str("  ");
            line.push_str(&painted(*access, fancy));
            line.extend(std::iter::repeat_n(' ', pad));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
