//! Command-line definitions (clap derive only: no I/O, no evaluation).
//!
//! kubectl's global flags are accepted after any subcommand (`global = true`), because
//! kubectl passes nothing of its own to a plugin.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::engine::ArgValueCompleter;

use crate::completion;

/// The Kubernetes minor version as a literal, so `--version` (built with `concat!`) and
/// [`KUBERNETES_VERSION`] cannot drift apart.
macro_rules! kubernetes_version {
    () => {
        "1.35"
    };
}

/// The Kubernetes version whose API the built-in resource table describes.
pub const KUBERNETES_VERSION: &str = kubernetes_version!();

/// The name completion scripts and man pages are generated for.
pub const BIN_NAME: &str = "kubeaudit";

/// The krew plugin name: `kubectl access-audit` (binary `kubectl-access_audit`). `kubeaudit`
/// and `audit` are taken in the krew index by other tools.
pub const PLUGIN_NAME: &str = "access-audit";

/// The rule catalog's address (SARIF `helpUri`, the rule links of reports): docs/rules.md of
/// the project's repository, as in the krew manifest.
pub const RULES_URL: &str = "https://github.com/OWNER/kubeaudit/blob/main/docs/rules.md";

/// Who can do what in this Kubernetes cluster, and why.
#[derive(Debug, Parser)]
#[command(
    name = "kubeaudit",
    version = concat!(env!("CARGO_PKG_VERSION"), " (Kubernetes API ", kubernetes_version!(), ")"),
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
///
/// Listed after each command's own options, under their own heading.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Global options", next_display_order = 100)]
pub struct GlobalArgs {
    /// Read objects from manifest files or directories instead of a cluster ('-' for stdin); repeatable.
    #[arg(short = 'f', long = "filename", global = true, value_name = "PATH", value_hint = ValueHint::AnyPath)]
    pub filename: Vec<PathBuf>,
    /// Path to the kubeconfig file (used alone; it must exist).
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use.
    #[arg(long, global = true, value_name = "NAME", value_hint = ValueHint::Other,
          add = ArgValueCompleter::new(completion::complete_context))]
    pub context: Option<String>,
    /// The kubeconfig cluster to use.
    #[arg(long, global = true, value_name = "NAME", value_hint = ValueHint::Other,
          add = ArgValueCompleter::new(completion::complete_cluster))]
    pub cluster: Option<String>,
    /// The kubeconfig user to use.
    #[arg(long, global = true, value_name = "NAME", value_hint = ValueHint::Other,
          add = ArgValueCompleter::new(completion::complete_user))]
    pub user: Option<String>,
    /// Namespace scope (default: the context's namespace, else "default").
    #[arg(short = 'n', long, global = true, value_name = "NS", value_hint = ValueHint::Other,
          add = ArgValueCompleter::new(completion::complete_namespace))]
    pub namespace: Option<String>,
    /// All namespaces (overrides --namespace, as in kubectl).
    #[arg(short = 'A', long, global = true)]
    pub all_namespaces: bool,
    /// User to evaluate for: a user name or system:serviceaccount:NS:NAME.
    #[arg(long = "as", global = true, value_name = "USER", value_hint = ValueHint::Other)]
    pub as_user: Option<String>,
    /// Group to evaluate for; repeatable.
    #[arg(long = "as-group", global = true, value_name = "GROUP", value_hint = ValueHint::Other)]
    pub as_group: Vec<String>,
    /// Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none).
    #[arg(long, global = true, value_name = "DURATION", value_hint = ValueHint::Other)]
    pub request_timeout: Option<String>,
    /// Objects per page when listing from a cluster (kubectl's --chunk-size; default 500).
    #[arg(long, global = true, value_name = "N")]
    pub chunk_size: Option<u32>,
    /// Answer from partial data with a warning instead of exiting 2 when data is missing.
    #[arg(long, global = true)]
    pub allow_incomplete: bool,
    /// Two different definitions of one object in the -f inputs: stop (error), or read the
    /// first or the last in input order (files of a directory in name order).
    #[arg(long, global = true, value_enum, default_value_t = crate::model::OnConflict::Error, value_name = "WHICH")]
    pub on_conflict: crate::model::OnConflict,
    /// The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G.
    #[arg(long, global = true, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_input_size: u64,
    /// Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl
    /// apply -n NS -f` would), independently of the -n of the question.
    #[arg(long, global = true, value_name = "NS")]
    pub apply_namespace: Option<String>,
    /// Add Kubernetes 1.35's default roles and bindings (what every API server creates at
    /// start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the
    /// inputs with the same kind and name replace them, as applying them would.
    #[arg(long, global = true)]
    pub bootstrap_policy: bool,
    /// Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise
    /// an error, since it is most likely a typo).
    #[arg(long, global = true)]
    pub allow_unknown: bool,
    /// The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow,
    /// AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first.
    /// Default: RBAC with -f; live, read from the kube-apiserver Pod when visible.
    #[arg(
        long,
        global = true,
        value_name = "LIST",
        help_heading = "Authorizer chain"
    )]
    pub authorization_mode: Option<String>,
    /// The ABAC policy file (one JSON object per line), as kube-apiserver's flag.
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath, help_heading = "Authorizer chain")]
    pub authorization_policy_file: Option<PathBuf>,
    /// The webhook authorizer's kubeconfig file, as kube-apiserver's flag: kubeaudit POSTs the
    /// SubjectAccessReview to it when the chain reaches the webhook.
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath, help_heading = "Authorizer chain")]
    pub authorization_webhook_config_file: Option<PathBuf>,
    /// The SubjectAccessReview version sent to the webhook (kube-apiserver's default: v1beta1).
    #[arg(long, global = true, value_name = "VERSION", default_value = "v1beta1",
          value_parser = ["v1", "v1beta1"], help_heading = "Authorizer chain")]
    pub authorization_webhook_version: String,
    /// A structured authorization configuration (apiserver.config.k8s.io
    /// AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of
    /// --authorization-mode and the webhook flags.
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath, help_heading = "Authorizer chain")]
    pub authorization_config: Option<PathBuf>,
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
    /// On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour.
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
    /// Check that namespaces deny all traffic by default (NetworkPolicy), per direction.
    #[command(name = "default-deny")]
    DefaultDeny(DefaultDenyArgs),
    /// Check whether a pod or address can open a connection to another, and show why.
    #[command(name = "can-reach")]
    CanReach(CanReachArgs),
    /// Print the pod × pod reachability grid for one port and protocol.
    #[command(name = "netpol-matrix")]
    NetpolMatrix(NetpolMatrixArgs),
    /// Fetch everything from the cluster into one file that -f reads back with the same answers.
    Snapshot(SnapshotArgs),
    /// List kubeconfig contexts and audit their credentials.
    Contexts(ContextsArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// List the subjects allowed to do something, and the binding → role → rule behind each.
    #[command(name = "who-can")]
    WhoCan(WhoCanArgs),
    /// Show a resource × verb grid of what one identity may do (like rakkess, computed locally).
    #[command(name = "access-matrix")]
    AccessMatrix(AccessMatrixArgs),
    /// Check RBAC, ServiceAccounts, pod security, admission and NetworkPolicy against a rule
    /// catalog whose checks ask the evaluator (for CI: SARIF, JUnit, baselines).
    Lint(LintArgs),
    /// Show what access changed between two versions: permissions gained and lost per subject,
    /// default-deny changes, new and fixed lint findings.
    Diff(DiffArgs),
    /// Show what a subject can become, hop by hop (impersonation, bind, escalate, workloads,
    /// tokens, CSRs, nodes …), with the binding → role → rule behind every hop.
    Escalation(EscalationArgs),
}

