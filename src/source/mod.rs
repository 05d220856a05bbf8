//! Where cluster data and credentials come from.

pub mod contexts;
pub mod kubeconfig;
