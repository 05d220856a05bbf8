//! The primitives: how a principal's permissions become hops. Every permission is asked of the
//! evaluator ([`Escalation::allowed`]); the principal's rules only narrow down which names and
//! namespaces are worth asking about.
//!
//! A namespaced permission is asked once cluster-wide (only ClusterRoleBindings grant that,
//! and then in every namespace) and once in each namespace where the principal has
//! RoleBindings, never namespace by namespace across the cluster. "Any ServiceAccount of a
//! namespace" (and of every namespace, and of every pod) are hubs of the graph, so a
//! cluster-wide grant is one edge, not one per ServiceAccount.

use std::collections::BTreeSet;

use super::{Escalation, Grant, HopInfo, Power, Primitive, Principal};
use crate::model::{BindingKind, PolicyRule, RoleKind};
use crate::rbac::rule::{group_matches, resource_matches, verb_matches};
use crate::rbac::{Attributes, NonResourceAttributes, ResourceAttributes, SYSTEM_MASTERS};

const RBAC: &str = "rbac.authorization.k8s.io";
const CERTS: &str = "certificates.k8s.io";
const AUTHN: &str = "authentication.k8s.io";

/// A namespaced request to ask in each namespace: verb, group, resource, subresource, name.
type Ask = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// A hop to the node: grants, objects used, assumption, primitive.
type NodeHop = (Vec<Grant>, Vec<String>, Option<String>, Primitive);

/// Pod controllers, with their group and kind.
const CONTROLLERS: [(&str, &str, &str); 7] = [
    ("apps", "deployments", "Deployment"),
    ("apps", "statefulsets", "StatefulSet"),
    ("apps", "daemonsets", "DaemonSet"),
    ("apps", "replicasets", "ReplicaSet"),
    ("batch", "jobs", "Job"),
    ("batch", "cronjobs", "CronJob"),
    ("", "replicationcontrollers", "ReplicationController"),
];

fn req(verb: &str, group: &str, resource: &str, sub: &str, ns: &str, name: &str) -> Attributes {
    Attributes::Resource(ResourceAttributes {
        verb: verb.into(),
        group: group.into(),
        resource: resource.into(),
        subresource: sub.into(),
        name: name.into(),
        namespace: ns.into(),
    })
}

/// `create pods/exec web-0 -n shop` (`-A` for a request granted in every namespace).
fn describe(a: &Attributes) -> String {
    match a {
        Attributes::NonResource(n) => format!("{} {}", n.verb, n.path),
        Attributes::Resource(r) => {
            let mut s = format!("{} {}", r.verb, r.resource);
            if !r.group.is_empty() {
                s.push('.');
                s.push_str(&r.group);
            }
            if !r.subresource.is_empty() {
                s.push('/');
                s.push_str(&r.subresource);
            }
            if !r.name.is_empty() {
                s.push(' ');
                s.push_str(&r.name);
            }
            if !r.namespace.is_empty() {
                s.push_str(" -n ");
                s.push_str(&r.namespace);
            }
            s
        }
    }
}

/// A rule allows the verb on the resource (and subresource) for some name.
fn covers(r: &PolicyRule, (verb, group, resource, sub): (&str, &str, &str, &str)) -> bool {
    verb_matches(&r.verbs, verb)
        && group_matches(&r.api_groups, group)
        && resource_matches(&r.resources, resource, sub)
}

