//! SARIF 2.1.0 for GitHub code scanning: every rule with its help, `security-severity`,
//! `precision` and tags; results at the line of the offending subject, rule or field, the
//! binding and role as related locations, a stable `partialFingerprints` (rule + object +
//! subject, never a line), and suppressed findings marked as suppressions.

use std::collections::HashMap;

use serde::ser::SerializeSeq;
use serde::Serialize;
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

/// Each location source's URI, or `None` when it is not a file we read (a cluster, stdin,
/// the bootstrap policy, a List's item): found once per source, as a report of 100,000s of
/// results names few sources many times.
struct Uris<'a>(HashMap<&'a str, Option<String>>);

impl<'a> Uris<'a> {
    fn of(findings: &'a [Finding]) -> Uris<'a> {
        let mut uris = HashMap::new();
        let locations = findings.iter().flat_map(|f| {
            std::iter::once(&f.location).chain(f.evidence.iter().map(|e| &e.location))
        });
        for loc in locations {
            let source = loc.origin.source.as_str();
            uris.entry(source).or_insert_with(|| {
                (!source.is_empty() && std::path::Path::new(source).is_file()).then(|| uri(source))
            });
        }
        Uris(uris)
    }

    fn get(&self, loc: &Location) -> Option<&str> {
        self.0.get(loc.origin.source.as_str())?.as_deref()
    }
}

// The structures below serialize a result as the JSON of a `Value` would (fields in sorted
// order, the same ones omitted), without building one per result.

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    fully_qualified_name: String,
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Region {
    #[serde(rename = "startLine")]
    start_line: usize,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    logical_locations: [LogicalLocation<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation<'a>>,
}

fn location<'a>(loc: &'a Location, uris: &'a Uris) -> SarifLocation<'a> {
    SarifLocation {
        id: None,
        logical_locations: [LogicalLocation {
            fully_qualified_name: loc.object.to_string(),
            kind: "object",
            name: &loc.object.name,
        }],
        message: None,
        physical_location: uris.get(loc).map(|uri| PhysicalLocation {
            artifact_location: ArtifactLocation { uri },
            region: (loc.line > 0).then_some(Region {
                start_line: loc.line,
            }),
        }),
    }
}

#[derive(Serialize)]
struct PartialFingerprints<'a> {
    #[serde(rename = "kubeauditFingerprint/v1")]
    kubeaudit: &'a str,
    #[serde(rename = "primaryLocationLineHash")]
    primary_location_line_hash: &'a str,
}

#[derive(Serialize)]
struct SarifSuppression<'a> {
    justification: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    locations: [SarifLocation<'a>; 1],
    message: Text<'a>,
    partial_fingerprints: PartialFingerprints<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    rule_id: &'static str,
    rule_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[SarifSuppression<'a>; 1]>,
}

fn result<'a>(f: &'a Finding, rule_index: usize, uris: &'a Uris) -> SarifResult<'a> {
    SarifResult {
        level: level(f.severity),
        locations: [location(&f.location, uris)],
        message: Text { text: &f.message },
        partial_fingerprints: PartialFingerprints {
            kubeaudit: &f.fingerprint,
            primary_location_line_hash: &f.fingerprint,
        },
        related_locations: f
            .evidence
            .iter()
            .enumerate()
            .map(|(i, e)| SarifLocation {
                id: Some(i + 1),
                message: Some(Text { text: &e.message }),
                ..location(&e.location, uris)
            })
            .collect(),
        rule_id: f.rule,
        rule_index,
        suppressions: f.suppressed.as_ref().map(|s| {
            [match s {
                Suppression::Annotation { reason, .. } => SarifSuppression {
                    justification: reason,
                    kind: "inSource",
                },
                Suppression::Baseline => SarifSuppression {
                    justification: "accepted in the kubeaudit baseline",
                    kind: "external",
                },
            }]
        }),
    }
}

/// The results of a report, made one at a time as they are written.
struct Results<'a> {
    findings: &'a [Finding],
    uris: Uris<'a>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.findings.len()))?;
        for f in self.findings {
            let index = RULES.iter().position(|r| r.id == f.rule).unwrap_or(0);
            seq.serialize_element(&result(f, index, &self.uris))?;
        }
        seq.end()
    }
}

/// A SARIF run: its results are written as they are made.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    automation_details: Value,
    invocations: Value,
    results: Results<'a>,
    tool: Value,
}

/// The SARIF log.
#[derive(Serialize)]
pub struct Sarif<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

/// The SARIF log of a lint report.
pub fn sarif(report: &LintReport) -> Sarif<'_> {
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
    Sarif {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            automation_details: json!({"id": "kubeaudit/lint/"}),
            invocations: json!([{
                "executionSuccessful": report.complete,
                "toolExecutionNotifications": notifications,
            }]),
            results: Results {
                findings: &report.findings,
                uris: Uris::of(&report.findings),
            },
            tool: json!({"driver": {
                "name": "kubeaudit",
                "informationUri": RULES_URL,
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": RULES.iter().map(rule_descriptor).collect::<Vec<_>>(),
            }}),
        }],
        version: "2.1.0",
    }
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
