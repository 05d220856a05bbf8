//! The compiled access model: roles resolved (aggregation computed for manifests), bindings
//! resolved to their roles and indexed by subject, built once per run and shared by every
//! query.

/// The model's maps: keyed by names from the input, hashed fast with a per-process random key.
pub type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

use compact_str::CompactString;
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::aggregation;
use super::inventory::{AggregationMode, Diagnostic, Inventory, MissingData};
use super::objects::{Binding, BindingKind, Origin, PolicyRule, Role, RoleKind, RoleRef, Subject};
use super::rule_index::RuleIndex;
use crate::parallel;

/// Index of a role in [`AccessModel::roles`].
pub type RoleId = usize;
/// Index of a binding in [`AccessModel::bindings`].
pub type BindingId = usize;
/// Index of a subject in [`AccessModel::subjects`].
pub type SubjectId = usize;

/// A binding subject as who-can reports it: kind, namespace (a ServiceAccount without one
/// takes its RoleBinding's; `""` for users and groups), name. Ordered by those fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubjectKey {
    /// `User`, `Group`, `ServiceAccount`, or another kind as written.
    pub kind: String,
    /// The ServiceAccount namespace (defaulted), else as written (normally `""`).
    pub namespace: String,
    /// The name.
    pub name: String,
}

/// The username of a service account.
pub fn service_account_username(namespace: &str, name: &str) -> String {
    format!("system:serviceaccount:{namespace}:{name}")
}

/// A Role or ClusterRole with its effective rules.
#[derive(Debug, Clone)]
pub struct CompiledRole {
    /// Role or ClusterRole.
    pub kind: RoleKind,
    /// Namespace (`""` for ClusterRoles).
    pub namespace: CompactString,
    /// Name.
    pub name: CompactString,
    /// Effective rules (aggregation applied).
    pub rules: Vec<PolicyRule>,
    /// True when the rules come from an aggregationRule.
    pub aggregated: bool,
    /// Where the role was read.
    pub origin: Origin,
}

/// Why a binding's roleRef does not resolve; worded as the API server words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum RoleRefError {
    /// The referenced role does not exist.
    #[error("{resource}.rbac.authorization.k8s.io {name:?} not found")]
    NotFound {
        /// `role` or `clusterrole`.
        resource: String,
        /// The role name.
        name: String,
    },
    /// roleRef.kind is neither Role nor ClusterRole (case-sensitive).
    #[error("unsupported role reference kind: {0:?}")]
    UnsupportedKind(String),
}

/// A binding with its role resolved.
#[derive(Debug, Clone)]
pub struct CompiledBinding {
    /// RoleBinding or ClusterRoleBinding.
    pub kind: BindingKind,
    /// Namespace (`""` for ClusterRoleBindings).
    pub namespace: CompactString,
    /// Name.
    pub name: CompactString,
    /// The roleRef as written.
    pub role_ref: RoleRef,
    /// The resolved role, or why it does not resolve (the binding then grants nothing).
    pub role: Result<RoleId, RoleRefError>,
    /// Subjects as written.
    pub subjects: Vec<Subject>,
    /// Where the binding was read.
    pub origin: Origin,
}

impl CompiledBinding {
    /// The namespace a binding grants in, used for subject defaulting: the RoleBinding's
    /// namespace, `""` for ClusterRoleBindings.
    pub fn scope(&self) -> &str {
        match self.kind {
            BindingKind::RoleBinding => &self.namespace,
            BindingKind::ClusterRoleBinding => "",
        }
    }
}

