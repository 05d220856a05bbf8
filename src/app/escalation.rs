//! `kubeaudit escalation`: who (a ServiceAccount, a user, every subject) → load (manifests with
//! the bootstrap policy, or live: pods, nodes, token Secrets' metadata) → closure → report.

use std::io::Write;

use serde::Serialize;

use super::can_i::{discovery_for, who_am_i};
use super::load::{load_kinds, Loaded};
use super::target::{resolve_target, rule_verbs, TargetFlags};
use super::{note, warn, UsageError};
use crate::cli::{EscalationArgs, EscalationFormat, GlobalArgs};
use crate::escalation::target::{parse, TargetSpec};
use crate::escalation::{
    subjects, Closure, Escalation, Hop, HopInfo, Power, Principal, Standing, Target, World, LIMIT,
};
use crate::exit::Exit;
use crate::output;
use crate::rbac::identity;
use crate::source::live::Kind;

/// The kinds escalation reads.
pub const ESCALATION_KINDS: &[Kind] = &[
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
    Kind::Node,
    Kind::ServiceAccountTokenSecret,
];

/// A hop as reported: the principals by name.
#[derive(Debug, Clone, Serialize)]
pub struct HopView {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// The hop.
    #[serde(flatten)]
    pub hop: Hop,
}

/// A principal reached and the shortest path to it.
#[derive(Debug, Clone, Serialize)]
pub struct Reached {
    /// Who.
    pub principal: Principal,
    /// `display` of the principal.
    pub name: String,
    /// How many hops.
    pub hops: usize,
    /// The path.
    pub path: Vec<HopView>,
}

/// One subject of `-A`, ranked.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ranked {
    /// The subject.
    pub subject: String,
    /// The strongest target reached: `cluster-admin`, `root on a node`, or `N identities`.
    pub reaches: String,
    /// Hops to it (0 when it is already there).
    pub hops: usize,
    /// The first hop of that path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<HopView>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EscalationReport {
    /// Where the search starts (one subject), or `every subject`.
    pub start: String,
    /// The target, with `--to`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// With `--to`: whether a path exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reachable: Option<bool>,
    /// Every principal reached (with `--to`: the target's shortest path only), nearest first.
    pub reached: Vec<Reached>,
    /// With `-A`: every subject, strongest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ranking: Vec<Ranked>,
    /// Powers that are not identities, of the principals reached.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub powers: Vec<(String, Power)>,
    /// What the paths assume.
    pub assumptions: Vec<String>,
    /// False when more paths may exist: data could not be read, or the search stopped at its
    /// bound of principals.
    pub complete: bool,
}

fn view(c: &Closure, h: &Hop) -> HopView {
    HopView {
        from: c.principals[h.from].display(),
        to: c.principals[h.to].display(),
        hop: h.clone(),
    }
}

fn reached(c: &Closure, i: usize) -> Reached {
    let path: Vec<HopView> = c.path_to(i).into_iter().map(|h| view(c, h)).collect();
    Reached {
        principal: c.principals[i].clone(),
        name: c.principals[i].display(),
        hops: path.len(),
        path,
    }
}

