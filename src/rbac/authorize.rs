//! The authorization decision, as the API server's chain makes it for RBAC: the
//! privileged-group authorizer (`system:masters`) first, then RBAC (ClusterRoleBindings,
//! then RoleBindings of the request's namespace), with the path behind every answer.

use serde::{Deserialize, Serialize};

use super::attributes::{Attributes, UserInfo};
use super::rule::{mismatches, rule_allows, Mismatch};
use crate::model::access::{AccessModel, BindingId, CompiledBinding};
use crate::model::{BindingKind, PolicyRule, Subject};

/// The group the API server always allows, before any authorizer.
pub const SYSTEM_MASTERS: &str = "system:masters";

/// A reference to a Kubernetes object, for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The kind, e.g. `ClusterRoleBinding`.
    pub kind: String,
    /// The name.
    pub name: String,
    /// The namespace, for namespaced objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl ObjectRef {
    /// `Kind/name` or `Kind/namespace/name`.
    pub fn path(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}/{}/{}", self.kind, ns, self.name),
            None => format!("{}/{}", self.kind, self.name),
        }
    }
}

/// One path that allows the request: binding → role → rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    /// The binding.
    pub binding: ObjectRef,
    /// The role it references.
    pub role: ObjectRef,
    /// The index of the rule in the role's (effective) rules.
    pub rule_index: usize,
    /// The rule.
    pub rule: PolicyRule,
    /// The binding subject that applies to the identity.
    pub subject: Subject,
}

/// A rule that would allow the request but for one thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearMiss {
    /// The binding.
    pub binding: ObjectRef,
    /// The role it references.
    pub role: ObjectRef,
    /// The index of the rule.
    pub rule_index: usize,
    /// The rule.
    pub rule: PolicyRule,
    /// The binding subject that applies to the identity.
    pub subject: Subject,
    /// What does not match.
    pub mismatch: Mismatch,
}

/// The decision for one request, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// True when the request is allowed.
    pub allowed: bool,
    /// True when allowed because the identity is in `system:masters`.
    pub privileged_group: bool,
    /// The grants found (the first one only unless all were asked for).
    pub grants: Vec<Grant>,
    /// For a denial, when asked: rules that would allow but for one field.
    pub near_misses: Vec<NearMiss>,
    /// Roles that applicable bindings reference but that cannot be resolved.
    pub errors: Vec<String>,
}

impl Decision {
    /// The `status.reason` the API server gives for this decision.
    pub fn reason(&self) -> String {
        if self.privileged_group {
            return String::new();
        }
        if let Some(g) = self.grants.first() {
            return format!("RBAC: allowed by {}", describe_grant(g));
        }
        match self.errors.len() {
            0 => String::new(),
            1 => format!("RBAC: {}", self.errors[0]),
            _ => format!("RBAC: [{}]", self.errors.join(", ")),
        }
    }
}

/// `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`, as rbac.go words it.
pub fn describe_grant(g: &Grant) -> String {
    let binding = match &g.binding.namespace {
        Some(ns) => format!("{}/{}", g.binding.name, ns),
        None => g.binding.name.clone(),
    };
    let subject = if g.subject.kind == "ServiceAccount" {
        let ns = if g.subject.namespace.is_empty() {
            g.binding.namespace.as_deref().unwrap_or_default()
        } else {
            g.subject.namespace.as_str()
        };
        format!(
            "{} {:?}",
            g.subject.kind,
            format!("{}/{}", g.subject.name, ns)
        )
    } else {
        format!("{} {:?}", g.subject.kind, g.subject.name)
    };
    format!(
        "{} {:?} of {} {:?} to {}",
        g.binding.kind, binding, g.role.kind, g.role.name, subject
    )
}

/// How much explanation to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Explain {
    /// Collect every grant, not just the first.
    pub all_grants: bool,
    /// On a denial, collect near misses.
    pub near_misses: bool,
}

/// Whether a binding subject applies to the user, given the binding's scope namespace
/// (`""` for ClusterRoleBindings).
pub fn subject_applies(subject: &Subject, user: &UserInfo, scope: &str) -> bool {
    match subject.kind.as_str() {
        "User" => user.name == subject.name,
        "Group" => user.groups.iter().any(|g| *g == subject.name),
        "ServiceAccount" => {
            let ns = if subject.namespace.is_empty() {
                scope
            } else {
                subject.namespace.as_str()
            };
            !ns.is_empty() && is_service_account_username(&user.name, ns, &subject.name)
        }
        _ => false,
    }
}

