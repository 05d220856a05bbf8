//! What a principal may do, found once per principal ([`Me`]), and the bit sets that refuse
//! most requests without reading a rule ([`Reach`]).

use super::*;

/// Where a principal's namespaced grants can come from, computed once per principal.
pub(super) struct Me<'p> {
    pub(super) p: &'p Principal,
    /// For user-like principals: the bindings that apply to it, as (namespace or `""` for a
    /// ClusterRoleBinding, binding, role), ClusterRoleBindings first, each in binding order —
    /// the order the authorizer tries them, so the first grant found is the authorizer's.
    /// `None` for the other principals (asked through [`Escalation::allowed`]).
    pub(super) bindings: Option<Vec<(&'p str, usize, usize)>>,
    /// In `system:masters`.
    pub(super) masters: bool,
    /// Cluster-wide grants are possible (a ClusterRoleBinding names it, or it is a
    /// cluster-wide role holder).
    pub(super) cluster: bool,
    /// Namespaces where RoleBindings (or its role's scope) grant it something.
    pub(super) namespaces: Vec<String>,
    /// For user-like principals: where in `bindings` the ClusterRoleBindings end, and each of
    /// `namespaces`' RoleBindings (found once here, not at every question).
    pub(super) scopes: (usize, Vec<std::ops::Range<usize>>),
    /// Every rule that applies to it anywhere (to narrow names down), each with its reach.
    pub(super) rules: Vec<(&'p PolicyRule, Reach)>,
    /// The union of the reach of `rules`, when every grant comes from `rules`: a request no
    /// rule can match is refused without asking (most asks, in a large cluster).
    pub(super) reach: Option<Reach>,
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

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Bits(u64);

impl Bits {
    const ALL: Bits = Bits(u64::MAX);

    /// The bit of a value (FNV-1a: fixed, fast; a collision only costs an exact check).
    pub(super) fn of(value: &str) -> Bits {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in value.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Bits(1 << (h % 63))
    }

    pub(super) fn add(&mut self, other: Bits) {
        self.0 |= other.0;
    }

    /// Shares a bit with `other` (`ALL` shares every bit: values' bits are below the 64th).
    fn meets(self, other: Bits) -> bool {
        self.0 & other.0 != 0
    }
}

/// The bits of one request's verb, apiGroup and resource, hashed once and then tested against
/// the reach of every rule and role it is asked of (hashing the three per rule was a tenth of
/// the search).
#[derive(Debug, Clone, Copy)]
pub(super) struct Wanted {
    verb: Bits,
    group: Bits,
    resource: Bits,
}

impl Wanted {
    pub(super) fn of(verb: &str, group: &str, resource: &str) -> Wanted {
        Wanted {
            verb: Bits::of(verb),
            group: Bits::of(group),
            resource: Bits::of(resource),
        }
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

    /// False when no rule of this reach can allow the request (its bits: verb, group,
    /// resource).
    pub(super) fn allows(&self, w: Wanted) -> bool {
        self.verbs.meets(w.verb) && self.groups.meets(w.group) && self.resources.meets(w.resource)
    }
}

impl<'p> Me<'p> {
    /// False when no rule can allow the verb on the resource (any namespace, any name): the
    /// union says so, or else no single rule's reach holds all three.
    pub(super) fn may(&self, verb: &str, group: &str, resource: &str) -> bool {
        self.reach.as_ref().is_none_or(|union| {
            let w = Wanted::of(verb, group, resource);
            union.allows(w) && self.rules.iter().any(|(_, r)| r.allows(w))
        })
    }

    /// The evaluator's answer for this principal, from the bindings found once: the same
    /// decision and first grant as [`crate::model::AccessModel::authorize`].
    pub(super) fn allowed(&self, e: &Escalation, a: &Attributes) -> Option<String> {
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
        let wanted = resource.map(|r| Wanted::of(&r.verb, &r.group, &r.resource));
        for &(_, b, role) in self.applying(bindings, a.namespace()) {
            // The role's reach, not the principal's: a principal bound in many namespaces
            // has many rules, of which only the few bound here matter.
            if wanted.is_some_and(|w| !e.reach[role].allows(w)) {
                continue;
            }
            // Each rule's reach first: exact about refusals, so the first rule that allows is
            // the evaluator's.
            if let Some(i) = e.rules_of(role).position(|(r, reach)| {
                wanted.is_none_or(|w| reach.allows(w)) && crate::rbac::rule::rule_allows(a, r)
            }) {
                return Some(format!(
                    "{} → {}, rule {i}",
                    e.model.binding_name(b),
                    e.model.role_name(role)
                ));
            }
        }
        None
    }

    /// The bindings that apply to a request in `namespace` (`""`: a cluster-scoped request), in
    /// the authorizer's order: the ClusterRoleBindings, then the namespace's, found by binary
    /// search among its namespaces (a group can be bound in thousands).
    pub(super) fn applying<'b>(
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
    pub(super) fn may_in(
        &self,
        e: &Escalation,
        namespace: &str,
        (verb, group, resource, sub): (&str, &str, &str, &str),
    ) -> bool {
        let wanted = Wanted::of(verb, group, resource);
        let role_may = |role: usize| role_may(e, role, wanted, (verb, group, resource, sub));
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

    /// [`Me::may_in`] for each of its own namespaces by index (`namespaces[i]`): what its
    /// ClusterRoleBindings allow is the same in every namespace, so it is asked once here,
    /// and only the namespace's own RoleBindings at each call.
    pub(super) fn may_in_each<'s>(
        &'s self,
        e: &'s Escalation,
        ask: (&'s str, &'s str, &'s str, &'s str),
    ) -> impl Fn(usize) -> bool + 's {
        let wanted = Wanted::of(ask.0, ask.1, ask.2);
        let role_may = move |role: usize| role_may(e, role, wanted, ask);
        let by_bindings = match (self.p, &self.bindings) {
            (Principal::Role { .. } | Principal::NamespaceAdmin { .. }, _) | (_, None) => None,
            (_, Some(bindings)) => Some((
                bindings.as_slice(),
                self.masters
                    || bindings[..self.scopes.0]
                        .iter()
                        .any(|&(_, _, role)| role_may(role)),
            )),
        };
        move |i: usize| match by_bindings {
            Some((_, true)) => true,
            Some((bindings, false)) => bindings[self.scopes.1[i].clone()]
                .iter()
                .any(|&(_, _, role)| role_may(role)),
            None => self.may_in(e, &self.namespaces[i], ask),
        }
    }

    /// False when no rule that applies in `namespace` and matches the verb on the resource
    /// lists resourceNames: then the evaluator's answer (and the rule it names) is the same
    /// for every name.
    pub(super) fn names_matter(
        &self,
        e: &Escalation,
        namespace: &str,
        ask: (&str, &str, &str, &str),
    ) -> bool {
        !self.listed_names(e, namespace, &[ask]).is_empty()
    }

    /// The names that rules applying in `namespace` list (resourceNames) for any of `asks`: a
    /// request for any other name there (a name no rule lists, or none) gets the same answer
    /// and the same first grant, whatever the name — rules that list names do not match it.
    pub(super) fn listed_names<'e>(
        &self,
        e: &'e Escalation,
        namespace: &str,
        asks: &[(&str, &str, &str, &str)],
    ) -> BTreeSet<&'e str> {
        let mut listed = BTreeSet::new();
        let mut add = |rules: &mut dyn Iterator<Item = &'e PolicyRule>| {
            for r in rules {
                if !r.resource_names.is_empty() && asks.iter().any(|&ask| covers(r, ask)) {
                    listed.extend(r.resource_names.iter().map(CompactString::as_str));
                }
            }
        };
        match (self.p, &self.bindings) {
            (Principal::Role { id, .. }, _) => add(&mut e.model.roles[*id].rules.iter()),
            (_, Some(bindings)) if !self.masters => {
                for &(_, _, role) in self.applying(bindings, namespace) {
                    add(&mut e.model.roles[role].rules.iter());
                }
            }
            // system:masters and cluster-admin may do everything, a namespace's admin
            // everything in its namespace: no rule, no name matters.
            _ => {}
        }
        listed
    }

    /// Grants can come cluster-wide (a ClusterRoleBinding, a role held everywhere, or
    /// cluster-admin itself), so every namespace is worth asking about.
    pub(super) fn everywhere(&self) -> bool {
        self.cluster || matches!(self.p, Principal::ClusterAdmin)
    }

    /// The namespace to ask about for a grant in every namespace: `""` (all namespaces at once,
    /// what a ClusterRoleBinding grants), or for a role held in every namespace, which grants
    /// nothing cluster-scoped, the every-namespace marker.
    pub(super) fn every_namespace(&self) -> &'static str {
        match self.p {
            Principal::Role { scope, .. } if scope == EVERY_NAMESPACE => EVERY_NAMESPACE,
            _ => "",
        }
    }

    /// Where this namespace is among its own (where a RoleBinding grants it something).
    pub(super) fn own_namespace(&self, namespace: &str) -> Option<usize> {
        self.namespaces
            .binary_search_by(|n| n.as_str().cmp(namespace))
            .ok()
    }

    /// Whether this namespace is one of its own.
    pub(super) fn may_act_in_own(&self, namespace: &str) -> bool {
        self.own_namespace(namespace).is_some()
    }

    /// Whether a grant in this namespace is possible at all.
    pub(super) fn may_act_in(&self, namespace: &str) -> bool {
        self.everywhere() || self.may_act_in_own(namespace)
    }
}

