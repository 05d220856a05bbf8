//! The graph of principals the escalation search explores: every principal's hops, computed
//! once, a wave at a time on every core, and searched forwards (a closure) or backwards (from
//! a goal).

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

use super::{primitives, Escalation, Grant, PathHop, Primitive, Principal, World};

/// One edge of the graph: to a node, by a hop (`NONE` for a hub's expansion, which costs
/// nothing: a hub stands for "any of these").
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    pub(super) to: u32,
    pub(super) hop: u32,
}

pub(super) const NONE: u32 = u32::MAX;

/// Set in [`Edge::hop`] for a hop into a pod: the rest is its place in [`Graph`]'s pod hops.
const POD: u32 = 1 << 31;

/// What a hop is, before it is placed in a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopInfo {
    /// The primitive.
    pub primitive: Primitive,
    /// The permissions it uses.
    pub grants: Vec<Grant>,
    /// The objects it uses.
    pub objects: Vec<String>,
    /// What it assumes.
    pub assumes: Option<String>,
}

/// A hop as a primitive finds it, before the graph places it.
pub(crate) enum Step {
    /// To a principal, with everything the hop shows.
    To(Principal, HopInfo),
    /// Into pods, each to its ServiceAccount, by a grant that is the same for every pod of
    /// its scope: a hop per pod of [`Hops::pods`]`[start..start + len]`, each pod's request
    /// and objects written out only for a path shown (a principal allowed exec on every pod
    /// has a hop per pod ServiceAccount of the cluster).
    Pods {
        /// Which way in ([`PodHop::way`]).
        way: u8,
        /// Which of its requests was granted ([`PodHop::ask`]).
        ask: u8,
        /// The grant's text, a place in [`Hops::texts`].
        by: u32,
        /// The first of the pods in [`Hops::pods`].
        start: u32,
        /// How many.
        len: u32,
    },
}

/// A principal's hops, with the pods and texts its pod hops share.
#[derive(Default)]
pub(crate) struct Hops {
    /// The hops, in the order found.
    pub(crate) steps: Vec<Step>,
    /// The pods of its pod hops (places in [`World::pods`]), in order.
    pub(crate) pods: Vec<u32>,
    /// The grants of its pod hops ([`PodHop::by`] is a place here).
    pub(crate) texts: Vec<String>,
}

/// A hop into a pod (see [`Step::Pods`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PodHop {
    /// The pod's place in [`World::pods`].
    pub(crate) pod: u32,
    /// Which way in (patch, exec, attach, a debug container: a place in the pod primitives' ways).
    pub(crate) way: u8,
    /// Which of that way's requests was granted.
    pub(crate) ask: u8,
    /// What granted it: a place in its owner's texts ([`Hops::texts`], then [`Graph`]'s).
    pub(crate) by: u32,
}

/// A graph's edges reversed (see [`Graph::reverse`]).
pub(super) struct Reverse {
    start: Vec<usize>,
    edges: Vec<(u32, Edge)>,
}

/// The graph of principals reachable from some starts: every principal's hops, computed once.
#[derive(Debug, Default)]
pub struct Graph {
    pub(super) nodes: Vec<Principal>,
    index: HashMap<Principal, u32, ahash::RandomState>,
    pub(super) out: Vec<Vec<Edge>>,
    hops: Vec<HopInfo>,
    /// Hops into pods, each grant's text a place in `texts`.
    pod_hops: Vec<PodHop>,
    /// The grants of pod hops, each text once per principal that has them.
    texts: Vec<String>,
    /// Per pod ServiceAccount (see [`super::index::Indexes::pod_accounts`]): its node, once
    /// known (`NONE` before).
    account_node: Vec<u32>,
    /// Per namespace of pods (see [`super::index::Indexes::pod_namespaces`]): the node of any
    /// ServiceAccount of it, once known (`NONE` before).
    namespace_node: Vec<u32>,
    /// True when the size bound stopped the exploration.
    pub truncated: bool,
}

impl Graph {
    fn id(&mut self, p: Principal, queue: &mut VecDeque<u32>) -> u32 {
        if let Some(&i) = self.index.get(&p) {
            return i;
        }
        let i = self.nodes.len() as u32;
        self.index.insert(p.clone(), i);
        self.nodes.push(p);
        self.out.push(Vec::new());
        queue.push_back(i);
        i
    }

