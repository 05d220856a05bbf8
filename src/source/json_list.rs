//! The `items` of a large JSON `List` (what `kubectl get … -o json` prints): split into raw
//! items, then read on every core. Items of the kinds RBAC reads most — Roles, ClusterRoles,
//! bindings, ServiceAccounts, Namespaces — are decoded straight into the inventory's types,
//! without a JSON value tree (most of the memory, and so most of the time, of a large file);
//! every other item, and any item that is in the least unusual, is read as a value exactly
//! as before, so the inventory gets the same objects and the same errors either way.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::model::item::{RawItem, RawJson, SourceItem, TypedBody, TypedItem};
use crate::model::objects::{
    null_default, null_default_list, present, AggregationRule, ObjectMeta, Origin, PolicyRule,
    RoleRef, Subject,
};
use crate::source::json_split::{skip_whitespace, string_end};

/// The list a raw item was read from: what it gives items that lack `kind`/`apiVersion`.
#[derive(Debug, Clone, Copy)]
pub struct ListContext<'a> {
    /// The item kind a typed `*List` gives its items (`RoleList` → `Role`); `None` for `List`.
    pub item_kind: Option<&'a str>,
    /// The list's `apiVersion`, given to items of a typed list that lack one.
    pub api_version: Option<&'a str>,
}

/// Reads each raw item (in parallel for large lists), in order (in parts, one per core),
/// each with its origin (`origin_of` its index in `raws`). `other` reads an item as a JSON
/// value or keeps it as text (and words its errors); it is used for every item not decoded
/// here.
pub fn read_items<E: Send>(
    text: &Arc<String>,
    raws: &[&str],
    list: ListContext<'_>,
    origin_of: impl Fn(usize) -> Origin + Sync,
    other: impl Fn(&str) -> Result<SourceItem, E> + Sync,
) -> Result<Vec<Vec<(SourceItem, Origin)>>, E> {
    const PARALLEL_FROM: usize = 2048;
    crate::parallel::try_map_parts(raws, PARALLEL_FROM, &|i, &raw| {
        let item = match decode_typed(text, raw, list) {
            Some(typed) => SourceItem::Typed(Box::new(typed)),
            None => other(raw)?,
        };
        Ok((item, origin_of(i)))
    })
}

/// An item of a plain `List` kept as its text, when the value path would keep it as one
/// object: a mapping, no key repeated anywhere, `kind` a non-empty string that is not a
/// list's. `None` sends it to the value path (which also words any error).
pub fn kept_as_text(text: &Arc<String>, json: &str) -> Option<RawItem> {
    #[derive(serde::Deserialize)]
    struct Head {
        kind: Option<serde_json::Value>,
        #[serde(rename = "apiVersion")]
        api_version: Option<serde_json::Value>,
        metadata: Option<serde_json::Value>,
    }
    if !json.starts_with('{') {
        return None;
    }
    // (Read first: a text that reads is valid JSON, which the quick key check relies on.)
    let head: Head = serde_json::from_str(json).ok()?;
    if !no_repeated_key(json) {
        return None;
    }
    let kind = head.kind.as_ref()?.as_str()?;
    if kind.is_empty() || kind.ends_with("List") {
        return None;
    }
    let text_of = |v: Option<&serde_json::Value>| {
        v.and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let meta = |key: &str| text_of(head.metadata.as_ref().and_then(|m| m.get(key)));
    let start = json.as_ptr() as usize - text.as_ptr() as usize;
    Some(RawItem {
        kind: kind.to_string(),
        api_version: text_of(head.api_version.as_ref()),
        namespace: meta("namespace"),
        name: meta("name"),
        raw: RawJson {
            text: Arc::clone(text),
            start,
            end: start + json.len(),
            kind_from_list: false,
            api_version_from_list: false,
        },
    })
}

/// The fields read from the decoded kinds; everything else is skipped. `Option<Option<_>>`
/// tells an absent field (`None`) from `null` (`Some(None)`).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fields<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    kind: Option<Option<Key<'a>>>,
    #[serde(default, borrow, deserialize_with = "present")]
    api_version: Option<Option<Key<'a>>>,
    #[serde(default, deserialize_with = "null_default")]
    metadata: ObjectMeta,
    #[serde(default, deserialize_with = "null_default_list")]
    rules: Vec<PolicyRule>,
    #[serde(default)]
    aggregation_rule: Option<AggregationRule>,
    #[serde(default, deserialize_with = "null_default")]
    role_ref: RoleRef,
    #[serde(default, deserialize_with = "null_default_list")]
    subjects: Vec<Subject>,
    #[serde(default)]
    automount_service_account_token: Option<bool>,
}

