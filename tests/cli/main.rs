//! Command-line tests on real files: the binary, its output and its exit codes.

mod can_i;
mod netpol;
mod netpol_conformance;
mod review;
mod util;