    /// The node of a principal, if the graph has it.
    pub fn node(&self, p: &Principal) -> Option<u32> {
        self.index.get(p).copied()
    }

    /// Hop `h` as it is shown: a pod hop written out from the world's pod.
    pub(super) fn hop_info(&self, world: &World, h: u32) -> Cow<'_, HopInfo> {
        if h & POD == 0 {
            return Cow::Borrowed(&self.hops[h as usize]);
        }
        let pod = &self.pod_hops[(h & !POD) as usize];
        Cow::Owned(primitives::pod_hop_info(
            world,
            pod,
            &self.texts[pod.by as usize],
        ))
    }

    /// Shortest distances (in hops; hub expansions are free) from one node, with the edge
    /// each node was reached by: a 0-1 breadth-first search.
    pub(super) fn forward(&self, start: u32) -> (Vec<u32>, Vec<Option<(u32, Edge)>>) {
        let n = self.nodes.len();
        let mut dist = vec![u32::MAX; n];
        let mut parent: Vec<Option<(u32, Edge)>> = vec![None; n];
        let mut deque = VecDeque::new();
        dist[start as usize] = 0;
        deque.push_back(start);
        while let Some(v) = deque.pop_front() {
            let d = dist[v as usize];
            let mut free = Vec::new();
            for e in &self.out[v as usize] {
                let w = u32::from(e.hop != NONE);
                if d + w < dist[e.to as usize] {
                    dist[e.to as usize] = d + w;
                    parent[e.to as usize] = Some((v, *e));
                    if w == 0 {
                        free.push(e.to);
                    } else {
                        deque.push_back(e.to);
                    }
                }
            }
            // A hub's members are explored in their order (by name), before anything farther.
            for to in free.into_iter().rev() {
                deque.push_front(to);
            }
        }
        (dist, parent)
    }

    /// The reversed edges, for backward searches: each node's incoming edges with the node
    /// they leave, in the order of the nodes they leave (then of their edges), all in one
    /// array — per node, `edges[start[w]..start[w + 1]]`.
    pub(super) fn reverse(&self) -> Reverse {
        let n = self.nodes.len();
        let mut start = vec![0usize; n + 1];
        for e in self.out.iter().flatten() {
            start[e.to as usize + 1] += 1;
        }
        for w in 0..n {
            start[w + 1] += start[w];
        }
        let mut fill = start.clone();
        let mut edges = vec![(0u32, Edge { to: 0, hop: NONE }); start[n]];
        for (v, out) in self.out.iter().enumerate() {
            for e in out {
                let at = &mut fill[e.to as usize];
                edges[*at] = (v as u32, *e);
                *at += 1;
            }
        }
        Reverse { start, edges }
    }

    /// Shortest distances to the nearest node that meets `goal`, with the next edge on the
    /// way: a 0-1 breadth-first search over the reversed edges.
    pub(super) fn backward(
        &self,
        reverse: &Reverse,
        goal: &dyn Fn(&Principal) -> bool,
    ) -> (Vec<u32>, Vec<Option<Edge>>) {
        let n = self.nodes.len();
        let mut dist = vec![u32::MAX; n];
        let mut next: Vec<Option<Edge>> = vec![None; n];
        let mut deque = VecDeque::new();
        for (i, p) in self.nodes.iter().enumerate() {
            if goal(p) {
                dist[i] = 0;
                deque.push_back(i as u32);
            }
        }
        while let Some(w) = deque.pop_front() {
            let d = dist[w as usize];
            let incoming = reverse.start[w as usize]..reverse.start[w as usize + 1];
            for (v, e) in &reverse.edges[incoming] {
                let cost = u32::from(e.hop != NONE);
                if d + cost < dist[*v as usize] {
                    dist[*v as usize] = d + cost;
                    next[*v as usize] = Some(*e);
                    if cost == 0 {
                        deque.push_front(*v);
                    } else {
                        deque.push_back(*v);
                    }
                }
            }
        }
        (dist, next)
    }

    /// A shortest path from `start` to a goal, by a backward search's distances and next
    /// edges, as hops between principals. A hub at distance 0 stands for a goal: the path goes
    /// on to the goal.
    pub(super) fn path_to_goal(
        &self,
        world: &World,
        start: u32,
        dist: &[u32],
        next: &[Option<Edge>],
    ) -> Vec<PathHop<'_>> {
        let mut chain = Vec::new();
        let mut cur = start;
        while dist[cur as usize] > 0 || self.nodes[cur as usize].is_hub() {
            let Some(e) = next[cur as usize] else { break };
            chain.push((cur, e));
            cur = e.to;
            if chain.len() > self.nodes.len() {
                break;
            }
        }
        self.hops_of(world, &chain)
            .into_iter()
            .map(|(f, t, h)| (&self.nodes[f as usize], &self.nodes[t as usize], h))
            .collect()
    }

    /// A chain of edges as hops between principals: a hop into a hub is carried on to the
    /// principal the hub stands for.
    pub(super) fn hops_of(
        &self,
        world: &World,
        chain: &[(u32, Edge)],
    ) -> Vec<(u32, u32, Cow<'_, HopInfo>)> {
        let mut out: Vec<(u32, u32, Cow<'_, HopInfo>)> = Vec::new();
        for &(from, e) in chain {
            if e.hop == NONE {
                if let Some(last) = out.last_mut() {
                    last.1 = e.to;
                }
                continue;
            }
            out.push((from, e.to, self.hop_info(world, e.hop)));
        }
        out
    }
}