/// `snapshot -o FILE`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  kubeaudit snapshot -o cluster.json --context prod\n  \
kubeaudit can-i delete nodes --as bob -f cluster.json"
)]
pub struct SnapshotArgs {
    /// The file to write (YAML when it ends in .yaml or .yml, else JSON); written atomically.
    #[arg(short, long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: PathBuf,
}

/// `contexts`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 no findings, 1 some context has a risky credential, 2 error."
)]
pub struct ContextsArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table, value_name = "FORMAT")]
    pub output: OutputFormat,
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
    /// Also ask the API server (SelfSubjectAccessReview, or SubjectAccessReview with --as) and
    /// report whether it agrees.
    #[arg(long)]
    pub verify: bool,
    /// List every rule that applies to the identity, as kubectl auth can-i --list does
    /// (-o wide adds the binding → role → rule of each row; -A lists every namespace).
    #[arg(long)]
    pub list: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table, value_name = "FORMAT")]
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

/// Formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LintFormat {
    /// Findings grouped by severity.
    #[default]
    Table,
    /// The table, with each finding's evidence and suppressed findings.
    Wide,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML: one test case per rule and object.
    Junit,
}

/// One `-o FORMAT[=FILE]` of `lint`: where a format is written (stdout when no file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintOutput {
    /// The format.
    pub format: LintFormat,
    /// The file, written atomically; `None` for stdout.
    pub path: Option<PathBuf>,
}

