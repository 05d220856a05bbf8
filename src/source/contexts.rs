//! The data behind `kubeaudit contexts`: every kubeconfig context with its target, identity and
//! risky-credential findings.
//!
//! Reads what the kubeconfig points at (certificate files, exec plugins on `PATH`, file modes)
//! but never a credential's value into the output.

use std::{
    path::{Path, PathBuf},
    time::{SystemTime, UNIX_EPOCH},
};

use kube::config::{AuthInfo, Cluster};
use serde::Serialize;

use super::kubeconfig::{
    material::{decode_data, first_certificate_not_after, look_path, rfc3339, LookPathError},
    resolve::{auth_provider_secret_keys, has_inline_secret, server_uri, validate},
    AuthMethod, LoadedKubeconfig,
};

/// How soon before `notAfter` a client certificate is reported as expiring.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// Finding severity, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Low,
    /// Should be fixed.
    Medium,
    /// Exposes credentials or traffic, or makes the context unusable.
    High,
}

/// What a finding is about. Serialized in kebab-case (`insecure-skip-tls-verify`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingId {
    /// The cluster has `insecure-skip-tls-verify: true`.
    InsecureSkipTlsVerify,
    /// The server URL is `http://`: credentials and data travel in clear text.
    PlainHttpServer,
    /// A static bearer token is stored in the kubeconfig.
    EmbeddedToken,
    /// A basic-auth password is stored in the kubeconfig.
    EmbeddedPassword,
    /// An auth-provider (e.g. OIDC) keeps tokens or a client secret in the kubeconfig.
    EmbeddedAuthProviderSecret,
    /// The client certificate's `notAfter` is in the past.
    ClientCertificateExpired,
    /// The client certificate expires within [`EXPIRY_WARNING_DAYS`].
    ClientCertificateExpiring,
    /// The client certificate cannot be decoded.
    ClientCertificateInvalid,
    /// The exec plugin command is not on `PATH` (or the given path does not exist).
    ExecCommandNotFound,
    /// The exec plugin command exists but is not executable.
    ExecCommandNotExecutable,
    /// A kubeconfig file defining this context is accessible to group or other users.
    KubeconfigFilePermissions,
    /// An `https` server without `certificate-authority[-data]`: system roots are trusted.
    MissingCertificateAuthority,
    /// A file the context references cannot be opened.
    UnreadableFile,
    /// The context names a cluster that does not exist.
    ClusterNotFound,
    /// The context names a user that does not exist.
    UserNotFound,
    /// kubectl would refuse the context (client-go validation).
    InvalidConfiguration,
}

impl FindingId {
    /// The default severity of this kind of finding.
    pub fn severity(self) -> Severity {
        use FindingId::*;
        match self {
            InsecureSkipTlsVerify
            | PlainHttpServer
            | EmbeddedPassword
            | ClientCertificateExpired
            | UnreadableFile
            | ClusterNotFound
            | UserNotFound
            | InvalidConfiguration => Severity::High,
            EmbeddedToken
            | EmbeddedAuthProviderSecret
            | ClientCertificateExpiring
            | ClientCertificateInvalid
            | ExecCommandNotFound
            | ExecCommandNotExecutable
            | KubeconfigFilePermissions => Severity::Medium,
            MissingCertificateAuthority => Severity::Low,
        }
    }
}

/// One problem with one context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextFinding {
    /// What kind of problem.
    pub id: FindingId,
    /// How bad.
    pub severity: Severity,
    /// One sentence for humans (names and paths only, never a secret).
    pub message: String,
    /// The file concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// For certificate findings: `notAfter` as RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
}

impl ContextFinding {
    fn new(id: FindingId, message: String) -> Self {
        ContextFinding {
            id,
            severity: id.severity(),
            message,
            path: None,
            not_after: None,
        }
    }

    fn at(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }
}

