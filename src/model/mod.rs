//! The typed inventory and the compiled access model built from it.

pub mod access;
pub mod aggregation;
pub mod bootstrap;
pub mod discovery;
pub mod field_path;
pub mod inventory;
pub mod item;
pub mod objects;
pub mod rule_index;
pub mod selector;
pub mod workload;

pub use access::AccessModel;
pub use inventory::{AggregationMode, DecodeError, Diagnostic, Inventory, MissingData, OnConflict};
pub use objects::{
    Binding, BindingKind, ObjectMeta, Origin, PolicyRule, Role, RoleKind, RoleRef, Subject,
};
