//! Loading the inventory a command needs, from manifests (or a snapshot) or a live cluster.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{bail, Context as _};
use base64::Engine as _;

use super::{note, warn};
use crate::cli::GlobalArgs;
use crate::model::bootstrap;
use crate::model::item::SourceItem;
use crate::model::objects::{Origin, RoleKind};
use crate::model::{AccessModel, AggregationMode, Inventory, MissingData};
use crate::source::kubeconfig::{self, ClientOptions, KubeEnv, ResolvedContext};
use crate::source::live::{self, FetchOptions, FetchScope, Kind};
use crate::source::{manifest, snapshot};

/// Most decode warnings printed before summarising the rest.
const MAX_WARNINGS: usize = 20;

/// The kinds RBAC questions need (others are read for names and group expansion).
pub const RBAC_KINDS: &[Kind] = &[
    Kind::ClusterRole,
    Kind::Role,
    Kind::ClusterRoleBinding,
    Kind::RoleBinding,
    Kind::ServiceAccount,
    Kind::Namespace,
    Kind::CustomResourceDefinition,
];

/// The kinds NetworkPolicy questions need (Nodes only for their IPs; the admin tiers only
/// where the cluster serves them).
pub const NETWORK_KINDS: &[Kind] = &[
    Kind::Namespace,
    Kind::Pod,
    Kind::NetworkPolicy,
    Kind::Node,
    Kind::AdminNetworkPolicy,
    Kind::BaselineAdminNetworkPolicy,
    Kind::ClusterNetworkPolicy,
];

/// The kinds `lint` reads: RBAC, workloads, admission webhooks, token Secrets (metadata
/// only) and what NetworkPolicy questions need.
pub const LINT_KINDS: &[Kind] = &[
    Kind::ClusterRole,
    Kind::Role,
    Kind::ClusterRoleBinding,
    Kind::RoleBinding,
    Kind::ServiceAccount,
    Kind::Namespace,
    Kind::CustomResourceDefinition,
    Kind::Pod,
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
    Kind::NetworkPolicy,
    Kind::Node,
    Kind::AdminNetworkPolicy,
    Kind::BaselineAdminNetworkPolicy,
    Kind::ClusterNetworkPolicy,
];

/// Whether a kind's absence makes an answer uncertain. The others only help: CRDs and
/// ServiceAccounts with names and group expansion, Nodes with node IPs (Pods carry their
/// node's IP too); their absence is a warning.
pub fn is_critical(kind: &str) -> bool {
    !matches!(kind, "CustomResourceDefinition" | "ServiceAccount" | "Node")
}

/// What a fetch could not read, as the inventory records it (partial lists say how much was
/// kept).
pub fn recorded_missing(result: &live::FetchResult) -> Vec<MissingData> {
    result
        .missing
        .iter()
        .map(|m| {
            let mut reason = m.reason.clone();
            if m.objects_kept > 0 {
                reason.push_str(&format!(
                    " ({} objects read before the failure are used)",
                    m.objects_kept
                ));
            }
            MissingData {
                kind: m.kind.kind().to_string(),
                namespace: m.namespace.clone(),
                reason,
                code: m.code,
            }
        })
        .collect()
}

/// Records missing data in the inventory: what makes answers uncertain in `missing`, what is
/// only warned about (it only helps answers) in `unreadable`.
pub fn record_missing(inventory: &mut Inventory, missing: Vec<MissingData>) {
    for m in missing {
        if is_critical(&m.kind) {
            inventory.missing.push(m);
        } else {
            warn(format_args!(
                "could not read {}: {} (it only helps with names, groups and node IPs)",
                m.kind, m.reason
            ));
            inventory.unreadable.push(m);
        }
    }
}

/// A connection to a live cluster, kept for questions asked of the API server itself.
pub struct LiveSession {
    /// The client.
    pub client: kube::Client,
    /// What it talks to, without credentials.
    pub context: ResolvedContext,
    /// Timeout of each request.
    pub timeout: Duration,
    /// The client certificate, for identifying the user when the server cannot say.
    pub client_cert_pem: Option<Vec<u8>>,
    /// Objects per page.
    pub chunk_size: u32,
}

impl LiveSession {
    /// Fetch options for this session: its timeout and page size, progress on a terminal.
    pub fn fetch_options(&self) -> FetchOptions {
        FetchOptions {
            request_timeout: self.timeout,
            page_size: self.chunk_size,
            progress: std::io::stderr().is_terminal(),
            ..FetchOptions::default()
        }
    }
}