/// Decodes one item when it is a plain object of a decoded kind that the value path would
/// read into exactly these fields; `None` sends it to the value path (other kinds, other
/// API groups, `null` kind, duplicate keys, a field of an unexpected type …).
fn decode_typed(text: &Arc<String>, json: &str, list: ListContext<'_>) -> Option<TypedItem> {
    // A struct also decodes from a sequence; only mappings are objects.
    if !json.starts_with('{') {
        return None;
    }
    let fields: Fields = serde_json::from_str(json).ok()?;
    let (kind, kind_from_list): (&str, bool) = match &fields.kind {
        Some(Some(Key(kind))) => (kind, false),
        Some(None) => return None,
        None => (list.item_kind?, true),
    };
    // A typed list gives its apiVersion to every item without one.
    let (api_version, api_version_from_list): (&str, bool) =
        match (&fields.api_version, list.item_kind) {
            (Some(Some(Key(v))), _) => (v, false),
            (Some(None), _) => return None,
            (None, Some(_)) if list.api_version.is_some() => (list.api_version?, true),
            (None, _) => ("", false),
        };
    let rbac = api_version.starts_with("rbac.authorization.k8s.io/") || api_version.is_empty();
    let core = api_version == "v1" || api_version.is_empty();
    let kind: &'static str = match kind {
        "Role" if rbac => "Role",
        "ClusterRole" if rbac => "ClusterRole",
        "RoleBinding" if rbac => "RoleBinding",
        "ClusterRoleBinding" if rbac => "ClusterRoleBinding",
        "ServiceAccount" if core => "ServiceAccount",
        "Namespace" if core => "Namespace",
        _ => return None,
    };
    let body = match kind {
        "Role" | "ClusterRole" => TypedBody::Role {
            rules: fields.rules,
            aggregation_rule: fields.aggregation_rule,
        },
        "RoleBinding" | "ClusterRoleBinding" => TypedBody::Binding {
            role_ref: fields.role_ref,
            subjects: fields.subjects,
        },
        "ServiceAccount" => TypedBody::ServiceAccount {
            automount_service_account_token: fields.automount_service_account_token,
        },
        _ => TypedBody::Namespace,
    };
    // The usual apiVersions are not copied for every object.
    let api_version: Cow<'static, str> = match api_version {
        "rbac.authorization.k8s.io/v1" => Cow::Borrowed("rbac.authorization.k8s.io/v1"),
        "v1" => Cow::Borrowed("v1"),
        "" => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    };
    // The value path refuses a repeated key anywhere in the object; so does this one.
    if !no_repeated_key(json) {
        return None;
    }
    let start = json.as_ptr() as usize - text.as_ptr() as usize;
    Some(TypedItem {
        kind,
        api_version,
        metadata: fields.metadata,
        body,
        raw: RawJson {
            text: Arc::clone(text),
            start,
            end: start + json.len(),
            kind_from_list,
            api_version_from_list,
        },
    })
}

/// Whether no mapping of `json` — text that serde_json has read, so valid JSON — repeats a
/// key. Most objects are told by a scan of their bytes (a key is a string followed by `:`,
/// and without escapes two keys are equal exactly when their texts are); a key with an
/// escape, or a mapping of many keys, is left to the parser.
fn no_repeated_key(json: &str) -> bool {
    match repeats_a_key(json.as_bytes()) {
        Some(repeats) => !repeats,
        None => serde_json::from_str::<NoDuplicateKeys>(json).is_ok(),
    }
}

