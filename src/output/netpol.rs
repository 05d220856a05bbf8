//! Rendering of the NetworkPolicy reports: default-deny, can-reach and the matrix.

use std::io::Write;

use comfy_table::{Cell, Color, Table};

use crate::netpol::{
    AdminAction, Decision, DefaultDenyReport, Direction, DirectionPosture, ImplementationDefined,
    Matrix, NamespacePosture, NotIsolatedReason, Note, PodIsolation, PolicyKind, PolicyRef,
    PolicyRole, Reachability, ResolvedEndpoint, RuleMatch, SideVerdict,
};

/// How tables are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableStyle {
    /// Symbols (✔/✖) and colour; otherwise plain words (and `.`/`X` in matrices).
    pub fancy: bool,
    /// Print header rows (and matrix titles and legends).
    pub headers: bool,
}

/// Which directions a default-deny table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectionsShown {
    /// Show ingress.
    pub ingress: bool,
    /// Show egress.
    pub egress: bool,
}

impl DirectionsShown {
    fn list(self) -> Vec<Direction> {
        let mut v = Vec::new();
        if self.ingress {
            v.push(Direction::Ingress);
        }
        if self.egress {
            v.push(Direction::Egress);
        }
        v
    }
}

/// A borderless, kubectl-like table: columns separated by three spaces.
fn new_table(style: TableStyle, header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_preset(comfy_table::presets::NOTHING);
    t.force_no_tty();
    if style.fancy {
        t.enforce_styling();
        t.style_text_only();
    }
    if style.headers {
        t.set_header(header);
    }
    t
}

/// Prints a table: kubectl-like spacing, no trailing blanks.
fn finish(out: &mut dyn Write, mut t: Table) -> std::io::Result<()> {
    let n = t.column_count();
    for (i, c) in t.column_iter_mut().enumerate() {
        c.set_padding((0, if i + 1 == n { 0 } else { 3 }));
    }
    if t.row_count() == 0 && t.header().is_none() {
        return Ok(());
    }
    writeln!(out, "{}", t.trim_fmt())
}

/// ✔ (green) / ✖ (red), or `yes` / `no`.
fn yes_no(style: TableStyle, ok: bool) -> Cell {
    match (style.fancy, ok) {
        (true, true) => Cell::new("✔").fg(Color::Green),
        (true, false) => Cell::new("✖").fg(Color::Red),
        (false, true) => Cell::new("yes"),
        (false, false) => Cell::new("no"),
    }
}

fn dir_word(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}

fn posture(ns: &NamespacePosture, d: Direction) -> &DirectionPosture {
    match d {
        Direction::Ingress => &ns.ingress,
        Direction::Egress => &ns.egress,
    }
}

/// What a policy does in one direction, in words.
pub fn role_text(role: PolicyRole) -> &'static str {
    match role {
        PolicyRole::DefaultDeny => "default-deny",
        PolicyRole::AllowAll => "allow-all (overrides every deny)",
        PolicyRole::IsolatesAllWithRules => "isolates all pods, with allow rules",
        PolicyRole::DenyAllForSelected => "deny-all for selected pods",
        PolicyRole::AllowAllForSelected => "allow-all for selected pods",
        PolicyRole::AllowsForSelected => "allows some traffic to selected pods",
        PolicyRole::StrayRulesIgnored => "rules ignored (direction not in policyTypes)",
    }
}

/// Why a pod is not isolated, in words.
pub fn reason_text(r: NotIsolatedReason) -> &'static str {
    match r {
        NotIsolatedReason::NoPolicyInNamespace => "no NetworkPolicy in the namespace",
        NotIsolatedReason::NoPolicySelectsPod => "no policy selects it",
        NotIsolatedReason::SelectedOnlyForOtherDirection => {
            "selected only by policies for the other direction"
        }
    }
}

fn pod_isolated(p: &PodIsolation, d: Direction) -> (bool, Option<NotIsolatedReason>) {
    match d {
        Direction::Ingress => (p.ingress_isolated, p.ingress_reason),
        Direction::Egress => (p.egress_isolated, p.egress_reason),
    }
}

