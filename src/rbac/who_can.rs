//! The reverse question: which subjects are allowed a request (RBAC's SubjectLocator).
//!
//! Uses the same rule matching as [`AccessModel::authorize`], so can-i and who-can cannot
//! disagree: a subject is listed iff can-i says yes for an identity that subject describes.
//! Questions go through the model's indexes: the per-scope rule indexes find the roles that
//! allow the request, the role → bindings index finds who holds them, and interned subject
//! ids group the answer without hashing strings. Answers borrow their names from the model.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::attributes::Attributes;
use super::authorize::{ObjectRef, SYSTEM_MASTERS};
use super::identity::{AUTHENTICATED, SERVICE_ACCOUNTS, UNAUTHENTICATED};
use super::rule::rule_allows;
use crate::model::access::{AccessModel, BindingId, RoleId, SubjectId};
use crate::model::rule_index::RuleRef;
use crate::model::{BindingKind, MissingData, Subject};

/// A binding or role of the model, serialized like [`ObjectRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ObjectName<'a> {
    /// The kind, e.g. `ClusterRoleBinding`.
    pub kind: &'static str,
    /// The name.
    pub name: &'a str,
    /// The namespace, for namespaced objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<&'a str>,
}

/// `Kind/name` or `Kind/namespace/name` (its [`ObjectName::path`]), written in place.
impl std::fmt::Display for ObjectName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.namespace {
            Some(ns) => write!(f, "{}/{}/{}", self.kind, ns, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

impl ObjectName<'_> {
    /// `Kind/name` or `Kind/namespace/name`.
    pub fn path(&self) -> String {
        self.to_string()
    }

    /// An owned copy.
    pub fn to_object_ref(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.to_string(),
            name: self.name.to_string(),
            namespace: self.namespace.map(str::to_string),
        }
    }
}

/// One path by which a subject is allowed: binding → role → rule index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Via<'a> {
    /// The binding.
    pub binding: ObjectName<'a>,
    /// The role it references.
    pub role: ObjectName<'a>,
    /// The index of the first rule of the role that allows the request.
    pub rule: usize,
}

/// A subject allowed the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllowedSubject<'a> {
    /// `User`, `Group` or `ServiceAccount` (or another kind, as written).
    pub kind: &'a str,
    /// The subject name.
    pub name: &'a str,
    /// The namespace of a ServiceAccount (defaulted to its RoleBinding's namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<&'a str>,
    /// With all namespaces: where it is allowed — `["*"]` when cluster-wide, else namespaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Cow<'a, [&'a str]>>,
    /// True for `Group system:masters`, allowed by the API server itself.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub builtin: bool,
    /// With group expansion: the service-account groups through which a ServiceAccount is
    /// allowed (empty when it is only bound directly).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<&'a str>,
    /// With group expansion: who a well-known group stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covers: Option<String>,
    /// Every binding → role → rule path that allows it (for an expanded ServiceAccount,
    /// also the paths of its groups), sorted.
    pub via: Vec<Via<'a>>,
}

/// The answer to a who-can question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhoCan<'a> {
    /// The subjects allowed: `Group system:masters` first, then by kind, namespace, name.
    pub subjects: Vec<AllowedSubject<'a>>,
    /// Bindings in scope that could not be resolved (they grant nothing), as
    /// `Kind/namespace/name: reason`.
    pub errors: Vec<String>,
}

/// How a who-can question is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WhoCanOptions {
    /// Ask in every namespace: a RoleBinding counts in its own namespace, whatever the
    /// request's namespace. Only meaningful for namespaced resources (RoleBindings never
    /// grant non-resource URLs; for cluster-scoped resources ask without a namespace).
    pub all_namespaces: bool,
    /// Also list the ServiceAccounts of the inventory covered by an allowed
    /// `system:serviceaccounts[:NS]` group, and say who well-known groups stand for.
    pub expand_groups: bool,
}

/// Who a well-known group stands for, if it is one.
pub fn group_covers(group: &str) -> Option<String> {
    match group {
        AUTHENTICATED => Some("every authenticated user and service account".into()),
        UNAUTHENTICATED => Some("anonymous requests (user system:anonymous)".into()),
        SYSTEM_MASTERS => {
            Some("cluster administrators: the API server allows them everything".into())
        }
        _ => match service_account_group(group)? {
            None => Some("every service account".into()),
            Some(ns) => Some(format!("every service account in namespace {ns}")),
        },
    }
}

