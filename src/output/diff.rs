//! `diff` as a table and as Markdown for a pull request.

use std::io::Write;

use crate::diff::{AccessDiff, Change, SubjectChange};
use crate::lint::Finding;

fn subject_name(s: &SubjectChange) -> String {
    if s.namespace.is_empty() {
        format!("{} {}", s.kind, s.name)
    } else {
        format!("{} {}/{}", s.kind, s.namespace, s.name)
    }
}

fn scope(c: &Change) -> String {
    if c.permission.scope == "*" {
        "cluster-wide".into()
    } else {
        format!("in {}", c.permission.scope)
    }
}

fn finding_line(f: &Finding) -> String {
    format!("{} {} {}", f.rule, f.severity.as_str(), f.message)
}

/// Changes of one subject grouped as kubectl's rule lists are: one row per (sign, object,
/// scope, via) with its verbs.
fn grouped(s: &SubjectChange) -> Vec<(&'static str, String, String, String, String)> {
    let mut rows: Vec<(&'static str, String, String, String, Vec<String>)> = Vec::new();
    for (sign, list) in [("+", &s.gained), ("-", &s.lost)] {
        for c in list {
            let mut p = c.permission.clone();
            let verb = std::mem::take(&mut p.verb);
            let what = p.describe().trim_start().to_string();
            match rows
                .iter_mut()
                .find(|r| r.0 == sign && r.1 == what && r.2 == scope(c) && r.3 == c.via)
            {
                Some(r) => r.4.push(verb),
                None => rows.push((sign, what, scope(c), c.via.clone(), vec![verb])),
            }
        }
    }
    rows.into_iter()
        .map(|(sign, what, scope, via, verbs)| (sign, verbs.join(","), what, scope, via))
        .collect()
}

/// Writes the diff as tables: access gained and lost, default-deny, findings.
pub fn write_table(out: &mut dyn Write, d: &AccessDiff, no_headers: bool) -> std::io::Result<()> {
    let mut rows = Vec::new();
    for s in &d.subjects {
        for (sign, verbs, what, scope, via) in grouped(s) {
            rows.push(vec![
                sign.to_string(),
                subject_name(s),
                verbs,
                what,
                scope,
                via,
            ]);
        }
    }
    let mut any = false;
    if !rows.is_empty() {
        any = true;
        super::plain_table(
            out,
            (!no_headers).then_some(&["", "SUBJECT", "VERBS", "ON", "WHERE", "VIA"][..]),
            &rows,
        )?;
    }
    if !d.default_deny.is_empty() {
        if any {
            writeln!(out)?;
        }
        any = true;
        let show = |v: Option<bool>| match v {
            None => "absent".to_string(),
            Some(true) => "yes".to_string(),
            Some(false) => "no".to_string(),
        };
        let rows: Vec<Vec<String>> = d
            .default_deny
            .iter()
            .map(|c| {
                vec![
                    c.namespace.clone(),
                    c.direction.to_string(),
                    show(c.before),
                    show(c.after),
                ]
            })
            .collect();
        super::plain_table(
            out,
            (!no_headers).then_some(&["NAMESPACE", "DEFAULT-DENY", "BEFORE", "AFTER"][..]),
            &rows,
        )?;
    }
    for (title, list, sign) in [
        ("NEW FINDINGS", &d.new_findings, "+"),
        ("FIXED FINDINGS", &d.fixed_findings, "-"),
    ] {
        if list.is_empty() {
            continue;
        }
        if any {
            writeln!(out)?;
        }
        any = true;
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|f| {
                vec![
                    sign.to_string(),
                    f.location.object.to_string(),
                    finding_line(f),
                ]
            })
            .collect();
        if !no_headers {
            writeln!(out, "{title}")?;
        }
        super::plain_table(out, None, &rows)?;
    }
    if !any {
        writeln!(out, "no access changes")?;
    }
    Ok(())
}

fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Writes the diff as Markdown: a summary line, then sections.
pub fn write_markdown(
    out: &mut dyn Write,
    d: &AccessDiff,
    before: &str,
    after: &str,
) -> std::io::Result<()> {
    let gained: usize = d.subjects.iter().map(|s| s.gained.len()).sum();
    let lost: usize = d.subjects.iter().map(|s| s.lost.len()).sum();
    writeln!(
        out,
        "### kubeaudit: access changes from `{}` to `{}`\n",
        md(before),
        md(after)
    )?;
    writeln!(
        out,
        "**{gained}** permission(s) gained and **{lost}** lost by {} subject(s); {} default-deny change(s); {} new and {} removed escalation path(s); {} new and {} fixed lint finding(s).\n",
        d.subjects.len(),
        d.default_deny.len(),
        d.new_escalations.len(),
        d.removed_escalations.len(),
        d.new_findings.len(),
        d.fixed_findings.len()
    )?;
    if gained + lost > 0 {
        writeln!(
            out,
            "| | subject | verbs | on | where | via |\n|---|---|---|---|---|---|"
        )?;
        for s in &d.subjects {
            for (sign, verbs, what, scope, via) in grouped(s) {
                let sign = if sign == "+" { "➕" } else { "➖" };
                writeln!(
                    out,
                    "| {sign} | {} | `{}` | `{}` | {scope} | {} |",
                    md(&subject_name(s)),
                    md(&verbs),
                    md(&what),
                    md(&via)
                )?;
            }
        }
        writeln!(out)?;
    }
    if !d.default_deny.is_empty() {
        writeln!(
            out,
            "| namespace | default-deny | before | after |\n|---|---|---|---|"
        )?;
        for c in &d.default_deny {
            let show = |v: Option<bool>| match v {
                None => "absent",
                Some(true) => "yes",
                Some(false) => "**no**",
            };
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&c.namespace),
                c.direction,
                show(c.before),
                show(c.after)
            )?;
        }
        writeln!(out)?;
    }
    for (title, list) in [
        ("New lint findings", &d.new_findings),
        ("Fixed lint findings", &d.fixed_findings),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(
            out,
            "<details><summary>{title} ({})</summary>\n",
            list.len()
        )?;
        for f in list {
            writeln!(
                out,
                "- **{}** ({}) `{}`: {}",
                f.rule,
                f.severity.as_str(),
                f.location.object,
                md(&f.message)
            )?;
        }
        writeln!(out, "\n</details>\n")?;
    }
    Ok(())
}
