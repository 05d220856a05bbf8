//! Reading a live cluster: paginated lists, identity (SelfSubjectReview) and the API server's
//! own authorization decision ((Self)SubjectAccessReview).
//!
//! Everything that could not be read is reported in [`FetchResult::missing`] with the server's
//! own words; nothing is dropped silently, because an absent binding would turn "yes" into a
//! wrong "no".

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::authentication::v1 as authn;
use k8s_openapi::api::authorization::v1 as authz;
use kube::api::{ListParams, PostParams};
use serde::Serialize;
use serde_json::Value;

use crate::rbac::{Attributes, UserInfo};

/// A kind of object kubeaudit reads from the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Kind {
    /// rbac.authorization.k8s.io/v1 ClusterRole.
    ClusterRole,
    /// rbac.authorization.k8s.io/v1 Role.
    Role,
    /// rbac.authorization.k8s.io/v1 ClusterRoleBinding.
    ClusterRoleBinding,
    /// rbac.authorization.k8s.io/v1 RoleBinding.
    RoleBinding,
    /// v1 ServiceAccount.
    ServiceAccount,
    /// v1 Namespace.
    Namespace,
    /// v1 Pod.
    Pod,
    /// networking.k8s.io/v1 NetworkPolicy.
    NetworkPolicy,
    /// apiextensions.k8s.io/v1 CustomResourceDefinition.
    CustomResourceDefinition,
    /// v1 Node (node IPs, for NetworkPolicy questions).
    Node,
    /// policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy (an optional API).
    AdminNetworkPolicy,
    /// policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy (an optional API).
    BaselineAdminNetworkPolicy,
    /// policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy (an optional API).
    ClusterNetworkPolicy,
    /// apps/v1 Deployment.
    Deployment,
    /// apps/v1 StatefulSet.
    StatefulSet,
    /// apps/v1 DaemonSet.
    DaemonSet,
    /// apps/v1 ReplicaSet.
    ReplicaSet,
    /// v1 ReplicationController.
    ReplicationController,
    /// batch/v1 Job.
    Job,
    /// batch/v1 CronJob.
    CronJob,
    /// admissionregistration.k8s.io/v1 MutatingWebhookConfiguration.
    MutatingWebhookConfiguration,
    /// admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration.
    ValidatingWebhookConfiguration,
    /// v1 Secret of type kubernetes.io/service-account-token, metadata only (never its data).
    ServiceAccountTokenSecret,
}

impl Kind {
    /// Every kind, in a stable order.
    pub const ALL: [Kind; 23] = [
        Kind::ClusterRole,
        Kind::Role,
        Kind::ClusterRoleBinding,
        Kind::RoleBinding,
        Kind::ServiceAccount,
        Kind::Namespace,
        Kind::Pod,
        Kind::NetworkPolicy,
        Kind::CustomResourceDefinition,
        Kind::Node,
        Kind::AdminNetworkPolicy,
        Kind::BaselineAdminNetworkPolicy,
        Kind::ClusterNetworkPolicy,
        Kind::Deployment,
        Kind::StatefulSet,
        Kind::DaemonSet,
        Kind::ReplicaSet,
        Kind::ReplicationController,
        Kind::Job,
        Kind::CronJob,
        Kind::MutatingWebhookConfiguration,
        Kind::ValidatingWebhookConfiguration,
        Kind::ServiceAccountTokenSecret,
    ];

