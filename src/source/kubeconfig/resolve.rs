//! Choosing the context, cluster and user as kubectl does, and client-go's validation of them.
//!
//! Deliberate differences from kubectl, all in the direction of an error instead of a guess:
//! * a context naming a cluster that does not exist, or a cluster without `server`, is an error;
//!   kubectl silently falls back to `http://localhost:8080` (its legacy `ClusterDefaults`);
//! * `--user` naming a missing user, or a context naming a missing user, is an error; kubectl
//!   sends anonymous requests (or prompts for a password on a terminal);
//! * `--cluster` naming a missing cluster says so, where kubectl reports "no server found".

use std::{fmt, fs, path::PathBuf};

use kube::config::{AuthInfo, Cluster, Context, KubeConfigOptions};
use secrecy::ExposeSecret;
use serde::{Serialize, Serializer};

use super::{env::redact_userinfo, error::NameOrigin, KubeconfigError, LoadedKubeconfig};

/// Where the client configuration came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigSource {
    /// A kubeconfig context.
    Kubeconfig,
    /// The pod's service account (`KUBERNETES_SERVICE_HOST`/`PORT` and the mounted token).
    InCluster,
}

/// The credential that identifies the user to the API server.
///
/// Serialized as a short string: `client-certificate`, `token`, `token-file`, `basic`,
/// `exec: <command>`, `oidc`, `auth-provider: <name>`, `none`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthMethod {
    /// A TLS client certificate (`client-certificate[-data]` + key).
    ClientCertificate,
    /// An OIDC `auth-provider`.
    Oidc,
    /// Another `auth-provider` (e.g. `gcp`).
    AuthProvider {
        /// The provider name.
        name: String,
    },
    /// HTTP basic auth (`username`/`password`).
    Basic,
    /// A static bearer token in the kubeconfig.
    Token,
    /// A bearer token read from `tokenFile` (also the in-cluster service-account token).
    TokenFile,
    /// An exec credential plugin.
    Exec {
        /// The plugin command (no arguments: they may carry secrets).
        command: String,
    },
    /// Anonymous requests.
    None,
}

impl AuthMethod {
    /// The credential that decides the identity, in the order that matters: the API server's
    /// x509 authenticator runs before token authenticators, so a client certificate wins; among
    /// the rest, kube's own precedence (auth-provider, basic, token, token file, exec).
    pub fn of(auth: &AuthInfo) -> Self {
        let has_cert = auth.client_certificate.is_some() || auth.client_certificate_data.is_some();
        let has_key = auth.client_key.is_some() || auth.client_key_data.is_some();
        if has_cert && has_key {
            return AuthMethod::ClientCertificate;
        }
        if let Some(p) = &auth.auth_provider {
            return if p.name == "oidc" {
                AuthMethod::Oidc
            } else {
                AuthMethod::AuthProvider {
                    name: p.name.clone(),
                }
            };
        }
        if auth.username.is_some() && auth.password.is_some() {
            return AuthMethod::Basic;
        }
        if auth.token.is_some() {
            return AuthMethod::Token;
        }
        if auth.token_file.is_some() {
            return AuthMethod::TokenFile;
        }
        if let Some(exec) = &auth.exec {
            return AuthMethod::Exec {
                command: exec.command.clone().unwrap_or_default(),
            };
        }
        AuthMethod::None
    }
}

impl fmt::Display for AuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthMethod::ClientCertificate => f.write_str("client-certificate"),
            AuthMethod::Oidc => f.write_str("oidc"),
            AuthMethod::AuthProvider { name } => write!(f, "auth-provider: {name}"),
            AuthMethod::Basic => f.write_str("basic"),
            AuthMethod::Token => f.write_str("token"),
            AuthMethod::TokenFile => f.write_str("token-file"),
            AuthMethod::Exec { command } => write!(f, "exec: {command}"),
            AuthMethod::None => f.write_str("none"),
        }
    }
}

