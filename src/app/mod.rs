//! Glue between the command line and the engine: resolve settings, load the inventory,
//! run the query, hand the report to a printer, choose the exit code.

pub mod can_i;
pub mod load;
pub mod netpol;
pub mod review;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::exit::Exit;

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::CanI(args) => can_i::run(&cli.global, args).await,
        Command::Review(args) => review::run(&cli.global, args).await,
        Command::DefaultDeny(args) => netpol::run_default_deny(&cli.global, args).await,
        Command::CanReach(args) => netpol::run_can_reach(&cli.global, args).await,
        Command::NetpolMatrix(args) => netpol::run_matrix(&cli.global, args).await,
    }
}

/// Prints a warning on stderr, kubectl style.
pub fn warn(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "Warning: {message}");
}

/// Prints a note on stderr.
pub fn note(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "Note: {message}");
}

/// A usage error: the command line asks for something that cannot be answered.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
