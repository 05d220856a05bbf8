//! The RBAC evaluator: pure, synchronous, I/O-free.

pub mod attributes;

pub use attributes::{Attributes, NonResourceAttributes, ResourceAttributes, UserInfo};
