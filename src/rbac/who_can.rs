//! The reverse question: which subjects are allowed a request (RBAC's SubjectLocator).
//!
//! Uses the same rule matching as [`AccessModel::authorize`], so can-i and who-can cannot
//! disagree: a subject is listed iff can-i says yes for an identity that subject describes.
//! Questions go through the model's indexes: the rule index finds the roles that allow the
//! request, the role → bindings index finds who holds them; no rule is scanned twice and no
//! binding that cannot grant the request is visited.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::attributes::Attributes;
use super::authorize::{ObjectRef, SYSTEM_MASTERS};
use super::identity::{AUTHENTICATED, SERVICE_ACCOUNTS, UNAUTHENTICATED};
use super::rule::rule_allows;
use crate::model::access::{AccessModel, BindingId, RoleId};
use crate::model::{BindingKind, MissingData, Subject};

/// One path by which a subject is allowed: binding → role → rule index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Via {
    /// The binding.
    pub binding: ObjectRef,
    /// The role it references.
    pub role: ObjectRef,
    /// The index of the first rule of the role that allows the request.
    pub rule: usize,
}

/// A subject allowed the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AllowedSubject {
    /// `User`, `Group` or `ServiceAccount` (or another kind, as written).
    pub kind: String,
    /// The subject name.
    pub name: String,
    /// The namespace of a ServiceAccount (defaulted to its RoleBinding's namespace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// With all namespaces: where it is allowed — `["*"]` when cluster-wide, else namespaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Vec<String>>,
    /// True for `Group system:masters`, allowed by the API server itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub builtin: bool,
    /// With group expansion: the service-account groups through which a ServiceAccount is
    /// allowed (empty when it is only bound directly).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<String>,
    /// With group expansion: who a well-known group stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<String>,
    /// Every binding → role → rule path that allows it (for an expanded ServiceAccount,
    /// also the paths of its groups), in inventory order.
    pub via: Vec<Via>,
}

/// The answer to a who-can question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhoCan {
    /// The subjects allowed: `Group system:masters` first, then by kind, namespace, name.
    pub subjects: Vec<AllowedSubject>,
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

type Key<'a> = (&'a str, &'a str, &'a str);

#[derive(Default)]
struct Entry<'a> {
    hits: Vec<Hit>,
    cluster_wide: bool,
    namespaces: BTreeSet<&'a str>,
    member_of: BTreeSet<&'a str>,
}

impl<'a> Entry<'a> {
    fn merge(&mut self, other: &Entry<'a>) {
        for h in &other.hits {
            if !self.hits.contains(h) {
                self.hits.push(*h);
            }
        }
        self.cluster_wide |= other.cluster_wide;
        self.namespaces.extend(other.namespaces.iter().copied());
    }
}

