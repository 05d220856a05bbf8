//! The graph of principals the escalation search explores: every principal's hops, computed
//! once, a wave at a time on every core, and searched forwards (a closure) or backwards (from
//! a goal).

use std::collections::{HashMap, VecDeque};

use super::{primitives, Escalation, Grant, PathHop, Primitive, Principal};

/// One edge of the graph: to a node, by a hop (`NONE` for a hub's expansion, which costs
/// nothing: a hub stands for "any of these").
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    pub(super) to: u32,
    pub(super) hop: u32,
}

pub(super) const NONE: u32 = u32::MAX;

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

/// The graph of principals reachable from some starts: every principal's hops, computed once.
#[derive(Debug, Default)]
pub struct Graph {
    pub(super) nodes: Vec<Principal>,
    index: HashMap<Principal, u32, ahash::RandomState>,
    pub(super) out: Vec<Vec<Edge>>,
    pub(super) hops: Vec<HopInfo>,
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

    /// Shortest distances to the nearest node that meets `goal`, with the next edge on the
    /// way: a 0-1 breadth-first search over the reversed edges.
    pub(super) fn backward(
        &self,
        goal: &dyn Fn(&Principal) -> bool,
    ) -> (Vec<u32>, Vec<Option<Edge>>) {
        let n = self.nodes.len();
        let mut reverse: Vec<Vec<(u32, Edge)>> = vec![Vec::new(); n];
        for (v, edges) in self.out.iter().enumerate() {
            for e in edges {
                reverse[e.to as usize].push((v as u32, *e));
            }
        }
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
            for (v, e) in &reverse[w as usize] {
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
        self.hops_of(&chain)
            .into_iter()
            .map(|(f, t, h)| (&self.nodes[f as usize], &self.nodes[t as usize], h))
            .collect()
    }

    /// A chain of edges as hops between principals: a hop into a hub is carried on to the
    /// principal the hub stands for.
    pub(super) fn hops_of(&self, chain: &[(u32, Edge)]) -> Vec<(u32, u32, &HopInfo)> {
        let mut out: Vec<(u32, u32, &HopInfo)> = Vec::new();
        for &(from, e) in chain {
            if e.hop == NONE {
                if let Some(last) = out.last_mut() {
                    last.1 = e.to;
                }
                continue;
            }
            out.push((from, e.to, &self.hops[e.hop as usize]));
        }
        out
    }
}

impl Escalation<'_> {
    /// The graph of everything reachable from the starts, at most `limit` nodes. With
    /// `admin_only` (only shortest paths to cluster-admin are asked for), a principal with a
    /// hop to cluster-admin keeps only its first such hop: no other can be on such a path.
    pub fn graph(&self, starts: &[Principal], limit: usize, admin_only: bool) -> Graph {
        let mut g = Graph::default();
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
            let (edges, hops) = all_edges.iter().fold((0, 0), |(e, h), edges| match edges {
                Edges::Hub(members) => (e + members.len(), h),
                Edges::Hops(hops) => (e + hops.len(), h + hops.len()),
            });
            g.hops.reserve(hops);
            g.nodes.reserve(edges.min(limit));
            g.out.reserve(edges.min(limit));
            queue.reserve(edges.min(limit));
            for (i, edges) in wave.into_iter().zip(all_edges) {
                if g.nodes.len() >= limit {
                    g.truncated = true;
                    break;
                }
                g.add_edges(i, edges, &mut queue);
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
    Hops(Vec<(Principal, HopInfo)>),
}

impl Graph {
    /// Adds the edges of node `i` (new principals get ids and join the queue).
    fn add_edges(&mut self, i: u32, edges: Edges, queue: &mut VecDeque<u32>) {
        match edges {
            Edges::Hub(members) => {
                for to in members {
                    let t = self.id(to, queue);
                    self.out[i as usize].push(Edge { to: t, hop: NONE });
                }
            }
            Edges::Hops(hops) => {
                for (to, info) in hops {
                    let t = self.id(to, queue);
                    self.hops.push(info);
                    let hop = (self.hops.len() - 1) as u32;
                    self.out[i as usize].push(Edge { to: t, hop });
                }
            }
        }
    }
}
