//! The typed inventory: every object a command needs, from files or a live cluster.

use super::access::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::item::{SourceItem, TypedBody, TypedItem};
use super::objects::{
    AggregationRule, Binding, BindingKind, LazyValue, NamedObject, ObjectMeta, Origin, PolicyRule,
    RawObject, Role, RoleKind, RoleRef, Subject,
};

/// An object that could not be decoded: where it is, which field, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {kind} {name}: {message}")]
pub struct DecodeError {
    /// Where the object was read.
    pub origin: Origin,
    /// The object's kind (or `object` when unknown).
    pub kind: String,
    /// `"namespace/name"` or `"name"` if known, else `(unnamed)`.
    pub name: String,
    /// What is wrong: the field path and what was expected.
    pub message: String,
}

/// A warning about input that is accepted but suspicious (e.g. a roleRef kind the API
/// server would reject; the authorizer ignores such a binding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Where the object was read.
    pub origin: Origin,
    /// The warning text.
    pub message: String,
}

/// Data a source could not read: a forbidden list, a missing API group, a timeout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingData {
    /// The kind that could not be read, e.g. `ClusterRole`.
    pub kind: String,
    /// The namespace, when only one namespace's list failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The server's message or the local error.
    pub reason: String,
    /// The HTTP status code, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
}

/// How aggregated ClusterRoles get their rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AggregationMode {
    /// Manifests: compute them as the aggregation controller would (its rules are replaced).
    #[default]
    Compute,
    /// Live clusters and snapshots: use the stored rules, which is what the authorizer uses.
    Stored,
}

/// Everything read from one source, typed where kubeaudit reads it.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Roles and ClusterRoles.
    pub roles: Vec<Role>,
    /// RoleBindings and ClusterRoleBindings.
    pub bindings: Vec<Binding>,
    /// ServiceAccounts.
    pub service_accounts: Vec<NamedObject>,
    /// Namespaces.
    pub namespaces: Vec<NamedObject>,
    /// CustomResourceDefinitions (raw; read for resource names).
    pub crds: Vec<RawObject>,
    /// Every other object, kept as read (Pods, NetworkPolicies, ...).
    pub other: Vec<RawObject>,
    /// Accepted-but-suspicious input.
    pub warnings: Vec<Diagnostic>,
    /// What the source could not read that could change answers; empty means complete.
    pub missing: Vec<MissingData>,
    /// What the source could not read that only helps answers (names, groups, node IPs),
    /// and that only some commands (lint) need.
    pub unreadable: Vec<MissingData>,
    /// How aggregated ClusterRoles get their rules.
    pub aggregation: AggregationMode,
    /// The namespace of namespaced objects read without one (`""` means `default`), as
    /// `kubectl apply -n NS` would place them.
    pub default_namespace: String,
    /// True when `default_namespace` was asked for (`--apply-namespace`): no warning then.
    pub default_namespace_explicit: bool,
    /// What to do with two different definitions of one object of a kind commands read.
    pub on_conflict: OnConflict,
}

/// Which of two different definitions of the same object is read (`--on-conflict`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OnConflict {
    /// Stop with an error naming both (the default: a conflict usually means a mistake).
    #[default]
    Error,
    /// The first in input order.
    First,
    /// The last in input order, as `kubectl apply` of the inputs in order would leave it.
    Last,
}

