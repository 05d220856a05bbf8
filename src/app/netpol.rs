//! `kubeaudit default-deny`, `can-reach` and `netpol-matrix`: the NetworkPolicy commands.
//!
//! Command-line input (endpoints, ports, globs) is validated before anything is loaded, so
//! input errors come first. The network model is built from the inventory's Namespaces and
//! its raw Pods, Nodes and policy objects; data a source could not read is reported and
//! turns an answer into "cannot tell" (exit 2) unless `--allow-incomplete`.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};

use serde_json::{json, Value};

use super::load::{load_kinds, Loaded, NETWORK_KINDS};
use super::{note, warn, UsageError};
use crate::cli::{
    CanReachArgs, ColorChoice, DefaultDenyArgs, GlobalArgs, NetpolMatrixArgs, OutputFormat,
    ProtocolChoice,
};
use crate::exit::Exit;
use crate::model::{Inventory, MissingData};
use crate::netpol::{
    validate_port, DefaultDenyReport, Endpoint, IncompleteReason, ModelOptions, NamespaceFilter,
    NetpolError, NetworkModel, Note, Protocol, Reachability, Warning, WarningCode,
};
use crate::output;
use crate::output::netpol::{DirectionsShown, TableStyle};

/// Most model warnings printed before summarising the rest.
const MAX_WARNINGS: usize = 20;

/// Kinds whose objects the network model reads (the rest of the inventory is irrelevant).
const NETPOL_KINDS: [&str; 7] = [
    "Namespace",
    "Pod",
    "Node",
    "NetworkPolicy",
    "AdminNetworkPolicy",
    "BaselineAdminNetworkPolicy",
    "ClusterNetworkPolicy",
];

impl From<ProtocolChoice> for Protocol {
    fn from(p: ProtocolChoice) -> Self {
        match p {
            ProtocolChoice::Tcp => Protocol::Tcp,
            ProtocolChoice::Udp => Protocol::Udp,
            ProtocolChoice::Sctp => Protocol::Sctp,
        }
    }
}

/// A `--port` value: a number, or a name to look up in the destination pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortArg {
    /// A validated port number.
    Number(u16),
    /// A port name (IANA_SVC_NAME syntax).
    Name(String),
}

/// Parses `--port`: 1–65535, or a port name as the API accepts it (1–15 lowercase letters,
/// digits and '-', at least one letter, no leading/trailing or double '-').
pub fn parse_port(text: &str) -> Result<PortArg, UsageError> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return validate_port(n)
            .map(PortArg::Number)
            .map_err(|e| UsageError(e.to_string()));
    }
    let b = t.as_bytes();
    let valid_name = !b.is_empty()
        && b.len() <= 15
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.iter().any(u8::is_ascii_lowercase)
        && !t.starts_with('-')
        && !t.ends_with('-')
        && !t.contains("--");
    if valid_name {
        Ok(PortArg::Name(t.to_string()))
    } else {
        Err(UsageError(format!(
            "invalid port {text:?}: expected a number from 1 to 65535 or a port name (up to 15 lowercase letters, digits and '-')"
        )))
    }
}

/// The raw objects the network model reads: every Namespace (rebuilt from its metadata, with
/// its labels) and the Pods, Nodes and policy objects of the inventory, each with its origin.
pub fn network_objects(inventory: &Inventory) -> Vec<(Value, String)> {
    let mut out = Vec::new();
    for ns in &inventory.namespaces {
        out.push((
            json!({"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": ns.metadata.name, "labels": ns.metadata.labels}}),
            ns.origin.to_string(),
        ));
    }
    for raw in &inventory.other {
        // Foreign policy kinds (Calico, Cilium, …) are passed on too: the model reports them
        // as not evaluated instead of ignoring them.
        let relevant = matches!(raw.kind.as_str(), "Pod" | "Node")
            || raw.kind.ends_with("Policy")
            || raw.kind.ends_with("Policies");
        if relevant {
            out.push((raw.value.to_value_once(), raw.origin.to_string()));
        }
    }
    out.extend(super::workloads::derived_pods(inventory));
    out
}