/// The namespace asked for a role held in every namespace (never a real one).
pub const EVERY_NAMESPACE: &str = "(every namespace)";

/// Whether some rule of the role can allow the verb on the resource (any name); `wanted`: the
/// request's bits.
fn role_may(
    e: &Escalation,
    role: usize,
    wanted: Wanted,
    (verb, group, resource, sub): (&str, &str, &str, &str),
) -> bool {
    e.reach[role].allows(wanted)
        && e.rules_of(role)
            .any(|(r, reach)| reach.allows(wanted) && covers(r, (verb, group, resource, sub)))
}

pub(super) fn me<'p>(e: &'p Escalation, p: &'p Principal) -> Me<'p> {
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
            // Sorted, `""` (ClusterRoleBindings) first: the bindings found scope by scope are
            // in scope order, each scope's in authorizer order (what `allowed` searches).
            let found = e.model.subject_bindings(&user.name, &user.groups);
            let cluster = found.first().is_some_and(|(scope, _)| scope.is_empty());
            let mut bindings = Vec::with_capacity(found.len());
            let mut namespaces = Vec::new();
            let mut ranges = Vec::new();
            let mut cluster_end = 0;
            for in_scope in found.chunk_by(|a, b| a.0 == b.0) {
                let scope = in_scope[0].0;
                let start = bindings.len();
                for &(_, b) in in_scope {
                    let binding = &e.model.bindings[b];
                    let applies = binding.subjects.iter().any(|s| {
                        crate::rbac::authorize::subject_applies(s, &user, binding.scope())
                    });
                    if let (true, Ok(role)) = (applies, &binding.role) {
                        let role = *role;
                        bindings.push((binding.scope(), b, role));
                    }
                }
                if scope.is_empty() {
                    cluster_end = bindings.len();
                } else {
                    namespaces.push(scope.to_string());
                    ranges.push(start..bindings.len());
                }
            }
            // Each role's rules once: a group bound to `edit` in 500 namespaces has its rules,
            // not 500 copies (`rules` only narrows: which rule comes first does not matter).
            let mut roles: Vec<usize> = bindings.iter().map(|&(_, _, r)| r).collect();
            roles.sort_unstable();
            roles.dedup();
            let rules = roles
                .into_iter()
                .flat_map(|r| e.rules_of(r))
                .collect::<Vec<_>>();
            let masters = user.groups.iter().any(|g| g == SYSTEM_MASTERS);
            Me {
                p,
                masters,
                // In system:masters everything is allowed, whatever the rules.
                reach: (!masters).then(|| Reach::union(bindings.iter().map(|b| e.reach[b.2]))),
                bindings: Some(bindings),
                cluster,
                namespaces,
                rules,
                scopes: (cluster_end, ranges),
            }
        }
    }
}