impl Inventory {
    /// True when the source read everything the command asked for.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// Adds decoded Kubernetes objects (already split into single objects, `List`s flattened).
    ///
    /// Objects of unknown kinds are kept in [`Inventory::other`]. An object of a known kind
    /// that cannot be decoded is an error naming its origin and field. The same object
    /// (kind, namespace, name) read twice: identical copies are read once (a warning, unless
    /// both are the same place read twice); different ones are resolved by
    /// [`Inventory::on_conflict`] for the kinds commands read, and never matter for the others
    /// (the first is kept).
    pub fn add_objects<T: Into<SourceItem>>(
        &mut self,
        objects: Vec<(T, Origin)>,
    ) -> Result<(), DecodeError> {
        // Objects kept as text stay text until read (a Secret is read now, to drop its data).
        let mut objects: Vec<(SourceItem, Origin)> = objects
            .into_iter()
            .map(|(o, origin)| match o.into() {
                SourceItem::Raw(raw) if raw.kind == "Secret" => {
                    (SourceItem::Value(raw.to_value()), origin)
                }
                item => (item, origin),
            })
            .collect();
        // Secret values are never kept: only a Secret's type and metadata are ever read.
        for (item, _) in &mut objects {
            if let SourceItem::Value(value) = item {
                if value.get("kind").and_then(Value::as_str) == Some("Secret") {
                    if let Some(map) = value.as_object_mut() {
                        map.remove("data");
                        map.remove("stringData");
                    }
                }
            }
        }
        // Room for the decoded kinds at once (a large cluster has 100,000s of them).
        let (mut roles, mut bindings, mut accounts) = (0, 0, 0);
        for (item, _) in &objects {
            if let SourceItem::Typed(t) = item {
                match t.body {
                    TypedBody::Role { .. } => roles += 1,
                    TypedBody::Binding { .. } => bindings += 1,
                    TypedBody::ServiceAccount { .. } => accounts += 1,
                    TypedBody::Namespace => {}
                }
            }
        }
        self.roles.reserve(roles);
        self.bindings.reserve(bindings);
        self.service_accounts.reserve(accounts);
        // Each object's metadata, decoded once and placed where kubectl apply would place it.
        // A decoded object's stays in it (most objects: no second copy of every name); the
        // others' are decoded here, in order (`decoded`, by object). Per object: whether its
        // namespace was placed, or `None` for a value that is not an object (reported in
        // pass 2, in order).
        let mut placed_flags: Vec<Option<bool>> = Vec::with_capacity(objects.len());
        let mut decoded: Vec<(usize, ObjectMeta)> = Vec::new();
        // The metadata of the objects not decoded yet, read on every core (in order: the
        // first error is the first object's).
        let undecoded: Vec<usize> = (0..objects.len())
            .filter(|&i| !matches!(objects[i].0, SourceItem::Typed(_)))
            .collect();
        let metas = crate::parallel::map(&undecoded, 512, &|&i| {
            let (item, origin) = &objects[i];
            match item {
                SourceItem::Value(value) if !value.is_object() => None,
                SourceItem::Value(value) => {
                    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
                    Some(decode_meta(value, origin, kind))
                }
                SourceItem::Raw(raw) => Some(decode_meta(&raw.metadata_only(), origin, &raw.kind)),
                SourceItem::Typed(_) => unreachable!("only undecoded objects"),
            }
        });
        let mut metas = metas.into_iter();
        for (i, (item, _)) in objects.iter_mut().enumerate() {
            let meta = match item {
                SourceItem::Typed(_) => None,
                _ => match metas.next().expect("one per undecoded object") {
                    None => {
                        placed_flags.push(None);
                        continue;
                    }
                    Some(meta) => Some(meta?),
                },
            };
            let placed = match (meta, item) {
                (Some(mut meta), item) => {
                    let ns = self.placed_namespace(item.kind(), item.api_version(), &meta);
                    let placed = ns.is_some();
                    if let Some(ns) = ns {
                        meta.namespace = ns.into();
                    }
                    decoded.push((i, meta));
                    placed
                }
                (None, SourceItem::Typed(typed)) => {
                    let ns = self.placed_namespace(typed.kind, &typed.api_version, &typed.metadata);
                    let placed = ns.is_some();
                    if let Some(ns) = ns {
                        typed.metadata.namespace = ns.into();
                    }
                    placed
                }
                (None, _) => unreachable!("only a decoded object keeps its metadata"),
            };
            placed_flags.push(Some(placed));
        }
        // Pass 1: which copy of each object is read. Only objects whose key may repeat are
        // looked at: each key is hashed (keyed per process) and the hashes sorted — 16 bytes an
        // object, where a map of every key took ~120 MB for a million objects — and the keys
        // of equal hashes are compared in the map below (equal means equal, never a hash
        // collision). Copies are compared only when a key repeats.
        let meta_of = |i: usize| -> Option<&ObjectMeta> {
            placed_flags[i]?;
            match &objects[i].0 {
                SourceItem::Typed(typed) => Some(&typed.metadata),
                _ => {
                    let at = decoded.binary_search_by_key(&i, |(j, _)| *j).ok()?;
                    Some(&decoded[at].1)
                }
            }
        };
        let key_of = |i: usize| -> Option<(&str, &str, &str)> {
            let meta = meta_of(i)?;
            let kind = objects[i].0.kind();
            (!kind.is_empty()).then_some((kind, meta.namespace.as_str(), meta.name.as_str()))
        };
        let hasher = ahash::RandomState::new();
        let mut hashed: Vec<(u64, usize)> = (0..objects.len())
            .filter_map(|i| key_of(i).map(|key| (hasher.hash_one(key), i)))
            .collect();
        hashed.sort_unstable();
        let mut may_repeat: Vec<usize> = hashed
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
            .flatten()
            .map(|&(_, i)| i)
            .collect();
        drop(hashed);
        may_repeat.sort_unstable();
        let mut winner: HashMap<(&str, &str, &str), usize> =
            HashMap::with_capacity_and_hasher(may_repeat.len(), Default::default());
        let mut skip = vec![false; objects.len()];
        for i in may_repeat {
            let (item, origin) = &objects[i];
            let Some(key) = key_of(i) else { continue };
            let (kind, meta) = (key.0, meta_of(i).expect("keyed"));
            let Some(&first) = winner.get(&key) else {
                winner.insert(key, i);
                continue;
            };
            let first_origin = &objects[first].1;
            if same_object(&objects[first].0, item) {
                skip[i] = true;
                if first_origin != origin {
                    self.warnings.push(Diagnostic {
                        origin: origin.clone(),
                        message: format!(
                            "{kind} {} is also defined at {first_origin} (identical; read once)",
                            display_name(meta)
                        ),
                    });
                }
                continue;
            }
            if !is_read_kind(kind) {
                // No command reads it: which copy is kept cannot change an answer.
                skip[i] = true;
                continue;
            }
            let name = display_name(meta);
            match self.on_conflict {
                OnConflict::Error => {
                    return Err(DecodeError {
                        origin: origin.clone(),
                        kind: kind.to_string(),
                        name,
                        message: format!(
                            "defined twice with different contents; first definition at {first_origin}. To read one of them, pass --on-conflict last (as kubectl apply of the inputs in order would leave it) or --on-conflict first"
                        ),
                    });
                }
                OnConflict::First => {
                    skip[i] = true;
                    self.warnings.push(Diagnostic {
                        origin: origin.clone(),
                        message: format!(
                            "{kind} {name} differs from its definition at {first_origin}; reading that one (--on-conflict first)"
                        ),
                    });
                }
                OnConflict::Last => {
                    skip[first] = true;
                    winner.insert(key, i);
                    self.warnings.push(Diagnostic {
                        origin: origin.clone(),
                        message: format!(
                            "{kind} {name} replaces its different definition at {first_origin} (--on-conflict last)"
                        ),
                    });
                }
            }
        }
        drop(winner);
        // Pass 2: read them.
        let mut placed: Vec<(Origin, String, String)> = Vec::new();
        let mut decoded = decoded.into_iter();
        for (((mut item, origin), skipped), flag) in objects.into_iter().zip(skip).zip(placed_flags)
        {
            // This object's metadata (taken in order, skipped objects' too).
            let meta = flag.map(|placed| {
                let meta = match &mut item {
                    SourceItem::Typed(typed) => std::mem::take(&mut typed.metadata),
                    _ => decoded.next().expect("decoded in order").1,
                };
                (meta, placed)
            });
            if skipped {
                continue;
            }
            let kind = item.kind().to_string();
            let Some((meta, placed_here)) = meta else {
                return Err(DecodeError {
                    origin,
                    kind: "object".into(),
                    name: "(unnamed)".into(),
                    message: format!(
                        "expected a Kubernetes object (a mapping), found {}",
                        crate::model::objects::json_type_name(&item.value())
                    ),
                });
            };
            if placed_here && !self.default_namespace_explicit {
                placed.push((origin.clone(), kind.clone(), meta.name.to_string()));
            }
            match item {
                SourceItem::Value(value) => {
                    let api_version = value
                        .get("apiVersion")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    self.add_one(kind, api_version, meta, value.into(), origin)?;
                }
                SourceItem::Typed(typed) => self.add_typed(*typed, meta, origin),
                SourceItem::Raw(raw) => {
                    let value = LazyValue::from_text(raw.raw.detached());
                    self.add_one(kind, raw.api_version, meta, value, origin)?;
                }
            }
        }
        self.warn_placed(placed);
        Ok(())
    }

