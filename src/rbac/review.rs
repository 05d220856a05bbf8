//! SubjectAccessReview evaluation: raw attributes, exactly as given (no group added, no scope
//! correction), answered as the API server answers them.

use serde_json::{json, Map, Value};

use super::attributes::{Attributes, NonResourceAttributes, ResourceAttributes, UserInfo};
use super::authorize::Explain;
use crate::model::{AccessModel, Origin};

/// Why a review object cannot be evaluated, worded like the API server's validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct ReviewError {
    /// Where the object was read.
    pub origin: Origin,
    /// What is wrong.
    pub message: String,
}

/// The request a review asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRequest {
    /// The identity, exactly as given.
    pub user: UserInfo,
    /// The attributes, exactly as given.
    pub attributes: Attributes,
}

fn str_at<'a>(
    v: &'a Value,
    key: &str,
    origin: &Origin,
    path: &str,
) -> Result<&'a str, ReviewError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(ReviewError {
            origin: origin.clone(),
            message: format!("field {path}.{key}: expected a string, found {other}"),
        }),
    }
}

/// Reads the spec of a SubjectAccessReview or LocalSubjectAccessReview.
pub fn parse_review(obj: &Value, origin: &Origin) -> Result<ReviewRequest, ReviewError> {
    let err = |message: String| ReviewError {
        origin: origin.clone(),
        message,
    };
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if !matches!(kind, "SubjectAccessReview" | "LocalSubjectAccessReview") {
        return Err(err(format!(
            "expected kind SubjectAccessReview or LocalSubjectAccessReview, found {kind:?}"
        )));
    }
    if !matches!(
        api_version,
        "authorization.k8s.io/v1" | "authorization.k8s.io/v1beta1"
    ) {
        return Err(err(format!(
            "{kind}: expected apiVersion authorization.k8s.io/v1, found {api_version:?}"
        )));
    }
    let spec = match obj.get("spec") {
        Some(s @ Value::Object(_)) => s,
        _ => return Err(err(format!("{kind}: field spec: expected a mapping"))),
    };
    let user = str_at(spec, "user", origin, "spec")?.to_string();
    let groups = match spec.get("groups") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, g)| {
                g.as_str().map(str::to_string).ok_or_else(|| {
                    err(format!(
                        "{kind}: field spec.groups[{i}]: expected a string, found {g}"
                    ))
                })
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(err(format!(
                "{kind}: field spec.groups: expected a list of strings, found {other}"
            )))
        }
    };
    if user.is_empty() && groups.is_empty() {
        return Err(err(format!(
            "{kind}: spec.user or spec.groups: at least one of user or group must be specified"
        )));
    }
    let res = spec.get("resourceAttributes").filter(|v| !v.is_null());
    let non = spec.get("nonResourceAttributes").filter(|v| !v.is_null());
    let attributes = match (res, non) {
        (Some(r), None) => {
            let p = "spec.resourceAttributes";
            let namespace = str_at(r, "namespace", origin, p)?.to_string();
            if kind == "LocalSubjectAccessReview" {
                let meta_ns = obj.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("");
                if namespace != meta_ns {
                    return Err(err(format!(
                        "LocalSubjectAccessReview: spec.resourceAttributes.namespace {namespace:?} must equal metadata.namespace {meta_ns:?}"
                    )));
                }
            }
            Attributes::Resource(ResourceAttributes {
                verb: str_at(r, "verb", origin, p)?.to_string(),
                group: str_at(r, "group", origin, p)?.to_string(),
                resource: str_at(r, "resource", origin, p)?.to_string(),
                subresource: str_at(r, "subresource", origin, p)?.to_string(),
                name: str_at(r, "name", origin, p)?.to_string(),
                namespace,
            })
        }
        (None, Some(n)) => {
            if kind == "LocalSubjectAccessReview" {
                return Err(err("LocalSubjectAccessReview: spec.nonResourceAttributes: disallowed on this kind of request".into()));
            }
            let p = "spec.nonResourceAttributes";
            Attributes::NonResource(NonResourceAttributes {
                verb: str_at(n, "verb", origin, p)?.to_string(),
                path: str_at(n, "path", origin, p)?.to_string(),
            })
        }
        _ => {
            return Err(err(format!(
                "{kind}: spec: exactly one of nonResourceAttributes or resourceAttributes must be specified"
            )))
        }
    };
    Ok(ReviewRequest {
        user: UserInfo { name: user, groups },
        attributes,
    })
}

/// Evaluates a review and returns the object with `status` set (`allowed`, `reason`, and
/// `evaluationError` when roles could not be resolved).
pub fn answer_review(model: &AccessModel, mut obj: Value, request: &ReviewRequest) -> Value {
    let d = model.authorize(&request.user, &request.attributes, Explain::default());
    let mut status = Map::new();
    status.insert("allowed".into(), json!(d.allowed));
    let reason = d.reason();
    if !reason.is_empty() {
        status.insert("reason".into(), json!(reason));
    }
    if !d.allowed && !d.errors.is_empty() {
        status.insert("evaluationError".into(), json!(d.errors.join(", ")));
    }
    if let Value::Object(map) = &mut obj {
        map.insert("status".into(), Value::Object(status));
    }
    obj
}

/// Answers a review with the whole authorizer chain's decision, as kube-apiserver fills the
/// status: `allowed`, `denied` (an explicit Deny), the deciding `reason`.
pub fn answer_review_chain(decision: &super::chain::ChainDecision, mut obj: Value) -> Value {
    use super::chain::Outcome;
    let mut status = Map::new();
    status.insert("allowed".into(), json!(decision.outcome == Outcome::Allow));
    if decision.outcome == Outcome::Deny {
        status.insert("denied".into(), json!(true));
    }
    if !decision.reason.is_empty() {
        status.insert("reason".into(), json!(decision.reason));
    }
    if decision.outcome == Outcome::Indeterminate {
        status.insert(
            "evaluationError".into(),
            json!(format!("kubeaudit: {}", decision.explanation())),
        );
    }
    if let Value::Object(map) = &mut obj {
        map.insert("status".into(), Value::Object(status));
    }
    obj
}
