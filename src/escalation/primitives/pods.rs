//! The pod primitives: creating pods and workloads, running pods, and the kubelet API.

use std::collections::HashMap;

use super::*;
use crate::escalation::PodInfo;

/// Create pods or pod controllers (any ServiceAccount of the namespace; privileged or hostPath
/// pods: the node), patch workload templates (any ServiceAccount of the namespace).
pub(super) fn workloads(out: &mut Out, me: &Me) {
    let e = out.e;
    let world = e.world;
    let creates: Vec<Ask> = std::iter::once(("create", "", "pods", "", ""))
        .chain(
            CONTROLLERS
                .iter()
                .map(|&(g, r, _)| ("create", g, r, "", "")),
        )
        .collect();
    let create_where = out.scoped(me, &creates);
    // Namespaces where pods can be created, with the grant (cluster-wide: every namespace
    // known — every namespace has a ServiceAccount entry, its `default` at least).
    let granted = || -> Box<dyn Iterator<Item = (&str, &Grant)>> {
        match &create_where {
            Where::All(g) => Box::new(
                world
                    .service_accounts
                    .keys()
                    .map(move |ns| (ns.as_str(), g)),
            ),
            Where::In(list) => Box::new(list.iter().map(|(ns, g)| (ns.as_str(), g))),
        }
    };
    // Where a privileged pod could be: with a cluster-wide grant, of every namespace only
    // those the loop below can choose (see `pod_security_candidates`).
    let privileged: Box<dyn Iterator<Item = (&str, &Grant)>> = match &create_where {
        Where::All(g) => Box::new(
            e.index
                .pod_security_candidates
                .iter()
                .map(move |ns| (*ns, g)),
        ),
        Where::In(_) => granted(),
    };
    let pvs = out.grant(me, &req("create", "", "persistentvolumes", "", "", ""));
    let mut node_hop: Option<NodeHop> = None;
    for (ns, c) in privileged {
        // Pod Security admission decides whether the pod may be privileged.
        let level = world.pod_security.get(ns).map(String::as_str);
        if level.is_none() && node_hop.is_some() {
            // Another namespace that needs the same assumption cannot be a better way.
            continue;
        }
        let relabel = || {
            out.any_of(
                me,
                &[
                    req("patch", "", "namespaces", "", ns, ns),
                    req("update", "", "namespaces", "", ns, ns),
                ],
            )
        };
        let (allowed, extra, assumes) = match level {
            None => (true, None, Some(PSA_DEFAULT.to_string())),
            Some("privileged") => (true, None, None),
            Some(_) => match relabel() {
                Some(g) => (true, Some(g), None),
                None => (false, None, None),
            },
        };
        if allowed {
            let mut grants = vec![c.clone()];
            let mut objects = vec![format!("a privileged pod with a hostPath volume in {ns}")];
            if let Some(g) = extra {
                objects.push(format!(
                    "Namespace/{ns} relabelled pod-security.kubernetes.io/enforce: privileged"
                ));
                grants.push(g);
            }
            // One way to the node is enough; prefer one that assumes nothing.
            if node_hop
                .as_ref()
                .is_none_or(|h| h.2.is_some() && assumes.is_none())
            {
                node_hop = Some((grants, objects, assumes, Primitive::PrivilegedPod));
            }
            if node_hop.as_ref().is_some_and(|h| h.2.is_none()) {
                break;
            }
        }
    }
    if node_hop.is_none() {
        if let Some(pv) = &pvs {
            for (ns, c) in granted() {
                if let Some(pvc) =
                    out.grant(me, &req("create", "", "persistentvolumeclaims", "", ns, ""))
                {
                    node_hop = Some((
                        vec![pv.clone(), pvc, c.clone()],
                        vec![format!(
                            "a hostPath PersistentVolume claimed by a pod in {ns}"
                        )],
                        None,
                        Primitive::HostPathVolume,
                    ));
                    break;
                }
            }
        }
    }
    out.hop_to_service_accounts(
        create_where,
        Primitive::CreateWorkload,
        "a pod with the ServiceAccount's serviceAccountName",
    );
    if let Some((grants, objects, assumes, primitive)) = node_hop {
        out.hop(Principal::Node, primitive, grants, objects, assumes);
    }
    // A workload's template can be given any ServiceAccount of its namespace.
    let mut reachable = PodsInReach::default();
    let home = OwnNamespaces::new();
    for (controller, (group, resource, kind)) in CONTROLLERS.into_iter().enumerate() {
        if !world.pod_kinds.contains(kind) {
            continue;
        }
        let writes = [
            names(me, "patch", group, resource, ""),
            names(me, "update", group, resource, ""),
        ];
        if writes.iter().all(none) {
            continue;
        }
        let mut done: BTreeSet<&str> = BTreeSet::new();
        let writes_anywhere = WORKLOAD_VERBS.map(|v| (v, group, resource, ""));
        let mut same = SameAnswers::new(&writes_anywhere);
        let pods = reachable.of(e, world, me, &writes_anywhere);
        for &i in pods {
            let w = &world.pods[i as usize];
            if done.contains(w.namespace.as_str()) {
                out.pod_reached(false, i);
                continue;
            }
            if !w
                .object
                .strip_prefix(kind)
                .is_some_and(|rest| rest.starts_with('/'))
                || !writes.iter().any(|n| may_name(n, &w.name))
            {
                continue;
            }
            let request = |(v, g, r, s): Way| req(v, g, r, s, &w.namespace, &w.name);
            match same.answer(
                e,
                me,
                &mut out.texts,
                home.has(e, me, i),
                i,
                || w.name.as_str(),
                request,
            ) {
                Some(None) => {} // not granted
                Some(Some((ask, by))) => {
                    done.insert(w.namespace.as_str());
                    let way = (POD_WAYS.len() + controller) as u8;
                    out.pod_hop(way, ask, by, i);
                }
                None => {
                    let Some(g) = out.any_of(me, &writes_anywhere.map(request)) else {
                        continue;
                    };
                    done.insert(w.namespace.as_str());
                    out.hop(
                        Principal::AnyServiceAccountIn {
                            namespace: w.namespace.clone(),
                        },
                        Primitive::PatchWorkload,
                        vec![g],
                        vec![w.object.clone()],
                        None,
                    );
                }
            }
        }
    }
}