    /// Adds an object decoded by a source (whose kind and apiVersion are ones
    /// [`Inventory::add_one`] reads into the same types).
    fn add_typed(&mut self, typed: TypedItem, meta: ObjectMeta, origin: Origin) {
        match typed.body {
            TypedBody::Role {
                rules,
                aggregation_rule,
            } => {
                let role_kind = if typed.kind == "Role" {
                    RoleKind::Role
                } else {
                    RoleKind::ClusterRole
                };
                self.push_role(role_kind, meta, rules, aggregation_rule, origin);
            }
            TypedBody::Binding { role_ref, subjects } => {
                self.push_binding(typed.kind, meta, role_ref, subjects, origin)
            }
            TypedBody::ServiceAccount {
                automount_service_account_token,
            } => self.service_accounts.push(NamedObject {
                metadata: meta,
                automount_service_account_token,
                origin,
            }),
            TypedBody::Namespace => self.namespaces.push(NamedObject {
                metadata: meta,
                automount_service_account_token: None,
                origin,
            }),
        }
    }

    /// Adds a RoleBinding or ClusterRoleBinding (`kind`), warning about what the API server
    /// would reject.
    fn push_binding(
        &mut self,
        kind: &str,
        meta: ObjectMeta,
        role_ref: RoleRef,
        subjects: Vec<Subject>,
        origin: Origin,
    ) {
        let binding_kind = if kind == "RoleBinding" {
            BindingKind::RoleBinding
        } else {
            BindingKind::ClusterRoleBinding
        };
        self.check_binding(binding_kind, &meta, &role_ref, &subjects, &origin);
        self.bindings.push(Binding {
            kind: binding_kind,
            metadata: meta,
            role_ref,
            subjects,
            origin,
        });
    }

