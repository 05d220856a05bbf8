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

/// Set in [`Edge::hop`] for hops into pods: the rest is a run's place in [`Graph`]'s runs.
/// Among a node's edges such an edge (`to` is `NONE`) stands for a hop into each pod of the
/// run; as the edge a search reached `to` by, for the hop into the run's first pod that leads
/// there.
const RUN: u32 = 1 << 31;

/// A run of hops into pods as the graph keeps it: a principal allowed exec on every pod has a
/// run or two, not a hop per pod.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// Which way in ([`PodHop::way`]).
    way: u8,
    /// Which of its requests was granted ([`PodHop::ask`]).
    ask: u8,
    /// The grant's text, a place in [`Graph`]'s texts.
    by: u32,
    /// The first pod (a place in [`World::pods`]); the run is the pods after it, in order.
    first: u32,
    /// How many.
    len: u32,
    /// The node whose hops these are.
    owner: u32,
    /// Its place among the owner's edges.
    at: u32,
}

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
    /// Into pods, each to its ServiceAccount (or through its workload to any ServiceAccount
    /// of its namespace), by a grant that is the same for every pod of its scope: a hop into
    /// each of the pods `start..start + len` (places in [`World::pods`]), each pod's request
    /// and objects written out only for a path shown (a principal allowed exec on every pod
    /// has a run or two, not a hop per pod). A pod whose ServiceAccount an earlier hop of the
    /// principal already reaches may be in a run (see `Out::pod_reached`): that hop is never
    /// taken.
    Pods {
        /// Which way in ([`PodHop::way`]).
        way: u8,
        /// Which of its requests was granted ([`PodHop::ask`]).
        ask: u8,
        /// The grant's text, a place in [`Hops::texts`].
        by: u32,
        /// The first of the pods, a place in [`World::pods`].
        start: u32,
        /// How many.
        len: u32,
    },
}

/// A principal's hops, with the texts its pod hops share.
#[derive(Default)]
pub(crate) struct Hops {
    /// The hops, in the order found.
    pub(crate) steps: Vec<Step>,
    /// The grants of its pod hops (a run's grant is a place here).
    pub(crate) texts: Vec<String>,
}

/// A hop into a pod, as a path shows it (see [`Step::Pods`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PodHop {
    /// The pod's place in [`World::pods`].
    pub(crate) pod: u32,
    /// Which way in (patch, exec, attach, a debug container: a place in the pod primitives' ways).
    pub(crate) way: u8,
    /// Which of that way's requests was granted.
    pub(crate) ask: u8,
}

/// A graph's edges reversed (see [`Graph::reverse`]).
pub(super) struct Reverse {
    start: Vec<usize>,
    edges: Vec<(u32, Edge)>,
    /// Per node, the pods a run's hop reaches it through: `pods[pods_start[w]..pods_start[w +
    /// 1]]`, each a place in [`World::pods`] with [`RUN`] set for a way through its workload.
    pods_start: Vec<u32>,
    pods: Vec<u32>,
    /// The runs by the pods they hold: into pods, and through their workloads.
    runs: [Stab; 2],
}

/// A backward search under way: distances to the goal, each node's next edge on the way,
/// and the nodes to visit (a 0-1 breadth-first search: free edges first).
pub(super) struct Backward {
    pub(super) dist: Vec<u32>,
    pub(super) next: Vec<Option<Edge>>,
    pub(super) deque: VecDeque<u32>,
}

impl Backward {
    /// The search from every node that meets `goal`.
    pub(super) fn new(g: &Graph, goal: &dyn Fn(&Principal) -> bool) -> Backward {
        let n = g.nodes.len();
        let mut search = Backward {
            dist: vec![u32::MAX; n],
            next: vec![None; n],
            deque: VecDeque::new(),
        };
        for (i, p) in g.nodes.iter().enumerate() {
            if goal(p) {
                search.dist[i] = 0;
                search.deque.push_back(i as u32);
            }
        }
        search
    }

    /// Node `v`'s edge `e` into a node at distance `d`: taken when it makes `v` nearer.
    pub(super) fn relax(&mut self, d: u32, v: u32, e: Edge) {
        let cost = u32::from(e.hop != NONE);
        if d + cost < self.dist[v as usize] {
            self.dist[v as usize] = d + cost;
            self.next[v as usize] = Some(e);
            if cost == 0 {
                self.deque.push_front(v);
            } else {
                self.deque.push_back(v);
            }
        }
    }
}

