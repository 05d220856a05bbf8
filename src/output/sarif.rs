//! SARIF 2.1.0 for GitHub code scanning: every rule with its help, `security-severity`,
//! `precision` and tags; results at the line of the offending subject, rule or field, the
//! binding and role as related locations, a stable `partialFingerprints` (rule + object +
//! subject, never a line), and suppressed findings marked as suppressions.

use serde_json::{json, Value};

use crate::app::lint::LintReport;
use crate::cli::RULES_URL;
use crate::lint::{Finding, Location, Rule, Severity, Suppression, RULES};

/// The SARIF `level` of a severity: critical and high are errors.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// `cluster-admin-equivalent` → `ClusterAdminEquivalent`.
fn pascal(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

fn rule_descriptor(r: &Rule) -> Value {
    let references = if r.references.is_empty() {
        String::new()
    } else {
        format!("\n\nReferences: {}", r.references.join("; "))
    };
    let anchor = r.id.to_lowercase();
    json!({
        "id": r.id,
        "name": pascal(r.slug),
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.rationale},
        "help": {
            "text": format!("{}\n\nFix: {}{references}", r.rationale, r.remediation),
            "markdown": format!(
                "**{}** ({} severity)\n\n{}\n\n**Fix:** {}{}\n\n[{} in the kubeaudit rule catalog]({RULES_URL}#{anchor})",
                r.title,
                r.severity.as_str(),
                r.rationale,
                r.remediation,
                references.replace("\n\nReferences:", "\n\n**References:**"),
                r.id
            ),
        },
        "helpUri": format!("{RULES_URL}#{anchor}"),
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": ["security", "kubernetes", r.category.as_str()],
            "precision": r.precision,
            "security-severity": r.severity.security_severity(),
            "problem.severity": match r.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low => "recommendation",
            },
        },
    })
}

/// A file path as a relative URI reference (forward slashes, percent-encoded): the
/// working directory's prefix is dropped so that GitHub resolves it against the checkout.
fn uri(path: &str) -> String {
    let p = std::path::Path::new(path);
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(&cwd).ok().map(|r| r.to_path_buf()))
        .unwrap_or_else(|| p.to_path_buf());
    let text = relative.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text).to_string();
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if relative.is_absolute() {
        format!("file://{out}")
    } else {
        out
    }
}

/// True when the location is a file we read (not a cluster, stdin or the bootstrap policy).
fn is_file(loc: &Location) -> bool {
    !loc.origin.source.is_empty() && std::path::Path::new(&loc.origin.source).is_file()
}

fn location(loc: &Location) -> Value {
    let object = &loc.object;
    let mut value = json!({
        "logicalLocations": [{
            "name": object.name,
            "fullyQualifiedName": object.to_string(),
            "kind": "object",
        }],
    });
    if is_file(loc) {
        let mut physical = json!({"artifactLocation": {"uri": uri(&loc.origin.source)}});
        if loc.line > 0 {
            physical["region"] = json!({"startLine": loc.line});
        }
        value["physicalLocation"] = physical;
    }
    value
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [location(&f.location)],
        "partialFingerprints": {
            "primaryLocationLineHash": f.fingerprint,
            "kubeauditFingerprint/v1": f.fingerprint,
        },
    });
    if !f.evidence.is_empty() {
        r["relatedLocations"] = f
            .evidence
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut l = location(&e.location);
                l["id"] = json!(i + 1);
                l["message"] = json!({"text": e.message});
                l
            })
            .collect();
    }
    if let Some(s) = &f.suppressed {
        r["suppressions"] = match s {
            Suppression::Annotation { reason, .. } => {
                json!([{"kind": "inSource", "justification": reason}])
            }
            Suppression::Baseline => {
                json!([{"kind": "external", "justification": "accepted in the kubeaudit baseline"}])
            }
        };
    }
    r
}

/// The SARIF log of a lint report.
pub fn sarif(report: &LintReport) -> Value {
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = RULES.iter().position(|r| r.id == f.rule).unwrap_or(0);
            result(f, index)
        })
        .collect();
    let notifications: Vec<Value> = report
        .stale_suppressions
        .iter()
        .map(|s| {
            json!({
                "level": "warning",
                "message": {"text": format!(
                    "suppression {:?}{} ({}): {}",
                    s.entry,
                    s.object.as_ref().map(|o| format!(" on {o}")).unwrap_or_default(),
                    s.origin,
                    s.problem
                )},
            })
        })
        .chain(report.missing.iter().map(|m| {
            json!({
                "level": "error",
                "message": {"text": format!("could not read {}: {}", m.kind, m.reason)},
            })
        }))
        .chain(report.incomplete.iter().map(|why| {
            json!({
                "level": "error",
                "message": {"text": why},
            })
        }))
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubeaudit",
                "informationUri": RULES_URL,
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": RULES.iter().map(rule_descriptor).collect::<Vec<_>>(),
            }},
            "automationDetails": {"id": "kubeaudit/lint/"},
            "invocations": [{
                "executionSuccessful": report.complete,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("cluster-admin-equivalent"), "ClusterAdminEquivalent");
        assert_eq!(
            uri("examples/cluster/30 bindings.yaml"),
            "examples/cluster/30%20bindings.yaml"
        );
        assert_eq!(uri("./a/b.yaml"), "a/b.yaml");
    }
}