    /// The API group (`""` for core).
    pub fn group(self) -> &'static str {
        match self {
            Kind::ClusterRole | Kind::Role | Kind::ClusterRoleBinding | Kind::RoleBinding => {
                "rbac.authorization.k8s.io"
            }
            Kind::ServiceAccount
            | Kind::Namespace
            | Kind::Pod
            | Kind::Node
            | Kind::ReplicationController
            | Kind::ServiceAccountTokenSecret => "",
            Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet | Kind::ReplicaSet => "apps",
            Kind::Job | Kind::CronJob => "batch",
            Kind::MutatingWebhookConfiguration | Kind::ValidatingWebhookConfiguration => {
                "admissionregistration.k8s.io"
            }
            Kind::NetworkPolicy => "networking.k8s.io",
            Kind::CustomResourceDefinition => "apiextensions.k8s.io",
            Kind::AdminNetworkPolicy
            | Kind::BaselineAdminNetworkPolicy
            | Kind::ClusterNetworkPolicy => "policy.networking.k8s.io",
        }
    }

    /// The API version within the group.
    pub fn version(self) -> &'static str {
        match self {
            Kind::AdminNetworkPolicy | Kind::BaselineAdminNetworkPolicy => "v1alpha1",
            Kind::ClusterNetworkPolicy => "v1alpha2",
            _ => "v1",
        }
    }

    /// `group/version`, or `version` for the core group, as written in `apiVersion`.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::ServiceAccount
            | Kind::Namespace
            | Kind::Pod
            | Kind::Node
            | Kind::ReplicationController
            | Kind::ServiceAccountTokenSecret => "v1",
            Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet | Kind::ReplicaSet => "apps/v1",
            Kind::Job | Kind::CronJob => "batch/v1",
            Kind::MutatingWebhookConfiguration | Kind::ValidatingWebhookConfiguration => {
                "admissionregistration.k8s.io/v1"
            }
            Kind::ClusterRole | Kind::Role | Kind::ClusterRoleBinding | Kind::RoleBinding => {
                "rbac.authorization.k8s.io/v1"
            }
            Kind::NetworkPolicy => "networking.k8s.io/v1",
            Kind::CustomResourceDefinition => "apiextensions.k8s.io/v1",
            Kind::AdminNetworkPolicy | Kind::BaselineAdminNetworkPolicy => {
                "policy.networking.k8s.io/v1alpha1"
            }
            Kind::ClusterNetworkPolicy => "policy.networking.k8s.io/v1alpha2",
        }
    }

    /// An API a cluster may not serve at all (installed with CRDs): a 404 then means there
    /// are no such objects, not that they could not be read.
    pub fn optional_api(self) -> bool {
        matches!(
            self,
            Kind::AdminNetworkPolicy
                | Kind::BaselineAdminNetworkPolicy
                | Kind::ClusterNetworkPolicy
        )
    }

    /// The kind name as written in `kind`, e.g. `ClusterRole`.
    pub fn kind(self) -> &'static str {
        match self {
            Kind::ClusterRole => "ClusterRole",
            Kind::Role => "Role",
            Kind::ClusterRoleBinding => "ClusterRoleBinding",
            Kind::RoleBinding => "RoleBinding",
            Kind::ServiceAccount => "ServiceAccount",
            Kind::Namespace => "Namespace",
            Kind::Pod => "Pod",
            Kind::NetworkPolicy => "NetworkPolicy",
            Kind::CustomResourceDefinition => "CustomResourceDefinition",
            Kind::Node => "Node",
            Kind::AdminNetworkPolicy => "AdminNetworkPolicy",
            Kind::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
            Kind::ClusterNetworkPolicy => "ClusterNetworkPolicy",
            Kind::Deployment => "Deployment",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::ReplicationController => "ReplicationController",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
            Kind::MutatingWebhookConfiguration => "MutatingWebhookConfiguration",
            Kind::ValidatingWebhookConfiguration => "ValidatingWebhookConfiguration",
            Kind::ServiceAccountTokenSecret => "Secret",
        }
    }

    /// The plural resource name used in URLs and RBAC rules, e.g. `clusterroles`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::ClusterRole => "clusterroles",
            Kind::Role => "roles",
            Kind::ClusterRoleBinding => "clusterrolebindings",
            Kind::RoleBinding => "rolebindings",
            Kind::ServiceAccount => "serviceaccounts",
            Kind::Namespace => "namespaces",
            Kind::Pod => "pods",
            Kind::NetworkPolicy => "networkpolicies",
            Kind::CustomResourceDefinition => "customresourcedefinitions",
            Kind::Node => "nodes",
            Kind::AdminNetworkPolicy => "adminnetworkpolicies",
            Kind::BaselineAdminNetworkPolicy => "baselineadminnetworkpolicies",
            Kind::ClusterNetworkPolicy => "clusternetworkpolicies",
            Kind::Deployment => "deployments",
            Kind::StatefulSet => "statefulsets",
            Kind::DaemonSet => "daemonsets",
            Kind::ReplicaSet => "replicasets",
            Kind::ReplicationController => "replicationcontrollers",
            Kind::Job => "jobs",
            Kind::CronJob => "cronjobs",
            Kind::MutatingWebhookConfiguration => "mutatingwebhookconfigurations",
            Kind::ValidatingWebhookConfiguration => "validatingwebhookconfigurations",
            Kind::ServiceAccountTokenSecret => "secrets",
        }
    }

    /// Whether only metadata is needed (names and labels): listed as PartialObjectMetadata,
    /// which is far smaller on large clusters. ServiceAccounts are read whole: lint reads
    /// their `automountServiceAccountToken`. Secrets are never read whole.
    pub fn metadata_only(self) -> bool {
        matches!(self, Kind::Namespace | Kind::ServiceAccountTokenSecret)
    }

    /// The field selector of the list, for kinds that read only some objects.
    pub fn field_selector(self) -> Option<&'static str> {
        match self {
            Kind::ServiceAccountTokenSecret => Some("type=kubernetes.io/service-account-token"),
            _ => None,
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        matches!(
            self,
            Kind::Role
                | Kind::RoleBinding
                | Kind::ServiceAccount
                | Kind::Pod
                | Kind::NetworkPolicy
                | Kind::Deployment
                | Kind::StatefulSet
                | Kind::DaemonSet
                | Kind::ReplicaSet
                | Kind::ReplicationController
                | Kind::Job
                | Kind::CronJob
                | Kind::ServiceAccountTokenSecret
        )
    }

    /// The list URL path, for one namespace when given and the kind is namespaced.
    fn list_path(self, namespace: Option<&str>) -> String {
        let prefix = match self.group() {
            "" => "/api/v1".to_string(),
            g => format!("/apis/{g}/{}", self.version()),
        };
        match namespace {
            Some(ns) if self.namespaced() => format!("{prefix}/namespaces/{ns}/{}", self.plural()),
            _ => format!("{prefix}/{}", self.plural()),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind())
    }
}