/// The scan of [`no_repeated_key`]: `None` when it cannot tell.
fn repeats_a_key(json: &[u8]) -> Option<bool> {
    // Keys of one mapping are compared one with another: bounded so that the scan stays
    // linear (a mapping of more keys is the parser's, which checks it with a set).
    const KEYS_SCANNED: usize = 64;
    const ARRAY: usize = usize::MAX;
    // The keys of every open mapping, innermost last; per open container, where its keys
    // start in `keys` (or `ARRAY`).
    let mut keys: Vec<&[u8]> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(&byte) = json.get(i) {
        i += 1;
        match byte {
            b'"' => {
                let start = i;
                let past = string_end(json, start)?;
                i = skip_whitespace(json, past);
                if json.get(i) != Some(&b':') {
                    continue;
                }
                i += 1;
                let key = &json[start..past - 1];
                let from = *open.last()?;
                if key.contains(&b'\\') || from == ARRAY || keys.len() - from >= KEYS_SCANNED {
                    return None;
                }
                if keys[from..].contains(&key) {
                    return Some(true);
                }
                keys.push(key);
            }
            b'{' => open.push(keys.len()),
            b'[' => open.push(ARRAY),
            b'}' | b']' => {
                let from = open.pop()?;
                if from != ARRAY {
                    keys.truncate(from);
                }
            }
            _ => {}
        }
    }
    Some(false)
}

/// Any JSON value whose mappings repeat no key, read without keeping anything; with `YAML`,
/// also one that YAML reads to the same value (see [`reads_the_same_as_yaml`]).
struct Checked<const YAML: bool>;

type NoDuplicateKeys = Checked<false>;

impl<'de, const YAML: bool> Deserialize<'de> for Checked<YAML> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor::<YAML>)
    }
}

struct CheckedVisitor<const YAML: bool>;

/// Whether a one-line JSON document (printable ASCII, a mapping) reads in YAML to the value
/// it reads in JSON: no repeated key (YAML refuses one), no key near YAML's 1,024-character
/// bound on implicit keys, no `-0` (a float in JSON, the integer 0 in YAML), no character
/// escaped as a surrogate pair. Anything else is left to the YAML parser.
pub fn reads_the_same_as_yaml(json: &str) -> bool {
    json.starts_with('{')
        && json.bytes().all(|b| (b' '..=b'~').contains(&b))
        && serde_json::from_str::<Checked<true>>(json).is_ok()
}

/// A string a YAML parser may read differently from JSON (see [`reads_the_same_as_yaml`]).
fn outside_the_bmp(s: &str) -> bool {
    s.chars().any(|c| u32::from(c) > 0xffff)
}

