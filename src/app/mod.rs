//! Glue between the command line and the engine: resolve settings, load the inventory,
//! run the query, hand the report to a printer, choose the exit code.

pub mod access_matrix;
pub mod authz;
pub mod can_i;
pub mod completions;
pub mod contexts;
pub mod diff;
pub mod escalation;
pub mod lint;
pub mod load;
pub mod netpol;
pub mod review;
pub mod snapshot;
pub mod target;
pub mod who_can;
pub mod workloads;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::exit::Exit;

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<Exit> {
    crate::output::apply_color(cli.global.color);
    match cli.command {
        Command::CanI(args) => can_i::run(&cli.global, args).await,
        Command::Review(args) => review::run(&cli.global, args).await,
        Command::Snapshot(args) => snapshot::run(&cli.global, args).await,
        Command::Contexts(args) => contexts::run(&cli.global, args),
        Command::Completions(args) => completions::run(&args),
        Command::DefaultDeny(args) => netpol::run_default_deny(&cli.global, args).await,
        Command::CanReach(args) => netpol::run_can_reach(&cli.global, args).await,
        Command::NetpolMatrix(args) => netpol::run_matrix(&cli.global, args).await,
        Command::WhoCan(args) => who_can::run(&cli.global, args).await,
        Command::AccessMatrix(args) => access_matrix::run(&cli.global, args).await,
        Command::Lint(args) => lint::run(&cli.global, args).await,
        Command::Diff(args) => diff::run(&cli.global, args).await,
        Command::Escalation(args) => escalation::run(&cli.global, args).await,
    }
}

/// Prints a warning on stderr, kubectl style.
pub fn warn(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "Warning: {message}");
}

/// One warning line for the bindings whose role cannot be resolved (they grant nothing):
/// the first few named, the count of the rest (`-o json` lists them all in `errors`).
pub fn warn_ungranting(errors: &[String]) {
    const SHOWN: usize = 3;
    match errors.len() {
        0 => {}
        1 => warn(format_args!("binding grants nothing: {}", errors[0])),
        n => {
            let mut text = errors[..n.min(SHOWN)].join("; ");
            if n > SHOWN {
                text.push_str(&format!("; and {} more (-o json lists them)", n - SHOWN));
            }
            warn(format_args!("{n} bindings grant nothing: {text}"));
        }
    }
}

/// Prints a note on stderr.
pub fn note(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "Note: {message}");
}

/// The whole cause chain of an error on one line, `outer: inner: root cause`, as `{:#}`
/// prints it — except that a cause whose text an outer message already contains is not
/// repeated (errors that both print and expose their source would otherwise say it twice).
pub fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let message = cause.to_string();
        if text.is_empty() {
            text = message;
        } else if !message.is_empty() && !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
    }
    text
}

/// A usage error: the command line asks for something that cannot be answered.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{path}: {source}")]
    struct Repeats {
        path: String,
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn error_text_prints_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let err = anyhow::Error::new(Repeats {
            path: "/x".into(),
            source: io,
        })
        .context("reading manifests");
        assert_eq!(error_text(&err), "reading manifests: /x: no such file");

        let err = anyhow::anyhow!("root cause")
            .context("middle")
            .context("outer");
        assert_eq!(error_text(&err), "outer: middle: root cause");
    }
}
