//! Escalation paths: what a subject can become, hop by hop. Pure and I/O-free over the compiled
//! access model and the inventory (running pods, token Secrets' metadata, namespaces' Pod
//! Security labels).
//!
//! A *principal* is something an attacker can act as: a user, a ServiceAccount, a member of a
//! group, an abstract holder of a role it bound to itself, root on a node, or cluster-admin.
//! Every request is authorized for one principal at a time — a hop that needs two permissions
//! needs both in the same principal — by the same evaluator as `can-i`. Each primitive turns a
//! principal's permissions into hops to other principals (or to powers that are not
//! identities); the closure is a breadth-first search, so the first path found to anything is
//! a shortest one.

mod graph;
mod index;
mod primitives;
pub mod target;
mod world;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

pub use graph::{Graph, HopInfo};
pub use target::Target;
pub use world::{PodInfo, TokenSecret, World};

use graph::Edge;

use crate::model::access::{service_account_username, AccessModel, RoleId};
use crate::rbac::authorize::Explain;
use crate::rbac::identity::{AUTHENTICATED, SERVICE_ACCOUNTS};
use crate::rbac::rule::rule_allows;
use crate::rbac::{Attributes, UserInfo, SYSTEM_MASTERS};

/// The most principals a search explores before it stops and says so (`truncated`).
pub const LIMIT: usize = 2_000_000;

/// Something an attacker can act as.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Principal {
    /// A user (with the groups the path gives it; `system:authenticated` always).
    User {
        /// The user name.
        name: String,
        /// Its groups, sorted.
        groups: Vec<String>,
    },
    /// A ServiceAccount.
    ServiceAccount {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
    },
    /// Some member of a group (and of `system:authenticated`).
    GroupMember {
        /// The group.
        group: String,
    },
    /// Whoever holds a role it bound to itself, in a scope (`*` cluster-wide).
    Role {
        /// `ClusterRole/name` or `Role/namespace/name`.
        role: String,
        /// The model's id of the role.
        #[serde(skip)]
        id: RoleId,
        /// `*` or the namespace.
        scope: String,
    },
    /// Every verb on every namespaced resource of one namespace.
    NamespaceAdmin {
        /// The namespace.
        namespace: String,
    },
    /// Root on a node of the attacker's choice: the kubelet's credentials and every pod there.
    Node,
    /// Every verb on every resource and URL: cluster-admin (or `system:masters`).
    ClusterAdmin,
    /// A hub (never shown): any ServiceAccount of a namespace.
    AnyServiceAccountIn {
        /// The namespace.
        namespace: String,
    },
    /// A hub (never shown): any ServiceAccount of any namespace.
    AnyServiceAccount,
    /// A hub (never shown): the ServiceAccount of any pod.
    AnyPodServiceAccount,
}

impl Principal {
    /// The identity the API server sees, for principals that are one.
    pub fn user_info(&self) -> Option<UserInfo> {
        match self {
            Principal::User { name, groups } => Some(UserInfo {
                name: name.clone(),
                groups: groups.clone(),
            }),
            Principal::ServiceAccount { namespace, name } => Some(UserInfo {
                name: service_account_username(namespace, name),
                groups: vec![
                    SERVICE_ACCOUNTS.to_string(),
                    format!("{SERVICE_ACCOUNTS}:{namespace}"),
                    AUTHENTICATED.to_string(),
                ],
            }),
            Principal::GroupMember { group } => Some(UserInfo {
                name: String::new(),
                groups: vec![group.clone(), AUTHENTICATED.to_string()],
            }),
            // The kubelet's own identity (what a node's credentials authenticate as).
            Principal::Node => Some(UserInfo {
                name: "system:node:(any node)".into(),
                groups: vec!["system:nodes".into(), AUTHENTICATED.to_string()],
            }),
            Principal::ClusterAdmin => Some(UserInfo {
                name: "(cluster-admin)".into(),
                groups: vec![SYSTEM_MASTERS.into(), AUTHENTICATED.to_string()],
            }),
            Principal::Role { .. }
            | Principal::NamespaceAdmin { .. }
            | Principal::AnyServiceAccountIn { .. }
            | Principal::AnyServiceAccount
            | Principal::AnyPodServiceAccount => None,
        }
    }