/// The pods a principal may be granted a request on, each list found once: every pod when a
/// cluster-wide rule may grant one of the asks, else those of its own namespaces (elsewhere
/// only cluster-wide rules apply: a principal whose rules at home allow the asks does not walk
/// every pod of the cluster). Both as places in the world's pods, in order.
#[derive(Default)]
struct PodsInReach {
    own: Option<Vec<u32>>,
}

impl PodsInReach {
    /// The pods where one of `asks` (verb, group, resource, subresource) may be granted.
    fn of<'s>(
        &'s mut self,
        e: &'s Escalation,
        world: &World,
        me: &Me,
        asks: &[(&str, &str, &str, &str)],
    ) -> &'s [u32] {
        let elsewhere = me.masters
            || me.everywhere() && asks.iter().any(|&ask| me.may_in(e, EVERY_NAMESPACE, ask));
        if elsewhere {
            return &e.index.all_pods;
        }
        self.own.get_or_insert_with(|| {
            let mut ids: Vec<u32> = me
                .namespaces
                .iter()
                .filter_map(|ns| world.pods_by_namespace.get(ns))
                .flatten()
                .map(|&i| i as u32)
                .collect();
            ids.sort_unstable();
            ids
        })
    }
}

/// The ways into a running pod, each with its requests (verb, subresource) in the order asked.
pub(crate) const POD_WAYS: [(Primitive, &[(&str, &str)]); 4] = [
    (Primitive::PatchPod, &[("patch", ""), ("update", "")]),
    (Primitive::Exec, &[("create", "exec")]),
    (Primitive::Attach, &[("create", "attach")]),
    (
        Primitive::EphemeralContainer,
        &[
            ("patch", "ephemeralcontainers"),
            ("update", "ephemeralcontainers"),
        ],
    ),
];