impl Escalation<'_> {
    /// The graph of everything reachable from the starts, at most `limit` nodes. With
    /// `admin_only` (only shortest paths to cluster-admin are asked for), a principal with a
    /// hop to cluster-admin keeps only its first such hop: no other can be on such a path.
    pub fn graph(&self, starts: &[Principal], limit: usize, admin_only: bool) -> Graph {
        let mut g = Graph {
            account_node: vec![NONE; self.index.pod_account_count],
            namespace_node: vec![NONE; self.index.pod_namespace_count],
            ..Graph::default()
        };
        let mut queue = VecDeque::new();
        for s in starts {
            g.id(s.clone(), &mut queue);
        }
        // Breadth first, a wave at a time: the hops of a wave's principals are computed on
        // every core (each is pure), then added in queue order, so ids and order are exactly
        // those of a one-at-a-time search.
        while !queue.is_empty() {
            let wave: Vec<u32> = queue.drain(..).collect();
            let principals: Vec<&Principal> = wave.iter().map(|&i| &g.nodes[i as usize]).collect();
            let edges_of = |p: &Principal| match primitives::expand_hub(self, p) {
                Some(members) => Edges::Hub(members),
                None => Edges::Hops(primitives::hops(self, p, admin_only)),
            };
            // Principals differ in cost by 1,000×: small batches go to whichever core is
            // free (also when lint runs other rules beside this search).
            let all_edges =
                crate::parallel::map_batched(&principals, 64, 128, &|p: &&Principal| edges_of(p));
            // Room for all of the wave at once: a large wave's hops are hundreds of thousands.
            let (edges, hops) =
                all_edges
                    .iter()
                    .fold((0, (0, 0)), |(e, (h, p)), edges| match edges {
                        Edges::Hub(members) => (e + members.len(), (h, p)),
                        Edges::Hops(hops) => {
                            let (info, pods) = hops.counts();
                            (e + info + pods, (h + info, p + pods))
                        }
                    });
            g.hops.reserve(hops.0);
            g.pod_hops.reserve(hops.1);
            g.nodes.reserve(edges.min(limit));
            g.out.reserve(edges.min(limit));
            queue.reserve(edges.min(limit));
            for (i, edges) in wave.into_iter().zip(all_edges) {
                if g.nodes.len() >= limit {
                    g.truncated = true;
                    break;
                }
                g.add_edges(self, i, edges, &mut queue);
            }
            if g.truncated {
                break;
            }
        }
        g
    }
}

/// A principal's edges: a hub's members (free), or its hops.
enum Edges {
    Hub(Vec<Principal>),
    Hops(Hops),
}

