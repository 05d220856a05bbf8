//! Indexes the escalation search builds once for every principal: objects by name and the
//! namespaces worth looking at. A principal granted a few names cluster-wide (a rule with
//! resourceNames bound by a ClusterRoleBinding) finds the objects of those names here instead
//! of walking every namespace, so such principals cost what they can reach, not the size of
//! the cluster.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use super::World;
use crate::model::access::{AccessModel, RoleId};
use crate::model::BindingKind;

/// What the search looks up by name, built on first use (most searches never need it).
pub(crate) struct Indexes<'a> {
    /// The namespaces a privileged pod could be created in with a cluster-wide grant, in
    /// order: those with a Pod Security level and the first without one (a later one without
    /// could only be a way to the node that makes the same assumption as the first).
    pub(crate) pod_security_candidates: Vec<&'a str>,
    /// The world's ServiceAccounts by namespace, in order.
    pub(crate) service_accounts: Vec<(&'a String, &'a BTreeSet<String>)>,
    /// By the hash of a ServiceAccount name: the places in `service_accounts` of the
    /// namespaces with one of that name.
    service_account_names: OnceLock<(ahash::RandomState, HashMap<u64, Vec<u32>>)>,
    /// RoleBindings and roles by name.
    names: OnceLock<Names>,
    /// Per pod of the world, the place of its ServiceAccount among the pods' distinct ones (a
    /// search marks those reached without hashing names).
    pub(crate) pod_accounts: Vec<u32>,
    /// How many distinct ServiceAccounts the pods run as.
    pub(crate) pod_account_count: usize,
    /// Per pod of the world, the place of its namespace among the pods' distinct ones.
    pub(crate) pod_namespaces: Vec<u32>,
    /// How many distinct namespaces the pods are in.
    pub(crate) pod_namespace_count: usize,
    /// Per pod of the world, whether it is a real Pod (not a template): read for every pod a
    /// principal walks, without the rest of the pod.
    pub(crate) pod_running: Vec<bool>,
    /// Every pod's place in the world's pods, in order (a principal allowed into every pod
    /// walks them all).
    pub(crate) all_pods: Vec<u32>,
}

impl<'a> Indexes<'a> {
    /// The indexes of a world (those by name are built when first asked for).
    pub(crate) fn new(world: &'a World) -> Indexes<'a> {
        let mut unlabelled = false;
        let pod_security_candidates = world
            .service_accounts
            .keys()
            .map(String::as_str)
            .filter(|ns| {
                world.pod_security.contains_key(*ns) || !std::mem::replace(&mut unlabelled, true)
            })
            .collect();
        let (pod_accounts, pod_account_count) = places(
            world
                .pods
                .iter()
                .map(|p| (p.namespace.as_str(), p.service_account.as_str())),
        );
        let (pod_namespaces, pod_namespace_count) =
            places(world.pods.iter().map(|p| p.namespace.as_str()));
        Indexes {
            all_pods: (0..world.pods.len() as u32).collect(),
            pod_running: world.pods.iter().map(|p| p.running).collect(),
            pod_accounts,
            pod_account_count,
            pod_namespaces,
            pod_namespace_count,
            pod_security_candidates,
            service_accounts: world.service_accounts.iter().collect(),
            service_account_names: OnceLock::new(),
            names: OnceLock::new(),
        }
    }

    /// The places in [`Indexes::service_accounts`] of the namespaces with a ServiceAccount of
    /// one of these names, in order (a hash collision may add a namespace without one: callers
    /// compare names).
    pub(crate) fn namespaces_with_service_accounts(&self, names: &BTreeSet<String>) -> Vec<u32> {
        let (hasher, index) = self.service_account_names.get_or_init(|| {
            let hasher = ahash::RandomState::new();
            let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
            for (at, (_, accounts)) in self.service_accounts.iter().enumerate() {
                for name in accounts.iter() {
                    index
                        .entry(hasher.hash_one(name.as_str()))
                        .or_default()
                        .push(at as u32);
                }
            }
            (hasher, index)
        });
        let mut found: Vec<u32> = names
            .iter()
            .flat_map(|name| {
                index
                    .get(&hasher.hash_one(name.as_str()))
                    .into_iter()
                    .flatten()
            })
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// RoleBindings and roles by name, built on first use.
    pub(crate) fn names(&self, model: &AccessModel) -> &Names {
        self.names.get_or_init(|| {
            let mut names = Names::default();
            for (id, b) in model.bindings.iter().enumerate() {
                if b.kind == BindingKind::RoleBinding {
                    let key = names.hasher.hash_one(b.name.as_str());
                    names.role_bindings.entry(key).or_default().push(id);
                }
            }
            for (id, r) in model.roles.iter().enumerate() {
                let key = names.hasher.hash_one(r.name.as_str());
                names.roles.entry(key).or_default().push(id);
            }
            names
        })
    }
}

/// Each key's place among the distinct keys, in order of first appearance, and how many there
/// are.
fn places<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = K>) -> (Vec<u32>, usize) {
    let mut seen: HashMap<K, u32, ahash::RandomState> = HashMap::default();
    let at = keys
        .map(|k| {
            let next = seen.len() as u32;
            *seen.entry(k).or_insert(next)
        })
        .collect();
    (at, seen.len())
}

/// RoleBindings and roles by the hash of their name, each list in id order. A list may hold
/// other names of the same hash: lookups compare names.
#[derive(Default)]
pub(crate) struct Names {
    hasher: ahash::RandomState,
    /// RoleBindings (in every namespace).
    role_bindings: HashMap<u64, Vec<usize>>,
    /// Roles and ClusterRoles.
    roles: HashMap<u64, Vec<RoleId>>,
}

impl Names {
    /// The RoleBindings named `name`, in id order.
    pub(crate) fn role_bindings<'s>(
        &'s self,
        model: &'s AccessModel,
        name: &'s str,
    ) -> impl Iterator<Item = usize> + 's {
        self.hashed(&self.role_bindings, name)
            .filter(move |&b| model.bindings[b].name == name)
    }

    /// The Roles and ClusterRoles named `name`, in id order.
    pub(crate) fn roles<'s>(
        &'s self,
        model: &'s AccessModel,
        name: &'s str,
    ) -> impl Iterator<Item = RoleId> + 's {
        self.hashed(&self.roles, name)
            .filter(move |&r| model.roles[r].name == name)
    }

    /// The ids kept under the hash of `name` (callers compare names).
    fn hashed<'s>(
        &'s self,
        index: &'s HashMap<u64, Vec<usize>>,
        name: &str,
    ) -> impl Iterator<Item = usize> + 's {
        index
            .get(&self.hasher.hash_one(name))
            .into_iter()
            .flatten()
            .copied()
    }
}
