//! The hops found for one principal ([`Out`]), and the questions every primitive asks of the
//! evaluator through it.

use super::*;

/// Where a namespaced request built by `ask` is granted: `All` (cluster-wide, in every
/// namespace) or the namespaces where a RoleBinding grants it.
pub(super) enum Where {
    All(Grant),
    In(Vec<(String, Grant)>),
}

/// Per (scope, resource, first verb): `Some(answer)` when the answer is the same for every
/// name (the first verb granted and the grant), `None` when names matter there.
pub(super) type SameForEveryName<'n> = std::collections::HashMap<
    (&'n str, &'static str, &'static str),
    Option<Option<(usize, String)>>,
    ahash::RandomState,
>;

pub(super) struct Out<'e, 'a> {
    pub(super) e: &'e Escalation<'a>,
    pub(super) hops: Vec<Step>,
    /// The grants its pod hops share (see [`Step::Pods`]).
    pub(super) texts: Vec<String>,
    /// Only shortest paths to cluster-admin are asked for (see [`Escalation::graph`]).
    pub(super) admin_only: bool,
    /// With `admin_only`: users to impersonate, asked about only when no hop of the
    /// principal leads to cluster-admin.
    pub(super) deferred_users: Option<ImpersonableUsers<'a>>,
}

impl Out<'_, '_> {
    /// With `admin_only`: the principal may make every resource request in `namespace`, so a
    /// role held there (or the namespace's admin) can do nothing it cannot do itself, and a
    /// hop to one is never on a shortest path to cluster-admin.
    pub(super) fn owns(&self, me: &Me, namespace: &str) -> bool {
        self.admin_only
            && me.may_in(self.e, namespace, ("*", "*", "*", ""))
            && me
                .allowed(self.e, &req("*", "*", "*", "", namespace, ""))
                .is_some()
    }

    pub(super) fn grant(&self, me: &Me, a: &Attributes) -> Option<Grant> {
        me.allowed(self.e, a).map(|by| Grant {
            request: describe(a),
            by,
        })
    }

    pub(super) fn any_of(&self, me: &Me, asks: &[Attributes]) -> Option<Grant> {
        asks.iter().find_map(|a| self.grant(me, a))
    }

    /// The first of `verbs` on the named RBAC object (`resource` in `namespace`) granted, as
    /// [`Out::any_of`] would find it; when no rule applying there lists resourceNames for
    /// them, the evaluator's answer is the same for every name, so it is asked once per scope
    /// and kept in `same`.
    pub(super) fn named_rbac<'n>(
        &self,
        me: &Me,
        same: &mut SameForEveryName<'n>,
        (namespace, verbs, resource): (&'n str, &[&'static str], &'static str),
        name: &str,
    ) -> Option<Grant> {
        let e = self.e;
        // In a namespace not its own only its cluster-wide grants apply, the same in each: one
        // answer for all of them, kept under a namespace that is nobody's.
        let scope = if namespace.is_empty() || me.may_act_in_own(namespace) {
            namespace
        } else {
            EVERY_NAMESPACE
        };
        let decided = same
            .entry((scope, resource, verbs.first().copied().unwrap_or("")))
            .or_insert_with(|| {
                let uniform = verbs
                    .iter()
                    .all(|v| !me.names_matter(e, scope, (v, RBAC, resource, "")));
                uniform.then(|| {
                    verbs.iter().enumerate().find_map(|(i, v)| {
                        me.allowed(e, &req(v, RBAC, resource, "", scope, ""))
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
    pub(super) fn scoped(&self, me: &Me, asks: &[Ask]) -> Where {
        // Only the requests some rule of the principal can allow are built and asked.
        let asks: Vec<&Ask> = asks
            .iter()
            .filter(|(verb, group, resource, _, _)| me.may(verb, group, resource))
            .collect();
        if asks.is_empty() {
            return Where::In(Vec::new());
        }
        // The first request granted in `ns`; one no rule there can allow (`may`, by the
        // ask's index) is not even built.
        let first = |ns: &str, may: &dyn Fn(usize) -> bool| -> Option<Grant> {
            asks.iter().enumerate().filter(|&(k, _)| may(k)).find_map(
                |(_, (verb, group, resource, sub, name))| {
                    self.grant(me, &req(verb, group, resource, sub, ns, name))
                },
            )
        };
        if me.everywhere() {
            let ns = me.every_namespace();
            let may = |k: usize| {
                let (verb, group, resource, sub, _) = *asks[k];
                me.may_in(self.e, ns, (verb, group, resource, sub))
            };
            if let Some(g) = first(ns, &may) {
                return Where::All(g);
            }
        }
        let each: Vec<_> = asks
            .iter()
            .map(|&&(verb, group, resource, sub, _)| {
                me.may_in_each(self.e, (verb, group, resource, sub))
            })
            .collect();
        Where::In(
            me.namespaces
                .iter()
                .enumerate()
                .filter_map(|(i, ns)| first(ns, &|k| each[k](i)).map(|g| (ns.clone(), g)))
                .collect(),
        )
    }

    /// A hop into `pod` by `way`, its request `ask` granted by the text `by` (a place in
    /// `texts`): the last run of pod hops grows when it is the same way and grant and the pod
    /// comes right after its last one (places in the world's pods).
    pub(super) fn pod_hop(&mut self, way: u8, ask: u8, by: u32, pod: u32) {
        if let Some(Step::Pods {
            way: w,
            ask: a,
            by: b,
            start,
            len,
        }) = self.hops.last_mut()
        {
            if (*w, *a, *b) == (way, ask, by) && *start + *len == pod {
                *len += 1;
                return;
            }
        }
        self.hops.push(Step::Pods {
            way,
            ask,
            by,
            start: pod,
            len: 1,
        });
    }

    /// `pod`, skipped because a hop of this principal already reaches where a way of this
    /// `kind` into it leads (into the pod: its ServiceAccount; through its workload: any
    /// ServiceAccount of its namespace), joins the last run of pod hops when it comes right
    /// after it and the run's way is of that kind: a second edge to a principal already
    /// reached is never taken (the first comes first, forwards and backwards), and a run
    /// unbroken by such pods stays one run (replicas share a ServiceAccount).
    pub(super) fn pod_reached(&mut self, into: bool, pod: u32) {
        if let Some(Step::Pods {
            way, start, len, ..
        }) = self.hops.last_mut()
        {
            if into_pod(*way) == into && *start + *len == pod {
                *len += 1;
            }
        }
    }

    pub(super) fn hop(
        &mut self,
        to: Principal,
        primitive: Primitive,
        grants: Vec<Grant>,
        objects: Vec<String>,
        assumes: Option<String>,
    ) {
        self.hops.push(Step::To(
            to,
            HopInfo {
                primitive,
                grants,
                objects,
                assumes,
            },
        ));
    }

    /// The hops a request on ServiceAccounts (`ask`: verb, group, resource, subresource) gives:
    /// to any ServiceAccount of each namespace where it is granted for every name, then to each
    /// ServiceAccount named by the rules that grant it in the other namespaces. A principal
    /// granted every name in one namespace may be granted a few names elsewhere (a rule with
    /// resourceNames bound cluster-wide): those are hops too.
    pub(super) fn service_account_hops(
        &mut self,
        me: &Me,
        ask: (&'static str, &'static str, &'static str, &'static str),
        primitive: Primitive,
        object: &str,
    ) {
        let (verb, group, resource, sub) = ask;
        let covered = match names(me, verb, group, resource, sub) {
            Some(named) if named.is_empty() => return,
            Some(named) => return self.named_service_accounts(me, &named, ask, primitive, &[]),
            None => {
                let w = self.scoped(me, &[(verb, group, resource, sub, "(any)")]);
                let covered: Option<Vec<String>> = match &w {
                    Where::All(_) => None,
                    Where::In(list) => Some(list.iter().map(|(ns, _)| ns.clone()).collect()),
                };
                self.hop_to_service_accounts(w, primitive, object);
                covered
            }
        };
        // Granted for every name everywhere, or elsewhere only by rules naming a few.
        let Some(covered) = covered else { return };
        let e = self.e;
        let mut named = BTreeSet::new();
        let scopes = me
            .namespaces
            .iter()
            .map(String::as_str)
            .filter(|ns| !covered.iter().any(|c| c == ns))
            .chain(me.everywhere().then_some(EVERY_NAMESPACE));
        for ns in scopes {
            if let Some(names) = names_in(e, me, ns, ask) {
                named.extend(names);
            }
        }
        if !named.is_empty() {
            self.named_service_accounts(me, &named, ask, primitive, &covered);
        }
    }

    /// A hop to each ServiceAccount of the world named in `named` on which the request `ask`
    /// (verb, group, resource, subresource) is granted, namespace by namespace (but those in
    /// `skip`), each's names in order. Only namespaces where some rule can allow it are looked
    /// at; both sets are sorted, so walking the smaller one gives the same order.
    pub(super) fn named_service_accounts(
        &mut self,
        me: &Me,
        named: &BTreeSet<String>,
        ask: (&str, &str, &str, &str),
        primitive: Primitive,
        skip: &[String],
    ) {
        let e = self.e;
        let (verb, group, resource, sub) = ask;
        // Outside its own namespaces only cluster-wide grants apply, the same in each: asked
        // once. Both lists are sorted, so its own are found by walking them together.
        let elsewhere = me.everywhere() && me.may_in(e, EVERY_NAMESPACE, ask);
        // Unless those may grant it, only its own namespaces (sorted, as the world's are).
        let spaces: Vec<(&String, &BTreeSet<String>)> = if elsewhere {
            // Only the namespaces with a ServiceAccount of one of the names can have a hop (a
            // few of thousands, for a rule that names some).
            e.index
                .namespaces_with_service_accounts(named)
                .into_iter()
                .map(|at| e.index.service_accounts[at as usize])
                .collect()
        } else {
            me.namespaces
                .iter()
                .filter_map(|ns| e.world.service_accounts.get_key_value(ns))
                .collect()
        };
        let mut own = me.namespaces.iter().peekable();
        for (ns, names) in spaces {
            while own.next_if(|o| o.as_str() < ns.as_str()).is_some() {}
            let may = if own.peek().is_some_and(|o| *o == ns) {
                me.may_in(e, ns, ask)
            } else {
                elsewhere
            };
            if !may || skip.contains(ns) {
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
    pub(super) fn hop_to_service_accounts(&mut self, w: Where, primitive: Primitive, object: &str) {
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
