//! Typed RBAC and identity objects of the inventory, in Kubernetes' own words.
//!
//! These types are deliberately lenient where the authorizer is lenient (missing lists are
//! empty lists, unknown kinds are kept as written) and strict where a manifest is malformed
//! (a string where a list is expected is an error naming the field).

use compact_str::CompactString;
use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// Where an object came from: a file (and document and line in it), stdin, or a live cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// A file path, `<stdin>`, or `cluster:<context>` for live objects.
    pub source: String,
    /// 1-based document number inside a multi-document file (0 when not applicable).
    pub document: usize,
    /// 1-based line where the document (or list item) starts (0 when unknown).
    pub line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.source)?;
        if self.document > 0 {
            write!(f, ", document {}", self.document)?;
        }
        if self.line > 0 {
            write!(f, " (line {})", self.line)?;
        }
        Ok(())
    }
}

/// Deserializes `null` as the type's default, as Go's JSON decoding does for nil slices/maps.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A field that is present (with `#[serde(default)]`, `None` means absent): `Some(None)` when
/// it is `null` for an `Option` inside.
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// [`null_default`] for a list, kept at its length. Decoding from text, a list's length is
/// not known ahead, and a vector grown from empty holds room for at least four elements: in a
/// cluster of 100,000s of one-subject bindings and one-verb rules that spare room would be a
/// large part of the memory (and so of the time) of loading.
pub(crate) fn null_default_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list: Vec<T> = null_default(d)?;
    list.shrink_to_fit();
    Ok(list)
}

/// How error messages name the type of a JSON value ("a list", "a mapping", ...).
pub fn json_type_name(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// The part of `metadata` kubeaudit uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// `metadata.name`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: CompactString,
    /// `metadata.namespace` (`""` for cluster-scoped objects).
    #[serde(default, deserialize_with = "null_default")]
    pub namespace: CompactString,
    /// `metadata.labels`.
    #[serde(default, deserialize_with = "null_default")]
    pub labels: BTreeMap<String, String>,
    /// `metadata.annotations`.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub annotations: BTreeMap<String, String>,
}

/// One RBAC rule (`rbac.authorization.k8s.io/v1` PolicyRule).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRule {
    /// Verbs, `*` for all.
    #[serde(default, deserialize_with = "null_default_list")]
    pub verbs: Vec<CompactString>,
    /// API groups, `""` for core, `*` for all.
    #[serde(
        default,
        deserialize_with = "null_default_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub api_groups: Vec<CompactString>,
    /// Resources, `res/sub`, `*/sub` or `*`.
    #[serde(
        default,
        deserialize_with = "null_default_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub resources: Vec<CompactString>,
    /// Object names; empty means any name.
    #[serde(
        default,
        deserialize_with = "null_default_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub resource_names: Vec<CompactString>,
    /// Non-resource URLs, exact or with a trailing `*` prefix.
    #[serde(
        default,
        rename = "nonResourceURLs",
        deserialize_with = "null_default_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub non_resource_urls: Vec<CompactString>,
}

impl PolicyRule {
    /// A compact, YAML-flow-like rendering: `{verbs: [get], resources: [pods]}`.
    pub fn compact(&self) -> String {
        let rule = self;
        fn list(items: &[CompactString]) -> String {
            let quoted: Vec<String> = items
                .iter()
                .map(|s| {
                    if s.is_empty() || s == "*" || s.contains([' ', ':', ',']) {
                        format!("{:?}", s.as_str())
                    } else {
                        s.to_string()
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
}

/// A label selector (`matchLabels` AND `matchExpressions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// Exact label matches.
    #[serde(default, deserialize_with = "null_default")]
    pub match_labels: BTreeMap<String, String>,
    /// Set-based requirements.
    #[serde(default, deserialize_with = "null_default")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One set-based selector requirement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSelectorRequirement {
    /// The label key.
    #[serde(default, deserialize_with = "null_default")]
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    #[serde(default, deserialize_with = "null_default")]
    pub operator: String,
    /// Values for `In`/`NotIn`.
    #[serde(default, deserialize_with = "null_default")]
    pub values: Vec<String>,
}

/// A ClusterRole's `aggregationRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregationRule {
    /// Selectors of the ClusterRoles whose rules are aggregated.
    #[serde(default, deserialize_with = "null_default")]
    pub cluster_role_selectors: Vec<LabelSelector>,
}

/// Role or ClusterRole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RoleKind {
    /// A namespaced Role.
    Role,
    /// A ClusterRole.
    ClusterRole,
}

impl RoleKind {
    /// The Kubernetes kind name.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Role => "Role",
            RoleKind::ClusterRole => "ClusterRole",
        }
    }
}

/// A Role or ClusterRole as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    /// Role or ClusterRole.
    pub kind: RoleKind,
    /// Name, namespace (Roles only) and labels.
    pub metadata: ObjectMeta,
    /// The rules as written (for aggregated ClusterRoles in manifest mode: as computed).
    pub rules: Vec<PolicyRule>,
    /// The aggregation rule of a ClusterRole, if any.
    pub aggregation_rule: Option<AggregationRule>,
    /// Where the object was read.
    pub origin: Origin,
}

/// RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BindingKind {
    /// A namespaced RoleBinding.
    RoleBinding,
    /// A ClusterRoleBinding.
    ClusterRoleBinding,
}

impl BindingKind {
    /// The Kubernetes kind name.
    pub fn as_str(self) -> &'static str {
        match self {
            BindingKind::RoleBinding => "RoleBinding",
            BindingKind::ClusterRoleBinding => "ClusterRoleBinding",
        }
    }
}

/// A binding's `roleRef`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleRef {
    /// Ignored by the authorizer; validated by the API server.
    #[serde(default, deserialize_with = "null_default")]
    pub api_group: CompactString,
    /// `Role` or `ClusterRole` (case-sensitive).
    #[serde(default, deserialize_with = "null_default")]
    pub kind: CompactString,
    /// The referenced role's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: CompactString,
}

/// A binding subject: User, Group or ServiceAccount (other kinds never match).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// `User`, `Group` or `ServiceAccount` (case-sensitive).
    #[serde(default, deserialize_with = "null_default")]
    pub kind: CompactString,
    /// Ignored by the authorizer.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "CompactString::is_empty"
    )]
    pub api_group: CompactString,
    /// The subject name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: CompactString,
    /// ServiceAccount namespace (may be empty in a RoleBinding).
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "CompactString::is_empty"
    )]
    pub namespace: CompactString,
}

/// A RoleBinding or ClusterRoleBinding as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    /// RoleBinding or ClusterRoleBinding.
    pub kind: BindingKind,
    /// Name and namespace (RoleBindings only).
    pub metadata: ObjectMeta,
    /// The role granted.
    pub role_ref: RoleRef,
    /// Who it is granted to.
    pub subjects: Vec<Subject>,
    /// Where the object was read.
    pub origin: Origin,
}

/// A ServiceAccount or Namespace: only its metadata matters to RBAC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedObject {
    /// Name, namespace and labels.
    pub metadata: ObjectMeta,
    /// A ServiceAccount's `automountServiceAccountToken` (`None` when not set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    /// Where the object was read.
    pub origin: Origin,
}

/// Any object kept as read, for kinds read by other parts (Pods, NetworkPolicies, CRDs ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawObject {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// The whole object.
    pub value: LazyValue,
    /// Where the object was read.
    pub origin: Origin,
}

/// An object's JSON value, read from its text the first time it is asked for: objects of
/// kinds a command never reads (NetworkPolicies, for `who-can`) then never become value trees.
/// Derefs to the value.
#[derive(Clone)]
pub struct LazyValue {
    value: std::sync::OnceLock<serde_json::Value>,
    /// The text, when the value has not been read from it yet.
    text: Option<crate::model::item::RawJson>,
}

impl LazyValue {
    /// The value of an object kept as its text (valid JSON, already checked).
    pub fn from_text(text: crate::model::item::RawJson) -> LazyValue {
        LazyValue {
            value: std::sync::OnceLock::new(),
            text: Some(text),
        }
    }
}

impl LazyValue {
    /// The value, for a reader that needs it once: read from the text and not kept when it
    /// was not read yet (10,000s of NetworkPolicies are a model's input, then never read
    /// again), else a copy.
    pub fn to_value_once(&self) -> serde_json::Value {
        match (self.value.get(), &self.text) {
            (None, Some(text)) => text.to_value(),
            _ => serde_json::Value::clone(self),
        }
    }

    /// The object's JSON text, when it is kept as text and its value has not been read yet
    /// (a reader of a few fields can decode them from it, building no value).
    pub fn unread_text(&self) -> Option<&str> {
        match (self.value.get(), &self.text) {
            (None, Some(text)) => Some(text.json()),
            _ => None,
        }
    }

    /// False only when the object is kept as text that holds neither `needle` nor any escape
    /// (a backslash): then none of its strings or keys can be `needle`, unread.
    pub fn may_hold(&self, needle: &str) -> bool {
        match (self.value.get(), &self.text) {
            (None, Some(text)) => {
                let json = text.json();
                json.contains(needle) || json.contains('\\')
            }
            _ => true,
        }
    }
}

impl From<serde_json::Value> for LazyValue {
    fn from(value: serde_json::Value) -> LazyValue {
        LazyValue {
            value: std::sync::OnceLock::from(value),
            text: None,
        }
    }
}

impl std::ops::Deref for LazyValue {
    type Target = serde_json::Value;
    fn deref(&self) -> &serde_json::Value {
        self.value.get_or_init(|| {
            self.text
                .as_ref()
                .map_or(serde_json::Value::Null, |t| t.to_value())
        })
    }
}

impl std::fmt::Debug for LazyValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for LazyValue {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Serialize for LazyValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for LazyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d).map(LazyValue::from)
    }
}
