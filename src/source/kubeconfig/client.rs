//! Turning a selection into a `kube::Config` ready for `kube::Client::try_from`.
//!
//! The config is assembled here from kube's public fields rather than with
//! `Config::from_custom_kubeconfig`, because that reads `HTTPS_PROXY`/`NO_PROXY` from the process
//! environment with different rules (see [`super::proxy`]) and can fail on `NO_PROXY` values Go
//! accepts. Everything else mirrors kube 5's loader: the CA bundle, `insecure-skip-tls-verify`,
//! `tls-server-name`, `disable-compression`, the user's `AuthInfo` (which kube turns into client
//! certificate, token, token file, basic, exec or OIDC auth when the client is built) and exec
//! `provideClusterInfo`.

use std::{fmt, fs, path::PathBuf, time::Duration};

use kube::config::{ExecAuthCluster, KubeConfigOptions};

use super::{
    env::redact_userinfo,
    load::load,
    material::{decode_data, pem_certificates},
    proxy::proxy_for,
    resolve::{
        select, server_uri, validate, AuthMethod, ConfigSource, ResolvedContext, Selected,
        Selection,
    },
    KubeEnv, KubeconfigError, LoadedKubeconfig,
};

/// Per-invocation client settings from the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientOptions {
    /// `--request-timeout`, parsed with [`super::parse_request_timeout`]; `None` = no timeout.
    pub request_timeout: Option<Duration>,
}

/// A resolved target: what to connect to (as data) and the `kube::Config` to do it.
///
/// The config holds credentials, so `Debug` shows the summary only.
#[derive(Clone)]
pub struct Resolution {
    summary: ResolvedContext,
    config: kube::Config,
}

impl fmt::Debug for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolution")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl Resolution {
    /// The credential-free summary.
    pub fn summary(&self) -> &ResolvedContext {
        &self.summary
    }

    /// A `kube::Config` with the client options applied, for `kube::Client::try_from`.
    pub fn client_config(&self, options: &ClientOptions) -> kube::Config {
        let mut config = self.config.clone();
        if let Some(timeout) = options.request_timeout {
            // kubectl's timeout bounds the whole request; kube has per-phase timeouts.
            config.read_timeout = Some(timeout);
            config.write_timeout = Some(timeout);
            config.connect_timeout =
                Some(config.connect_timeout.map_or(timeout, |c| c.min(timeout)));
            // Count the read timeout from the request, not from when a pooled connection idled.
            config.reset_reader_on_write = true;
        }
        config
    }
}

/// Loads the kubeconfig (see [`super::load()`]) and resolves the selection in one step.
pub fn load_and_resolve(
    kubeconfig_flag: Option<&std::path::Path>,
    options: &KubeConfigOptions,
    env: &KubeEnv,
) -> Result<(LoadedKubeconfig, Resolution), KubeconfigError> {
    let loaded = load(kubeconfig_flag, env)?;
    let resolution = resolve(&loaded, options, env)?;
    Ok((loaded, resolution))
}

/// Applies `--context`/`--cluster`/`--user`, validates the result as client-go does and builds
/// the client configuration. With no context or cluster chosen at all, the in-cluster
/// service-account configuration is used when available (client-go's fallback).
pub fn resolve(
    loaded: &LoadedKubeconfig,
    options: &KubeConfigOptions,
    env: &KubeEnv,
) -> Result<Resolution, KubeconfigError> {
    match select(loaded, options)? {
        Selection::Selected(selected) => from_selected(loaded, &selected, env),
        Selection::Empty { context_name } => {
            if in_cluster_possible(env) {
                return in_cluster(env);
            }
            match context_name {
                Some(name) => Err(KubeconfigError::Invalid {
                    problems: vec![format!("context {name:?} does not name a cluster")],
                }),
                None if !loaded.kubeconfig().contexts.is_empty() => {
                    Err(KubeconfigError::CurrentContextNotSet {
                        available: loaded.context_names(),
                    })
                }
                None => Err(KubeconfigError::NoConfiguration {
                    searched: loaded.searched_files().to_vec(),
                }),
            }
        }
    }
}

