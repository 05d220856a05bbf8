//! The NetworkPolicy engine: pure, synchronous, I/O-free.
//!
//! Build a [`NetworkModel`] once from raw Kubernetes objects (Namespaces, Pods, Nodes,
//! NetworkPolicies, and the cluster-wide AdminNetworkPolicy / BaselineAdminNetworkPolicy /
//! ClusterNetworkPolicy tiers), normalised as the API server would. Then ask:
//!
//! * [`NetworkModel::default_deny`]: per namespace and direction, strict default-deny,
//!   all-pods-isolated, allow-all override, the policies involved and per-pod isolation;
//! * [`NetworkModel::can_reach`]: can A open a connection to B on port/protocol, with the
//!   deciding policy and rule on each side and an `implementationDefined` flag where CNIs differ;
//! * [`NetworkModel::matrix`]: the pod × pod grid for one port/protocol.
//!
//! Every result is a `Serialize` struct; nothing here prints.
//!
//! ```
//! use kubeaudit::netpol::{Endpoint, NetworkModel, Protocol};
//! use serde_json::json;
//!
//! let objects = vec![
//!     (json!({"apiVersion": "v1", "kind": "Pod",
//!             "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
//!             "status": {"podIP": "10.0.0.5"}}), "example".to_string()),
//!     (json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
//!             "metadata": {"name": "deny-all", "namespace": "shop"},
//!             "spec": {"podSelector": {}}}), "example".to_string()),
//! ];
//! let model = NetworkModel::from_objects(objects)?;
//! let r = model.can_reach(&Endpoint::parse("203.0.113.7")?, &Endpoint::parse("shop/web")?, 80, Protocol::Tcp)?;
//! assert!(!r.allowed);
//! # Ok::<(), kubeaudit::netpol::NetpolError>(())
//! ```

pub mod admin;
pub mod cidr;
pub mod deny;
pub mod error;
pub mod eval;
pub mod filter;
pub mod matrix;
pub mod model;
pub mod policy;
mod raw;
pub mod reach;
pub mod selector;
pub mod types;

pub use admin::{AdminAction, AdminPolicy, Tier};
pub use cidr::{Cidr, IpBlock};
pub use deny::{
    DefaultDenyReport, DirectionPosture, IncompleteReason, NamespacePosture, NotIsolatedReason,
    PodIsolation, PolicyPosture, PolicyRole,
};
pub use error::{NetpolError, ObjectError, ObjectRef, Warning, WarningCode};
pub use eval::{Decision, Note, RuleMatch, SideVerdict};
pub use filter::NamespaceFilter;
pub use matrix::Matrix;
pub use model::{
    ContainerPort, ModelOptions, Namespace, NetworkModel, Node, Pod, METADATA_NAME_LABEL,
};
pub use policy::{NetworkPolicy, Peer, PortRef, PortSpec, Rule};
pub use reach::{EndpointKind, ImplementationDefined, Reachability, ResolvedEndpoint};
pub use selector::{LabelSelector, Labels};
pub use types::{validate_port, Direction, Endpoint, PolicyKind, PolicyRef, Protocol};

#[cfg(test)]
mod tests;
