//! Shared test support: a loopback Kubernetes API server (`apiserver`).
//!
//! Each integration test binary that needs it declares `mod support;`; not every binary uses
//! every helper, hence the dead-code allowance.
#![allow(dead_code)]

pub mod apiserver;
