//! `lint` tables: findings grouped by severity (worst first), the summary, and the rule
//! catalog.

use std::borrow::Cow;
use std::io::Write;

use colored::Colorize;

use crate::app::lint::LintReport;
use crate::lint::{Finding, Location, Severity, Suppression, RULES};

/// `file:line`, the source alone when the line is unknown.
pub fn place(loc: &Location) -> String {
    match loc.line {
        0 => loc.origin.source.clone(),
        n => format!("{}:{n}", loc.origin.source),
    }
}

fn heading(severity: Severity, count: usize) -> String {
    let text = format!("{} ({count})", severity.as_str().to_uppercase());
    match severity {
        Severity::Critical => text.red().bold().to_string(),
        Severity::High => text.red().to_string(),
        Severity::Medium => text.yellow().to_string(),
        Severity::Low => text.normal().to_string(),
    }
}

fn suppression_text(s: &Suppression) -> String {
    match s {
        Suppression::Annotation { reason, until } => match until {
            Some(u) => format!("suppressed until {u}: {reason}"),
            None => format!("suppressed: {reason}"),
        },
        Suppression::Baseline => "suppressed by the baseline".into(),
    }
}

/// A finding's cells; what it holds already is borrowed (100,000s of rows).
fn row(f: &Finding, wide: bool) -> Vec<Cow<'_, str>> {
    let mut message = Cow::Borrowed(f.message.as_str());
    if wide {
        let message = message.to_mut();
        for e in f.evidence.iter() {
            message.push_str(&format!("\n  {} ({})", e.message, place(&e.location)));
        }
        if let Some(s) = &f.suppressed {
            message.push_str(&format!("\n  {}", suppression_text(s)));
        }
    }
    vec![
        Cow::Borrowed(f.rule),
        Cow::Owned(f.location.object.to_string()),
        Cow::Owned(place(&f.location)),
        message,
    ]
}

/// Writes the report as one YAML document, the same bytes as [`super::write_yaml`] of it: its
/// findings and pod security levels (the long lists) serialized on every core and written as
/// they are made, the other fields as they are.
pub fn write_yaml(out: &mut dyn Write, report: &LintReport) -> std::io::Result<()> {
    // The fields before the long lists and after them, as `LintReport` names and orders them
    // (a test compares the YAML with the JSON, which serializes `LintReport` itself).
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Head<'r> {
        api_version: &'r str,
        kind: &'r str,
        complete: bool,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        missing: &'r [crate::model::MissingData],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        incomplete: &'r [String],
        summary: &'r crate::app::lint::Summary,
        rules: &'r [&'static str],
    }
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Tail<'r> {
        stale_suppressions: &'r [crate::lint::suppress::StaleSuppression],
    }
    let head = Head {
        api_version: report.api_version,
        kind: report.kind,
        complete: report.complete,
        missing: &report.missing,
        incomplete: &report.incomplete,
        summary: &report.summary,
        rules: &report.rules,
    };
    out.write_all(super::yaml_text(&head)?.as_bytes())?;
    super::write_yaml_sequence(out, "findings", &report.findings)?;
    super::write_yaml_sequence(out, "podSecurity", &report.pod_security)?;
    let tail = Tail {
        stale_suppressions: &report.stale_suppressions,
    };
    super::write_yaml(out, &tail)
}

/// Writes the findings table. `wide` adds evidence and suppressed findings; `summary` adds
/// the closing count line (kept out of files).
pub fn write_table(
    out: &mut dyn Write,
    report: &LintReport,
    wide: bool,
    no_headers: bool,
    summary: bool,
) -> std::io::Result<()> {
    let header: &[&str] = &["RULE", "OBJECT", "WHERE", "FINDING"];
    let mut first = true;
    for severity in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ] {
        let shown: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity && (wide || f.suppressed.is_none()))
            .collect();
        // Rows are worded on every core (a large cluster has 100,000s), in order.
        let rows: Vec<Vec<Cow<str>>> = crate::parallel::map(&shown, 8192, &|f| row(f, wide));
        if rows.is_empty() {
            continue;
        }
        if !first {
            writeln!(out)?;
        }
        first = false;
        if !no_headers {
            writeln!(out, "{}", heading(severity, rows.len()))?;
        }
        super::plain_table(out, (!no_headers).then_some(header), &rows)?;
        // 100,000s of rows are not freed one string at a time: the process is about to end
        // (as the report is not freed).
        if rows.len() >= crate::model::LEAK_FROM {
            std::mem::forget(rows);
        }
    }
    if wide && !report.pod_security.is_empty() {
        if !first {
            writeln!(out)?;
        }
        first = false;
        let rows: Vec<Vec<String>> = report
            .pod_security
            .iter()
            .map(|p| vec![p.object.to_string(), p.level.as_str().to_string()])
            .collect();
        super::plain_table(
            out,
            (!no_headers).then_some(&["OBJECT", "POD SECURITY LEVEL"][..]),
            &rows,
        )?;
    }
    if summary && !no_headers {
        if !first {
            writeln!(out)?;
        }
        let s = &report.summary;
        let mut parts = Vec::new();
        for (n, name) in [
            (s.critical, "critical"),
            (s.high, "high"),
            (s.medium, "medium"),
            (s.low, "low"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {name}"));
            }
        }
        let counts = if parts.is_empty() {
            "no findings".to_string()
        } else {
            format!(
                "{} finding{}: {}",
                s.findings,
                if s.findings == 1 { "" } else { "s" },
                parts.join(", ")
            )
        };
        let suppressed = match s.suppressed {
            0 => String::new(),
            n => format!(
                " ({n} suppressed{})",
                if wide { "" } else { ", -o wide shows them" }
            ),
        };
        let verdict = if s.failed {
            format!("fails at --fail-on {}", s.fail_on.as_str())
        } else {
            format!("passes at --fail-on {}", s.fail_on.as_str())
        };
        writeln!(out, "{counts}{suppressed}; {verdict}")?;
    }
    Ok(())
}

/// Writes the rule catalog.
pub fn write_rules(out: &mut dyn Write) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = RULES
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.slug.to_string(),
                r.severity.as_str().to_string(),
                r.category.as_str().to_string(),
                r.title.to_string(),
            ]
        })
        .collect();
    super::plain_table(
        out,
        Some(&["ID", "SLUG", "SEVERITY", "CATEGORY", "TITLE"]),
        &rows,
    )
}