fn is_service_account_username(username: &str, namespace: &str, name: &str) -> bool {
    username
        .strip_prefix("system:serviceaccount:")
        .and_then(|rest| rest.strip_prefix(namespace))
        .and_then(|rest| rest.strip_prefix(':'))
        == Some(name)
}

fn binding_ref(b: &CompiledBinding) -> ObjectRef {
    ObjectRef {
        kind: b.kind.as_str().to_string(),
        name: b.name.to_string(),
        namespace: (b.kind == BindingKind::RoleBinding).then(|| b.namespace.to_string()),
    }
}

impl AccessModel {
    /// A reference to the role a binding resolves to.
    pub fn role_ref_of(&self, id: usize) -> ObjectRef {
        let r = &self.roles[id];
        ObjectRef {
            kind: r.kind.as_str().to_string(),
            name: r.name.to_string(),
            namespace: (!r.namespace.is_empty()).then(|| r.namespace.to_string()),
        }
    }

    /// A reference to a binding.
    pub fn binding_ref(&self, id: BindingId) -> ObjectRef {
        binding_ref(&self.bindings[id])
    }

    /// Decides a request for an identity used exactly as given (SubjectAccessReview
    /// semantics: no group is added).
    pub fn authorize(&self, user: &UserInfo, attrs: &Attributes, explain: Explain) -> Decision {
        let privileged = user.groups.iter().any(|g| g == SYSTEM_MASTERS);
        let mut decision = Decision {
            allowed: privileged,
            privileged_group: privileged,
            grants: Vec::new(),
            near_misses: Vec::new(),
            errors: Vec::new(),
        };
        let namespace = attrs.namespace();
        let mut candidates = Vec::new();
        self.candidate_bindings("", &user.name, &user.groups, &mut candidates);
        if !namespace.is_empty() {
            self.candidate_bindings(namespace, &user.name, &user.groups, &mut candidates);
        }
        'bindings: for id in candidates {
            let b = &self.bindings[id];
            let Some(subject) = b
                .subjects
                .iter()
                .find(|s| subject_applies(s, user, b.scope()))
            else {
                continue;
            };
            let role_id = match &b.role {
                Ok(r) => *r,
                Err(e) => {
                    decision.errors.push(e.to_string());
                    continue;
                }
            };
            for (i, rule) in self.roles[role_id].rules.iter().enumerate() {
                if rule_allows(attrs, rule) {
                    decision.allowed = true;
                    decision.grants.push(Grant {
                        binding: binding_ref(b),
                        role: self.role_ref_of(role_id),
                        rule_index: i,
                        rule: rule.clone(),
                        subject: subject.clone(),
                    });
                    if !explain.all_grants {
                        break 'bindings;
                    }
                }
            }
        }
        if !decision.allowed && explain.near_misses {
            decision.near_misses = self.near_misses(user, attrs);
        }
        decision
    }

    /// Rules bound to the identity anywhere that miss the request in exactly one way
    /// (including: the right rule, bound in another namespace or only in a namespace).
    pub fn near_misses(&self, user: &UserInfo, attrs: &Attributes) -> Vec<NearMiss> {
        const LIMIT: usize = 20;
        let mut out = Vec::new();
        let mut candidates: Vec<BindingId> = self
            .subject_bindings(&user.name, &user.groups)
            .into_iter()
            .map(|(_, b)| b)
            .collect();
        // Bindings of the request's own namespace first: they are the likeliest fix.
        let own = attrs.namespace();
        candidates.sort_by_key(|&id| {
            (
                self.bindings[id].kind == BindingKind::RoleBinding
                    && self.bindings[id].namespace != own,
                id,
            )
        });
        candidates.dedup();
        for id in candidates {
            let b = &self.bindings[id];
            let Some(subject) = b
                .subjects
                .iter()
                .find(|s| subject_applies(s, user, b.scope()))
            else {
                continue;
            };
            let Ok(role_id) = b.role else { continue };
            let wrong_scope =
                b.kind == BindingKind::RoleBinding && b.namespace != attrs.namespace();
            for (i, rule) in self.roles[role_id].rules.iter().enumerate() {
                let mut m = mismatches(attrs, rule);
                if wrong_scope {
                    m.push(Mismatch::Namespace);
                }
                if m.len() == 1 {
                    out.push(NearMiss {
                        binding: binding_ref(b),
                        role: self.role_ref_of(role_id),
                        rule_index: i,
                        rule: rule.clone(),
                        subject: subject.clone(),
                        mismatch: m[0],
                    });
                    if out.len() >= LIMIT {
                        return out;
                    }
                }
            }
        }
        out
    }
}