/// Which namespaces namespaced kinds are read from. Cluster-scoped kinds are always read whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum FetchScope {
    /// Every namespace (`-A`).
    AllNamespaces,
    /// One namespace (`-n NS`).
    Namespace(String),
}

/// Knobs for [`fetch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// `limit` per page (kubectl's default chunk size is 500). 0 asks for everything at once.
    pub page_size: u32,
    /// Upper bound on one HTTP request, retries not included.
    pub request_timeout: Duration,
    /// How many times a transient failure (5xx, 429, timeout, connection error) is retried.
    pub retries: u32,
    /// First backoff between retries; doubled each attempt.
    pub retry_backoff: Duration,
    /// How many times one list restarts from scratch after its continue token expired (410).
    pub max_restarts: u32,
    /// Show a progress bar on stderr (only when stderr is a terminal and fetching is slow).
    pub progress: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            page_size: 500,
            request_timeout: Duration::from_secs(30),
            retries: 3,
            retry_backoff: Duration::from_millis(200),
            max_restarts: 3,
            progress: false,
        }
    }
}

/// One kind (in one namespace, or cluster-wide) that could not be read completely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingData {
    /// The kind that is incomplete.
    pub kind: Kind,
    /// The namespace that was listed, or `None` for a cluster-wide list.
    pub namespace: Option<String>,
    /// Why, in the server's words where it gave any (e.g. the 403 Status message).
    pub reason: String,
    /// The HTTP status code, when the server answered.
    pub code: Option<u16>,
    /// How many objects of this kind were read before the failure; they are kept in
    /// [`FetchResult::objects`] (RBAC only grants, so a partial list can still prove a "yes").
    pub objects_kept: usize,
}

/// What [`fetch`] read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FetchResult {
    /// Every object read, each with `apiVersion` and `kind` set (like `kubectl get -o json`
    /// items), grouped by kind in the order the kinds were asked for, server order within.
    pub objects: Vec<Value>,
    /// Every kind that could not be read completely.
    pub missing: Vec<MissingData>,
    /// How some kinds were read, when not the plain way (namespace by namespace after a
    /// forbidden cluster-wide list).
    pub notes: Vec<String>,
}

/// An error talking to the API server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// The server rejected the credentials (HTTP 401).
    #[error("the API server rejected the credentials (401 Unauthorized): {message}")]
    Unauthorized {
        /// The server's message.
        message: String,
    },
    /// The client could not produce credentials (e.g. an unreadable token file or a failing
    /// exec plugin).
    #[error("could not obtain credentials for the API server: {0}")]
    Credentials(String),
    /// The server answered with an error Status.
    #[error("the API server answered {code} {reason}: {message}")]
    Api {
        /// HTTP status code.
        code: u16,
        /// The Status reason, e.g. `Forbidden`.
        reason: String,
        /// The Status message, verbatim.
        message: String,
    },
    /// No answer in time.
    #[error("no answer from the API server within {0:?}")]
    Timeout(Duration),
    /// The connection failed (refused, reset, TLS).
    #[error("could not talk to the API server: {0}")]
    Transport(String),
    /// The server answered something that is not what the API promises.
    #[error("unexpected answer from the API server: {0}")]
    Decode(String),
    /// A namespace name that cannot exist (not a DNS-1123 label).
    #[error("invalid namespace {0:?}: a namespace must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)")]
    InvalidNamespace(String),
}

impl LiveError {
    /// The HTTP status code, when the server answered.
    pub fn code(&self) -> Option<u16> {
        match self {
            LiveError::Unauthorized { .. } => Some(401),
            LiveError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Worth retrying: server-side trouble, throttling, timeouts and connection failures.
    fn is_transient(&self) -> bool {
        match self {
            LiveError::Api { code, .. } => *code >= 500 || *code == 429,
            LiveError::Timeout(_) | LiveError::Transport(_) => true,
            _ => false,
        }
    }

    /// Errors that make every further request pointless.
    fn is_fatal(&self) -> bool {
        matches!(
            self,
            LiveError::Unauthorized { .. }
                | LiveError::Credentials(_)
                | LiveError::InvalidNamespace(_)
        )
    }

    /// The message for [`MissingData::reason`]: the server's own words when it answered.
    fn reason(&self) -> String {
        match self {
            LiveError::Api { message, .. } if !message.is_empty() => message.clone(),
            other => other.to_string(),
        }
    }
}

/// The error and all its sources, joined; kube's top-level messages alone are too terse.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cur = c.source();
    }
    s
}