/// Parses `FORMAT` or `FORMAT=FILE`.
pub fn parse_lint_output(text: &str) -> Result<LintOutput, String> {
    let (format, path) = match text.split_once('=') {
        Some((f, p)) if !p.is_empty() => (f, Some(PathBuf::from(p))),
        Some((_, _)) => return Err(format!("{text:?}: no file after '='")),
        None => (text, None),
    };
    let format = LintFormat::from_str(format, true).map_err(|_| {
        format!("{format:?} is not a format: expected one of table, wide, json, yaml, sarif, junit, optionally =FILE")
    })?;
    Ok(LintOutput { format, path })
}

/// `lint`.
#[derive(Debug, Args)]
#[command(
    after_help = "Rules (kubeaudit lint --list-rules; docs/rules.md) ask the evaluator, so wildcards, `*/exec`, aggregation, \
RoleBinding → ClusterRole and the core group are judged as the API server judges them. With -f, Kubernetes' default roles \
and bindings are added (as --bootstrap-policy does): bindings to edit, admin or view are evaluated, and what every \
cluster grants is never a finding. With -n NS only findings about objects of NS are reported.\n\n\
Suppress a finding with the annotation access-audit.io/ignore: \"RULE[,RULE]: reason [until YYYY-MM-DD]\" on its object, or \
with a baseline (--write-baseline F, then --baseline F). Suppressions that match nothing, have expired or give no reason are \
reported. A file .access-audit.yaml in the current directory (or --config F) may set enable, disable, failOn and baseline.\n\n\
Exit codes: 0 no unsuppressed finding at or above --fail-on, 1 findings, 2 error or data missing (unless --allow-incomplete).\n\n\
Examples:\n  kubeaudit lint -f examples/cluster\n  \
kubeaudit lint -f manifests/ -o sarif=kubeaudit.sarif -o table --fail-on high\n  \
kubeaudit lint -f manifests/ --write-baseline .kubeaudit-baseline.json\n  \
kubeaudit lint --context prod -A -o json"
)]
pub struct LintArgs {
    /// Output: FORMAT or FORMAT=FILE (table, wide, json, yaml, sarif, junit); repeatable,
    /// e.g. -o sarif=out.sarif -o table.
    #[arg(short, long, value_name = "FORMAT[=FILE]", value_parser = parse_lint_output,
          default_value = "table")]
    pub output: Vec<LintOutput>,
    /// Exit 1 when an unsuppressed finding has at least this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<crate::lint::Severity>,
    /// Exit 0 even with findings (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Run only these rules (ids or slugs; comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub enable: Vec<String>,
    /// Do not run these rules (ids or slugs; comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub disable: Vec<String>,
    /// Suppress the findings recorded in this baseline file.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub baseline: Option<PathBuf>,
    /// Write the unsuppressed findings to this baseline file (atomically).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub write_baseline: Option<PathBuf>,
    /// The configuration file (default: .access-audit.yaml in the current directory, if any).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,
    /// Print the rule catalog and exit.
    #[arg(long)]
    pub list_rules: bool,
}

/// Formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiffFormat {
    /// Human-readable.
    #[default]
    Table,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// A Markdown summary for a pull request comment or job summary.
    Markdown,
}

/// `diff BEFORE AFTER`.
#[derive(Debug, Args)]
#[command(
    after_help = "BEFORE and AFTER are each a manifest file or directory, a snapshot, '-' (stdin, once), or context:NAME \
for a live cluster of the kubeconfig. Manifests are read with Kubernetes' default roles and bindings (as \
--bootstrap-policy does). Permissions are compared per binding subject as the authorizer matches them, after \
aggregation: a rule rewritten with the same effect is no change, `*` replacing get and list is a gain of `*` only.\n\n\
Exit codes: 0 (also with changes), 1 with --fail-on-gain when anything was gained (a permission, a lost \
default-deny, a new lint finding), 2 error or data missing.\n\n\
Examples:\n  kubeaudit diff main/manifests/ pr/manifests/ --fail-on-gain\n  \
kubeaudit diff before.json context:prod -o markdown"
)]
pub struct DiffArgs {
    /// The version before.
    #[arg(value_name = "BEFORE")]
    pub before: String,
    /// The version after.
    #[arg(value_name = "AFTER")]
    pub after: String,
    /// Exit 1 when anything was gained.
    #[arg(long)]
    pub fail_on_gain: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Table, value_name = "FORMAT")]
    pub output: DiffFormat,
}

/// Formats of `escalation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum EscalationFormat {
    /// One line per hop (with -A: one line per subject).
    #[default]
    Table,
    /// The table with each hop's permissions and objects.
    Wide,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// A Graphviz graph of the paths.
    Dot,
    /// A Mermaid flowchart of the paths, for a pull request comment.
    Mermaid,
}