/// Where a principal's namespaced grants can come from, computed once per principal.
struct Me<'p> {
    p: &'p Principal,
    /// For user-like principals: the bindings that apply to it, as (namespace or `""` for a
    /// ClusterRoleBinding, binding, role), ClusterRoleBindings first, each in binding order —
    /// the order the authorizer tries them, so the first grant found is the authorizer's.
    /// `None` for the other principals (asked through [`Escalation::allowed`]).
    bindings: Option<Vec<(&'p str, usize, usize)>>,
    /// In `system:masters`.
    masters: bool,
    /// Cluster-wide grants are possible (a ClusterRoleBinding names it, or it is a
    /// cluster-wide role holder).
    cluster: bool,
    /// Namespaces where RoleBindings (or its role's scope) grant it something.
    namespaces: Vec<String>,
    /// For user-like principals: where in `bindings` the ClusterRoleBindings end, and each of
    /// `namespaces`' RoleBindings (found once here, not at every question).
    scopes: (usize, Vec<std::ops::Range<usize>>),
    /// Every rule that applies to it anywhere (to narrow names down), each with its reach.
    rules: Vec<(&'p PolicyRule, Reach)>,
    /// The union of the reach of `rules`, when every grant comes from `rules`: a request no
    /// rule can match is refused without asking (most asks, in a large cluster).
    reach: Option<Reach>,
}

/// What a principal's rules could allow at most, as bit sets of their verbs, apiGroups and
/// resources (each value one bit of 63 by a hash; `*` every bit). A rule allowing a resource
/// request matches all three, so a request some set lacks is refused without reading a rule.
/// A shared bit only lets a request through to the exact check: never a wrong refusal.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Reach {
    verbs: Bits,
    groups: Bits,
    resources: Bits,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Bits(u64);

impl Bits {
    const ALL: Bits = Bits(u64::MAX);

    /// The bit of a value (FNV-1a: fixed, fast; a collision only costs an exact check).
    fn of(value: &str) -> Bits {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in value.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Bits(1 << (h % 63))
    }

    fn add(&mut self, other: Bits) {
        self.0 |= other.0;
    }

    fn may(self, value: &str) -> bool {
        self == Bits::ALL || self.0 & Bits::of(value).0 != 0
    }
}

impl Reach {
    /// The reach of one rule.
    pub(crate) fn of_rule(r: &PolicyRule) -> Reach {
        let mut reach = Reach::default();
        for v in &r.verbs {
            reach
                .verbs
                .add(if v == "*" { Bits::ALL } else { Bits::of(v) });
        }
        for g in &r.api_groups {
            reach
                .groups
                .add(if g == "*" { Bits::ALL } else { Bits::of(g) });
        }
        for x in &r.resources {
            // `*` and `*/sub` match any resource; `res/sub` only `res` (with `sub`).
            let resource = x.split('/').next().unwrap_or("");
            reach.resources.add(if resource == "*" {
                Bits::ALL
            } else {
                Bits::of(resource)
            });
        }
        reach
    }

    pub(crate) fn union(reaches: impl Iterator<Item = Reach>) -> Reach {
        let mut all = Reach::default();
        for r in reaches {
            all.verbs.add(r.verbs);
            all.groups.add(r.groups);
            all.resources.add(r.resources);
        }
        all
    }

    /// False when no rule of this reach can allow the verb on the resource.
    fn may(&self, verb: &str, group: &str, resource: &str) -> bool {
        self.verbs.may(verb) && self.groups.may(group) && self.resources.may(resource)
    }
}

impl<'p> Me<'p> {
    /// False when no rule can allow the verb on the resource (any namespace, any name): the
    /// union says so, or else no single rule's reach holds all three.
    fn may(&self, verb: &str, group: &str, resource: &str) -> bool {
        self.reach.as_ref().is_none_or(|union| {
            union.may(verb, group, resource)
                && self.rules.iter().any(|(_, r)| r.may(verb, group, resource))
        })
    }

    /// The evaluator's answer for this principal, from the bindings found once: the same
    /// decision and first grant as [`crate::model::AccessModel::authorize`].
    fn allowed(&self, e: &Escalation, a: &Attributes) -> Option<String> {
        let resource = match a {
            Attributes::Resource(r) => Some(r),
            Attributes::NonResource(_) => None,
        };
        let Some(bindings) = &self.bindings else {
            if let Some(r) = resource {
                if !self.may(&r.verb, &r.group, &r.resource) {
                    return None;
                }
            }
            return e.allowed(self.p, a);
        };
        if self.masters {
            return Some("system:masters".into());
        }
        for &(_, b, role) in self.applying(bindings, a.namespace()) {
            // The role's reach, not the principal's: a principal bound in many namespaces
            // has many rules, of which only the few bound here matter.
            if resource.is_some_and(|r| !e.reach[role].may(&r.verb, &r.group, &r.resource)) {
                continue;
            }
            if let Some(i) = e.model.roles[role]
                .rules
                .iter()
                .position(|r| crate::rbac::rule::rule_allows(a, r))
            {
                return Some(format!(
                    "{} → {}, rule {i}",
                    e.model.binding_name(b).path(),
                    e.model.role_name(role).path()
                ));
            }
        }
        None
    }

    /// The bindings that apply to a request in `namespace` (`""`: a cluster-scoped request), in
    /// the authorizer's order: the ClusterRoleBindings, then the namespace's, found by binary
    /// search among its namespaces (a group can be bound in thousands).
    fn applying<'b>(
        &self,
        bindings: &'b [(&'p str, usize, usize)],
        namespace: &str,
    ) -> impl Iterator<Item = &'b (&'p str, usize, usize)> {
        let (cluster, ranges) = &self.scopes;
        let in_namespace = if namespace.is_empty() {
            &[][..]
        } else {
            match self.own_namespace(namespace) {
                Some(i) => &bindings[ranges[i].clone()],
                None => &[][..],
            }
        };
        bindings[..*cluster].iter().chain(in_namespace)
    }

    /// False when no rule that applies in `namespace` (`""`: cluster-scoped) allows the verb on
    /// the resource for any name: then no request of that kind there needs asking. Mirrors
    /// [`Escalation::allowed`]'s scoping of role holders and namespace admins.
    fn may_in(
        &self,
        e: &Escalation,
        namespace: &str,
        (verb, group, resource, sub): (&str, &str, &str, &str),
    ) -> bool {
        let role_may = |role: usize| {
            e.reach[role].may(verb, group, resource)
                && e.model.roles[role]
                    .rules
                    .iter()
                    .any(|r| covers(r, (verb, group, resource, sub)))
        };
        match (self.p, &self.bindings) {
            (Principal::Role { id, scope, .. }, _) => {
                let in_scope = scope == "*"
                    || namespace == scope
                    || (scope == EVERY_NAMESPACE && !namespace.is_empty());
                in_scope && role_may(*id)
            }
            (
                Principal::NamespaceAdmin {
                    namespace: admin_of,
                },
                _,
            ) => admin_of == namespace,
            (_, Some(bindings)) => {
                self.masters
                    || self
                        .applying(bindings, namespace)
                        .any(|&(_, _, role)| role_may(role))
            }
            (_, None) => true,
        }
    }

    /// False when no rule that applies in `namespace` and matches the verb on the resource
    /// lists resourceNames: then the evaluator's answer (and the rule it names) is the same
    /// for every name. True when it cannot be told here.
    fn names_matter(&self, e: &Escalation, namespace: &str, ask: (&str, &str, &str, &str)) -> bool {
        let named = |role: usize| {
            e.model.roles[role]
                .rules
                .iter()
                .any(|r| !r.resource_names.is_empty() && covers(r, ask))
        };
        match (self.p, &self.bindings) {
            (Principal::ClusterAdmin, _) => false,
            (Principal::Role { id, .. }, _) => named(*id),
            (_, Some(bindings)) => {
                !self.masters
                    && self
                        .applying(bindings, namespace)
                        .any(|&(_, _, role)| named(role))
            }
            (_, None) => true,
        }
    }

    /// Grants can come cluster-wide (a ClusterRoleBinding, a role held everywhere, or
    /// cluster-admin itself), so every namespace is worth asking about.
    fn everywhere(&self) -> bool {
        self.cluster || matches!(self.p, Principal::ClusterAdmin)
    }

    /// The namespace to ask about for a grant in every namespace: `""` (all namespaces at once,
    /// what a ClusterRoleBinding grants), or for a role held in every namespace, which grants
    /// nothing cluster-scoped, the every-namespace marker.
    fn every_namespace(&self) -> &'static str {
        match self.p {
            Principal::Role { scope, .. } if scope == EVERY_NAMESPACE => EVERY_NAMESPACE,
            _ => "",
        }
    }

    /// Where this namespace is among its own (where a RoleBinding grants it something).
    fn own_namespace(&self, namespace: &str) -> Option<usize> {
        self.namespaces
            .binary_search_by(|n| n.as_str().cmp(namespace))
            .ok()
    }

    /// Whether this namespace is one of its own.
    fn may_act_in_own(&self, namespace: &str) -> bool {
        self.own_namespace(namespace).is_some()
    }

    /// Whether a grant in this namespace is possible at all.
    fn may_act_in(&self, namespace: &str) -> bool {
        self.everywhere() || self.may_act_in_own(namespace)
    }
}

/// The namespace asked for a role held in every namespace (never a real one).
pub const EVERY_NAMESPACE: &str = "(every namespace)";

