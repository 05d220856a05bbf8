//! Command-line tests on real files: the binary, its output and its exit codes.

mod access_matrix;
mod can_i;
mod can_i_list;
mod review;
mod util;
mod who_can;
mod who_can_conformance;
