//! The RBAC evaluator and the rest of the authorizer chain: pure, synchronous, I/O-free.

pub mod abac;
pub mod attributes;
pub mod authorize;
pub mod can_i;
pub mod cani_args;
pub mod chain;
pub mod chain_subjects;
pub mod identity;
pub mod impersonation;
pub mod matrix;
pub mod node;
pub mod review;
pub mod rule;
pub mod rules_list;
pub mod who_can;

pub use attributes::{Attributes, NonResourceAttributes, ResourceAttributes, UserInfo};
pub use authorize::{Decision, Explain, Grant, NearMiss, ObjectRef, SYSTEM_MASTERS};
pub use chain::{Authorizer, Chain, ChainDecision, Mode, Outcome, Verdict};
