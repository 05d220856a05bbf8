//! The ABAC authorizer: policy-file parsing (unversioned v0 and `v1beta1` lines, converted to
//! one internal form) and matching, as the API server's `--authorization-policy-file` does.
//!
//! ABAC only ever allows or has no opinion; subresources and object names are never looked at.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::attributes::{Attributes, UserInfo};
use super::identity::AUTHENTICATED;

/// The API group and version of versioned policy lines.
pub const ABAC_GROUP: &str = "abac.authorization.kubernetes.io";
/// `apiVersion` of the current policy format.
pub const ABAC_V1BETA1: &str = "abac.authorization.kubernetes.io/v1beta1";
/// `apiVersion` of the versioned spelling of the legacy format.
pub const ABAC_V0: &str = "abac.authorization.kubernetes.io/v0";
/// The reason ABAC gives when no policy matches.
pub const NO_POLICY_MATCHED: &str = "No policy matched.";

/// The format a policy line was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AbacVersion {
    /// The flat legacy format (no `apiVersion`/`kind`, or `.../v0`).
    V0,
    /// `abac.authorization.kubernetes.io/v1beta1`, fields under `spec`.
    V1beta1,
}

/// One policy in the internal form, after the version's conversion rules were applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbacPolicy {
    /// The 1-based line of the policy file.
    pub line: usize,
    /// The format the line was written in.
    pub version: AbacVersion,
    /// User name, `""` for none (`*` only if written so in the internal form).
    pub user: String,
    /// Group name, `""` for none.
    pub group: String,
    /// Only get/list/watch requests match.
    pub readonly: bool,
    /// API group, `*` for all.
    pub api_group: String,
    /// Resource, `*` for all (subresources are not compared).
    pub resource: String,
    /// Namespace, `*` for all, `""` for cluster-scoped requests only.
    pub namespace: String,
    /// Non-resource path: exact, `*`, or a prefix ending in `*`.
    pub non_resource_path: String,
}

/// A parsed policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbacPolicyList {
    /// Where the file was read (for messages).
    pub source: String,
    /// The policies in file order.
    pub policies: Vec<AbacPolicy>,
    /// How many lines used the unversioned (v0) format; the API server logs a warning.
    pub unversioned_lines: usize,
}

/// A policy line the API server would refuse to load (it then does not start).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{file}: line {line}: {message}")]
pub struct AbacError {
    /// The file (or other source) name.
    pub file: String,
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong with the line.
    pub message: String,
}

/// The ABAC decision for one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbacDecision {
    /// True when some policy matches (ABAC's Allow); false is NoOpinion.
    pub allowed: bool,
    /// The first matching policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<AbacPolicy>,
    /// `""` when allowed, else `No policy matched.`.
    pub reason: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V0Line {
    #[serde(deserialize_with = "null_string")]
    user: String,
    #[serde(deserialize_with = "null_string")]
    group: String,
    #[serde(deserialize_with = "null_bool")]
    readonly: bool,
    #[serde(deserialize_with = "null_string")]
    resource: String,
    #[serde(deserialize_with = "null_string")]
    namespace: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct V1beta1Spec {
    #[serde(deserialize_with = "null_string")]
    user: String,
    #[serde(deserialize_with = "null_string")]
    group: String,
    #[serde(deserialize_with = "null_bool")]
    readonly: bool,
    #[serde(deserialize_with = "null_string")]
    api_group: String,
    #[serde(deserialize_with = "null_string")]
    resource: String,
    #[serde(deserialize_with = "null_string")]
    namespace: String,
    #[serde(deserialize_with = "null_string")]
    non_resource_path: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1beta1Line {
    #[serde(deserialize_with = "null_spec")]
    spec: V1beta1Spec,
}

// Go's JSON decoding leaves a field at its zero value for `null`.
fn null_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

fn null_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or_default())
}

fn null_spec<'de, D: serde::Deserializer<'de>>(d: D) -> Result<V1beta1Spec, D::Error> {
    Ok(Option::<V1beta1Spec>::deserialize(d)?.unwrap_or_default())
}