fn me<'p>(e: &'p Escalation, p: &'p Principal) -> Me<'p> {
    match p {
        Principal::Role { id, scope, .. } => {
            let rules = e.rules_of(*id).collect();
            Me {
                p,
                bindings: None,
                masters: false,
                cluster: scope == "*" || scope == EVERY_NAMESPACE,
                namespaces: if scope == "*" || scope == EVERY_NAMESPACE {
                    Vec::new()
                } else {
                    vec![scope.clone()]
                },
                reach: Some(e.reach[*id]),
                rules,
                scopes: (0, Vec::new()),
            }
        }
        Principal::NamespaceAdmin { namespace } => Me {
            p,
            bindings: None,
            masters: false,
            cluster: false,
            namespaces: vec![namespace.clone()],
            rules: Vec::new(),
            reach: None,
            scopes: (0, Vec::new()),
        },
        _ => {
            let Some(user) = p.user_info() else {
                return Me {
                    p,
                    bindings: None,
                    masters: false,
                    cluster: false,
                    namespaces: Vec::new(),
                    rules: Vec::new(),
                    reach: None,
                    scopes: (0, Vec::new()),
                };
            };
            let mut scopes = e.model.scopes_for(&user.name, &user.groups);
            scopes.sort(); // "" (ClusterRoleBindings) first
            let mut bindings = Vec::new();
            let mut ids = Vec::new();
            for scope in &scopes {
                ids.clear();
                e.model
                    .candidate_bindings(scope, &user.name, &user.groups, &mut ids);
                for &b in &ids {
                    let binding = &e.model.bindings[b];
                    let applies = binding.subjects.iter().any(|s| {
                        crate::rbac::authorize::subject_applies(s, &user, binding.scope())
                    });
                    if let (true, Ok(role)) = (applies, &binding.role) {
                        let role = *role;
                        bindings.push((binding.scope(), b, role));
                    }
                }
            }
            // In scope order, each scope's in authorizer order (what `allowed` searches).
            bindings.sort_by(|a, b| a.0.cmp(b.0));
            let rules = bindings
                .iter()
                .flat_map(|&(_, _, r)| e.rules_of(r))
                .collect::<Vec<_>>();
            let masters = user.groups.iter().any(|g| g == SYSTEM_MASTERS);
            let namespaces: Vec<String> =
                scopes.iter().filter(|s| !s.is_empty()).cloned().collect();
            let cluster_end = bindings.partition_point(|b| b.0.is_empty());
            let ranges = namespaces
                .iter()
                .map(|ns| {
                    let ns = ns.as_str();
                    bindings.partition_point(|b| b.0 < ns)..bindings.partition_point(|b| b.0 <= ns)
                })
                .collect();
            Me {
                p,
                masters,
                // In system:masters everything is allowed, whatever the rules.
                reach: (!masters).then(|| Reach::union(bindings.iter().map(|b| e.reach[b.2]))),
                bindings: Some(bindings),
                cluster: scopes.iter().any(|s| s.is_empty()),
                namespaces,
                rules,
                scopes: (cluster_end, ranges),
            }
        }
    }
}

/// Which names a verb on a resource could be granted for: `None` for any name (some rule has
/// no resourceNames), else the names rules list (empty: none at all). Only a narrowing.
fn names(me: &Me, verb: &str, group: &str, resource: &str, sub: &str) -> Option<BTreeSet<String>> {
    if matches!(
        me.p,
        Principal::ClusterAdmin | Principal::NamespaceAdmin { .. }
    ) {
        return None;
    }
    if !me.may(verb, group, resource) {
        return Some(BTreeSet::new());
    }
    let mut out = BTreeSet::new();
    for (r, reach) in &me.rules {
        if reach.may(verb, group, resource) && covers(r, (verb, group, resource, sub)) {
            if r.resource_names.is_empty() {
                return None;
            }
            out.extend(r.resource_names.iter().cloned());
        }
    }
    Some(out)
}

fn may_name(set: &Option<BTreeSet<String>>, name: &str) -> bool {
    set.as_ref().is_none_or(|s| s.contains(name))
}

fn none(set: &Option<BTreeSet<String>>) -> bool {
    set.as_ref().is_some_and(BTreeSet::is_empty)
}

/// Where a namespaced request built by `ask` is granted: `All` (cluster-wide, in every
/// namespace) or the namespaces where a RoleBinding grants it.
enum Where {
    All(Grant),
    In(Vec<(String, Grant)>),
}