    /// Adds a Role or ClusterRole (warning about what the API server would reject).
    fn push_role(
        &mut self,
        role_kind: RoleKind,
        meta: ObjectMeta,
        rules: Vec<PolicyRule>,
        aggregation_rule: Option<AggregationRule>,
        origin: Origin,
    ) {
        if role_kind == RoleKind::Role && aggregation_rule.is_some() {
            self.warnings.push(Diagnostic {
                origin: origin.clone(),
                message: format!(
                    "Role {}: aggregationRule is only meaningful on a ClusterRole; ignored",
                    display_name(&meta)
                ),
            });
        }
        self.check_rules(role_kind, &meta, &rules, &origin);
        self.roles.push(Role {
            kind: role_kind,
            metadata: meta,
            rules,
            aggregation_rule: if role_kind == RoleKind::ClusterRole {
                aggregation_rule
            } else {
                None
            },
            origin,
        });
    }

    /// One warning for the namespaced objects read without a namespace (an install manifest
    /// without namespaces has dozens): the first one's place, how many, where they went.
    fn warn_placed(&mut self, placed: Vec<(Origin, String, String)>) {
        let Some((origin, kind, name)) = placed.first().cloned() else {
            return;
        };
        let ns = if self.default_namespace.is_empty() {
            "default"
        } else {
            self.default_namespace.as_str()
        };
        let what = if placed.len() == 1 {
            format!("{kind} {name}: no metadata.namespace")
        } else {
            format!(
                "{kind} {name} and {} more namespaced objects: no metadata.namespace",
                placed.len() - 1
            )
        };
        self.warnings.push(Diagnostic {
            origin,
            message: format!(
                "{what}; read as namespace {ns:?} (as kubectl apply -n {ns} would; --apply-namespace NS places such objects elsewhere)"
            ),
        });
    }