/// The compiled, indexed access model.
#[derive(Debug, Clone, Default)]
pub struct AccessModel {
    /// All roles, in inventory order.
    pub roles: Vec<CompiledRole>,
    /// All bindings, in inventory order.
    pub bindings: Vec<CompiledBinding>,
    /// ClusterRoleBindings, in order.
    pub cluster_bindings: Vec<BindingId>,
    /// RoleBindings by namespace, in order.
    pub bindings_by_namespace: HashMap<CompactString, Vec<BindingId>>,
    cluster_roles: HashMap<CompactString, RoleId>,
    namespaced_roles: HashMap<CompactString, HashMap<CompactString, RoleId>>,
    /// username → the scopes ("" for ClusterRoleBindings) with a binding whose User or
    /// ServiceAccount subject has that username, by place, each with those bindings.
    user_scopes: SubjectIndex,
    /// group → the scopes with a binding whose Group subject names it, each with them.
    group_scopes: SubjectIndex,
    /// Every scope of the two indexes, sorted (`""` first): they name scopes by their place
    /// here, so sorting places sorts scopes.
    scope_names: Vec<String>,
    /// Each scope's place in `scope_names`.
    scope_place: HashMap<String, u32>,
    /// Known namespaces (Namespace objects and every namespace an object lives in), sorted.
    pub namespaces: Vec<String>,
    /// Known service accounts as (namespace, name), sorted.
    pub service_accounts: Vec<(String, String)>,
    /// The rules of every role, indexed by the resources and URLs they name.
    pub rule_index: RuleIndex,
    /// The rules of ClusterRoles, indexed likewise.
    pub cluster_rule_index: RuleIndex,
    /// The rules of the Roles of each namespace, indexed likewise.
    pub namespace_rule_index: HashMap<String, RuleIndex>,
    /// Every distinct binding subject, sorted: a [`SubjectId`] is a position here.
    pub subjects: Vec<SubjectKey>,
    /// Binding → the ids of its subjects (sorted, without duplicates).
    pub binding_subjects: Vec<Vec<SubjectId>>,
    /// Role → the bindings that reference it (resolved), in inventory order.
    pub bindings_by_role: Vec<Vec<BindingId>>,
    /// Bindings whose roleRef does not resolve, in inventory order.
    pub unresolved_bindings: Vec<BindingId>,
    /// Warnings from compiling (aggregation problems) and from the inventory.
    pub warnings: Vec<Diagnostic>,
    /// What the source could not read.
    pub missing: Vec<MissingData>,
}

/// A large model is not freed (see `Loaded`'s drop in the app): the process is about to end.
impl Drop for AccessModel {
    fn drop(&mut self) {
        if self.roles.len() + self.bindings.len() >= super::LEAK_FROM {
            std::mem::forget(std::mem::take(&mut self.roles));
            std::mem::forget(std::mem::take(&mut self.bindings));
            std::mem::forget(std::mem::take(&mut self.user_scopes));
            std::mem::forget(std::mem::take(&mut self.group_scopes));
            std::mem::forget(std::mem::take(&mut self.subjects));
            std::mem::forget(std::mem::take(&mut self.binding_subjects));
            std::mem::forget(std::mem::take(&mut self.bindings_by_namespace));
            std::mem::forget(std::mem::take(&mut self.namespaced_roles));
            std::mem::forget(std::mem::take(&mut self.scope_names));
            std::mem::forget(std::mem::take(&mut self.scope_place));
            std::mem::forget(std::mem::take(&mut self.namespaces));
            std::mem::forget(std::mem::take(&mut self.service_accounts));
            std::mem::forget(std::mem::take(&mut self.namespace_rule_index));
            std::mem::forget(std::mem::take(&mut self.bindings_by_role));
        }
    }
}

impl AccessModel {
    /// Compiles an inventory.
    pub fn build(inventory: &Inventory) -> AccessModel {
        AccessModel::build_from(
            inventory.roles.clone(),
            inventory.bindings.clone(),
            inventory,
        )
    }

