//! Command-line definitions (clap derive only: no I/O, no evaluation).
//!
//! kubectl's global flags are accepted after any subcommand (`global = true`), because
//! kubectl passes nothing of its own to a plugin.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The Kubernetes version whose API the built-in resource table describes.
pub const KUBERNETES_VERSION: &str = "1.35";

/// Who can do what in this Kubernetes cluster, and why.
#[derive(Debug, Parser)]
#[command(
    name = "kubeaudit",
    version = concat!(env!("CARGO_PKG_VERSION"), " (Kubernetes API 1.35)"),
    about = "Who can do what in this Kubernetes cluster, and why",
    long_about = "kubeaudit answers can-i, who-can, and NetworkPolicy questions with a local evaluator that \
gives the decision the API server would give, and shows the binding → role → rule behind every answer. \
It reads a live cluster through your kubeconfig, or the same objects from manifest files (-f).",
    after_help = "Exit codes: 0 yes/clean, 1 no/findings, 2 error (including: cannot tell, data was missing)."
)]
pub struct Cli {
    /// Flags shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Where objects come from and whose access is evaluated.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Read objects from manifest files or directories instead of a cluster ('-' for stdin); repeatable.
    #[arg(short = 'f', long = "filename", global = true, value_name = "PATH")]
    pub filename: Vec<PathBuf>,
    /// Path to the kubeconfig file (used alone; it must exist).
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// The kubeconfig cluster to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub cluster: Option<String>,
    /// The kubeconfig user to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// Namespace scope (default: the context's namespace, else "default").
    #[arg(short = 'n', long, global = true, value_name = "NS")]
    pub namespace: Option<String>,
    /// All namespaces (overrides --namespace, as in kubectl).
    #[arg(short = 'A', long, global = true)]
    pub all_namespaces: bool,
    /// User to evaluate for: a user name or system:serviceaccount:NS:NAME.
    #[arg(long = "as", global = true, value_name = "USER")]
    pub as_user: Option<String>,
    /// Group to evaluate for; repeatable.
    #[arg(long = "as-group", global = true, value_name = "GROUP")]
    pub as_group: Vec<String>,
    /// Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none).
    #[arg(long, global = true, value_name = "DURATION")]
    pub request_timeout: Option<String>,
    /// Answer from partial data with a warning instead of exiting 2 when data is missing.
    #[arg(long, global = true)]
    pub allow_incomplete: bool,
    /// Omit table headers.
    #[arg(long, global = true)]
    pub no_headers: bool,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Output formats of query commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Human-readable.
    #[default]
    Table,
    /// Human-readable, with the reasons.
    Wide,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check whether an action is allowed, and show why (kubectl auth can-i, evaluated locally).
    #[command(name = "can-i")]
    CanI(CanIArgs),
    /// Evaluate SubjectAccessReview objects exactly as given and print them with their status.
    Review(ReviewArgs),
    /// List the subjects allowed to do something, and the binding → role → rule behind each.
    #[command(name = "who-can")]
    WhoCan(WhoCanArgs),
    /// Show a resource × verb grid of what one identity may do (like rakkess, computed locally).
    #[command(name = "access-matrix")]
    AccessMatrix(AccessMatrixArgs),
}