impl Serialize for AuthMethod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a client built from this configuration talks to, and as whom. No credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedContext {
    /// Kubeconfig or in-cluster.
    pub source: ConfigSource,
    /// The context used; `None` in-cluster or with `--cluster` and no context.
    pub context_name: Option<String>,
    /// The cluster entry used; `None` in-cluster.
    pub cluster_name: Option<String>,
    /// The API server URL as written, or with kubectl's `http://` added when it has no scheme.
    pub server: String,
    /// The user entry used, if any.
    pub user_name: Option<String>,
    /// The context's namespace, else the pod's namespace in-cluster, else `default`. The caller
    /// applies `-n`.
    pub namespace: String,
    /// The credential kind.
    pub auth_method: AuthMethod,
    /// The files that defined the chosen context, cluster and user (in that order, deduplicated).
    pub source_files: Vec<PathBuf>,
    /// The proxy requests go through, with any `user:password@` redacted.
    pub proxy: Option<String>,
    /// Whether the server certificate is not verified.
    pub insecure_skip_tls_verify: bool,
    /// The user's `as:` setting: every request is impersonated as this user.
    pub impersonate_user: Option<String>,
    /// The user's `as-groups:` setting.
    pub impersonate_groups: Vec<String>,
}

/// The cluster/user a selection settled on (owned copies from the merged kubeconfig).
pub(crate) struct Selected {
    pub(crate) context_name: Option<String>,
    pub(crate) context: Option<Context>,
    pub(crate) cluster_name: String,
    pub(crate) cluster: Cluster,
    pub(crate) user_name: Option<String>,
    pub(crate) auth: AuthInfo,
}

/// The outcome of selection.
pub(crate) enum Selection {
    /// A cluster was chosen.
    Selected(Box<Selected>),
    /// No context or cluster is chosen at all: client-go's "empty config", where in-cluster
    /// configuration is tried.
    Empty {
        /// The context that was chosen, if any (it names no cluster).
        context_name: Option<String>,
    },
}

fn flag(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// Applies `--context`, `--cluster` and `--user` to the merged kubeconfig.
pub(crate) fn select(
    loaded: &LoadedKubeconfig,
    options: &KubeConfigOptions,
) -> Result<Selection, KubeconfigError> {
    let kc = loaded.kubeconfig();
    let context_name = flag(&options.context).or(loaded.current_context());
    let context = match context_name {
        Some(name) => match kc.contexts.iter().find(|c| c.name == name) {
            Some(c) => Some(c.context.clone().unwrap_or_default()),
            None => {
                return Err(KubeconfigError::ContextNotFound {
                    name: name.to_string(),
                    available: loaded.context_names(),
                });
            }
        },
        None => None,
    };
    let context_origin = || NameOrigin::Context(context_name.unwrap_or_default().to_string());

    let cluster_ref = match flag(&options.cluster) {
        Some(c) => Some((c.to_string(), NameOrigin::Flag)),
        None => context
            .as_ref()
            .map(|c| c.cluster.clone())
            .filter(|c| !c.is_empty())
            .map(|c| (c, context_origin())),
    };
    let Some((cluster_name, cluster_origin)) = cluster_ref else {
        return Ok(Selection::Empty {
            context_name: context_name.map(str::to_string),
        });
    };
    let cluster = match kc.clusters.iter().find(|c| c.name == cluster_name) {
        Some(c) => c.cluster.clone().unwrap_or_default(),
        None => {
            return Err(KubeconfigError::ClusterNotFound {
                name: cluster_name,
                origin: cluster_origin,
                available: loaded.cluster_names(),
            });
        }
    };

    let user_ref = match flag(&options.user) {
        Some(u) => Some((u.to_string(), NameOrigin::Flag)),
        None => context
            .as_ref()
            .and_then(|c| c.user.clone())
            .map(|u| (u, context_origin())),
    };
    let (user_name, auth) = match user_ref {
        Some((name, origin)) => match kc.auth_infos.iter().find(|u| u.name == name) {
            Some(u) => (Some(name), u.auth_info.clone().unwrap_or_default()),
            None => {
                return Err(KubeconfigError::UserNotFound {
                    name,
                    origin,
                    available: loaded.user_names(),
                });
            }
        },
        None => (None, AuthInfo::default()),
    };
    Ok(Selection::Selected(Box::new(Selected {
        context_name: context_name.map(str::to_string),
        context,
        cluster_name,
        cluster,
        user_name,
        auth,
    })))
}

/// One problem found by [`validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// client-go's wording where it has one.
    pub(crate) message: String,
    /// Set when the problem is a referenced file that cannot be opened.
    pub(crate) unreadable: Option<PathBuf>,
}