/// Intervals of pods (the runs), found by a pod they hold: a segment tree whose every node
/// lists the runs covering all of its pods and none of its parent's, so the runs holding a pod
/// are those listed on its leaf's way to the root.
#[derive(Clone)]
struct Stab {
    size: usize,
    lists: Vec<Vec<u32>>,
}

impl Stab {
    fn new(pods: usize) -> Stab {
        let size = pods.next_power_of_two().max(1);
        Stab {
            size,
            lists: vec![Vec::new(); 2 * size],
        }
    }

    /// Lists `run` as holding the pods `first..first + len`.
    fn insert(&mut self, first: u32, len: u32, run: u32) {
        let (mut l, mut r) = (
            first as usize + self.size,
            (first + len) as usize + self.size,
        );
        while l < r {
            if l & 1 == 1 {
                self.lists[l].push(run);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                self.lists[r].push(run);
            }
            l >>= 1;
            r >>= 1;
        }
    }

    /// Every list of runs holding `pod`, to `f`, which may drop runs no longer wanted.
    fn stab(&mut self, pod: u32, mut f: impl FnMut(&mut Vec<u32>)) {
        let mut i = pod as usize + self.size;
        while i >= 1 {
            f(&mut self.lists[i]);
            i >>= 1;
        }
    }
}

/// The graph of principals reachable from some starts: every principal's hops, computed once.
#[derive(Debug, Default)]
pub struct Graph {
    pub(super) nodes: Vec<Principal>,
    index: HashMap<Principal, u32, ahash::RandomState>,
    pub(super) out: Vec<Vec<Edge>>,
    hops: Vec<HopInfo>,
    /// Runs of hops into pods, each grant's text a place in `texts`.
    runs: Vec<Run>,
    /// The grants of pod hops, each text once per principal that has them.
    texts: Vec<String>,
    /// Per pod (a place in [`World::pods`]), the node a hop into it reaches (its
    /// ServiceAccount's), then the node a hop through its workload reaches (any ServiceAccount
    /// of its namespace): `NONE` when no run has it.
    pod_target: [Vec<u32>; 2],
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

    /// The node a hop of `run` into `pod` reaches.
    fn run_target(&self, run: &Run, pod: u32) -> u32 {
        self.pod_target[usize::from(!primitives::into_pod(run.way))][pod as usize]
    }

