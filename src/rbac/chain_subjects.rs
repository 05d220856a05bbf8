//! `who-can` beyond RBAC: the subjects the other evaluable authorizers of a chain allow (ABAC
//! policy lines, the Node authorizer's nodes, AlwaysAllow). Only a webhook can deny, and a
//! webhook cannot be enumerated, so without one the union of these and RBAC's is exact.

use serde::Serialize;

use super::abac::AbacPolicyList;
use super::attributes::{Attributes, UserInfo};
use super::chain::Mode;
use super::node::{NodeAuthorizer, NodeVerdict, NODES_GROUP, NODE_USER_PREFIX};

/// A subject allowed by an authorizer other than RBAC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainSubject {
    /// `User` or `Group`.
    pub kind: String,
    /// The name (`*` for every user or group, as ABAC writes it).
    pub name: String,
    /// The authorizer that allows it (`ABAC`, `Node`, `AlwaysAllow`).
    pub authorizer: String,
    /// Why: the policy line, the node graph path, the static node rule.
    pub reason: String,
}

/// A name no node has, to ask what any node identity may do.
const ANY_NODE: &str = "\u{1}any-node";

/// The subjects `modes` allow beyond RBAC for `attrs`, in chain order.
pub fn chain_subjects(
    modes: &[Mode],
    abac: Option<&AbacPolicyList>,
    node: Option<&NodeAuthorizer>,
    attrs: &Attributes,
) -> Vec<ChainSubject> {
    let mut out = Vec::new();
    for mode in modes {
        match mode {
            Mode::AlwaysAllow => {
                for g in ["system:authenticated", "system:unauthenticated"] {
                    out.push(ChainSubject {
                        kind: "Group".into(),
                        name: g.into(),
                        authorizer: "AlwaysAllow".into(),
                        reason: "every request is allowed".into(),
                    });
                }
            }
            Mode::Abac => {
                let Some(policy) = abac else { continue };
                for p in &policy.policies {
                    let request_matches = p.verb_matches(attrs)
                        && (p.resource_matches(attrs) || p.non_resource_matches(attrs));
                    if !request_matches {
                        continue;
                    }
                    let reason = format!("line {} of {}", p.line, policy.source);
                    if !p.user.is_empty() {
                        out.push(ChainSubject {
                            kind: "User".into(),
                            name: p.user.clone(),
                            authorizer: "ABAC".into(),
                            reason: reason.clone(),
                        });
                    }
                    if !p.group.is_empty() {
                        out.push(ChainSubject {
                            kind: "Group".into(),
                            name: p.group.clone(),
                            authorizer: "ABAC".into(),
                            reason,
                        });
                    }
                }
            }
            Mode::Node => {
                let Some(node) = node else { continue };
                let ask = |name: &str| {
                    let user = UserInfo {
                        name: format!("{NODE_USER_PREFIX}{name}"),
                        groups: vec![NODES_GROUP.to_string()],
                    };
                    node.authorize(&user, attrs, &[])
                };
                let any = ask(ANY_NODE);
                if any.verdict == NodeVerdict::Allow {
                    out.push(ChainSubject {
                        kind: "Group".into(),
                        name: NODES_GROUP.into(),
                        authorizer: "Node".into(),
                        reason: "every node (user system:node:NAME in group system:nodes): static node rules".into(),
                    });
                    continue;
                }
                for name in node.graph.iter().flat_map(|g| g.node_names()) {
                    let d = ask(&name);
                    if d.verdict == NodeVerdict::Allow {
                        out.push(ChainSubject {
                            kind: "User".into(),
                            name: format!("{NODE_USER_PREFIX}{name}"),
                            authorizer: "Node".into(),
                            reason: super::chain::node_explanation(&d),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}