fn decode<T: for<'de> Deserialize<'de>>(value: &Value) -> Result<T, String> {
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(value, &mut track);
    T::deserialize(de).map_err(|e| {
        let path = track.path().to_string();
        if path.is_empty() || path == "." {
            e.to_string()
        } else {
            format!("field {path}: {e}")
        }
    })
}

/// Reads a type-meta field: absent, `null` and `""` all mean "missing", as in Go.
fn type_meta<'a>(obj: &'a serde_json::Map<String, Value>, key: &str) -> Result<&'a str, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("field {key}: expected a string")),
    }
}

/// Which format a line is in, decided from `apiVersion` and `kind` the way the API server's
/// decoder does: both missing (or only `kind: Policy`) is the legacy format; a registered
/// version+kind is decoded as that version; anything else cannot be decoded.
fn line_version(api_version: &str, kind: &str) -> Result<AbacVersion, String> {
    match (api_version, kind) {
        ("", "") | ("", "Policy") | (ABAC_V0, "Policy") => Ok(AbacVersion::V0),
        (ABAC_V1BETA1, "Policy") => Ok(AbacVersion::V1beta1),
        (v, "") => Err(format!("apiVersion {v:?} without a kind")),
        (v, k) => Err(format!(
            "no kind {k:?} is registered for version {:?} (expected kind \"Policy\" with apiVersion {ABAC_V1BETA1:?})",
            if v.is_empty() { ABAC_V0 } else { v }
        )),
    }
}

/// The legacy conversion: empty subject and `*` mean all authenticated users, empty
/// namespace/resource mean all, every API group, and non-resource paths when both are empty.
fn convert_v0(line: usize, p: V0Line) -> AbacPolicy {
    let mut out = AbacPolicy {
        line,
        version: AbacVersion::V0,
        user: p.user.clone(),
        group: p.group.clone(),
        readonly: p.readonly,
        api_group: "*".into(),
        resource: p.resource.clone(),
        namespace: p.namespace.clone(),
        non_resource_path: String::new(),
    };
    if p.user.is_empty() && p.group.is_empty() {
        out.group = AUTHENTICATED.into();
    }
    if p.user == "*" || p.group == "*" {
        out.group = AUTHENTICATED.into();
        out.user = String::new();
    }
    if p.namespace.is_empty() {
        out.namespace = "*".into();
    }
    if p.resource.is_empty() {
        out.resource = "*".into();
    }
    if p.namespace.is_empty() && p.resource.is_empty() {
        out.non_resource_path = "*".into();
    }
    out
}

/// The v1beta1 conversion: a `*` user or group means all authenticated users (and any other
/// subject on the line is dropped).
fn convert_v1beta1(line: usize, s: V1beta1Spec) -> AbacPolicy {
    let star = s.user == "*" || s.group == "*";
    AbacPolicy {
        line,
        version: AbacVersion::V1beta1,
        user: if star { String::new() } else { s.user },
        group: if star { AUTHENTICATED.into() } else { s.group },
        readonly: s.readonly,
        api_group: s.api_group,
        resource: s.resource,
        namespace: s.namespace,
        non_resource_path: s.non_resource_path,
    }
}

/// Parses an ABAC policy file: one JSON object per line; blank lines and lines whose trimmed
/// text starts with `#` are skipped; any other malformed line is an error naming the line.
pub fn parse_abac_policy(source: &str, text: &str) -> Result<AbacPolicyList, AbacError> {
    let mut list = AbacPolicyList {
        source: source.to_string(),
        ..Default::default()
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let err = |message: String| AbacError {
            file: source.to_string(),
            line,
            message,
        };
        // Through `Value` first: duplicate keys then keep the last value, as Go does.
        let value: Value = serde_json::from_str(raw)
            .map_err(|e| err(format!("not a JSON object on one line: {e}")))?;
        let Value::Object(obj) = &value else {
            return Err(err("expected a JSON object".into()));
        };
        let api_version = type_meta(obj, "apiVersion").map_err(&err)?;
        let kind = type_meta(obj, "kind").map_err(&err)?;
        let policy = match line_version(api_version, kind).map_err(&err)? {
            AbacVersion::V0 => {
                if api_version.is_empty() {
                    list.unversioned_lines += 1;
                }
                convert_v0(line, decode::<V0Line>(&value).map_err(&err)?)
            }
            AbacVersion::V1beta1 => {
                convert_v1beta1(line, decode::<V1beta1Line>(&value).map_err(&err)?.spec)
            }
        };
        list.policies.push(policy);
    }
    Ok(list)
}