impl Problem {
    fn new(message: String) -> Self {
        Problem {
            message,
            unreadable: None,
        }
    }
}

fn try_open(path: &str) -> Result<(), String> {
    crate::source::bounded::check_credential(path)
        .and_then(|()| fs::File::open(path).map(drop))
        .map_err(|e| e.to_string())
}

/// client-go's `validateClusterInfo` + `validateAuthInfo` (+ the TLS check that refuses a CA
/// together with `insecure-skip-tls-verify`): everything that makes kubectl refuse a context
/// before sending a request.
pub(crate) fn validate(
    cluster_name: &str,
    cluster: &Cluster,
    user_name: &str,
    auth: &AuthInfo,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if cluster.server.is_none() {
        problems.push(Problem::new(format!(
            "no server found for cluster {cluster_name:?}"
        )));
    }
    if cluster.certificate_authority.is_some() && cluster.certificate_authority_data.is_some() {
        problems.push(Problem::new(format!(
            "certificate-authority-data and certificate-authority are both specified for \
             {cluster_name}. certificate-authority-data will override."
        )));
    }
    if let Some(ca) = &cluster.certificate_authority {
        if let Err(e) = try_open(ca) {
            problems.push(Problem {
                message: format!(
                    "unable to read certificate-authority {ca} for {cluster_name} due to {e}"
                ),
                unreadable: Some(PathBuf::from(ca)),
            });
        }
    }
    let has_ca =
        cluster.certificate_authority.is_some() || cluster.certificate_authority_data.is_some();
    if has_ca && cluster.insecure_skip_tls_verify == Some(true) {
        problems.push(Problem::new(
            "specifying a root certificates file with the insecure flag is not allowed".to_string(),
        ));
    }

    let mut methods = Vec::new();
    if auth.token.is_some() {
        methods.push("token");
    }
    if auth.username.is_some() || auth.password.is_some() {
        methods.push("basicAuth");
    }
    if auth.client_certificate.is_some() || auth.client_certificate_data.is_some() {
        if auth.client_certificate.is_some() && auth.client_certificate_data.is_some() {
            problems.push(Problem::new(format!(
                "client-cert-data and client-cert are both specified for {user_name}. \
                 client-cert-data will override."
            )));
        }
        if auth.client_key.is_some() && auth.client_key_data.is_some() {
            problems.push(Problem::new(format!(
                "client-key-data and client-key are both specified for {user_name}; \
                 client-key-data will override"
            )));
        }
        if auth.client_key.is_none() && auth.client_key_data.is_none() {
            problems.push(Problem::new(format!(
                "client-key-data or client-key must be specified for {user_name} to use the \
                 clientCert authentication method."
            )));
        }
        for (what, path) in [
            ("client-cert", &auth.client_certificate),
            ("client-key", &auth.client_key),
        ] {
            if let Some(p) = path {
                if let Err(e) = try_open(p) {
                    problems.push(Problem {
                        message: format!("unable to read {what} {p} for {user_name} due to {e}"),
                        unreadable: Some(PathBuf::from(p)),
                    });
                }
            }
        }
    }
    if let Some(exec) = &auth.exec {
        if auth.auth_provider.is_some() {
            problems.push(Problem::new(format!(
                "authProvider cannot be provided in combination with an exec plugin for {user_name}"
            )));
        }
        if exec.command.is_none() {
            problems.push(Problem::new(format!(
                "command must be specified for {user_name} to use exec authentication plugin"
            )));
        }
        if exec.api_version.is_none() {
            problems.push(Problem::new(format!(
                "apiVersion must be specified for {user_name} to use exec authentication plugin"
            )));
        }
        for var in exec.env.iter().flatten() {
            if var.get("name").is_none_or(|n| n.is_empty()) {
                problems.push(Problem::new(format!(
                    "env variable name must be specified for {user_name} to use exec \
                     authentication plugin"
                )));
            }
        }
        // v1 has no default; the beta/alpha versions default to IfAvailable when decoded.
        if exec.interactive_mode.is_none()
            && exec.api_version.as_deref() == Some("client.authentication.k8s.io/v1")
        {
            problems.push(Problem::new(format!(
                "interactiveMode must be specified for {user_name} to use exec authentication plugin"
            )));
        }
    }
    if methods.len() > 1 {
        problems.push(Problem::new(format!(
            "more than one authentication method found for {user_name}; found [{}], only one is \
             allowed",
            methods.join(" ")
        )));
    }
    let impersonates_extras = auth.impersonate_uid.is_some()
        || auth
            .impersonate_groups
            .as_ref()
            .is_some_and(|g| !g.is_empty())
        || auth
            .impersonate_user_extra
            .as_ref()
            .is_some_and(|e| !e.is_empty());
    if impersonates_extras && auth.impersonate.is_none() {
        problems.push(Problem::new(format!(
            "requesting uid, groups or user-extra for {user_name} without impersonating a user"
        )));
    }
    // client-go reads the token file while building the client (only when no inline token).
    if auth.token.is_none() {
        if let Some(tf) = &auth.token_file {
            if let Err(e) = crate::source::bounded::read_credential(tf) {
                problems.push(Problem {
                    message: format!("unable to read tokenFile {tf} for {user_name} due to {e}"),
                    unreadable: Some(PathBuf::from(tf)),
                });
            }
        }
    }
    problems
}

