//! Where objects come from: kubeconfig contexts, live clusters, manifest files, stdin, snapshots.

pub mod contexts;
pub mod kubeconfig;
pub mod live;
pub mod locate;
pub mod manifest;
pub mod snapshot;
pub mod webhook;