/// `escalation [--as USER [--as-group G]… | --sa NS/NAME | -A] [--to TARGET]`.
#[derive(Debug, Args)]
#[command(
    after_help = "Who: --sa NAMESPACE/NAME, --as USER [--as-group GROUP]..., or -A for every subject of every binding \
(ranked by the strongest target reached: cluster-admin, root on a node, other identities; then by hops).\n\n\
Targets (--to): cluster-admin (every verb on every resource and non-resource URL), sa:NAMESPACE/NAME, user:NAME, \
group:NAME, or 'can-i VERB RESOURCE [-n NS]'.\n\n\
Hops follow the primitives of docs/escalation.md, each permission asked of the same evaluator as can-i. From \
manifests, workload templates stand for running pods and nodes are unknown (said as assumptions); live, running \
Pods, Nodes and token Secrets (metadata only) are read.\n\n\
Exit codes: with --to 0 reachable (the shortest path is printed), 1 not reachable, 2 error or data missing that \
could hold a path; without --to 0.\n\n\
Examples:\n  kubeaudit escalation --sa ci/deployer --to cluster-admin -f examples/cluster\n  \
kubeaudit escalation -A -f examples/cluster\n  \
kubeaudit escalation --as dev-user --to 'can-i get secrets -n payments' -f examples/cluster\n  \
kubeaudit escalation --sa ci/deployer -o dot -f examples/cluster | dot -Tsvg > paths.svg"
)]
pub struct EscalationArgs {
    /// The ServiceAccount to start from, as NAMESPACE/NAME.
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub sa: Option<String>,
    /// What must be reached.
    #[arg(long, value_name = "TARGET")]
    pub to: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = EscalationFormat::Table, value_name = "FORMAT")]
    pub output: EscalationFormat,
}

/// The verbs `access-matrix` shows by default.
pub const DEFAULT_MATRIX_VERBS: &str = "get,list,watch,create,update,patch,delete";

/// `access-matrix`.
#[derive(Debug, Args)]
#[command(
    after_help = "Cells: ✔ allowed, ✖ denied (`.` and `X` when not on a colour terminal), n/a the resource does not serve the verb. Requests carry no object \
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
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub files: Vec<PathBuf>,
    /// Output format: yaml (a multi-document stream) or json (one List).
    #[arg(short, long, value_enum, default_value_t = ReviewFormat::Yaml, value_name = "FORMAT")]
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

/// Traffic directions a default-deny check covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DirectionChoice {
    /// Incoming traffic only.
    Ingress,
    /// Outgoing traffic only.
    Egress,
    /// Both directions.
    #[default]
    Both,
}

impl DirectionChoice {
    /// Whether ingress is checked.
    pub fn ingress(self) -> bool {
        matches!(self, DirectionChoice::Ingress | DirectionChoice::Both)
    }

    /// Whether egress is checked.
    pub fn egress(self) -> bool {
        matches!(self, DirectionChoice::Egress | DirectionChoice::Both)
    }
}

/// A transport protocol on the command line (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ProtocolChoice {
    /// Transmission Control Protocol (the default).
    #[default]
    #[value(name = "TCP")]
    Tcp,
    /// User Datagram Protocol.
    #[value(name = "UDP")]
    Udp,
    /// Stream Control Transmission Protocol.
    #[value(name = "SCTP")]
    Sctp,
}