/// The API server URL as kubectl builds it: a value without scheme gets `http://` (kubectl 1.32
/// does this even when TLS settings are present).
pub(crate) fn server_uri(cluster_name: &str, server: &str) -> Result<http::Uri, KubeconfigError> {
    let invalid = |reason: String| KubeconfigError::InvalidServer {
        cluster: cluster_name.to_string(),
        server: redact_userinfo(server),
        reason,
    };
    let uri = match server.parse::<http::Uri>() {
        Ok(u) if u.scheme().is_some() && u.host().is_some() => u,
        _ => format!("http://{server}")
            .parse::<http::Uri>()
            .map_err(|e| invalid(e.to_string()))?,
    };
    match uri.scheme_str() {
        Some("http" | "https") => Ok(uri),
        other => Err(invalid(format!(
            "unsupported scheme {:?}, must be http or https",
            other.unwrap_or_default()
        ))),
    }
}

/// Whether a user entry carries a secret inline (token, password, key, auth-provider secrets).
pub(crate) fn has_inline_secret(auth: &AuthInfo) -> bool {
    auth.token
        .as_ref()
        .is_some_and(|t| !t.expose_secret().is_empty())
        || auth.password.is_some()
        || auth.client_key_data.is_some()
        || auth
            .auth_provider
            .as_ref()
            .is_some_and(|p| !auth_provider_secret_keys(p).is_empty())
}

