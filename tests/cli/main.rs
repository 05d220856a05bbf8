//! Command-line tests on real files: the binary, its output and its exit codes.

mod can_i;
mod docs;
mod generated;
mod plugin;
mod polish;
mod review;
mod util;
