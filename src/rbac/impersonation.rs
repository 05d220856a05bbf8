//! Legacy impersonation (`Impersonate-User`, `-Group`, `-Uid`, `-Extra-*` headers; kubectl
//! `--as`, `--as-group`, `--as-uid`): the permission checks the API server makes, each
//! evaluated for the original requester, and the identity the request then runs as.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::attributes::{Attributes, ResourceAttributes, UserInfo};
use super::authorize::Explain;
use super::chain::{Chain, ChainDecision, Outcome};
use super::identity::{impersonated, split_service_account_username};

/// What a request asks to impersonate, as given in its headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpersonationRequest {
    /// `Impersonate-User`; `""` means no user.
    #[serde(default)]
    pub user: String,
    /// `Impersonate-Group` values in header order (an empty value still counts).
    #[serde(default)]
    pub groups: Vec<String>,
    /// `Impersonate-Uid`; `""` means none.
    #[serde(default)]
    pub uid: String,
    /// `Impersonate-Extra-<key>` values by the raw header suffix (it is lower-cased and
    /// percent-decoded to give the extra key).
    #[serde(default)]
    pub extra: BTreeMap<String, Vec<String>>,
}

impl ImpersonationRequest {
    /// True when no impersonation header is present.
    pub fn is_empty(&self) -> bool {
        self.user.is_empty()
            && self.groups.is_empty()
            && self.uid.is_empty()
            && self.extra.is_empty()
    }
}

/// What one permission check is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ImpersonationTarget {
    /// A user name that is not a service-account username.
    User {
        /// The name.
        name: String,
    },
    /// A service account (the user name was `system:serviceaccount:<ns>:<name>`).
    ServiceAccount {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// A group.
    Group {
        /// The group name.
        name: String,
    },
    /// One value of an extra key.
    UserExtra {
        /// The extra key (lower-cased, percent-decoded).
        key: String,
        /// The value.
        value: String,
    },
    /// A UID.
    Uid {
        /// The UID.
        uid: String,
    },
}

/// One permission check: the requester needs `impersonate` on these attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpersonationCheck {
    /// What is impersonated.
    pub target: ImpersonationTarget,
    /// The request attributes authorized for the requester.
    pub attributes: ResourceAttributes,
}

/// Impersonation headers the API server rejects with 400 Bad Request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ImpersonationError {
    /// Groups, extras or a UID without a user.
    #[error("requested {0} without impersonating a user")]
    WithoutUser(String),
}

/// The identity a request runs as after impersonation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpersonatedUser {
    /// The user name.
    pub name: String,
    /// The groups (given groups, or service-account groups, then `system:authenticated` or
    /// `system:unauthenticated` as the API server adds them).
    pub groups: Vec<String>,
    /// The UID, `""` when none.
    pub uid: String,
    /// Extra fields by key.
    pub extra: BTreeMap<String, Vec<String>>,
}

impl ImpersonatedUser {
    /// Name and groups, which is all RBAC, ABAC and Node look at.
    pub fn user_info(&self) -> UserInfo {
        UserInfo {
            name: self.name.clone(),
            groups: self.groups.clone(),
        }
    }
}

/// How an impersonated request ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImpersonationStatus {
    /// No impersonation requested: the request runs as the requester (200).
    NotRequested,
    /// Every check allowed: the request runs as the impersonated identity (200).
    Impersonated,
    /// Malformed headers (400).
    BadRequest,
    /// A check was not allowed (403); nothing is impersonated.
    Forbidden,
    /// A check depends on an authorizer kubeaudit cannot evaluate.
    Indeterminate,
}

impl ImpersonationStatus {
    /// The HTTP status code, when known.
    pub fn code(self) -> Option<u16> {
        match self {
            ImpersonationStatus::NotRequested | ImpersonationStatus::Impersonated => Some(200),
            ImpersonationStatus::BadRequest => Some(400),
            ImpersonationStatus::Forbidden => Some(403),
            ImpersonationStatus::Indeterminate => None,
        }
    }
}

/// One check and the chain's decision on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// The check.
    pub check: ImpersonationCheck,
    /// The decision for the original requester.
    pub decision: ChainDecision,
}

/// The result of an impersonated request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpersonationResult {
    /// How it ends.
    pub status: ImpersonationStatus,
    /// The HTTP status code (none when indeterminate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// The identity the request runs as (impersonated), or would run as if the
    /// undeterminable checks allow (indeterminate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<ImpersonatedUser>,
    /// Every check with its decision, in the API server's order.
    pub checks: Vec<CheckResult>,
    /// The first check that is not allowed (forbidden).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_check: Option<ImpersonationCheck>,
    /// The 400 error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ImpersonationError>,
}

