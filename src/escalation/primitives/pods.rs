//! The pod primitives: creating pods and workloads, running pods, and the kubelet API.

use super::*;
use crate::escalation::{PodInfo, World};

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
    for (group, resource, kind) in CONTROLLERS {
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
        let writes_anywhere = [
            ("patch", group, resource, ""),
            ("update", group, resource, ""),
        ];
        let pods = reachable.of(e, world, me, &writes_anywhere);
        for w in pods.iter().filter(|w| {
            w.object
                .strip_prefix(kind)
                .is_some_and(|rest| rest.starts_with('/'))
        }) {
            if done.contains(w.namespace.as_str()) || !writes.iter().any(|n| may_name(n, &w.name)) {
                continue;
            }
            let Some(g) = out.any_of(
                me,
                &[
                    req("patch", group, resource, "", &w.namespace, &w.name),
                    req("update", group, resource, "", &w.namespace, &w.name),
                ],
            ) else {
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

/// The pods a principal may be granted a request on, each list found once: every pod when a
/// cluster-wide rule may grant one of the asks, else those of its own namespaces (elsewhere
/// only cluster-wide rules apply: a principal whose rules at home allow the asks does not walk
/// every pod of the cluster). Both in the world's order.
#[derive(Default)]
struct PodsInReach<'w> {
    all: Option<Vec<&'w PodInfo>>,
    own: Option<Vec<&'w PodInfo>>,
}

impl<'w> PodsInReach<'w> {
    /// The pods where one of `asks` (verb, group, resource, subresource) may be granted.
    fn of(
        &mut self,
        e: &Escalation,
        world: &'w World,
        me: &Me,
        asks: &[(&str, &str, &str, &str)],
    ) -> &[&'w PodInfo] {
        let elsewhere = me.masters
            || me.everywhere() && asks.iter().any(|&ask| me.may_in(e, EVERY_NAMESPACE, ask));
        if elsewhere {
            return self.all.get_or_insert_with(|| world.pods.iter().collect());
        }
        self.own.get_or_insert_with(|| {
            let mut ids: Vec<usize> = me
                .namespaces
                .iter()
                .filter_map(|ns| world.pods_by_namespace.get(ns))
                .flatten()
                .copied()
                .collect();
            ids.sort_unstable();
            ids.into_iter().map(|i| &world.pods[i]).collect()
        })
    }
}

/// Running pods: patch (image), exec, attach, ephemeral containers → the pod's ServiceAccount.
pub(super) fn running_pods(out: &mut Out, me: &Me) {
    let e = out.e;
    let ways: [(Primitive, &[(&str, &str)]); 4] = [
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
    if e.world.pods.is_empty() {
        return;
    }
    let mut reachable = PodsInReach::default();
    // The ServiceAccounts already reached, by any way: a later hop to one is never on a
    // shortest path (the first hop to it from here comes first), so it is not made.
    let mut seen: std::collections::HashSet<(&str, &str), ahash::RandomState> = Default::default();
    for (primitive, asks) in ways {
        let allowed_names: Vec<Option<BTreeSet<String>>> = asks
            .iter()
            .map(|(v, sub)| names(me, v, "", "pods", sub))
            .collect();
        if allowed_names.iter().all(none) {
            continue;
        }
        let on_pods: Vec<(&str, &str, &str, &str)> =
            asks.iter().map(|&(v, sub)| (v, "", "pods", sub)).collect();
        for pod in reachable.of(e, e.world, me, &on_pods) {
            if primitive == Primitive::PatchPod && !pod.running {
                continue; // a template is patched through its workload
            }
            // A template's pods have generated names: only a grant for any name reaches them.
            let name = if pod.running { pod.name.as_str() } else { "" };
            if !allowed_names.iter().any(|n| {
                if name.is_empty() {
                    n.is_none()
                } else {
                    may_name(n, name)
                }
            }) {
                continue;
            }
            let key = (pod.namespace.as_str(), pod.service_account.as_str());
            if seen.contains(&key) {
                continue;
            }
            let reqs: Vec<Attributes> = asks
                .iter()
                .map(|(v, sub)| req(v, "", "pods", sub, &pod.namespace, name))
                .collect();
            if let Some(g) = out.any_of(me, &reqs) {
                seen.insert(key);
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
