//! One object as a source hands it to the inventory: a JSON value, or — for the kinds RBAC
//! reads most (Roles, bindings, ServiceAccounts, Namespaces) — already decoded, with the text
//! it was decoded from kept so that it can still be seen as a value when that is needed (two
//! definitions of one object are compared as values).

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use super::objects::{AggregationRule, ObjectMeta, PolicyRule, RoleRef, Subject};

/// An object read by a source.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceItem {
    /// Kept as a JSON value (any kind).
    Value(Value),
    /// Decoded straight from the source text into the types the inventory keeps.
    Typed(Box<TypedItem>),
    /// Checked (a mapping with a kind, no repeated key) but kept as its text until its value
    /// is asked for: objects no command reads never become value trees, and `review` holds
    /// one review's value at a time.
    Raw(Box<RawItem>),
}

/// An object kept as its JSON text, with the fields every reader asks about.
#[derive(Debug, Clone, PartialEq)]
pub struct RawItem {
    /// `kind` (a non-empty string).
    pub kind: String,
    /// `apiVersion`, `""` when absent or not a string.
    pub api_version: String,
    /// `metadata.namespace`, `""` when absent or not a string.
    pub namespace: String,
    /// `metadata.name`, `""` when absent or not a string.
    pub name: String,
    /// The object's text (nothing supplied by its list).
    pub raw: RawJson,
}

impl RawItem {
    /// The object as a JSON value: its text read again.
    pub fn to_value(&self) -> Value {
        self.raw.to_value()
    }

    /// The object with its `metadata` alone (the rest skipped, not read into values).
    pub fn metadata_only(&self) -> Value {
        #[derive(serde::Deserialize)]
        struct Metadata {
            metadata: Option<Value>,
        }
        let metadata = serde_json::from_str::<Metadata>(self.raw.json())
            .ok()
            .and_then(|m| m.metadata);
        let mut out = serde_json::Map::new();
        if let Some(m) = metadata {
            out.insert("metadata".into(), m);
        }
        Value::Object(out)
    }
}

impl From<Value> for SourceItem {
    fn from(value: Value) -> Self {
        SourceItem::Value(value)
    }
}

/// An object decoded without a JSON value tree.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedItem {
    /// `kind` (as written, or the list's item kind when the item has none): one of the
    /// decoded kinds.
    pub kind: &'static str,
    /// `apiVersion` (as written, or the list's when the item has none).
    pub api_version: Cow<'static, str>,
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// The fields read for its kind.
    pub body: TypedBody,
    /// The JSON text of the object, and which fields its list supplied.
    pub raw: RawJson,
}

/// The kind-specific fields of a [`TypedItem`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypedBody {
    /// Role or ClusterRole.
    Role {
        /// `rules`.
        rules: Vec<PolicyRule>,
        /// `aggregationRule`.
        aggregation_rule: Option<AggregationRule>,
    },
    /// RoleBinding or ClusterRoleBinding.
    Binding {
        /// `roleRef`.
        role_ref: RoleRef,
        /// `subjects`.
        subjects: Vec<Subject>,
    },
    /// A ServiceAccount.
    ServiceAccount {
        /// `automountServiceAccountToken`.
        automount_service_account_token: Option<bool>,
    },
    /// A Namespace (only its metadata is read).
    Namespace,
}

/// A slice of a source's text holding one JSON object.
#[derive(Debug, Clone)]
pub struct RawJson {
    /// The whole text the object was read from.
    pub text: Arc<String>,
    /// Where the object starts in it.
    pub start: usize,
    /// Where it ends.
    pub end: usize,
    /// `kind` was given by the list (a typed `*List` item without one).
    pub kind_from_list: bool,
    /// `apiVersion` was given by the list.
    pub api_version_from_list: bool,
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
            && self.kind_from_list == other.kind_from_list
            && self.api_version_from_list == other.api_version_from_list
    }
}

impl RawJson {
    /// The object's JSON text.
    pub fn json(&self) -> &str {
        &self.text[self.start..self.end]
    }

    /// The same object holding only its own text: the few objects kept as text must not
    /// keep a whole file's text alive (54 MB for a 2,000-namespace cluster) once the objects
    /// decoded from the rest of it have been read.
    pub fn detached(self) -> RawJson {
        if self.start == 0 && self.end == self.text.len() {
            return self;
        }
        let text = Arc::new(self.json().to_string());
        RawJson {
            start: 0,
            end: text.len(),
            text,
            kind_from_list: self.kind_from_list,
            api_version_from_list: self.api_version_from_list,
        }
    }

    /// The text read into a value, as the value path reads it. Only text that was read (and
    /// checked: valid JSON, no repeated key) once already is kept, so this cannot fail.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(self.json()).unwrap_or(Value::Null)
    }
}

impl TypedItem {
    /// The object as a JSON value, as the value path would have read it (the list's kind
    /// and apiVersion filled in).
    pub fn to_value(&self) -> Value {
        let mut value = self.raw.to_value();
        if let Value::Object(map) = &mut value {
            if self.raw.kind_from_list {
                map.insert("kind".into(), Value::String(self.kind.to_string()));
            }
            if self.raw.api_version_from_list {
                map.insert(
                    "apiVersion".into(),
                    Value::String(self.api_version.to_string()),
                );
            }
        }
        value
    }
}

impl SourceItem {
    /// The object as a JSON value (decoded items are read again from their text).
    pub fn value(&self) -> Cow<'_, Value> {
        match self {
            SourceItem::Value(v) => Cow::Borrowed(v),
            SourceItem::Typed(t) => Cow::Owned(t.to_value()),
            SourceItem::Raw(r) => Cow::Owned(r.to_value()),
        }
    }

    /// The object as an owned JSON value.
    pub fn into_value(self) -> Value {
        match self {
            SourceItem::Value(v) => v,
            SourceItem::Typed(t) => t.to_value(),
            SourceItem::Raw(r) => r.to_value(),
        }
    }

    /// `kind`, `""` when absent or not a string.
    pub fn kind(&self) -> &str {
        match self {
            SourceItem::Value(v) => v.get("kind").and_then(Value::as_str).unwrap_or(""),
            SourceItem::Typed(t) => t.kind,
            SourceItem::Raw(r) => &r.kind,
        }
    }

    /// `apiVersion`, `""` when absent or not a string.
    pub fn api_version(&self) -> &str {
        match self {
            SourceItem::Value(v) => v.get("apiVersion").and_then(Value::as_str).unwrap_or(""),
            SourceItem::Typed(t) => &t.api_version,
            SourceItem::Raw(r) => &r.api_version,
        }
    }

    /// `metadata.namespace` and `metadata.name` as written (`""` when absent).
    pub fn namespace_and_name(&self) -> (&str, &str) {
        match self {
            SourceItem::Value(v) => {
                let text = |p: &str| v.pointer(p).and_then(Value::as_str).unwrap_or("");
                (text("/metadata/namespace"), text("/metadata/name"))
            }
            SourceItem::Typed(t) => (&t.metadata.namespace, &t.metadata.name),
            SourceItem::Raw(r) => (&r.namespace, &r.name),
        }
    }
}