impl From<kube::Error> for LiveError {
    fn from(e: kube::Error) -> Self {
        match e {
            kube::Error::Api(status) if status.code == 401 => LiveError::Unauthorized {
                message: if status.message.is_empty() {
                    "Unauthorized".to_string()
                } else {
                    status.message
                },
            },
            kube::Error::Api(status) => LiveError::Api {
                code: status.code,
                reason: status.reason,
                message: status.message,
            },
            kube::Error::Auth(ref a) => LiveError::Credentials(chain(a)),
            // The auth layer's failures (bad token file, failing exec plugin) arrive wrapped as
            // service errors; they are credential problems, not transient transport trouble.
            kube::Error::Service(ref inner) if is_auth_error(inner.as_ref()) => {
                LiveError::Credentials(chain(inner.as_ref()))
            }
            kube::Error::SerdeError(ref s) => LiveError::Decode(s.to_string()),
            kube::Error::FromUtf8(ref s) => LiveError::Decode(s.to_string()),
            other => LiveError::Transport(chain(&other)),
        }
    }
}

/// Whether `e` or one of its sources is a kube authentication error.
fn is_auth_error(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(c) = cur {
        if c.is::<kube::client::AuthError>() {
            return true;
        }
        cur = c.source();
    }
    false
}

/// One API call, rebuilt for each attempt.
enum Call<'a> {
    /// GET a list page (of PartialObjectMetadata when `metadata_only`).
    List {
        path: &'a str,
        params: &'a ListParams,
        metadata_only: bool,
    },
    /// POST an object (a review).
    Create { path: &'a str, body: &'a [u8] },
}

/// One attempt, bounded by `timeout`.
async fn attempt(
    client: &kube::Client,
    call: &Call<'_>,
    timeout: Duration,
) -> Result<Value, LiveError> {
    let request = match call {
        Call::List {
            path,
            params,
            metadata_only: false,
        } => kube::core::Request::new(*path).list(params),
        Call::List {
            path,
            params,
            metadata_only: true,
        } => kube::core::Request::new(*path).list_metadata(params),
        Call::Create { path, body } => {
            kube::core::Request::new(*path).create(&PostParams::default(), body.to_vec())
        }
    }
    .map_err(|e| LiveError::Decode(format!("could not build the request: {e}")))?;
    match tokio::time::timeout(timeout, client.request::<Value>(request)).await {
        Ok(result) => result.map_err(LiveError::from),
        Err(_) => Err(LiveError::Timeout(timeout)),
    }
}

/// `call` with the per-request timeout, retried on transient failures with doubling backoff.
/// On failure, also returns how many attempts were made.
async fn request_json(
    client: &kube::Client,
    opts: &FetchOptions,
    call: Call<'_>,
) -> Result<Value, (LiveError, u32)> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        match attempt(client, &call, opts.request_timeout).await {
            Ok(v) => return Ok(v),
            Err(e) if e.is_transient() && attempts <= opts.retries => {
                let factor = 1u32 << (attempts - 1).min(10);
                tokio::time::sleep(opts.retry_backoff.saturating_mul(factor)).await;
            }
            Err(e) => return Err((e, attempts)),
        }
    }
}

/// The outcome of listing one kind.
struct Listed {
    objects: Vec<Value>,
    error: Option<MissingData>,
    fatal: Option<LiveError>,
}

/// List one kind completely, page by page; restart on an expired continue token.
async fn list_kind(
    client: kube::Client,
    kind: Kind,
    namespace: Option<String>,
    opts: FetchOptions,
    fetched: Arc<AtomicUsize>,
) -> Listed {
    let path = kind.list_path(namespace.as_deref());
    let mut restarts = 0u32;
    let mut listed = Listed {
        objects: Vec::new(),
        error: None,
        fatal: None,
    };
    let missing = |objects_kept: usize, reason: String, code: Option<u16>| MissingData {
        kind,
        namespace: namespace.clone(),
        reason,
        code,
        objects_kept,
    };
    'restart: loop {
        // Progress counts what is held, so a restart takes back what it discards.
        fetched.fetch_sub(listed.objects.len(), Ordering::Relaxed);
        listed.objects.clear();
        let mut token: Option<String> = None;
        loop {
            let mut params = ListParams::default();
            if opts.page_size > 0 {
                params = params.limit(opts.page_size);
            }
            if let Some(t) = &token {
                params = params.continue_token(t);
            }
            if let Some(selector) = kind.field_selector() {
                params = params.fields(selector);
            }
            let page = match request_json(
                &client,
                &opts,
                Call::List {
                    path: &path,
                    params: &params,
                    metadata_only: kind.metadata_only(),
                },
            )
            .await
            {
                Ok(page) => page,
                Err((e, _)) if e.code() == Some(410) && token.is_some() => {
                    restarts += 1;
                    if restarts > opts.max_restarts {
                        let reason = format!(
                            "the list was restarted {} times because its continue token expired; last answer: {}",
                            opts.max_restarts,
                            e.reason()
                        );
                        listed.error = Some(missing(listed.objects.len(), reason, Some(410)));
                        return listed;
                    }
                    continue 'restart;
                }
                Err((e, attempts)) => {
                    let mut reason = e.reason();
                    if attempts > 1 {
                        reason = format!("{reason} (after {attempts} attempts)");
                    }
                    listed.error = Some(missing(listed.objects.len(), reason, e.code()));
                    if e.is_fatal() {
                        listed.fatal = Some(e);
                    }
                    return listed;
                }
            };
            let next = match take_page(kind, page, &mut listed.objects, &fetched) {
                Ok(next) => next,
                Err(why) => {
                    listed.error = Some(missing(
                        listed.objects.len(),
                        format!("broken list page from {path}: {why}"),
                        None,
                    ));
                    return listed;
                }
            };
            match next {
                None => return listed,
                Some(t) if token.as_deref() == Some(t.as_str()) => {
                    let reason = format!("the server returned the same continue token twice for {path}; the list cannot make progress");
                    listed.error = Some(missing(listed.objects.len(), reason, None));
                    return listed;
                }
                Some(t) => token = Some(t),
            }
        }
    }
}

