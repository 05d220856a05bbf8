//! Suppressions that stay honest: an `access-audit.io/ignore` annotation on the object with a
//! reason (and an optional expiry), or a baseline file of fingerprints. Suppressed findings
//! are kept (marked), and suppressions that no longer match anything, have expired, give no
//! reason or name an unknown rule are reported.
//!
//! Annotation value: one entry per line (or separated by `;`), each
//! `RULE[,RULE…]: reason [until YYYY-MM-DD]`, rules by id or slug, `*` for every rule.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Finding, ObjectRef, Selection, Suppression, RULES};
use crate::model::objects::Origin;
use crate::model::Inventory;

/// The annotation key (`kubeaudit.io/` belongs to Shopify's kubeaudit).
pub const ANNOTATION: &str = "access-audit.io/ignore";

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day) && text.trim().len() == 10)
            .then_some(Date { year, month, day })
    }

    /// The UTC date of a Unix time in seconds.
    pub fn from_unix(secs: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today, in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_unix(secs)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One entry of an ignore annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    rules: Vec<String>,
    reason: String,
    until: Option<Date>,
    problem: Option<String>,
}

fn parse_entries(value: &str) -> Vec<Entry> {
    value
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| {
            let (rules, rest) = e.split_once(':').unwrap_or((e, ""));
            let rules: Vec<String> = rules
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            let mut reason = rest.trim().to_string();
            let mut until = None;
            let mut problem = None;
            if let Some(at) = reason.rfind("until ") {
                let date = reason[at + 6..].trim().to_string();
                match Date::parse(&date) {
                    Some(d) => {
                        until = Some(d);
                        reason = reason[..at].trim().to_string();
                    }
                    None => problem = Some(format!("{date:?} is not a date (YYYY-MM-DD)")),
                }
            }
            if reason.is_empty() && problem.is_none() {
                problem = Some("no reason given (write `RULE: reason`)".into());
            }
            if let Some(unknown) = rules.iter().find(|r| *r != "*" && super::rule(r).is_none()) {
                problem = Some(format!("unknown rule {unknown:?}"));
            }
            if rules.is_empty() {
                problem = Some("no rule named (write `RULE: reason`)".into());
            }
            Entry {
                rules,
                reason,
                until,
                problem,
            }
        })
        .collect()
}

/// A suppression that does not do what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaleSuppression {
    /// The annotated object, or `None` for a baseline entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    /// Where the annotated object was read, or the baseline file.
    pub origin: String,
    /// The entry as written (an annotation entry, or a baseline fingerprint and rule).
    pub entry: String,
    /// Why it is reported: it matches nothing, it expired, it is malformed.
    pub problem: String,
}

/// A baseline file: the fingerprints of accepted findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Baseline {
    /// `access-audit.io/v1`.
    pub api_version: String,
    /// `LintBaseline`.
    pub kind: String,
    /// The accepted findings.
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaselineEntry {
    /// The finding's fingerprint (rule + object + subject + key; never a line number).
    pub fingerprint: String,
    /// The rule. It, the object, the subject and the key must match as well as the
    /// fingerprint: a fingerprint is a 64-bit hash of names a manifest chooses.
    pub rule: String,
    /// The object.
    pub object: String,
    /// The subject.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// What tells apart findings of one rule, object and subject (a container, a verb).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
}

impl Baseline {
    /// The baseline of these findings (suppressed ones by annotation are left out).
    pub fn of(findings: &[Finding]) -> Baseline {
        Baseline {
            api_version: "access-audit.io/v1".into(),
            kind: "LintBaseline".into(),
            findings: findings
                .iter()
                .filter(|f| !matches!(f.suppressed, Some(Suppression::Annotation { .. })))
                .map(BaselineEntry::of)
                .collect(),
        }
    }
}

impl BaselineEntry {
    /// The entry accepting `f`, and only it.
    pub fn of(f: &Finding) -> BaselineEntry {
        BaselineEntry {
            fingerprint: f.fingerprint.clone(),
            rule: f.rule.to_string(),
            object: f.location.object.to_string(),
            subject: f
                .subject
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            key: f.key.to_string(),
        }
    }
}

