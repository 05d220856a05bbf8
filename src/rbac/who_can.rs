//! The reverse question: which subjects are allowed a request (RBAC's SubjectLocator).
//!
//! Uses the same rule matching as [`AccessModel::authorize`], so can-i and who-can cannot
//! disagree: a subject is listed iff can-i says yes for an identity that subject describes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::attributes::Attributes;
use super::authorize::{ObjectRef, SYSTEM_MASTERS};
use super::rule::rule_allows;
use crate::model::access::{AccessModel, BindingId, RoleId};
use crate::model::{BindingKind, Subject};

/// One path by which a subject is allowed: binding → role → rule index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Via {
    /// The binding.
    pub binding: ObjectRef,
    /// The role it references.
    pub role: ObjectRef,
    /// The index of the first rule of the role that allows the request.
    pub rule: usize,
}

/// A subject allowed the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AllowedSubject {
    /// `User`, `Group` or `ServiceAccount` (or another kind, as written).
    pub kind: String,
    /// The subject name.
    pub name: String,
    /// The namespace of a ServiceAccount (defaulted to its RoleBinding's namespace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// With all namespaces: where it is allowed — `["*"]` when cluster-wide, else namespaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Vec<String>>,
    /// True for `Group system:masters`, allowed by the API server itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub builtin: bool,
    /// Every binding → role → rule path that allows it.
    pub via: Vec<Via>,
}

/// The answer to a who-can question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhoCan {
    /// The subjects allowed, `Group system:masters` first, then in binding order.
    pub subjects: Vec<AllowedSubject>,
    /// Bindings that could not be resolved (they grant nothing), worded as the API server does.
    pub errors: Vec<String>,
}

/// Memoised "which rule of this role allows the request" (rules carry no namespace, so the
/// answer is the same for every binding of the role).
struct RoleMatcher<'a> {
    model: &'a AccessModel,
    attrs: &'a Attributes,
    memo: Vec<Option<Option<usize>>>,
}

impl<'a> RoleMatcher<'a> {
    fn new(model: &'a AccessModel, attrs: &'a Attributes) -> Self {
        RoleMatcher {
            model,
            attrs,
            memo: vec![None; model.roles.len()],
        }
    }

    fn allowing_rule(&mut self, role: RoleId) -> Option<usize> {
        if let Some(m) = self.memo[role] {
            return m;
        }
        let found = self.model.roles[role]
            .rules
            .iter()
            .position(|r| rule_allows(self.attrs, r));
        self.memo[role] = Some(found);
        found
    }
}