impl AbacPolicy {
    /// The policy names the user: a set user must equal the name, a set group must be one of
    /// the groups; a policy with neither matches nobody.
    pub fn subject_matches(&self, user: &UserInfo) -> bool {
        let mut matched = false;
        if !self.user.is_empty() {
            if self.user != "*" && self.user != user.name {
                return false;
            }
            matched = true;
        }
        if !self.group.is_empty() {
            if self.group != "*" && !user.groups.contains(&self.group) {
                return false;
            }
            matched = true;
        }
        matched
    }

    /// Read-only requests (get, list, watch) pass every policy; others need `readonly: false`.
    pub fn verb_matches(&self, attrs: &Attributes) -> bool {
        matches!(attrs.verb(), "get" | "list" | "watch") || !self.readonly
    }

    /// Namespace, resource and API group match (each exact or `*`); resource requests only.
    pub fn resource_matches(&self, attrs: &Attributes) -> bool {
        let Attributes::Resource(r) = attrs else {
            return false;
        };
        (self.namespace == "*" || self.namespace == r.namespace)
            && (self.resource == "*" || self.resource == r.resource)
            && (self.api_group == "*" || self.api_group == r.group)
    }

    /// The path matches exactly, by `*`, or by a prefix ending in `*`; non-resource only.
    pub fn non_resource_matches(&self, attrs: &Attributes) -> bool {
        let Attributes::NonResource(n) = attrs else {
            return false;
        };
        let p = &self.non_resource_path;
        p == "*"
            || *p == n.path
            || (p.ends_with('*') && n.path.starts_with(p.trim_end_matches('*')))
    }

    /// The policy allows the request.
    pub fn matches(&self, user: &UserInfo, attrs: &Attributes) -> bool {
        self.subject_matches(user)
            && self.verb_matches(attrs)
            && (self.resource_matches(attrs) || self.non_resource_matches(attrs))
    }
}

