//! The webhook authorizer's remote end: a SubjectAccessReview POSTed to the service named by a
//! kubeconfig-format file, as kube-apiserver's `--authorization-webhook-config-file` (or a
//! structured AuthorizationConfiguration webhook) does.
//!
//! Only the transport lives here; what the answer means in the chain is decided by
//! [`crate::rbac::chain`].

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};

use super::kubeconfig::{self, ClientOptions, KubeEnv};
use crate::rbac::chain::Verdict;
use crate::rbac::{Attributes, UserInfo};

/// What a webhook configuration could not be turned into.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The kubeconfig-format file is unusable.
    #[error("{path}: {message}")]
    Config {
        /// The file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

/// A webhook authorizer: where to send reviews, and how.
#[derive(Clone)]
pub struct WebhookClient {
    client: kube::Client,
    /// The path (and query) of the webhook URL, sent as given.
    path: String,
    /// The URL shown in messages (no credentials: a kubeconfig keeps them elsewhere).
    url: String,
    /// `v1` or `v1beta1` SubjectAccessReviews.
    version: String,
    timeout: Duration,
}

impl std::fmt::Debug for WebhookClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookClient")
            .field("url", &self.url)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// The webhook's answer for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAnswer {
    /// Allow, Deny or NoOpinion (an unreachable or failing webhook: NoOpinion, with `error`).
    pub verdict: Verdict,
    /// `status.reason`.
    pub reason: String,
    /// Why the webhook could not answer, when it could not.
    pub error: Option<String>,
}

impl WebhookClient {
    /// Reads the webhook's kubeconfig-format file (its current context names the service).
    /// `version` is the SubjectAccessReview version the webhook expects.
    pub fn from_config_file(
        path: &Path,
        version: &str,
        timeout: Duration,
    ) -> Result<WebhookClient, WebhookError> {
        let err = |message: String| WebhookError::Config {
            path: path.display().to_string(),
            message,
        };
        let (_, resolution) = kubeconfig::load_and_resolve(
            Some(path),
            &kube::config::KubeConfigOptions::default(),
            &KubeEnv::from_process(),
        )
        .map_err(|e| err(e.to_string()))?;
        let mut config = resolution.client_config(&ClientOptions {
            request_timeout: Some(timeout),
        });
        // The server URL is the webhook's full URL; kube appends request paths to a base,
        // so the base is the origin and the request carries the path.
        let url = config.cluster_url.clone();
        let origin = format!(
            "{}://{}",
            url.scheme_str().unwrap_or("https"),
            url.authority()
                .map(|a| a.as_str().to_string())
                .ok_or_else(|| err(format!("the server URL {url} has no host")))?
        );
        let path_and_query = url
            .path_and_query()
            .map_or("/".to_string(), |p| p.as_str().to_string());
        config.cluster_url = origin
            .parse()
            .map_err(|e| err(format!("the server URL {url}: {e}")))?;
        let client = kube::Client::try_from(config).map_err(|e| err(e.to_string()))?;
        Ok(WebhookClient {
            client,
            path: path_and_query,
            url: url.to_string(),
            version: if version.is_empty() {
                "v1beta1".into()
            } else {
                version.to_string()
            },
            timeout,
        })
    }

    /// The webhook's URL, for messages.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Asks the webhook about one request.
    pub async fn review(&self, user: &UserInfo, attrs: &Attributes) -> WebhookAnswer {
        let body = review_body(&self.version, user, attrs);
        let request = http::Request::post(self.path.as_str())
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::ACCEPT, "application/json")
            .body(serde_json::to_vec(&body).unwrap_or_default());
        let failed = |error: String| WebhookAnswer {
            verdict: Verdict::NoOpinion,
            reason: String::new(),
            error: Some(error),
        };
        let request = match request {
            Ok(r) => r,
            Err(e) => return failed(format!("building the request: {e}")),
        };
        let answer = tokio::time::timeout(self.timeout, self.client.request_text(request)).await;
        let text = match answer {
            Err(_) => return failed(format!("no answer within {}s", self.timeout.as_secs_f64())),
            Ok(Err(e)) => return failed(e.to_string()),
            Ok(Ok(text)) => text,
        };
        let Ok(review) = serde_json::from_str::<Value>(&text) else {
            return failed("the answer is not a SubjectAccessReview (not JSON)".into());
        };
        let status = &review["status"];
        let reason = status["reason"].as_str().unwrap_or("").to_string();
        let verdict = if status["allowed"].as_bool() == Some(true) {
            Verdict::Allow
        } else if status["denied"].as_bool() == Some(true) {
            Verdict::Deny
        } else {
            Verdict::NoOpinion
        };
        let error = status["evaluationError"]
            .as_str()
            .filter(|e| !e.is_empty())
            .map(String::from);
        WebhookAnswer {
            verdict,
            reason,
            error,
        }
    }
}

/// The SubjectAccessReview kube-apiserver sends: v1 names the groups `groups`, v1beta1 `group`.
pub fn review_body(version: &str, user: &UserInfo, attrs: &Attributes) -> Value {
    let mut spec = json!({ "user": user.name });
    let groups_key = if version == "v1" { "groups" } else { "group" };
    if !user.groups.is_empty() {
        spec[groups_key] = json!(user.groups);
    }
    match attrs {
        Attributes::Resource(r) => {
            let mut ra = serde_json::Map::new();
            for (k, v) in [
                ("namespace", &r.namespace),
                ("verb", &r.verb),
                ("group", &r.group),
                ("resource", &r.resource),
                ("subresource", &r.subresource),
                ("name", &r.name),
            ] {
                if !v.is_empty() {
                    ra.insert(k.into(), json!(v));
                }
            }
            spec["resourceAttributes"] = Value::Object(ra);
        }
        Attributes::NonResource(n) => {
            spec["nonResourceAttributes"] = json!({ "path": n.path, "verb": n.verb });
        }
    }
    json!({
        "apiVersion": format!("authorization.k8s.io/{}", if version == "v1" { "v1" } else { "v1beta1" }),
        "kind": "SubjectAccessReview",
        "spec": spec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rbac::ResourceAttributes;

    #[test]
    fn review_bodies_follow_the_version() {
        let user = UserInfo {
            name: "alice".into(),
            groups: vec!["dev".into()],
        };
        let attrs = Attributes::Resource(ResourceAttributes {
            verb: "get".into(),
            resource: "pods".into(),
            namespace: "shop".into(),
            ..Default::default()
        });
        let v1 = review_body("v1", &user, &attrs);
        assert_eq!(v1["apiVersion"], "authorization.k8s.io/v1");
        assert_eq!(v1["spec"]["groups"], json!(["dev"]));
        assert_eq!(
            v1["spec"]["resourceAttributes"],
            json!({"namespace": "shop", "verb": "get", "resource": "pods"})
        );
        let b = review_body("v1beta1", &user, &attrs);
        assert_eq!(b["apiVersion"], "authorization.k8s.io/v1beta1");
        assert_eq!(b["spec"]["group"], json!(["dev"]));
    }
}