    /// True for hubs: sets of principals that paths pass through without a hop.
    pub fn is_hub(&self) -> bool {
        matches!(
            self,
            Principal::AnyServiceAccountIn { .. }
                | Principal::AnyServiceAccount
                | Principal::AnyPodServiceAccount
        )
    }

    /// A short display name: `ServiceAccount ci/deployer`, `User carol`, `cluster-admin`.
    pub fn display(&self) -> String {
        match self {
            Principal::User { name, groups } => {
                let extra: Vec<&String> = groups.iter().filter(|g| *g != AUTHENTICATED).collect();
                if extra.is_empty() {
                    format!("User {name}")
                } else {
                    format!(
                        "User {name} (groups {})",
                        extra
                            .iter()
                            .map(|g| g.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            }
            Principal::ServiceAccount { namespace, name } => {
                format!("ServiceAccount {namespace}/{name}")
            }
            Principal::GroupMember { group } => format!("Group {group}"),
            Principal::Role { role, scope, .. } => {
                if scope == primitives::EVERY_NAMESPACE {
                    format!("holder of {role} in every namespace")
                } else if scope == "*" {
                    format!("holder of {role} cluster-wide")
                } else {
                    format!("holder of {role} in {scope}")
                }
            }
            Principal::NamespaceAdmin { namespace } => format!("admin of namespace {namespace}"),
            Principal::Node => "root on a node".into(),
            Principal::ClusterAdmin => "cluster-admin".into(),
            Principal::AnyServiceAccountIn { namespace } => {
                format!("any ServiceAccount of {namespace}")
            }
            Principal::AnyServiceAccount => "any ServiceAccount".into(),
            Principal::AnyPodServiceAccount => "the ServiceAccount of any pod".into(),
        }
    }

    /// The principal of a binding subject, or `None` for kinds that match nobody.
    pub fn of_subject(kind: &str, namespace: &str, name: &str) -> Option<Principal> {
        match kind {
            "User" => Some(Principal::user(name, &[])),
            "Group" if name == SYSTEM_MASTERS => Some(Principal::ClusterAdmin),
            "Group" => Some(Principal::GroupMember {
                group: name.to_string(),
            }),
            "ServiceAccount" if !namespace.is_empty() => Some(Principal::ServiceAccount {
                namespace: namespace.to_string(),
                name: name.to_string(),
            }),
            _ => None,
        }
    }

    /// A user with these groups and `system:authenticated` (as impersonation and
    /// authentication give it); a ServiceAccount username becomes the ServiceAccount, and a
    /// `system:masters` member cluster-admin.
    pub fn user(name: &str, groups: &[String]) -> Principal {
        if groups.iter().any(|g| g == SYSTEM_MASTERS) {
            return Principal::ClusterAdmin;
        }
        if let Some((ns, sa)) = crate::rbac::identity::split_service_account_username(name) {
            return Principal::ServiceAccount {
                namespace: ns.to_string(),
                name: sa.to_string(),
            };
        }
        let mut g: Vec<String> = groups.to_vec();
        if !g.iter().any(|x| x == AUTHENTICATED) {
            g.push(AUTHENTICATED.to_string());
        }
        g.sort();
        g.dedup();
        Principal::User {
            name: name.to_string(),
            groups: g,
        }
    }
}

/// How a hop is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    /// `impersonate` users (and groups).
    ImpersonateUser,
    /// `impersonate` groups, with a user to impersonate.
    ImpersonateGroup,
    /// `impersonate` serviceaccounts.
    ImpersonateServiceAccount,
    /// `escalate` on a role it holds, plus update/patch of that role.
    Escalate,
    /// `bind` on a role plus create of a binding.
    Bind,
    /// update/patch of an existing binding plus `bind` on its role.
    UpdateBinding,
    /// Create pods or a pod controller running as a ServiceAccount of the namespace.
    CreateWorkload,
    /// update/patch of a workload's pod template (its serviceAccountName is mutable).
    PatchWorkload,
    /// update/patch of a running pod's image or command.
    PatchPod,
    /// `pods/exec` into a running pod.
    Exec,
    /// `pods/attach` to a running pod.
    Attach,
    /// `pods/ephemeralcontainers`: a debug container in a running pod.
    EphemeralContainer,
    /// `nodes/proxy`: the kubelet API of a node (exec in its pods).
    NodesProxy,
    /// A privileged or hostPath pod: root on the node it runs on.
    PrivilegedPod,
    /// A hostPath PersistentVolume claimed by a pod: the node's filesystem.
    HostPathVolume,
    /// Reading a legacy token Secret of a ServiceAccount.
    ReadTokenSecret,
    /// Creating a `kubernetes.io/service-account-token` Secret and reading it back.
    CreateTokenSecret,
    /// `serviceaccounts/token` (TokenRequest).
    TokenRequest,
    /// CSR create + approval + a signer's `approve`: a client certificate.
    ApproveCsr,
    /// A node's own pods and credentials.
    NodePods,
    /// Writing mutating webhook configurations: every pod admitted afterwards can be changed.
    MutatingWebhook,
    /// Membership of `system:masters`, or every verb on every resource.
    ClusterAdminEquivalent,
}

impl Serialize for Primitive {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Primitive {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Primitive::ImpersonateUser => "impersonate-user",
            Primitive::ImpersonateGroup => "impersonate-group",
            Primitive::ImpersonateServiceAccount => "impersonate-serviceaccount",
            Primitive::Escalate => "escalate",
            Primitive::Bind => "bind",
            Primitive::UpdateBinding => "update-binding",
            Primitive::CreateWorkload => "create-workload",
            Primitive::PatchWorkload => "patch-workload",
            Primitive::PatchPod => "patch-pod",
            Primitive::Exec => "exec",
            Primitive::Attach => "attach",
            Primitive::EphemeralContainer => "ephemeral-container",
            Primitive::NodesProxy => "nodes-proxy",
            Primitive::PrivilegedPod => "privileged-pod",
            Primitive::HostPathVolume => "hostpath-volume",
            Primitive::ReadTokenSecret => "read-token-secret",
            Primitive::CreateTokenSecret => "create-token-secret",
            Primitive::TokenRequest => "token-request",
            Primitive::ApproveCsr => "approve-csr",
            Primitive::NodePods => "node-pods",
            Primitive::MutatingWebhook => "mutating-webhook",
            Primitive::ClusterAdminEquivalent => "cluster-admin-equivalent",
        }
    }
}

/// A power that is not an identity: noted on the principal that has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Power {
    /// What it is, e.g. `write validating webhook configurations`.
    pub what: String,
    /// The permission behind it.
    pub via: Vec<Grant>,
}