/// `default-deny [-n NS | -A]`.
#[derive(Debug, Args)]
#[command(
    after_help = "A namespace has a default-deny for a direction when one of its NetworkPolicies selects \
every pod (podSelector {}), has the direction in its policyTypes (after the API server's defaulting) and \
has no rules for it. 'isolated' means every pod is isolated but some rules allow traffic; 'allow-all' \
means a rule with no peers and no ports overrides every deny.\n\n\
Exit codes: 0 every namespace checked has a default-deny in every direction asked for; 1 some lacks one; \
2 error, or data was missing (unless --allow-incomplete).\n\n\
Examples:\n  kubeaudit default-deny -A -f examples/cluster\n  \
kubeaudit default-deny -n shop --direction egress -o wide -f examples/cluster\n  \
kubeaudit default-deny -A --exclude-namespace 'kube-*' -o json"
)]
pub struct DefaultDenyArgs {
    /// Which directions must be denied by default.
    #[arg(long, value_enum, default_value_t = DirectionChoice::Both, value_name = "DIR")]
    pub direction: DirectionChoice,
    /// Leave out namespaces matching this glob (e.g. 'kube-*'); repeatable.
    #[arg(long = "exclude-namespace", value_name = "GLOB")]
    pub exclude_namespace: Vec<String>,
    /// Output format: wide adds the policies and the pods that are not isolated.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// `can-reach FROM TO --port P`.
#[derive(Debug, Args)]
#[command(
    after_help = "FROM and TO are NAMESPACE/POD, POD (in the namespace given with -n, else the default one) \
or an IP address (an address that is a pod's IP is evaluated as that pod). The connection is allowed when the source's egress AND the destination's ingress allow it. \
The port is the destination pod's (container) port, as policies see it after a Service's DNAT; a port name \
is looked up in the destination pod's containers.\n\n\
Exit codes: 0 allowed, 1 denied, 2 error or data missing (unless --allow-incomplete).\n\n\
Examples:\n  kubeaudit can-reach shop/storefront-7d4b9 shop/cart-5f6c8 --port 9000 -f examples/cluster\n  \
kubeaudit can-reach monitoring/prometheus-0 payments/payments-api-6b7d --port 8443 -o wide -f examples/cluster\n  \
kubeaudit can-reach 203.0.113.7 shop/storefront-7d4b9 --port http -o json"
)]
pub struct CanReachArgs {
    /// The source: NAMESPACE/POD, POD (namespace from -n) or an IP address.
    #[arg(value_name = "FROM")]
    pub from: String,
    /// The destination: NAMESPACE/POD, POD (namespace from -n) or an IP address.
    #[arg(value_name = "TO")]
    pub to: String,
    /// Destination port: a number (1-65535) or the name of a port of the destination pod.
    #[arg(short, long, value_name = "PORT")]
    pub port: String,
    /// Protocol.
    #[arg(long, value_enum, ignore_case = true, default_value_t = ProtocolChoice::Tcp, value_name = "PROTO")]
    pub protocol: ProtocolChoice,
    /// Output format: wide adds every matching rule, the isolating policies and notes.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// `netpol-matrix [-n NS | -A] --port P`.
#[derive(Debug, Args)]
#[command(
    after_help = "Rows are sources, columns destinations. A cell is allowed when the source's egress AND the \
destination's ingress allow the connection; cells marked * are implementation-defined (CNIs differ; the \
diagonal is a pod talking to itself). Without a terminal (or with --color never) allowed is '.' and denied 'X'.\n\n\
Exit codes: 0 the grid was computed, 2 error or data missing (unless --allow-incomplete).\n\n\
Examples:\n  kubeaudit netpol-matrix -A --port 80 -f examples/cluster\n  \
kubeaudit netpol-matrix -n shop --port 9000 -o wide -f examples/cluster"
)]
pub struct NetpolMatrixArgs {
    /// Destination port (1-65535).
    #[arg(short, long, value_name = "PORT")]
    pub port: String,
    /// Protocol.
    #[arg(long, value_enum, ignore_case = true, default_value_t = ProtocolChoice::Tcp, value_name = "PROTO")]
    pub protocol: ProtocolChoice,
    /// Leave out namespaces matching this glob (e.g. 'kube-*'); repeatable.
    #[arg(long = "exclude-namespace", value_name = "GLOB")]
    pub exclude_namespace: Vec<String>,
    /// Output format: wide adds the egress-only and ingress-only grids.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// `completions SHELL`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  kubeaudit completions bash > ~/.local/share/bash-completion/completions/kubeaudit\n  \
kubeaudit completions zsh > ~/.zfunc/_kubeaudit   # with fpath+=(~/.zfunc) before compinit\n  \
kubeaudit completions fish > ~/.config/fish/completions/kubeaudit.fish\n\n\
The static scripts complete flags, subcommands, enumerated values (-o, --color, shells) and file paths\n\
(-f, --kubeconfig, review FILE). With --dynamic, the script calls kubeaudit back at each TAB, which also\n\
completes context, cluster and user names from the kubeconfig and namespaces from the kubeconfig's\n\
contexts and the -f manifests (offline: no cluster is contacted). Load it at shell start-up, not from a\n\
file, so it always matches the installed binary:\n  \
source <(kubeaudit completions bash --dynamic)          # ~/.bashrc\n  \
source <(kubeaudit completions zsh --dynamic)           # ~/.zshrc, after compinit\n  \
kubeaudit completions fish --dynamic | source           # ~/.config/fish/config.fish\n\n\
kubectl access-audit is completed by kubectl (>= 1.26) through a link named kubectl_complete-access_audit\n\
to this binary on PATH."
)]
pub struct CompletionsArgs {
    /// The shell to generate the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
    /// Print the dynamic script (the same as COMPLETE=SHELL kubeaudit prints): names of
    /// contexts, clusters, users and namespaces are completed too.
    #[arg(long)]
    pub dynamic: bool,
}

