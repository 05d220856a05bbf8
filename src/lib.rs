//! kubeaudit: who can do what in a Kubernetes cluster, and why.
//!
//! One pipeline, one direction: source → inventory → compiled access model → query →
//! report → output. Everything but `source` is synchronous and I/O-free.

pub mod app;
pub mod artifacts;
pub mod cli;
pub mod completion;
pub mod exit;
pub mod model;
pub mod netpol;
pub mod output;
pub mod rbac;
pub mod source;