/// An inventory and what the command needs to know about where it came from.
pub struct Loaded {
    /// The objects.
    pub inventory: Inventory,
    /// The namespace commands use when -n is not given (context namespace, else "default").
    pub default_namespace: String,
    /// The live connection, when the objects come from a cluster.
    pub live: Option<LiveSession>,
}

/// A large inventory is not freed: the process is about to end, and returning 100,000s of
/// objects to the allocator one by one costs a noticeable part of a run (issue 14). Small
/// ones (every test) are freed as usual.
impl Drop for Loaded {
    fn drop(&mut self) {
        let inv = &self.inventory;
        let objects = inv.roles.len()
            + inv.bindings.len()
            + inv.service_accounts.len()
            + inv.namespaces.len()
            + inv.other.len();
        if objects >= crate::model::LEAK_FROM {
            std::mem::forget(std::mem::take(&mut self.inventory));
        }
    }
}

impl Loaded {
    /// The namespace in effect: -n, else the default.
    pub fn namespace(&self, global: &GlobalArgs) -> String {
        global
            .namespace
            .clone()
            .unwrap_or_else(|| self.default_namespace.clone())
    }

    /// Compiles the access model and prints its warnings. The inventory's roles and bindings
    /// move into the model (copying them would be most of the work in a large cluster): the
    /// inventory has none left afterwards, so read them before, or use
    /// [`Self::compile_keeping_beside`].
    pub fn compile(&mut self) -> AccessModel {
        let started = std::time::Instant::now();
        let roles = std::mem::take(&mut self.inventory.roles);
        let bindings = std::mem::take(&mut self.inventory.bindings);
        let model = AccessModel::build_from(roles, bindings, &self.inventory);
        timing("compile", started);
        print_warnings(&model.warnings);
        model
    }

    /// [`Self::compile`] that keeps the inventory's roles and bindings (for `lint`, which reads
    /// the roles as written next to the model), while `beside` runs on another core (both
    /// only read the inventory). The model's warnings are printed after both are done, so
    /// anything `beside` returns to print comes after them, as it would one after the other.
    pub fn compile_keeping_beside<T: Send>(
        &self,
        beside: impl FnOnce() -> T + Send,
    ) -> (AccessModel, T) {
        let started = std::time::Instant::now();
        let (other, model) =
            crate::parallel::join(true, beside, || AccessModel::build(&self.inventory));
        timing("compile", started);
        print_warnings(&model.warnings);
        (model, other)
    }
}

/// With `KUBEAUDIT_TIMINGS=1`, how long a phase took, on stderr (for benchmarks).
pub fn timing(phase: &str, started: std::time::Instant) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("KUBEAUDIT_TIMINGS").is_some_and(|v| v == "1")) {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map_or(String::new(), |v| v.trim().to_string())
        };
        // The process's CPU time so far (user and system, every thread; /proc counts in
        // USER_HZ, 100 a second): how well a phase used the cores, from the difference.
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let cpu: f64 = stat
            .rsplit_once(')')
            .map(|(_, rest)| {
                rest.split_whitespace()
                    .skip(11)
                    .take(2)
                    .filter_map(|t| t.parse::<f64>().ok())
                    .sum::<f64>()
                    / 100.0
            })
            .unwrap_or_default();
        eprintln!(
            "timing: {phase}: {:.3} s (rss {}, peak {}, cpu so far {cpu:.2} s)",
            started.elapsed().as_secs_f64(),
            field("VmRSS:"),
            field("VmHWM:")
        );
    }
}

fn print_warnings(warnings: &[crate::model::Diagnostic]) {
    for w in warnings.iter().take(MAX_WARNINGS) {
        warn(format_args!("{}: {}", w.origin, w.message));
    }
    if warnings.len() > MAX_WARNINGS {
        warn(format_args!(
            "... and {} more warnings about the input",
            warnings.len() - MAX_WARNINGS
        ));
    }
}

/// Loads what RBAC questions need: from `-f` manifests or snapshots, else the live cluster.
pub async fn load(global: &GlobalArgs) -> anyhow::Result<Loaded> {
    load_kinds(global, RBAC_KINDS).await
}

/// Where namespaced objects read without a namespace go: `--apply-namespace`, else `-n`, else
/// `default` (what `kubectl apply [-n NS] -f` would do with them).
pub fn placement_namespace(global: &GlobalArgs) -> String {
    global
        .apply_namespace
        .clone()
        .or_else(|| global.namespace.clone())
        .unwrap_or_else(|| "default".to_string())
}