/// The request of a way into a pod (a template's pods have no name yet).
fn pod_request(pod: &PodInfo, (verb, sub): (&str, &str)) -> Attributes {
    let name = if pod.running { pod.name.as_str() } else { "" };
    req(verb, "", "pods", sub, &pod.namespace, name)
}

/// The verbs that change a workload's pod template, in the order asked.
const WORKLOAD_VERBS: [&str; 2] = ["patch", "update"];

/// Whether a hop by this way reaches the pod's ServiceAccount (a way into the pod), else any
/// ServiceAccount of its namespace (a way that patches a workload's template).
pub(crate) fn into_pod(way: u8) -> bool {
    (way as usize) < POD_WAYS.len()
}

/// The kind of workload a way through workloads patches.
#[cfg(test)]
pub(crate) fn workload_kind(way: u8) -> &'static str {
    CONTROLLERS[way as usize - POD_WAYS.len()].2
}

/// A hop by a pod or workload written out: its request, the grant, the object, what it
/// assumes.
pub(crate) fn pod_hop_info(world: &World, h: &PodHop, by: &str) -> HopInfo {
    let pod = &world.pods[h.pod as usize];
    if !into_pod(h.way) {
        let (group, resource, _) = CONTROLLERS[h.way as usize - POD_WAYS.len()];
        let verb = WORKLOAD_VERBS[h.ask as usize];
        return HopInfo {
            primitive: Primitive::PatchWorkload,
            grants: vec![Grant {
                request: describe(&req(verb, group, resource, "", &pod.namespace, &pod.name)),
                by: by.to_string(),
            }],
            objects: vec![pod.object.clone()],
            assumes: None,
        };
    }
    let (primitive, asks) = POD_WAYS[h.way as usize];
    HopInfo {
        primitive,
        grants: vec![Grant {
            request: describe(&pod_request(pod, asks[h.ask as usize])),
            by: by.to_string(),
        }],
        objects: vec![pod.object.clone()],
        assumes: (!pod.running).then(|| TEMPLATES_RUN.to_string()),
    }
}

/// What a way into pods gets in one scope (see `running_pods`).
struct ScopeAnswer<'e> {
    /// The names rules applying there list: pods of these names are asked about one by one.
    listed: BTreeSet<&'e str>,
    /// For every other pod, once asked: the first request granted (a place in the way's
    /// requests) and its grant's text (a place in the hops' texts), if any is.
    unlisted: Option<Option<(u8, u32)>>,
}

impl<'e> ScopeAnswer<'e> {
    fn new(
        e: &'e Escalation,
        me: &Me,
        scope: &str,
        asks: &[(&str, &str, &str, &str)],
    ) -> ScopeAnswer<'e> {
        ScopeAnswer {
            listed: me.listed_names(e, scope, asks),
            unlisted: None,
        }
    }
}

/// A request without its namespace and name: verb, group, resource, subresource.
type Way = (&'static str, &'static str, &'static str, &'static str);

/// For one way in (its requests, `asks`), per scope — a namespace of its own, or every other
/// one, where only its cluster-wide grants apply: a pod or workload whose name no rule there
/// lists gets the same answer as every other such object of the scope (the first request
/// granted, and by what), so the evaluator is asked about the first of them only and the hop
/// keeps only the object.
struct SameAnswers<'e> {
    asks: Vec<Way>,
    /// By the place of the namespace among the pods' (see `Indexes::pod_namespaces`).
    own: HashMap<u32, ScopeAnswer<'e>, ahash::RandomState>,
    elsewhere: Option<ScopeAnswer<'e>>,
}

impl<'e> SameAnswers<'e> {
    fn new(asks: &[Way]) -> Self {
        SameAnswers {
            asks: asks.to_vec(),
            own: HashMap::default(),
            elsewhere: None,
        }
    }