/// The short remarks of a namespace row: overrides, near-misses, open pods, unknowns.
fn namespace_notes(ns: &NamespacePosture, dirs: &[Direction]) -> Vec<String> {
    let mut notes = Vec::new();
    let no_policies = ns.ingress.policies.is_empty() && ns.egress.policies.is_empty();
    for &d in dirs {
        let p = posture(ns, d);
        let w = dir_word(d);
        if p.allow_all {
            let names: Vec<&str> = p
                .policies
                .iter()
                .filter(|x| x.role == PolicyRole::AllowAll)
                .map(|x| x.name.as_str())
                .collect();
            notes.push(format!(
                "{w}: allow-all policy {} overrides every deny",
                names.join(", ")
            ));
        } else if !p.default_deny && p.all_pods_isolated {
            notes.push(format!(
                "{w}: every pod isolated, but rules allow some traffic (not a strict default-deny)"
            ));
        } else if !p.default_deny && !no_policies {
            let open = ns.pods.iter().filter(|x| !pod_isolated(x, d).0).count();
            if ns.pods.is_empty() {
                notes.push(format!("{w}: no policy selects every pod"));
            } else {
                notes.push(format!(
                    "{w}: {open} of {} pods not isolated",
                    ns.pods.len()
                ));
            }
        }
    }
    if no_policies {
        let open = match ns.pods.len() {
            0 => String::new(),
            1 => " (1 pod, not isolated)".to_string(),
            n => format!(" ({n} pods, none isolated)"),
        };
        notes.push(format!("no NetworkPolicy{open}"));
    }
    if !ns.declared {
        notes.push("no Namespace object in the input".into());
    }
    if !ns.cluster_policies.is_empty() {
        notes.push(format!(
            "cluster-wide policies also apply: {}",
            ns.cluster_policies
                .iter()
                .map(policy_text)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes
}

/// Prints the default-deny report: one row per namespace with a ✔/✖ column per direction
/// shown and notes; `wide` adds the policies (with their role) and the pods not isolated.
pub fn write_default_deny(
    out: &mut dyn Write,
    report: &DefaultDenyReport,
    shown: DirectionsShown,
    wide: bool,
    style: TableStyle,
) -> std::io::Result<()> {
    let dirs = shown.list();
    let mut header = vec!["NAMESPACE".to_string()];
    header.extend(dirs.iter().map(|d| dir_word(*d).to_uppercase()));
    header.push("NOTES".into());
    if wide {
        header.push("POLICIES".into());
        header.push("NOT ISOLATED".into());
    }
    let mut t = new_table(style, header);
    for ns in &report.namespaces {
        let mut row = vec![Cell::new(&ns.namespace)];
        row.extend(
            dirs.iter()
                .map(|d| yes_no(style, posture(ns, *d).default_deny)),
        );
        let notes = namespace_notes(ns, &dirs);
        let sep = if wide { "\n" } else { "; " };
        row.push(Cell::new(notes.join(sep)));
        if wide {
            row.push(Cell::new(policies_text(ns, &dirs).join("\n")));
            row.push(Cell::new(open_pods_text(ns, &dirs).join("\n")));
        }
        t.add_row(row);
    }
    finish(out, t)
}

/// `name: ingress default-deny, egress …`, one entry per policy concerning a direction shown.
fn policies_text(ns: &NamespacePosture, dirs: &[Direction]) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    for &d in dirs {
        for p in &posture(ns, d).policies {
            if !names.contains(&p.name.as_str()) {
                names.push(&p.name);
            }
        }
    }
    names.sort_unstable();
    names
        .into_iter()
        .map(|name| {
            let roles: Vec<String> = dirs
                .iter()
                .filter_map(|&d| {
                    posture(ns, d)
                        .policies
                        .iter()
                        .find(|p| p.name == name)
                        .map(|p| format!("{} {}", dir_word(d), role_text(p.role)))
                })
                .collect();
            format!("{name}: {}", roles.join(", "))
        })
        .collect()
}

/// `pod (ingress: reason; egress: reason)` for each pod not isolated in a direction shown.
fn open_pods_text(ns: &NamespacePosture, dirs: &[Direction]) -> Vec<String> {
    ns.pods
        .iter()
        .filter_map(|p| {
            let mut why: Vec<String> = dirs
                .iter()
                .filter_map(|&d| match pod_isolated(p, d) {
                    (false, Some(r)) => Some(format!("{}: {}", dir_word(d), reason_text(r))),
                    (false, None) => Some(format!("{}: not isolated", dir_word(d))),
                    (true, _) => None,
                })
                .collect();
            if why.is_empty() {
                return None;
            }
            if p.host_network {
                why.push("hostNetwork".into());
            }
            Some(format!("{} ({})", p.name, why.join("; ")))
        })
        .collect()
}

fn kind_text(k: PolicyKind) -> &'static str {
    match k {
        PolicyKind::NetworkPolicy => "NetworkPolicy",
        PolicyKind::AdminNetworkPolicy => "AdminNetworkPolicy",
        PolicyKind::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
        PolicyKind::ClusterNetworkPolicy => "ClusterNetworkPolicy",
    }
}

/// `NetworkPolicy shop/name` or `AdminNetworkPolicy name`.
pub fn policy_text(p: &PolicyRef) -> String {
    match &p.namespace {
        Some(ns) => format!("{} {ns}/{}", kind_text(p.kind), p.name),
        None => format!("{} {}", kind_text(p.kind), p.name),
    }
}

/// `NetworkPolicy shop/x, ingress rule 0 (peer 1, port 0: "api" = container cart 9000/TCP)`.
pub fn rule_text(m: &RuleMatch, d: Direction) -> String {
    let mut s = format!(
        "{}, {} rule {}",
        policy_text(&m.policy),
        dir_word(d),
        m.rule_index
    );
    if let Some(name) = &m.rule_name {
        s.push_str(&format!(" {name:?}"));
    }
    if let Some(a) = m.action {
        s.push_str(&format!(" ({})", action_text(a)));
    }
    let mut detail = Vec::new();
    match m.peer_index {
        Some(i) => detail.push(format!("peer {i}")),
        None => detail.push("any peer".into()),
    }
    match (&m.port_index, &m.named_port) {
        (Some(i), Some(np)) => detail.push(format!(
            "port {i}: {:?} = {}/{} of container {}",
            np.name.as_deref().unwrap_or(""),
            np.port,
            np.protocol,
            np.container
        )),
        (Some(i), None) => detail.push(format!("port {i}")),
        (None, _) => detail.push("any port".into()),
    }
    if m.ip_block_matched_pod_ip {
        detail.push("through an ipBlock containing the pod's IP".into());
    }
    format!("{s} [{}]", detail.join(", "))
}

fn action_text(a: AdminAction) -> &'static str {
    match a {
        AdminAction::Allow => "Allow",
        AdminAction::Deny => "Deny",
        AdminAction::Pass => "Pass",
    }
}