/// Builds the network model of a loaded inventory; objects without a namespace land in
/// `--apply-namespace`, else the namespace in effect (-n, else the default), as `kubectl
/// apply` would put them.
pub fn build_model(loaded: &Loaded, global: &GlobalArgs) -> Result<NetworkModel, NetpolError> {
    let (derived, model) = network_model(loaded, global);
    note_derived(derived);
    model
}

/// Notes how many pods were derived from workload pod templates (the `derived` of
/// [`network_model`]).
pub fn note_derived(derived: usize) {
    if derived > 0 {
        note(format_args!(
            "{derived} pod(s) derived from workload pod templates, named TYPE.NAME (e.g. deploy.web): no Pod objects were loaded for those workloads"
        ));
    }
}

/// [`build_model`] without printing: how many pods were derived from workload pod
/// templates (for [`note_derived`]), and the model.
pub fn network_model(
    loaded: &Loaded,
    global: &GlobalArgs,
) -> (usize, Result<NetworkModel, NetpolError>) {
    let objects = network_objects(&loaded.inventory);
    let derived = objects
        .iter()
        .filter(|(_, origin)| origin.starts_with(super::workloads::DERIVED_ORIGIN))
        .count();
    let options = ModelOptions {
        default_namespace: global
            .apply_namespace
            .clone()
            .unwrap_or_else(|| loaded.namespace(global)),
        default_namespace_explicit: global.apply_namespace.is_some(),
    };
    (derived, NetworkModel::from_objects_with(objects, &options))
}

/// How tables are drawn: symbols and colour on a terminal (or with --color always), plain
/// words otherwise; headers unless --no-headers.
pub fn table_style(global: &GlobalArgs) -> TableStyle {
    let fancy = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    TableStyle {
        fancy,
        headers: !global.no_headers,
    }
}

/// Data the source could not read that the network model would have used. `decisive` picks
/// the kinds (and namespaces) that can change the answer.
fn missing_data(
    inventory: &Inventory,
    decisive: impl Fn(&MissingData) -> bool,
) -> Vec<&MissingData> {
    inventory
        .missing
        .iter()
        .filter(|m| NETPOL_KINDS.contains(&m.kind.as_str()) && decisive(m))
        .collect()
}

fn missing_text(m: &MissingData) -> String {
    match &m.namespace {
        Some(ns) => format!("{} in {ns}: {}", m.kind, m.reason),
        None => format!("{}: {}", m.kind, m.reason),
    }
}

/// Prints model warnings about objects in scope (cluster-scoped objects always are).
fn print_warnings<'a>(
    warnings: impl IntoIterator<Item = &'a Warning>,
    in_scope: impl Fn(&str) -> bool,
) {
    let relevant: Vec<&Warning> = warnings
        .into_iter()
        .filter(|w| match &w.object {
            Some(o) if o.kind == "Namespace" => in_scope(&o.name),
            Some(o) => o.namespace.as_deref().is_none_or(&in_scope),
            None => true,
        })
        .collect();
    // One line for all objects placed in the default namespace: an install manifest without
    // namespaces would otherwise print one per object.
    let (placed, relevant): (Vec<&Warning>, Vec<&Warning>) = relevant
        .into_iter()
        .partition(|w| w.code == WarningCode::MissingNamespace);
    match placed.as_slice() {
        [] => {}
        [one] => warn(one),
        [first, ..] => warn(format_args!(
            "{} and {} more objects: no metadata.namespace; {} (--apply-namespace NS places them elsewhere)",
            first.object.as_ref().map(|o| o.to_string()).unwrap_or_default(),
            placed.len() - 1,
            first.message.trim_start_matches("no namespace given; ")
        )),
    }
    for w in relevant.iter().take(MAX_WARNINGS) {
        warn(w);
    }
    if relevant.len() > MAX_WARNINGS {
        warn(format_args!(
            "... and {} more warnings about the input",
            relevant.len() - MAX_WARNINGS
        ));
    }
}