/// One permission a hop uses, as the evaluator found it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    /// The request, e.g. `create pods -n ci`.
    pub request: String,
    /// `ClusterRoleBinding/x → ClusterRole/y, rule 0`, or why it is allowed otherwise.
    pub by: String,
}

/// One hop: from a principal, by a primitive, using permissions and objects, to a principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hop {
    /// Index of the principal it starts from.
    #[serde(skip)]
    pub from: usize,
    /// Index of the principal it reaches.
    #[serde(skip)]
    pub to: usize,
    /// The primitive.
    pub primitive: Primitive,
    /// The permissions it uses (each found by the evaluator).
    pub grants: Vec<Grant>,
    /// The objects it uses: a pod, a Secret (metadata only), a role, a node.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<String>,
    /// What it assumes (e.g. "the pod template's pods are running").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumes: Option<String>,
}

/// The closure of one or more starting principals.
#[derive(Debug, Clone, Default)]
pub struct Closure {
    /// Every principal reached, the starts first, then by distance.
    pub principals: Vec<Principal>,
    /// The hop by which each principal was first reached (`None` for the starts).
    pub reached_by: Vec<Option<usize>>,
    /// The hop reaching each principal (from principals of the closure).
    pub hops: Vec<Hop>,
    /// Powers each principal has (by principal index).
    pub powers: BTreeMap<usize, Vec<Power>>,
    /// Assumptions made (about data not read, about the cluster's configuration).
    pub assumptions: BTreeSet<String>,
    /// True when the search stopped at its bound of principals: more may be reachable.
    pub truncated: bool,
}