/// The principal a hop by `way` through this pod reaches (see [`Graph::pod_hop_target`]).
fn pod_hop_to(pod: &super::PodInfo, way: u8) -> Principal {
    if primitives::into_pod(way) {
        Principal::ServiceAccount {
            namespace: pod.namespace.clone(),
            name: pod.service_account.clone(),
        }
    } else {
        Principal::AnyServiceAccountIn {
            namespace: pod.namespace.clone(),
        }
    }
}

impl Hops {
    /// Every hop written out, in order: (to, hop).
    #[cfg(test)]
    pub(crate) fn written_out(&self, world: &World) -> Vec<(Principal, HopInfo)> {
        let mut out = Vec::new();
        for step in &self.steps {
            match step {
                Step::To(to, info) => out.push((to.clone(), info.clone())),
                &Step::Pods {
                    way,
                    ask,
                    by,
                    start,
                    len,
                } => {
                    for &pod in &self.pods[start as usize..(start + len) as usize] {
                        let hop = PodHop { pod, way, ask, by };
                        let info = primitives::pod_hop_info(world, &hop, &self.texts[by as usize]);
                        out.push((pod_hop_to(&world.pods[pod as usize], way), info));
                    }
                }
            }
        }
        out
    }

    /// How many hops it has: (written out, into pods).
    fn counts(&self) -> (usize, usize) {
        let runs = self
            .steps
            .iter()
            .filter(|s| matches!(s, Step::Pods { .. }))
            .count();
        (self.steps.len() - runs, self.pods.len())
    }
}

impl Graph {
    /// An edge from node `i` to node `to` by a new hop.
    fn push_hop(&mut self, i: u32, to: u32, hop: HopInfo) {
        self.hops.push(hop);
        let hop = (self.hops.len() - 1) as u32;
        self.out[i as usize].push(Edge { to, hop });
    }

    /// The node a hop by `way` through `pod` reaches: the pod's ServiceAccount (a way into
    /// the pod), or any ServiceAccount of its namespace (a workload's template patched) —
    /// each found once.
    fn pod_hop_target(
        &mut self,
        e: &Escalation,
        pod: u32,
        way: u8,
        queue: &mut VecDeque<u32>,
    ) -> u32 {
        let into = primitives::into_pod(way);
        let at = if into {
            e.index.pod_accounts[pod as usize]
        } else {
            e.index.pod_namespaces[pod as usize]
        } as usize;
        let known = if into {
            self.account_node[at]
        } else {
            self.namespace_node[at]
        };
        if known != NONE {
            return known;
        }
        let node = self.id(pod_hop_to(&e.world.pods[pod as usize], way), queue);
        if into {
            self.account_node[at] = node;
        } else {
            self.namespace_node[at] = node;
        }
        node
    }

    /// An edge from node `i` to node `to` by a new hop into a pod.
    fn push_pod_hop(&mut self, i: u32, to: u32, hop: PodHop) {
        self.pod_hops.push(hop);
        let hop = (self.pod_hops.len() - 1) as u32 | POD;
        self.out[i as usize].push(Edge { to, hop });
    }

    /// Adds the edges of node `i` (new principals get ids and join the queue).
    fn add_edges(&mut self, e: &Escalation, i: u32, edges: Edges, queue: &mut VecDeque<u32>) {
        match edges {
            Edges::Hub(members) => {
                self.out[i as usize].reserve_exact(members.len());
                for to in members {
                    let t = self.id(to, queue);
                    self.out[i as usize].push(Edge { to: t, hop: NONE });
                }
            }
            Edges::Hops(hops) => {
                // Its pod hops' texts, after those of the principals added before.
                let base = self.texts.len() as u32;
                let (info, pods) = hops.counts();
                self.out[i as usize].reserve_exact(info + pods);
                self.texts.extend(hops.texts);
                for step in hops.steps {
                    match step {
                        Step::To(to, info) => {
                            let t = self.id(to, queue);
                            self.push_hop(i, t, info);
                        }
                        Step::Pods {
                            way,
                            ask,
                            by,
                            start,
                            len,
                        } => {
                            for &pod in &hops.pods[start as usize..(start + len) as usize] {
                                let to = self.pod_hop_target(e, pod, way, queue);
                                let by = base + by;
                                self.push_pod_hop(i, to, PodHop { pod, way, ask, by });
                            }
                        }
                    }
                }
            }
        }
    }
}