/// The namespace filter of a report: -A (all), else -n or the default namespace; minus the
/// exclusion globs.
fn namespace_filter(
    global: &GlobalArgs,
    loaded: &Loaded,
    exclude: &[String],
) -> Result<NamespaceFilter, NetpolError> {
    if global.all_namespaces {
        NamespaceFilter::new(&[] as &[String], exclude)
    } else {
        NamespaceFilter::new(&[loaded.namespace(global)], exclude)
    }
}

/// Checks the globs before anything is loaded.
fn check_globs(exclude: &[String]) -> Result<(), NetpolError> {
    NamespaceFilter::new(&[] as &[String], exclude).map(|_| ())
}

/// When the one namespace asked for is unknown to the input, says so: an empty answer would
/// otherwise look like a real one.
fn note_unknown_namespace(global: &GlobalArgs, loaded: &Loaded, model: &NetworkModel) {
    if global.all_namespaces {
        return;
    }
    let ns = loaded.namespace(global);
    if model.namespace(&ns).is_none() {
        let how = if global.namespace.is_some() {
            "given with -n"
        } else {
            "the default namespace; use -n NS or -A for all"
        };
        note(format_args!(
            "namespace {ns:?} ({how}) has no Namespace object, Pod or NetworkPolicy in the input"
        ));
    }
}

fn print_report<T: serde::Serialize>(
    format: OutputFormat,
    value: &T,
    table: impl FnOnce(&mut dyn Write, bool) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        OutputFormat::Json => output::write_json(&mut out, value)?,
        OutputFormat::Yaml => output::write_yaml(&mut out, value)?,
        OutputFormat::Table => table(&mut out, false)?,
        OutputFormat::Wide => table(&mut out, true)?,
    }
    out.flush()?;
    Ok(())
}

/// Turns an answer into an exit code, given what could not be known.
fn exit_with_gaps(global: &GlobalArgs, answer: Exit, gaps: &[String], what: &str) -> Exit {
    if gaps.is_empty() {
        return answer;
    }
    if global.allow_incomplete {
        warn(format_args!(
            "{what} comes from incomplete data and may be wrong: {}",
            gaps.join("; ")
        ));
        return answer;
    }
    let _ = writeln!(
        std::io::stderr(),
        "error: cannot tell: {what} depends on data that is missing: {} (use --allow-incomplete to accept an answer from partial data)",
        gaps.join("; ")
    );
    Exit::Error
}

/// Runs `default-deny`: exit 0 when every namespace in scope has a default-deny in every
/// direction asked for, 1 when one lacks it, 2 on error or missing data.
pub async fn run_default_deny(global: &GlobalArgs, args: DefaultDenyArgs) -> anyhow::Result<Exit> {
    check_globs(&args.exclude_namespace)?;
    let loaded = load_kinds(global, NETWORK_KINDS).await?;
    let model = build_model(&loaded, global)?;
    let filter = namespace_filter(global, &loaded, &args.exclude_namespace)?;
    note_unknown_namespace(global, &loaded, &model);
    let mut report = model.default_deny(&filter);
    print_warnings(&report.warnings, |_| true);
    if report.namespaces.is_empty() {
        if global.all_namespaces {
            warn("no namespace in scope: the input has no Namespaces, Pods or NetworkPolicies (or all are excluded)");
        } else {
            warn(format_args!(
                "namespace {:?} is excluded by --exclude-namespace",
                loaded.namespace(global)
            ));
        }
    }
    let gaps = default_deny_gaps(&mut report, &loaded, global, &filter);
    let shown = DirectionsShown {
        ingress: args.direction.ingress(),
        egress: args.direction.egress(),
    };
    let style = table_style(global);
    print_report(args.output, &report, |out, wide| {
        output::netpol::write_default_deny(out, &report, shown, wide, style)
    })?;
    let lacking = report.namespaces.iter().any(|n| {
        (shown.ingress && !n.ingress.default_deny) || (shown.egress && !n.egress.default_deny)
    });
    let answer = if lacking { Exit::No } else { Exit::Yes };
    Ok(exit_with_gaps(
        global,
        answer,
        &gaps,
        "the default-deny check",
    ))
}