/// Loads the given kinds: from `-f` manifests or snapshots (which hold whatever they hold),
/// else from the live cluster selected by the kubeconfig flags.
pub async fn load_kinds(global: &GlobalArgs, kinds: &[Kind]) -> anyhow::Result<Loaded> {
    if global.filename.is_empty() {
        return load_live(global, kinds).await;
    }
    let started = std::time::Instant::now();
    let read = manifest::read_paths_kept_as_text(&global.filename, global.max_input_size)
        .context("reading manifests")?;
    timing("read", started);
    for n in &read.notes {
        note(n);
    }
    if read.objects.is_empty() {
        bail!("no Kubernetes objects found in {}", describe_paths(global));
    }
    let mut inventory = Inventory {
        default_namespace: placement_namespace(global),
        default_namespace_explicit: global.apply_namespace.is_some(),
        on_conflict: global.on_conflict,
        ..Inventory::default()
    };
    let mut default_namespace = "default".to_string();
    if let Some(header) = read.snapshots.first() {
        // A snapshot holds what the API server stored: aggregated rules as computed there.
        inventory.aggregation = AggregationMode::Stored;
        record_missing(&mut inventory, header.missing.clone());
        default_namespace = header.namespace.clone().unwrap_or(default_namespace);
        if read.snapshots.len() < read.documents {
            warn("snapshots and plain manifests are mixed: aggregated ClusterRoles use their stored rules");
        }
    }
    let mut objects = read.objects;
    if global.bootstrap_policy {
        objects = with_bootstrap_policy(objects, &inventory.default_namespace);
    }
    let started = std::time::Instant::now();
    inventory.add_objects(objects)?;
    timing("inventory", started);
    if !global.bootstrap_policy {
        let started = std::time::Instant::now();
        note_missing_bootstrap_roles(&inventory);
        timing("bootstrap note", started);
    }
    Ok(Loaded {
        inventory,
        default_namespace,
        live: None,
    })
}

/// The inputs after the bootstrap policy's objects, minus those the inputs replace (same
/// kind, namespace and name), as applying the inputs to a new cluster would leave them.
pub fn with_bootstrap_policy<T: Into<SourceItem>>(
    objects: Vec<(T, Origin)>,
    placement: &str,
) -> Vec<(SourceItem, Origin)> {
    let objects: Vec<(SourceItem, Origin)> = objects
        .into_iter()
        .map(|(o, origin)| (o.into(), origin))
        .collect();
    // The inputs' keys, borrowed (a large cluster has 100,000s of objects).
    let replaced: std::collections::HashSet<(&str, &str, &str)> = objects
        .iter()
        .map(|(o, _)| {
            let kind = o.kind();
            let (mut namespace, name) = o.namespace_and_name();
            if namespace.is_empty() && matches!(kind, "Role" | "RoleBinding") {
                namespace = placement;
            }
            (kind, namespace, name)
        })
        .collect();
    let defaults: Vec<(SourceItem, Origin)> =
        bootstrap::bootstrap_objects(|kind, namespace, name| {
            replaced.contains(&(kind, namespace, name))
        })
        .into_iter()
        .map(|(v, origin)| (v.into(), origin))
        .collect();
    drop(replaced);
    let mut all = defaults;
    all.extend(objects);
    all
}

/// Says once when bindings of the inputs refer to roles every cluster has (the bootstrap
/// policy) but the inputs lack: they grant nothing here, and `--bootstrap-policy` adds them.
fn note_missing_bootstrap_roles(inventory: &Inventory) {
    // The bootstrap roles bound, then (only if there are any) which of them are defined.
    let mut bound: Vec<(bool, &str, &str)> = Vec::new();
    for b in &inventory.bindings {
        let cluster = b.role_ref.kind == "ClusterRole";
        let namespace = if cluster {
            ""
        } else {
            b.metadata.namespace.as_str()
        };
        let name = b.role_ref.name.as_str();
        if (cluster || b.role_ref.kind == "Role")
            && bootstrap::is_bootstrap_role(&b.role_ref.kind, namespace, name)
        {
            bound.push((cluster, namespace, name));
        }
    }
    if bound.is_empty() {
        return;
    }
    let present: std::collections::HashSet<(bool, &str, &str), ahash::RandomState> = inventory
        .roles
        .iter()
        .map(|r| {
            (
                r.kind == RoleKind::ClusterRole,
                r.metadata.namespace.as_str(),
                r.metadata.name.as_str(),
            )
        })
        .collect();
    let mut missing = BTreeSet::new();
    for key in bound {
        if !present.contains(&key) {
            missing.insert(key.2);
        }
    }
    if !missing.is_empty() {
        let names: Vec<&str> = missing.into_iter().collect();
        note(format_args!(
            "the inputs bind {} without defining {}: every cluster has {} (Kubernetes' bootstrap policy); --bootstrap-policy adds Kubernetes {}'s default roles and bindings",
            names.join(", "),
            if names.len() == 1 { "it" } else { "them" },
            if names.len() == 1 { "it" } else { "them" },
            bootstrap::BOOTSTRAP_POLICY_VERSION
        ));
    }
}