/// Per (scope, resource, first verb): `Some(answer)` when the answer is the same for every
/// name (the first verb granted and the grant), `None` when names matter there.
type SameForEveryName<'n> = std::collections::HashMap<
    (&'n str, &'static str, &'static str),
    Option<Option<(usize, String)>>,
    ahash::RandomState,
>;

struct Out<'e, 'a> {
    e: &'e Escalation<'a>,
    hops: Vec<(Principal, HopInfo)>,
    /// Only shortest paths to cluster-admin are asked for (see [`Escalation::graph`]).
    admin_only: bool,
}

impl Out<'_, '_> {
    /// With `admin_only`: the principal may make every resource request in `namespace`, so a
    /// role held there (or the namespace's admin) can do nothing it cannot do itself, and a
    /// hop to one is never on a shortest path to cluster-admin.
    fn owns(&self, me: &Me, namespace: &str) -> bool {
        self.admin_only
            && me.may_in(self.e, namespace, ("*", "*", "*", ""))
            && me
                .allowed(self.e, &req("*", "*", "*", "", namespace, ""))
                .is_some()
    }

    fn grant(&self, me: &Me, a: &Attributes) -> Option<Grant> {
        me.allowed(self.e, a).map(|by| Grant {
            request: describe(a),
            by,
        })
    }

    fn any_of(&self, me: &Me, asks: &[Attributes]) -> Option<Grant> {
        asks.iter().find_map(|a| self.grant(me, a))
    }

    /// The first of `verbs` on the named RBAC object (`resource` in `namespace`) granted, as
    /// [`Out::any_of`] would find it; when no rule applying there lists resourceNames for
    /// them, the evaluator's answer is the same for every name, so it is asked once per scope
    /// and kept in `same`.
    fn named_rbac<'n>(
        &self,
        me: &Me,
        same: &mut SameForEveryName<'n>,
        (namespace, verbs, resource): (&'n str, &[&'static str], &'static str),
        name: &str,
    ) -> Option<Grant> {
        let e = self.e;
        let decided = same
            .entry((namespace, resource, verbs.first().copied().unwrap_or("")))
            .or_insert_with(|| {
                let uniform = verbs
                    .iter()
                    .all(|v| !me.names_matter(e, namespace, (v, RBAC, resource, "")));
                uniform.then(|| {
                    verbs.iter().enumerate().find_map(|(i, v)| {
                        me.allowed(e, &req(v, RBAC, resource, "", namespace, ""))
                            .map(|by| (i, by))
                    })
                })
            });
        match decided {
            Some(granted) => granted.as_ref().map(|(i, by)| Grant {
                request: describe(&req(verbs[*i], RBAC, resource, "", namespace, name)),
                by: by.clone(),
            }),
            None => {
                let asks: Vec<Attributes> = verbs
                    .iter()
                    .map(|v| req(v, RBAC, resource, "", namespace, name))
                    .collect();
                self.any_of(me, &asks)
            }
        }
    }

    /// Where any of the requests `asks` (verb, group, resource, subresource, name; in a
    /// namespace) is granted: cluster-wide, or in which of the principal's namespaces.
    fn scoped(&self, me: &Me, asks: &[Ask]) -> Where {
        // Only the requests some rule of the principal can allow are built and asked.
        let asks: Vec<&Ask> = asks
            .iter()
            .filter(|(verb, group, resource, _, _)| me.may(verb, group, resource))
            .collect();
        if asks.is_empty() {
            return Where::In(Vec::new());
        }
        // The first request granted in `ns`; one no rule there can allow is not even built.
        let first = |ns: &str| -> Option<Grant> {
            asks.iter()
                .filter(|&&&(verb, group, resource, sub, _)| {
                    me.may_in(self.e, ns, (verb, group, resource, sub))
                })
                .find_map(|(verb, group, resource, sub, name)| {
                    self.grant(me, &req(verb, group, resource, sub, ns, name))
                })
        };
        if me.everywhere() {
            if let Some(g) = first(me.every_namespace()) {
                return Where::All(g);
            }
        }
        Where::In(
            me.namespaces
                .iter()
                .filter_map(|ns| first(ns).map(|g| (ns.clone(), g)))
                .collect(),
        )
    }

    fn hop(
        &mut self,
        to: Principal,
        primitive: Primitive,
        grants: Vec<Grant>,
        objects: Vec<String>,
        assumes: Option<String>,
    ) {
        self.hops.push((
            to,
            HopInfo {
                primitive,
                grants,
                objects,
                assumes,
            },
        ));
    }

    /// A hop to each ServiceAccount of the world named in `named` on which the request `ask`
    /// (verb, group, resource, subresource) is granted, namespace by namespace, each's names in
    /// order. Only namespaces where some rule can allow it are looked at; both sets are sorted,
    /// so walking the smaller one gives the same order.
    fn named_service_accounts(
        &mut self,
        me: &Me,
        named: &BTreeSet<String>,
        ask: (&str, &str, &str, &str),
        primitive: Primitive,
    ) {
        let e = self.e;
        let (verb, group, resource, sub) = ask;
        // Without cluster-wide grants, only its own namespaces (sorted, as the world's are).
        let spaces: Vec<(&String, &BTreeSet<String>)> = if me.everywhere() {
            e.world.service_accounts.iter().collect()
        } else {
            me.namespaces
                .iter()
                .filter_map(|ns| e.world.service_accounts.get_key_value(ns))
                .collect()
        };
        // Outside its own namespaces only cluster-wide grants apply, the same in each: asked
        // once. Both lists are sorted, so its own are found by walking them together.
        let elsewhere = me.everywhere() && me.may_in(e, EVERY_NAMESPACE, ask);
        let mut own = me.namespaces.iter().peekable();
        for (ns, names) in spaces {
            while own.next_if(|o| o.as_str() < ns.as_str()).is_some() {}
            let may = if own.peek().is_some_and(|o| *o == ns) {
                me.may_in(e, ns, ask)
            } else {
                elsewhere
            };
            if !may {
                continue;
            }
            let (small, large) = if named.len() < names.len() {
                (named, names)
            } else {
                (names, named)
            };
            for name in small.iter().filter(|n| large.contains(*n)) {
                if let Some(g) = self.grant(me, &req(verb, group, resource, sub, ns, name)) {
                    self.hop(
                        Principal::ServiceAccount {
                            namespace: ns.clone(),
                            name: name.clone(),
                        },
                        primitive,
                        vec![g],
                        vec![],
                        None,
                    );
                }
            }
        }
    }

    /// A hop to any ServiceAccount of each namespace granted.
    fn hop_to_service_accounts(&mut self, w: Where, primitive: Primitive, object: &str) {
        match w {
            Where::All(g) => self.hop(
                Principal::AnyServiceAccount,
                primitive,
                vec![g],
                vec![object.to_string()],
                None,
            ),
            Where::In(list) => {
                for (ns, g) in list {
                    self.hop(
                        Principal::AnyServiceAccountIn { namespace: ns },
                        primitive,
                        vec![g],
                        vec![object.to_string()],
                        None,
                    );
                }
            }
        }
    }
}

const TEMPLATES_RUN: &str =
    "pods of workload templates read from manifests are assumed to be running (their names and nodes are not known)";
const PSA_DEFAULT: &str = "namespaces without a pod-security.kubernetes.io/enforce label are assumed to admit privileged pods (the API server's default admission configuration)";

/// The members of a hub, or `None` for a principal that is not one.
pub fn expand_hub(e: &Escalation, p: &Principal) -> Option<Vec<Principal>> {
    let w = e.world;
    match p {
        Principal::AnyServiceAccountIn { namespace } => Some(
            w.service_accounts
                .get(namespace)
                .into_iter()
                .flatten()
                .map(|name| Principal::ServiceAccount {
                    namespace: namespace.clone(),
                    name: name.clone(),
                })
                .collect(),
        ),
        Principal::AnyServiceAccount => Some(
            w.service_accounts
                .keys()
                .map(|ns| Principal::AnyServiceAccountIn {
                    namespace: ns.clone(),
                })
                .collect(),
        ),
        Principal::AnyPodServiceAccount => {
            let set: BTreeSet<(String, String)> = w
                .pods
                .iter()
                .map(|p| (p.namespace.clone(), p.service_account.clone()))
                .collect();
            Some(
                set.into_iter()
                    .map(|(namespace, name)| Principal::ServiceAccount { namespace, name })
                    .collect(),
            )
        }
        _ => None,
    }
}

/// Every hop out of `p`; with `admin_only`, only its first to cluster-admin if it has one.
pub fn hops(e: &Escalation, p: &Principal, admin_only: bool) -> Vec<(Principal, HopInfo)> {
    let mut out = Out {
        e,
        hops: Vec::new(),
        admin_only,
    };
    match p {
        Principal::ClusterAdmin => return out.hops,
        Principal::Node => {
            let assumes =
                (!e.world.live_pods && !e.world.pods.is_empty()).then(|| TEMPLATES_RUN.to_string());
            out.hop(
                Principal::AnyPodServiceAccount,
                Primitive::NodePods,
                vec![],
                vec!["the pods on the node (a pod can name its node)".into()],
                assumes,
            );
        }
        _ => {}
    }
    let m = me(e, p);
    let primitives: [fn(&mut Out, &Me); 11] = [
        cluster_admin,
        impersonation,
        escalate,
        bind,
        update_bindings,
        workloads,
        running_pods,
        nodes_proxy,
        tokens,
        csr,
        webhooks,
    ];
    for primitive in primitives {
        let from = out.hops.len();
        primitive(&mut out, &m);
        if admin_only {
            // One hop from cluster-admin: that hop is the only one on a shortest path from
            // here (the first, as the search without this shortcut would take).
            if let Some(i) = out.hops[from..]
                .iter()
                .position(|(to, _)| *to == Principal::ClusterAdmin)
            {
                let first = out.hops.swap_remove(from + i);
                out.hops = vec![first];
                break;
            }
        }
    }
    out.hops.retain(|(to, _)| to != p);
    out.hops
}