    /// For pod `pod` (a place in the world's pods; `at_home`: in one of the principal's own
    /// namespaces, see [`OwnNamespaces`]), named `name()`: `None` when a rule of the scope
    /// lists the name (ask about this object alone); else the first of the asks granted there
    /// (a place in them) and its grant's text (a place in `texts`), if any is — asked by
    /// `request` the first time. The pod itself is read only when the scope needs it: a
    /// principal allowed into every pod walks them all, and most of them answer from here.
    #[allow(clippy::too_many_arguments)]
    fn answer<'n>(
        &mut self,
        e: &'e Escalation,
        me: &Me,
        texts: &mut Vec<String>,
        at_home: bool,
        pod: u32,
        name: impl FnOnce() -> &'n str,
        request: impl Fn(Way) -> Attributes,
    ) -> Option<Option<(u8, u32)>> {
        let SameAnswers {
            asks,
            own,
            elsewhere,
        } = self;
        let scope = if at_home {
            own.entry(e.index.pod_namespaces[pod as usize])
                .or_insert_with(|| {
                    let namespace = &e.world.pods[pod as usize].namespace;
                    ScopeAnswer::new(e, me, namespace, asks)
                })
        } else {
            elsewhere.get_or_insert_with(|| ScopeAnswer::new(e, me, EVERY_NAMESPACE, asks))
        };
        if !scope.listed.is_empty() && scope.listed.contains(name()) {
            return None;
        }
        Some(*scope.unlisted.get_or_insert_with(|| {
            asks.iter().enumerate().find_map(|(k, &ask)| {
                me.allowed(e, &request(ask)).map(|by| {
                    texts.push(by);
                    (k as u8, texts.len() as u32 - 1)
                })
            })
        }))
    }
}

/// Which pods are in a namespace of the principal's own (or in none), found once per
/// principal from its namespaces (a search by name per pod was a tenth of the search).
struct OwnNamespaces(std::cell::OnceCell<Vec<bool>>);

impl OwnNamespaces {
    fn new() -> Self {
        OwnNamespaces(std::cell::OnceCell::new())
    }

    /// Whether pod `pod` (a place in the world's pods) is in one of its own namespaces.
    fn has(&self, e: &Escalation, me: &Me, pod: u32) -> bool {
        let own = self.0.get_or_init(|| {
            let mut own = vec![false; e.index.pod_namespace_count];
            let homes = me.namespaces.iter().map(String::as_str).chain([""]);
            for ns in homes {
                if let Some(&first) = e.world.pods_by_namespace.get(ns).and_then(|p| p.first()) {
                    own[e.index.pod_namespaces[first] as usize] = true;
                }
            }
            own
        });
        own[e.index.pod_namespaces[pod as usize] as usize]
    }
}