    /// The namespace `kubectl apply` would give a namespaced object read without one, or
    /// `None` when it has one or is not namespaced.
    fn placed_namespace(&self, kind: &str, api_version: &str, meta: &ObjectMeta) -> Option<String> {
        let rbac = api_version.starts_with("rbac.authorization.k8s.io/") || api_version.is_empty();
        let core = api_version == "v1" || api_version.is_empty();
        let namespaced =
            (rbac && matches!(kind, "Role" | "RoleBinding")) || (core && kind == "ServiceAccount");
        if !namespaced || !meta.namespace.is_empty() {
            return None;
        }
        Some(if self.default_namespace.is_empty() {
            "default".to_string()
        } else {
            self.default_namespace.clone()
        })
    }

    fn add_one(
        &mut self,
        kind: String,
        api_version: String,
        meta: ObjectMeta,
        value: LazyValue,
        origin: Origin,
    ) -> Result<(), DecodeError> {
        let rbac_group =
            api_version.starts_with("rbac.authorization.k8s.io/") || api_version.is_empty();
        match kind.as_str() {
            "Role" | "ClusterRole" if rbac_group => {
                let role_kind = if kind == "Role" {
                    RoleKind::Role
                } else {
                    RoleKind::ClusterRole
                };
                let rules: Vec<PolicyRule> = decode_field(&value, "rules", &origin, &kind, &meta)?;
                let aggregation_rule: Option<AggregationRule> =
                    decode_field(&value, "aggregationRule", &origin, &kind, &meta)?;
                self.push_role(role_kind, meta, rules, aggregation_rule, origin);
            }
            "RoleBinding" | "ClusterRoleBinding" if rbac_group => {
                let role_ref: RoleRef = decode_field(&value, "roleRef", &origin, &kind, &meta)?;
                let subjects: Vec<Subject> =
                    decode_field(&value, "subjects", &origin, &kind, &meta)?;
                self.push_binding(&kind, meta, role_ref, subjects, origin);
            }
            "ServiceAccount" if api_version == "v1" || api_version.is_empty() => {
                self.service_accounts.push(NamedObject {
                    metadata: meta,
                    automount_service_account_token: value
                        .get("automountServiceAccountToken")
                        .and_then(Value::as_bool),
                    origin,
                });
            }
            "Namespace" if api_version == "v1" || api_version.is_empty() => {
                self.namespaces.push(NamedObject {
                    metadata: meta,
                    automount_service_account_token: None,
                    origin,
                });
            }
            "CustomResourceDefinition" => {
                self.crds.push(RawObject {
                    api_version,
                    kind,
                    value,
                    origin,
                });
            }
            _ => self.other.push(RawObject {
                api_version,
                kind,
                value,
                origin,
            }),
        }
        Ok(())
    }

    /// Records, as warnings, rules the API server would reject (the authorizer still uses
    /// them as written, so these never change an answer).
    fn check_rules(
        &mut self,
        kind: RoleKind,
        meta: &ObjectMeta,
        rules: &[PolicyRule],
        origin: &Origin,
    ) {
        for (i, rule) in rules.iter().enumerate() {
            let mut problems = Vec::new();
            if rule.verbs.is_empty() {
                problems.push("has no verbs (it matches nothing)");
            }
            if !rule.non_resource_urls.is_empty() && kind == RoleKind::Role {
                problems.push("has nonResourceURLs, which a Role cannot grant");
            }
            if rule.non_resource_urls.is_empty()
                && (rule.api_groups.is_empty() || rule.resources.is_empty())
            {
                problems.push("has no apiGroups or no resources (it matches no resource request)");
            }
            for p in problems {
                self.warnings.push(Diagnostic {
                    origin: origin.clone(),
                    message: format!("{} {}: rule {i} {p}", kind.as_str(), display_name(meta)),
                });
            }
        }
    }