/// One row of `kubeaudit contexts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextReport {
    /// Context name.
    pub name: String,
    /// Whether it is the current context.
    pub current: bool,
    /// The cluster entry it names.
    pub cluster: Option<String>,
    /// That cluster's server, as written.
    pub server: Option<String>,
    /// The user entry it names.
    pub user: Option<String>,
    /// The credential kind of that user.
    pub auth_method: AuthMethod,
    /// The context namespace, else `default`.
    pub namespace: String,
    /// The file that defined the context.
    pub file: Option<PathBuf>,
    /// Problems, most severe first.
    pub findings: Vec<ContextFinding>,
}

impl ContextReport {
    /// The highest severity among the findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Audits every context of the merged kubeconfig, sorted by name. `now` decides certificate
/// expiry.
pub fn audit_contexts(loaded: &LoadedKubeconfig, now: SystemTime) -> Vec<ContextReport> {
    let now_secs = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    let kc = loaded.kubeconfig();
    let mut reports: Vec<ContextReport> = kc
        .contexts
        .iter()
        .map(|named| {
            let ctx = named.context.clone().unwrap_or_default();
            let cluster_name = Some(ctx.cluster.clone()).filter(|c| !c.is_empty());
            let cluster = cluster_name
                .as_deref()
                .and_then(|n| kc.clusters.iter().find(|c| c.name == n))
                .map(|c| c.cluster.clone().unwrap_or_default());
            let user = ctx
                .user
                .as_deref()
                .and_then(|n| kc.auth_infos.iter().find(|u| u.name == n))
                .map(|u| u.auth_info.clone().unwrap_or_default());
            let mut findings = Vec::new();
            let audit = ContextAudit {
                loaded,
                context: &named.name,
                cluster_name: cluster_name.as_deref(),
                cluster: cluster.as_ref(),
                user_name: ctx.user.as_deref(),
                user: user.as_ref(),
                now: now_secs,
            };
            audit.run(&mut findings);
            findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
            ContextReport {
                name: named.name.clone(),
                current: loaded.current_context() == Some(named.name.as_str()),
                server: cluster.as_ref().and_then(|c| c.server.clone()),
                cluster: cluster_name,
                user: ctx.user.clone(),
                auth_method: user.as_ref().map_or(AuthMethod::None, AuthMethod::of),
                namespace: ctx
                    .namespace
                    .clone()
                    .unwrap_or_else(|| "default".to_string()),
                file: loaded.context_file(&named.name).map(|f| f.path.clone()),
                findings,
            }
        })
        .collect();
    reports.sort_by(|a, b| a.name.cmp(&b.name));
    reports
}

struct ContextAudit<'a> {
    loaded: &'a LoadedKubeconfig,
    context: &'a str,
    cluster_name: Option<&'a str>,
    cluster: Option<&'a Cluster>,
    user_name: Option<&'a str>,
    user: Option<&'a AuthInfo>,
    now: i64,
}