/// The suppression annotation of every typed object of the inventory that has one (objects
/// are unique by kind, namespace and name, so none hides another's).
fn annotations(inventory: &Inventory) -> Vec<(ObjectRef, &str, &Origin)> {
    type Found<'a> = Vec<(ObjectRef, &'a str, &'a Origin)>;
    fn add<'a>(
        out: &mut Found<'a>,
        kind: &str,
        ns: &str,
        meta: &'a crate::model::ObjectMeta,
        origin: &'a Origin,
    ) {
        if let Some(value) = meta.annotations.get(ANNOTATION) {
            out.push((ObjectRef::new(kind, ns, &meta.name), value.as_str(), origin));
        }
    }
    let mut out = Vec::new();
    for r in &inventory.roles {
        let ns = if r.kind == crate::model::RoleKind::Role {
            r.metadata.namespace.as_str()
        } else {
            ""
        };
        add(&mut out, r.kind.as_str(), ns, &r.metadata, &r.origin);
    }
    for b in &inventory.bindings {
        let ns = if b.kind == crate::model::BindingKind::RoleBinding {
            b.metadata.namespace.as_str()
        } else {
            ""
        };
        add(&mut out, b.kind.as_str(), ns, &b.metadata, &b.origin);
    }
    for (kind, list) in [
        ("ServiceAccount", &inventory.service_accounts),
        ("Namespace", &inventory.namespaces),
    ] {
        for o in list {
            add(
                &mut out,
                kind,
                &o.metadata.namespace,
                &o.metadata,
                &o.origin,
            );
        }
    }
    out
}

/// Annotations of raw objects (workloads, webhooks, NetworkPolicies, Secrets), parsed once.
fn raw_annotations(inventory: &Inventory) -> Vec<(ObjectRef, BTreeMap<String, String>, Origin)> {
    let placement = if inventory.default_namespace.is_empty() {
        "default"
    } else {
        inventory.default_namespace.as_str()
    };
    inventory
        .other
        .iter()
        .filter_map(|o| {
            // An object whose text cannot hold the annotation is not read into a value.
            if !o.value.may_hold(ANNOTATION) {
                return None;
            }
            let a = o.value.pointer("/metadata/annotations")?.as_object()?;
            let value = a.get(ANNOTATION)?.as_str()?;
            let text = |p: &str| o.value.pointer(p).and_then(Value::as_str).unwrap_or("");
            let cluster_scoped = matches!(
                o.kind.as_str(),
                "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" | "Node"
            );
            let ns = match (cluster_scoped, text("/metadata/namespace")) {
                (true, _) => "",
                (false, "") => placement,
                (false, ns) => ns,
            };
            let mut map = BTreeMap::new();
            map.insert(ANNOTATION.to_string(), value.to_string());
            Some((
                ObjectRef::new(&o.kind, ns, text("/metadata/name")),
                map,
                o.origin.clone(),
            ))
        })
        .collect()
}

