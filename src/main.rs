//! The kubeaudit binary: parse arguments, run, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use kubeaudit::cli::Cli;
use kubeaudit::exit::Exit;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot start the async runtime: {e}"
            );
            return Exit::Error.into();
        }
    };
    match runtime.block_on(kubeaudit::app::run(cli)) {
        Ok(exit) => exit.into(),
        Err(err) => {
            // A closed stdout (`| head`) is not an error worth reporting.
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return Exit::Yes.into();
            }
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            Exit::Error.into()
        }
    }
}
