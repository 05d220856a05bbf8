//! `--to`: what a path must reach.

use super::{Escalation, Principal};
use crate::rbac::Attributes;

/// A goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every verb on every resource and non-resource URL.
    ClusterAdmin,
    /// Acting as this ServiceAccount.
    ServiceAccount {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
    },
    /// Acting as this user.
    User(String),
    /// Acting as a member of this group.
    Group(String),
    /// Being allowed this request (resolved by the caller as can-i resolves it).
    Request {
        /// The question as written.
        text: String,
        /// The request.
        request: Attributes,
    },
}

/// Why a `--to` value is not a target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--to {0:?}: expected cluster-admin, sa:NAMESPACE/NAME, user:NAME, group:NAME or 'can-i VERB RESOURCE [-n NS]'")]
pub struct TargetError(pub String);

/// A parsed but unresolved `--to`: a `can-i` question still needs the resource table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetSpec {
    /// A target that needs nothing more.
    Ready(Target),
    /// `can-i VERB RESOURCE [-n NS]`.
    CanI {
        /// The verb.
        verb: String,
        /// TYPE[.GROUP][/NAME] or /URL.
        resource: String,
        /// `-n`.
        namespace: Option<String>,
    },
}

/// Parses `--to`.
pub fn parse(text: &str) -> Result<TargetSpec, TargetError> {
    let t = text.trim();
    let err = || TargetError(text.to_string());
    if t == "cluster-admin" {
        return Ok(TargetSpec::Ready(Target::ClusterAdmin));
    }
    if let Some(rest) = t.strip_prefix("sa:") {
        let (ns, name) = rest.split_once('/').ok_or_else(err)?;
        if ns.is_empty() || name.is_empty() {
            return Err(err());
        }
        return Ok(TargetSpec::Ready(Target::ServiceAccount {
            namespace: ns.into(),
            name: name.into(),
        }));
    }
    if let Some(name) = t.strip_prefix("user:").filter(|n| !n.is_empty()) {
        return Ok(TargetSpec::Ready(Target::User(name.into())));
    }
    if let Some(name) = t.strip_prefix("group:").filter(|n| !n.is_empty()) {
        return Ok(TargetSpec::Ready(Target::Group(name.into())));
    }
    if let Some(rest) = t.strip_prefix("can-i ") {
        let words: Vec<&str> = rest.split_whitespace().collect();
        let (namespace, words) = match words.iter().position(|w| *w == "-n" || *w == "--namespace")
        {
            Some(i) if i + 1 < words.len() => {
                let mut w = words.clone();
                let ns = w.remove(i + 1);
                w.remove(i);
                (Some(ns.to_string()), w)
            }
            Some(_) => return Err(err()),
            None => (None, words),
        };
        if let [verb, resource] = words.as_slice() {
            return Ok(TargetSpec::CanI {
                verb: verb.to_string(),
                resource: resource.to_string(),
                namespace,
            });
        }
    }
    Err(err())
}

impl Target {
    /// Whether a principal meets the target.
    pub fn reached_by(&self, e: &Escalation, p: &Principal) -> bool {
        match self {
            Target::ClusterAdmin => *p == Principal::ClusterAdmin,
            Target::ServiceAccount { namespace, name } => {
                matches!(p, Principal::ServiceAccount { namespace: n, name: m } if n == namespace && m == name)
                    || *p == Principal::ClusterAdmin
            }
            Target::User(name) => {
                matches!(p, Principal::User { name: n, .. } if n == name)
                    || *p == Principal::ClusterAdmin
            }
            Target::Group(group) => {
                *p == Principal::ClusterAdmin
                    || p.user_info()
                        .is_some_and(|u| u.groups.iter().any(|g| g == group))
            }
            Target::Request { request, .. } => e.allowed(p, request).is_some(),
        }
    }

    /// How the target reads in output.
    pub fn describe(&self) -> String {
        match self {
            Target::ClusterAdmin => "cluster-admin".into(),
            Target::ServiceAccount { namespace, name } => {
                format!("ServiceAccount {namespace}/{name}")
            }
            Target::User(n) => format!("User {n}"),
            Target::Group(g) => format!("Group {g}"),
            Target::Request { text, .. } => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_targets() {
        assert_eq!(
            parse("cluster-admin").unwrap(),
            TargetSpec::Ready(Target::ClusterAdmin)
        );
        assert_eq!(
            parse("sa:kube-system/admin").unwrap(),
            TargetSpec::Ready(Target::ServiceAccount {
                namespace: "kube-system".into(),
                name: "admin".into()
            })
        );
        assert_eq!(
            parse("can-i get secrets -n prod").unwrap(),
            TargetSpec::CanI {
                verb: "get".into(),
                resource: "secrets".into(),
                namespace: Some("prod".into())
            }
        );
        assert!(parse("sa:nope").is_err());
        assert!(parse("root").is_err());
        assert!(parse("can-i get").is_err());
    }
}
