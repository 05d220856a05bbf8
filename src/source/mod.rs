//! Where objects come from: manifest files, stdin, live clusters, snapshots.

pub mod manifest;