fn from_selected(
    loaded: &LoadedKubeconfig,
    s: &Selected,
    env: &KubeEnv,
) -> Result<Resolution, KubeconfigError> {
    let user_label = s.user_name.as_deref().unwrap_or_default();
    let problems = validate(&s.cluster_name, &s.cluster, user_label, &s.auth);
    if !problems.is_empty() {
        return Err(KubeconfigError::Invalid {
            problems: problems.into_iter().map(|p| p.message).collect(),
        });
    }
    let server = s.cluster.server.as_deref().unwrap_or_default();
    let cluster_url = server_uri(&s.cluster_name, server)?;

    let mut config = kube::Config::new(cluster_url.clone());
    config.default_namespace = s
        .context
        .as_ref()
        .and_then(|c| c.namespace.clone())
        .unwrap_or_else(|| "default".to_string());
    config.accept_invalid_certs = s.cluster.insecure_skip_tls_verify.unwrap_or(false);
    config.disable_compression = s.cluster.disable_compression.unwrap_or(false);
    config.tls_server_name = s.cluster.tls_server_name.clone();
    config.root_cert = load_ca(&s.cluster_name, &s.cluster)?;
    config.proxy_url = proxy_for(
        &cluster_url,
        &s.cluster_name,
        s.cluster.proxy_url.as_deref(),
        env,
    )?;

    let mut auth = s.auth.clone();
    // client-go ignores a key without a certificate; kube would fail on it.
    if auth.client_certificate.is_none() && auth.client_certificate_data.is_none() {
        auth.client_key = None;
        auth.client_key_data = None;
    }
    // Go decodes `*-data` leniently (line breaks allowed); hand kube the compact form.
    if let Some(d) = &mut auth.client_certificate_data {
        d.retain(|c| c != '\r' && c != '\n');
    }
    if let Some(exec) = &mut auth.exec {
        if exec.provide_cluster_info {
            let info = ExecAuthCluster::try_from(&s.cluster).map_err(|e| {
                KubeconfigError::CertificateAuthority {
                    cluster: s.cluster_name.clone(),
                    reason: e.to_string(),
                }
            })?;
            exec.cluster = Some(info);
        }
    }
    let auth_method = AuthMethod::of(&auth);
    settle_token_file(&mut auth, user_label)?;
    config.auth_info = auth;

    let mut source_files: Vec<PathBuf> = Vec::new();
    let files = [
        s.context_name
            .as_deref()
            .and_then(|n| loaded.context_file(n)),
        loaded.cluster_file(&s.cluster_name),
        s.user_name.as_deref().and_then(|n| loaded.user_file(n)),
    ];
    for f in files.into_iter().flatten() {
        if !source_files.contains(&f.path) {
            source_files.push(f.path.clone());
        }
    }
    let summary = ResolvedContext {
        source: ConfigSource::Kubeconfig,
        context_name: s.context_name.clone(),
        cluster_name: Some(s.cluster_name.clone()),
        server: display_server(server, &cluster_url),
        user_name: s.user_name.clone(),
        namespace: config.default_namespace.clone(),
        auth_method,
        source_files,
        proxy: config
            .proxy_url
            .as_ref()
            .map(|p| redact_userinfo(&p.to_string())),
        insecure_skip_tls_verify: config.accept_invalid_certs,
        impersonate_user: config.auth_info.impersonate.clone(),
        impersonate_groups: config
            .auth_info
            .impersonate_groups
            .clone()
            .unwrap_or_default(),
    };
    Ok(Resolution { summary, config })
}

/// The server as the user wrote it when it is a full URL (no `/` appended by `http::Uri`),
/// without any `user:password@`.
fn display_server(raw: &str, uri: &http::Uri) -> String {
    let shown = if raw.contains("://") {
        raw.to_string()
    } else {
        uri.to_string().trim_end_matches('/').to_string()
    };
    redact_userinfo(&shown)
}

/// kube sends a token file's content verbatim, client-go trims surrounding whitespace. A file
/// ending in a newline (`echo $TOKEN > file`) would make every kube request fail, so such a file
/// is read once here and its trimmed token used inline (kube's periodic re-read is lost for it;
/// files without surrounding whitespace, like projected service-account tokens, keep it).
fn settle_token_file(auth: &mut kube::config::AuthInfo, user: &str) -> Result<(), KubeconfigError> {
    if auth.token.is_some() {
        return Ok(());
    }
    let Some(path) = auth.token_file.clone() else {
        return Ok(());
    };
    let content = crate::source::bounded::read_credential(&path)
        .and_then(|b| {
            String::from_utf8(b)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        })
        .map_err(|e| KubeconfigError::Invalid {
            problems: vec![format!(
                "unable to read tokenFile {path} for {user} due to {e}"
            )],
        })?;
    let trimmed = content.trim();
    if trimmed.len() != content.len() {
        auth.token = Some(trimmed.to_string().into());
        auth.token_file = None;
    }
    Ok(())
}