/// Running pods: patch (image), exec, attach, ephemeral containers → the pod's ServiceAccount.
pub(super) fn running_pods(out: &mut Out, me: &Me) {
    let e = out.e;
    if e.world.pods.is_empty() {
        return;
    }
    let mut reachable = PodsInReach::default();
    let home = OwnNamespaces::new();
    // The ServiceAccounts already reached, by any way: a later hop to one is never on a
    // shortest path (the first hop to it from here comes first), so it is not made.
    let mut seen = vec![false; e.index.pod_account_count];
    // Its own place among the pods' ServiceAccounts, if it is one.
    let mine = match me.p {
        Principal::ServiceAccount { namespace, name } => e
            .world
            .pods_by_namespace
            .get(namespace)
            .into_iter()
            .flatten()
            .find(|&&i| e.world.pods[i].service_account == *name)
            .map(|&i| e.index.pod_accounts[i] as usize),
        _ => None,
    };
    // How many are reached: once every one but its own is, a later way can add no hop.
    let mut reached = 0;
    let reachable_accounts = e.index.pod_account_count - usize::from(mine.is_some());
    for (way, (primitive, asks)) in POD_WAYS.into_iter().enumerate() {
        if reached == reachable_accounts {
            break;
        }
        let allowed_names: Vec<Option<BTreeSet<String>>> = asks
            .iter()
            .map(|(v, sub)| names(me, v, "", "pods", sub))
            .collect();
        if allowed_names.iter().all(none) {
            continue;
        }
        let on_pods: Vec<Way> = asks.iter().map(|&(v, sub)| (v, "", "pods", sub)).collect();
        let mut same = SameAnswers::new(&on_pods);
        let pods = reachable.of(e, e.world, me, &on_pods);
        // Some ask granted for any name: every pod's name passes (most principals).
        let any_name = allowed_names.iter().any(Option::is_none);
        // Only the pods' places, ServiceAccounts and namespaces are read for most pods: a
        // principal allowed into every pod walks them all.
        for &i in pods {
            let at = i as usize;
            let running = e.index.pod_running[at];
            if primitive == Primitive::PatchPod && !running {
                continue; // a template is patched through its workload
            }
            // A template's pods have generated names: only a grant for any name reaches them.
            let name = || {
                if running {
                    e.world.pods[at].name.as_str()
                } else {
                    ""
                }
            };
            if !any_name {
                let name = name();
                if name.is_empty() || !allowed_names.iter().any(|n| may_name(n, name)) {
                    continue;
                }
            }
            let account = e.index.pod_accounts[at] as usize;
            if Some(account) == mine {
                continue; // (a hop to itself is none)
            }
            if seen[account] {
                out.pod_reached(true, i);
                continue;
            }
            let pod = || &e.world.pods[at];
            let request = |(v, _, _, sub): Way| pod_request(pod(), (v, sub));
            let decided = same.answer(e, me, &mut out.texts, home.has(e, me, i), i, name, request);
            match decided {
                Some(None) => {} // not granted
                Some(Some((ask, by))) => {
                    seen[account] = true;
                    reached += 1;
                    out.pod_hop(way as u8, ask, by, i);
                }
                None => {
                    let pod = pod();
                    let reqs: Vec<Attributes> =
                        asks.iter().map(|&ask| pod_request(pod, ask)).collect();
                    if let Some(g) = out.any_of(me, &reqs) {
                        seen[account] = true;
                        reached += 1;
                        let assumes = (!pod.running).then(|| TEMPLATES_RUN.to_string());
                        out.hop(
                            Principal::ServiceAccount {
                                namespace: pod.namespace.clone(),
                                name: pod.service_account.clone(),
                            },
                            primitive,
                            vec![g],
                            vec![pod.object.clone()],
                            assumes,
                        );
                    }
                }
            }
        }
    }
}

/// `nodes/proxy`: the kubelet API runs commands in every pod of the node.
pub(super) fn nodes_proxy(out: &mut Out, me: &Me) {
    let e = out.e;
    // Nodes are cluster-scoped: only a cluster-wide grant reaches them.
    if !me.everywhere() {
        return;
    }
    // Only the rules that apply cluster-wide can grant it (rules at home name nothing here).
    let allowed = [
        names_in(e, me, "", ("get", "", "nodes", "proxy")),
        names_in(e, me, "", ("create", "", "nodes", "proxy")),
    ];
    if allowed.iter().all(none) {
        return;
    }
    let proxy = |node: &str| {
        out.any_of(
            me,
            &[
                req("get", "", "nodes", "proxy", "", node),
                req("create", "", "nodes", "proxy", "", node),
            ],
        )
    };
    if allowed.iter().any(Option::is_none) {
        if let Some(g) = proxy("(any node)") {
            out.hop(
                Principal::AnyPodServiceAccount,
                Primitive::NodesProxy,
                vec![g],
                vec!["every node's kubelet".into()],
                (!e.world.live_pods && !e.world.pods.is_empty()).then(|| TEMPLATES_RUN.to_string()),
            );
            return;
        }
    }
    let mut hops = Vec::new();
    for pod in &e.world.pods {
        let Some(node) = &pod.node else { continue };
        if !allowed.iter().any(|n| may_name(n, node)) {
            continue;
        }
        if let Some(g) = proxy(node) {
            hops.push((
                Principal::ServiceAccount {
                    namespace: pod.namespace.clone(),
                    name: pod.service_account.clone(),
                },
                g,
                vec![pod.object.clone(), format!("Node/{node}")],
            ));
        }
    }
    for (to, g, objects) in hops {
        out.hop(to, Primitive::NodesProxy, vec![g], objects, None);
    }
}