/// The kubectl plugin name this binary was invoked as: `kubectl-access_audit` (or a path
/// ending in it, with `.exe` on Windows) gives `access-audit`. kubectl maps dashes in the
/// command to underscores in the file name, so underscores are turned back into dashes.
/// `None` when the file name does not start with `kubectl-`.
pub fn plugin_name(argv0: &OsStr) -> Option<String> {
    let file = Path::new(argv0).file_name()?.to_str()?;
    let file = match file.len().checked_sub(4) {
        Some(cut) if file.is_char_boundary(cut) && file[cut..].eq_ignore_ascii_case(".exe") => {
            &file[..cut]
        }
        _ => file,
    };
    let name = file.strip_prefix("kubectl-")?;
    (!name.is_empty()).then(|| name.replace('_', "-"))
}

/// The clap command for an invocation whose argv[0] is `argv0`: as a kubectl plugin, usage,
/// help and the examples in help read `kubectl NAME ...`; otherwise the plain command.
pub fn command_for(argv0: Option<&OsStr>) -> clap::Command {
    let cmd = Cli::command();
    match argv0.and_then(plugin_name) {
        Some(name) => as_plugin(cmd, &format!("kubectl {name}")),
        None => cmd,
    }
}

/// Renames the command for help and usage, and rewrites the `kubeaudit ...` example lines of
/// every `after_help` (subcommands included).
fn as_plugin(cmd: clap::Command, bin: &str) -> clap::Command {
    fn rewrite(mut cmd: clap::Command, bin: &str) -> clap::Command {
        if let Some(text) = cmd.get_after_help().map(ToString::to_string) {
            cmd = cmd.after_help(rewrite_examples(&text, bin));
        }
        if let Some(text) = cmd.get_after_long_help().map(ToString::to_string) {
            cmd = cmd.after_long_help(rewrite_examples(&text, bin));
        }
        cmd.mut_subcommands(|sub| rewrite(sub, bin))
    }
    rewrite(cmd.bin_name(bin), bin)
}

/// Replaces the word `kubeaudit` followed by a space, at the start of the text or after
/// whitespace (so `| kubeaudit review` is rewritten, `completions/kubeaudit` is not).
fn rewrite_examples(text: &str, bin: &str) -> String {
    let word = format!("{BIN_NAME} ");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(&word) {
        let at_word_start = rest[..pos].chars().next_back().map_or(
            out.is_empty() || out.ends_with(char::is_whitespace),
            char::is_whitespace,
        );
        out.push_str(&rest[..pos]);
        if at_word_start {
            out.push_str(bin);
            out.push(' ');
        } else {
            out.push_str(&word);
        }
        rest = &rest[pos + word.len()..];
    }
    out.push_str(rest);
    out
}

/// A size in bytes: a number with an optional K, M, G or T suffix (binary units).
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, shift) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 10),
        Some('M') => (&t[..t.len() - 1], 20),
        Some('G') => (&t[..t.len() - 1], 30),
        Some('T') => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1u64 << shift))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("expected a size such as 1G, 512M or 1000000, got {text:?}"))
}

/// Parses a command line, argv[0] included, honouring the kubectl plugin name (see
/// [`command_for`]).
///
/// # Errors
/// The clap error (usage error, or the help/version text to print) formatted for this
/// invocation; `clap::Error::exit` prints it and exits with clap's code (2 for usage errors).
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // `help --help` (or `-h`) asks for help about help: the main help says it.
    if args.len() == 3 && args[1] == "help" && (args[2] == "--help" || args[2] == "-h") {
        args.truncate(1);
        args.push("--help".into());
    }
    let mut cmd = command_for(args.first().map(OsString::as_os_str));
    let args = output_after_subcommand(args, &cmd);
    let matches = cmd.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))
}