impl AccessModel {
    /// The roles with a rule that allows the request, each with its first allowing rule, in
    /// role order. Found through the rule index.
    pub fn roles_allowing(&self, attrs: &Attributes) -> Vec<(RoleId, usize)> {
        let mut candidates = Vec::new();
        match attrs {
            Attributes::Resource(r) => {
                self.rule_index
                    .resource_candidates(&r.resource, &r.subresource, &mut candidates)
            }
            Attributes::NonResource(n) => self.rule_index.url_candidates(&n.path, &mut candidates),
        }
        let mut out: Vec<(RoleId, usize)> = Vec::new();
        // Candidates are sorted by (role, rule): the first hit of a role is its first rule.
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
            namespace: String::new(),
        }];
        let mut allows = vec![false; self.roles.len()];
        for (role, _) in self.roles_allowing(attrs) {
            allows[role] = true;
        }
        let mut errors = Vec::new();
        for id in self.bindings_in_scope(attrs.namespace()) {
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

    fn bindings_in_scope(&self, namespace: &str) -> impl Iterator<Item = BindingId> + '_ {
        let rbs = if namespace.is_empty() {
            None
        } else {
            self.bindings_by_namespace.get(namespace)
        };
        self.cluster_bindings
            .iter()
            .copied()
            .chain(rbs.into_iter().flatten().copied())
    }

    /// Who may make this request (in the request's namespace, or at cluster scope when it
    /// has none): subjects unique by kind, namespace and name, a ServiceAccount without a
    /// namespace taking its RoleBinding's, each with every path that allows it.
    pub fn who_can(&self, attrs: &Attributes) -> WhoCan {
        self.who_can_any(std::slice::from_ref(attrs), WhoCanOptions::default())
    }

    /// Who may make this request in at least one namespace (the request's namespace is
    /// ignored): each subject with `namespaces` = `["*"]` when a ClusterRoleBinding allows it,
    /// else the namespaces whose RoleBindings allow it. Non-resource requests are only ever
    /// granted by ClusterRoleBindings. Meant for namespaced resources: a RoleBinding never
    /// grants a cluster-scoped resource to a real request, so ask those with [`Self::who_can`]
    /// and no namespace.
    pub fn who_can_all_namespaces(&self, attrs: &Attributes) -> WhoCan {
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
    pub fn who_can_any(&self, requests: &[Attributes], opts: WhoCanOptions) -> WhoCan {
        let mut hits: Vec<Hit> = Vec::new();
        let mut any_namespaced_scope = false;
        let mut scopes: BTreeSet<&str> = BTreeSet::new();
        for attrs in requests {
            let non_resource = matches!(attrs, Attributes::NonResource(_));
            let ns = attrs.namespace();
            let rbs_count = !non_resource && (opts.all_namespaces || !ns.is_empty());
            any_namespaced_scope |= rbs_count && opts.all_namespaces;
            if rbs_count && !opts.all_namespaces {
                scopes.insert(ns);
            }
            for (role, rule) in self.roles_allowing(attrs) {
                for &binding in &self.bindings_by_role[role] {
                    let b = &self.bindings[binding];
                    let counts = match b.kind {
                        BindingKind::ClusterRoleBinding => true,
                        BindingKind::RoleBinding => {
                            rbs_count && (opts.all_namespaces || b.namespace == ns)
                        }
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

        let mut entries: HashMap<Key, Entry> = HashMap::new();
        for h in &hits {
            let b = &self.bindings[h.binding];
            for s in &b.subjects {
                let namespace = match s.kind.as_str() {
                    "ServiceAccount" if s.namespace.is_empty() => b.scope(),
                    _ => s.namespace.as_str(),
                };
                let e = entries
                    .entry((s.kind.as_str(), namespace, s.name.as_str()))
                    .or_default();
                if !e.hits.contains(h) {
                    e.hits.push(*h);
                }
                match b.kind {
                    BindingKind::ClusterRoleBinding => e.cluster_wide = true,
                    BindingKind::RoleBinding => {
                        e.namespaces.insert(b.namespace.as_str());
                    }
                }
            }
        }
        if opts.expand_groups {
            self.expand_service_account_groups(&mut entries);
        }

        let errors = self
            .unresolved_bindings
            .iter()
            .filter(|&&id| {
                let b = &self.bindings[id];
                match b.kind {
                    BindingKind::ClusterRoleBinding => true,
                    BindingKind::RoleBinding => {
                        any_namespaced_scope || scopes.contains(b.namespace.as_str())
                    }
                }
            })
            .filter_map(|&id| {
                let e = self.bindings[id].role.as_ref().err()?;
                Some(format!("{}: {e}", self.binding_ref(id).path()))
            })
            .collect();
        WhoCan {
            subjects: self.materialize(entries, opts),
            errors,
        }
    }

    /// Adds (or merges into) an entry for every known ServiceAccount an allowed
    /// service-account group covers.
    fn expand_service_account_groups<'a>(&'a self, entries: &mut HashMap<Key<'a>, Entry<'a>>) {
        let groups: Vec<(&'a str, Entry<'a>)> = entries
            .iter()
            .filter(|((kind, _, name), _)| {
                *kind == "Group" && service_account_group(name).is_some()
            })
            .map(|((_, _, name), e)| {
                (
                    *name,
                    Entry {
                        hits: e.hits.clone(),
                        cluster_wide: e.cluster_wide,
                        namespaces: e.namespaces.clone(),
                        member_of: BTreeSet::new(),
                    },
                )
            })
            .collect();
        for (group, group_entry) in groups {
            let only_ns = service_account_group(group).flatten();
            for (ns, name) in &self.service_accounts {
                if only_ns.is_some_and(|want| want != ns) {
                    continue;
                }
                let e = entries
                    .entry(("ServiceAccount", ns.as_str(), name.as_str()))
                    .or_default();
                e.merge(&group_entry);
                e.member_of.insert(group);
            }
        }
    }

    fn materialize(&self, entries: HashMap<Key, Entry>, opts: WhoCanOptions) -> Vec<AllowedSubject> {
        let mut list: Vec<(Key, Entry)> = entries.into_iter().collect();
        list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::with_capacity(list.len() + 1);
        let masters: Key = ("Group", "", SYSTEM_MASTERS);
        let masters_entry = match list.iter().position(|(k, _)| *k == masters) {
            Some(i) => list.remove(i).1,
            None => Entry::default(),
        };
        let mut masters_subject = self.subject_from_entry(masters, masters_entry, opts);
        masters_subject.builtin = true;
        masters_subject.namespaces = opts.all_namespaces.then(|| vec!["*".to_string()]);
        out.push(masters_subject);
        for (key, entry) in list {
            out.push(self.subject_from_entry(key, entry, opts));
        }
        out
    }

    fn subject_from_entry(&self, key: Key, mut entry: Entry, opts: WhoCanOptions) -> AllowedSubject {
        entry.hits.sort_unstable();
        let via = entry
            .hits
            .iter()
            .map(|h| Via {
                binding: self.binding_ref(h.binding),
                role: self.role_ref_of(h.role),
                rule: h.rule,
            })
            .collect();
        let namespaces = opts.all_namespaces.then(|| {
            if entry.cluster_wide {
                vec!["*".to_string()]
            } else {
                entry.namespaces.iter().map(|s| s.to_string()).collect()
            }
        });
        AllowedSubject {
            kind: key.0.to_string(),
            namespace: (!key.1.is_empty()).then(|| key.1.to_string()),
            name: key.2.to_string(),
            namespaces,
            builtin: false,
            member_of: entry.member_of.iter().map(|s| s.to_string()).collect(),
            covers: (opts.expand_groups && key.0 == "Group")
                .then(|| group_covers(key.2))
                .flatten(),
            via,
        }
    }
}

/// Where a who-can question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WhoCanReport {
    /// The request as evaluated.
    pub request: Attributes,
    /// Further requests that each also suffice (a signer's `domain/*` wildcard name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_checked: Vec<Attributes>,
    /// Where it was asked.
    pub scope: WhoCanScope,
    /// False when some data could not be read: the list is then a lower bound.
    pub complete: bool,
    /// The subjects allowed.
    pub subjects: Vec<AllowedSubject>,
    /// Bindings in scope whose role could not be resolved (they grant nothing).
    pub errors: Vec<String>,
    /// Warnings and notes about the question (argument resolution, scope corrections).
    pub warnings: Vec<String>,
    /// What could not be read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingData>,
}

/// Answers a who-can question: `request` and the alternatives in `also_checked` (each
/// suffices), in the request's namespace or, with `opts.all_namespaces`, in any namespace.
pub fn who_can_report(
    model: &AccessModel,
    request: Attributes,
    also_checked: Vec<Attributes>,
    opts: WhoCanOptions,
    warnings: Vec<String>,
) -> WhoCanReport {
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
    WhoCanReport {
        request,
        also_checked,
        scope,
        complete: model.is_complete(),
        subjects: answer.subjects,
        errors: answer.errors,
        warnings,
        missing: model.missing.clone(),
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
            .map(|s| match &s.namespace {
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
        assert_eq!(w.errors, ["RoleBinding/ns1/stale: role.rbac.authorization.k8s.io \"gone\" not found"]);
        let w = m.who_can(&res("get", "", "pods", "other"));
        assert_eq!(names(&w), ["Group:system:masters", "User:alice"]);
        assert!(w.errors.is_empty());
        let w = m.who_can_all_namespaces(&res("get", "", "pods", ""));
        let wheres: Vec<_> = w.subjects.iter().map(|s| s.namespaces.clone().unwrap()).collect();
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
        assert_eq!(names(&m.who_can(&url)), ["Group:system:masters", "User:alice"]);
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
