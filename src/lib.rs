//! kubeaudit: who can do what in a Kubernetes cluster, and why.
//!
//! One pipeline, one direction: source → inventory → compiled access model → query →
//! report → output. Everything but `source` is synchronous and I/O-free.

pub mod app;
pub mod artifacts;
pub mod cli;
pub mod completion;
pub mod diff;
pub mod escalation;
pub mod exit;
pub mod lint;
pub mod model;
pub mod netpol;
pub mod output;
pub mod parallel;
pub mod rbac;
pub mod source;

/// Every binary linking the engine (the CLI, tests, benches) allocates through mimalloc: the
/// engine builds large object graphs and answers made of many small vectors, where it is far
/// faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