/// Move a list page's items into `out` with apiVersion and kind set; return the next continue
/// token (`None` when absent or empty: the list is complete).
fn take_page(
    kind: Kind,
    page: Value,
    out: &mut Vec<Value>,
    fetched: &AtomicUsize,
) -> Result<Option<String>, String> {
    let Value::Object(mut page) = page else {
        return Err("the answer is not a JSON object".to_string());
    };
    let next = match page.get("metadata").and_then(|m| m.get("continue")) {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if t.is_empty() => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(other) => return Err(format!("metadata.continue is not a string: {other}")),
    };
    let items = match page.remove("items") {
        Some(Value::Array(items)) => items,
        // The server omits an empty `items` in some encodings; treat absent/null as empty.
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err("items is not an array".to_string()),
    };
    let before = out.len();
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(mut obj) = item else {
            return Err(format!("items[{i}] is not an object"));
        };
        obj.insert(
            "apiVersion".to_string(),
            Value::String(kind.api_version().to_string()),
        );
        obj.insert("kind".to_string(), Value::String(kind.kind().to_string()));
        if kind == Kind::ServiceAccountTokenSecret {
            // Listed by this type (field selector); metadata-only lists do not carry it.
            obj.insert(
                "type".to_string(),
                Value::String("kubernetes.io/service-account-token".to_string()),
            );
        }
        out.push(Value::Object(obj));
    }
    fetched.fetch_add(out.len() - before, Ordering::Relaxed);
    Ok(next)
}