/// Runs `escalation`.
pub async fn run(global: &GlobalArgs, args: EscalationArgs) -> anyhow::Result<Exit> {
    let spec = match &args.to {
        Some(t) => Some(parse(t).map_err(|e| UsageError(e.to_string()))?),
        None => None,
    };
    let who = [
        args.sa.is_some(),
        global.as_user.is_some(),
        global.all_namespaces,
    ];
    if who.iter().filter(|w| **w).count() > 1 {
        return Err(UsageError("give one of --sa, --as and -A".into()).into());
    }
    if !global.as_group.is_empty() && global.as_user.is_none() {
        return Err(UsageError("--as-group needs --as".into()).into());
    }
    let mut settings = global.clone();
    if !settings.filename.is_empty() {
        settings.bootstrap_policy = true;
    }
    let mut loaded = load_kinds(&settings, ESCALATION_KINDS).await?;
    if let Some(why) = super::authz::Authorizers::modes_only(global, &loaded)
        .await?
        .beyond_rbac()
    {
        super::warn(why);
    }
    let target = match spec {
        None => None,
        Some(TargetSpec::Ready(t)) => Some(t),
        Some(TargetSpec::CanI {
            verb,
            resource,
            namespace,
        }) => Some(can_i_target(&loaded, global, &verb, &resource, namespace)?),
    };
    let start: Vec<Principal> = if let Some(sa) = &args.sa {
        let (ns, name) = sa
            .split_once('/')
            .filter(|(n, m)| !n.is_empty() && !m.is_empty())
            .ok_or_else(|| UsageError(format!("--sa {sa:?}: expected NAMESPACE/NAME")))?;
        vec![Principal::ServiceAccount {
            namespace: ns.into(),
            name: name.into(),
        }]
    } else if let Some(user) = &global.as_user {
        let u = identity::impersonated(user, &global.as_group);
        vec![Principal::user(&u.name, &u.groups)]
    } else if global.all_namespaces {
        Vec::new()
    } else if loaded.live.is_some() {
        let me = who_am_i(&loaded).await?;
        vec![Principal::user(&me.name, &me.groups)]
    } else {
        return Err(UsageError(
            "whose escalation paths? --sa NAMESPACE/NAME, --as USER or -A".into(),
        )
        .into());
    };
    let model = loaded.compile();
    let world = World::from_inventory(&loaded.inventory, &model);
    let e = Escalation::new(&model, &world);
    let complete = loaded.inventory.is_complete();
    let report = if global.all_namespaces {
        rank_all(&e, target.as_ref(), complete)
    } else {
        one(&e, &start, target.as_ref(), complete)
    };
    for a in &report.assumptions {
        note(format_args!("assumed: {a}"));
    }
    print(&report, &args)?;
    // Why more paths may exist than were found.
    let (why, where_) = if !complete {
        ("some data could not be read", "through what is missing")
    } else {
        ("the search stopped at its bound of principals", "beyond it")
    };
    let exit = match report.reachable {
        Some(true) => Exit::Yes,
        Some(false) if !report.complete && !global.allow_incomplete => {
            warn(format_args!("{why}: a path may exist {where_}"));
            Exit::Error
        }
        Some(false) => Exit::No,
        None if !report.complete && !global.allow_incomplete => {
            warn(format_args!(
                "{why}: more paths may exist (--allow-incomplete accepts the partial answer)"
            ));
            Exit::Error
        }
        None => Exit::Yes,
    };
    Ok(exit)
}

fn can_i_target(
    loaded: &Loaded,
    global: &GlobalArgs,
    verb: &str,
    resource: &str,
    namespace: Option<String>,
) -> anyhow::Result<Target> {
    let discovery = discovery_for(loaded);
    let flags = TargetFlags {
        namespace: namespace
            .clone()
            .unwrap_or_else(|| loaded.namespace(global)),
        namespace_given: namespace.is_some(),
        all_namespaces: false,
        subresource: None,
        rule_verbs: rule_verbs(&loaded.inventory, verb, resource),
        allow_unknown: global.allow_unknown,
    };
    let t = resolve_target(verb, resource, &flags, &discovery)?;
    let text = match &namespace {
        Some(ns) => format!("can-i {verb} {resource} -n {ns}"),
        None => format!("can-i {verb} {resource}"),
    };
    Ok(Target::Request {
        text,
        request: t.request,
    })
}

fn one(
    e: &Escalation,
    start: &[Principal],
    target: Option<&Target>,
    complete: bool,
) -> EscalationReport {
    let c = e.closure(start, LIMIT);
    let mut reached_list: Vec<Reached> = Vec::new();
    let mut reachable = None;
    if let Some(t) = target {
        let best = (0..c.principals.len())
            .filter(|&i| t.reached_by(e, &c.principals[i]))
            .min_by_key(|&i| c.distance(i));
        reachable = Some(best.is_some());
        if let Some(i) = best {
            reached_list.push(reached(&c, i));
        }
    } else {
        reached_list = (start.len()..c.principals.len())
            .map(|i| reached(&c, i))
            .collect();
        reached_list.sort_by_key(|r| r.hops);
    }
    let on_paths: std::collections::BTreeSet<String> = reached_list
        .iter()
        .flat_map(|r| r.path.iter().flat_map(|h| [h.from.clone(), h.to.clone()]))
        .chain(start.iter().map(Principal::display))
        .collect();
    let mut powers = Vec::new();
    for (i, ps) in &c.powers {
        let who = c.principals[*i].display();
        if target.is_none() || on_paths.contains(&who) {
            powers.extend(ps.iter().map(|p| (who.clone(), p.clone())));
        }
    }
    let assumptions = assumptions_of(&reached_list, &c);
    EscalationReport {
        start: start
            .iter()
            .map(Principal::display)
            .collect::<Vec<_>>()
            .join(", "),
        target: target.map(Target::describe),
        reachable,
        reached: reached_list,
        ranking: Vec::new(),
        powers,
        assumptions,
        complete: complete && !c.truncated,
    }
}