/// The service accounts a group covers: `Some(None)` for all, `Some(Some(ns))` for one
/// namespace, `None` for a group that is not a service-account group.
fn service_account_group(group: &str) -> Option<Option<&str>> {
    if group == SERVICE_ACCOUNTS {
        return Some(None);
    }
    group
        .strip_prefix(SERVICE_ACCOUNTS)
        .and_then(|rest| rest.strip_prefix(':'))
        .filter(|ns| !ns.is_empty())
        .map(Some)
}

/// A grant found for the question: binding, its role, the first allowing rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Hit {
    binding: BindingId,
    rule: usize,
    role: RoleId,
}

/// An allowed service-account group: its name, paths and where.
type GroupGrant<'a> = (&'a str, Vec<Via<'a>>, Option<Cow<'a, [&'a str]>>);

/// `namespaces` of a subject a ClusterRoleBinding allows.
const EVERYWHERE: &[&str] = &["*"];

/// A hit ready for output: its path, and the RoleBinding's namespace (`None` for a
/// ClusterRoleBinding).
#[derive(Clone, Copy)]
struct HitView<'a> {
    via: Via<'a>,
    namespace: Option<&'a str>,
}

/// Which roles' rules a question looks at.
enum RoleScope<'s> {
    /// ClusterRoles only (what ClusterRoleBindings can reference).
    Cluster,
    /// ClusterRoles and the Roles of one namespace.
    Namespace(&'s str),
    /// Every role.
    All,
}

impl AccessModel {
    /// The roles with a rule that allows the request, each with its first allowing rule, in
    /// role order. Found through the rule indexes.
    pub fn roles_allowing(&self, attrs: &Attributes) -> Vec<(RoleId, usize)> {
        self.roles_allowing_in(attrs, RoleScope::All)
    }

    fn roles_allowing_in(&self, attrs: &Attributes, scope: RoleScope) -> Vec<(RoleId, usize)> {
        let mut candidates: Vec<RuleRef> = Vec::new();
        let mut lookup = |index: &crate::model::rule_index::RuleIndex| match attrs {
            Attributes::Resource(r) => {
                index.resource_candidates(&r.resource, &r.subresource, &mut candidates)
            }
            Attributes::NonResource(n) => index.url_candidates(&n.path, &mut candidates),
        };
        match scope {
            RoleScope::Cluster => lookup(&self.cluster_rule_index),
            RoleScope::Namespace(ns) => {
                lookup(&self.cluster_rule_index);
                if let Some(index) = self.namespace_rule_index.get(ns) {
                    lookup(index);
                }
            }
            RoleScope::All => lookup(&self.rule_index),
        }
        candidates.sort_unstable();
        let mut out: Vec<(RoleId, usize)> = Vec::new();
        // Sorted by (role, rule): the first hit of a role is its first allowing rule.
        for c in candidates {
            if out.last().is_some_and(|(role, _)| *role == c.role) {
                continue;
            }
            if rule_allows(attrs, &self.roles[c.role].rules[c.rule]) {
                out.push((c.role, c.rule));
            }
        }
        out
    }