/// Which names a verb on a resource could be granted for: `None` for any name (some rule has
/// no resourceNames), else the names rules list (empty: none at all). Only a narrowing.
pub(super) fn names(
    me: &Me,
    verb: &str,
    group: &str,
    resource: &str,
    sub: &str,
) -> Option<BTreeSet<String>> {
    if matches!(
        me.p,
        Principal::ClusterAdmin | Principal::NamespaceAdmin { .. }
    ) {
        return None;
    }
    // The union first (most asks stop here); then one pass over the rules that may match.
    let wanted = Wanted::of(verb, group, resource);
    if me.reach.is_some_and(|union| !union.allows(wanted)) {
        return Some(BTreeSet::new());
    }
    names_of(
        me.rules.iter().copied(),
        wanted,
        (verb, group, resource, sub),
    )
}

/// [`names`] from the rules that apply in `namespace` alone (`EVERY_NAMESPACE`: a namespace not
/// its own, where only its cluster-wide grants apply): a principal with broad rules in its own
/// namespaces may still be granted only a few names everywhere else. For a principal without
/// bindings (a role's holder, a namespace's admin), [`names`].
pub(super) fn names_in(
    e: &Escalation,
    me: &Me,
    namespace: &str,
    (verb, group, resource, sub): (&str, &str, &str, &str),
) -> Option<BTreeSet<String>> {
    let Some(bindings) = &me.bindings else {
        return names(me, verb, group, resource, sub);
    };
    if me.masters || matches!(me.p, Principal::ClusterAdmin) {
        return None;
    }
    let wanted = Wanted::of(verb, group, resource);
    let rules = me
        .applying(bindings, namespace)
        .filter(|&&(_, _, role)| e.reach[role].allows(wanted))
        .flat_map(|&(_, _, role)| e.rules_of(role));
    names_of(rules, wanted, (verb, group, resource, sub))
}

/// The names these rules could grant the verb on the resource for: `None` for any (a rule
/// that matches lists none), else the names the matching rules list; `wanted`: the request's
/// bits, found by the caller.
fn names_of<'r>(
    rules: impl Iterator<Item = (&'r PolicyRule, Reach)>,
    wanted: Wanted,
    (verb, group, resource, sub): (&str, &str, &str, &str),
) -> Option<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for (r, reach) in rules {
        if reach.allows(wanted) && covers(r, (verb, group, resource, sub)) {
            if r.resource_names.is_empty() {
                return None;
            }
            out.extend(r.resource_names.iter().map(CompactString::to_string));
        }
    }
    Some(out)
}

pub(super) fn may_name(set: &Option<BTreeSet<String>>, name: &str) -> bool {
    set.as_ref().is_none_or(|s| s.contains(name))
}

pub(super) fn none(set: &Option<BTreeSet<String>>) -> bool {
    set.as_ref().is_some_and(BTreeSet::is_empty)
}
