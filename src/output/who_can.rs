//! Rendering of `who-can` reports.

use std::io::Write;

use super::plain_table;
use crate::rbac::who_can::{AllowedSubject, Via, WhoCanReport, WhoCanScope};

/// `ClusterRoleBinding/x → ClusterRole/y, rule 2`.
pub fn via_text(v: &Via) -> String {
    format!("{} → {}, rule {}", v.binding.path(), v.role.path(), v.rule)
}

fn note_text(s: &AllowedSubject) -> String {
    let mut parts = Vec::new();
    if s.builtin {
        parts.push("built-in: allowed everything by the API server".to_string());
    } else if let Some(c) = &s.covers {
        parts.push(format!("= {c}"));
    }
    if !s.member_of.is_empty() {
        parts.push(format!("via group {}", s.member_of.join(", ")));
    }
    parts.join("; ")
}

/// Prints the subjects as a table: KIND, NAME, NAMESPACE (of a ServiceAccount), WHERE (with
/// all namespaces: `*` or the namespaces), NOTE, and with `wide` the VIA paths, one per line.
pub fn write_table(
    out: &mut dyn Write,
    r: &WhoCanReport,
    wide: bool,
    no_headers: bool,
) -> std::io::Result<()> {
    let all = r.scope == WhoCanScope::AllNamespaces;
    let mut header = vec!["KIND", "NAME", "NAMESPACE"];
    if all {
        header.push("WHERE");
    }
    header.push("NOTE");
    if wide {
        header.push("VIA");
    }
    let mut rows = Vec::with_capacity(r.subjects.len());
    for s in &r.subjects {
        let mut row = vec![
            s.kind.to_string(),
            s.name.to_string(),
            s.namespace.unwrap_or_default().to_string(),
        ];
        if all {
            row.push(s.namespaces.clone().unwrap_or_default().join(","));
        }
        row.push(note_text(s));
        if wide {
            row.push(s.via.iter().map(via_text).collect::<Vec<_>>().join("\n"));
        }
        rows.push(row);
    }
    for s in &r.chain_subjects {
        let mut row = vec![s.kind.clone(), s.name.clone(), String::new()];
        if all {
            row.push("*".into());
        }
        row.push(format!("{}: {}", s.authorizer, s.reason));
        if wide {
            row.push(s.authorizer.clone());
        }
        rows.push(row);
    }
    plain_table(out, (!no_headers).then_some(&header[..]), &rows)?;
    if !r.complete {
        writeln!(
            out,
            "(a lower bound: some data could not be read; others may be allowed too)"
        )?;
    }
    Ok(())
}