    fn check_binding(
        &mut self,
        kind: BindingKind,
        meta: &ObjectMeta,
        role_ref: &RoleRef,
        subjects: &[Subject],
        origin: &Origin,
    ) {
        // (Named only in a warning: most bindings have none.)
        let name = || display_name(meta);
        let valid_ref = match kind {
            BindingKind::RoleBinding => role_ref.kind == "Role" || role_ref.kind == "ClusterRole",
            BindingKind::ClusterRoleBinding => role_ref.kind == "ClusterRole",
        };
        if !valid_ref {
            self.warnings.push(Diagnostic {
                origin: origin.clone(),
                message: format!(
                    "{} {}: roleRef.kind {:?} is not {}; the API server would reject this binding and it grants nothing",
                    kind.as_str(),
                    name(),
                    role_ref.kind,
                    if kind == BindingKind::RoleBinding { "Role or ClusterRole" } else { "ClusterRole" }
                ),
            });
        }
        for s in subjects {
            let problem = match s.kind.as_str() {
                "User" | "Group" => None,
                "ServiceAccount" if kind == BindingKind::ClusterRoleBinding && s.namespace.is_empty() => {
                    Some("ServiceAccount subject without a namespace in a ClusterRoleBinding matches nobody")
                }
                "ServiceAccount" => None,
                _ => Some("subject kind is not User, Group or ServiceAccount (case-sensitive); it matches nobody"),
            };
            if let Some(p) = problem {
                self.warnings.push(Diagnostic {
                    origin: origin.clone(),
                    message: format!(
                        "{} {}: subject {} {:?}: {p}",
                        kind.as_str(),
                        name(),
                        s.kind,
                        s.name
                    ),
                });
            }
        }
    }
}

/// Two definitions of one object are the same object (compared as values).
fn same_object(a: &SourceItem, b: &SourceItem) -> bool {
    a.value() == b.value()
}

/// Kinds some command reads; a conflicting duplicate of another kind cannot change an answer.
fn is_read_kind(kind: &str) -> bool {
    matches!(
        kind,
        "Role"
            | "ClusterRole"
            | "RoleBinding"
            | "ClusterRoleBinding"
            | "ServiceAccount"
            | "Namespace"
            | "CustomResourceDefinition"
            | "NetworkPolicy"
            | "Pod"
            | "Node"
            | "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job"
            | "CronJob"
            | "Secret"
    )
}

/// `namespace/name` or `name`.
pub fn display_name(meta: &ObjectMeta) -> String {
    match (meta.namespace.is_empty(), meta.name.is_empty()) {
        (_, true) => "(unnamed)".to_string(),
        (true, false) => meta.name.to_string(),
        (false, false) => format!("{}/{}", meta.namespace, meta.name),
    }
}

fn decode_meta(value: &Value, origin: &Origin, kind: &str) -> Result<ObjectMeta, DecodeError> {
    match value.get("metadata") {
        None | Some(Value::Null) => Ok(ObjectMeta::default()),
        Some(m) => {
            // Without path tracking first; the tracked decode only to word an error.
            if let Ok(meta) = ObjectMeta::deserialize(m) {
                return Ok(meta);
            }
            let mut track = serde_path_to_error::Track::new();
            let de = serde_path_to_error::Deserializer::new(m, &mut track);
            ObjectMeta::deserialize(de).map_err(|e| DecodeError {
                origin: origin.clone(),
                kind: if kind.is_empty() {
                    "object".into()
                } else {
                    kind.into()
                },
                name: "(unnamed)".into(),
                message: format!("field metadata.{}: {}", track.path(), e),
            })
        }
    }
}

