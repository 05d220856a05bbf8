//! The API server's authorizer chain: the privileged-group authorizer (`system:masters`)
//! first, then the configured modes in order; the first Allow or Deny wins and NoOpinion
//! moves on. At the end of the chain NoOpinion means forbidden.
//!
//! Some authorizers cannot be evaluated locally (webhooks; an authorizer whose data could not
//! be read). Their answer is Unknown, and the chain then says Indeterminate unless the outcome
//! is the same whatever they answer.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::abac::{AbacDecision, AbacPolicyList};
use super::attributes::{Attributes, UserInfo};
use super::authorize::{Decision, Explain, SYSTEM_MASTERS};
use super::node::{FieldRequirement, NodeAuthorizer, NodeDecision, NodeVerdict};
use crate::model::AccessModel;

/// The reason the AlwaysDeny authorizer gives (it has no opinion rather than denying).
pub const EVERYTHING_FORBIDDEN: &str = "Everything is forbidden.";

/// A configurable authorization mode (`--authorization-mode` value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// Allows everything.
    AlwaysAllow,
    /// Has no opinion on anything ("Everything is forbidden.").
    AlwaysDeny,
    /// The ABAC policy file.
    #[serde(rename = "ABAC")]
    Abac,
    /// RBAC.
    #[serde(rename = "RBAC")]
    Rbac,
    /// The Node authorizer.
    Node,
    /// A webhook (not evaluable locally).
    Webhook,
}

impl Mode {
    /// The mode's name as `--authorization-mode` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::AlwaysAllow => "AlwaysAllow",
            Mode::AlwaysDeny => "AlwaysDeny",
            Mode::Abac => "ABAC",
            Mode::Rbac => "RBAC",
            Mode::Node => "Node",
            Mode::Webhook => "Webhook",
        }
    }
}

/// A problem with a chain configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ChainError {
    /// A mode name that does not exist (names are case-sensitive).
    #[error("unknown authorization mode {0:?} (expected AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node or Webhook)")]
    UnknownMode(String),
    /// A mode listed twice.
    #[error("authorization-mode {0:?} has mode specified more than once")]
    DuplicateMode(String),
    /// No mode at all.
    #[error("at least one authorization-mode must be passed")]
    Empty,
}

impl FromStr for Mode {
    type Err = ChainError;

    fn from_str(s: &str) -> Result<Mode, ChainError> {
        [
            Mode::AlwaysAllow,
            Mode::AlwaysDeny,
            Mode::Abac,
            Mode::Rbac,
            Mode::Node,
            Mode::Webhook,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
        .ok_or_else(|| ChainError::UnknownMode(s.to_string()))
    }
}

/// Parses an `--authorization-mode` value such as `Node,RBAC`.
pub fn parse_authorization_modes(value: &str) -> Result<Vec<Mode>, ChainError> {
    if value.trim().is_empty() {
        return Err(ChainError::Empty);
    }
    let mut modes = Vec::new();
    for part in value.split(',') {
        let mode: Mode = part.trim().parse()?;
        if modes.contains(&mode) {
            return Err(ChainError::DuplicateMode(mode.as_str().to_string()));
        }
        modes.push(mode);
    }
    Ok(modes)
}

/// An authorizer in the chain, for results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Authorizer {
    /// The built-in `system:masters` authorizer that always runs first.
    PrivilegedGroup,
    /// AlwaysAllow.
    AlwaysAllow,
    /// AlwaysDeny.
    AlwaysDeny,
    /// ABAC.
    #[serde(rename = "ABAC")]
    Abac,
    /// RBAC.
    #[serde(rename = "RBAC")]
    Rbac,
    /// Node.
    Node,
    /// Webhook.
    Webhook,
}

impl From<Mode> for Authorizer {
    fn from(m: Mode) -> Authorizer {
        match m {
            Mode::AlwaysAllow => Authorizer::AlwaysAllow,
            Mode::AlwaysDeny => Authorizer::AlwaysDeny,
            Mode::Abac => Authorizer::Abac,
            Mode::Rbac => Authorizer::Rbac,
            Mode::Node => Authorizer::Node,
            Mode::Webhook => Authorizer::Webhook,
        }
    }
}

