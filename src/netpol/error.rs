//! Errors and warnings of the NetworkPolicy engine: every one names the object it is about.

use serde::Serialize;
use std::fmt;
use thiserror::Error;

/// Identifies one input object (kind, namespace/name and where it came from).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// The object's `kind`, e.g. `NetworkPolicy`.
    pub kind: String,
    /// `metadata.namespace` after defaulting; `None` for cluster-scoped objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `metadata.name`, or `(unnamed)` when the object has none.
    pub name: String,
    /// The caller's description of where the object came from (file and document, context…).
    pub source: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{} ({})", self.kind, ns, self.name, self.source),
            None => write!(f, "{} {} ({})", self.kind, self.name, self.source),
        }
    }
}

/// One invalid field of one input object: something the API server would reject.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(rename_all = "camelCase")]
#[error("{object}: field `{field}`: {message}")]
pub struct ObjectError {
    /// The offending object.
    pub object: ObjectRef,
    /// JSON path of the field inside the object, e.g. `spec.ingress[0].ports[1].port`.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Errors of the NetworkPolicy engine.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum NetpolError {
    /// One or more input objects are invalid; all of them are listed.
    #[error("{}", format_object_errors(.0))]
    InvalidObjects(Vec<ObjectError>),
    /// An endpoint string is neither `NAMESPACE/POD` nor an IP address.
    #[error("invalid endpoint `{input}`: {reason}")]
    InvalidEndpoint {
        /// The string as given.
        input: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A `NAMESPACE/POD` endpoint names a pod the model does not contain.
    #[error("pod {namespace}/{name} not found{}", if *.pods_loaded { "" } else { " (no Pod objects were loaded)" })]
    PodNotFound {
        /// Namespace of the missing pod.
        namespace: String,
        /// Name of the missing pod.
        name: String,
        /// Whether any Pod objects were loaded at all.
        pods_loaded: bool,
    },
    /// A port outside 1–65535.
    #[error("invalid port {0}: expected a number from 1 to 65535")]
    InvalidPort(i64),
    /// A protocol other than TCP, UDP or SCTP.
    #[error("invalid protocol `{0}`: expected TCP, UDP or SCTP")]
    InvalidProtocol(String),
    /// A namespace exclusion pattern that is not a valid glob.
    #[error("invalid namespace pattern `{pattern}`: {reason}")]
    InvalidPattern {
        /// The pattern as given.
        pattern: String,
        /// The glob parser's complaint.
        reason: String,
    },
}

fn format_object_errors(errors: &[ObjectError]) -> String {
    let mut out = format!("{} invalid object field(s):", errors.len());
    for e in errors {
        out.push_str("\n  ");
        out.push_str(&e.to_string());
    }
    out
}

/// What a [`Warning`] is about; stable identifiers for printers and lint rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum WarningCode {
    /// An object had no `metadata.namespace`; the default namespace was assumed.
    MissingNamespace,
    /// Pods or policies live in a namespace for which no Namespace object was given, so its
    /// labels other than `kubernetes.io/metadata.name` are unknown.
    NamespaceObjectMissing,
    /// A Namespace's `kubernetes.io/metadata.name` label differed from its name; the API
    /// server always sets it to the name, so it was corrected.
    MetadataNameLabelCorrected,
    /// The same object (kind, namespace, name) appeared twice; the later one replaced the earlier.
    DuplicateObject,
    /// `policyTypes` is explicit and omits a direction that has rules: the API server keeps
    /// those rules but they have no effect.
    StrayRulesIgnored,
    /// A named port in a policy is not declared by any loaded pod (with that protocol).
    NamedPortUnmatched,
    /// A named port exists on some pods, but only with a different protocol than the rule's.
    NamedPortProtocolMismatch,
    /// A CIDR had host bits set; it was read as its network address.
    NonCanonicalCidr,
    /// A policy's podSelector (or admin subject) selects none of the loaded pods.
    PolicySelectsNoPods,
    /// A running pod has no IP in its status; ipBlock rules cannot be evaluated against it.
    PodWithoutIp,
    /// A pod in phase Succeeded or Failed was skipped: it sends and receives nothing.
    TerminatedPodSkipped,
    /// A network-policy kind this engine does not evaluate (Calico, Cilium, …) was loaded.
    UnsupportedPolicyKind,
    /// Several admin-tier policies share a priority; which one wins is implementation-defined.
    DuplicatePriority,
    /// A peer uses the deprecated `sameLabels`/`notSameLabels` namespace selection of
    /// policy.networking.k8s.io/v1alpha1 (removed from later versions).
    DeprecatedAdminPeer,
}

/// A non-fatal observation about the input, returned as data with results.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// What kind of observation this is.
    pub code: WarningCode,
    /// The object concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    /// The field concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A human-readable explanation.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(o) = &self.object {
            write!(f, "{o}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}