fn decode_field<T>(
    value: &Value,
    field: &str,
    origin: &Origin,
    kind: &str,
    meta: &ObjectMeta,
) -> Result<T, DecodeError>
where
    T: for<'de> Deserialize<'de> + Default,
{
    let Some(v) = value.get(field) else {
        return Ok(T::default());
    };
    if v.is_null() {
        return Ok(T::default());
    }
    // Without path tracking first; the tracked decode only to word an error.
    if let Ok(t) = T::deserialize(v) {
        return Ok(t);
    }
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(v, &mut track);
    T::deserialize(de).map_err(|e| {
        let path = track.path().to_string();
        DecodeError {
            origin: origin.clone(),
            kind: kind.into(),
            name: display_name(meta),
            message: if path == "." || path.is_empty() {
                format!("field {field}: {e}")
            } else {
                format!(
                    "field {field}{}{path}: {e}",
                    if path.starts_with('[') { "" } else { "." }
                )
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn origin() -> Origin {
        Origin {
            source: "t.yaml".into(),
            document: 2,
            line: 7,
        }
    }

    #[test]
    fn decodes_roles_and_bindings() {
        let mut inv = Inventory::default();
        inv.add_objects(vec![
            (json!({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"r"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]}), origin()),
            (json!({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"b","namespace":"ns"},"roleRef":{"kind":"ClusterRole","name":"r"},"subjects":[{"kind":"User","name":"u"}]}), origin()),
            (json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"}}), origin()),
        ])
        .unwrap();
        assert_eq!(inv.roles.len(), 1);
        assert_eq!(inv.roles[0].rules[0].verbs, vec!["get"]);
        assert_eq!(inv.bindings[0].subjects[0].name, "u");
        assert_eq!(inv.other.len(), 1);
    }

    #[test]
    fn wrong_type_names_the_field() {
        let mut inv = Inventory::default();
        let err = inv
            .add_objects(vec![(
                json!({"kind":"ClusterRole","metadata":{"name":"r"},"rules":[{"verbs":"get"}]}),
                origin(),
            )])
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("t.yaml, document 2 (line 7)"), "{msg}");
        assert!(msg.contains("rules[0].verbs"), "{msg}");
        assert!(msg.contains("ClusterRole r"), "{msg}");
    }

    #[test]
    fn duplicates_differing_are_errors_identical_are_warnings() {
        let a = json!({"kind":"ClusterRole","metadata":{"name":"r"},"rules":[]});
        let b = json!({"kind":"ClusterRole","metadata":{"name":"r"},"rules":[{"verbs":["get"]}]});
        let elsewhere = Origin {
            source: "u.yaml".into(),
            ..origin()
        };
        let mut inv = Inventory::default();
        inv.add_objects(vec![(a.clone(), origin()), (a.clone(), elsewhere.clone())])
            .unwrap();
        assert_eq!(inv.roles.len(), 1);
        assert_eq!(inv.warnings.len(), 1);
        // The same place read twice (a path given twice) is no news.
        let mut inv = Inventory::default();
        inv.add_objects(vec![(a.clone(), origin()), (a.clone(), origin())])
            .unwrap();
        assert_eq!((inv.roles.len(), inv.warnings.len()), (1, 0));
        let mut inv = Inventory::default();
        let err = inv
            .add_objects(vec![(a.clone(), origin()), (b.clone(), elsewhere.clone())])
            .unwrap_err();
        assert!(err.to_string().contains("defined twice"));
        assert!(err.to_string().contains("--on-conflict"));
        for (policy, rules) in [(OnConflict::First, 0), (OnConflict::Last, 1)] {
            let mut inv = Inventory {
                on_conflict: policy,
                ..Inventory::default()
            };
            inv.add_objects(vec![(a.clone(), origin()), (b.clone(), elsewhere.clone())])
                .unwrap();
            assert_eq!(inv.roles.len(), 1);
            assert_eq!(inv.roles[0].rules.len(), rules, "{policy:?}");
            assert!(
                inv.warnings[0].message.contains("t.yaml"),
                "names the other: {:?}",
                inv.warnings
            );
        }
        // A kind no command reads never stops anything.
        let cm = |v: &str| json!({"kind":"ConfigMap","metadata":{"name":"c","namespace":"n"},"data":{"k":v}});
        let mut inv = Inventory::default();
        inv.add_objects(vec![(cm("1"), origin()), (cm("2"), elsewhere)])
            .unwrap();
    }

    #[test]
    fn bad_role_ref_kind_is_a_warning_not_an_error() {
        let mut inv = Inventory::default();
        inv.add_objects(vec![(
            json!({"kind":"ClusterRoleBinding","metadata":{"name":"b"},"roleRef":{"kind":"clusterrole","name":"r"}}),
            origin(),
        )])
        .unwrap();
        assert_eq!(inv.bindings.len(), 1);
        assert!(inv.warnings[0].message.contains("roleRef.kind"));
    }
}