    /// Upstream's `AllowedSubjects`, verbatim: `Group system:masters`, then every subject of
    /// every ClusterRoleBinding (and RoleBinding of the request's namespace) whose role allows
    /// the request, as written, duplicates kept. Also returns resolution errors.
    pub fn allowed_subjects_raw(&self, attrs: &Attributes) -> (Vec<Subject>, Vec<String>) {
        let mut out = vec![Subject {
            kind: "Group".into(),
            api_group: "rbac.authorization.k8s.io".into(),
            name: SYSTEM_MASTERS.into(),
            namespace: Default::default(),
        }];
        let mut allows = vec![false; self.roles.len()];
        let ns = attrs.namespace();
        let scope = if ns.is_empty() {
            RoleScope::Cluster
        } else {
            RoleScope::Namespace(ns)
        };
        for (role, _) in self.roles_allowing_in(attrs, scope) {
            allows[role] = true;
        }
        let rbs = if ns.is_empty() {
            None
        } else {
            self.bindings_by_namespace.get(ns)
        };
        let mut errors = Vec::new();
        for &id in self
            .cluster_bindings
            .iter()
            .chain(rbs.into_iter().flatten())
        {
            let b = &self.bindings[id];
            match &b.role {
                Ok(role) => {
                    if allows[*role] {
                        out.extend(b.subjects.iter().cloned());
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        (out, errors)
    }

    /// The binding as an [`ObjectName`].
    pub fn binding_name(&self, id: BindingId) -> ObjectName<'_> {
        let b = &self.bindings[id];
        ObjectName {
            kind: b.kind.as_str(),
            name: &b.name,
            namespace: (b.kind == BindingKind::RoleBinding).then_some(b.namespace.as_str()),
        }
    }

    /// The role as an [`ObjectName`].
    pub fn role_name(&self, id: RoleId) -> ObjectName<'_> {
        let r = &self.roles[id];
        ObjectName {
            kind: r.kind.as_str(),
            name: &r.name,
            namespace: (!r.namespace.is_empty()).then_some(r.namespace.as_str()),
        }
    }

    /// Who may make this request (in the request's namespace, or at cluster scope when it
    /// has none): subjects unique by kind, namespace and name, a ServiceAccount without a
    /// namespace taking its RoleBinding's, each with every path that allows it.
    pub fn who_can(&self, attrs: &Attributes) -> WhoCan<'_> {
        self.who_can_any(std::slice::from_ref(attrs), WhoCanOptions::default())
    }

    /// Who may make this request in at least one namespace (the request's namespace is
    /// ignored): each subject with `namespaces` = `["*"]` when a ClusterRoleBinding allows it,
    /// else the namespaces whose RoleBindings allow it. Non-resource requests are only ever
    /// granted by ClusterRoleBindings. Meant for namespaced resources: a RoleBinding never
    /// grants a cluster-scoped resource to a real request, so ask those with [`Self::who_can`]
    /// and no namespace.
    pub fn who_can_all_namespaces(&self, attrs: &Attributes) -> WhoCan<'_> {
        self.who_can_any(
            std::slice::from_ref(attrs),
            WhoCanOptions {
                all_namespaces: true,
                expand_groups: false,
            },
        )
    }

    /// Who may make at least one of these requests (alternatives that each suffice, such as
    /// a signer's exact name and its `domain/*` wildcard).
    pub fn who_can_any(&self, requests: &[Attributes], opts: WhoCanOptions) -> WhoCan<'_> {
        let mut hits: Vec<Hit> = Vec::new();
        let mut any_all_namespaces = false;
        let mut scopes: BTreeSet<&str> = BTreeSet::new();
        for attrs in requests {
            let non_resource = matches!(attrs, Attributes::NonResource(_));
            let ns = attrs.namespace();
            let all = !non_resource && opts.all_namespaces;
            let in_ns = !non_resource && !opts.all_namespaces && !ns.is_empty();
            any_all_namespaces |= all;
            let scope = if all {
                RoleScope::All
            } else if in_ns {
                scopes.insert(ns);
                RoleScope::Namespace(ns)
            } else {
                RoleScope::Cluster
            };
            for (role, rule) in self.roles_allowing_in(attrs, scope) {
                for &binding in &self.bindings_by_role[role] {
                    let b = &self.bindings[binding];
                    let counts = match b.kind {
                        BindingKind::ClusterRoleBinding => true,
                        BindingKind::RoleBinding => all || (in_ns && b.namespace == ns),
                    };
                    if counts {
                        hits.push(Hit {
                            binding,
                            rule,
                            role,
                        });
                    }
                }
            }
        }
        // One hit per binding: its first allowing rule.
        hits.sort_unstable();
        hits.dedup_by_key(|h| h.binding);

