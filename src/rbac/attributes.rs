//! Authorizer request attributes and identities, in the API server's own terms.
//!
//! These are *raw* attributes: exactly what a SubjectAccessReview carries. Nothing here
//! lower-cases, defaults or corrects anything; callers that emulate `kubectl auth can-i`
//! or a real HTTP request do that before building a [`Attributes`].

use serde::{Deserialize, Serialize};

/// The identity a request is evaluated for (`user.Info` upstream: name and groups).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserInfo {
    /// The user name, e.g. `alice` or `system:serviceaccount:shop:deployer`.
    pub name: String,
    /// Group memberships, used exactly as given.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// The attributes of a request on an API resource (`ResourceAttributes` of a SubjectAccessReview).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceAttributes {
    /// The verb, e.g. `get`, `list`, `impersonate`; `*` only matches a rule verb `*`.
    pub verb: String,
    /// The API group; `""` is the core group.
    #[serde(default)]
    pub group: String,
    /// The plural resource name, e.g. `pods`.
    pub resource: String,
    /// The subresource, e.g. `log`, or `""`.
    #[serde(default)]
    pub subresource: String,
    /// The object name, or `""` (list, create, deletecollection).
    #[serde(default)]
    pub name: String,
    /// The namespace, or `""` for cluster scope / all namespaces.
    #[serde(default)]
    pub namespace: String,
}

/// The attributes of a non-resource request (`NonResourceAttributes`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NonResourceAttributes {
    /// The lower-case HTTP method, e.g. `get`.
    pub verb: String,
    /// The URL path, e.g. `/healthz`.
    pub path: String,
}

/// One authorization request: a resource request or a non-resource request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Attributes {
    /// A request on an API resource.
    #[serde(rename = "resourceAttributes")]
    Resource(ResourceAttributes),
    /// A request on a non-resource URL such as `/healthz`.
    #[serde(rename = "nonResourceAttributes")]
    NonResource(NonResourceAttributes),
}

impl Attributes {
    /// The request's verb.
    pub fn verb(&self) -> &str {
        match self {
            Attributes::Resource(r) => &r.verb,
            Attributes::NonResource(n) => &n.verb,
        }
    }

    /// The request's namespace (`""` for non-resource requests and cluster scope).
    pub fn namespace(&self) -> &str {
        match self {
            Attributes::Resource(r) => &r.namespace,
            Attributes::NonResource(_) => "",
        }
    }
}
