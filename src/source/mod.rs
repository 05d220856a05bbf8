//! Where objects come from: manifest files, stdin, live clusters, snapshots.

pub mod live;
pub mod manifest;