impl Authorizer {
    /// The name kube-apiserver uses (`RBAC`, `Node`, …; `system:masters` for the privileged group).
    pub fn as_str(self) -> &'static str {
        match self {
            Authorizer::PrivilegedGroup => "system:masters",
            Authorizer::AlwaysAllow => "AlwaysAllow",
            Authorizer::AlwaysDeny => "AlwaysDeny",
            Authorizer::Abac => "ABAC",
            Authorizer::Rbac => "RBAC",
            Authorizer::Node => "Node",
            Authorizer::Webhook => "Webhook",
        }
    }

    /// True when this authorizer can answer Deny (only webhooks can).
    pub fn can_deny(self) -> bool {
        self == Authorizer::Webhook
    }
}

/// One authorizer's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// Allowed; ends the chain.
    Allow,
    /// Denied; ends the chain.
    Deny,
    /// No opinion; the next authorizer decides.
    NoOpinion,
    /// Cannot be evaluated by kubeaudit (webhook, or missing data).
    Unknown,
}

/// The chain's overall outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Allowed.
    Allow,
    /// Explicitly denied (HTTP 403).
    Deny,
    /// Nobody had an opinion: forbidden (HTTP 403).
    NoOpinion,
    /// Depends on an authorizer kubeaudit cannot evaluate.
    Indeterminate,
}

/// One consulted authorizer and its answer, with the details behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainStep {
    /// Which authorizer.
    pub authorizer: Authorizer,
    /// Its answer.
    pub verdict: Verdict,
    /// Its reason (may be empty).
    pub reason: String,
    /// RBAC details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rbac: Option<Decision>,
    /// ABAC details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abac: Option<AbacDecision>,
    /// Node details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<NodeDecision>,
}

impl ChainStep {
    fn simple(authorizer: Authorizer, verdict: Verdict, reason: impl Into<String>) -> Self {
        ChainStep {
            authorizer,
            verdict,
            reason: reason.into(),
            rbac: None,
            abac: None,
            node: None,
        }
    }
}

/// The chain's decision for one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainDecision {
    /// The outcome.
    pub outcome: Outcome,
    /// `Some(true)` for Allow, `Some(false)` for Deny and NoOpinion, `None` when
    /// indeterminate.
    pub allowed: Option<bool>,
    /// The authorizer whose Allow or Deny ended the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Authorizer>,
    /// The deciding authorizer's reason; for NoOpinion all reasons, one per line; for
    /// Indeterminate what could not be evaluated.
    pub reason: String,
    /// Authorizers consulted whose answer kubeaudit cannot know.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<Authorizer>,
    /// When indeterminate: the outcome if every unknown authorizer had no opinion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<Outcome>,
    /// Every authorizer consulted, in order.
    pub steps: Vec<ChainStep>,
}

impl ChainDecision {
    /// Which authorizer decided and why, in one line: `Node: pod shop/web on node node-1
    /// references secret shop/db`, `ABAC: line 7 of policy.jsonl`, `Webhook: <reason>`.
    pub fn explanation(&self) -> String {
        let Some(by) = self.decided_by else {
            return match self.outcome {
                Outcome::Indeterminate => format!(
                    "cannot tell: {} decides and could not be evaluated ({})",
                    self.unknown
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    self.reason
                ),
                _ => "no authorizer allowed it".to_string(),
            };
        };
        let step = self.steps.iter().find(|s| s.authorizer == by);
        let detail = match (by, step) {
            (Authorizer::PrivilegedGroup, _) => "the user is in group system:masters".to_string(),
            (Authorizer::AlwaysAllow, _) => "every request is allowed".to_string(),
            (Authorizer::Node, Some(s)) => match &s.node {
                Some(d) => node_explanation(d),
                None => s.reason.clone(),
            },
            (Authorizer::Abac, Some(s)) => match s.abac.as_ref().and_then(|d| d.policy.as_ref()) {
                Some(p) => format!("line {} of the policy file", p.line),
                None => s.reason.clone(),
            },
            (_, Some(s)) => s.reason.clone(),
            (_, None) => String::new(),
        };
        if detail.is_empty() {
            by.as_str().to_string()
        } else {
            format!("{}: {detail}", by.as_str())
        }
    }
}

