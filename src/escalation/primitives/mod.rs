//! The primitives: how a principal's permissions become hops. Every permission is asked of the
//! evaluator ([`Escalation::allowed`]); the principal's rules only narrow down which names and
//! namespaces are worth asking about.
//!
//! A namespaced permission is asked once cluster-wide (only ClusterRoleBindings grant that,
//! and then in every namespace) and once in each namespace where the principal has
//! RoleBindings, never namespace by namespace across the cluster. "Any ServiceAccount of a
//! namespace" (and of every namespace, and of every pod) are hubs of the graph, so a
//! cluster-wide grant is one edge, not one per ServiceAccount.

mod credentials;
mod me;
mod out;
mod pods;
mod rbac;

use std::collections::BTreeSet;

use compact_str::CompactString;

use super::graph::{Hops, PodHop, Step};
use super::{Escalation, Grant, HopInfo, Power, Primitive, Principal, World};
use crate::model::{BindingKind, PolicyRule, RoleKind};
use crate::rbac::rule::{group_matches, resource_matches, verb_matches};
use crate::rbac::{Attributes, NonResourceAttributes, ResourceAttributes, SYSTEM_MASTERS};

use credentials::*;
use me::*;
use out::*;
use pods::*;
use rbac::*;

pub(crate) use me::Reach;
pub use me::EVERY_NAMESPACE;
#[cfg(test)]
pub(crate) use pods::workload_kind;
pub(crate) use pods::{into_pod, pod_hop_info};

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
pub(crate) fn hops(e: &Escalation, p: &Principal, admin_only: bool) -> Hops {
    let mut out = Out {
        e,
        hops: Vec::new(),
        texts: Vec::new(),
        admin_only,
        deferred_users: None,
    };
    match p {
        Principal::ClusterAdmin => return Hops::default(),
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
                .position(|step| matches!(step, Step::To(to, _) if *to == Principal::ClusterAdmin))
            {
                let first = out.hops.swap_remove(from + i);
                out.hops = vec![first];
                // (A hop to cluster-admin is never into a pod: no pod hop is left.)
                out.texts.clear();
                out.deferred_users = None;
                break;
            }
        }
    }
    if let Some(users) = out.deferred_users.take() {
        // In their place: after the hops found before them.
        let after = out.hops.split_off(users.at);
        users.hop_all(&mut out, &m);
        out.hops.extend(after);
    }
    // (Runs of pod hops never include its own ServiceAccount: see `running_pods`.)
    out.hops.retain(|step| match step {
        Step::To(to, _) => to != p,
        Step::Pods { .. } => true,
    });
    Hops {
        steps: out.hops,
        texts: out.texts,
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
        texts: Vec::new(),
        admin_only: false,
        deferred_users: None,
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
