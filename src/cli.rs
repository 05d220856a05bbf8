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
    /// Check that namespaces deny all traffic by default (NetworkPolicy), per direction.
    #[command(name = "default-deny")]
    DefaultDeny(DefaultDenyArgs),
    /// Check whether a pod or address can open a connection to another, and show why.
    #[command(name = "can-reach")]
    CanReach(CanReachArgs),
    /// Print the pod × pod reachability grid for one port and protocol.
    #[command(name = "netpol-matrix")]
    NetpolMatrix(NetpolMatrixArgs),
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
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
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