/// The one-line explanation of a Node authorizer's Allow (`pod X on node Y references
/// secret Z`).
pub fn node_explanation(d: &NodeDecision) -> String {
    let node = d.node.as_deref().unwrap_or("");
    if let Some(rule) = &d.static_rule {
        return format!(
            "node {node} is allowed by static node rule {} (the system:node role's rules)",
            rule.index
        );
    }
    let name = |v: &super::node::Vertex| {
        let kind = format!("{:?}", v.kind);
        let mut kind = kind.to_string();
        kind.make_ascii_lowercase();
        if v.namespace.is_empty() {
            format!("{kind} {}", v.name)
        } else {
            format!("{kind} {}/{}", v.namespace, v.name)
        }
    };
    match d.path.as_slice() {
        [] => d.reason.clone(),
        [object, rest @ ..] => {
            let via: Vec<String> = rest
                .iter()
                .filter(|v| v.kind != super::node::VertexKind::Node)
                .map(name)
                .collect();
            if via.is_empty() {
                format!("{} is bound to node {node}", name(object))
            } else {
                format!(
                    "{} on node {node} references {}",
                    via.join(" → "),
                    name(object)
                )
            }
        }
    }
}

/// A configured chain with the data its authorizers need. Data left `None` makes that
/// authorizer's answer Unknown (for Node: for node identities only).
#[derive(Debug, Clone, Default)]
pub struct Chain<'a> {
    /// The modes after the privileged-group authorizer, in order.
    pub modes: Vec<Mode>,
    /// RBAC's compiled model.
    pub rbac: Option<&'a AccessModel>,
    /// ABAC's policy file.
    pub abac: Option<&'a AbacPolicyList>,
    /// The Node authorizer.
    pub node: Option<&'a NodeAuthorizer>,
    /// The webhook's answer to this request, when it was asked (kubeaudit asks it only
    /// when the chain reaches it); without one the webhook is Unknown.
    pub webhook: Option<(Verdict, String)>,
}

/// RBAC kinds whose absence can hide a grant.
const RBAC_KINDS: &[&str] = &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