fn cluster_admin(out: &mut Out, me: &Me) {
    let everything = req("*", "*", "*", "", "", "");
    let urls = Attributes::NonResource(NonResourceAttributes {
        verb: "*".into(),
        path: "*".into(),
    });
    if let (Some(a), Some(b)) = (out.grant(me, &everything), out.grant(me, &urls)) {
        out.hop(
            Principal::ClusterAdmin,
            Primitive::ClusterAdminEquivalent,
            vec![a, b],
            vec![],
            None,
        );
    }
}

fn impersonation(out: &mut Out, me: &Me) {
    let e = out.e;
    let users = names(me, "impersonate", "", "users", "");
    let mut impersonable: Option<(String, Grant)> = None;
    // Users are cluster-scoped: a principal whose rules only apply in namespaces cannot
    // impersonate any, and the users need not be asked one by one.
    if !none(&users) && me.may_in(e, "", ("impersonate", "", "users", "")) {
        let candidates: Vec<String> = match &users {
            None => e.world.users.iter().cloned().collect(),
            Some(named) => named.iter().cloned().collect(),
        };
        // Without resourceNames in play, every user is granted by the same rule (or none):
        // it is looked for once (thousands of users, for each principal that can do this).
        let uniform = !me.names_matter(e, "", ("impersonate", "", "users", ""));
        let mut by_all: Option<Option<String>> = None;
        for u in candidates {
            let ask = req("impersonate", "", "users", "", "", &u);
            let granted = match &by_all {
                Some(by) => by.as_ref().map(|by| Grant {
                    request: describe(&ask),
                    by: by.clone(),
                }),
                None => {
                    let g = out.grant(me, &ask);
                    if uniform {
                        by_all = Some(g.as_ref().map(|g| g.by.clone()));
                    }
                    g
                }
            };
            if let Some(g) = granted {
                if impersonable.is_none() {
                    impersonable = Some((u.clone(), g.clone()));
                }
                out.hop(
                    Principal::user(&u, &[]),
                    Primitive::ImpersonateUser,
                    vec![g],
                    vec![],
                    None,
                );
            }
        }
        if impersonable.is_none() && users.is_none() {
            let any = "(any user)";
            if let Some(g) = out.grant(me, &req("impersonate", "", "users", "", "", any)) {
                impersonable = Some((any.to_string(), g));
            }
        }
    }
    if let Some((user, ug)) = impersonable {
        let groups = names(me, "impersonate", "", "groups", "");
        let mut candidates: BTreeSet<String> = e.world.groups.clone();
        candidates.insert(SYSTEM_MASTERS.to_string());
        for g in candidates.into_iter().filter(|g| may_name(&groups, g)) {
            if let Some(gg) = out.grant(me, &req("impersonate", "", "groups", "", "", &g)) {
                out.hop(
                    Principal::user(&user, std::slice::from_ref(&g)),
                    Primitive::ImpersonateGroup,
                    vec![ug.clone(), gg],
                    vec![],
                    None,
                );
            }
        }
    }
    let sas = names(me, "impersonate", "", "serviceaccounts", "");
    match &sas {
        Some(s) if s.is_empty() => {}
        None => {
            let w = out.scoped(me, &[("impersonate", "", "serviceaccounts", "", "(any)")]);
            out.hop_to_service_accounts(
                w,
                Primitive::ImpersonateServiceAccount,
                "Impersonate-User: system:serviceaccount:…",
            );
        }
        Some(named) => out.named_service_accounts(
            me,
            named,
            ("impersonate", "", "serviceaccounts", ""),
            Primitive::ImpersonateServiceAccount,
        ),
    }
}

/// The roles a principal holds, with the scope of each binding (`*` cluster-wide).
fn held_roles(e: &Escalation, p: &Principal) -> Vec<(usize, String)> {
    match p {
        Principal::Role { id, scope, .. } => vec![(*id, scope.clone())],
        _ => {
            let Some(user) = p.user_info() else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for scope in e.model.scopes_for(&user.name, &user.groups) {
                let mut ids = Vec::new();
                e.model
                    .candidate_bindings(&scope, &user.name, &user.groups, &mut ids);
                for b in ids {
                    let binding = &e.model.bindings[b];
                    if let Ok(r) = binding.role {
                        let s = if binding.kind == BindingKind::ClusterRoleBinding {
                            "*".to_string()
                        } else {
                            binding.namespace.clone()
                        };
                        out.push((r, s));
                    }
                }
            }
            out.sort();
            out.dedup();
            out
        }
    }
}

/// `escalate` and update/patch on a role the principal holds: it can write any rule into it.
fn escalate(out: &mut Out, me: &Me) {
    let e = out.e;
    if none(&names(me, "escalate", RBAC, "clusterroles", ""))
        && none(&names(me, "escalate", RBAC, "roles", ""))
    {
        return;
    }
    for (role, scope) in held_roles(e, me.p) {
        let r = &e.model.roles[role];
        let (resource, ns) = match r.kind {
            RoleKind::ClusterRole => ("clusterroles", ""),
            RoleKind::Role => ("roles", r.namespace.as_str()),
        };
        let Some(esc) = out.grant(me, &req("escalate", RBAC, resource, "", ns, &r.name)) else {
            continue;
        };
        let Some(write) = out.any_of(
            me,
            &[
                req("update", RBAC, resource, "", ns, &r.name),
                req("patch", RBAC, resource, "", ns, &r.name),
            ],
        ) else {
            continue;
        };
        let to = if scope == "*" {
            Principal::ClusterAdmin
        } else {
            Principal::NamespaceAdmin { namespace: scope }
        };
        out.hop(
            to,
            Primitive::Escalate,
            vec![esc, write],
            vec![e.model.role_name(role).path()],
            None,
        );
    }
}

/// What binding a role to oneself in a scope gives: cluster-admin or a namespace's admin when
/// the role allows everything, else the role's holder.
fn holder(e: &Escalation, role: usize, scope: &str) -> Principal {
    let rules = &e.model.roles[role].rules;
    let everything = req("*", "*", "*", "", "", "");
    let urls = Attributes::NonResource(NonResourceAttributes {
        verb: "*".into(),
        path: "*".into(),
    });
    let all_resources = rules
        .iter()
        .any(|r| crate::rbac::rule::rule_allows(&everything, r));
    let all_urls = rules
        .iter()
        .any(|r| crate::rbac::rule::rule_allows(&urls, r));
    match (scope, all_resources, all_urls) {
        ("*", true, true) => Principal::ClusterAdmin,
        (ns, true, _) if ns != "*" => Principal::NamespaceAdmin {
            namespace: ns.to_string(),
        },
        _ => Principal::Role {
            role: e.model.role_name(role).path(),
            id: role,
            scope: scope.to_string(),
        },
    }
}

