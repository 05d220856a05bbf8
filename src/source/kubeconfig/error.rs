//! Typed kubeconfig errors. None of them carries a credential: only paths, names and reasons.

use std::{fmt, io, path::PathBuf};

/// Where a cluster or user name being looked up came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameOrigin {
    /// Given on the command line (`--context`, `--cluster`, `--user`).
    Flag,
    /// Referenced by the named context.
    Context(String),
}

impl fmt::Display for NameOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameOrigin::Flag => f.write_str("given on the command line"),
            NameOrigin::Context(c) => write!(f, "referenced by context {c:?}"),
        }
    }
}

/// Failure to load a kubeconfig, select a context or build a client configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KubeconfigError {
    /// `--kubeconfig` names a file that does not exist (client-go: an explicit path must exist).
    #[error("the kubeconfig file {} given with --kubeconfig does not exist", path.display())]
    ExplicitFileMissing {
        /// The path as given.
        path: PathBuf,
    },
    /// A kubeconfig file exists but cannot be read.
    #[error("cannot read kubeconfig {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// A kubeconfig file is not UTF-8 / UTF-16 text.
    #[error("kubeconfig {} is not valid text: {reason}", path.display())]
    Encoding {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A kubeconfig file is not a valid kubeconfig document.
    #[error("cannot parse kubeconfig {}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Parser message with line and column (no source excerpt, which could hold a secret).
        message: String,
    },
    /// Two kubeconfig files cannot be merged, e.g. different `apiVersion`s.
    #[error("cannot merge kubeconfig {}: {reason}", path.display())]
    Merge {
        /// The file whose content could not be merged into the earlier ones.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// No kubeconfig provides a context and no in-cluster service account is available.
    #[error(
        "no Kubernetes configuration found: {}; and not running inside a cluster \
         (KUBERNETES_SERVICE_HOST/PORT and a service-account token are needed for that)",
        describe_searched(searched)
    )]
    NoConfiguration {
        /// The files that were looked at.
        searched: Vec<PathBuf>,
    },
    /// The kubeconfig has contexts, none is current and none was chosen.
    #[error(
        "current-context is not set; choose one with --context{}",
        available_list(available)
    )]
    CurrentContextNotSet {
        /// Context names defined in the kubeconfig.
        available: Vec<String>,
    },
    /// The requested (or current) context does not exist.
    #[error("context {name:?} does not exist{}", available_list(available))]
    ContextNotFound {
        /// The missing context.
        name: String,
        /// Context names defined in the kubeconfig.
        available: Vec<String>,
    },
    /// A cluster name given with `--cluster` or referenced by the context does not exist.
    #[error(
        "cluster {name:?} ({origin}) does not exist{}",
        available_list(available)
    )]
    ClusterNotFound {
        /// The missing cluster.
        name: String,
        /// Where the name came from.
        origin: NameOrigin,
        /// Cluster names defined in the kubeconfig.
        available: Vec<String>,
    },
    /// A user name given with `--user` or referenced by the context does not exist.
    #[error("user {name:?} ({origin}) does not exist{}", available_list(available))]
    UserNotFound {
        /// The missing user.
        name: String,
        /// Where the name came from.
        origin: NameOrigin,
        /// User names defined in the kubeconfig.
        available: Vec<String>,
    },
    /// The selected cluster/user combination is rejected by client-go's validation.
    #[error("invalid configuration: {}", problems.join("; "))]
    Invalid {
        /// Each problem, in client-go's wording where it has one.
        problems: Vec<String>,
    },
    /// The cluster's `server` is missing or not a URL.
    #[error("invalid server {server:?} for cluster {cluster:?}: {reason}")]
    InvalidServer {
        /// The cluster name.
        cluster: String,
        /// The server value.
        server: String,
        /// Why it is rejected.
        reason: String,
    },
    /// A proxy URL cannot be used.
    #[error("invalid proxy URL {url:?} from {origin}: {reason}")]
    InvalidProxy {
        /// `proxy-url of cluster X`, `HTTPS_PROXY`, ...
        origin: String,
        /// The URL with any `user:password@` replaced.
        url: String,
        /// Why it is rejected.
        reason: String,
    },
    /// Certificate-authority data or file cannot be decoded.
    #[error("cannot load the certificate authority of cluster {cluster:?}: {reason}")]
    CertificateAuthority {
        /// The cluster name.
        cluster: String,
        /// Why.
        reason: String,
    },
    /// `--request-timeout` is not in kubectl's format.
    #[error(
        "invalid --request-timeout {value:?}: must be a single integer in seconds, or an integer \
         followed by a corresponding time unit (e.g. 1s | 2m | 3h)"
    )]
    InvalidTimeout {
        /// The value as given.
        value: String,
    },
    /// The in-cluster service-account configuration cannot be loaded.
    #[error("in-cluster configuration: {reason}")]
    InCluster {
        /// Why.
        reason: String,
    },
}

fn available_list(names: &[String]) -> String {
    if names.is_empty() {
        "; the kubeconfig defines none".to_string()
    } else {
        format!("; available: {}", names.join(", "))
    }
}

fn describe_searched(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        "no kubeconfig file to read (KUBECONFIG and HOME are unset)".to_string()
    } else {
        let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        format!("looked at {}", list.join(", "))
    }
}
