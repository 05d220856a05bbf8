//! Where cluster data comes from: a live API server, manifests or a snapshot.

pub mod live;