/// `can-i VERB TYPE[.GROUP][/NAME]` or `can-i VERB /URL`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  kubeaudit can-i create pods --as dev-user -n shop -f examples/cluster\n  \
kubeaudit can-i get /healthz --as alice --explain\n  kubeaudit can-i --list --as system:serviceaccount:ci:deployer -n shop"
)]
pub struct CanIArgs {
    /// The verb, e.g. get, create, impersonate (not lower-cased).
    pub verb: Option<String>,
    /// TYPE[.GROUP][/NAME] or a non-resource URL starting with '/'.
    pub target: Option<String>,
    /// A subresource, e.g. log, status, scale.
    #[arg(long, value_name = "SUB")]
    pub subresource: Option<String>,
    /// Print nothing; only the exit code tells.
    #[arg(short, long)]
    pub quiet: bool,
    /// Show the binding, role and rule behind the answer (same as -o wide).
    #[arg(long)]
    pub explain: bool,
    /// List every rule that applies to the identity, as kubectl auth can-i --list does
    /// (-o wide adds the binding → role → rule of each row; -A lists every namespace).
    #[arg(long)]
    pub list: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// `who-can VERB TYPE[.GROUP][/NAME]` or `who-can VERB /URL`.
#[derive(Debug, Args)]
#[command(
    after_help = "Scope: with -n NS (default: the context namespace, else \"default\") the subjects allowed in NS \
(ClusterRoleBindings and RoleBindings of NS); with -A the subjects allowed in at least one namespace, each with \
where (* = cluster-wide). Cluster-scoped resources and URLs are granted by ClusterRoleBindings only.\n\n\
Exit codes: 0 the list is complete; 2 error, or data was missing so the list is only a lower bound \
(exit 0 with --allow-incomplete).\n\n\
Examples:\n  kubeaudit who-can delete nodes -f examples/cluster\n  \
kubeaudit who-can get secrets -A -o wide -f examples/cluster\n  \
kubeaudit who-can get /healthz -f examples/cluster\n  \
kubeaudit who-can impersonate users/alice -f examples/cluster\n  \
kubeaudit who-can bind clusterroles/edit -n shop --expand-groups -f examples/cluster"
)]
pub struct WhoCanArgs {
    /// The verb, e.g. get, create, bind, escalate, impersonate, approve (not lower-cased).
    pub verb: String,
    /// TYPE[.GROUP][/NAME] or a non-resource URL starting with '/'.
    pub target: String,
    /// A subresource, e.g. log, status, scale (for userextras: the extra's key).
    #[arg(long, value_name = "SUB")]
    pub subresource: Option<String>,
    /// Also list the ServiceAccounts that allowed system:serviceaccounts[:NS] groups cover,
    /// and say who well-known groups stand for.
    #[arg(long)]
    pub expand_groups: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// The verbs `access-matrix` shows by default.
pub const DEFAULT_MATRIX_VERBS: &str = "get,list,watch,create,update,patch,delete";

/// `access-matrix`.
#[derive(Debug, Args)]
#[command(
    after_help = "Cells: ✔ allowed, ✖ denied, n/a the resource does not serve the verb. Requests carry no object \
name, so rules limited by resourceNames do not count. Namespaced resources are evaluated in -n NS (default: the \
context namespace, else \"default\"), or with -A across all namespaces (cluster-wide grants only); cluster-scoped \
resources without a namespace.\n\n\
Examples:\n  kubeaudit access-matrix --as dev-user -n shop -f examples/cluster\n  \
kubeaudit access-matrix --as system:serviceaccount:ci:deployer --verbs get,create,bind,escalate -o json -f examples/cluster"
)]
pub struct AccessMatrixArgs {
    /// The verbs to show (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', default_value = DEFAULT_MATRIX_VERBS, value_name = "VERBS")]
    pub verbs: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = MatrixFormat::Table)]
    pub output: MatrixFormat,
}

/// Output formats of `access-matrix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MatrixFormat {
    /// A grid of ✔/✖ (coloured on a terminal).
    #[default]
    Table,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// `review [FILE|-]...`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  kubeaudit review -f examples/cluster reviews.yaml\n  \
cat sar.json | kubeaudit review -f cluster.yaml -o json"
)]
pub struct ReviewArgs {
    /// Files of SubjectAccessReview objects (YAML or JSON; '-' or none for stdin).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format: yaml (a multi-document stream) or json (one List).
    #[arg(short, long, value_enum, default_value_t = ReviewFormat::Yaml)]
    pub output: ReviewFormat,
}

/// Output formats of `review`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReviewFormat {
    /// A multi-document YAML stream.
    #[default]
    Yaml,
    /// One JSON `List`.
    Json,
}