/// What the default-deny verdicts cannot see. Missing pods only empty the pod lists (the
/// verdicts are about policies), so they are a warning; unsupported policy kinds and
/// unreadable NetworkPolicies (or, for -A, Namespaces) are gaps. Marks the report incomplete
/// when the source missed something.
fn default_deny_gaps(
    report: &mut DefaultDenyReport,
    loaded: &Loaded,
    global: &GlobalArgs,
    filter: &NamespaceFilter,
) -> Vec<String> {
    let mut gaps = Vec::new();
    for reason in &report.incomplete_reasons {
        match reason {
            IncompleteReason::PodsNotLoaded => warn(
                "no Pod objects were loaded: pod isolation is not listed (the default-deny verdicts do not depend on pods)",
            ),
            IncompleteReason::UnsupportedPolicies { objects } => gaps.push(format!(
                "policy objects of kinds kubeaudit does not evaluate: {}",
                objects
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    let missing = missing_data(&loaded.inventory, |m| match m.kind.as_str() {
        "Pod" => false,
        "Namespace" => global.all_namespaces,
        _ => m.namespace.as_deref().is_none_or(|ns| filter.matches(ns)),
    });
    let pods_missing = missing_data(&loaded.inventory, |m| m.kind == "Pod");
    if !pods_missing.is_empty() {
        report.complete = false;
        warn(format_args!(
            "some Pods could not be read ({}): pod lists may be incomplete",
            pods_missing
                .iter()
                .map(|m| missing_text(m))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if !missing.is_empty() {
        report.complete = false;
    }
    gaps.extend(missing.into_iter().map(missing_text));
    gaps
}

/// The port number a named `--port` stands for on the destination pod.
fn resolve_named_port(
    model: &NetworkModel,
    to: &Endpoint,
    name: &str,
    protocol: Protocol,
) -> Result<u16, UsageError> {
    let pod = match to {
        Endpoint::Pod { namespace, name } => model.pod(namespace, name),
        Endpoint::Ip { ip } => model.pods().find(|p| !p.host_network && p.ips.contains(ip)),
    };
    let Some(pod) = pod else {
        return Err(UsageError(format!(
            "--port {name:?} is a port name, and only a pod's ports have names: {to} is not a loaded pod; give a number"
        )));
    };
    let numbers: BTreeSet<u16> = pod
        .ports
        .iter()
        .filter(|p| p.name.as_deref() == Some(name) && p.protocol == protocol)
        .map(|p| p.port)
        .collect();
    match numbers.len() {
        1 => Ok(*numbers.iter().next().unwrap_or(&0)),
        0 => {
            let declared: Vec<String> = pod
                .ports
                .iter()
                .filter_map(|p| {
                    p.name
                        .as_ref()
                        .map(|n| format!("{n} ({}/{})", p.port, p.protocol))
                })
                .collect();
            Err(UsageError(format!(
                "pod {} declares no {protocol} port named {name:?} (named ports: {})",
                pod.key(),
                if declared.is_empty() {
                    "none".to_string()
                } else {
                    declared.join(", ")
                }
            )))
        }
        _ => Err(UsageError(format!(
            "pod {} declares several {protocol} ports named {name:?} ({}); give a number",
            pod.key(),
            numbers
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Adds the pods of the namespace to a "pod not found" error, since generated pod names are
/// hard to guess.
fn explain_pod_error(err: NetpolError, model: &NetworkModel) -> anyhow::Error {
    if let NetpolError::PodNotFound { namespace, .. } = &err {
        let pods: Vec<&str> = model.pods_in(namespace).map(|p| p.name.as_str()).collect();
        if !pods.is_empty() {
            let shown = pods.iter().take(10).copied().collect::<Vec<_>>().join(", ");
            let more = if pods.len() > 10 { ", …" } else { "" };
            return anyhow::anyhow!("{err}; pods in {namespace}: {shown}{more}");
        }
        if model.pods_loaded() {
            return anyhow::anyhow!("{err}; the input has no pods in namespace {namespace}");
        }
    }
    err.into()
}

/// Whether an endpoint argument is a bare pod name (no namespace, not an address).
fn is_bare_pod_name(text: &str) -> bool {
    let t = text.trim();
    !t.contains('/') && !t.starts_with("ip:") && t.parse::<std::net::IpAddr>().is_err()
}

/// Parses an endpoint argument; a bare pod name takes `namespace`, kubectl style.
fn parse_endpoint(text: &str, namespace: &str) -> Result<Endpoint, NetpolError> {
    // kubectl's workload names: `deploy/web` (in -n's namespace) or `NS/deploy/web`.
    let parts: Vec<&str> = text.trim().split('/').collect();
    let workload = match parts.as_slice() {
        [kind, name] => super::workloads::derived_pod_name(kind, name).map(|p| (namespace, p)),
        [ns, kind, name] => super::workloads::derived_pod_name(kind, name).map(|p| (*ns, p)),
        _ => None,
    };
    if let Some((ns, pod)) = workload {
        return Endpoint::parse(&format!("{ns}/{pod}"));
    }
    if is_bare_pod_name(text) {
        Endpoint::parse(&format!("{namespace}/{}", text.trim())).map_err(|e| match e {
            NetpolError::InvalidEndpoint { reason, .. } => NetpolError::InvalidEndpoint {
                input: text.to_string(),
                reason,
            },
            other => other,
        })
    } else {
        Endpoint::parse(text)
    }
}

/// Runs `can-reach`: exit 0 allowed, 1 denied, 2 on error or missing data.
pub async fn run_can_reach(global: &GlobalArgs, args: CanReachArgs) -> anyhow::Result<Exit> {
    // Checked before loading with a placeholder namespace, so input errors come first.
    parse_endpoint(&args.from, "default")?;
    parse_endpoint(&args.to, "default")?;
    let port_arg = parse_port(&args.port)?;
    let protocol = Protocol::from(args.protocol);
    let loaded = load_kinds(global, NETWORK_KINDS).await?;
    let namespace = loaded.namespace(global);
    let from = parse_endpoint(&args.from, &namespace)?;
    let to = parse_endpoint(&args.to, &namespace)?;
    let model = build_model(&loaded, global)?;
    let port = match &port_arg {
        PortArg::Number(n) => *n,
        PortArg::Name(name) => {
            let n = resolve_named_port(&model, &to, name, protocol)?;
            note(format_args!("port {name:?} of {to} is {n}/{protocol}"));
            n
        }
    };
    let mut report = model
        .can_reach(&from, &to, port, protocol)
        .map_err(|e| explain_pod_error(e, &model))?;
    let scope: BTreeSet<String> = [&report.from.pod, &report.to.pod]
        .into_iter()
        .flatten()
        .filter_map(|k| k.split_once('/').map(|(ns, _)| ns.to_string()))
        .collect();
    print_warnings(model.warnings(), |ns| scope.contains(ns));
    let mut gaps = reach_gaps(&report, &model);
    let missing = missing_data(&loaded.inventory, |_| true);
    if !missing.is_empty() {
        report.complete = false;
    }
    gaps.extend(missing.into_iter().map(missing_text));
    let style = table_style(global);
    print_report(args.output, &report, |out, wide| {
        output::netpol::write_reachability(out, &report, wide, style)
    })?;
    let answer = if report.allowed { Exit::Yes } else { Exit::No };
    Ok(exit_with_gaps(global, answer, &gaps, "the verdict"))
}

/// Human-readable data gaps behind an incomplete reachability answer. An unknown node IP is
/// not one: the address is answered as the external address it was given as, and a note says
/// that traffic from the pod's own node would be allowed.
fn reach_gaps(report: &Reachability, model: &NetworkModel) -> Vec<String> {
    let mut gaps = Vec::new();
    for n in &report.notes {
        if n.makes_incomplete() {
            gaps.push(output::netpol::note_text(n));
        } else if matches!(n, Note::NodeIpUnknown { .. }) && !report.allowed {
            note(output::netpol::note_text(n));
        }
    }
    let unsupported = model.unsupported_policies();
    if !unsupported.is_empty() {
        gaps.push(format!(
            "policy objects of kinds kubeaudit does not evaluate: {}",
            unsupported
                .iter()
                .map(|u| u.object.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if gaps.is_empty() && !report.complete {
        gaps.push("the evaluation lacked some data (see notes)".into());
    }
    gaps
}

/// Runs `netpol-matrix`: exit 0 when the grid was computed, 2 on error or missing data.
pub async fn run_matrix(global: &GlobalArgs, args: NetpolMatrixArgs) -> anyhow::Result<Exit> {
    let port = match parse_port(&args.port)? {
        PortArg::Number(n) => n,
        PortArg::Name(name) => {
            return Err(UsageError(format!(
                "netpol-matrix needs a port number (--port {name:?} is a name, which each pod may map to a different number; use can-reach for one pod)"
            ))
            .into())
        }
    };
    check_globs(&args.exclude_namespace)?;
    let protocol = Protocol::from(args.protocol);
    let loaded = load_kinds(global, NETWORK_KINDS).await?;
    let model = build_model(&loaded, global)?;
    let filter = namespace_filter(global, &loaded, &args.exclude_namespace)?;
    note_unknown_namespace(global, &loaded, &model);
    let mut matrix = model.matrix(&filter, port, protocol)?;
    print_warnings(model.warnings(), |ns| filter.matches(ns));
    let mut gaps = Vec::new();
    if !model.pods_loaded() {
        gaps.push("no Pod objects were loaded".to_string());
    } else if matrix.pods.is_empty() {
        warn("no pods in scope: the grid is empty");
    }
    if !model.unsupported_policies().is_empty() {
        matrix.complete = false;
    }
    let missing = missing_data(&loaded.inventory, |_| true);
    if !missing.is_empty() {
        matrix.complete = false;
    }
    gaps.extend(missing.into_iter().map(missing_text));
    if !matrix.complete && gaps.is_empty() {
        gaps.push("some cells lacked data (run can-reach on a cell for the details)".to_string());
    }
    let style = table_style(global);
    print_report(args.output, &matrix, |out, wide| {
        output::netpol::write_matrix(out, &matrix, wide, style)
    })?;
    Ok(exit_with_gaps(global, Exit::Yes, &gaps, "the grid"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    #[test]
    fn ports_parse_as_numbers_or_names() {
        assert_eq!(parse_port("80").expect("port"), PortArg::Number(80));
        assert_eq!(parse_port("65535").expect("port"), PortArg::Number(65535));
        for bad in ["0", "65536", "-1", "99999999999999999999"] {
            let e = parse_port(bad).expect_err(bad).to_string();
            assert!(
                e.contains("invalid port") && e.contains("1 to 65535"),
                "{e}"
            );
        }
        assert_eq!(
            parse_port("http").expect("name"),
            PortArg::Name("http".into())
        );
        assert_eq!(
            parse_port("serve-80-tcp").expect("name"),
            PortArg::Name("serve-80-tcp".into())
        );
        for bad in ["", "HTTP", "a--b", "-a", "a-", "abcdefghijklmnop", "80/tcp"] {
            assert!(parse_port(bad).is_err(), "{bad:?} accepted");
        }
    }

    fn loaded_with_missing(kinds: &[(&str, Option<&str>)]) -> Loaded {
        let mut inventory = Inventory::default();
        for (kind, ns) in kinds {
            inventory.missing.push(MissingData {
                kind: kind.to_string(),
                namespace: ns.map(str::to_string),
                reason: "forbidden".into(),
                code: Some(403),
            });
        }
        Loaded {
            inventory,
            default_namespace: "shop".into(),
            live: None,
        }
    }

    #[test]
    fn unreadable_data_makes_default_deny_uncertain_only_when_it_matters() {
        let model = NetworkModel::from_objects(vec![(
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "shop"}}),
            "t".to_string(),
        )])
        .expect("model");
        let global = GlobalArgs::default();
        let filter = NamespaceFilter::new(&["shop"], &[]).expect("filter");
        let gaps_for = |kinds: &[(&str, Option<&str>)], all: bool| {
            let loaded = loaded_with_missing(kinds);
            let global = GlobalArgs {
                all_namespaces: all,
                ..global.clone()
            };
            let mut report = model.default_deny(&filter);
            let gaps = default_deny_gaps(&mut report, &loaded, &global, &filter);
            (gaps, report.complete)
        };
        let (gaps, complete) = gaps_for(&[("NetworkPolicy", Some("shop"))], false);
        assert_eq!(gaps, ["NetworkPolicy in shop: forbidden"]);
        assert!(!complete);
        let (gaps, _) = gaps_for(&[("NetworkPolicy", Some("other"))], false);
        assert!(gaps.is_empty(), "{gaps:?}");
        let (gaps, _) = gaps_for(&[("NetworkPolicy", None)], false);
        assert_eq!(gaps.len(), 1);
        let (gaps, _) = gaps_for(&[("Namespace", None)], false);
        assert!(gaps.is_empty(), "{gaps:?}");
        let (gaps, _) = gaps_for(&[("Namespace", None)], true);
        assert_eq!(gaps.len(), 1);
        let (gaps, complete) = gaps_for(&[("Pod", None)], false);
        assert!(gaps.is_empty() && !complete, "{gaps:?}");
        let (gaps, _) = gaps_for(&[("Secret", None)], true);
        assert!(gaps.is_empty(), "{gaps:?}");
    }

    #[test]
    fn bare_pod_names_take_the_namespace() {
        assert_eq!(
            parse_endpoint("web", "shop").expect("pod"),
            Endpoint::Pod {
                namespace: "shop".into(),
                name: "web".into()
            }
        );
        assert_eq!(
            parse_endpoint("x/web", "shop").expect("pod"),
            Endpoint::Pod {
                namespace: "x".into(),
                name: "web".into()
            }
        );
        assert!(matches!(
            parse_endpoint("10.0.0.1", "shop").expect("ip"),
            Endpoint::Ip { .. }
        ));
        let e = parse_endpoint("Web", "shop").expect_err("uppercase");
        assert!(e.to_string().starts_with("invalid endpoint `Web`"), "{e}");
        assert!(parse_endpoint("10.0.0.0/8", "shop").is_err());
        assert!(parse_endpoint("ip:nope", "shop").is_err());
    }

    #[test]
    fn network_objects_keep_namespace_labels_and_skip_unrelated_kinds() {
        let origin = |n: usize| Origin {
            source: "t.yaml".into(),
            document: n,
            line: 1,
        };
        let mut inv = Inventory::default();
        inv.add_objects(vec![
            (
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a", "labels": {"team": "x"}}}),
                origin(1),
            ),
            (
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "a"}}),
                origin(2),
            ),
            (
                json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a"}}),
                origin(3),
            ),
            (
                json!({"apiVersion": "crd.projectcalico.org/v1", "kind": "GlobalNetworkPolicy", "metadata": {"name": "g"}}),
                origin(4),
            ),
        ])
        .expect("inventory");
        let objs = network_objects(&inv);
        let kinds: Vec<&str> = objs
            .iter()
            .filter_map(|(v, _)| v["kind"].as_str())
            .collect();
        assert_eq!(kinds, ["Namespace", "Pod", "GlobalNetworkPolicy"]);
        assert_eq!(objs[0].0["metadata"]["labels"]["team"], "x");
        assert_eq!(objs[1].1, "t.yaml, document 3 (line 1)");
        let model = NetworkModel::from_objects(objs).expect("model");
        assert_eq!(
            model.namespace("a").map(|n| n.labels.get("team").cloned()),
            Some(Some("x".to_string()))
        );
        assert_eq!(model.unsupported_policies().len(), 1);
    }
}