/// `-o FORMAT` belongs to each command (their formats differ; `snapshot -o` is a file), but
/// like `-n` and `-f` it may be written before the command: `kubeaudit -o json who-can …`.
/// Such an `-o`/`--output` is moved to just after the command name.
fn output_after_subcommand(args: Vec<OsString>, cmd: &clap::Command) -> Vec<OsString> {
    let names: Vec<&str> = cmd
        .get_subcommands()
        .flat_map(|c| std::iter::once(c.get_name()).chain(c.get_all_aliases()))
        .collect();
    // Options written as `--flag VALUE` / `-f VALUE`: their value is never the command.
    let mut valued: Vec<String> = Vec::new();
    for arg in cmd.get_arguments() {
        if arg.get_action().takes_values() {
            valued.extend(arg.get_long().map(|l| format!("--{l}")));
            valued.extend(arg.get_short().map(|c| format!("-{c}")));
        }
    }
    let mut at = None;
    let mut i = 1;
    while i < args.len() {
        let a = args[i].to_str().unwrap_or("");
        if names.contains(&a) {
            at = Some(i);
            break;
        }
        i += if valued.iter().any(|v| v == a) { 2 } else { 1 };
    }
    let Some(at) = at else {
        return args;
    };
    let mut moved = Vec::new();
    let mut before = vec![args[0].clone()];
    let mut i = 1;
    while i < at {
        let a = args[i].to_str().unwrap_or("");
        if (a == "-o" || a == "--output") && i + 1 < at {
            moved.extend([args[i].clone(), args[i + 1].clone()]);
            i += 2;
            continue;
        }
        if a.starts_with("--output=")
            || (a.starts_with("-o") && a.len() > 2 && !a.starts_with("--"))
        {
            moved.push(args[i].clone());
        } else {
            before.push(args[i].clone());
        }
        i += 1;
    }
    if moved.is_empty() {
        return args;
    }
    before.push(args[at].clone());
    before.extend(moved);
    before.extend(args[at + 1..].iter().cloned());
    before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_come_before_the_command() {
        let cli = parse(&["kubeaudit", "-o", "json", "who-can", "get", "pods"]).expect("parses");
        assert!(matches!(cli.command, Command::WhoCan(ref a) if a.output == OutputFormat::Json));
        let cli = parse(&[
            "kubeaudit",
            "--output=yaml",
            "-n",
            "x",
            "can-i",
            "get",
            "pods",
        ])
        .expect("parses");
        assert!(matches!(cli.command, Command::CanI(ref a) if a.output == OutputFormat::Yaml));
        // A flag's value that happens to be a command name is not the command.
        let cli = parse(&[
            "kubeaudit",
            "--context",
            "review",
            "-o",
            "json",
            "who-can",
            "get",
            "pods",
        ])
        .expect("parses");
        assert!(matches!(cli.command, Command::WhoCan(ref a) if a.output == OutputFormat::Json));
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        parse_from(args.iter().copied())
    }

    #[test]
    fn plugin_names_follow_kubectl_file_naming() {
        let name = |s: &str| plugin_name(OsStr::new(s));
        assert_eq!(
            name("/home/u/.krew/bin/kubectl-access_audit").as_deref(),
            Some("access-audit")
        );
        assert_eq!(
            name("kubectl-access_audit.exe").as_deref(),
            Some("access-audit")
        );
        assert_eq!(
            name("kubectl-access-audit").as_deref(),
            Some("access-audit")
        );
        assert_eq!(name("kubectl-x.v2").as_deref(), Some("x.v2"));
        assert_eq!(name("kubeaudit"), None);
        assert_eq!(name("/usr/bin/kubectl"), None);
        assert_eq!(name("kubectl-"), None);
        assert_eq!(name("my-kubectl-access_audit"), None);
    }

    #[test]
    fn plugin_usage_and_examples_say_kubectl_name() {
        let err = parse(&["/tmp/kubectl-access_audit", "--help"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
        let help = err.to_string();
        assert!(
            help.contains("Usage: kubectl access-audit [OPTIONS] <COMMAND>"),
            "{help}"
        );
        let err = parse(&["kubectl-access_audit", "can-i", "--help"]).unwrap_err();
        let help = err.to_string();
        assert!(
            help.contains("Usage: kubectl access-audit can-i [OPTIONS]"),
            "{help}"
        );
        assert!(
            help.contains("  kubectl access-audit can-i create pods"),
            "{help}"
        );
        assert!(!help.contains("kubeaudit can-i"), "{help}");
        let err = parse(&["kubectl-access_audit", "review", "--help"]).unwrap_err();
        assert!(
            err.to_string()
                .contains("cat sar.json | kubectl access-audit review"),
            "{err}"
        );
        // Usage errors name the plugin too.
        let err = parse(&["kubectl-access_audit", "can-i", "--bogus"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(
            err.to_string().contains("kubectl access-audit can-i"),
            "{err}"
        );
    }

    #[test]
    fn plain_binary_keeps_its_name() {
        let err = parse(&["/usr/local/bin/kubeaudit", "can-i", "--help"]).unwrap_err();
        let help = err.to_string();
        assert!(help.contains("Usage: kubeaudit can-i"), "{help}");
        assert!(help.contains("  kubeaudit can-i create pods"), "{help}");
    }

    #[test]
    fn example_rewriting_only_touches_command_words() {
        let bin = "kubectl x";
        assert_eq!(
            rewrite_examples("kubeaudit a\n  kubeaudit b | kubeaudit c", bin),
            "kubectl x a\n  kubectl x b | kubectl x c"
        );
        assert_eq!(
            rewrite_examples("> completions/kubeaudit _kubeaudit kubeaudit", bin),
            "> completions/kubeaudit _kubeaudit kubeaudit"
        );
    }

    /// kubectl forwards none of its own flags to a plugin, so each must be accepted after
    /// any subcommand, in any position.
    #[test]
    fn every_root_flag_is_global() {
        let cmd = Cli::command();
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            assert!(arg.is_global_set(), "--{id} must be global = true");
        }
    }

    #[test]
    fn kubectl_flags_parse_after_the_plugin_subcommand() {
        let cli = parse(&[
            "kubectl-access_audit",
            "can-i",
            "get",
            "pods",
            "--kubeconfig",
            "/k",
            "--context",
            "ctx",
            "--cluster",
            "cl",
            "--user",
            "u",
            "-n",
            "ns",
            "-A",
            "--as",
            "system:serviceaccount:a:b",
            "--as-group",
            "g1",
            "--as-group",
            "g2",
            "--request-timeout",
            "5s",
            "-f",
            "m.yaml",
            "--no-headers",
            "--allow-incomplete",
            "--color",
            "never",
            "-o",
            "json",
        ])
        .expect("parses");
        let g = &cli.global;
        assert_eq!(g.kubeconfig.as_deref(), Some(Path::new("/k")));
        assert_eq!(g.context.as_deref(), Some("ctx"));
        assert_eq!(g.cluster.as_deref(), Some("cl"));
        assert_eq!(g.user.as_deref(), Some("u"));
        assert_eq!(g.namespace.as_deref(), Some("ns"));
        assert!(g.all_namespaces && g.no_headers && g.allow_incomplete);
        assert_eq!(g.as_user.as_deref(), Some("system:serviceaccount:a:b"));
        assert_eq!(g.as_group, ["g1", "g2"]);
        assert_eq!(g.request_timeout.as_deref(), Some("5s"));
        assert_eq!(g.filename, [PathBuf::from("m.yaml")]);
        assert_eq!(g.color, ColorChoice::Never);
        let Command::CanI(args) = cli.command else {
            panic!("can-i expected")
        };
        assert_eq!(args.output, OutputFormat::Json);
        assert_eq!(args.verb.as_deref(), Some("get"));
    }

    #[test]
    fn version_names_the_pinned_kubernetes_version() {
        let cmd = Cli::command();
        let version = cmd.get_version().unwrap_or_default();
        assert!(
            version.contains(&format!("Kubernetes API {KUBERNETES_VERSION}")),
            "{version}"
        );
        // The k8s-openapi feature must be the same version.
        let feature = format!("\"v{}\"", KUBERNETES_VERSION.replace('.', "_"));
        let manifest = include_str!("../Cargo.toml");
        let k8s = manifest
            .lines()
            .find(|l| l.starts_with("k8s-openapi"))
            .unwrap_or_default();
        assert!(k8s.contains(&feature), "Cargo.toml: {k8s}");
    }

    /// Every command's `-o` means the same thing: `-o/--output`, values from one vocabulary,
    /// and JSON available for CI.
    #[test]
    fn output_flags_are_consistent_across_commands() {
        const KNOWN: [&str; 10] = [
            "table", "wide", "json", "yaml", "name", "sarif", "junit", "markdown", "dot", "mermaid",
        ];
        let mut cmd = Cli::command();
        cmd.build();
        let mut checked = Vec::new();
        for sub in cmd.get_subcommands() {
            // `snapshot -o FILE` names the file it writes, not a format.
            if sub.get_name() == "snapshot" {
                continue;
            }
            for arg in sub.get_arguments() {
                let is_output = arg.get_id() == "output"
                    || arg.get_short() == Some('o')
                    || arg.get_long() == Some("output");
                if !is_output {
                    continue;
                }
                let name = sub.get_name();
                assert_eq!(arg.get_short(), Some('o'), "{name}: -o");
                assert_eq!(arg.get_long(), Some("output"), "{name}: --output");
                if name == "lint" {
                    // FORMAT[=FILE]: the same vocabulary, parsed by hand.
                    for v in ["table", "wide", "json", "yaml", "sarif", "junit"] {
                        assert!(
                            KNOWN.contains(&v) && parse_lint_output(v).is_ok(),
                            "lint: {v}"
                        );
                    }
                    assert!(parse_lint_output("json=out.json").unwrap().path.is_some());
                    assert!(parse_lint_output("xml").is_err());
                    checked.push(name.to_string());
                    continue;
                }
                let values: Vec<String> = arg
                    .get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_string())
                    .collect();
                for v in &values {
                    assert!(
                        KNOWN.contains(&v.as_str()),
                        "{name}: -o {v} is not one of {KNOWN:?}"
                    );
                }
                assert!(
                    values.iter().any(|v| v == "json"),
                    "{name}: -o must offer json"
                );
                checked.push(name.to_string());
            }
        }
        assert!(checked.iter().any(|c| c == "can-i"), "{checked:?}");
    }
}