/// The auth-provider config keys that hold credentials (names only).
pub(crate) fn auth_provider_secret_keys(p: &kube::config::AuthProviderConfig) -> Vec<String> {
    const SECRET_KEYS: [&str; 4] = ["id-token", "refresh-token", "client-secret", "access-token"];
    let mut keys: Vec<String> = p
        .config
        .iter()
        .filter(|(k, v)| SECRET_KEYS.contains(&k.as_str()) && !v.is_empty())
        .map(|(k, _)| k.clone())
        .collect();
    keys.sort();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::config::Kubeconfig;

    fn auth(yaml: &str) -> AuthInfo {
        let kc = Kubeconfig::from_yaml(&format!("users: [{{name: u, user: {yaml}}}]")).unwrap();
        kc.auth_infos[0].auth_info.clone().unwrap()
    }

    #[test]
    fn auth_method_precedence() {
        assert_eq!(AuthMethod::of(&auth("{}")), AuthMethod::None);
        assert_eq!(AuthMethod::of(&auth("{token: t}")), AuthMethod::Token);
        assert_eq!(
            AuthMethod::of(&auth("{tokenFile: /t}")),
            AuthMethod::TokenFile
        );
        assert_eq!(
            AuthMethod::of(&auth("{token: t, tokenFile: /t}")),
            AuthMethod::Token
        );
        assert_eq!(
            AuthMethod::of(&auth("{username: a, password: b}")),
            AuthMethod::Basic
        );
        assert_eq!(
            AuthMethod::of(&auth("{client-certificate: c, client-key: k, token: t}")),
            AuthMethod::ClientCertificate
        );
        assert_eq!(
            AuthMethod::of(&auth("{exec: {command: aws, apiVersion: v}}")).to_string(),
            "exec: aws"
        );
        assert_eq!(
            AuthMethod::of(&auth("{auth-provider: {name: oidc, config: {}}}")),
            AuthMethod::Oidc
        );
        assert_eq!(
            serde_json::to_string(&AuthMethod::of(&auth("{auth-provider: {name: gcp}}"))).unwrap(),
            "\"auth-provider: gcp\""
        );
    }

    #[test]
    fn validation_matches_client_go_messages() {
        let cluster = Cluster {
            server: Some("https://x".into()),
            ..Cluster::default()
        };
        let msgs = |a: &AuthInfo| -> Vec<String> {
            validate("c", &cluster, "u", a)
                .into_iter()
                .map(|p| p.message)
                .collect()
        };
        assert!(msgs(&auth("{token: t}")).is_empty());
        assert_eq!(
            msgs(&auth("{token: t, username: a, password: b}")),
            ["more than one authentication method found for u; found [token basicAuth], only one is allowed"]
        );
        assert_eq!(
            msgs(&auth(
                "{exec: {apiVersion: client.authentication.k8s.io/v1, command: x}}"
            )),
            ["interactiveMode must be specified for u to use exec authentication plugin"]
        );
        assert!(msgs(&auth(
            "{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: x}}"
        ))
        .is_empty());
        assert_eq!(
            msgs(&auth("{as-groups: [g]}")),
            ["requesting uid, groups or user-extra for u without impersonating a user"]
        );
        let insecure_ca = Cluster {
            server: Some("https://x".into()),
            insecure_skip_tls_verify: Some(true),
            certificate_authority_data: Some("Zm9v".into()),
            ..Cluster::default()
        };
        assert_eq!(
            validate("c", &insecure_ca, "u", &AuthInfo::default())[0].message,
            "specifying a root certificates file with the insecure flag is not allowed"
        );
    }

    #[test]
    fn server_scheme_defaulting() {
        assert_eq!(
            server_uri("c", "10.0.0.1:6443").unwrap().to_string(),
            "http://10.0.0.1:6443/"
        );
        assert_eq!(
            server_uri("c", "https://h/p").unwrap().to_string(),
            "https://h/p"
        );
        assert!(server_uri("c", "ftp://h").is_err());
        assert!(server_uri("c", "http://exa mple").is_err());
    }
}