/// `bind` on a role and create of a binding: the role, bound to oneself. The API server's
/// escalation check on bindings passes with `bind` on the referenced role.
fn bind(out: &mut Out, me: &Me) {
    let e = out.e;
    let model = e.model;
    let bindable = names(me, "bind", RBAC, "clusterroles", "");
    let bindable_roles = names(me, "bind", RBAC, "roles", "");
    if none(&bindable) && none(&bindable_roles) {
        return;
    }
    // Each scope's roles are asked about only when some rule there can grant bind on them.
    let may_bind = |ns: &str, resource: &str| me.may_in(e, ns, ("bind", RBAC, resource, ""));
    let clusterroles: Vec<usize> = model
        .cluster_role_ids()
        .into_iter()
        .filter(|&id| {
            !model.roles[id].rules.is_empty() && may_name(&bindable, &model.roles[id].name)
        })
        .collect();
    let cluster_wide = me.everywhere() && may_bind("", "clusterroles");
    if cluster_wide {
        if let Some(create) = out.grant(me, &req("create", RBAC, "clusterrolebindings", "", "", ""))
        {
            for &id in &clusterroles {
                let name = &model.roles[id].name;
                if let Some(b) = out.grant(me, &req("bind", RBAC, "clusterroles", "", "", name)) {
                    out.hop(
                        holder(e, id, "*"),
                        Primitive::Bind,
                        vec![create.clone(), b],
                        vec![format!("ClusterRole/{name}")],
                        None,
                    );
                }
            }
        }
    }
    // RoleBindings in every namespace (granted cluster-wide): the role held in every
    // namespace, for namespaced resources only. A role itself held in every namespace asks
    // for every namespace (it grants nothing cluster-scoped).
    let every = me.every_namespace();
    // The ClusterRoles held in every namespace by this: binding them in one namespace too
    // adds nothing.
    let mut held_everywhere: Vec<usize> = Vec::new();
    if me.everywhere() && may_bind(every, "clusterroles") {
        if let Some(create) = out.grant(me, &req("create", RBAC, "rolebindings", "", every, "")) {
            for &id in &clusterroles {
                let name = &model.roles[id].name;
                if let Some(b) = out.grant(me, &req("bind", RBAC, "clusterroles", "", every, name))
                {
                    held_everywhere.push(id);
                    out.hop(
                        Principal::Role {
                            role: model.role_name(id).path(),
                            id,
                            scope: EVERY_NAMESPACE.to_string(),
                        },
                        Primitive::Bind,
                        vec![create.clone(), b],
                        vec![format!(
                            "ClusterRole/{name} bound by a RoleBinding in every namespace"
                        )],
                        None,
                    );
                }
            }
        }
    }
    // RoleBindings in the namespaces of its own RoleBindings, then (when it is granted
    // something cluster-wide) in every other namespace, the ClusterRoles not already held in
    // every namespace.
    // Outside its own namespaces only its cluster-wide grants apply, the same in each: asked
    // once, for a namespace that is nobody's.
    let others: Vec<&String> = if me.everywhere()
        && (may_bind(EVERY_NAMESPACE, "roles") || may_bind(EVERY_NAMESPACE, "clusterroles"))
        && !out.owns(me, EVERY_NAMESPACE)
    {
        model
            .namespaces
            .iter()
            .filter(|ns| !me.may_act_in_own(ns))
            .collect()
    } else {
        Vec::new()
    };
    let unheld: Vec<usize> = clusterroles
        .iter()
        .copied()
        .filter(|id| !held_everywhere.contains(id))
        .collect();
    // Which of ClusterRoles and Roles a rule there may grant bind on; the same in every
    // namespace not its own.
    let may_bind_in = |ns: &str| (may_bind(ns, "clusterroles"), may_bind(ns, "roles"));
    let elsewhere = may_bind_in(EVERY_NAMESPACE);
    let mut same = SameForEveryName::default();
    let spaces = me
        .namespaces
        .iter()
        .map(|ns| (ns, &clusterroles, may_bind_in(ns), true))
        .chain(others.into_iter().map(|ns| (ns, &unheld, elsewhere, false)));
    for (ns, clusterroles, (bind_clusterroles, bind_roles), own) in spaces {
        let ns = ns.as_str();
        if !bind_clusterroles && !bind_roles || own && out.owns(me, ns) {
            continue;
        }
        let Some(create) = out.grant(me, &req("create", RBAC, "rolebindings", "", ns, "")) else {
            continue;
        };
        let mut candidates: Vec<usize> = Vec::new();
        if bind_clusterroles {
            candidates.extend_from_slice(clusterroles);
        }
        if bind_roles {
            candidates.extend(model.namespace_role_ids(ns).into_iter().filter(|&id| {
                !model.roles[id].rules.is_empty()
                    && may_name(&bindable_roles, &model.roles[id].name)
            }));
        }
        for id in candidates {
            let r = &model.roles[id];
            let resource = if r.kind == RoleKind::ClusterRole {
                "clusterroles"
            } else {
                "roles"
            };
            if let Some(b) = out.named_rbac(me, &mut same, (ns, &["bind"], resource), &r.name) {
                out.hop(
                    holder(e, id, ns),
                    Primitive::Bind,
                    vec![create.clone(), b],
                    vec![model.role_name(id).path()],
                    None,
                );
            }
        }
    }
}