/// The extra key of an `Impersonate-Extra-<suffix>` header: the suffix lower-cased, then
/// percent-decoded (kept as is when it is not valid percent-encoding).
pub fn extra_key(header_suffix: &str) -> String {
    let lower = header_suffix.to_lowercase();
    percent_decode(&lower).unwrap_or(lower)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            // from_str_radix accepts a leading '+'; the API server does not.
            if hex.starts_with('+') {
                return None;
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn impersonate_attrs(
    group: &str,
    resource: &str,
    sub: &str,
    ns: &str,
    name: &str,
) -> ResourceAttributes {
    ResourceAttributes {
        verb: "impersonate".into(),
        group: group.into(),
        resource: resource.into(),
        subresource: sub.into(),
        name: name.into(),
        namespace: ns.into(),
    }
}

/// The extras with their keys decoded, values in header order.
fn decoded_extra(req: &ImpersonationRequest) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (raw, values) in &req.extra {
        out.entry(extra_key(raw))
            .or_default()
            .extend(values.iter().cloned());
    }
    out
}

/// The permission checks for a request, in the API server's order: user (or service
/// account), each group, each extra value, the UID. Empty when nothing is impersonated.
pub fn impersonation_checks(
    req: &ImpersonationRequest,
) -> Result<Vec<ImpersonationCheck>, ImpersonationError> {
    let mut checks = Vec::new();
    if !req.user.is_empty() {
        checks.push(match split_service_account_username(&req.user) {
            Some((ns, name)) => ImpersonationCheck {
                target: ImpersonationTarget::ServiceAccount {
                    namespace: ns.into(),
                    name: name.into(),
                },
                attributes: impersonate_attrs("", "serviceaccounts", "", ns, name),
            },
            None => ImpersonationCheck {
                target: ImpersonationTarget::User {
                    name: req.user.clone(),
                },
                attributes: impersonate_attrs("", "users", "", "", &req.user),
            },
        });
    }
    for g in &req.groups {
        checks.push(ImpersonationCheck {
            target: ImpersonationTarget::Group { name: g.clone() },
            attributes: impersonate_attrs("", "groups", "", "", g),
        });
    }
    for (key, values) in decoded_extra(req) {
        for v in values {
            checks.push(ImpersonationCheck {
                attributes: impersonate_attrs("authentication.k8s.io", "userextras", &key, "", &v),
                target: ImpersonationTarget::UserExtra {
                    key: key.clone(),
                    value: v,
                },
            });
        }
    }
    if !req.uid.is_empty() {
        checks.push(ImpersonationCheck {
            target: ImpersonationTarget::Uid {
                uid: req.uid.clone(),
            },
            attributes: impersonate_attrs("authentication.k8s.io", "uids", "", "", &req.uid),
        });
    }
    if req.user.is_empty() && (!checks.is_empty() || !req.extra.is_empty()) {
        let what: Vec<String> = checks
            .iter()
            .map(|c| match &c.target {
                ImpersonationTarget::Group { name } => format!("group {name:?}"),
                ImpersonationTarget::UserExtra { key, value } => format!("extra {key}={value:?}"),
                ImpersonationTarget::Uid { uid } => format!("uid {uid:?}"),
                ImpersonationTarget::User { name } => format!("user {name:?}"),
                ImpersonationTarget::ServiceAccount { namespace, name } => {
                    format!("serviceaccount {namespace}/{name}")
                }
            })
            .collect();
        return Err(ImpersonationError::WithoutUser(format!(
            "[{}]",
            what.join(", ")
        )));
    }
    Ok(checks)
}

/// The identity after impersonation (no permission checks): see
/// [`impersonated`](super::identity::impersonated) for the groups, plus UID and extras.
pub fn impersonated_user(
    req: &ImpersonationRequest,
) -> Result<ImpersonatedUser, ImpersonationError> {
    impersonation_checks(req)?;
    let info = impersonated(&req.user, &req.groups);
    Ok(ImpersonatedUser {
        name: info.name,
        groups: info.groups,
        uid: req.uid.clone(),
        extra: decoded_extra(req),
    })
}

/// Evaluates an impersonated request: every check is authorized for the original
/// `requester` through `chain`; any check not allowed makes it 403 and nothing is
/// impersonated. The original requester's groups and extras are not carried over.
pub fn impersonate(
    chain: &Chain<'_>,
    requester: &UserInfo,
    req: &ImpersonationRequest,
) -> ImpersonationResult {
    let checks = match impersonation_checks(req) {
        Ok(c) => c,
        Err(e) => {
            return ImpersonationResult {
                status: ImpersonationStatus::BadRequest,
                code: ImpersonationStatus::BadRequest.code(),
                user: None,
                checks: Vec::new(),
                failed_check: None,
                error: Some(e),
            }
        }
    };
    if checks.is_empty() {
        return ImpersonationResult {
            status: ImpersonationStatus::NotRequested,
            code: ImpersonationStatus::NotRequested.code(),
            user: None,
            checks: Vec::new(),
            failed_check: None,
            error: None,
        };
    }
    let results: Vec<CheckResult> = checks
        .into_iter()
        .map(|check| CheckResult {
            decision: chain.authorize(
                requester,
                &Attributes::Resource(check.attributes.clone()),
                Explain::default(),
            ),
            check,
        })
        .collect();
    // The API server stops at the first check that is not allowed. A check that is
    // certainly not allowed makes the request forbidden whatever the undeterminable ones say.
    let failed = results
        .iter()
        .find(|r| matches!(r.decision.outcome, Outcome::Deny | Outcome::NoOpinion));
    let undetermined = results
        .iter()
        .any(|r| r.decision.outcome == Outcome::Indeterminate);
    let status = if failed.is_some() {
        ImpersonationStatus::Forbidden
    } else if undetermined {
        ImpersonationStatus::Indeterminate
    } else {
        ImpersonationStatus::Impersonated
    };
    let user = match status {
        ImpersonationStatus::Impersonated | ImpersonationStatus::Indeterminate => {
            impersonated_user(req).ok()
        }
        _ => None,
    };
    ImpersonationResult {
        status,
        code: status.code(),
        user,
        failed_check: failed.map(|r| r.check.clone()),
        checks: results,
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccessModel, Inventory, Origin};
    use crate::rbac::chain::Mode;
    use serde_json::json;

    fn req(
        user: &str,
        groups: &[&str],
        uid: &str,
        extra: &[(&str, &[&str])],
    ) -> ImpersonationRequest {
        ImpersonationRequest {
            user: user.into(),
            groups: groups.iter().map(|s| s.to_string()).collect(),
            uid: uid.into(),
            extra: extra
                .iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }

    #[test]
    fn checks_in_order() {
        let c = impersonation_checks(&req(
            "system:serviceaccount:ns:sa",
            &["g1", ""],
            "u1",
            &[("Scopes%2Fx", &["a", "b"])],
        ))
        .unwrap();
        let summary: Vec<(String, String, String, String, String)> = c
            .iter()
            .map(|c| {
                let a = &c.attributes;
                (
                    a.group.clone(),
                    a.resource.clone(),
                    a.subresource.clone(),
                    a.namespace.clone(),
                    a.name.clone(),
                )
            })
            .collect();
        let s = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            (
                a.to_string(),
                b.to_string(),
                c.to_string(),
                d.to_string(),
                e.to_string(),
            )
        };
        assert_eq!(
            summary,
            [
                s("", "serviceaccounts", "", "ns", "sa"),
                s("", "groups", "", "", "g1"),
                s("", "groups", "", "", ""),
                s("authentication.k8s.io", "userextras", "scopes/x", "", "a"),
                s("authentication.k8s.io", "userextras", "scopes/x", "", "b"),
                s("authentication.k8s.io", "uids", "", "", "u1"),
            ]
        );
        assert!(c.iter().all(|c| c.attributes.verb == "impersonate"));
        assert!(impersonation_checks(&req("", &[], "", &[]))
            .unwrap()
            .is_empty());
        for bad in [
            req("", &["g"], "", &[]),
            req("", &[], "u", &[]),
            req("", &[], "", &[("k", &[])]),
        ] {
            assert!(impersonation_checks(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn extra_keys() {
        assert_eq!(extra_key("Foo%2Fbar"), "foo/bar");
        assert_eq!(extra_key("a%zz"), "a%zz");
        assert_eq!(extra_key("a%2"), "a%2");
        assert_eq!(extra_key("a%+1"), "a%+1");
        assert_eq!(extra_key("plain+x"), "plain+x");
    }

    #[test]
    fn evaluation() {
        let mut inv = Inventory::default();
        inv.add_objects(
            [
                json!({"kind":"ClusterRole","metadata":{"name":"imp"},"rules":[{"verbs":["impersonate"],"apiGroups":[""],"resources":["users","groups"]}]}),
                json!({"kind":"ClusterRoleBinding","metadata":{"name":"imp"},"roleRef":{"kind":"ClusterRole","name":"imp"},"subjects":[{"kind":"User","name":"dev"}]}),
            ]
            .into_iter()
            .map(|o| (o, Origin { source: "t".into(), document: 0, line: 0 }))
            .collect(),
        )
        .unwrap();
        let m = AccessModel::build(&inv);
        let chain = Chain::new(vec![Mode::Rbac]).with_rbac(&m);
        let dev = UserInfo {
            name: "dev".into(),
            groups: vec![],
        };
        let r = impersonate(&chain, &dev, &req("tester", &["g"], "", &[]));
        assert_eq!(r.code, Some(200));
        let u = r.user.unwrap();
        assert_eq!(u.groups, ["g", "system:authenticated"]);
        let r = impersonate(&chain, &dev, &req("tester", &[], "uid-1", &[]));
        assert_eq!(r.status, ImpersonationStatus::Forbidden);
        assert_eq!(
            r.failed_check.map(|c| c.target),
            Some(ImpersonationTarget::Uid {
                uid: "uid-1".into()
            })
        );
        assert!(r.user.is_none());
        let r = impersonate(&chain, &dev, &req("", &["g"], "", &[]));
        assert_eq!(r.code, Some(400));
        let web = Chain::new(vec![Mode::Webhook]);
        let r = impersonate(&web, &dev, &req("tester", &[], "", &[]));
        assert_eq!(r.status, ImpersonationStatus::Indeterminate);
        assert_eq!(r.code, None);
        let r = impersonate(&chain, &dev, &req("", &[], "", &[]));
        assert_eq!(r.status, ImpersonationStatus::NotRequested);
    }
}