/// How one side was decided, in words, naming the deciding policy and rule.
pub fn side_text(s: &SideVerdict) -> String {
    let w = dir_word(s.direction);
    let mut text = match s.decision {
        Decision::Loopback => "loopback: a pod talking to itself is not subject to policy".into(),
        Decision::ExternalEndpoint => "not a pod: no policies of its own".into(),
        Decision::HostNetworkNotEnforced => {
            "hostNetwork pod: policies are usually not enforced on node traffic".into()
        }
        Decision::NodeLocal => "from the pod's own node: always allowed".into(),
        Decision::NotIsolated => format!("not isolated: no NetworkPolicy selects it for {w}"),
        Decision::DeniedByNetworkPolicy => format!(
            "isolated by {}; no {w} rule allows it",
            s.isolated_by
                .iter()
                .map(policy_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Decision::AllowedByNetworkPolicy
        | Decision::AdminAllow
        | Decision::AdminDeny
        | Decision::BaselineAllow
        | Decision::BaselineDeny => match &s.rule {
            Some(r) => rule_text(r, s.direction),
            None => decision_word(s.decision).into(),
        },
    };
    if let Some(p) = &s.passed_by {
        text.push_str(&format!(" (after a Pass by {})", rule_text(p, s.direction)));
    }
    text
}

fn decision_word(d: Decision) -> &'static str {
    match d {
        Decision::Loopback => "loopback",
        Decision::ExternalEndpoint => "external endpoint",
        Decision::HostNetworkNotEnforced => "hostNetwork, not enforced",
        Decision::NodeLocal => "node-local",
        Decision::NotIsolated => "not isolated",
        Decision::AllowedByNetworkPolicy => "allowed by NetworkPolicy",
        Decision::DeniedByNetworkPolicy => "denied by NetworkPolicy",
        Decision::AdminAllow => "allowed by the admin tier",
        Decision::AdminDeny => "denied by the admin tier",
        Decision::BaselineAllow => "allowed by the baseline tier",
        Decision::BaselineDeny => "denied by the baseline tier",
    }
}

/// Why a verdict is implementation-defined, in words.
pub fn implementation_defined_text(r: ImplementationDefined) -> &'static str {
    match r {
        ImplementationDefined::Loopback => "a pod talking to itself (loopback)",
        ImplementationDefined::IpBlockMatchesPodIp => {
            "an ipBlock matching a pod IP (Calico: matches; Cilium: does not)"
        }
        ImplementationDefined::HostNetworkPod => "a hostNetwork pod (commonly: node traffic)",
        ImplementationDefined::NodeIpTraffic => "traffic from a node IP",
        ImplementationDefined::AdminPriorityTie => "admin-tier policies of equal priority",
    }
}

