//! Label selectors (`matchLabels` + `matchExpressions`) with Kubernetes' matching rules.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Labels of a pod, namespace or node.
pub type Labels = BTreeMap<String, String>;

/// A selector operator; Kubernetes accepts only these four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Operator {
    /// The key is present and its value is one of `values`.
    In,
    /// The key is absent, or its value is none of `values`.
    NotIn,
    /// The key is present (any value).
    Exists,
    /// The key is absent.
    DoesNotExist,
}

/// One `matchExpressions` requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub operator: Operator,
    /// The values (empty for Exists/DoesNotExist).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl Requirement {
    /// Whether `labels` satisfy this requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            Operator::In => value.is_some_and(|v| self.values.contains(v)),
            // NotIn also matches objects that lack the key entirely.
            Operator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }
}

/// A validated label selector. All parts are ANDed; the empty selector matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// Exact key=value pairs.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: Labels,
    /// Set-based requirements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<Requirement>,
}

impl LabelSelector {
    /// The selector that matches everything (`{}`).
    pub fn everything() -> Self {
        Self::default()
    }

    /// Whether this selector has no conditions and so matches every object.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` satisfy every condition of the selector.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

/// A label selector as written in a manifest (before validation).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawLabelSelector {
    #[serde(default)]
    pub match_labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub match_expressions: Option<Vec<RawRequirement>>,
}

/// A requirement as written in a manifest.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RawRequirement {
    pub key: String,
    pub operator: String,
    #[serde(default)]
    pub values: Option<Vec<String>>,
}

/// A validation problem: the field path (relative to the selector) and a message.
pub(crate) type FieldProblem = (String, String);

impl RawLabelSelector {
    /// Validates the selector as the API server does and returns it, or the problems found.
    /// `path` is the selector's own field path, used to build error paths.
    pub fn validate(self, path: &str) -> Result<LabelSelector, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let match_labels = self.match_labels.unwrap_or_default();
        for (k, v) in &match_labels {
            if let Err(m) = validate_label_key(k) {
                problems.push((format!("{path}.matchLabels"), format!("key `{k}`: {m}")));
            }
            if let Err(m) = validate_label_value(v) {
                problems.push((
                    format!("{path}.matchLabels.{k}"),
                    format!("value `{v}`: {m}"),
                ));
            }
        }
        let mut match_expressions = Vec::new();
        for (i, raw) in self
            .match_expressions
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let p = format!("{path}.matchExpressions[{i}]");
            let values = raw.values.unwrap_or_default();
            let operator = match raw.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    problems.push((
                        format!("{p}.operator"),
                        format!(
                            "`{other}` is not a valid selector operator: expected In, NotIn, Exists or DoesNotExist"
                        ),
                    ));
                    continue;
                }
            };
            if let Err(m) = validate_label_key(&raw.key) {
                problems.push((format!("{p}.key"), format!("`{}`: {m}", raw.key)));
            }
            match operator {
                Operator::In | Operator::NotIn if values.is_empty() => problems.push((
                    format!("{p}.values"),
                    format!("must be non-empty for operator {}", raw.operator),
                )),
                Operator::Exists | Operator::DoesNotExist if !values.is_empty() => problems.push((
                    format!("{p}.values"),
                    format!("must be empty for operator {}", raw.operator),
                )),
                _ => {}
            }
            for (j, v) in values.iter().enumerate() {
                if let Err(m) = validate_label_value(v) {
                    problems.push((format!("{p}.values[{j}]"), format!("`{v}`: {m}")));
                }
            }
            match_expressions.push(Requirement {
                key: raw.key,
                operator,
                values,
            });
        }
        if problems.is_empty() {
            Ok(LabelSelector {
                match_labels,
                match_expressions,
            })
        } else {
            Err(problems)
        }
    }
}

/// Checks the "name" part of a label key or a label value: at most 63 characters,
/// alphanumerics plus `-`, `_`, `.`, beginning and ending with an alphanumeric.
fn validate_name_part(s: &str) -> Result<(), String> {
    if s.len() > 63 {
        return Err("must be no more than 63 characters".into());
    }
    let bytes = s.as_bytes();
    let ok_inner = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    let ok_ends = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    if ok_inner && ok_ends {
        Ok(())
    } else {
        Err("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character".into())
    }
}