/// Connects to the cluster the kubeconfig flags select.
pub async fn connect(global: &GlobalArgs) -> anyhow::Result<LiveSession> {
    let env = KubeEnv::from_process();
    let options = kube::config::KubeConfigOptions {
        context: global.context.clone(),
        cluster: global.cluster.clone(),
        user: global.user.clone(),
    };
    let (loaded, resolution) =
        kubeconfig::load_and_resolve(global.kubeconfig.as_deref(), &options, &env)
            .context("no usable cluster (give manifests with -f, or a kubeconfig)")?;
    for w in loaded.warnings() {
        warn(w);
    }
    let request_timeout = match &global.request_timeout {
        Some(t) => kubeconfig::parse_request_timeout(t).context("--request-timeout")?,
        None => None,
    };
    let mut config = resolution.client_config(&ClientOptions { request_timeout });
    // kubeaudit retries transient failures itself, within its timeouts.
    config.default_retry = false;
    let client_cert_pem = client_cert(&config.auth_info);
    let client = kube::Client::try_from(config).context("building the API client")?;
    Ok(LiveSession {
        client,
        context: resolution.summary().clone(),
        timeout: request_timeout.unwrap_or(Duration::from_secs(30)),
        client_cert_pem,
        chunk_size: global.chunk_size.unwrap_or(500),
    })
}

fn client_cert(auth: &kube::config::AuthInfo) -> Option<Vec<u8>> {
    if let Some(data) = &auth.client_certificate_data {
        return base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .ok();
    }
    auth.client_certificate
        .as_ref()
        .and_then(|p| std::fs::read(p).ok())
}

/// Everything fetched from a live cluster, as an inventory.
pub async fn fetch_inventory(
    session: &LiveSession,
    kinds: &[Kind],
) -> anyhow::Result<(Inventory, Vec<live::MissingData>)> {
    let opts = session.fetch_options();
    let result = live::fetch(&session.client, kinds, &FetchScope::AllNamespaces, &opts)
        .await
        .with_context(|| format!("reading from the cluster at {}", session.context.server))?;
    ensure_something_read(session, kinds, &result)?;
    for n in &result.notes {
        note(n);
    }
    let source = format!(
        "cluster:{}",
        session
            .context
            .context_name
            .as_deref()
            .unwrap_or(&session.context.server)
    );
    let mut inventory = Inventory {
        aggregation: AggregationMode::Stored,
        ..Inventory::default()
    };
    record_missing(&mut inventory, recorded_missing(&result));
    let objects = result
        .objects
        .into_iter()
        .map(|v| {
            (
                v,
                Origin {
                    source: source.clone(),
                    document: 0,
                    line: 0,
                },
            )
        })
        .collect();
    inventory.add_objects(objects)?;
    Ok((inventory, result.missing))
}

/// Nothing at all could be read: that is a failure to reach the cluster, not an answer.
pub fn ensure_something_read(
    session: &LiveSession,
    kinds: &[Kind],
    result: &live::FetchResult,
) -> anyhow::Result<()> {
    let required = kinds.iter().filter(|k| !k.optional_api()).count();
    let failed = result
        .missing
        .iter()
        .filter(|m| !m.kind.optional_api())
        .count();
    let nothing = result.objects.is_empty() && failed >= required;
    match result.missing.first() {
        Some(first) if nothing => bail!(
            "could not read anything from the cluster at {}: {}",
            session.context.server,
            first.reason
        ),
        _ => Ok(()),
    }
}

async fn load_live(global: &GlobalArgs, kinds: &[Kind]) -> anyhow::Result<Loaded> {
    if global.bootstrap_policy {
        bail!(super::UsageError(
            "--bootstrap-policy adds Kubernetes' default roles to -f inputs; a live cluster has its own".into()
        ));
    }
    let session = connect(global).await?;
    let (inventory, _) = fetch_inventory(&session, kinds).await?;
    for m in &inventory.missing {
        warn(format_args!(
            "could not read {}{}: {}",
            m.kind,
            m.namespace
                .as_ref()
                .map(|n| format!(" in {n}"))
                .unwrap_or_default(),
            m.reason
        ));
    }
    Ok(Loaded {
        inventory,
        default_namespace: session.context.namespace.clone(),
        live: Some(session),
    })
}

fn describe_paths(global: &GlobalArgs) -> String {
    global
        .filename
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads `snapshot` headers out of manifest reads (re-exported for the snapshot command).
pub use snapshot::SnapshotHeader;
