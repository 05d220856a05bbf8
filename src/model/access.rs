//! The compiled access model: roles resolved (aggregation computed for manifests), bindings
//! resolved to their roles and indexed by subject, built once per run and shared by every
//! query.

/// The model's maps: keyed by names from the input, hashed fast with a per-process random key.
pub type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

use serde::{Deserialize, Serialize};

use super::aggregation;
use super::inventory::{AggregationMode, Diagnostic, Inventory, MissingData};
use super::objects::{Binding, BindingKind, Origin, PolicyRule, Role, RoleKind, RoleRef, Subject};
use super::rule_index::RuleIndex;

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
    pub namespace: String,
    /// Name.
    pub name: String,
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
    pub namespace: String,
    /// Name.
    pub name: String,
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
    pub bindings_by_namespace: HashMap<String, Vec<BindingId>>,
    cluster_roles: HashMap<String, RoleId>,
    namespaced_roles: HashMap<String, HashMap<String, RoleId>>,
    /// scope ("" for ClusterRoleBindings) → username → bindings with a User or
    /// ServiceAccount subject for that username.
    by_user: HashMap<String, HashMap<String, Vec<BindingId>>>,
    /// scope → group → bindings with that Group subject.
    by_group: HashMap<String, HashMap<String, Vec<BindingId>>>,
    /// username → the scopes of `by_user` that name it (the reverse index, for scopes_for).
    user_scopes: HashMap<String, Vec<String>>,
    /// group → the scopes of `by_group` that name it.
    group_scopes: HashMap<String, Vec<String>>,
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
        const LEAK_FROM: usize = 50_000;
        if self.roles.len() + self.bindings.len() >= LEAK_FROM {
            std::mem::forget(std::mem::take(&mut self.roles));
            std::mem::forget(std::mem::take(&mut self.bindings));
            std::mem::forget(std::mem::take(&mut self.by_user));
            std::mem::forget(std::mem::take(&mut self.by_group));
            std::mem::forget(std::mem::take(&mut self.subjects));
            std::mem::forget(std::mem::take(&mut self.binding_subjects));
            std::mem::forget(std::mem::take(&mut self.bindings_by_namespace));
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
                    String::new()
                },
                name: role.metadata.name,
                rules: role.rules,
                aggregated,
                origin: role.origin,
            });
        }
        // Canonical order (ClusterRoleBindings, then RoleBindings by namespace and name), so
        // answers, reasons and listings do not depend on the order objects were read in.
        let mut order: Vec<usize> = (0..bindings.len()).collect();
        fn key(b: &Binding) -> (bool, &str, &str) {
            (
                b.kind != BindingKind::ClusterRoleBinding,
                b.metadata.namespace.as_str(),
                b.metadata.name.as_str(),
            )
        }
        order.sort_by(|&a, &b| key(&bindings[a]).cmp(&key(&bindings[b])));
        m.bindings.reserve_exact(bindings.len());
        for i in order {
            // Each binding is taken apart where it lies (moving whole bindings would copy them).
            let b = &mut bindings[i];
            let id = m.bindings.len();
            let namespace = if b.kind == BindingKind::RoleBinding {
                std::mem::take(&mut b.metadata.namespace)
            } else {
                String::new()
            };
            let role = m.resolve(&b.role_ref, b.kind, &namespace);
            let compiled = CompiledBinding {
                kind: b.kind,
                namespace,
                name: std::mem::take(&mut b.metadata.name),
                role_ref: std::mem::take(&mut b.role_ref),
                role,
                subjects: std::mem::take(&mut b.subjects),
                origin: std::mem::take(&mut b.origin),
            };
            match b.kind {
                BindingKind::ClusterRoleBinding => m.cluster_bindings.push(id),
                BindingKind::RoleBinding => {
                    if let Some(ids) = m.bindings_by_namespace.get_mut(&compiled.namespace) {
                        ids.push(id);
                    } else {
                        m.bindings_by_namespace
                            .insert(compiled.namespace.clone(), vec![id]);
                    }
                }
            }
            let scope = compiled.scope();
            for s in &compiled.subjects {
                match s.kind.as_str() {
                    "User" => push_index(&mut m.by_user, scope, &s.name, id),
                    "Group" => push_index(&mut m.by_group, scope, &s.name, id),
                    "ServiceAccount" => {
                        let ns = if s.namespace.is_empty() {
                            scope
                        } else {
                            s.namespace.as_str()
                        };
                        if !ns.is_empty() {
                            push_index(
                                &mut m.by_user,
                                scope,
                                &service_account_username(ns, &s.name),
                                id,
                            );
                        }
                    }
                    _ => {}
                }
            }
            m.bindings.push(compiled);
        }
        // What is left of the bindings is empty shells: not worth freeing one by one.
        if bindings.len() >= 50_000 {
            std::mem::forget(bindings);
        }
        let mut namespaces: Vec<String> = inventory
            .namespaces
            .iter()
            .map(|n| n.metadata.name.clone())
            .collect();
        namespaces.extend(m.bindings_by_namespace.keys().cloned());
        namespaces.extend(m.namespaced_roles.keys().cloned());
        namespaces.extend(
            inventory
                .service_accounts
                .iter()
                .map(|s| s.metadata.namespace.clone()),
        );
        namespaces.retain(|n| !n.is_empty());
        namespaces.sort();
        namespaces.dedup();
        m.namespaces = namespaces;
        let mut sas: Vec<(String, String)> = inventory
            .service_accounts
            .iter()
            .map(|s| (s.metadata.namespace.clone(), s.metadata.name.clone()))
            .collect();
        sas.sort();
        sas.dedup();
        m.service_accounts = sas;
        m.rule_index = RuleIndex::build(m.roles.iter().enumerate());
        m.cluster_rule_index = RuleIndex::build(
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
        m.namespace_rule_index = by_ns
            .into_iter()
            .map(|(ns, ids)| {
                let index = RuleIndex::build(ids.into_iter().map(|id| (id, &m.roles[id])));
                (ns.to_string(), index)
            })
            .collect();
        for (index, reverse) in [
            (&m.by_user, &mut m.user_scopes),
            (&m.by_group, &mut m.group_scopes),
        ] {
            for (scope, names) in index {
                for name in names.keys() {
                    reverse.entry(name.clone()).or_default().push(scope.clone());
                }
            }
        }
        m.intern_subjects();
        m.bindings_by_role = vec![Vec::new(); m.roles.len()];
        for (id, b) in m.bindings.iter().enumerate() {
            match b.role {
                Ok(role) => m.bindings_by_role[role].push(id),
                Err(_) => m.unresolved_bindings.push(id),
            }
        }
        m
    }

    /// Fills [`Self::subjects`] and [`Self::binding_subjects`].
    fn intern_subjects(&mut self) {
        // Borrowed keys, hashed once; only the distinct ones are sorted (they keep
        // `SubjectKey`'s order, which the subject list is searched by).
        fn key_of<'b>(b: &'b CompiledBinding, s: &'b Subject) -> (&'b str, &'b str, &'b str) {
            let namespace = if s.kind == "ServiceAccount" && s.namespace.is_empty() {
                b.scope()
            } else {
                s.namespace.as_str()
            };
            (s.kind.as_str(), namespace, s.name.as_str())
        }
        let mut unique: HashMap<(&str, &str, &str), SubjectId> = HashMap::default();
        for b in &self.bindings {
            for s in &b.subjects {
                unique.entry(key_of(b, s)).or_insert(0);
            }
        }
        let mut sorted: Vec<(&str, &str, &str)> = unique.keys().copied().collect();
        sorted.sort_unstable();
        for (id, key) in sorted.iter().enumerate() {
            unique.insert(*key, id);
        }
        let binding_subjects: Vec<Vec<SubjectId>> = self
            .bindings
            .iter()
            .map(|b| {
                let mut ids: Vec<SubjectId> =
                    b.subjects.iter().map(|s| unique[&key_of(b, s)]).collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect();
        let subjects: Vec<SubjectKey> = sorted
            .iter()
            .map(|&(kind, namespace, name)| SubjectKey {
                kind: kind.to_string(),
                namespace: namespace.to_string(),
                name: name.to_string(),
            })
            .collect();
        self.binding_subjects = binding_subjects;
        self.subjects = subjects;
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
                    name: role_ref.name.clone(),
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
                    name: role_ref.name.clone(),
                }),
            other => Err(RoleRefError::UnsupportedKind(other.to_string())),
        }
    }

    /// The ids of every ClusterRole.
    pub fn cluster_role_ids(&self) -> impl Iterator<Item = RoleId> + '_ {
        self.cluster_roles.values().copied()
    }

    /// The ids of the Roles of a namespace.
    pub fn namespace_role_ids(&self, namespace: &str) -> impl Iterator<Item = RoleId> + '_ {
        self.namespaced_roles
            .get(namespace)
            .into_iter()
            .flat_map(|m| m.values().copied())
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
        if let Some(ids) = self.by_user.get(scope).and_then(|m| m.get(user)) {
            out.extend_from_slice(ids);
        }
        if let Some(by_group) = self.by_group.get(scope) {
            for g in groups {
                if let Some(ids) = by_group.get(g) {
                    out.extend_from_slice(ids);
                }
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

    /// Every scope (`""` and namespaces) in which some binding names this user or a group.
    pub fn scopes_for(&self, user: &str, groups: &[String]) -> Vec<String> {
        let mut scopes: Vec<String> = self
            .user_scopes
            .get(user)
            .into_iter()
            .flatten()
            .chain(
                groups
                    .iter()
                    .flat_map(|g| self.group_scopes.get(g).into_iter().flatten()),
            )
            .cloned()
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
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

fn push_index(
    index: &mut HashMap<String, HashMap<String, Vec<BindingId>>>,
    scope: &str,
    key: &str,
    id: BindingId,
) {
    // Looked up before inserting: most scopes and names are there already, and an owned
    // key for each lookup would be an allocation per subject.
    if !index.contains_key(scope) {
        index.insert(scope.to_string(), HashMap::default());
    }
    let names = index.get_mut(scope).expect("inserted above");
    if !names.contains_key(key) {
        names.insert(key.to_string(), Vec::new());
    }
    let ids = names.get_mut(key).expect("inserted above");
    if ids.last() != Some(&id) {
        ids.push(id);
    }
}
