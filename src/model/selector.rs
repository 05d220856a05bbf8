//! Label selectors, as apimachinery's `LabelSelectorAsSelector` evaluates them.

use std::collections::BTreeMap;

use crate::model::objects::LabelSelector;

/// A selector that the API server would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// An operator other than In, NotIn, Exists, DoesNotExist.
    #[error("matchExpressions key {key:?}: operator {operator:?} is not one of In, NotIn, Exists, DoesNotExist")]
    BadOperator {
        /// The key.
        key: String,
        /// The operator as written.
        operator: String,
    },
    /// In/NotIn without values, or Exists/DoesNotExist with values.
    #[error("matchExpressions key {key:?}: operator {operator} {expectation}")]
    BadValues {
        /// The key.
        key: String,
        /// The operator.
        operator: String,
        /// What was expected.
        expectation: &'static str,
    },
}

/// Checks a selector the way the API server validates it.
pub fn validate(selector: &LabelSelector) -> Result<(), SelectorError> {
    for req in &selector.match_expressions {
        match req.operator.as_str() {
            "In" | "NotIn" if req.values.is_empty() => {
                return Err(SelectorError::BadValues {
                    key: req.key.clone(),
                    operator: req.operator.clone(),
                    expectation: "needs at least one value",
                })
            }
            "Exists" | "DoesNotExist" if !req.values.is_empty() => {
                return Err(SelectorError::BadValues {
                    key: req.key.clone(),
                    operator: req.operator.clone(),
                    expectation: "must have no values",
                })
            }
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => {
                return Err(SelectorError::BadOperator {
                    key: req.key.clone(),
                    operator: other.to_string(),
                })
            }
        }
    }
    Ok(())
}

/// True when `labels` satisfy `selector` (an empty selector selects everything). The selector
/// must have passed [`validate`].
pub fn matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    selector
        .match_labels
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
        && selector.match_expressions.iter().all(|req| {
            let value = labels.get(&req.key);
            match req.operator.as_str() {
                "In" => value.is_some_and(|v| req.values.contains(v)),
                "NotIn" => value.is_none_or(|v| !req.values.contains(v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                _ => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expr(key: &str, op: &str, values: &[&str]) -> LabelSelector {
        LabelSelector {
            match_labels: BTreeMap::new(),
            match_expressions: vec![LabelSelectorRequirement {
                key: key.into(),
                operator: op.into(),
                values: values.iter().map(|s| s.to_string()).collect(),
            }],
        }
    }

    #[test]
    fn operators() {
        let l = labels(&[("a", "1")]);
        assert!(matches(&LabelSelector::default(), &l));
        assert!(matches(&expr("a", "In", &["1", "2"]), &l));
        assert!(!matches(&expr("b", "In", &["1"]), &l));
        assert!(matches(&expr("b", "NotIn", &["1"]), &l));
        assert!(!matches(&expr("a", "NotIn", &["1"]), &l));
        assert!(matches(&expr("a", "Exists", &[]), &l));
        assert!(matches(&expr("b", "DoesNotExist", &[]), &l));
        assert!(validate(&expr("a", "Equals", &["1"])).is_err());
        assert!(validate(&expr("a", "In", &[])).is_err());
        assert!(validate(&expr("a", "Exists", &["x"])).is_err());
    }
}
