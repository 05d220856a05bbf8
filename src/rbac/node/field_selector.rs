//! Field selectors, as the Node authorizer reads them on list and watch requests.

use super::*;

/// A field-selector operator (`=` and `==` both mean equality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FieldOperator {
    /// `=` or `==`.
    Equals,
    /// `!=`.
    NotEquals,
}

/// One requirement of a list/watch `fieldSelector`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRequirement {
    /// The field path, e.g. `spec.nodeName`.
    pub field: String,
    /// The operator.
    pub operator: FieldOperator,
    /// The (unescaped) value.
    pub value: String,
}

/// A `fieldSelector` the API server would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("invalid field selector {selector:?}: {message}")]
pub struct FieldSelectorError {
    /// The selector as given.
    pub selector: String,
    /// What is wrong.
    pub message: String,
}

/// Parses a field selector (`a=b,c!=d`; `\`, `,` and `=` in values escaped with `\`) into
/// its requirements, as the API server does before authorizing a list or watch.
pub fn parse_field_selector(selector: &str) -> Result<Vec<FieldRequirement>, FieldSelectorError> {
    let fail = |message: String| FieldSelectorError {
        selector: selector.to_string(),
        message,
    };
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in selector.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            current.push(c);
            escaped = true;
        } else if c == ',' {
            terms.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    terms.push(current);
    let mut out = Vec::new();
    for term in terms.into_iter().filter(|t| !t.is_empty()) {
        // The first operator occurrence, trying `!=`, `==`, `=` at each position.
        let found = term.char_indices().find_map(|(i, _)| {
            let rest = &term[i..];
            [
                ("!=", FieldOperator::NotEquals),
                ("==", FieldOperator::Equals),
                ("=", FieldOperator::Equals),
            ]
            .into_iter()
            .find(|(op, _)| rest.starts_with(op))
            .map(|(op, kind)| (i, op.len(), kind))
        });
        let Some((i, len, operator)) = found else {
            return Err(fail(format!("can't understand {term:?}")));
        };
        let value = unescape_field_value(&term[i + len..]).map_err(fail)?;
        out.push(FieldRequirement {
            field: term[..i].to_string(),
            operator,
            value,
        });
    }
    Ok(out)
}

pub(super) fn unescape_field_value(v: &str) -> Result<String, String> {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ ('\\' | ',' | '=')) => out.push(e),
            Some(e) => return Err(format!("invalid escape sequence \\{e} in {v:?}")),
            None => return Err(format!("trailing backslash in {v:?}")),
        }
    }
    Ok(out)
}

pub(super) fn field_equals(fields: &[FieldRequirement], field: &str, value: &str) -> bool {
    fields
        .iter()
        .any(|r| r.field == field && r.operator == FieldOperator::Equals && r.value == value)
}
