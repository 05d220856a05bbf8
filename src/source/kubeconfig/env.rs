//! The slice of the process environment that kubeconfig handling reads, captured once.
//!
//! Every function in this module tree takes a [`KubeEnv`] instead of calling `std::env`, so tests
//! (and embedders) never have to mutate the process environment.

use std::{
    ffi::OsString,
    fmt,
    path::{Path, PathBuf},
};

/// Where Kubernetes mounts the service-account token, CA bundle and namespace in a pod.
pub const DEFAULT_SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Environment values that decide which kubeconfig is used and how the API server is reached.
#[derive(Clone, PartialEq, Eq)]
pub struct KubeEnv {
    /// `KUBECONFIG`, raw. `Some("")` behaves like unset (client-go checks the string length).
    pub kubeconfig: Option<OsString>,
    /// The home directory; `~/.kube/config` is read from here when `KUBECONFIG` is unset.
    pub home: Option<PathBuf>,
    /// `HTTPS_PROXY`, else `https_proxy` (first non-empty, as Go's `httpproxy.FromEnvironment`).
    pub https_proxy: Option<String>,
    /// `HTTP_PROXY`, else `http_proxy`; used for `http://` servers only.
    pub http_proxy: Option<String>,
    /// `NO_PROXY`, else `no_proxy`.
    pub no_proxy: Option<String>,
    /// `KUBERNETES_SERVICE_HOST`, set by the kubelet inside pods.
    pub service_host: Option<String>,
    /// `KUBERNETES_SERVICE_PORT`, set by the kubelet inside pods.
    pub service_port: Option<String>,
    /// `POD_NAMESPACE`: client-go's in-cluster config prefers it over the mounted namespace file.
    pub pod_namespace: Option<String>,
    /// Directory holding the mounted service-account `token`, `ca.crt` and `namespace`.
    pub service_account_dir: PathBuf,
    /// `PATH`, to find exec credential plugins the way the plugin would be started.
    pub path: Option<OsString>,
}

impl Default for KubeEnv {
    /// An empty environment: nothing set, the standard service-account directory.
    fn default() -> Self {
        KubeEnv {
            kubeconfig: None,
            home: None,
            https_proxy: None,
            http_proxy: None,
            no_proxy: None,
            service_host: None,
            service_port: None,
            pod_namespace: None,
            service_account_dir: PathBuf::from(DEFAULT_SERVICE_ACCOUNT_DIR),
            path: None,
        }
    }
}

impl KubeEnv {
    /// Reads the current process environment.
    pub fn from_process() -> Self {
        let home = non_empty_os(std::env::var_os("HOME"))
            .map(PathBuf::from)
            // Windows (and a scrubbed environment) have no HOME; std knows the platform rules.
            .or_else(std::env::home_dir);
        KubeEnv {
            kubeconfig: std::env::var_os("KUBECONFIG"),
            home,
            https_proxy: first_non_empty(&["HTTPS_PROXY", "https_proxy"]),
            http_proxy: first_non_empty(&["HTTP_PROXY", "http_proxy"]),
            no_proxy: first_non_empty(&["NO_PROXY", "no_proxy"]),
            service_host: first_non_empty(&["KUBERNETES_SERVICE_HOST"]),
            service_port: first_non_empty(&["KUBERNETES_SERVICE_PORT"]),
            pod_namespace: first_non_empty(&["POD_NAMESPACE"]),
            service_account_dir: PathBuf::from(DEFAULT_SERVICE_ACCOUNT_DIR),
            path: std::env::var_os("PATH"),
        }
    }

    /// `~/.kube/config`, when a home directory is known.
    pub fn home_kubeconfig(&self) -> Option<PathBuf> {
        self.home.as_deref().map(|h| h.join(".kube").join("config"))
    }

    /// The service-account token path inside [`KubeEnv::service_account_dir`].
    pub fn service_account_file(&self, name: &str) -> PathBuf {
        Path::new(&self.service_account_dir).join(name)
    }
}

impl fmt::Debug for KubeEnv {
    // Proxy URLs may carry `user:password@`; never show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KubeEnv")
            .field("kubeconfig", &self.kubeconfig)
            .field("home", &self.home)
            .field(
                "https_proxy",
                &self.https_proxy.as_deref().map(redact_userinfo),
            )
            .field(
                "http_proxy",
                &self.http_proxy.as_deref().map(redact_userinfo),
            )
            .field("no_proxy", &self.no_proxy)
            .field("service_host", &self.service_host)
            .field("service_port", &self.service_port)
            .field("pod_namespace", &self.pod_namespace)
            .field("service_account_dir", &self.service_account_dir)
            .field("path", &self.path)
            .finish()
    }
}

fn first_non_empty(names: &[&str]) -> Option<String> {
    names
        .iter()
        .filter_map(|n| std::env::var(n).ok())
        .find(|v| !v.is_empty())
}

fn non_empty_os(v: Option<OsString>) -> Option<OsString> {
    v.filter(|v| !v.is_empty())
}

/// Replaces the `userinfo@` part of a URL-like string with `REDACTED@`.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => (&url[..i + 3], &url[i + 3..]),
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}REDACTED@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_proxy_credentials() {
        assert_eq!(
            redact_userinfo("http://bob:s3cret@proxy:3128/x"),
            "http://REDACTED@proxy:3128/x"
        );
        assert_eq!(redact_userinfo("bob:pw@proxy:1"), "REDACTED@proxy:1");
        assert_eq!(redact_userinfo("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(redact_userinfo("http://proxy/a@b"), "http://proxy/a@b");
    }

    #[test]
    fn debug_hides_proxy_password() {
        let env = KubeEnv {
            https_proxy: Some("http://u:hunter2@p:1".into()),
            ..KubeEnv::default()
        };
        assert!(!format!("{env:?}").contains("hunter2"));
    }
}