/// A note of a reachability answer, in words.
pub fn note_text(n: &Note) -> String {
    match n {
        Note::IpResolvedToPod { ip, pod } => format!("{ip} is the IP of pod {pod}"),
        Note::AmbiguousIp { ip, pods } => format!(
            "{ip} is the IP of several pods ({}); the first was used",
            pods.join(", ")
        ),
        Note::PeerIpUnknown { pod } => {
            format!("pod {pod} has no IP in its status: ipBlock peers cannot be checked against it")
        }
        Note::NodeIpUnknown { pod } => format!(
            "answered for the address as an external one; the IPs of pod {pod}'s node are unknown (no Node objects), and traffic from a pod's own node is always allowed"
        ),
        Note::NamedPortUnresolved {
            policy,
            rule_index,
            port_index,
            name,
            protocol,
            destination,
        } => format!(
            "{} rule {rule_index} port {port_index}: named port {name:?}{} is not declared by {}",
            policy_text(policy),
            protocol.map(|p| format!(" ({p})")).unwrap_or_default(),
            destination.as_deref().unwrap_or("the destination (not a pod)")
        ),
        Note::DomainNamesNotEvaluated { policy, rule_index } => format!(
            "{} rule {rule_index} has domainNames, which cannot be evaluated offline",
            policy_text(policy)
        ),
        Note::NodeLabelsUnknown { ip } => {
            format!("{ip} matches no Node object: a nodes selector could not be checked")
        }
        Note::NamespaceLabelsUnknown { namespace } => format!(
            "no Namespace object for {namespace}: only its kubernetes.io/metadata.name label is known"
        ),
        Note::PodsNotLoaded => {
            "no Pod objects were loaded: an address may belong to a pod kubeaudit cannot see"
                .into()
        }
        Note::AdminPriorityTie { policies } => format!(
            "admin-tier policies of equal priority disagree: {}",
            policies
                .iter()
                .map(policy_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn endpoint_text(e: &ResolvedEndpoint) -> String {
    match &e.pod {
        Some(p) => p.clone(),
        None => e
            .ips
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// Prints a can-reach answer: the verdict line, then one row per side with the deciding
/// policy and rule; `wide` adds the isolating policies, every matching rule, the endpoints and
/// the notes.
pub fn write_reachability(
    out: &mut dyn Write,
    r: &Reachability,
    wide: bool,
    style: TableStyle,
) -> std::io::Result<()> {
    let verdict = if r.allowed { "allowed" } else { "denied" };
    // Plain ANSI (bold green/red): the style was decided by the caller, not by the
    // environment checks of a colour crate.
    let verdict = if style.fancy {
        let code = if r.allowed { "1;32" } else { "1;31" };
        format!("\x1b[{code}m{verdict}\x1b[0m")
    } else {
        verdict.to_string()
    };
    writeln!(
        out,
        "{verdict}: {} → {} on {}/{}",
        endpoint_text(&r.from),
        endpoint_text(&r.to),
        r.port,
        r.protocol
    )?;
    let mut header: Vec<String> = ["SIDE", "POD", "RESULT", "DECIDED BY"]
        .map(String::from)
        .to_vec();
    if wide {
        header.push("ISOLATED BY".into());
        header.push("ALL MATCHING RULES".into());
    }
    let mut t = new_table(style, header);
    for side in [&r.egress, &r.ingress] {
        let mut row = vec![
            Cell::new(dir_word(side.direction)),
            Cell::new(side.subject.as_deref().unwrap_or("-")),
            match (style.fancy, side.allowed) {
                (true, _) => yes_no(style, side.allowed),
                (false, true) => Cell::new("allowed"),
                (false, false) => Cell::new("denied"),
            },
            Cell::new(side_text(side)),
        ];
        if wide {
            row.push(Cell::new(
                side.isolated_by
                    .iter()
                    .map(policy_text)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
            row.push(Cell::new(
                side.matching_rules
                    .iter()
                    .map(|m| rule_text(m, side.direction))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
        }
        t.add_row(row);
    }
    finish(out, t)?;
    if r.implementation_defined {
        writeln!(
            out,
            "implementation-defined: CNIs differ on {}; the verdict follows the upstream conformance tests",
            r.implementation_defined_reasons
                .iter()
                .map(|x| implementation_defined_text(*x))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    if wide {
        for (label, e) in [("from", &r.from), ("to", &r.to)] {
            let ips = e
                .ips
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let node = e
                .node
                .as_deref()
                .map(|n| format!(", node {n}"))
                .unwrap_or_default();
            writeln!(
                out,
                "{label}: {} {:?} (IPs: {}{node})",
                endpoint_text(e),
                e.kind,
                if ips.is_empty() { "unknown" } else { &ips }
            )?;
        }
        for n in &r.notes {
            writeln!(out, "note: {}", note_text(n))?;
        }
    }
    Ok(())
}

/// One grid cell: ✔/✖ (or `.`/`X`), with `*` when implementation-defined.
fn matrix_cell(style: TableStyle, allowed: bool, implementation_defined: bool) -> Cell {
    let mark = match (style.fancy, allowed) {
        (true, true) => "✔",
        (true, false) => "✖",
        (false, true) => ".",
        (false, false) => "X",
    };
    let text = if implementation_defined {
        format!("{mark}*")
    } else {
        mark.to_string()
    };
    let cell = Cell::new(text);
    match (style.fancy, allowed) {
        (true, true) => cell.fg(Color::Green),
        (true, false) => cell.fg(Color::Red),
        _ => cell,
    }
}

fn write_grid(
    out: &mut dyn Write,
    m: &Matrix,
    grid: &[Vec<bool>],
    style: TableStyle,
) -> std::io::Result<()> {
    let mut header = vec!["FROM \\ TO".to_string()];
    header.extend(m.pods.iter().cloned());
    let mut t = new_table(style, header);
    for (i, from) in m.pods.iter().enumerate() {
        let mut row = vec![Cell::new(from)];
        for j in 0..m.pods.len() {
            let allowed = grid.get(i).and_then(|r| r.get(j)).copied().unwrap_or(false);
            let imp = m
                .implementation_defined
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(false);
            row.push(matrix_cell(style, allowed, imp));
        }
        t.add_row(row);
    }
    finish(out, t)
}

/// Prints the reachability grid (rows from, columns to); `wide` adds the egress-only and
/// ingress-only grids first, as policy-assistant's probe does.
pub fn write_matrix(
    out: &mut dyn Write,
    m: &Matrix,
    wide: bool,
    style: TableStyle,
) -> std::io::Result<()> {
    let mut grids: Vec<(&str, &Vec<Vec<bool>>)> = Vec::new();
    if wide {
        grids.push(("egress (source side only)", &m.egress_allowed));
        grids.push(("ingress (destination side only)", &m.ingress_allowed));
    }
    grids.push(("combined", &m.allowed));
    for (k, (title, grid)) in grids.iter().enumerate() {
        if style.headers {
            if k > 0 {
                writeln!(out)?;
            }
            writeln!(
                out,
                "{}/{} {title}: rows from, columns to",
                m.port, m.protocol
            )?;
        }
        write_grid(out, m, grid, style)?;
    }
    if style.headers && m.implementation_defined.iter().flatten().any(|x| *x) {
        writeln!(
            out,
            "*: implementation-defined (CNIs differ; on the diagonal a pod talks to itself)"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpol::{Endpoint, NamespaceFilter, NetworkModel, Protocol};
    use serde_json::json;

    const PLAIN: TableStyle = TableStyle {
        fancy: false,
        headers: true,
    };

    fn model() -> NetworkModel {
        let objs = vec![
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x", "labels": {"app": "a"}},
                   "spec": {"containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 80}]}]},
                   "status": {"podIP": "10.0.0.1"}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b", "namespace": "x", "labels": {"app": "b"}},
                   "status": {"podIP": "10.0.0.2"}}),
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": {"name": "deny", "namespace": "x"}, "spec": {"podSelector": {}}}),
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": {"name": "a-from-b", "namespace": "x"},
                   "spec": {"podSelector": {"matchLabels": {"app": "a"}},
                            "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "b"}}}], "ports": [{"port": "http"}]}]}}),
        ];
        NetworkModel::from_objects(objs.into_iter().map(|o| (o, "t".to_string()))).expect("model")
    }

    fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).expect("write");
        String::from_utf8(buf).expect("utf8")
    }

    #[test]
    fn default_deny_table_plain_and_wide() {
        let r = model().default_deny(&NamespaceFilter::all());
        let both = DirectionsShown {
            ingress: true,
            egress: true,
        };
        let s = render(|o| write_default_deny(o, &r, both, false, PLAIN));
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "NAMESPACE   INGRESS   EGRESS   NOTES");
        assert_eq!(
            lines[1], "x           yes       no       egress: 2 of 2 pods not isolated",
            "{s}"
        );
        let s = render(|o| write_default_deny(o, &r, both, true, PLAIN));
        assert!(s.contains("deny: ingress default-deny"), "{s}");
        assert!(
            s.contains("a (egress: selected only by policies for the other direction)"),
            "{s}"
        );
        assert!(
            s.contains("b (egress: selected only by policies for the other direction)"),
            "{s}"
        );
        let no_headers = TableStyle {
            fancy: true,
            headers: false,
        };
        let s = render(|o| write_default_deny(o, &r, both, false, no_headers));
        assert!(
            !s.contains("NAMESPACE") && s.contains('✔') && s.contains('✖'),
            "{s}"
        );
    }

    #[test]
    fn reachability_names_policy_rule_and_named_port() {
        let m = model();
        let r = m
            .can_reach(
                &Endpoint::parse("x/b").expect("ep"),
                &Endpoint::parse("x/a").expect("ep"),
                80,
                Protocol::Tcp,
            )
            .expect("reach");
        let s = render(|o| write_reachability(o, &r, false, PLAIN));
        assert!(s.starts_with("allowed: x/b → x/a on 80/TCP\n"), "{s}");
        assert!(
            s.contains("NetworkPolicy x/a-from-b, ingress rule 0 [peer 0, port 0: \"http\" = 80/TCP of container c]"),
            "{s}"
        );
        assert!(
            s.contains("not isolated: no NetworkPolicy selects it for egress"),
            "{s}"
        );
        let r = m
            .can_reach(
                &Endpoint::parse("x/a").expect("ep"),
                &Endpoint::parse("x/b").expect("ep"),
                80,
                Protocol::Tcp,
            )
            .expect("reach");
        let s = render(|o| write_reachability(o, &r, true, PLAIN));
        assert!(s.starts_with("denied: x/a → x/b"), "{s}");
        assert!(
            s.contains("isolated by NetworkPolicy x/deny; no ingress rule allows it"),
            "{s}"
        );
    }

    #[test]
    fn matrix_plain_marks() {
        let m = model()
            .matrix(&NamespaceFilter::all(), 80, Protocol::Tcp)
            .expect("matrix");
        let s = render(|o| write_matrix(o, &m, false, PLAIN));
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "80/TCP combined: rows from, columns to");
        assert_eq!(lines[1], "FROM \\ TO   x/a   x/b");
        assert_eq!(lines[2], "x/a         .*    X");
        assert_eq!(lines[3], "x/b         .     .*");
        assert!(lines[4].starts_with("*: implementation-defined"));
    }
}