    /// Compiles an inventory whose roles and bindings are handed over (moved into the model,
    /// not copied: in a large cluster they are most of its memory). `inventory` gives the
    /// rest (ServiceAccounts, Namespaces, warnings); its own roles and bindings are not read.
    pub fn build_from(
        mut roles: Vec<Role>,
        mut bindings: Vec<Binding>,
        inventory: &Inventory,
    ) -> AccessModel {
        let mut warnings = inventory.warnings.clone();
        let aggregated: Vec<bool> = roles.iter().map(|r| r.aggregation_rule.is_some()).collect();
        if inventory.aggregation == AggregationMode::Compute {
            for note in aggregation::aggregate(&mut roles) {
                warnings.push(Diagnostic {
                    origin: roles[note.role].origin.clone(),
                    message: note.message,
                });
            }
        }
        let mut m = AccessModel::default();
        m.warnings = warnings;
        m.missing = inventory.missing.clone();
        m.roles.reserve_exact(roles.len());
        for (role, aggregated) in roles.into_iter().zip(aggregated) {
            let id = m.roles.len();
            match role.kind {
                RoleKind::ClusterRole => {
                    m.cluster_roles
                        .entry(role.metadata.name.clone())
                        .or_insert(id);
                }
                RoleKind::Role => {
                    m.namespaced_roles
                        .entry(role.metadata.namespace.clone())
                        .or_default()
                        .entry(role.metadata.name.clone())
                        .or_insert(id);
                }
            }
            m.roles.push(CompiledRole {
                kind: role.kind,
                namespace: if role.kind == RoleKind::Role {
                    role.metadata.namespace
                } else {
                    CompactString::default()
                },
                name: role.metadata.name,
                rules: role.rules,
                aggregated,
                origin: role.origin,
            });
        }
        // Canonical order (ClusterRoleBindings, then RoleBindings by namespace and name), so
        // answers, reasons and listings do not depend on the order objects were read in. The
        // position breaks ties, so the unstable sort of borrowed keys keeps input order.
        let order: Vec<usize> = {
            let mut keyed: Vec<(bool, &str, &str, usize)> = bindings
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    (
                        b.kind != BindingKind::ClusterRoleBinding,
                        b.metadata.namespace.as_str(),
                        b.metadata.name.as_str(),
                        i,
                    )
                })
                .collect();
            // (Two halves sorted on two cores, then merged: keys are unique, so this is the
            // one sorted order.)
            let half = keyed.len() / 2;
            let (front, back) = keyed.split_at_mut(half);
            parallel::join(
                half >= 10_000,
                || front.sort_unstable(),
                || back.sort_unstable(),
            );
            let mut order = Vec::with_capacity(bindings.len());
            let (mut a, mut b) = (front.iter().peekable(), back.iter().peekable());
            while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
                let next = if x < y { a.next() } else { b.next() };
                order.extend(next.map(|k| k.3));
            }
            order.extend(a.chain(b).map(|k| k.3));
            order
        };
        m.bindings.reserve_exact(bindings.len());
        for i in order {
            // Each binding is taken apart where it lies (moving whole bindings would copy them).
            let b = &mut bindings[i];
            let id = m.bindings.len();
            let namespace = if b.kind == BindingKind::RoleBinding {
                std::mem::take(&mut b.metadata.namespace)
            } else {
                CompactString::default()
            };
            let role = m.resolve(&b.role_ref, b.kind, &namespace);
            match b.kind {
                BindingKind::ClusterRoleBinding => m.cluster_bindings.push(id),
                BindingKind::RoleBinding => {
                    if let Some(ids) = m.bindings_by_namespace.get_mut(&namespace) {
                        ids.push(id);
                    } else {
                        m.bindings_by_namespace.insert(namespace.clone(), vec![id]);
                    }
                }
            }
            m.bindings.push(CompiledBinding {
                kind: b.kind,
                namespace,
                name: std::mem::take(&mut b.metadata.name),
                role_ref: std::mem::take(&mut b.role_ref),
                role,
                subjects: std::mem::take(&mut b.subjects),
                origin: std::mem::take(&mut b.origin),
            });
        }
        // What is left of the bindings is empty shells: not worth freeing one by one.
        if bindings.len() >= super::LEAK_FROM {
            std::mem::forget(bindings);
        }
        // The subject and rule indexes, the subject list and the rest read the compiled
        // bindings and roles and write disjoint parts of the model: on a large model, on two
        // cores (the rule indexes beside the subject indexes, so that neither core waits long
        // for the other).
        let large = m.bindings.len() >= 10_000;
        let ((indexes, rule_indexes), ()) = parallel::join(
            large,
            || {
                let rule_index = RuleIndex::build(m.roles.iter().enumerate());
                let cluster_rule_index = RuleIndex::build(
                    m.roles
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.kind == RoleKind::ClusterRole),
                );
                let mut by_ns: HashMap<&str, Vec<RoleId>> = HashMap::default();
                for (id, r) in m.roles.iter().enumerate() {
                    if r.kind == RoleKind::Role {
                        by_ns.entry(r.namespace.as_str()).or_default().push(id);
                    }
                }
                let namespace_rule_index: HashMap<String, RuleIndex> = by_ns
                    .into_iter()
                    .map(|(ns, ids)| {
                        let index = RuleIndex::build(ids.into_iter().map(|id| (id, &m.roles[id])));
                        (ns.to_string(), index)
                    })
                    .collect();
                (
                    subject_indexes(&m.bindings),
                    (rule_index, cluster_rule_index, namespace_rule_index),
                )
            },
            || {
                (m.subjects, m.binding_subjects) = intern_subjects(&m.bindings);
                m.namespaces = known_namespaces(
                    inventory,
                    m.bindings_by_namespace
                        .keys()
                        .chain(m.namespaced_roles.keys()),
                );
                let mut sas: Vec<(&str, &str)> = inventory
                    .service_accounts
                    .iter()
                    .map(|s| (s.metadata.namespace.as_str(), s.metadata.name.as_str()))
                    .collect();
                sas.sort_unstable();
                sas.dedup();
                m.service_accounts = sas
                    .into_iter()
                    .map(|(ns, name)| (ns.to_string(), name.to_string()))
                    .collect();
                m.bindings_by_role = vec![Vec::new(); m.roles.len()];
                for (id, b) in m.bindings.iter().enumerate() {
                    match b.role {
                        Ok(role) => m.bindings_by_role[role].push(id),
                        Err(_) => m.unresolved_bindings.push(id),
                    }
                }
            },
        );
        (m.user_scopes, m.group_scopes, m.scope_names, m.scope_place) = indexes;
        (m.rule_index, m.cluster_rule_index, m.namespace_rule_index) = rule_indexes;
        m
    }

    fn resolve(
        &self,
        role_ref: &RoleRef,
        kind: BindingKind,
        namespace: &str,
    ) -> Result<RoleId, RoleRefError> {
        match role_ref.kind.as_str() {
            "ClusterRole" => self
                .cluster_roles
                .get(&role_ref.name)
                .copied()
                .ok_or_else(|| RoleRefError::NotFound {
                    resource: "clusterrole".into(),
                    name: role_ref.name.to_string(),
                }),
            // A ClusterRoleBinding looks a Role up in namespace "", where none can exist.
            "Role" => (kind == BindingKind::RoleBinding)
                .then(|| {
                    self.namespaced_roles
                        .get(namespace)
                        .and_then(|m| m.get(&role_ref.name))
                        .copied()
                })
                .flatten()
                .ok_or_else(|| RoleRefError::NotFound {
                    resource: "role".into(),
                    name: role_ref.name.to_string(),
                }),
            other => Err(RoleRefError::UnsupportedKind(other.to_string())),
        }
    }

    /// The ids of every ClusterRole, in inventory order (a hash map's order would differ from
    /// run to run, and so would anything printed in it).
    pub fn cluster_role_ids(&self) -> Vec<RoleId> {
        let mut ids: Vec<RoleId> = self.cluster_roles.values().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// The ids of the Roles of a namespace, in inventory order.
    pub fn namespace_role_ids(&self, namespace: &str) -> Vec<RoleId> {
        let mut ids: Vec<RoleId> = self
            .namespaced_roles
            .get(namespace)
            .into_iter()
            .flat_map(|m| m.values().copied())
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The ClusterRole with this name.
    pub fn cluster_role(&self, name: &str) -> Option<RoleId> {
        self.cluster_roles.get(name).copied()
    }

    /// The Role with this namespace and name.
    pub fn role(&self, namespace: &str, name: &str) -> Option<RoleId> {
        self.namespaced_roles
            .get(namespace)
            .and_then(|m| m.get(name))
            .copied()
    }

    /// Bindings in `scope` (`""`: ClusterRoleBindings; else RoleBindings of that namespace)
    /// with a subject that could apply to a user with this name or these groups, without
    /// duplicates, ClusterRoleBindings first, each list in inventory order.
    pub fn candidate_bindings(
        &self,
        scope: &str,
        user: &str,
        groups: &[String],
        out: &mut Vec<BindingId>,
    ) {
        let start = out.len();
        let Some(&at) = self.scope_place.get(scope) else {
            return;
        };
        // A name's scopes are sorted by place: the scope's bindings by binary search.
        fn in_scope(scopes: Option<&Vec<(u32, Vec<BindingId>)>>, at: u32) -> Option<&[BindingId]> {
            let scopes = scopes?;
            let i = scopes.binary_search_by_key(&at, |(p, _)| *p).ok()?;
            Some(scopes[i].1.as_slice())
        }
        if let Some(ids) = in_scope(self.user_scopes.get(user), at) {
            out.extend_from_slice(ids);
        }
        for g in groups {
            if let Some(ids) = in_scope(self.group_scopes.get(g), at) {
                out.extend_from_slice(ids);
            }
        }
        let tail = &mut out[start..];
        tail.sort_unstable();
        let mut keep = start;
        for i in start..out.len() {
            if i == start || out[i] != out[keep - 1] {
                out[keep] = out[i];
                keep += 1;
            }
        }
        out.truncate(keep);
    }

    /// The index entries of this user and these groups: (scope place, bindings).
    fn named_in<'m>(
        &'m self,
        user: &str,
        groups: &'m [String],
    ) -> impl Iterator<Item = &'m (u32, Vec<BindingId>)> {
        let of = |index: &'m SubjectIndex, name: &str| index.get(name).into_iter().flatten();
        of(&self.user_scopes, user)
            .chain(groups.iter().flat_map(move |g| of(&self.group_scopes, g)))
    }

    /// Every scope (`""` and namespaces) in which some binding names this user or a group:
    /// sorted (`""` first), each once, borrowed from the model.
    pub fn scopes_for(&self, user: &str, groups: &[String]) -> Vec<&str> {
        let mut places: Vec<u32> = self.named_in(user, groups).map(|(p, _)| *p).collect();
        places.sort_unstable();
        places.dedup();
        places
            .into_iter()
            .map(|p| self.scope_names[p as usize].as_str())
            .collect()
    }

    /// What [`AccessModel::scopes_for`] and [`AccessModel::candidate_bindings`] give scope by
    /// scope, at once: every binding with a subject that could apply to this user or these
    /// groups, as (scope, binding), sorted by scope (`""` first) and in each scope by binding,
    /// each once.
    pub fn subject_bindings(&self, user: &str, groups: &[String]) -> Vec<(&str, BindingId)> {
        let mut found: Vec<(u32, BindingId)> = self
            .named_in(user, groups)
            .flat_map(|(p, ids)| ids.iter().map(move |&b| (*p, b)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|(p, b)| (self.scope_names[p as usize].as_str(), b))
            .collect()
    }

    /// True when every object kind the command needed was read.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// Whether the data that could matter to a request in `namespace` was read: `Some("")`
    /// for a request without a namespace (only ClusterRoleBindings grant it, so missing Roles
    /// and RoleBindings cannot change the answer), `Some(NS)` for one namespace (only its
    /// Roles and RoleBindings matter), `None` for every namespace (all do). Missing
    /// ClusterRoles and ClusterRoleBindings always matter.
    pub fn is_complete_in(&self, namespace: Option<&str>) -> bool {
        !self.missing.iter().any(|m| match m.kind.as_str() {
            "Role" | "RoleBinding" => match namespace {
                Some("") => false,
                Some(ns) => m.namespace.as_deref().is_none_or(|missing| missing == ns),
                None => true,
            },
            _ => true,
        })
    }
}

