//! Printers: they render report data to a writer and never decide anything.

pub mod can_i;
pub mod netpol;

use std::io::Write;

use serde::Serialize;

use crate::model::PolicyRule;

/// Writes a value as pretty JSON followed by a newline.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// Writes a value as one YAML document.
pub fn write_yaml<T: Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    let text = serde_saphyr::to_string(value).map_err(|e| std::io::Error::other(e.to_string()))?;
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// A Go-style list: `[a b]`.
pub fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// A compact, YAML-flow-like rendering of a rule: `{verbs: [get], resources: [pods]}`.
pub fn format_rule(rule: &PolicyRule) -> String {
    fn list(items: &[String]) -> String {
        let quoted: Vec<String> = items
            .iter()
            .map(|s| {
                if s.is_empty() || s == "*" || s.contains([' ', ':', ',']) {
                    format!("{s:?}")
                } else {
                    s.clone()
                }
            })
            .collect();
        format!("[{}]", quoted.join(", "))
    }
    let mut parts = vec![format!("verbs: {}", list(&rule.verbs))];
    if !rule.api_groups.is_empty() {
        parts.push(format!("apiGroups: {}", list(&rule.api_groups)));
    }
    if !rule.resources.is_empty() {
        parts.push(format!("resources: {}", list(&rule.resources)));
    }
    if !rule.resource_names.is_empty() {
        parts.push(format!("resourceNames: {}", list(&rule.resource_names)));
    }
    if !rule.non_resource_urls.is_empty() {
        parts.push(format!(
            "nonResourceURLs: {}",
            list(&rule.non_resource_urls)
        ));
    }
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_rendering() {
        let rule = PolicyRule {
            verbs: vec!["get".into(), "*".into()],
            api_groups: vec!["".into()],
            resources: vec!["pods".into()],
            ..Default::default()
        };
        assert_eq!(
            format_rule(&rule),
            r#"{verbs: [get, "*"], apiGroups: [""], resources: [pods]}"#
        );
    }
}
