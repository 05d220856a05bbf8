//! The RBAC evaluator: pure, synchronous, I/O-free.

pub mod attributes;
pub mod cani_args;

pub use attributes::{Attributes, NonResourceAttributes, ResourceAttributes, UserInfo};