impl<'a> Chain<'a> {
    /// A chain of these modes, without data.
    pub fn new(modes: Vec<Mode>) -> Chain<'a> {
        Chain {
            modes,
            ..Default::default()
        }
    }

    /// Sets RBAC's model.
    pub fn with_rbac(mut self, model: &'a AccessModel) -> Chain<'a> {
        self.rbac = Some(model);
        self
    }

    /// Sets the ABAC policy.
    pub fn with_abac(mut self, policy: &'a AbacPolicyList) -> Chain<'a> {
        self.abac = Some(policy);
        self
    }

    /// Sets the Node authorizer.
    pub fn with_node(mut self, node: &'a NodeAuthorizer) -> Chain<'a> {
        self.node = Some(node);
        self
    }

    /// Decides a request (no field selector).
    pub fn authorize(
        &self,
        user: &UserInfo,
        attrs: &Attributes,
        explain: Explain,
    ) -> ChainDecision {
        self.authorize_with_fields(user, attrs, &[], explain)
    }

    /// Decides a request whose list/watch carries these field-selector requirements.
    pub fn authorize_with_fields(
        &self,
        user: &UserInfo,
        attrs: &Attributes,
        fields: &[FieldRequirement],
        explain: Explain,
    ) -> ChainDecision {
        let mut steps = Vec::new();
        let mut unknown: Vec<Authorizer> = Vec::new();
        let authorizers = std::iter::once(Authorizer::PrivilegedGroup)
            .chain(self.modes.iter().map(|&m| Authorizer::from(m)));
        for authorizer in authorizers {
            let step = self.step(authorizer, user, attrs, fields, explain);
            let verdict = step.verdict;
            let reason = step.reason.clone();
            steps.push(step);
            match verdict {
                Verdict::NoOpinion => {}
                Verdict::Unknown => unknown.push(authorizer),
                Verdict::Allow | Verdict::Deny => {
                    let outcome = if verdict == Verdict::Allow {
                        Outcome::Allow
                    } else {
                        Outcome::Deny
                    };
                    // An earlier unknown authorizer that can only allow or abstain cannot
                    // change a later Allow; one that can deny (a webhook) could.
                    let determinate = unknown.is_empty()
                        || (outcome == Outcome::Allow && !unknown.iter().any(|a| a.can_deny()));
                    if determinate {
                        return ChainDecision {
                            outcome,
                            allowed: Some(outcome == Outcome::Allow),
                            decided_by: Some(authorizer),
                            reason,
                            unknown,
                            otherwise: None,
                            steps,
                        };
                    }
                    return indeterminate(steps, unknown, outcome);
                }
            }
        }
        if unknown.is_empty() {
            let reason = steps
                .iter()
                .map(|s| s.reason.as_str())
                .filter(|r| !r.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            return ChainDecision {
                outcome: Outcome::NoOpinion,
                allowed: Some(false),
                decided_by: None,
                reason,
                unknown,
                otherwise: None,
                steps,
            };
        }
        indeterminate(steps, unknown, Outcome::NoOpinion)
    }

    fn step(
        &self,
        authorizer: Authorizer,
        user: &UserInfo,
        attrs: &Attributes,
        fields: &[FieldRequirement],
        explain: Explain,
    ) -> ChainStep {
        match authorizer {
            Authorizer::PrivilegedGroup => {
                let v = if user.groups.iter().any(|g| g == SYSTEM_MASTERS) {
                    Verdict::Allow
                } else {
                    Verdict::NoOpinion
                };
                ChainStep::simple(authorizer, v, "")
            }
            Authorizer::AlwaysAllow => ChainStep::simple(authorizer, Verdict::Allow, ""),
            Authorizer::AlwaysDeny => {
                ChainStep::simple(authorizer, Verdict::NoOpinion, EVERYTHING_FORBIDDEN)
            }
            Authorizer::Webhook => match &self.webhook {
                Some((verdict, reason)) => ChainStep::simple(authorizer, *verdict, reason.clone()),
                None => ChainStep::simple(
                    authorizer,
                    Verdict::Unknown,
                    "a webhook authorizer decides here and was not asked (give --authorization-webhook-config-file)",
                ),
            },
            Authorizer::Abac => match self.abac {
                None => ChainStep::simple(
                    authorizer,
                    Verdict::Unknown,
                    "ABAC is configured but no policy file was given",
                ),
                Some(policy) => {
                    let d = policy.authorize(user, attrs);
                    ChainStep {
                        verdict: if d.allowed {
                            Verdict::Allow
                        } else {
                            Verdict::NoOpinion
                        },
                        reason: d.reason.clone(),
                        abac: Some(d),
                        ..ChainStep::simple(authorizer, Verdict::NoOpinion, "")
                    }
                }
            },
            Authorizer::Rbac => match self.rbac {
                None => ChainStep::simple(
                    authorizer,
                    Verdict::Unknown,
                    "RBAC is configured but no RBAC data was given",
                ),
                Some(model) => rbac_step(model, user, attrs, explain),
            },
            Authorizer::Node => match self.node {
                None if super::node::node_identity(user).is_some() => ChainStep::simple(
                    authorizer,
                    Verdict::Unknown,
                    "Node is configured but the Node authorizer's data was not given",
                ),
                None => ChainStep::simple(authorizer, Verdict::NoOpinion, ""),
                Some(node) => {
                    let d = node.authorize(user, attrs, fields);
                    ChainStep {
                        verdict: match d.verdict {
                            NodeVerdict::Allow => Verdict::Allow,
                            NodeVerdict::NoOpinion => Verdict::NoOpinion,
                            NodeVerdict::Unknown => Verdict::Unknown,
                        },
                        reason: d.reason.clone(),
                        node: Some(d),
                        ..ChainStep::simple(authorizer, Verdict::NoOpinion, "")
                    }
                }
            },
        }
    }
}

fn rbac_step(
    model: &AccessModel,
    user: &UserInfo,
    attrs: &Attributes,
    explain: Explain,
) -> ChainStep {
    let d = model.authorize(user, attrs, explain);
    let granted = !d.grants.is_empty();
    // RBAC objects the source could not read may hold the grant that was not found.
    let missing: Vec<String> = model
        .missing
        .iter()
        .filter(|m| RBAC_KINDS.contains(&m.kind.as_str()))
        .filter(|m| {
            m.namespace
                .as_deref()
                .is_none_or(|ns| ns == attrs.namespace())
        })
        .map(|m| match &m.namespace {
            Some(ns) => format!("{} in namespace {ns}: {}", m.kind, m.reason),
            None => format!("{}: {}", m.kind, m.reason),
        })
        .collect();
    let (verdict, reason) = if granted {
        (Verdict::Allow, d.reason())
    } else if !missing.is_empty() {
        (
            Verdict::Unknown,
            format!(
                "RBAC grants nothing in the data read, but some RBAC objects could not be read ({})",
                missing.join("; ")
            ),
        )
    } else {
        (Verdict::NoOpinion, d.reason())
    };
    ChainStep {
        authorizer: Authorizer::Rbac,
        verdict,
        reason,
        rbac: Some(d),
        abac: None,
        node: None,
    }
}

fn indeterminate(
    steps: Vec<ChainStep>,
    unknown: Vec<Authorizer>,
    otherwise: Outcome,
) -> ChainDecision {
    let reason = steps
        .iter()
        .filter(|s| s.verdict == Verdict::Unknown)
        .map(|s| s.reason.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    ChainDecision {
        outcome: Outcome::Indeterminate,
        allowed: None,
        decided_by: None,
        reason,
        unknown,
        otherwise: Some(otherwise),
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Inventory, MissingData, Origin};
    use crate::rbac::abac::parse_abac_policy;
    use crate::rbac::node::{NodeFeatures, NodeGraph};
    use crate::rbac::ResourceAttributes;
    use serde_json::json;

    fn model(objects: Vec<serde_json::Value>) -> AccessModel {
        let mut inv = Inventory::default();
        inv.add_objects(
            objects
                .into_iter()
                .map(|o| {
                    (
                        o,
                        Origin {
                            source: "t".into(),
                            document: 0,
                            line: 0,
                        },
                    )
                })
                .collect(),
        )
        .unwrap();
        AccessModel::build(&inv)
    }

    fn alice() -> UserInfo {
        UserInfo {
            name: "alice".into(),
            groups: vec!["system:authenticated".into()],
        }
    }

    fn get_pods() -> Attributes {
        Attributes::Resource(ResourceAttributes {
            verb: "get".into(),
            resource: "pods".into(),
            namespace: "ns1".into(),
            ..Default::default()
        })
    }

    fn grant() -> AccessModel {
        model(vec![
            json!({"kind":"ClusterRole","metadata":{"name":"r"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]}),
            json!({"kind":"ClusterRoleBinding","metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"r"},"subjects":[{"kind":"User","name":"alice"}]}),
        ])
    }

    #[test]
    fn modes_parse() {
        assert_eq!(
            parse_authorization_modes("Node,RBAC").unwrap(),
            [Mode::Node, Mode::Rbac]
        );
        assert!(matches!(
            parse_authorization_modes("RBAC,rbac"),
            Err(ChainError::UnknownMode(_))
        ));
        assert!(matches!(
            parse_authorization_modes("RBAC,RBAC"),
            Err(ChainError::DuplicateMode(_))
        ));
        assert_eq!(parse_authorization_modes(""), Err(ChainError::Empty));
    }

    #[test]
    fn first_decisive_wins_and_reasons_join() {
        let m = grant();
        let d = Chain::new(vec![Mode::AlwaysDeny, Mode::Rbac])
            .with_rbac(&m)
            .authorize(&alice(), &get_pods(), Explain::default());
        assert_eq!(d.outcome, Outcome::Allow);
        assert_eq!(d.decided_by, Some(Authorizer::Rbac));
        assert!(
            d.reason.starts_with("RBAC: allowed by ClusterRoleBinding"),
            "{}",
            d.reason
        );
        assert_eq!(d.steps.len(), 3);

        let empty = model(vec![]);
        let policy = parse_abac_policy("p", "{\"user\":\"bob\"}").unwrap();
        let d = Chain::new(vec![Mode::AlwaysDeny, Mode::Abac, Mode::Rbac])
            .with_rbac(&empty)
            .with_abac(&policy)
            .authorize(&alice(), &get_pods(), Explain::default());
        assert_eq!(d.outcome, Outcome::NoOpinion);
        assert_eq!(d.allowed, Some(false));
        assert_eq!(d.reason, "Everything is forbidden.\nNo policy matched.");

        let root = UserInfo {
            name: "root".into(),
            groups: vec![SYSTEM_MASTERS.into()],
        };
        let d = Chain::new(vec![Mode::Webhook]).authorize(&root, &get_pods(), Explain::default());
        assert_eq!(d.decided_by, Some(Authorizer::PrivilegedGroup));
        assert_eq!(d.steps.len(), 1);
    }

    #[test]
    fn unknown_authorizers() {
        let m = grant();
        // A webhook before an Allow could have denied.
        let d = Chain::new(vec![Mode::Webhook, Mode::Rbac])
            .with_rbac(&m)
            .authorize(&alice(), &get_pods(), Explain::default());
        assert_eq!(d.outcome, Outcome::Indeterminate);
        assert_eq!(d.allowed, None);
        assert_eq!(d.otherwise, Some(Outcome::Allow));
        // After an Allow it is never consulted.
        let d = Chain::new(vec![Mode::Rbac, Mode::Webhook])
            .with_rbac(&m)
            .authorize(&alice(), &get_pods(), Explain::default());
        assert_eq!(d.outcome, Outcome::Allow);
        // After NoOpinion it decides.
        let empty = model(vec![]);
        let d = Chain::new(vec![Mode::Rbac, Mode::Webhook])
            .with_rbac(&empty)
            .authorize(&alice(), &get_pods(), Explain::default());
        assert_eq!(d.outcome, Outcome::Indeterminate);
        assert_eq!(d.otherwise, Some(Outcome::NoOpinion));
        // A node authorizer without its graph can only allow or abstain: a later RBAC
        // Allow stands.
        let blind = NodeAuthorizer::without_graph(NodeFeatures::default());
        let node = UserInfo {
            name: "system:node:n1".into(),
            groups: vec!["system:nodes".into()],
        };
        let secret = Attributes::Resource(ResourceAttributes {
            verb: "get".into(),
            resource: "secrets".into(),
            name: "s".into(),
            namespace: "ns1".into(),
            ..Default::default()
        });
        let d = Chain::new(vec![Mode::Node, Mode::Rbac])
            .with_node(&blind)
            .with_rbac(&empty)
            .authorize(&node, &secret, Explain::default());
        assert_eq!(d.outcome, Outcome::Indeterminate);
        let full = NodeAuthorizer::new(NodeGraph::new(), NodeFeatures::default());
        let d = Chain::new(vec![Mode::Node, Mode::Rbac])
            .with_node(&full)
            .with_rbac(&empty)
            .authorize(&node, &secret, Explain::default());
        assert_eq!(d.outcome, Outcome::NoOpinion);
        // Missing RBAC data turns an RBAC NoOpinion into Unknown, not into "no".
        let mut partial = grant();
        partial.missing.push(MissingData {
            kind: "RoleBinding".into(),
            namespace: Some("ns1".into()),
            reason: "forbidden".into(),
            code: Some(403),
        });
        let bob = UserInfo {
            name: "bob".into(),
            groups: vec![],
        };
        let chain = Chain::new(vec![Mode::Rbac]).with_rbac(&partial);
        assert_eq!(
            chain
                .authorize(&bob, &get_pods(), Explain::default())
                .outcome,
            Outcome::Indeterminate
        );
        assert_eq!(
            chain
                .authorize(&alice(), &get_pods(), Explain::default())
                .outcome,
            Outcome::Allow
        );
        let other_ns = Attributes::Resource(ResourceAttributes {
            verb: "get".into(),
            resource: "pods".into(),
            namespace: "ns2".into(),
            ..Default::default()
        });
        assert_eq!(
            chain.authorize(&bob, &other_ns, Explain::default()).outcome,
            Outcome::NoOpinion
        );
    }
}