        // Hits grouped by subject (a counting sort: subject ids are dense and already in
        // display order), each group in binding order.
        let mut counts = vec![0u32; self.subjects.len() + 1];
        for h in &hits {
            for &sid in &self.binding_subjects[h.binding] {
                counts[sid + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let total = counts[self.subjects.len()] as usize;
        let mut grouped: Vec<(SubjectId, usize)> = vec![(0, 0); total];
        let mut next = counts.clone();
        for (i, h) in hits.iter().enumerate() {
            for &sid in &self.binding_subjects[h.binding] {
                grouped[next[sid] as usize] = (sid, i);
                next[sid] += 1;
            }
        }
        let pairs = grouped;

        let mut subjects = Vec::new();
        let masters_id = self.subjects.binary_search_by(|k| {
            (k.kind.as_str(), k.namespace.as_str(), k.name.as_str()).cmp(&(
                "Group",
                "",
                SYSTEM_MASTERS,
            ))
        });
        let mut masters = AllowedSubject {
            kind: "Group",
            name: SYSTEM_MASTERS,
            namespace: None,
            namespaces: opts.all_namespaces.then_some(Cow::Borrowed(EVERYWHERE)),
            builtin: true,
            member_of: Vec::new(),
            covers: opts
                .expand_groups
                .then(|| group_covers(SYSTEM_MASTERS))
                .flatten(),
            via: Vec::new(),
        };
        // Each hit's path and scope, computed once, in binding (memory) order.
        let views: Vec<HitView> = hits
            .iter()
            .map(|h| {
                let b = &self.bindings[h.binding];
                HitView {
                    via: Via {
                        binding: self.binding_name(h.binding),
                        role: self.role_name(h.role),
                        rule: h.rule,
                    },
                    namespace: (b.kind == BindingKind::RoleBinding).then_some(b.namespace.as_str()),
                }
            })
            .collect();
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            let sid = group[0].0;
            let entry = self.subject_entry(sid, group, &views, opts);
            if Ok(sid) == masters_id {
                masters.via = entry.via;
            } else {
                subjects.push(entry);
            }
        }
        if opts.expand_groups {
            self.expand_service_account_groups(&mut subjects, opts);
        }
        subjects.insert(0, masters);

        let errors = self
            .unresolved_bindings
            .iter()
            .filter(|&&id| {
                let b = &self.bindings[id];
                match b.kind {
                    BindingKind::ClusterRoleBinding => true,
                    BindingKind::RoleBinding => {
                        any_all_namespaces || scopes.contains(b.namespace.as_str())
                    }
                }
            })
            .filter_map(|&id| {
                let e = self.bindings[id].role.as_ref().err()?;
                Some(format!("{}: {e}", self.binding_name(id).path()))
            })
            .collect();
        WhoCan { subjects, errors }
    }

    fn subject_entry<'a>(
        &'a self,
        sid: SubjectId,
        group: &[(SubjectId, usize)],
        hits: &[HitView<'a>],
        opts: WhoCanOptions,
    ) -> AllowedSubject<'a> {
        let key = &self.subjects[sid];
        let mut via = Vec::with_capacity(group.len());
        let mut cluster_wide = false;
        for &(_, i) in group {
            via.push(hits[i].via);
            cluster_wide |= hits[i].namespace.is_none();
        }
        via.sort_unstable();
        let namespaces = opts.all_namespaces.then(|| {
            if cluster_wide {
                Cow::Borrowed(EVERYWHERE)
            } else {
                let mut list: Vec<&str> = group
                    .iter()
                    .filter_map(|&(_, i)| hits[i].namespace)
                    .collect();
                list.sort_unstable();
                list.dedup();
                Cow::Owned(list)
            }
        });
        AllowedSubject {
            kind: &key.kind,
            name: &key.name,
            namespace: (!key.namespace.is_empty()).then_some(key.namespace.as_str()),
            namespaces,
            builtin: false,
            member_of: Vec::new(),
            covers: (opts.expand_groups && key.kind == "Group")
                .then(|| group_covers(&key.name))
                .flatten(),
            via,
        }
    }