impl AbacPolicyList {
    /// Allow when any policy matches, else NoOpinion (`No policy matched.`).
    pub fn authorize(&self, user: &UserInfo, attrs: &Attributes) -> AbacDecision {
        match self.policies.iter().find(|p| p.matches(user, attrs)) {
            Some(p) => AbacDecision {
                allowed: true,
                policy: Some(p.clone()),
                reason: String::new(),
            },
            None => AbacDecision {
                allowed: false,
                policy: None,
                reason: NO_POLICY_MATCHED.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rbac::{NonResourceAttributes, ResourceAttributes};

    fn user(name: &str, groups: &[&str]) -> UserInfo {
        UserInfo {
            name: name.into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn res(verb: &str, group: &str, resource: &str, ns: &str) -> Attributes {
        Attributes::Resource(ResourceAttributes {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            namespace: ns.into(),
            ..Default::default()
        })
    }

    fn path(verb: &str, p: &str) -> Attributes {
        Attributes::NonResource(NonResourceAttributes {
            verb: verb.into(),
            path: p.into(),
        })
    }

    #[test]
    fn v0_conversion() {
        let l = parse_abac_policy(
            "p",
            "{}\n{\"user\":\"*\",\"group\":\"g\",\"resource\":\"pods\"}",
        )
        .unwrap();
        assert_eq!(l.unversioned_lines, 2);
        let p = &l.policies[0];
        assert_eq!(
            (
                p.user.as_str(),
                p.group.as_str(),
                p.namespace.as_str(),
                p.resource.as_str(),
                p.api_group.as_str(),
                p.non_resource_path.as_str()
            ),
            ("", AUTHENTICATED, "*", "*", "*", "*")
        );
        let p = &l.policies[1];
        assert_eq!((p.user.as_str(), p.group.as_str()), ("", AUTHENTICATED));
        assert_eq!(p.non_resource_path, "");
        assert_eq!(p.line, 2);
    }

    #[test]
    fn v1beta1_conversion_and_empty_subject() {
        let text = format!(
            "\n# c\n{{\"apiVersion\":\"{ABAC_V1BETA1}\",\"kind\":\"Policy\",\"spec\":{{\"group\":\"*\",\"user\":\"bob\",\"resource\":\"*\"}}}}\n{{\"apiVersion\":\"{ABAC_V1BETA1}\",\"kind\":\"Policy\",\"spec\":{{\"resource\":\"*\",\"namespace\":\"*\",\"apiGroup\":\"*\"}}}}"
        );
        let l = parse_abac_policy("p", &text).unwrap();
        assert_eq!(l.unversioned_lines, 0);
        assert_eq!(l.policies[0].line, 3);
        assert_eq!(l.policies[0].user, "");
        assert_eq!(l.policies[0].group, AUTHENTICATED);
        let anyone = user("x", &[AUTHENTICATED]);
        assert!(!l.policies[1].matches(&anyone, &res("get", "", "pods", "ns")));
    }

    #[test]
    fn malformed_lines_name_the_line() {
        for (text, want) in [
            ("{}\n{\"user\": 3}", "line 2: field user"),
            ("{}\n\n[1]", "line 3: expected a JSON object"),
            ("{\"user\":\"a\"} x", "line 1: not a JSON object"),
            ("{\"apiVersion\":\"abac.authorization.kubernetes.io/v1beta1\"}", "without a kind"),
            ("{\"apiVersion\":\"v2\",\"kind\":\"Policy\"}", "no kind \"Policy\""),
            ("{\"kind\":\"Foo\"}", "no kind \"Foo\""),
            (
                "{\"apiVersion\":\"abac.authorization.kubernetes.io/v1beta1\",\"kind\":\"Policy\",\"spec\":{\"readonly\":\"yes\"}}",
                "field spec.readonly",
            ),
        ] {
            let e = parse_abac_policy("f.jsonl", text).unwrap_err().to_string();
            assert!(e.starts_with("f.jsonl: line "), "{e}");
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn matching() {
        let l = parse_abac_policy(
            "p",
            &format!(
                "{{\"apiVersion\":\"{ABAC_V1BETA1}\",\"kind\":\"Policy\",\"spec\":{{\"user\":\"dev\",\"readonly\":true,\"resource\":\"pods\",\"namespace\":\"ns1\",\"apiGroup\":\"\",\"nonResourcePath\":\"/logs/*\"}}}}"
            ),
        )
        .unwrap();
        let dev = user("dev", &[]);
        assert!(l.authorize(&dev, &res("watch", "", "pods", "ns1")).allowed);
        assert!(!l.authorize(&dev, &res("delete", "", "pods", "ns1")).allowed);
        assert!(
            !l.authorize(&dev, &res("get", "apps", "pods", "ns1"))
                .allowed
        );
        assert!(!l.authorize(&dev, &res("get", "", "pods", "")).allowed);
        assert!(l.authorize(&dev, &path("get", "/logs/x")).allowed);
        assert!(l.authorize(&dev, &path("get", "/logs/")).allowed);
        assert!(!l.authorize(&dev, &path("get", "/logs")).allowed);
        assert!(!l.authorize(&dev, &path("head", "/logs/x")).allowed);
        let d = l.authorize(&user("other", &[]), &res("get", "", "pods", "ns1"));
        assert_eq!(d.reason, NO_POLICY_MATCHED);
        assert_eq!(
            l.authorize(&dev, &res("get", "", "pods", "ns1"))
                .policy
                .map(|p| p.line),
            Some(1)
        );
    }
}