impl Closure {
    /// The hops from a start to principal `i`, in order.
    pub fn path_to(&self, i: usize) -> Vec<&Hop> {
        let mut out = Vec::new();
        let mut cur = i;
        while let Some(h) = self.reached_by[cur] {
            out.push(&self.hops[h]);
            cur = self.hops[h].from;
            if out.len() > self.hops.len() {
                break;
            }
        }
        out.reverse();
        out
    }

    /// Hops from a start to principal `i`.
    pub fn distance(&self, i: usize) -> usize {
        self.path_to(i).len()
    }
}

/// What a subject reaches at best, with the path.
#[derive(Debug, Clone)]
pub struct Reach {
    /// Which goal (an index into the goals asked).
    pub goal: usize,
    /// The path's hops, each `(from, to, hop)`.
    pub path: Vec<(Principal, Principal, HopInfo)>,
}

/// One hop of a path as [`Escalation::reach_map`] lends it: from, to, and the hop.
pub type PathHop<'g> = (&'g Principal, &'g Principal, std::borrow::Cow<'g, HopInfo>);

/// A lent path, owned.
fn owned(path: Vec<PathHop>) -> Vec<(Principal, Principal, HopInfo)> {
    path.into_iter()
        .map(|(f, t, h)| (f.clone(), t.clone(), h.into_owned()))
        .collect()
}

/// What the search may use.
pub struct Escalation<'a> {
    /// The compiled access model.
    pub model: &'a AccessModel,
    /// Pods, Secrets, namespaces, nodes.
    pub world: &'a World,
    /// Per role: what each of its rules could allow at most, and what all of them could (a
    /// quick refusal of most requests).
    pub(crate) rule_reach: Vec<Vec<primitives::Reach>>,
    pub(crate) reach: Vec<primitives::Reach>,
    /// Objects by name and the namespaces worth looking at, for principals granted a few
    /// names, or every namespace, cluster-wide.
    pub(crate) index: index::Indexes<'a>,
}

impl<'a> Escalation<'a> {
    /// A search over this model and world.
    pub fn new(model: &'a AccessModel, world: &'a World) -> Escalation<'a> {
        let rule_reach: Vec<Vec<primitives::Reach>> = model
            .roles
            .iter()
            .map(|r| r.rules.iter().map(primitives::Reach::of_rule).collect())
            .collect();
        let reach = rule_reach
            .iter()
            .map(|rules| primitives::Reach::union(rules.iter().copied()))
            .collect();
        Escalation {
            model,
            world,
            rule_reach,
            reach,
            index: index::Indexes::new(world),
        }
    }

    /// The rules of a role, each with its reach.
    fn rules_of(
        &self,
        role: RoleId,
    ) -> impl Iterator<Item = (&crate::model::PolicyRule, primitives::Reach)> {
        self.model.roles[role]
            .rules
            .iter()
            .zip(self.rule_reach[role].iter().copied())
    }

    /// Whether `p` may make the request, and by what: the evaluator's first grant.
    pub fn allowed(&self, p: &Principal, attrs: &Attributes) -> Option<String> {
        match p {
            Principal::ClusterAdmin => return Some("cluster-admin".into()),
            Principal::Role { id, scope, role } => {
                // Held in every namespace: namespaced requests only (a request with a
                // namespace, or the every-namespace marker).
                let in_scope = scope == "*"
                    || attrs.namespace() == scope
                    || (scope == primitives::EVERY_NAMESPACE && !attrs.namespace().is_empty());
                return (in_scope
                    && self.model.roles[*id]
                        .rules
                        .iter()
                        .any(|r| rule_allows(attrs, r)))
                .then(|| format!("{role} bound to itself"));
            }
            Principal::NamespaceAdmin { namespace } => {
                return (matches!(attrs, Attributes::Resource(_))
                    && attrs.namespace() == namespace)
                    .then(|| format!("admin of namespace {namespace}"));
            }
            _ => {}
        }
        let user = p.user_info()?;
        let d = self.model.authorize(&user, attrs, Explain::default());
        if !d.allowed {
            return None;
        }
        if d.privileged_group {
            return Some("system:masters".into());
        }
        d.grants.first().map(|g| {
            format!(
                "{} → {}, rule {}",
                g.binding.path(),
                g.role.path(),
                g.rule_index
            )
        })
    }
}