    /// Adds (or merges into) an entry for every known ServiceAccount an allowed
    /// service-account group covers; keeps the list sorted by kind, namespace, name.
    fn expand_service_account_groups<'a>(
        &'a self,
        subjects: &mut Vec<AllowedSubject<'a>>,
        opts: WhoCanOptions,
    ) {
        let groups: Vec<GroupGrant<'a>> = subjects
            .iter()
            .filter(|s| s.kind == "Group" && service_account_group(s.name).is_some())
            .map(|s| (s.name, s.via.clone(), s.namespaces.clone()))
            .collect();
        if groups.is_empty() {
            return;
        }
        let mut at: HashMap<(&'a str, &'a str), usize> = subjects
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == "ServiceAccount")
            .filter_map(|(i, s)| Some(((s.namespace?, s.name), i)))
            .collect();
        for (group, via, namespaces) in groups {
            let only_ns = service_account_group(group).flatten();
            for (ns, name) in &self.service_accounts {
                if only_ns.is_some_and(|want| want != ns) {
                    continue;
                }
                let i = *at.entry((ns.as_str(), name.as_str())).or_insert_with(|| {
                    subjects.push(AllowedSubject {
                        kind: "ServiceAccount",
                        name,
                        namespace: Some(ns),
                        namespaces: opts.all_namespaces.then(|| Cow::Owned(Vec::new())),
                        builtin: false,
                        member_of: Vec::new(),
                        covers: None,
                        via: Vec::new(),
                    });
                    subjects.len() - 1
                });
                let s = &mut subjects[i];
                s.member_of.push(group);
                s.via.extend(via.iter().copied());
                s.via.sort_unstable();
                s.via.dedup();
                if let (Some(mine), Some(theirs)) = (&mut s.namespaces, &namespaces) {
                    if mine.contains(&"*") || theirs.contains(&"*") {
                        *mine = Cow::Borrowed(EVERYWHERE);
                    } else {
                        let list = mine.to_mut();
                        list.extend(theirs.iter().copied());
                        list.sort_unstable();
                        list.dedup();
                    }
                }
            }
        }
        subjects.sort_by(|a, b| (a.kind, a.namespace, a.name).cmp(&(b.kind, b.namespace, b.name)));
    }
}

/// Where a who-can question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum WhoCanScope {
    /// In the request's namespace: ClusterRoleBindings and that namespace's RoleBindings.
    Namespace,
    /// At cluster scope (cluster-scoped resources, non-resource URLs): ClusterRoleBindings.
    Cluster,
    /// In any namespace: ClusterRoleBindings (`*`) and every RoleBinding in its namespace.
    AllNamespaces,
}

/// What `who-can` answers: the request, where it was asked, who is allowed and how, and an
/// honest statement of how complete the data was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhoCanReport<'a> {
    /// The request as evaluated.
    pub request: Attributes,
    /// Further requests that each also suffice (a signer's `domain/*` wildcard name).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_checked: Vec<Attributes>,
    /// Where it was asked.
    pub scope: WhoCanScope,
    /// False when some data could not be read: the list is then a lower bound.
    pub complete: bool,
    /// The subjects allowed.
    pub subjects: Vec<AllowedSubject<'a>>,
    /// Bindings in scope whose role could not be resolved (they grant nothing).
    pub errors: Vec<String>,
    /// Warnings and notes about the question (argument resolution, scope corrections).
    pub warnings: Vec<String>,
    /// What could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingData>,
    /// Subjects other authorizers of the chain allow (ABAC, Node, AlwaysAllow).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chain_subjects: Vec<super::chain_subjects::ChainSubject>,
}