/// Applies annotations and the baseline to the findings (marking them) and returns what is
/// stale. `selection` tells which rules ran: an entry for a rule that did not run is not
/// stale.
pub fn apply(
    findings: &mut [Finding],
    inventory: &Inventory,
    baseline: Option<(&Baseline, &str)>,
    selection: &Selection,
    today: Date,
) -> Vec<StaleSuppression> {
    let mut stale = Vec::new();
    let typed = annotations(inventory);
    let raw = raw_annotations(inventory);
    let mut by_object: HashMap<ObjectRef, (Vec<Entry>, String, Vec<bool>)> = HashMap::new();
    let typed_iter = typed
        .into_iter()
        .map(|(o, v, origin)| (o, v.to_string(), origin.clone()));
    let raw_iter = raw
        .iter()
        .map(|(o, a, origin)| (o.clone(), a[ANNOTATION].clone(), origin.clone()));
    for (object, value, origin) in typed_iter.chain(raw_iter) {
        let entries = parse_entries(&value);
        let used = vec![false; entries.len()];
        by_object.insert(object, (entries, origin.to_string(), used));
    }
    for f in findings.iter_mut() {
        let Some((entries, _, used)) = by_object.get_mut(&f.location.object) else {
            continue;
        };
        for (i, e) in entries.iter().enumerate() {
            if e.problem.is_some() {
                continue;
            }
            let names = e
                .rules
                .iter()
                .any(|r| r == "*" || super::rule(r).is_some_and(|rule| rule.id == f.rule));
            if !names {
                continue;
            }
            used[i] = true;
            if e.until.is_some_and(|u| u < today) {
                continue;
            }
            f.suppressed = Some(Suppression::Annotation {
                reason: e.reason.clone(),
                until: e.until.map(|d| d.to_string()),
            });
            break;
        }
    }
    let mut objects: Vec<_> = by_object.into_iter().collect();
    objects.sort_by(|a, b| a.0.cmp(&b.0));
    for (object, (entries, origin, used)) in objects {
        for (e, used) in entries.iter().zip(used) {
            let entry = format!("{}: {}", e.rules.join(","), e.reason);
            let ran = e
                .rules
                .iter()
                .any(|r| r == "*" || super::rule(r).is_some_and(|rule| selection.runs(rule)));
            let problem = if let Some(p) = &e.problem {
                p.clone()
            } else if e.until.is_some_and(|u| u < today) && used {
                format!(
                    "expired on {} (the findings it named are reported again)",
                    e.until.unwrap_or(today)
                )
            } else if !used && ran {
                "matches no finding: remove it".into()
            } else {
                continue;
            };
            stale.push(StaleSuppression {
                object: Some(object.clone()),
                origin: origin.clone(),
                entry,
                problem,
            });
        }
    }
    if let Some((baseline, path)) = baseline {
        // An entry accepts a finding by its fingerprint and also by the rule, object, subject
        // and key it names: a fingerprint is a 64-bit hash of names a manifest chooses, so a
        // crafted name must not make a new finding pass for an accepted one.
        let mut wanted: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in baseline.findings.iter().enumerate() {
            wanted.entry(e.fingerprint.as_str()).or_default().push(i);
        }
        let mut matched = vec![false; baseline.findings.len()];
        for f in findings.iter_mut() {
            let Some(entries) = wanted.get(f.fingerprint.as_str()) else {
                continue;
            };
            let entry = BaselineEntry::of(f);
            let mut accepted = false;
            for &i in entries {
                if baseline.findings[i] == entry {
                    matched[i] = true;
                    accepted = true;
                }
            }
            if accepted && f.suppressed.is_none() {
                f.suppressed = Some(Suppression::Baseline);
            }
        }
        for (e, matched) in baseline.findings.iter().zip(matched) {
            let ran = RULES
                .iter()
                .find(|r| r.id == e.rule)
                .is_none_or(|r| selection.runs(r));
            if !matched && ran {
                stale.push(StaleSuppression {
                    object: None,
                    origin: path.to_string(),
                    entry: format!("{} {} {} {}", e.fingerprint, e.rule, e.object, e.subject)
                        .trim_end()
                        .to_string(),
                    problem: "matches no finding (fixed?): remove it from the baseline".into(),
                });
            }
        }
    }
    stale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_with_reasons_and_dates() {
        let e =
            parse_entries("KA105,pod-exec: break-glass access until 2027-01-31; KA107: CI deploys");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].rules, ["KA105", "pod-exec"]);
        assert_eq!(e[0].reason, "break-glass access");
        assert_eq!(e[0].until, Date::parse("2027-01-31"));
        assert_eq!(e[1].problem, None);
        assert!(parse_entries("KA105")[0]
            .problem
            .as_ref()
            .unwrap()
            .contains("no reason"));
        assert!(parse_entries("KA999: x")[0]
            .problem
            .as_ref()
            .unwrap()
            .contains("unknown rule"));
        assert!(parse_entries("KA105: x until soon")[0]
            .problem
            .as_ref()
            .unwrap()
            .contains("not a date"));
    }

    #[test]
    fn dates_from_unix_time() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(1_798_502_400).to_string(), "2026-12-29");
        assert_eq!(Date::from_unix(951_782_400).to_string(), "2000-02-29");
    }
}