/// Assumptions of the paths reported (all of the closure's when every principal is listed).
fn assumptions_of(list: &[Reached], c: &Closure) -> Vec<String> {
    let mut a: std::collections::BTreeSet<String> = list
        .iter()
        .flat_map(|r| r.path.iter().filter_map(|h| h.hop.assumes.clone()))
        .collect();
    a.extend(
        c.assumptions
            .iter()
            .filter(|s| s.starts_with("the search stopped"))
            .cloned(),
    );
    a.into_iter().collect()
}

/// A path of the shared graph as reported hops.
fn views(path: &[(Principal, Principal, HopInfo)]) -> Vec<HopView> {
    path.iter()
        .map(|(f, t, h)| HopView {
            from: f.display(),
            to: t.display(),
            hop: Hop {
                from: 0,
                to: 0,
                primitive: h.primitive,
                grants: h.grants.clone(),
                objects: h.objects.clone(),
                assumes: h.assumes.clone(),
            },
        })
        .collect()
}

/// Every binding subject, ranked by the strongest target it reaches and the hops to it: one
/// graph of every subject's hops, searched backwards from each target.
fn rank_all(e: &Escalation, target: Option<&Target>, complete: bool) -> EscalationReport {
    let subjects = subjects(e.model);
    let label = |s: &Principal| match s {
        Principal::ClusterAdmin => "Group system:masters".to_string(),
        p => p.display(),
    };
    let mut ranking = Vec::new();
    let mut assumptions = std::collections::BTreeSet::new();
    let truncated;
    if let Some(t) = target {
        let goal = |p: &Principal| t.reached_by(e, p);
        let (reach, cut) = e.reach(
            &subjects,
            &[&goal],
            LIMIT,
            matches!(t, Target::ClusterAdmin),
        );
        truncated = cut;
        for (s, r) in subjects.iter().zip(reach) {
            let Some(r) = r else { continue };
            let path = views(&r.path);
            assumptions.extend(path.iter().filter_map(|h| h.hop.assumes.clone()));
            ranking.push(Ranked {
                subject: label(s),
                reaches: t.describe(),
                hops: path.len(),
                first: path.into_iter().next(),
            });
        }
    } else {
        let (standings, cut) = e.standings(&subjects, LIMIT);
        truncated = cut;
        for (s, st) in subjects.iter().zip(standings) {
            let (reaches, hops, first) = match st {
                None => continue,
                Some(Standing::Tier(tier, r)) => {
                    let path = views(&r.path);
                    assumptions.extend(path.iter().filter_map(|h| h.hop.assumes.clone()));
                    (
                        tier.as_str().to_string(),
                        path.len(),
                        path.into_iter().next(),
                    )
                }
                Some(Standing::Moves(f, t, h)) => (
                    "other identities".to_string(),
                    1,
                    views(&[(f, t, h)]).into_iter().next(),
                ),
            };
            ranking.push(Ranked {
                subject: label(s),
                reaches,
                hops,
                first,
            });
        }
    }
    if truncated {
        assumptions.insert(format!(
            "the search stopped after {LIMIT} principals; further paths may exist"
        ));
    }
    let tier = |r: &Ranked| match r.reaches.as_str() {
        "cluster-admin" => 0,
        "root on a node" => 1,
        _ => 2,
    };
    ranking.sort_by(|a, b| {
        tier(a)
            .cmp(&tier(b))
            .then(a.hops.cmp(&b.hops))
            .then(a.subject.cmp(&b.subject))
    });
    EscalationReport {
        start: "every subject".into(),
        target: target.map(Target::describe),
        reachable: target.map(|_| !ranking.is_empty()),
        reached: Vec::new(),
        ranking,
        powers: Vec::new(),
        assumptions: assumptions.into_iter().collect(),
        complete: complete && !truncated,
    }
}

fn print(report: &EscalationReport, args: &EscalationArgs) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output {
        EscalationFormat::Json => output::write_json(&mut out, report)?,
        EscalationFormat::Yaml => output::write_yaml(&mut out, report)?,
        EscalationFormat::Table => output::escalation::write_table(&mut out, report, false)?,
        EscalationFormat::Wide => output::escalation::write_table(&mut out, report, true)?,
        EscalationFormat::Dot => output::escalation::write_dot(&mut out, report)?,
        EscalationFormat::Mermaid => output::escalation::write_mermaid(&mut out, report)?,
    }
    out.flush()?;
    Ok(())
}