/// Answers a who-can question: `request` and the alternatives in `also_checked` (each
/// suffices), in the request's namespace or, with `opts.all_namespaces`, in any namespace.
pub fn who_can_report(
    model: &AccessModel,
    request: Attributes,
    also_checked: Vec<Attributes>,
    opts: WhoCanOptions,
    warnings: Vec<String>,
) -> WhoCanReport<'_> {
    let mut requests = Vec::with_capacity(1 + also_checked.len());
    requests.push(request.clone());
    requests.extend(also_checked.iter().cloned());
    let answer = model.who_can_any(&requests, opts);
    let scope = match (&request, opts.all_namespaces) {
        (Attributes::NonResource(_), _) => WhoCanScope::Cluster,
        (_, true) => WhoCanScope::AllNamespaces,
        (r, false) if r.namespace().is_empty() => WhoCanScope::Cluster,
        _ => WhoCanScope::Namespace,
    };
    let complete = model.is_complete_in((!opts.all_namespaces).then(|| request.namespace()));
    WhoCanReport {
        request,
        also_checked,
        scope,
        complete,
        subjects: answer.subjects,
        errors: answer.errors,
        warnings,
        missing: model.missing.clone(),
        chain_subjects: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inventory;
    use crate::rbac::attributes::{NonResourceAttributes, ResourceAttributes};

    fn model(yaml: &str) -> AccessModel {
        let mut read = crate::source::manifest::ManifestRead::default();
        crate::source::manifest::read_bytes("test.yaml", yaml.as_bytes(), Some(false), &mut read)
            .expect("valid yaml");
        let mut inv = Inventory::default();
        inv.add_objects(read.objects).expect("valid objects");
        AccessModel::build(&inv)
    }

    fn res(verb: &str, group: &str, resource: &str, ns: &str) -> Attributes {
        Attributes::Resource(ResourceAttributes {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            namespace: ns.into(),
            ..Default::default()
        })
    }

    fn names(w: &WhoCan) -> Vec<String> {
        w.subjects
            .iter()
            .map(|s| match s.namespace {
                Some(ns) => format!("{}:{ns}:{}", s.kind, s.name),
                None => format!("{}:{}", s.kind, s.name),
            })
            .collect()
    }

    const OBJECTS: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [one]}
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
- {nonResourceURLs: ["/healthz"], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: ns1}
subjects: [{kind: ServiceAccount, name: app}, {kind: Group, name: "system:serviceaccounts:ns2"}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects: [{kind: User, name: alice}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: stale, namespace: ns1}
subjects: [{kind: User, name: bob}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: worker, namespace: ns2}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: other, namespace: ns3}
"#;

    #[test]
    fn namespace_and_all_namespaces() {
        let m = model(OBJECTS);
        let w = m.who_can(&res("get", "", "pods", "ns1"));
        assert_eq!(
            names(&w),
            [
                "Group:system:masters",
                "Group:system:serviceaccounts:ns2",
                "ServiceAccount:ns1:app",
                "User:alice"
            ]
        );
        assert_eq!(w.subjects[2].via[0].rule, 1);
        assert_eq!(
            w.errors,
            ["RoleBinding/ns1/stale: role.rbac.authorization.k8s.io \"gone\" not found"]
        );
        let w = m.who_can(&res("get", "", "pods", "other"));
        assert_eq!(names(&w), ["Group:system:masters", "User:alice"]);
        assert!(w.errors.is_empty());
        let w = m.who_can_all_namespaces(&res("get", "", "pods", ""));
        let wheres: Vec<_> = w
            .subjects
            .iter()
            .map(|s| s.namespaces.clone().unwrap())
            .collect();
        assert_eq!(wheres, [vec!["*"], vec!["ns1"], vec!["ns1"], vec!["*"]]);
    }

    #[test]
    fn resource_names_and_role_bound_urls() {
        let m = model(OBJECTS);
        // An unnamed get of secrets is not allowed by a resourceNames rule.
        let w = m.who_can(&res("get", "", "secrets", "ns1"));
        assert_eq!(names(&w), ["Group:system:masters"]);
        // A RoleBinding never grants a non-resource URL, even with all namespaces.
        let url = Attributes::NonResource(NonResourceAttributes {
            verb: "get".into(),
            path: "/healthz".into(),
        });
        assert_eq!(
            names(&m.who_can(&url)),
            ["Group:system:masters", "User:alice"]
        );
        assert_eq!(
            names(&m.who_can_all_namespaces(&url)),
            ["Group:system:masters", "User:alice"]
        );
    }

    #[test]
    fn group_expansion() {
        let m = model(OBJECTS);
        let w = m.who_can_any(
            &[res("list", "", "pods", "ns1")],
            WhoCanOptions {
                all_namespaces: false,
                expand_groups: true,
            },
        );
        assert_eq!(
            names(&w),
            [
                "Group:system:masters",
                "Group:system:serviceaccounts:ns2",
                "ServiceAccount:ns1:app",
                "ServiceAccount:ns2:worker",
                "User:alice"
            ]
        );
        assert_eq!(w.subjects[3].member_of, ["system:serviceaccounts:ns2"]);
        assert_eq!(
            w.subjects[1].covers.as_deref(),
            Some("every service account in namespace ns2")
        );
        assert_eq!(w.subjects[3].via, w.subjects[1].via);
    }

    #[test]
    fn well_known_groups() {
        assert_eq!(
            group_covers("system:authenticated").as_deref(),
            Some("every authenticated user and service account")
        );
        assert!(group_covers("system:unauthenticated").is_some());
        assert_eq!(
            group_covers("system:serviceaccounts").as_deref(),
            Some("every service account")
        );
        assert_eq!(group_covers("system:serviceaccounts:"), None);
        assert_eq!(group_covers("system:serviceaccountsx"), None);
        assert_eq!(group_covers("devs"), None);
    }
}