/// A progress bar that appears only if fetching takes longer than a moment.
struct Progress {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

/// How long a fetch may take before a progress bar is worth showing.
const PROGRESS_DELAY: Duration = Duration::from_millis(300);

impl Progress {
    fn start(total: usize, done: Arc<AtomicUsize>, fetched: Arc<AtomicUsize>) -> Progress {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep(PROGRESS_DELAY) => {}
                _ = stopped.changed() => return,
            }
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total as u64),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} reading cluster: {pos}/{len} lists done, {msg}",
            ) {
                bar.set_style(style);
            }
            loop {
                bar.set_position(done.load(Ordering::Relaxed) as u64);
                bar.set_message(format!("{} objects", fetched.load(Ordering::Relaxed)));
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                    _ = stopped.changed() => break,
                }
            }
            bar.finish_and_clear();
        });
        Progress { stop, task }
    }

    async fn finish(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Read `kinds` from the cluster, all lists concurrently.
///
/// Namespaced kinds are read from every namespace or from the one in `scope`; cluster-scoped
/// kinds are always read whole. Lists are paged (`limit` = `opts.page_size`, following
/// `continue`); an expired continue token (410) restarts that list from scratch at most
/// `opts.max_restarts` times; transient failures are retried `opts.retries` times. Whatever
/// still fails (403, 404, timeouts, broken pages) is recorded in [`FetchResult::missing`] with
/// the server's message — except a 404 of an optional API ([`Kind::optional_api`]): a
/// cluster that does not serve it has no such objects.
///
/// # Errors
/// Only when nothing can work: the credentials were rejected (401) or could not be produced,
/// or the namespace in `scope` is not a valid name.
pub async fn fetch(
    client: &kube::Client,
    kinds: &[Kind],
    scope: &FetchScope,
    opts: &FetchOptions,
) -> Result<FetchResult, LiveError> {
    let namespace = match scope {
        FetchScope::AllNamespaces => None,
        FetchScope::Namespace(ns) if crate::rbac::identity::is_dns1123_label(ns) => {
            Some(ns.clone())
        }
        FetchScope::Namespace(ns) => return Err(LiveError::InvalidNamespace(ns.clone())),
    };
    let done = Arc::new(AtomicUsize::new(0));
    let fetched = Arc::new(AtomicUsize::new(0));
    let progress = (opts.progress && std::io::stderr().is_terminal())
        .then(|| Progress::start(kinds.len(), done.clone(), fetched.clone()));

    let mut tasks = Vec::with_capacity(kinds.len());
    for &kind in kinds {
        let ns = if kind.namespaced() {
            namespace.clone()
        } else {
            None
        };
        let (client, opts, done, fetched) =
            (client.clone(), opts.clone(), done.clone(), fetched.clone());
        tasks.push((
            kind,
            ns.clone(),
            tokio::spawn(async move {
                let listed = list_kind(client, kind, ns, opts, fetched).await;
                done.fetch_add(1, Ordering::Relaxed);
                listed
            }),
        ));
    }
    let mut result = FetchResult::default();
    let mut fatal = None;
    for (kind, namespace, task) in tasks {
        match task.await {
            Ok(listed) => {
                result.objects.extend(listed.objects);
                // An optional API the cluster does not serve (404) holds no objects: nothing
                // is missing.
                result.missing.extend(
                    listed
                        .error
                        .filter(|e| !(kind.optional_api() && e.code == Some(404))),
                );
                if fatal.is_none() {
                    fatal = listed.fatal;
                }
            }
            Err(join) => result.missing.push(MissingData {
                kind,
                namespace,
                reason: format!("the list task failed: {join}"),
                code: None,
                objects_kept: 0,
            }),
        }
    }
    if fatal.is_none() && namespace.is_none() {
        per_namespace_retry(client, opts, &fetched, &mut result).await;
    }
    if let Some(p) = progress {
        p.finish().await;
    }
    match fatal {
        Some(e) => Err(e),
        None => Ok(result),
    }
}

/// A user with only namespace-level list rights gets 403 on a cluster-wide list: read such a
/// kind namespace by namespace instead (when the Namespaces themselves were read), keeping
/// only the namespaces still refused as missing, and say which were read.
async fn per_namespace_retry(
    client: &kube::Client,
    opts: &FetchOptions,
    fetched: &Arc<AtomicUsize>,
    result: &mut FetchResult,
) {
    let namespaces_read = !result.missing.iter().any(|m| m.kind == Kind::Namespace);
    let names: Vec<String> = result
        .objects
        .iter()
        .filter(|o| o["kind"] == "Namespace")
        .filter_map(|o| o["metadata"]["name"].as_str().map(str::to_string))
        .collect();
    if !namespaces_read || names.is_empty() {
        return;
    }
    let (forbidden, kept): (Vec<MissingData>, Vec<MissingData>) =
        std::mem::take(&mut result.missing)
            .into_iter()
            .partition(|m| m.code == Some(403) && m.kind.namespaced() && m.namespace.is_none());
    result.missing = kept;
    for m in forbidden {
        let mut tasks = Vec::with_capacity(names.len());
        for ns in &names {
            let (client, opts, fetched) = (client.clone(), opts.clone(), fetched.clone());
            let ns = ns.clone();
            tasks.push((
                ns.clone(),
                tokio::spawn(
                    async move { list_kind(client, m.kind, Some(ns), opts, fetched).await },
                ),
            ));
        }
        let (mut read, mut refused, mut errors) = (Vec::new(), Vec::new(), Vec::new());
        let mut objects = Vec::new();
        for (ns, task) in tasks {
            match task.await {
                Ok(listed) if listed.error.is_none() => {
                    objects.extend(listed.objects);
                    read.push(ns);
                }
                Ok(listed) => {
                    objects.extend(listed.objects);
                    errors.extend(listed.error);
                    refused.push(ns);
                }
                Err(join) => {
                    errors.push(MissingData {
                        kind: m.kind,
                        namespace: Some(ns.clone()),
                        reason: format!("the list task failed: {join}"),
                        code: None,
                        objects_kept: 0,
                    });
                    refused.push(ns);
                }
            }
        }
        if read.is_empty() {
            // Refused everywhere: the cluster-wide answer says it best.
            result.missing.push(m);
            continue;
        }
        result.objects.extend(objects);
        result.missing.extend(errors);
        let refused_text = if refused.is_empty() {
            String::new()
        } else {
            format!("; still refused in {}", refused.join(", "))
        };
        result.notes.push(format!(
            "{}: listing them cluster-wide is forbidden; read namespace by namespace in {} of {} namespaces ({}){refused_text}",
            m.kind,
            read.len(),
            names.len(),
            read.join(", "),
        ));
    }
}

/// Who the API server says the client is, via a SelfSubjectReview (authentication.k8s.io/v1).
///
/// Servers older than 1.28, or ones that forbid the review, answer 404/403
/// ([`LiveError::code`]); the caller may then fall back to the client certificate's identity
/// ([`identity_from_client_cert`]).
pub async fn whoami(client: &kube::Client, timeout: Duration) -> Result<UserInfo, LiveError> {
    let review = authn::SelfSubjectReview::default();
    let body = serde_json::to_vec(&review).map_err(|e| LiveError::Decode(e.to_string()))?;
    let opts = review_options(timeout);
    let path = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    let answer = request_json(client, &opts, Call::Create { path, body: &body })
        .await
        .map_err(|(e, _)| e)?;
    let review: authn::SelfSubjectReview = serde_json::from_value(answer)
        .map_err(|e| LiveError::Decode(format!("SelfSubjectReview: {e}")))?;
    let info = review.status.and_then(|s| s.user_info).unwrap_or_default();
    match info.username {
        Some(name) if !name.is_empty() => Ok(UserInfo {
            name,
            groups: info.groups.unwrap_or_default(),
        }),
        _ => Err(LiveError::Decode(
            "SelfSubjectReview status has no userInfo.username".to_string(),
        )),
    }
}

/// Options for single review calls: one timeout, a couple of retries for transient failures.
fn review_options(timeout: Duration) -> FetchOptions {
    FetchOptions {
        request_timeout: timeout,
        retries: 2,
        ..FetchOptions::default()
    }
}

/// The user name (CN) and groups (every O) of the first certificate in a PEM bundle: the API
/// server's x509 authenticator mapping. `None` when there is no parseable certificate or no CN.
pub fn identity_from_client_cert(pem: &[u8]) -> Option<(String, Vec<String>)> {
    for block in x509_parser::pem::Pem::iter_from_buffer(pem) {
        let Ok(block) = block else { return None };
        if block.label != "CERTIFICATE" {
            continue;
        }
        let cert = block.parse_x509().ok()?;
        let subject = cert.subject();
        let name = subject
            .iter_common_name()
            .next()?
            .as_str()
            .ok()?
            .to_string();
        let groups = subject
            .iter_organization()
            .filter_map(|o| o.as_str().ok().map(str::to_string))
            .collect();
        return Some((name, groups));
    }
    None
}

/// The API server's own decision on one request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ServerDecision {
    /// `status.allowed`.
    pub allowed: bool,
    /// `status.denied`: an authorizer explicitly denied (not just "no opinion").
    pub denied: bool,
    /// `status.reason`.
    pub reason: String,
    /// `status.evaluationError`: the server could not evaluate everything (e.g. a missing role).
    pub evaluation_error: String,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Ask the API server whether a request would be allowed: a SelfSubjectAccessReview for the
/// client's own identity when `subject` is `None`, a SubjectAccessReview for `subject`
/// otherwise (which needs `create subjectaccessreviews`).
pub async fn verify_access(
    client: &kube::Client,
    subject: Option<&UserInfo>,
    attrs: &Attributes,
    timeout: Duration,
) -> Result<ServerDecision, LiveError> {
    let (resource_attributes, non_resource_attributes) = match attrs {
        Attributes::Resource(r) => (
            Some(authz::ResourceAttributes {
                verb: non_empty(&r.verb),
                group: non_empty(&r.group),
                resource: non_empty(&r.resource),
                subresource: non_empty(&r.subresource),
                name: non_empty(&r.name),
                namespace: non_empty(&r.namespace),
                ..Default::default()
            }),
            None,
        ),
        Attributes::NonResource(n) => (
            None,
            Some(authz::NonResourceAttributes {
                verb: non_empty(&n.verb),
                path: non_empty(&n.path),
            }),
        ),
    };
    let (path, body) = match subject {
        None => {
            let review = authz::SelfSubjectAccessReview {
                spec: authz::SelfSubjectAccessReviewSpec {
                    resource_attributes,
                    non_resource_attributes,
                },
                ..Default::default()
            };
            (
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                serde_json::to_vec(&review),
            )
        }
        Some(user) => {
            let review = authz::SubjectAccessReview {
                spec: authz::SubjectAccessReviewSpec {
                    user: non_empty(&user.name),
                    groups: (!user.groups.is_empty()).then(|| user.groups.clone()),
                    resource_attributes,
                    non_resource_attributes,
                    ..Default::default()
                },
                ..Default::default()
            };
            (
                "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                serde_json::to_vec(&review),
            )
        }
    };
    let body = body.map_err(|e| LiveError::Decode(e.to_string()))?;
    let answer = request_json(
        client,
        &review_options(timeout),
        Call::Create { path, body: &body },
    )
    .await
    .map_err(|(e, _)| e)?;
    let status = answer
        .get("status")
        .cloned()
        .ok_or_else(|| LiveError::Decode("the access review answer has no status".to_string()))?;
    let status: authz::SubjectAccessReviewStatus = serde_json::from_value(status)
        .map_err(|e| LiveError::Decode(format!("access review status: {e}")))?;
    Ok(ServerDecision {
        allowed: status.allowed,
        denied: status.denied.unwrap_or(false),
        reason: status.reason.unwrap_or_default(),
        evaluation_error: status.evaluation_error.unwrap_or_default(),
    })
}

/// The command-line flags of the cluster's kube-apiserver, when its Pod is visible (a static
/// Pod labelled `component=kube-apiserver` in kube-system, as kubeadm and most installers run
/// it): the Pod's name and its command and args. `None` when there is no such Pod.
pub async fn apiserver_flags(
    client: &kube::Client,
    timeout: Duration,
) -> Result<Option<(String, Vec<String>)>, LiveError> {
    let params = ListParams::default().labels("component=kube-apiserver");
    let list = request_json(
        client,
        &review_options(timeout),
        Call::List {
            path: "/api/v1/namespaces/kube-system/pods",
            params: &params,
            metadata_only: false,
        },
    )
    .await
    .map_err(|(e, _)| e)?;
    let Some(pod) = list["items"].as_array().and_then(|items| items.first()) else {
        return Ok(None);
    };
    let name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
    let flags = pod["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| {
            ["command", "args"].into_iter().flat_map(move |k| {
                c[k].as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(String::from)
            })
        })
        .collect();
    Ok(Some((format!("kube-system/{name}"), flags)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_paths() {
        assert_eq!(Kind::Pod.list_path(None), "/api/v1/pods");
        assert_eq!(
            Kind::Pod.list_path(Some("shop")),
            "/api/v1/namespaces/shop/pods"
        );
        assert_eq!(
            Kind::ClusterRole.list_path(Some("shop")),
            "/apis/rbac.authorization.k8s.io/v1/clusterroles"
        );
        assert_eq!(
            Kind::RoleBinding.list_path(Some("a")),
            "/apis/rbac.authorization.k8s.io/v1/namespaces/a/rolebindings"
        );
        for k in Kind::ALL {
            let expected = if k.group().is_empty() {
                k.version().to_string()
            } else {
                format!("{}/{}", k.group(), k.version())
            };
            assert_eq!(k.api_version(), expected, "{k}");
        }
    }

    #[test]
    fn namespace_names() {
        assert!(crate::rbac::identity::is_dns1123_label("kube-system"));
        assert!(!crate::rbac::identity::is_dns1123_label("Kube"));
        assert!(!crate::rbac::identity::is_dns1123_label("a/b"));
        assert!(!crate::rbac::identity::is_dns1123_label("-a"));
        assert!(!crate::rbac::identity::is_dns1123_label(""));
        assert!(!crate::rbac::identity::is_dns1123_label(&"a".repeat(64)));
    }

    #[test]
    fn pages() {
        let fetched = AtomicUsize::new(0);
        let mut out = Vec::new();
        let page = serde_json::json!({"metadata": {"continue": "abc"}, "items": [{"metadata": {"name": "x"}}]});
        assert_eq!(
            take_page(Kind::Role, page, &mut out, &fetched),
            Ok(Some("abc".to_string()))
        );
        assert_eq!(out[0]["kind"], "Role");
        assert_eq!(out[0]["apiVersion"], "rbac.authorization.k8s.io/v1");
        let last = serde_json::json!({"metadata": {"continue": ""}, "items": []});
        assert_eq!(take_page(Kind::Role, last, &mut out, &fetched), Ok(None));
        let broken = serde_json::json!({"metadata": {}, "items": {"a": 1}});
        assert!(take_page(Kind::Role, broken, &mut out, &fetched).is_err());
        let broken = serde_json::json!({"metadata": {}, "items": [1]});
        assert!(take_page(Kind::Role, broken, &mut out, &fetched).is_err());
        assert_eq!(fetched.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn error_classes() {
        let api = |code: u16, msg: &str| {
            kube::Error::Api(
                kube::core::Status::failure(msg, "Reason")
                    .with_code(code)
                    .boxed(),
            )
        };
        let e = LiveError::from(api(401, "Unauthorized"));
        assert_eq!(
            e,
            LiveError::Unauthorized {
                message: "Unauthorized".into()
            }
        );
        assert!(e.is_fatal() && !e.is_transient());
        let e = LiveError::from(api(403, "pods is forbidden: ..."));
        assert_eq!(e.code(), Some(403));
        assert_eq!(e.reason(), "pods is forbidden: ...");
        assert!(!e.is_transient() && !e.is_fatal());
        for code in [429, 500, 503, 504] {
            assert!(LiveError::from(api(code, "x")).is_transient(), "{code}");
        }
        assert!(LiveError::Timeout(Duration::from_secs(1)).is_transient());
        assert!(!LiveError::from(api(410, "expired")).is_transient());
    }

    #[test]
    fn cert_identity_rejects_garbage() {
        assert_eq!(identity_from_client_cert(b"not a pem"), None);
        assert_eq!(
            identity_from_client_cert(
                b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            ),
            None
        );
    }
}
