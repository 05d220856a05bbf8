//! The `can-i` query: one request, one identity, the decision with its explanation and an
//! honest statement of how complete the data was.

use serde::{Deserialize, Serialize};

use super::attributes::{Attributes, UserInfo};
use super::authorize::{Explain, Grant, NearMiss};
use crate::model::{AccessModel, MissingData};

/// What `can-i` answers: the exact request evaluated, for whom, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanIReport {
    /// The request as evaluated (after kubeaudit's scope correction, see `notes`).
    pub request: Attributes,
    /// The identity, with the groups the API server would add.
    pub subject: UserInfo,
    /// The decision.
    pub allowed: bool,
    /// True when allowed because of `system:masters` (no RBAC object needed).
    pub privileged_group: bool,
    /// Every binding → role → rule that allows the request.
    pub grants: Vec<Grant>,
    /// For a denial: rules that would allow but for one field.
    pub near_misses: Vec<NearMiss>,
    /// Bindings of this identity whose role cannot be resolved (they grant nothing).
    pub errors: Vec<String>,
    /// The `status.reason` the API server would give.
    pub reason: String,
    /// False when some data could not be read: then a "no" is not certain.
    pub complete: bool,
    /// What could not be read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingData>,
    /// With an authorizer chain other than RBAC alone: the chain's decision (which
    /// authorizer decided, each one's answer). `allowed` and `reason` are then the chain's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<super::chain::ChainDecision>,
    /// With `--verify`: what the API server itself answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

/// The API server's own answer to the same question, and whether it agrees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// The review kind sent: SelfSubjectAccessReview or SubjectAccessReview.
    pub review: String,
    /// `status.allowed`.
    pub allowed: bool,
    /// `status.denied` (only a webhook authorizer denies explicitly).
    pub denied: bool,
    /// `status.reason`.
    pub reason: String,
    /// `status.evaluationError`.
    pub evaluation_error: String,
    /// True when the server's answer equals kubeaudit's.
    pub agrees: bool,
    /// Why they can differ, when they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

impl Verification {
    /// Builds the comparison of a local answer with the server's.
    pub fn compare(
        local_allowed: bool,
        review: &str,
        allowed: bool,
        denied: bool,
        reason: String,
        evaluation_error: String,
    ) -> Verification {
        let agrees = local_allowed == allowed;
        let explanation = match (agrees, local_allowed) {
            (true, _) => None,
            (false, false) => Some(
                "the API server allows what RBAC does not grant: another authorizer in its chain decided \
                 (the Node authorizer for kubelets, ABAC, a webhook, or AlwaysAllow) — RBAC is not the whole story"
                    .to_string(),
            ),
            (false, true) => Some(if denied {
                "RBAC grants this, but an authorizer before RBAC in the chain (a webhook) explicitly denied it".to_string()
            } else {
                "RBAC grants this locally, but the server did not allow it: the objects changed since they were read, \
                 or the server's RBAC data differs from the input (e.g. manifests not applied)"
                    .to_string()
            }),
        };
        Verification {
            review: review.to_string(),
            allowed,
            denied,
            reason,
            evaluation_error,
            agrees,
            explanation,
        }
    }
}

impl CanIReport {
    /// True when the answer cannot be trusted: denied, but data was missing (RBAC is
    /// additive, so a yes from partial data is still a yes).
    pub fn is_uncertain(&self) -> bool {
        match &self.chain {
            Some(c) => c.outcome == super::chain::Outcome::Indeterminate,
            None => !self.allowed && !self.complete,
        }
    }
}

/// Evaluates one request for one identity with a full explanation.
pub fn can_i(model: &AccessModel, subject: &UserInfo, request: &Attributes) -> CanIReport {
    let d = model.authorize(
        subject,
        request,
        Explain {
            all_grants: true,
            near_misses: true,
        },
    );
    CanIReport {
        request: request.clone(),
        subject: subject.clone(),
        allowed: d.allowed,
        privileged_group: d.privileged_group,
        reason: d.reason(),
        grants: d.grants,
        near_misses: d.near_misses,
        errors: d.errors,
        complete: model.is_complete_in(Some(request.namespace())),
        missing: model.missing.clone(),
        chain: None,
        verification: None,
    }
}