/// name → the scopes that bind it, by their place among the sorted scope names (ascending),
/// each with the bindings there.
type SubjectIndex = HashMap<String, Vec<(u32, Vec<BindingId>)>>;

/// The subject indexes of [`AccessModel`]: by user and by group (name → scopes and bindings),
/// the sorted scope names they refer to, and each scope's place.
fn subject_indexes(
    bindings: &[CompiledBinding],
) -> (
    SubjectIndex,
    SubjectIndex,
    Vec<String>,
    HashMap<String, u32>,
) {
    // The name a subject is indexed by in a binding of `scope`, and whether it is a group.
    fn indexed<'s>(s: &'s Subject, scope: &'s str) -> Option<(Cow<'s, str>, bool)> {
        match s.kind.as_str() {
            "User" => Some((Cow::Borrowed(s.name.as_str()), false)),
            "Group" => Some((Cow::Borrowed(s.name.as_str()), true)),
            "ServiceAccount" => {
                let ns = if s.namespace.is_empty() {
                    scope
                } else {
                    s.namespace.as_str()
                };
                (!ns.is_empty()).then(|| (Cow::Owned(service_account_username(ns, &s.name)), false))
            }
            _ => None,
        }
    }
    // The scopes that index a subject, sorted (the bindings come by scope: neighbours are
    // mostly the same scope), and each one's place.
    let mut scopes: Vec<&str> = Vec::new();
    for b in bindings {
        let scope = b.scope();
        if scopes.last() != Some(&scope) && b.subjects.iter().any(|s| indexed(s, scope).is_some()) {
            scopes.push(scope);
        }
    }
    scopes.sort_unstable();
    scopes.dedup();
    let place: HashMap<&str, u32> = scopes
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as u32))
        .collect();
    let mut by_user = SubjectIndex::default();
    let mut by_group = SubjectIndex::default();
    let mut last: Option<(&str, u32)> = None;
    for (id, b) in bindings.iter().enumerate() {
        let scope = b.scope();
        for s in &b.subjects {
            let Some((name, group)) = indexed(s, scope) else {
                continue;
            };
            let at = match last {
                Some((was, at)) if was == scope => at,
                _ => {
                    let at = place[scope];
                    last = Some((scope, at));
                    at
                }
            };
            let index = if group { &mut by_group } else { &mut by_user };
            // Looked up before inserting: most names are there already, and an owned key for
            // each lookup would be an allocation per subject.
            if !index.contains_key(name.as_ref()) {
                index.insert(name.to_string(), Vec::new());
            }
            let in_scopes = index.get_mut(name.as_ref()).expect("inserted above");
            match in_scopes.last_mut() {
                Some((p, ids)) if *p == at => {
                    if ids.last() != Some(&id) {
                        ids.push(id);
                    }
                }
                _ => in_scopes.push((at, vec![id])),
            }
        }
    }
    // Bindings in canonical order come scope by scope, so each name's scopes are in order
    // already; in any other order, a scope's runs are put together (their bindings stay
    // ascending: runs come in binding order).
    for in_scopes in by_user.values_mut().chain(by_group.values_mut()) {
        if !in_scopes.is_sorted_by(|a, b| a.0 < b.0) {
            in_scopes.sort_by_key(|(p, _)| *p);
            let mut merged: Vec<(u32, Vec<BindingId>)> = Vec::with_capacity(in_scopes.len());
            for (p, ids) in in_scopes.drain(..) {
                match merged.last_mut() {
                    Some((q, into)) if *q == p => into.extend(ids),
                    _ => merged.push((p, ids)),
                }
            }
            *in_scopes = merged;
        }
    }
    let scope_names: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    let place = place.into_iter().map(|(s, p)| (s.to_string(), p)).collect();
    (by_user, by_group, scope_names, place)
}

