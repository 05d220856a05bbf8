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

/// From this many objects, a model or inventory is not freed at the end of a run: the process
/// is about to exit, and returning 100,000s of objects to the allocator one by one costs a
/// noticeable part of the run (issue 14). Smaller ones (every test) are freed as usual.
pub const LEAK_FROM: usize = 50_000;

pub use access::AccessModel;
pub use inventory::{AggregationMode, DecodeError, Diagnostic, Inventory, MissingData, OnConflict};
pub use objects::{
    Binding, BindingKind, ObjectMeta, Origin, PolicyRule, Role, RoleKind, RoleRef, Subject,
};
