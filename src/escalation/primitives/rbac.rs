//! The RBAC primitives: cluster-admin grants, impersonation, escalate, bind, and updating
//! an existing binding.

use super::*;

pub(super) fn cluster_admin(out: &mut Out, me: &Me) {
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

pub(super) fn impersonation(out: &mut Out, me: &Me) {
    let e = out.e;
    // Users and groups are cluster-scoped: only the rules that apply cluster-wide name them.
    let users = names_in(e, me, "", ("impersonate", "", "users", ""));
    let mut impersonable: Option<(String, Grant)> = None;
    // Users are cluster-scoped: a principal whose rules only apply in namespaces cannot
    // impersonate any, and the users need not be asked one by one.
    if !none(&users) && me.may_in(e, "", ("impersonate", "", "users", "")) {
        // The world's users are borrowed, not copied (tens of thousands, for each principal
        // that can impersonate any).
        let any_user = users.is_none();
        let candidates = match users {
            None => Candidates::World(e.world.users.iter()),
            Some(named) => Candidates::Named(named.into_iter()),
        };
        // Without resourceNames in play, every user is granted by the same rule (or none):
        // it is looked for once (thousands of users, for each principal that can do this).
        let uniform = !me.names_matter(e, "", ("impersonate", "", "users", ""));
        let mut each = ImpersonableUsers {
            at: 0,
            candidates,
            uniform,
            by_all: None,
        };
        // The first user granted is the one impersonated with groups, below.
        if let Some((u, g)) = each.next_granted(out, me) {
            impersonable = Some((u.clone(), g.clone()));
            hop_to_user(out, &u, g);
        }
        each.at = out.hops.len();
        if out.admin_only {
            // A hop to a user is never one to cluster-admin: when another hop of this
            // principal is, the others are never asked about (thousands, for each such
            // principal). Else they are added where they belong, after the last primitive.
            out.deferred_users = Some(each);
        } else {
            each.hop_all(out, me);
        }
        if impersonable.is_none() && any_user {
            let any = "(any user)";
            if let Some(g) = out.grant(me, &req("impersonate", "", "users", "", "", any)) {
                impersonable = Some((any.to_string(), g));
            }
        }
    }
    if let Some((user, ug)) = impersonable {
        let groups = names_in(e, me, "", ("impersonate", "", "groups", ""));
        // The world's groups and system:masters, in order; only those rules name when they
        // name some (the world's are borrowed: thousands, for each principal that can do this).
        let known = |g: &&str| e.world.groups.contains(*g) || *g == SYSTEM_MASTERS;
        let candidates: Vec<&str> = match &groups {
            Some(named) => named.iter().map(String::as_str).filter(known).collect(),
            None => {
                let mut all: Vec<&str> = e.world.groups.iter().map(String::as_str).collect();
                if let Err(at) = all.binary_search(&SYSTEM_MASTERS) {
                    all.insert(at, SYSTEM_MASTERS);
                }
                all
            }
        };
        for g in candidates {
            if let Some(gg) = out.grant(me, &req("impersonate", "", "groups", "", "", g)) {
                out.hop(
                    Principal::user(&user, &[g.to_string()]),
                    Primitive::ImpersonateGroup,
                    vec![ug.clone(), gg],
                    vec![],
                    None,
                );
            }
        }
    }
    out.service_account_hops(
        me,
        ("impersonate", "", "serviceaccounts", ""),
        Primitive::ImpersonateServiceAccount,
        "Impersonate-User: system:serviceaccount:…",
    );
}

/// Users to ask about: the world's (borrowed), or those rules name.
pub(super) enum Candidates<'w> {
    World(std::collections::btree_set::Iter<'w, String>),
    Named(std::collections::btree_set::IntoIter<String>),
}

impl Iterator for Candidates<'_> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        match self {
            Candidates::World(users) => users.next().cloned(),
            Candidates::Named(users) => users.next(),
        }
    }
}

/// The users a principal may impersonate, asked in order (see [`impersonation`]).
pub(super) struct ImpersonableUsers<'w> {
    /// Where in the principal's hops the hops to them belong.
    pub(super) at: usize,
    /// The candidates not asked about yet.
    candidates: Candidates<'w>,
    /// No rule lists resourceNames: every user is granted by the same rule, or none is.
    uniform: bool,
    /// With `uniform`, the answer once asked.
    by_all: Option<Option<String>>,
}

impl ImpersonableUsers<'_> {
    /// The next candidate granted, with the grant.
    fn next_granted(&mut self, out: &Out, me: &Me) -> Option<(String, Grant)> {
        for u in self.candidates.by_ref() {
            if self.by_all == Some(None) {
                return None; // none is granted
            }
            let ask = req("impersonate", "", "users", "", "", &u);
            let granted = match &self.by_all {
                Some(by) => by.as_ref().map(|by| Grant {
                    request: describe(&ask),
                    by: by.clone(),
                }),
                None => {
                    let g = out.grant(me, &ask);
                    if self.uniform {
                        self.by_all = Some(g.as_ref().map(|g| g.by.clone()));
                    }
                    g
                }
            };
            if let Some(g) = granted {
                return Some((u, g));
            }
        }
        None
    }

    /// A hop to each remaining candidate granted, added at the end.
    pub(super) fn hop_all(mut self, out: &mut Out, me: &Me) {
        while let Some((u, g)) = self.next_granted(out, me) {
            hop_to_user(out, &u, g);
        }
    }
}

