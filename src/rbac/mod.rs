//! The RBAC evaluator: pure, synchronous, I/O-free.

pub mod attributes;
pub mod authorize;
pub mod identity;
pub mod rule;
pub mod who_can;

pub use attributes::{Attributes, NonResourceAttributes, ResourceAttributes, UserInfo};
pub use authorize::{Decision, Explain, Grant, NearMiss, ObjectRef, SYSTEM_MASTERS};