impl AccessModel {
    /// Upstream's `AllowedSubjects`, verbatim: `Group system:masters`, then every subject of
    /// every ClusterRoleBinding (and RoleBinding of the request's namespace) whose role allows
    /// the request, as written, duplicates kept. Also returns resolution errors.
    pub fn allowed_subjects_raw(&self, attrs: &Attributes) -> (Vec<Subject>, Vec<String>) {
        let mut out = vec![Subject {
            kind: "Group".into(),
            api_group: "rbac.authorization.k8s.io".into(),
            name: SYSTEM_MASTERS.into(),
            namespace: String::new(),
        }];
        let mut errors = Vec::new();
        let mut matcher = RoleMatcher::new(self, attrs);
        for id in self.bindings_in_scope(attrs.namespace()) {
            let b = &self.bindings[id];
            match &b.role {
                Ok(role) => {
                    if matcher.allowing_rule(*role).is_some() {
                        out.extend(b.subjects.iter().cloned());
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        (out, errors)
    }

    fn bindings_in_scope(&self, namespace: &str) -> impl Iterator<Item = BindingId> + '_ {
        let rbs = if namespace.is_empty() {
            None
        } else {
            self.bindings_by_namespace.get(namespace)
        };
        self.cluster_bindings
            .iter()
            .copied()
            .chain(rbs.into_iter().flatten().copied())
    }

    /// Who may make this request (in the request's namespace, or at cluster scope when it
    /// has none): subjects unique by kind, namespace and name, a ServiceAccount without a
    /// namespace taking its RoleBinding's, each with every path that allows it.
    pub fn who_can(&self, attrs: &Attributes) -> WhoCan {
        let mut matcher = RoleMatcher::new(self, attrs);
        let mut acc = Accumulator::default();
        let mut errors = Vec::new();
        for id in self.bindings_in_scope(attrs.namespace()) {
            self.visit_binding(id, &mut matcher, &mut acc, &mut errors);
        }
        WhoCan {
            subjects: acc.finish(false),
            errors,
        }
    }

    /// Who may make this request in at least one namespace (the request's namespace is
    /// ignored): each subject with `namespaces` = `["*"]` when a ClusterRoleBinding allows it,
    /// else the namespaces whose RoleBindings allow it.
    pub fn who_can_all_namespaces(&self, attrs: &Attributes) -> WhoCan {
        let mut matcher = RoleMatcher::new(self, attrs);
        let mut acc = Accumulator::default();
        let mut errors = Vec::new();
        for id in 0..self.bindings.len() {
            self.visit_binding(id, &mut matcher, &mut acc, &mut errors);
        }
        WhoCan {
            subjects: acc.finish(true),
            errors,
        }
    }

    fn visit_binding(
        &self,
        id: BindingId,
        matcher: &mut RoleMatcher,
        acc: &mut Accumulator,
        errors: &mut Vec<String>,
    ) {
        let b = &self.bindings[id];
        let role = match &b.role {
            Ok(r) => *r,
            Err(e) => {
                errors.push(format!("{}: {e}", self.binding_ref(id).path()));
                return;
            }
        };
        let Some(rule) = matcher.allowing_rule(role) else {
            return;
        };
        let via = Via {
            binding: self.binding_ref(id),
            role: self.role_ref_of(role),
            rule,
        };
        let where_ = if b.kind == BindingKind::ClusterRoleBinding {
            "*".to_string()
        } else {
            b.namespace.clone()
        };
        for s in &b.subjects {
            let namespace = match s.kind.as_str() {
                "ServiceAccount" if s.namespace.is_empty() => b.scope().to_string(),
                _ => s.namespace.clone(),
            };
            acc.add(
                (s.kind.clone(), namespace, s.name.clone()),
                via.clone(),
                where_.clone(),
            );
        }
    }
}

/// A subject's identity: (kind, namespace, name).
type SubjectKey = (String, String, String);

#[derive(Default)]
struct Accumulator {
    order: Vec<SubjectKey>,
    /// Paths and places (`*` or namespaces) per subject.
    entries: BTreeMap<SubjectKey, (Vec<Via>, BTreeSet<String>)>,
}

impl Accumulator {
    fn add(&mut self, key: (String, String, String), via: Via, where_: String) {
        let e = self.entries.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            (Vec::new(), BTreeSet::new())
        });
        if !e.0.contains(&via) {
            e.0.push(via);
        }
        e.1.insert(where_);
    }

    fn finish(mut self, with_namespaces: bool) -> Vec<AllowedSubject> {
        let masters = (
            "Group".to_string(),
            String::new(),
            SYSTEM_MASTERS.to_string(),
        );
        let mut out = Vec::with_capacity(self.order.len() + 1);
        let (masters_via, _) = self.entries.remove(&masters).unwrap_or_default();
        out.push(AllowedSubject {
            kind: masters.0.clone(),
            name: masters.2.clone(),
            namespace: None,
            namespaces: with_namespaces.then(|| vec!["*".to_string()]),
            builtin: true,
            via: masters_via,
        });
        for key in self.order {
            let Some((via, wheres)) = self.entries.remove(&key) else {
                continue;
            };
            let namespaces = with_namespaces.then(|| {
                if wheres.contains("*") {
                    vec!["*".to_string()]
                } else {
                    wheres.into_iter().collect()
                }
            });
            out.push(AllowedSubject {
                kind: key.0,
                namespace: (!key.1.is_empty()).then_some(key.1),
                name: key.2,
                namespaces,
                builtin: false,
                via,
            });
        }
        out
    }
}