impl Escalation<'_> {
    /// The closure of the starting principals: each principal reached with a shortest path.
    pub fn closure(&self, starts: &[Principal], limit: usize) -> Closure {
        let g = self.graph(starts, limit, false);
        let mut c = Closure {
            truncated: g.truncated,
            ..Closure::default()
        };
        if g.truncated {
            c.assumptions.insert(format!(
                "the search stopped after {limit} principals; further paths may exist"
            ));
        }
        // For each principal reached: the distance and the chain of edges of a shortest path
        // from the nearest start.
        let mut best: HashMap<u32, (u32, Vec<(u32, Edge)>)> = HashMap::new();
        for s in starts {
            let Some(sid) = g.node(s) else { continue };
            let (dist, parent) = g.forward(sid);
            for (v, d) in dist.iter().enumerate() {
                if *d == u32::MAX || g.nodes[v].is_hub() {
                    continue;
                }
                if best.get(&(v as u32)).is_some_and(|(bd, _)| bd <= d) {
                    continue;
                }
                let mut chain = Vec::new();
                let mut cur = v as u32;
                while let Some((from, e)) = parent[cur as usize] {
                    chain.push((from, e));
                    cur = from;
                }
                chain.reverse();
                best.insert(v as u32, (*d, chain));
            }
        }
        let mut order: Vec<(u32, usize, u32)> = best
            .iter()
            .map(|(v, (d, _))| {
                let rank = starts
                    .iter()
                    .position(|s| g.node(s) == Some(*v))
                    .unwrap_or(usize::MAX);
                (*d, rank, *v)
            })
            .collect();
        order.sort();
        let mut position: HashMap<u32, usize> = HashMap::new();
        for (_, _, v) in &order {
            position.insert(*v, c.principals.len());
            c.principals.push(g.nodes[*v as usize].clone());
            c.reached_by.push(None);
        }
        for (_, _, v) in &order {
            let (_, chain) = &best[v];
            let steps = g.hops_of(self.world, chain);
            let Some((from, to, info)) = steps.last() else {
                continue;
            };
            let (Some(&f), Some(&t)) = (position.get(from), position.get(to)) else {
                continue;
            };
            if let Some(a) = &info.assumes {
                c.assumptions.insert(a.clone());
            }
            c.reached_by[t] = Some(c.hops.len());
            c.hops.push(Hop {
                from: f,
                to: t,
                primitive: info.primitive,
                grants: info.grants.clone(),
                objects: info.objects.clone(),
                assumes: info.assumes.clone(),
            });
        }
        for (i, p) in c.principals.iter().enumerate() {
            let powers = primitives::powers(self, p);
            if !powers.is_empty() {
                c.powers.insert(i, powers);
            }
        }
        c
    }

    /// For each subject, the first goal (in order) it can reach at all, with a shortest path
    /// to it: one backward search per goal over one shared graph. `admin_only`: the goals are
    /// cluster-admin alone (see [`Escalation::graph`]).
    pub fn reach(
        &self,
        subjects: &[Principal],
        goals: &[&dyn Fn(&Principal) -> bool],
        limit: usize,
        admin_only: bool,
    ) -> (Vec<Option<Reach>>, bool) {
        let (found, truncated) =
            self.reach_map(subjects, goals, limit, admin_only, &|_, goal, path| {
                Some(Reach {
                    goal,
                    path: owned(path.to_vec()),
                })
            });
        let mut out = vec![None; subjects.len()];
        for (i, r) in found {
            out[i] = Some(r);
        }
        (out, truncated)
    }

    /// [`Escalation::reach`], each path lent to `found` (subject index, goal, hops) instead of
    /// copied, on every core: for callers that keep little of each. `found`'s answers that are
    /// not `None`, with the subject's index, in the subjects' order; and whether the search
    /// was truncated.
    pub fn reach_map<R, F>(
        &self,
        subjects: &[Principal],
        goals: &[&dyn Fn(&Principal) -> bool],
        limit: usize,
        admin_only: bool,
        found: &F,
    ) -> (Vec<(usize, R)>, bool)
    where
        R: Send,
        F: Fn(usize, usize, &[PathHop]) -> Option<R> + Sync,
    {
        let g = self.graph(subjects, limit, admin_only);
        let reverse = g.reverse();
        let searches: Vec<(Vec<u32>, Vec<Option<Edge>>)> = goals
            .iter()
            .map(|goal| g.backward(&reverse, *goal))
            .collect();
        // On every core, keeping only what `found` returns.
        let ids: Vec<usize> = (0..subjects.len()).collect();
        let found = crate::parallel::filter_map_batched(&ids, 256, 512, &|&i| {
            let sid = g.node(&subjects[i])?;
            let (k, (dist, next)) = searches
                .iter()
                .enumerate()
                .find(|(_, (dist, _))| dist[sid as usize] != u32::MAX)?;
            found(i, k, &g.path_to_goal(self.world, sid, dist, next)).map(|r| (i, r))
        });
        (found, g.truncated)
    }
}