/// Every distinct binding subject, sorted, and each binding's subjects as ids into it (sorted,
/// without duplicates). Borrowed keys are hashed once, each to a provisional id in order of
/// appearance; only the distinct keys are sorted (in `SubjectKey`'s order, which the subject
/// list is searched by), then the provisional ids are renumbered.
fn intern_subjects(bindings: &[CompiledBinding]) -> (Vec<SubjectKey>, Vec<Vec<SubjectId>>) {
    fn key_of<'b>(b: &'b CompiledBinding, s: &'b Subject) -> (&'b str, &'b str, &'b str) {
        let namespace = if s.kind == "ServiceAccount" && s.namespace.is_empty() {
            b.scope()
        } else {
            s.namespace.as_str()
        };
        (s.kind.as_str(), namespace, s.name.as_str())
    }
    let mut unique: HashMap<(&str, &str, &str), SubjectId> = HashMap::default();
    let mut provisional: Vec<Vec<SubjectId>> = Vec::with_capacity(bindings.len());
    for b in bindings {
        provisional.push(
            b.subjects
                .iter()
                .map(|s| {
                    let next = unique.len();
                    *unique.entry(key_of(b, s)).or_insert(next)
                })
                .collect(),
        );
    }
    let mut sorted: Vec<((&str, &str, &str), SubjectId)> = unique.into_iter().collect();
    sorted.sort_unstable();
    let mut rank = vec![0; sorted.len()];
    for (id, (_, first)) in sorted.iter().enumerate() {
        rank[*first] = id;
    }
    for ids in &mut provisional {
        for id in ids.iter_mut() {
            *id = rank[*id];
        }
        ids.sort_unstable();
        ids.dedup();
    }
    let subjects = sorted
        .into_iter()
        .map(|((kind, namespace, name), _)| SubjectKey {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
        .collect();
    (subjects, provisional)
}

/// Known namespaces, sorted: the Namespace objects and every namespace an object lives in.
fn known_namespaces<'a>(
    inventory: &'a Inventory,
    more: impl Iterator<Item = &'a CompactString>,
) -> Vec<String> {
    // Sorted and deduplicated as borrowed names: every ServiceAccount names its namespace.
    let mut namespaces: Vec<&str> = inventory
        .namespaces
        .iter()
        .map(|n| n.metadata.name.as_str())
        .chain(more.map(CompactString::as_str))
        .chain(
            inventory
                .service_accounts
                .iter()
                .map(|s| s.metadata.namespace.as_str()),
        )
        .filter(|n| !n.is_empty())
        .collect();
    namespaces.sort_unstable();
    namespaces.dedup();
    namespaces.into_iter().map(str::to_string).collect()
}