/// CA bundle from `certificate-authority-data` (wins) or `certificate-authority`.
fn load_ca(
    cluster_name: &str,
    cluster: &kube::config::Cluster,
) -> Result<Option<Vec<Vec<u8>>>, KubeconfigError> {
    let err = |reason: String| KubeconfigError::CertificateAuthority {
        cluster: cluster_name.to_string(),
        reason,
    };
    let pem = if let Some(data) = &cluster.certificate_authority_data {
        decode_data(data).map_err(|e| err(format!("certificate-authority-data: {e}")))?
    } else if let Some(file) = &cluster.certificate_authority {
        crate::source::bounded::read_credential(file).map_err(|e| err(format!("{file}: {e}")))?
    } else {
        return Ok(None);
    };
    let certs = pem_certificates(&pem).map_err(err)?;
    if certs.is_empty() {
        return Err(err("no CERTIFICATE block found".to_string()));
    }
    Ok(Some(certs))
}

/// client-go's `inClusterClientConfig.Possible`: service host and port set, token file present.
pub fn in_cluster_possible(env: &KubeEnv) -> bool {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    set(&env.service_host)
        && set(&env.service_port)
        && fs::metadata(env.service_account_file("token")).is_ok_and(|m| !m.is_dir())
}

/// The pod's service-account configuration (client-go `rest.InClusterConfig`), with the paths and
/// variables taken from `env`.
pub fn in_cluster(env: &KubeEnv) -> Result<Resolution, KubeconfigError> {
    let fail = |reason: String| KubeconfigError::InCluster { reason };
    let (Some(host), Some(port)) = (
        env.service_host.as_deref().filter(|s| !s.is_empty()),
        env.service_port.as_deref().filter(|s| !s.is_empty()),
    ) else {
        return Err(fail(
            "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined".to_string(),
        ));
    };
    // net.JoinHostPort: brackets around IPv6 literals.
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let uri: http::Uri = format!("https://{authority}")
        .parse()
        .map_err(|e| fail(format!("invalid API server address {authority:?}: {e}")))?;
    let token_path = env.service_account_file("token");
    // client-go reads the token once up front and fails if it cannot.
    fs::read(&token_path).map_err(|e| fail(format!("{}: {e}", token_path.display())))?;
    let ca_path = env.service_account_file("ca.crt");
    let ca = fs::read(&ca_path).map_err(|e| fail(format!("{}: {e}", ca_path.display())))?;
    let certs = pem_certificates(&ca).map_err(|e| fail(format!("{}: {e}", ca_path.display())))?;
    let namespace = env
        .pod_namespace
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| {
            fs::read_to_string(env.service_account_file("namespace"))
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "default".to_string());

    let mut config = kube::Config::new(uri.clone());
    config.default_namespace = namespace.clone();
    config.root_cert = Some(certs);
    // kube re-reads both files periodically (CA rotation, projected token refresh).
    config.root_cert_file = Some(ca_path);
    config.auth_info.token_file = Some(token_path.to_string_lossy().into_owned());
    settle_token_file(&mut config.auth_info, "in-cluster service account")?;
    // rest.InClusterConfig leaves Proxy unset, so the environment's proxy applies.
    config.proxy_url = proxy_for(&uri, "in-cluster", None, env)?;

    let summary = ResolvedContext {
        source: ConfigSource::InCluster,
        context_name: None,
        cluster_name: None,
        server: format!("https://{authority}"),
        user_name: None,
        namespace,
        auth_method: AuthMethod::TokenFile,
        source_files: Vec::new(),
        proxy: config
            .proxy_url
            .as_ref()
            .map(|p| redact_userinfo(&p.to_string())),
        insecure_skip_tls_verify: false,
        impersonate_user: None,
        impersonate_groups: Vec::new(),
    };
    Ok(Resolution { summary, config })
}
