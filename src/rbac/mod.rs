//! The RBAC evaluator: pure, synchronous, I/O-free.

pub mod attributes;
pub mod authorize;
pub mod can_i;
pub mod cani_args;
pub mod identity;
pub mod matrix;
pub mod review;
pub mod rule;
pub mod rules_list;
pub mod who_can;

pub use attributes::{Attributes, NonResourceAttributes, ResourceAttributes, UserInfo};
pub use authorize::{Decision, Explain, Grant, NearMiss, ObjectRef, SYSTEM_MASTERS};