/// The hop of impersonating user `u`.
fn hop_to_user(out: &mut Out, u: &str, g: Grant) {
    out.hop(
        Principal::user(u, &[]),
        Primitive::ImpersonateUser,
        vec![g],
        vec![],
        None,
    );
}

/// The roles a principal holds, with the scope of each binding (`*` cluster-wide).
pub(super) fn held_roles(e: &Escalation, p: &Principal) -> Vec<(usize, String)> {
    match p {
        Principal::Role { id, scope, .. } => vec![(*id, scope.clone())],
        _ => {
            let Some(user) = p.user_info() else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for (_, b) in e.model.subject_bindings(&user.name, &user.groups) {
                let binding = &e.model.bindings[b];
                if let Ok(r) = binding.role {
                    let s = if binding.kind == BindingKind::ClusterRoleBinding {
                        "*".to_string()
                    } else {
                        binding.namespace.to_string()
                    };
                    out.push((r, s));
                }
            }
            out.sort();
            out.dedup();
            out
        }
    }
}

/// `escalate` and update/patch on a role the principal holds: it can write any rule into it.
pub(super) fn escalate(out: &mut Out, me: &Me) {
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
pub(super) fn holder(e: &Escalation, role: usize, scope: &str) -> Principal {
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
pub(super) fn bind(out: &mut Out, me: &Me) {
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
    // Elsewhere only cluster-wide rules apply: the names they may grant bind on.
    let bindable_elsewhere = names_in(e, me, EVERY_NAMESPACE, ("bind", RBAC, "clusterroles", ""));
    let bindable_roles_elsewhere = names_in(e, me, EVERY_NAMESPACE, ("bind", RBAC, "roles", ""));
    let unheld: Vec<usize> = clusterroles
        .iter()
        .copied()
        .filter(|id| {
            !held_everywhere.contains(id) && may_name(&bindable_elsewhere, &model.roles[*id].name)
        })
        .collect();
    // Which of ClusterRoles and Roles a rule there may grant bind on; the same in every
    // namespace not its own.
    let may_bind_in = |ns: &str| (may_bind(ns, "clusterroles"), may_bind(ns, "roles"));
    let elsewhere = may_bind_in(EVERY_NAMESPACE);
    // Outside its own namespaces only its cluster-wide grants apply, the same in each: asked
    // once, for a namespace that is nobody's.
    let others: Vec<&str> = if me.everywhere()
        && (may_bind(EVERY_NAMESPACE, "roles") || may_bind(EVERY_NAMESPACE, "clusterroles"))
        && !out.owns(me, EVERY_NAMESPACE)
    {
        let no_cluster_role = !elsewhere.0 || unheld.is_empty();
        match &bindable_roles_elsewhere {
            // Only Roles of a few names can be bound there: only their namespaces.
            Some(named) if no_cluster_role => {
                let mut spaces: Vec<&str> = named
                    .iter()
                    .flat_map(|name| e.index.names(model).roles(model, name))
                    .map(|id| &model.roles[id])
                    .filter(|r| r.kind == RoleKind::Role && !me.may_act_in_own(&r.namespace))
                    .map(|r| r.namespace.as_str())
                    .collect();
                spaces.sort_unstable();
                spaces.dedup();
                spaces
            }
            _ => model
                .namespaces
                .iter()
                .map(String::as_str)
                .filter(|ns| !me.may_act_in_own(ns))
                .collect(),
        }
    } else {
        Vec::new()
    };
    let mut same = SameForEveryName::default();
    let spaces = me
        .namespaces
        .iter()
        .map(|ns| (ns.as_str(), &clusterroles, may_bind_in(ns), true))
        .chain(others.into_iter().map(|ns| (ns, &unheld, elsewhere, false)));
    for (ns, clusterroles, (bind_clusterroles, bind_roles), own) in spaces {
        if !bind_clusterroles && !bind_roles || own && out.owns(me, ns) {
            continue;
        }
        // Asked once for every namespace not its own (see `Out::named_rbac`), and before the
        // candidates are gathered: a principal that may bind everywhere but create
        // RoleBindings nowhere would gather them in every namespace for nothing.
        let Some(create) = out.named_rbac(me, &mut same, (ns, &["create"], "rolebindings"), "")
        else {
            continue;
        };
        let mut candidates: Vec<usize> = Vec::new();
        if bind_clusterroles {
            candidates.extend_from_slice(clusterroles);
        }
        if bind_roles {
            let bindable = |id: &usize| !model.roles[*id].rules.is_empty();
            let named = if own {
                &bindable_roles
            } else {
                &bindable_roles_elsewhere
            };
            match named {
                // A few names: looked up, not every Role of the namespace read.
                Some(named) => {
                    let mut ids: Vec<usize> = named
                        .iter()
                        .filter_map(|name| model.role(ns, name))
                        .filter(bindable)
                        .collect();
                    ids.sort_unstable();
                    candidates.extend(ids);
                }
                None => {
                    candidates.extend(model.namespace_role_ids(ns).into_iter().filter(bindable))
                }
            }
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
pub(super) fn update_bindings(out: &mut Out, me: &Me) {
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
    // The role names bind can be granted on (`None`: any), by kind of role.
    let bind_roles = names(me, "bind", RBAC, "roles", "");
    let bind_cluster_roles = names(me, "bind", RBAC, "clusterroles", "");
    if !rb.iter().all(none) {
        // Its own namespaces first; a cluster-wide grant of update on RoleBindings reaches
        // every other namespace's too.
        let own = me
            .namespaces
            .iter()
            .filter(|ns| writable(ns, "rolebindings") && bindable(ns) && !out.owns(me, ns));
        for ns in own {
            candidates.extend(
                model
                    .bindings_by_namespace
                    .get(ns.as_str())
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&b| rb.iter().any(|n| may_name(n, &model.bindings[b].name))),
            );
        }
        // Outside its own namespaces only its cluster-wide grants apply, the same in each:
        // asked once, for a namespace that is nobody's.
        if me.everywhere()
            && writable(EVERY_NAMESPACE, "rolebindings")
            && bindable(EVERY_NAMESPACE)
            && !out.owns(me, EVERY_NAMESPACE)
        {
            let elsewhere =
                |verb, resource| names_in(e, me, EVERY_NAMESPACE, (verb, RBAC, resource, ""));
            let names = [
                elsewhere("update", "rolebindings"),
                elsewhere("patch", "rolebindings"),
                elsewhere("bind", "roles"),
                elsewhere("bind", "clusterroles"),
            ];
            candidates.extend(others_role_bindings(e, me, names));
        }
    }
    // Bindings of the same role in the same scope lead to the same holder: the first one
    // found is the hop any path takes, so the others are not asked about.
    let mut reached: std::collections::HashSet<(usize, &str), ahash::RandomState> =
        Default::default();
    let mut same = SameForEveryName::default();
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

/// The RoleBindings of the namespaces not `me`'s own, in namespace then binding order, that
/// `update_bindings` could use: named as one of the names update or patch may be granted on
/// there (`names[0..2]`), of a Role or ClusterRole bind may be granted on there
/// (`names[2..4]`), `None` meaning any name. When the names of one pair are few, the bindings
/// are found by name; only when both pairs allow any name are every namespace's bindings
/// walked (and then most of them lead somewhere).
fn others_role_bindings(
    e: &Escalation,
    me: &Me,
    names: [Option<BTreeSet<String>>; 4],
) -> Vec<usize> {
    let model = e.model;
    let [update, patch, roles, cluster_roles] = &names;
    let found: Vec<usize> = match (update, patch, roles, cluster_roles) {
        (Some(update), Some(patch), _, _) => update
            .union(patch)
            .flat_map(|name| e.index.names(model).role_bindings(model, name))
            .collect(),
        (_, _, Some(roles), Some(cluster_roles)) => {
            let of_kind = |set: &BTreeSet<String>, kind: RoleKind| {
                set.iter()
                    .flat_map(|name| e.index.names(model).roles(model, name))
                    .filter(move |&r| model.roles[r].kind == kind)
                    .collect::<Vec<_>>()
            };
            of_kind(roles, RoleKind::Role)
                .into_iter()
                .chain(of_kind(cluster_roles, RoleKind::ClusterRole))
                .flat_map(|r| model.bindings_by_role[r].iter().copied())
                .filter(|&b| model.bindings[b].kind == BindingKind::RoleBinding)
                .collect()
        }
        _ => {
            return model
                .namespaces
                .iter()
                .filter(|ns| !me.may_act_in_own(ns))
                .flat_map(|ns| {
                    model
                        .bindings_by_namespace
                        .get(ns.as_str())
                        .into_iter()
                        .flatten()
                })
                .copied()
                .filter(|&b| {
                    [update, patch]
                        .iter()
                        .any(|n| may_name(n, &model.bindings[b].name))
                })
                .collect();
        }
    };
    let mut found: Vec<(&str, usize)> = found
        .into_iter()
        .map(|b| (model.bindings[b].namespace.as_str(), b))
        .filter(|&(ns, b)| {
            !me.may_act_in_own(ns)
                && [update, patch]
                    .iter()
                    .any(|n| may_name(n, &model.bindings[b].name))
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found.into_iter().map(|(_, b)| b).collect()
}