/// A mapping key, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de, const YAML: bool> Visitor<'de> for CheckedVisitor<YAML> {
    type Value = Checked<YAML>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Checked<YAML>, E> {
        Ok(Checked)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Checked<YAML>, E> {
        Ok(Checked)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Checked<YAML>, E> {
        Ok(Checked)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Checked<YAML>, E> {
        if YAML && v == 0.0 && v.is_sign_negative() {
            return Err(E::custom("-0"));
        }
        Ok(Checked)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Checked<YAML>, E> {
        if YAML && outside_the_bmp(v) {
            return Err(E::custom("a surrogate pair"));
        }
        Ok(Checked)
    }
    fn visit_unit<E>(self) -> Result<Checked<YAML>, E> {
        Ok(Checked)
    }
    fn visit_none<E>(self) -> Result<Checked<YAML>, E> {
        Ok(Checked)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked<YAML>, A::Error> {
        while seq.next_element::<Checked<YAML>>()?.is_some() {}
        Ok(Checked)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked<YAML>, A::Error> {
        // A short list for the usual small mapping; a set once it grows, so that a mapping of
        // a million keys costs linear time, not quadratic.
        // (On the stack: most mappings of an object are small, and there are many of them.)
        const SCAN_UP_TO: usize = 16;
        let mut few: [Option<Cow<'de, str>>; SCAN_UP_TO] = Default::default();
        let mut len = 0;
        let mut many: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if YAML && (key.len() > 1000 || outside_the_bmp(&key)) {
                return Err(de::Error::custom("a key YAML may read differently"));
            }
            let repeated = if len <= SCAN_UP_TO {
                if few[..len].iter().any(|k| k.as_ref() == Some(&key)) {
                    true
                } else if len < SCAN_UP_TO {
                    few[len] = Some(key);
                    len += 1;
                    false
                } else {
                    many.extend(few.iter_mut().filter_map(Option::take));
                    len = SCAN_UP_TO + 1;
                    !many.insert(key)
                }
            } else {
                !many.insert(key)
            };
            if repeated {
                return Err(de::Error::custom("duplicate mapping key"));
            }
            map.next_value::<Checked<YAML>>()?;
        }
        Ok(Checked)
    }
}

/// One raw top-level document decoded as a plain `List`'s item would be (typed, or kept as
/// text when `keep_text`), when its text cannot hold a snapshot header (which a document may
/// carry and an item may not); `None` sends it to the value path.
pub fn read_document(text: &Arc<String>, json: &str, keep_text: bool) -> Option<SourceItem> {
    if json.contains(crate::source::snapshot::HEADER_KEY) || json.contains("\\u") {
        return None;
    }
    let list = ListContext {
        item_kind: None,
        api_version: None,
    };
    if let Some(typed) = decode_typed(text, json, list) {
        return Some(SourceItem::Typed(Box::new(typed)));
    }
    if keep_text {
        return kept_as_text(text, json).map(|item| SourceItem::Raw(Box::new(item)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(json: &str, list: ListContext<'_>) -> Option<TypedItem> {
        let text = Arc::new(format!("[{json}]"));
        let raws: Vec<&serde_json::value::RawValue> = serde_json::from_str(&text).unwrap();
        decode_typed(&text, raws[0].get(), list)
    }

    const PLAIN: ListContext<'static> = ListContext {
        item_kind: None,
        api_version: None,
    };

    #[test]
    fn decodes_the_rbac_kinds_and_keeps_their_text() {
        let json = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r","namespace":"n"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}],"extra":{"a":1}}"#;
        let typed = one(json, PLAIN).expect("decoded");
        assert_eq!(typed.kind, "Role");
        assert_eq!(typed.metadata.name, "r");
        assert_eq!(typed.raw.json(), json);
        assert_eq!(
            typed.to_value(),
            serde_json::from_str::<serde_json::Value>(json).unwrap()
        );
    }

    #[test]
    fn anything_unusual_goes_to_the_value_path() {
        for json in [
            r#"{"kind":"Pod","metadata":{"name":"p"}}"#,
            r#"{"kind":null,"metadata":{"name":"p"}}"#,
            r#"{"kind":"Role","apiVersion":"v1","metadata":{"name":"p"}}"#,
            r#"{"kind":"ServiceAccount","apiVersion":"rbac.authorization.k8s.io/v1"}"#,
            r#"{"kind":"Role","metadata":{"name":"a","labels":{"x":"1","x":"2"}}}"#,
            r#"{"kind":"Role","extra":{"y":1,"y":1}}"#,
            r#"{"kind":"Role","rules":"all"}"#,
            r#"{"kind":"ServiceAccount","automountServiceAccountToken":"yes"}"#,
            r#"{"kind":"Role","kind":"Role"}"#,
            r#"["Role"]"#,
        ] {
            assert!(one(json, PLAIN).is_none(), "{json}");
        }
    }

    #[test]
    fn typed_list_items_take_kind_and_api_version_from_the_list() {
        let list = ListContext {
            item_kind: Some("RoleBinding"),
            api_version: Some("rbac.authorization.k8s.io/v1"),
        };
        let typed = one(
            r#"{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"}}"#,
            list,
        )
        .expect("decoded");
        assert_eq!(typed.kind, "RoleBinding");
        assert_eq!(typed.api_version, "rbac.authorization.k8s.io/v1");
        let value = typed.to_value();
        assert_eq!(value["kind"], "RoleBinding");
        assert_eq!(value["apiVersion"], "rbac.authorization.k8s.io/v1");
        // A plain List gives nothing: an item without kind is the value path's to report.
        assert!(one(r#"{"metadata":{"name":"b"}}"#, PLAIN).is_none());
    }

    #[test]
    fn the_quick_key_check_agrees_with_the_parser() {
        // Generated JSON texts of nested mappings and lists whose keys come from a small set
        // (so that some repeat), some escaped, some spaced, with strings that hold quotes,
        // colons and brackets.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        fn value(next: &mut dyn FnMut(u64) -> u64, depth: u32, out: &mut String) {
            const KEYS: [&str; 6] = ["a", "b", "\\u0061", "a:", "\\\"", "{"];
            const STRINGS: [&str; 5] = ["\"x\"", "\"a\\\"b\"", "\":}]\"", "\"\\\\\"", "\"\""];
            let space = |next: &mut dyn FnMut(u64) -> u64| if next(4) == 0 { " \n" } else { "" };
            match if depth > 3 { 2 + next(3) } else { next(5) } {
                0 => {
                    out.push('{');
                    for k in 0..next(5) {
                        if k > 0 {
                            out.push(',');
                        }
                        out.push_str(space(next));
                        out.push_str(&format!("\"{}\"", KEYS[next(6) as usize]));
                        out.push_str(space(next));
                        out.push(':');
                        value(next, depth + 1, out);
                    }
                    out.push('}');
                }
                1 => {
                    out.push('[');
                    for k in 0..next(4) {
                        if k > 0 {
                            out.push(',');
                        }
                        value(next, depth + 1, out);
                    }
                    out.push(']');
                }
                2 => out.push_str(STRINGS[next(5) as usize]),
                3 => out.push_str("-1.5e3"),
                _ => out.push_str("null"),
            }
            out.push_str(space(next));
        }
        let (mut repeated, mut escaped) = (0, 0);
        for _ in 0..20_000 {
            let mut json = String::new();
            value(&mut next, 0, &mut json);
            assert!(
                serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                "{json}"
            );
            let parser = serde_json::from_str::<NoDuplicateKeys>(&json).is_ok();
            assert_eq!(no_repeated_key(&json), parser, "{json}");
            match repeats_a_key(json.as_bytes()) {
                Some(repeats) => {
                    assert_eq!(repeats, !parser, "{json}");
                    repeated += usize::from(repeats);
                }
                None => escaped += 1,
            }
        }
        // Both ways were taken, and the scan told most texts.
        assert!(
            repeated > 300 && escaped > 1000 && escaped < 15_000,
            "{repeated} {escaped}"
        );
        // A mapping of many keys is the parser's; a list of many is not.
        let keys: Vec<String> = (0..100).map(|i| format!("\"k{i}\":1")).collect();
        assert_eq!(
            repeats_a_key(format!("{{{}}}", keys.join(",")).as_bytes()),
            None
        );
        let list: Vec<String> = (0..100).map(|i| format!("{{\"k\":{i}}}")).collect();
        assert_eq!(
            repeats_a_key(format!("[{}]", list.join(",")).as_bytes()),
            Some(false)
        );
    }

    #[test]
    fn many_keys_are_checked_in_linear_time() {
        let keys: Vec<String> = (0..50_000).map(|i| format!("\"k{i}\":1")).collect();
        let json = format!("{{{}}}", keys.join(","));
        assert!(serde_json::from_str::<NoDuplicateKeys>(&json).is_ok());
        let json = format!("{{{},\"k7\":2}}", keys.join(","));
        assert!(serde_json::from_str::<NoDuplicateKeys>(&json).is_err());
    }

    #[test]
    fn one_line_json_documents_read_as_yaml_reads_them() {
        let yaml = |json: &str| {
            serde_saphyr::from_str_with_options::<serde_json::Value>(
                json,
                crate::source::manifest::yaml_options(),
            )
        };
        let same = [
            r#"{"kind":"Pod","a":1e5,"b":[1,-2,2.5,"x",0.0,-1.5e-3,18446744073709551616],"c":null,"d":true,"e":"\u00e9\n\t\"\\\/","f":{},"g":[]}"#,
            r#"{ "kind" : "A" , "x" : [ { } ] }"#,
            r#"{"":"empty key","k":"a: b # c"}"#,
        ];
        for json in same {
            assert!(reads_the_same_as_yaml(json), "{json}");
            let from_json: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(from_json, yaml(json).unwrap(), "{json}");
        }
        let long_key = format!(r#"{{"{}":1}}"#, "k".repeat(1100));
        for json in [
            r#"{"a":-0}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":"\ud83d\ude00"}"#,
            "{\"a\":\"caf\u{e9}\"}",
            "{\"a\":\t1}",
            r#"["not","a","mapping"]"#,
            long_key.as_str(),
        ] {
            assert!(!reads_the_same_as_yaml(json), "{json}");
        }
        // Why `-0` is left to YAML: the two read it differently.
        assert_ne!(
            serde_json::from_str::<serde_json::Value>(r#"{"a":-0}"#).unwrap(),
            yaml(r#"{"a":-0}"#).unwrap()
        );
    }
}
