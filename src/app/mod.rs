//! Glue between the command line and the engine: resolve settings, load the inventory,
//! run the query, hand the report to a printer, choose the exit code.

pub mod access_matrix;
pub mod can_i;
pub mod load;
pub mod review;
pub mod who_can;

use std::io::Write;

use crate::cli::{Cli, ColorChoice, Command};
use crate::exit::Exit;

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::CanI(args) => can_i::run(&cli.global, args).await,
        Command::Review(args) => review::run(&cli.global, args).await,
        Command::WhoCan(args) => who_can::run(&cli.global, args).await,
        Command::AccessMatrix(args) => access_matrix::run(&cli.global, args).await,
    }
}

/// Whether to colour stdout: --color always/never, else only on a terminal and when
/// NO_COLOR is unset or empty (<https://no-color.org>).
pub fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
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
