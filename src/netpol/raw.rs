//! Lenient serde shapes of the input objects and the per-object error collector.
//!
//! Only the fields the engine needs are read; unknown fields are ignored. Type errors are
//! located with serde_path_to_error so every error names the field.

use super::error::{ObjectError, ObjectRef, Warning, WarningCode};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// `metadata` as far as the engine needs it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawMeta {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
}

/// Kubernetes `IntOrString` (ports): a number or a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawIntOrString {
    Int(i64),
    Str(String),
}

impl<'de> Deserialize<'de> for RawIntOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawIntOrString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a port number or a port name")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawIntOrString::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(RawIntOrString::Int)
                    .map_err(|_| E::custom(format!("port {v} is out of range")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawIntOrString::Str(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Deserializes `value` into `T`, reporting the failing field path and the reason.
pub(crate) fn from_value<T: DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        (
            if path == "." { String::new() } else { path },
            e.inner().to_string(),
        )
    })
}

/// Joins a field path prefix and a relative path.
pub(crate) fn join(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{rest}"),
    }
}

/// Collects the errors and warnings of one object.
pub(crate) struct ObjCtx<'a> {
    pub object: ObjectRef,
    pub errors: &'a mut Vec<ObjectError>,
    pub warnings: &'a mut Vec<Warning>,
}

impl ObjCtx<'_> {
    /// Records an invalid field.
    pub fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        self.errors.push(ObjectError {
            object: self.object.clone(),
            field: if field.is_empty() {
                "(object)".into()
            } else {
                field
            },
            message: message.into(),
        });
    }

    /// Records a warning about a field (or the whole object when `field` is empty).
    pub fn warn(&mut self, code: WarningCode, field: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            code,
            object: Some(self.object.clone()),
            field: (!field.is_empty()).then(|| field.to_string()),
            message: message.into(),
        });
    }

    /// Deserializes a sub-value located at `path`, recording a located error on failure.
    pub fn parse<T: DeserializeOwned>(
        &mut self,
        path: &str,
        value: serde_json::Value,
    ) -> Option<T> {
        match from_value(value) {
            Ok(v) => Some(v),
            Err((p, m)) => {
                self.error(join(path, &p), m);
                None
            }
        }
    }
}

/// Checks an IANA service name (the syntax of a named port): 1–15 characters of lowercase
/// letters, digits and '-', at least one letter, no leading, trailing or double '-'.
pub(crate) fn validate_port_name(name: &str) -> Result<(), String> {
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 15 {
        return Err(format!("port name `{name}` must be 1 to 15 characters"));
    }
    if !b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
    {
        return Err(format!(
            "port name `{name}` may contain only lowercase letters, digits and '-'"
        ));
    }
    if !b.iter().any(u8::is_ascii_lowercase) {
        return Err(format!(
            "port name `{name}` must contain at least one letter (numeric ports are written without quotes)"
        ));
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Err(format!(
            "port name `{name}` must not begin or end with '-' or contain '--'"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_or_string() {
        let v: RawIntOrString = serde_json::from_value(serde_json::json!(80)).expect("int");
        assert_eq!(v, RawIntOrString::Int(80));
        let v: RawIntOrString = serde_json::from_value(serde_json::json!("http")).expect("str");
        assert_eq!(v, RawIntOrString::Str("http".into()));
        assert!(serde_json::from_value::<RawIntOrString>(serde_json::json!([1])).is_err());
    }

    #[test]
    fn port_names() {
        assert!(validate_port_name("serve-80-tcp").is_ok());
        assert!(validate_port_name("80").is_err());
        assert!(validate_port_name("Http").is_err());
        assert!(validate_port_name("a--b").is_err());
        assert!(validate_port_name("-ab").is_err());
        assert!(validate_port_name("abcdefghijklmnop").is_err());
    }
}