    /// The hop a search took to `e.to` by edge `e`, as it is shown: a hop of a run is the
    /// one into the run's first pod that leads there, written out from the world's pod.
    pub(super) fn hop_info(&self, world: &World, e: Edge) -> Cow<'_, HopInfo> {
        if e.hop & RUN == 0 {
            return Cow::Borrowed(&self.hops[e.hop as usize]);
        }
        let run = &self.runs[(e.hop & !RUN) as usize];
        // A search takes a run's edge only to a node one of its pods leads to.
        let pod = (run.first..run.first + run.len).find(|&p| self.run_target(run, p) == e.to);
        debug_assert!(
            pod.is_some(),
            "a run's edge to a node none of its pods reaches"
        );
        let pod = pod.unwrap_or(run.first);
        let hop = PodHop {
            pod,
            way: run.way,
            ask: run.ask,
        };
        Cow::Owned(primitives::pod_hop_info(
            world,
            &hop,
            &self.texts[run.by as usize],
        ))
    }

    /// The first edge out of node `v`, as a search would take it (a run's first hop).
    pub(super) fn first_edge(&self, v: u32) -> Option<Edge> {
        let e = *self.out[v as usize].first()?;
        if e.to != NONE {
            return Some(e);
        }
        let run = &self.runs[(e.hop & !RUN) as usize];
        Some(Edge {
            to: self.run_target(run, run.first),
            hop: e.hop,
        })
    }

    /// Every edge out of node `v`, each run's hops one by one.
    #[cfg(test)]
    pub(super) fn edges(&self, v: u32) -> Vec<Edge> {
        let mut out = Vec::new();
        for &e in &self.out[v as usize] {
            if e.to != NONE {
                out.push(e);
                continue;
            }
            let run = &self.runs[(e.hop & !RUN) as usize];
            for p in run.first..run.first + run.len {
                out.push(Edge {
                    to: self.run_target(run, p),
                    hop: e.hop,
                });
            }
        }
        out
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
                if e.to == NONE {
                    // A run: a hop into each of its pods, in order.
                    let run = &self.runs[(e.hop & !RUN) as usize];
                    for p in run.first..run.first + run.len {
                        let to = self.run_target(run, p);
                        if d + 1 < dist[to as usize] {
                            dist[to as usize] = d + 1;
                            parent[to as usize] = Some((v, Edge { to, hop: e.hop }));
                            deque.push_back(to);
                        }
                    }
                    continue;
                }
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
    /// array — per node, `edges[start[w]..start[w + 1]]`. Runs are not reversed hop by hop
    /// (a principal allowed exec on every pod would have a reversed edge into every pod's
    /// ServiceAccount): they are found by the pods they hold.
    pub(super) fn reverse(&self) -> Reverse {
        let n = self.nodes.len();
        let mut start = vec![0usize; n + 1];
        for e in self.out.iter().flatten().filter(|e| e.to != NONE) {
            start[e.to as usize + 1] += 1;
        }
        for w in 0..n {
            start[w + 1] += start[w];
        }
        let mut fill = start.clone();
        let mut edges = vec![(0u32, Edge { to: 0, hop: NONE }); start[n]];
        for (v, out) in self.out.iter().enumerate() {
            for e in out.iter().filter(|e| e.to != NONE) {
                let at = &mut fill[e.to as usize];
                edges[*at] = (v as u32, *e);
                *at += 1;
            }
        }
        // The pods through which runs reach each node.
        let mut pods_start = vec![0u32; n + 1];
        let targets = || {
            self.pod_target.iter().enumerate().flat_map(|(way, nodes)| {
                nodes
                    .iter()
                    .enumerate()
                    .filter(|(_, &w)| w != NONE)
                    .map(move |(p, &w)| (w, p as u32 | if way == 1 { RUN } else { 0 }))
            })
        };
        for (w, _) in targets() {
            pods_start[w as usize + 1] += 1;
        }
        for w in 0..n {
            pods_start[w + 1] += pods_start[w];
        }
        let mut fill = pods_start.clone();
        let mut pods = vec![0u32; pods_start[n] as usize];
        for (w, p) in targets() {
            pods[fill[w as usize] as usize] = p;
            fill[w as usize] += 1;
        }
        let count = self.pod_target[0].len();
        let mut runs = [Stab::new(count), Stab::new(count)];
        for (i, run) in self.runs.iter().enumerate() {
            let way = usize::from(!primitives::into_pod(run.way));
            runs[way].insert(run.first, run.len, i as u32);
        }
        Reverse {
            start,
            edges,
            pods_start,
            pods,
            runs,
        }
    }

    /// Shortest distances to the nearest node that meets `goal`, with the next edge on the
    /// way: a 0-1 breadth-first search over the reversed edges.
    pub(super) fn backward(
        &self,
        reverse: &Reverse,
        goal: &dyn Fn(&Principal) -> bool,
    ) -> (Vec<u32>, Vec<Option<Edge>>) {
        let mut search = Backward::new(self, goal);
        let mut runs = if self.runs.is_empty() {
            None
        } else {
            Some(reverse.runs.clone())
        };
        // The runs with a hop into node `w`, as (owner, its edge's place, run).
        let mut found: Vec<(u32, u32, u32)> = Vec::new();
        while let Some(w) = search.deque.pop_front() {
            let d = search.dist[w as usize];
            found.clear();
            if let Some(runs) = &mut runs {
                let pods = reverse.pods_start[w as usize] as usize
                    ..reverse.pods_start[w as usize + 1] as usize;
                for &p in &reverse.pods[pods] {
                    let tree = &mut runs[usize::from(p & RUN != 0)];
                    tree.stab(p & !RUN, |list| {
                        // A run whose owner has its distance is done with: that distance
                        // never shrinks (an owner of runs has no free edges).
                        list.retain(|&r| {
                            let run = &self.runs[r as usize];
                            let open = search.dist[run.owner as usize] == u32::MAX;
                            if open {
                                found.push((run.owner, run.at, r));
                            }
                            open
                        });
                    });
                }
                found.sort_unstable();
            }
            // The incoming edges and the runs, in the order of the nodes they leave, then of
            // their edges: as if each run's hops were reversed one by one.
            let incoming = &reverse.edges[reverse.start[w as usize]..reverse.start[w as usize + 1]];
            let (mut i, mut j) = (0, 0);
            while i < incoming.len() || j < found.len() {
                let edge_first = match (incoming.get(i), found.get(j)) {
                    (Some(&(v, e)), Some(&(owner, at, _))) if v == owner => {
                        let place = self.out[v as usize]
                            .iter()
                            .position(|x| x.to == e.to && x.hop == e.hop);
                        place.is_some_and(|place| place < at as usize)
                    }
                    (Some(&(v, _)), Some(&(owner, _, _))) => v < owner,
                    (Some(_), None) => true,
                    _ => false,
                };
                let (v, e) = if edge_first {
                    i += 1;
                    incoming[i - 1]
                } else {
                    j += 1;
                    let (owner, _, r) = found[j - 1];
                    (
                        owner,
                        Edge {
                            to: w,
                            hop: RUN | r,
                        },
                    )
                };
                search.relax(d, v, e);
            }
        }
        (search.dist, search.next)
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
            out.push((from, e.to, self.hop_info(world, e)));
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
                            let (info, runs) = hops.counts();
                            (e + info + runs, (h + info, p + runs))
                        }
                    });
            g.hops.reserve(hops.0);
            g.runs.reserve(hops.1);
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
        // Where each pod's runs lead, for the searches (every pod of a run has its node).
        let nodes = |known: &[u32], places: &[u32]| -> Vec<u32> {
            places.iter().map(|&at| known[at as usize]).collect()
        };
        g.pod_target = [
            nodes(&g.account_node, &self.index.pod_accounts),
            nodes(&g.namespace_node, &self.index.pod_namespaces),
        ];
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
    /// Every hop written out, in order: (to, hop). A pod a run holds only because an earlier
    /// hop of the same way (into pods, or through one kind of workload) reaches its principal
    /// (see `Out::pod_reached`) is no hop of its own.
    #[cfg(test)]
    pub(crate) fn written_out(&self, world: &World) -> Vec<(Principal, HopInfo)> {
        use std::collections::HashSet;
        // The way a hop went, as far as `Out::pod_reached` tells them apart: into a pod
        // (`None`), or through a workload of this kind.
        let way_of = |info: &HopInfo| match info.primitive {
            Primitive::PatchPod | Primitive::Exec | Primitive::Attach => Some(None),
            Primitive::EphemeralContainer => Some(None),
            Primitive::PatchWorkload => {
                let object = info.objects.first().map_or("", String::as_str);
                Some(Some(object.split('/').next().unwrap_or("").to_string()))
            }
            _ => None,
        };
        let mut reached: HashSet<(Option<String>, Principal)> = HashSet::new();
        let mut out = Vec::new();
        for step in &self.steps {
            match step {
                Step::To(to, info) => {
                    if let Some(way) = way_of(info) {
                        reached.insert((way, to.clone()));
                    }
                    out.push((to.clone(), info.clone()));
                }
                &Step::Pods {
                    way,
                    ask,
                    by,
                    start,
                    len,
                } => {
                    for pod in start..start + len {
                        let hop = PodHop { pod, way, ask };
                        let to = pod_hop_to(&world.pods[pod as usize], way);
                        let kind = (!primitives::into_pod(way))
                            .then(|| primitives::workload_kind(way).to_string());
                        if reached.insert((kind, to.clone())) {
                            let info =
                                primitives::pod_hop_info(world, &hop, &self.texts[by as usize]);
                            out.push((to, info));
                        }
                    }
                }
            }
        }
        out
    }

    /// How many steps it has: (hops written out, runs into pods).
    fn counts(&self) -> (usize, usize) {
        let runs = self
            .steps
            .iter()
            .filter(|s| matches!(s, Step::Pods { .. }))
            .count();
        (self.steps.len() - runs, runs)
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
                let (info, runs) = hops.counts();
                self.out[i as usize].reserve_exact(info + runs);
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
                            // Its pods' principals get their ids in order, as hops one by
                            // one would give them.
                            for pod in start..start + len {
                                self.pod_hop_target(e, pod, way, queue);
                            }
                            let at = self.out[i as usize].len() as u32;
                            self.runs.push(Run {
                                way,
                                ask,
                                by: base + by,
                                first: start,
                                len,
                                owner: i,
                                at,
                            });
                            let hop = (self.runs.len() - 1) as u32 | RUN;
                            self.out[i as usize].push(Edge { to: NONE, hop });
                        }
                    }
                }
            }
        }
    }
}