impl ContextAudit<'_> {
    fn run(&self, out: &mut Vec<ContextFinding>) {
        self.references(out);
        if let (Some(name), Some(cluster)) = (self.cluster_name, self.cluster) {
            self.cluster_findings(name, cluster, out);
        }
        if let (Some(name), Some(auth)) = (self.user_name, self.user) {
            self.user_findings(name, auth, out);
        }
        if let (Some(cname), Some(cluster)) = (self.cluster_name, self.cluster) {
            let empty = AuthInfo::default();
            let auth = self.user.unwrap_or(&empty);
            let problems = validate(cname, cluster, self.user_name.unwrap_or_default(), auth);
            // Unreadable files are reported on their own, with the path.
            for p in problems.into_iter().filter(|p| p.unreadable.is_none()) {
                out.push(ContextFinding::new(
                    FindingId::InvalidConfiguration,
                    p.message,
                ));
            }
        }
        self.file_permissions(out);
    }

    fn references(&self, out: &mut Vec<ContextFinding>) {
        match (self.cluster_name, self.cluster) {
            (None, _) => out.push(ContextFinding::new(
                FindingId::InvalidConfiguration,
                format!("context {:?} does not name a cluster", self.context),
            )),
            (Some(name), None) => out.push(ContextFinding::new(
                FindingId::ClusterNotFound,
                format!(
                    "context {:?} names cluster {name:?}, which does not exist",
                    self.context
                ),
            )),
            _ => {}
        }
        if let (Some(name), None) = (self.user_name, self.user) {
            out.push(ContextFinding::new(
                FindingId::UserNotFound,
                format!(
                    "context {:?} names user {name:?}, which does not exist",
                    self.context
                ),
            ));
        }
    }

    fn cluster_findings(&self, name: &str, cluster: &Cluster, out: &mut Vec<ContextFinding>) {
        let insecure = cluster.insecure_skip_tls_verify == Some(true);
        if insecure {
            out.push(ContextFinding::new(
                FindingId::InsecureSkipTlsVerify,
                format!("cluster {name:?} disables server certificate verification"),
            ));
        }
        let scheme = cluster
            .server
            .as_deref()
            .and_then(|s| server_uri(name, s).ok())
            .and_then(|u| u.scheme_str().map(str::to_string));
        match scheme.as_deref() {
            Some("http") => out.push(ContextFinding::new(
                FindingId::PlainHttpServer,
                format!(
                    "cluster {name:?} is reached over plain http: credentials and responses are \
                     not encrypted"
                ),
            )),
            Some("https")
                if !insecure
                    && cluster.certificate_authority.is_none()
                    && cluster.certificate_authority_data.is_none() =>
            {
                out.push(ContextFinding::new(
                    FindingId::MissingCertificateAuthority,
                    format!(
                        "cluster {name:?} has no certificate-authority: the system trust store \
                         is used to verify the API server"
                    ),
                ))
            }
            _ => {}
        }
        if let Some(ca) = &cluster.certificate_authority {
            self.readable(
                ca,
                &format!("certificate-authority of cluster {name:?}"),
                out,
            );
        }
    }

    fn user_findings(&self, name: &str, auth: &AuthInfo, out: &mut Vec<ContextFinding>) {
        let file_note = self
            .loaded
            .user_file(name)
            .map(|f| format!(" in {}", f.path.display()))
            .unwrap_or_default();
        if auth.token.is_some() {
            out.push(ContextFinding::new(
                FindingId::EmbeddedToken,
                format!("user {name:?} has a static bearer token stored{file_note}"),
            ));
        }
        if auth.password.is_some() {
            out.push(ContextFinding::new(
                FindingId::EmbeddedPassword,
                format!("user {name:?} has a basic-auth password stored{file_note}"),
            ));
        }
        if let Some(p) = &auth.auth_provider {
            let keys = auth_provider_secret_keys(p);
            if !keys.is_empty() {
                out.push(ContextFinding::new(
                    FindingId::EmbeddedAuthProviderSecret,
                    format!(
                        "user {name:?} auth-provider {:?} stores {}{file_note}",
                        p.name,
                        keys.join(", ")
                    ),
                ));
            }
        }
        for (what, path) in [
            ("client-certificate", &auth.client_certificate),
            ("client-key", &auth.client_key),
            ("tokenFile", &auth.token_file),
        ] {
            if let Some(p) = path {
                self.readable(p, &format!("{what} of user {name:?}"), out);
            }
        }
        self.certificate_expiry(name, auth, out);
        if let Some(command) = auth.exec.as_ref().and_then(|e| e.command.as_deref()) {
            match look_path(command, self.loaded.path_env().map(|p| p.as_os_str())) {
                Ok(_) => {}
                Err(LookPathError::NotFound) => out.push(ContextFinding::new(
                    FindingId::ExecCommandNotFound,
                    format!(
                        "exec plugin {command:?} of user {name:?} is not found{}",
                        if command.contains('/') {
                            ""
                        } else {
                            " on PATH"
                        }
                    ),
                )),
                Err(LookPathError::NotExecutable(p)) => out.push(
                    ContextFinding::new(
                        FindingId::ExecCommandNotExecutable,
                        format!(
                            "exec plugin {command:?} of user {name:?} is not executable ({})",
                            p.display()
                        ),
                    )
                    .at(p),
                ),
            }
        }
    }

    fn readable(&self, path: &str, what: &str, out: &mut Vec<ContextFinding>) {
        if let Err(e) = crate::source::bounded::check_credential(path)
            .and_then(|()| std::fs::File::open(path).map(drop))
        {
            out.push(
                ContextFinding::new(
                    FindingId::UnreadableFile,
                    format!("cannot open {what}: {path}: {e}"),
                )
                .at(path),
            );
        }
    }

    fn certificate_expiry(&self, name: &str, auth: &AuthInfo, out: &mut Vec<ContextFinding>) {
        let (pem, origin): (Vec<u8>, Option<PathBuf>) =
            if let Some(data) = &auth.client_certificate_data {
                match decode_data(data) {
                    Ok(pem) => (pem, None),
                    Err(e) => {
                        out.push(ContextFinding::new(
                            FindingId::ClientCertificateInvalid,
                            format!("client-certificate-data of user {name:?}: {e}"),
                        ));
                        return;
                    }
                }
            } else if let Some(file) = &auth.client_certificate {
                match crate::source::bounded::read_credential(file) {
                    Ok(pem) => (pem, Some(PathBuf::from(file))),
                    // Already reported as unreadable.
                    Err(_) => return,
                }
            } else {
                return;
            };
        let not_after = match first_certificate_not_after(&pem) {
            Ok(t) => t,
            Err(e) => {
                let mut f = ContextFinding::new(
                    FindingId::ClientCertificateInvalid,
                    format!("client certificate of user {name:?}: {e}"),
                );
                f.path = origin;
                out.push(f);
                return;
            }
        };
        let stamp = rfc3339(not_after);
        let finding = if not_after <= self.now {
            ContextFinding::new(
                FindingId::ClientCertificateExpired,
                format!("client certificate of user {name:?} expired at {stamp}"),
            )
        } else if not_after - self.now <= EXPIRY_WARNING_DAYS * 86_400 {
            let days = (not_after - self.now) / 86_400;
            ContextFinding::new(
                FindingId::ClientCertificateExpiring,
                format!("client certificate of user {name:?} expires at {stamp} (in {days} days)"),
            )
        } else {
            return;
        };
        out.push(ContextFinding {
            path: origin,
            not_after: Some(stamp),
            ..finding
        });
    }

    /// Group/other access to any file that defines this context, its cluster or its user.
    fn file_permissions(&self, out: &mut Vec<ContextFinding>) {
        let user_file = self.user_name.and_then(|u| self.loaded.user_file(u));
        let candidates = [
            self.loaded.context_file(self.context),
            self.cluster_name.and_then(|c| self.loaded.cluster_file(c)),
            user_file,
        ];
        let mut seen: Vec<&Path> = Vec::new();
        for file in candidates.into_iter().flatten() {
            if seen.contains(&file.path.as_path()) {
                continue;
            }
            seen.push(&file.path);
            let Some(mode) = file.mode else { continue };
            if mode & 0o077 == 0 {
                continue;
            }
            let holds_secret = user_file.is_some_and(|u| u.path == file.path)
                && self.user.is_some_and(has_inline_secret);
            let mut f = ContextFinding::new(
                FindingId::KubeconfigFilePermissions,
                format!(
                    "{} has mode {mode:04o}: group or other users can access it{}",
                    file.path.display(),
                    if holds_secret {
                        " and it stores this context's credentials"
                    } else {
                        ""
                    }
                ),
            )
            .at(&file.path);
            if holds_secret {
                f.severity = Severity::High;
            }
            out.push(f);
        }
    }
}
