//! The cluster model: what the API server serves.

pub mod discovery;