/// update/patch of an existing binding (adding oneself as a subject) with `bind` on its role.
fn update_bindings(out: &mut Out, me: &Me) {
    let e = out.e;
    let model = e.model;
    let crb = [
        names(me, "update", RBAC, "clusterrolebindings", ""),
        names(me, "patch", RBAC, "clusterrolebindings", ""),
    ];
    let rb = [
        names(me, "update", RBAC, "rolebindings", ""),
        names(me, "patch", RBAC, "rolebindings", ""),
    ];
    let mut candidates: Vec<usize> = Vec::new();
    // A hop needs both a write of the binding and bind on its role: a scope where either is
    // impossible is skipped without looking at its bindings.
    let writable = |ns: &str, resource: &str| {
        ["update", "patch"]
            .iter()
            .any(|verb| me.may_in(e, ns, (verb, RBAC, resource, "")))
    };
    // Exactly: whether bind on some role of the scope can be granted. When no rule there
    // lists resourceNames, one question per resource answers for every role; a scope whose
    // thousands of bindings would all fail at bind is then skipped.
    let bindable = |ns: &str| {
        ["roles", "clusterroles"].iter().any(|resource| {
            let ask = ("bind", RBAC, *resource, "");
            me.may_in(e, ns, ask)
                && (me.names_matter(e, ns, ask)
                    || me
                        .allowed(e, &req("bind", RBAC, resource, "", ns, ""))
                        .is_some())
        })
    };
    if !crb.iter().all(none) && writable("", "clusterrolebindings") && bindable("") {
        candidates.extend(
            model
                .cluster_bindings
                .iter()
                .copied()
                .filter(|&b| crb.iter().any(|n| may_name(n, &model.bindings[b].name))),
        );
    }
    if !rb.iter().all(none) {
        // Its own namespaces first; a cluster-wide grant of update on RoleBindings reaches
        // every other namespace's too.
        // Outside its own namespaces only its cluster-wide grants apply, the same in each:
        // asked once, for a namespace that is nobody's.
        let others = model.namespaces.iter().filter(|ns| !me.may_act_in_own(ns));
        let others = (me.everywhere()
            && writable(EVERY_NAMESPACE, "rolebindings")
            && bindable(EVERY_NAMESPACE)
            && !out.owns(me, EVERY_NAMESPACE))
        .then_some(others)
        .into_iter()
        .flatten();
        let own = me
            .namespaces
            .iter()
            .filter(|ns| writable(ns, "rolebindings") && bindable(ns) && !out.owns(me, ns));
        for ns in own.chain(others) {
            candidates.extend(
                model
                    .bindings_by_namespace
                    .get(ns)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&b| rb.iter().any(|n| may_name(n, &model.bindings[b].name))),
            );
        }
    }
    // Bindings of the same role in the same scope lead to the same holder: the first one
    // found is the hop any path takes, so the others are not asked about.
    let mut reached: std::collections::HashSet<(usize, &str), ahash::RandomState> =
        Default::default();
    let mut same = SameForEveryName::default();
    // The role names bind can be granted on (`None`: any), by kind of role.
    let bind_roles = names(me, "bind", RBAC, "roles", "");
    let bind_cluster_roles = names(me, "bind", RBAC, "clusterroles", "");
    for id in candidates {
        let b = &model.bindings[id];
        let Ok(role) = b.role else { continue };
        if reached.contains(&(role, b.scope())) {
            continue;
        }
        let (resource, ns) = match b.kind {
            BindingKind::ClusterRoleBinding => ("clusterrolebindings", ""),
            BindingKind::RoleBinding => ("rolebindings", b.namespace.as_str()),
        };
        let r = &model.roles[role];
        let (role_resource, bindable_names) = match r.kind {
            RoleKind::ClusterRole => ("clusterroles", &bind_cluster_roles),
            RoleKind::Role => ("roles", &bind_roles),
        };
        // Bind first: with many bindings writable and few roles bindable, most are ruled out
        // by an answer already kept in `same`, before a grant for the write is built.
        // Bind on a role no rule names (when rules list names) is never granted: not asked.
        if !may_name(bindable_names, &r.name) {
            continue;
        }
        let Some(bind) = out.named_rbac(me, &mut same, (ns, &["bind"], role_resource), &r.name)
        else {
            continue;
        };
        let Some(write) =
            out.named_rbac(me, &mut same, (ns, &["update", "patch"], resource), &b.name)
        else {
            continue;
        };
        let scope = if b.kind == BindingKind::ClusterRoleBinding {
            "*"
        } else {
            ns
        };
        reached.insert((role, b.scope()));
        out.hop(
            holder(e, role, scope),
            Primitive::UpdateBinding,
            vec![write, bind],
            vec![model.binding_name(id).path()],
            None,
        );
    }
}

