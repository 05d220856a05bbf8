//! Command-line tests on real files: the binary, its output and its exit codes.

mod access_matrix;
mod authorizers;
mod can_i;
mod can_i_list;
mod completion;
mod conformance;
mod contexts;
mod diff;
mod docs;
mod escalation;
mod generated;
mod generated_cluster;
mod install;
mod json_shapes;
mod lint;
mod live;
mod netpol;
mod netpol_conformance;
mod plugin;
mod polish;
#[allow(dead_code)] // the kube-apiserver tests use the rest
#[path = "../common/queries.rs"]
mod query_args;
mod review;
#[path = "../support/mod.rs"]
mod support;
mod util;
#[allow(dead_code)]
#[path = "../common/webhook.rs"]
mod webhook;
mod who_can;
mod who_can_conformance;