/// The strongest target a subject reaches: cluster-admin, then root on a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// Every verb on everything.
    ClusterAdmin,
    /// Root on a node.
    Node,
}

impl Tier {
    /// `cluster-admin` or `root on a node`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::ClusterAdmin => "cluster-admin",
            Tier::Node => "root on a node",
        }
    }
}

/// Every binding subject (as a principal), sorted and without duplicates.
pub fn subjects(model: &AccessModel) -> Vec<Principal> {
    let mut out: Vec<Principal> = model
        .subjects
        .iter()
        .filter_map(|s| Principal::of_subject(&s.kind, &s.namespace, &s.name))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What a subject can become at best.
#[derive(Debug, Clone)]
pub enum Standing {
    /// Cluster-admin or root on a node, with a shortest path.
    Tier(Tier, Reach),
    /// Other identities only: the first hop.
    Moves(Principal, Principal, HopInfo),
}

impl Escalation<'_> {
    /// Each subject's strongest tier (cluster-admin, else root on a node) with the path to it,
    /// else its first hop to another identity: one shared graph, one backward search per tier.
    pub fn standings(&self, subjects: &[Principal], limit: usize) -> (Vec<Option<Standing>>, bool) {
        // A subject that reaches cluster-admin stands there whatever else it reaches, and so
        // does every subject that reaches it: only its hops up to cluster-admin count.
        let g = self.graph(subjects, limit, true);
        let admin = |p: &Principal| *p == Principal::ClusterAdmin;
        let node = |p: &Principal| *p == Principal::Node;
        let reverse = g.reverse();
        let searches = [g.backward(&reverse, &admin), g.backward(&reverse, &node)];
        // Each subject's standing on the next free core (each is pure; in subjects' order).
        let out = crate::parallel::map_batched(subjects, 256, 512, &|s: &Principal| {
            let sid = g.node(s)?;
            for (k, (dist, next)) in searches.iter().enumerate() {
                if dist[sid as usize] == u32::MAX {
                    continue;
                }
                let path = owned(g.path_to_goal(self.world, sid, dist, next));
                let tier = if k == 0 {
                    Tier::ClusterAdmin
                } else {
                    Tier::Node
                };
                return Some(Standing::Tier(tier, Reach { goal: k, path }));
            }
            // The first hop out, through hubs to a real principal.
            let e = g.first_edge(sid)?;
            let mut to = e.to;
            while g.nodes[to as usize].is_hub() {
                to = g.out[to as usize].first()?.to;
            }
            (to != sid).then(|| {
                Standing::Moves(
                    s.clone(),
                    g.nodes[to as usize].clone(),
                    g.hop_info(self.world, e).into_owned(),
                )
            })
        });
        (out, g.truncated)
    }
}

#[cfg(test)]
mod tests;