/// Create pods or pod controllers (any ServiceAccount of the namespace; privileged or hostPath
/// pods: the node), patch workload templates (any ServiceAccount of the namespace).
fn workloads(out: &mut Out, me: &Me) {
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
    let granted: Vec<(&str, &Grant)> = match &create_where {
        Where::All(g) => world
            .service_accounts
            .keys()
            .map(|ns| (ns.as_str(), g))
            .collect(),
        Where::In(list) => list.iter().map(|(ns, g)| (ns.as_str(), g)).collect(),
    };
    let pvs = out.grant(me, &req("create", "", "persistentvolumes", "", "", ""));
    let mut node_hop: Option<NodeHop> = None;
    for &(ns, c) in &granted {
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
            for &(ns, c) in &granted {
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
    drop(granted);
    out.hop_to_service_accounts(
        create_where,
        Primitive::CreateWorkload,
        "a pod with the ServiceAccount's serviceAccountName",
    );
    if let Some((grants, objects, assumes, primitive)) = node_hop {
        out.hop(Principal::Node, primitive, grants, objects, assumes);
    }
    // A workload's template can be given any ServiceAccount of its namespace.
    for (group, resource, kind) in CONTROLLERS {
        let writes = [
            names(me, "patch", group, resource, ""),
            names(me, "update", group, resource, ""),
        ];
        if writes.iter().all(none) {
            continue;
        }
        let mut done: BTreeSet<&str> = BTreeSet::new();
        for w in world
            .pods
            .iter()
            .filter(|w| w.object.starts_with(&format!("{kind}/")))
        {
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

/// Running pods: patch (image), exec, attach, ephemeral containers → the pod's ServiceAccount.
fn running_pods(out: &mut Out, me: &Me) {
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
    for (primitive, asks) in ways {
        let allowed_names: Vec<Option<BTreeSet<String>>> = asks
            .iter()
            .map(|(v, sub)| names(me, v, "", "pods", sub))
            .collect();
        if allowed_names.iter().all(none) {
            continue;
        }
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        for pod in &e.world.pods {
            if !me.may_act_in(&pod.namespace) {
                continue;
            }
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
            let key = (pod.namespace.clone(), pod.service_account.clone());
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
fn nodes_proxy(out: &mut Out, me: &Me) {
    let e = out.e;
    let allowed = [
        names(me, "get", "", "nodes", "proxy"),
        names(me, "create", "", "nodes", "proxy"),
    ];
    if allowed.iter().all(none) || !me.everywhere() {
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

/// Token Secrets (read, or created and read back) and TokenRequest.
fn tokens(out: &mut Out, me: &Me) {
    let e = out.e;
    let readable = [
        names(me, "get", "", "secrets", ""),
        names(me, "list", "", "secrets", ""),
        names(me, "watch", "", "secrets", ""),
    ];
    if !readable.iter().all(none) {
        for s in e
            .world
            .token_secrets
            .iter()
            .filter(|s| me.may_act_in(&s.namespace))
        {
            let asks = [
                req("get", "", "secrets", "", &s.namespace, &s.name),
                req("list", "", "secrets", "", &s.namespace, ""),
                req("watch", "", "secrets", "", &s.namespace, ""),
            ];
            if let Some(g) = out.any_of(me, &asks) {
                out.hop(
                    Principal::ServiceAccount {
                        namespace: s.namespace.clone(),
                        name: s.service_account.clone(),
                    },
                    Primitive::ReadTokenSecret,
                    vec![g],
                    vec![format!("Secret/{}/{} (metadata only)", s.namespace, s.name)],
                    None,
                );
            }
        }
        // A Secret of type kubernetes.io/service-account-token naming any ServiceAccount is
        // filled in by the token controller; reading it back needs get (its name is the
        // attacker's choice: one a get grant names will do), list or watch.
        if !none(&names(me, "create", "", "secrets", "")) {
            let new_name = match &readable[0] {
                None => "(a new secret)".to_string(),
                Some(named) => named.iter().next().cloned().unwrap_or_default(),
            };
            let w = out.scoped(me, &[("create", "", "secrets", "", "")]);
            let both = |out: &Out, ns: &str, c: &Grant| {
                let mut reads = vec![
                    req("list", "", "secrets", "", ns, ""),
                    req("watch", "", "secrets", "", ns, ""),
                ];
                if !new_name.is_empty() {
                    reads.insert(0, req("get", "", "secrets", "", ns, &new_name));
                }
                out.any_of(me, &reads).map(|r| vec![c.clone(), r])
            };
            let object = "a Secret of type kubernetes.io/service-account-token";
            match w {
                Where::All(c) => {
                    if let Some(gr) = both(out, me.every_namespace(), &c) {
                        out.hop(
                            Principal::AnyServiceAccount,
                            Primitive::CreateTokenSecret,
                            gr,
                            vec![object.into()],
                            None,
                        );
                    } else {
                        for ns in me.namespaces.clone() {
                            if let Some(gr) = both(out, &ns, &c) {
                                out.hop(
                                    Principal::AnyServiceAccountIn { namespace: ns },
                                    Primitive::CreateTokenSecret,
                                    gr,
                                    vec![object.into()],
                                    None,
                                );
                            }
                        }
                    }
                }
                Where::In(list) => {
                    for (ns, c) in list {
                        if let Some(gr) = both(out, &ns, &c) {
                            out.hop(
                                Principal::AnyServiceAccountIn { namespace: ns },
                                Primitive::CreateTokenSecret,
                                gr,
                                vec![object.into()],
                                None,
                            );
                        }
                    }
                }
            }
        }
    }
    let token_names = names(me, "create", "", "serviceaccounts", "token");
    match &token_names {
        Some(s) if s.is_empty() => {}
        None => {
            let w = out.scoped(me, &[("create", "", "serviceaccounts", "token", "(any)")]);
            out.hop_to_service_accounts(w, Primitive::TokenRequest, "a TokenRequest");
        }
        Some(named) => out.named_service_accounts(
            me,
            named,
            ("create", "", "serviceaccounts", "token"),
            Primitive::TokenRequest,
        ),
    }
}

/// A client certificate for any user or group (but system:masters, which the
/// CertificateSubjectRestriction admission plugin refuses for this signer).
fn csr(out: &mut Out, me: &Me) {
    let e = out.e;
    if none(&names(
        me,
        "create",
        CERTS,
        "certificatesigningrequests",
        "",
    )) {
        return;
    }
    let Some(create) = out.grant(
        me,
        &req("create", CERTS, "certificatesigningrequests", "", "", ""),
    ) else {
        return;
    };
    let Some(approval) = out.any_of(
        me,
        &[
            req(
                "update",
                CERTS,
                "certificatesigningrequests",
                "approval",
                "",
                "",
            ),
            req(
                "patch",
                CERTS,
                "certificatesigningrequests",
                "approval",
                "",
                "",
            ),
        ],
    ) else {
        return;
    };
    let Some(signer) = out.any_of(
        me,
        &[
            req(
                "approve",
                CERTS,
                "signers",
                "",
                "",
                "kubernetes.io/kube-apiserver-client",
            ),
            req("approve", CERTS, "signers", "", "", "kubernetes.io/*"),
        ],
    ) else {
        return;
    };
    let Some(read) = out.any_of(
        me,
        &[
            req(
                "get",
                CERTS,
                "certificatesigningrequests",
                "",
                "",
                "(its request)",
            ),
            req("list", CERTS, "certificatesigningrequests", "", "", ""),
            req("watch", CERTS, "certificatesigningrequests", "", "", ""),
        ],
    ) else {
        return;
    };
    let grants = vec![create, approval, signer, read];
    let note = "a client certificate from signer kubernetes.io/kube-apiserver-client".to_string();
    for u in &e.world.users {
        if crate::rbac::identity::split_service_account_username(u).is_some() {
            continue;
        }
        out.hop(
            Principal::user(u, &[]),
            Primitive::ApproveCsr,
            grants.clone(),
            vec![note.clone()],
            None,
        );
    }
    for g in e.world.groups.iter().filter(|g| *g != SYSTEM_MASTERS) {
        out.hop(
            Principal::GroupMember { group: g.clone() },
            Primitive::ApproveCsr,
            grants.clone(),
            vec![note.clone()],
            None,
        );
    }
}

/// Writing mutating webhook configurations: every pod admitted afterwards can be made
/// privileged (by a webhook the attacker serves).
fn webhooks(out: &mut Out, me: &Me) {
    let asks: Vec<Attributes> = ["create", "update", "patch"]
        .iter()
        .map(|v| {
            req(
                v,
                "admissionregistration.k8s.io",
                "mutatingwebhookconfigurations",
                "",
                "",
                "",
            )
        })
        .collect();
    if let Some(g) = out.any_of(me, &asks) {
        out.hop(
            Principal::Node,
            Primitive::MutatingWebhook,
            vec![g],
            vec!["a MutatingWebhookConfiguration".into()],
            Some("a mutating webhook the attacker serves changes the next pod admitted into a privileged one".into()),
        );
    }
}

/// Powers that are not identities.
pub fn powers(e: &Escalation, p: &Principal) -> Vec<Power> {
    if *p == Principal::ClusterAdmin || p.is_hub() {
        return Vec::new();
    }
    let m = me(e, p);
    let out = Out {
        e,
        hops: Vec::new(),
        admin_only: false,
    };
    let mut powers = Vec::new();
    let mut add = |what: &str, g: Option<Grant>| {
        if let Some(g) = g {
            powers.push(Power {
                what: what.to_string(),
                via: vec![g],
            });
        }
    };
    add(
        "impersonate UIDs (authentication.k8s.io uids)",
        out.grant(&m, &req("impersonate", AUTHN, "uids", "", "", "")),
    );
    add(
        "impersonate user extras (authentication.k8s.io userextras)",
        out.grant(&m, &req("impersonate", AUTHN, "userextras", "*", "", "")),
    );
    add(
        "write validating webhook configurations (switch admission checks off)",
        out.any_of(
            &m,
            &["create", "update", "patch", "delete"]
                .iter()
                .map(|v| {
                    req(
                        v,
                        "admissionregistration.k8s.io",
                        "validatingwebhookconfigurations",
                        "",
                        "",
                        "",
                    )
                })
                .collect::<Vec<_>>(),
        ),
    );
    let pf = match out.scoped(&m, &[("create", "", "pods", "portforward", "")]) {
        Where::All(g) => Some(g),
        Where::In(list) => list.into_iter().next().map(|(_, g)| g),
    };
    add(
        "port-forward to pods (network access to their ports, not their identity)",
        pf,
    );
    powers
}