/// Checks a DNS-1123 subdomain (the optional prefix of a label key).
fn validate_dns_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 253 {
        return Err("prefix must be a DNS subdomain of 1 to 253 characters".into());
    }
    for part in s.split('.') {
        let b = part.as_bytes();
        let ok = !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
            && b.last().is_some_and(|c| c.is_ascii_alphanumeric());
        if !ok {
            return Err("prefix must be a lowercase DNS subdomain (e.g. example.com)".into());
        }
    }
    Ok(())
}

/// Checks a label key: `[prefix/]name`.
pub(crate) fn validate_label_key(key: &str) -> Result<(), String> {
    match key.split_once('/') {
        Some((prefix, name)) => {
            validate_dns_subdomain(prefix)?;
            if name.is_empty() {
                return Err("name part must not be empty".into());
            }
            validate_name_part(name)
        }
        None if key.is_empty() => Err("must not be empty".into()),
        None => validate_name_part(key),
    }
}

/// Checks a label value (may be empty).
pub(crate) fn validate_label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        Ok(())
    } else {
        validate_name_part(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn raw(json: serde_json::Value) -> RawLabelSelector {
        serde_json::from_value(json).expect("test selector deserializes")
    }

    #[test]
    fn empty_spellings_match_everything() {
        for j in [
            serde_json::json!({}),
            serde_json::json!({"matchLabels": {}}),
            serde_json::json!({"matchLabels": null}),
            serde_json::json!({"matchExpressions": []}),
        ] {
            let s = raw(j).validate("s").expect("valid");
            assert!(s.is_empty());
            assert!(s.matches(&labels(&[])));
            assert!(s.matches(&labels(&[("a", "b")])));
        }
    }

    #[test]
    fn match_labels_are_anded() {
        let s = raw(serde_json::json!({"matchLabels": {"app": "web", "tier": "fe"}}))
            .validate("s")
            .expect("valid");
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "fe"), ("x", "y")])));
        assert!(!s.matches(&labels(&[("app", "web")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "be")])));
    }

    #[test]
    fn operators() {
        let s = raw(serde_json::json!({"matchExpressions": [
            {"key": "env", "operator": "NotIn", "values": ["prod"]}
        ]}))
        .validate("s")
        .expect("valid");
        // NotIn matches a missing key.
        assert!(s.matches(&labels(&[])));
        assert!(s.matches(&labels(&[("env", "dev")])));
        assert!(!s.matches(&labels(&[("env", "prod")])));

        let s = raw(serde_json::json!({"matchExpressions": [
            {"key": "env", "operator": "In", "values": ["a", "b"]},
            {"key": "x", "operator": "Exists"},
            {"key": "y", "operator": "DoesNotExist"}
        ]}))
        .validate("s")
        .expect("valid");
        assert!(s.matches(&labels(&[("env", "b"), ("x", "")])));
        assert!(!s.matches(&labels(&[("env", "c"), ("x", "")])));
        assert!(!s.matches(&labels(&[("env", "a")])));
        assert!(!s.matches(&labels(&[("env", "a"), ("x", "1"), ("y", "1")])));
    }

    #[test]
    fn bad_selectors_are_rejected_with_paths() {
        let err = raw(serde_json::json!({"matchExpressions": [
            {"key": "env", "operator": "Equals", "values": ["a"]}
        ]}))
        .validate("spec.podSelector")
        .expect_err("invalid operator");
        assert_eq!(err[0].0, "spec.podSelector.matchExpressions[0].operator");
        assert!(err[0].1.contains("Equals"));

        let err = raw(serde_json::json!({"matchExpressions": [
            {"key": "env", "operator": "In", "values": []},
            {"key": "env", "operator": "Exists", "values": ["a"]}
        ]}))
        .validate("p")
        .expect_err("bad values");
        assert_eq!(err.len(), 2);
        assert_eq!(err[0].0, "p.matchExpressions[0].values");
        assert_eq!(err[1].0, "p.matchExpressions[1].values");

        let err = raw(serde_json::json!({"matchLabels": {"bad key!": "v", "k": "-bad"}}))
            .validate("p")
            .expect_err("bad labels");
        assert_eq!(err.len(), 2);
    }

    #[test]
    fn label_keys() {
        assert!(validate_label_key("kubernetes.io/metadata.name").is_ok());
        assert!(validate_label_key("app").is_ok());
        assert!(validate_label_key("Example.com/x").is_err());
        assert!(validate_label_key("a/").is_err());
        assert!(validate_label_key("").is_err());
        assert!(validate_label_value("").is_ok());
        assert!(validate_label_value(&"a".repeat(64)).is_err());
    }
}
