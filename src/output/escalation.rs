//! `escalation` as a table (one line per hop), Graphviz and Mermaid.

use std::collections::BTreeSet;
use std::io::Write;

use crate::app::escalation::{EscalationReport, HopView};

fn grants(h: &HopView) -> String {
    h.hop
        .grants
        .iter()
        .map(|g| format!("{} ({})", g.request, g.by))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The hops to print: each reached principal's path, without repeating a hop.
fn hops(report: &EscalationReport) -> Vec<&HopView> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for r in &report.reached {
        for h in &r.path {
            if seen.insert((h.from.clone(), h.to.clone(), h.hop.primitive)) {
                out.push(h);
            }
        }
    }
    out
}

/// Writes the table: with -A one line per subject, else one line per hop.
pub fn write_table(
    out: &mut dyn Write,
    report: &EscalationReport,
    wide: bool,
) -> std::io::Result<()> {
    if !report.ranking.is_empty() || report.start == "every subject" {
        let rows: Vec<Vec<String>> = report
            .ranking
            .iter()
            .map(|r| {
                let first = r
                    .first
                    .as_ref()
                    .map(|h| format!("{} → {}", h.hop.primitive.as_str(), h.to))
                    .unwrap_or_default();
                vec![
                    r.subject.clone(),
                    r.reaches.clone(),
                    r.hops.to_string(),
                    first,
                ]
            })
            .collect();
        if rows.is_empty() {
            writeln!(out, "no subject can become anyone else")?;
            return Ok(());
        }
        return super::plain_table(
            out,
            Some(&["SUBJECT", "REACHES", "HOPS", "FIRST HOP"]),
            &rows,
        );
    }
    if let (Some(t), Some(false)) = (&report.target, report.reachable) {
        writeln!(out, "{} cannot reach {t}", report.start)?;
        return Ok(());
    }
    let list = hops(report);
    if list.is_empty() {
        writeln!(out, "{} cannot become anyone else", report.start)?;
        return Ok(());
    }
    if let Some(t) = &report.target {
        writeln!(
            out,
            "{} reaches {t} in {} hop(s):",
            report.start,
            list.len()
        )?;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let mut row = vec![
                (i + 1).to_string(),
                h.from.clone(),
                h.hop.primitive.as_str().to_string(),
                h.to.clone(),
            ];
            if wide {
                row.push(grants(h));
                row.push(h.hop.objects.join(", "));
            } else {
                row.push(
                    h.hop
                        .grants
                        .first()
                        .map(|g| g.by.clone())
                        .unwrap_or_default(),
                );
            }
            row
        })
        .collect();
    let header: &[&str] = if wide {
        &["#", "FROM", "HOP", "TO", "PERMISSIONS", "OBJECTS"]
    } else {
        &["#", "FROM", "HOP", "TO", "VIA"]
    };
    super::plain_table(out, Some(header), &rows)?;
    if wide && !report.powers.is_empty() {
        writeln!(out)?;
        let rows: Vec<Vec<String>> = report
            .powers
            .iter()
            .map(|(who, p)| {
                vec![
                    who.clone(),
                    p.what.clone(),
                    p.via.first().map(|g| g.by.clone()).unwrap_or_default(),
                ]
            })
            .collect();
        super::plain_table(out, Some(&["WHO", "POWER", "VIA"]), &rows)?;
    }
    Ok(())
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Writes a Graphviz digraph of the paths.
pub fn write_dot(out: &mut dyn Write, report: &EscalationReport) -> std::io::Result<()> {
    writeln!(out, "digraph escalation {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [shape=box, fontname=\"Helvetica\"];")?;
    let list = hops(report);
    let mut nodes = BTreeSet::new();
    for h in &list {
        nodes.insert(h.from.clone());
        nodes.insert(h.to.clone());
    }
    for n in &nodes {
        let style = match n.as_str() {
            "cluster-admin" => ", style=filled, fillcolor=\"#f4cccc\"",
            "root on a node" => ", style=filled, fillcolor=\"#fce5cd\"",
            _ if *n == report.start => ", style=bold",
            _ => "",
        };
        writeln!(out, "  \"{}\" [label=\"{}\"{style}];", quote(n), quote(n))?;
    }
    for h in &list {
        writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\"];",
            quote(&h.from),
            quote(&h.to),
            h.hop.primitive.as_str()
        )?;
    }
    writeln!(out, "}}")
}

/// Writes a Mermaid flowchart of the paths.
pub fn write_mermaid(out: &mut dyn Write, report: &EscalationReport) -> std::io::Result<()> {
    writeln!(out, "```mermaid\nflowchart LR")?;
    let list = hops(report);
    let mut ids: Vec<String> = Vec::new();
    let id = |name: &str, ids: &mut Vec<String>| -> usize {
        match ids.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                ids.push(name.to_string());
                ids.len() - 1
            }
        }
    };
    let mut lines = Vec::new();
    for h in &list {
        let a = id(&h.from, &mut ids);
        let b = id(&h.to, &mut ids);
        lines.push(format!("  n{a} -->|{}| n{b}", h.hop.primitive.as_str()));
    }
    for (i, n) in ids.iter().enumerate() {
        writeln!(out, "  n{i}[\"{}\"]", n.replace('"', "#quot;"))?;
    }
    for l in lines {
        writeln!(out, "{l}")?;
    }
    writeln!(out, "```")
}
