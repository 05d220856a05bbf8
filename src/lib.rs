//! kubeaudit: who can do what in a Kubernetes cluster, and why.
//!
//! One pipeline, one direction: source → inventory → compiled access model → query →
//! report → output. Everything but `source` is synchronous and I/O-free.

pub mod netpol;
pub mod rbac;
