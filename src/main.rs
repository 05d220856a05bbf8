//! The kubeaudit binary: parse arguments, run, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use kubeaudit::exit::Exit;

/// Transparent huge pages off for this process. The allocator asks for them, and where the
/// kernel has no free 2 MiB page at hand (memory fragmented by another process that just
/// ended, or after idle) a page fault waits while it compacts memory: a run after another
/// large process took 1.3–1.8× as long (who-can, lint, escalation on the generated clusters),
/// where 4 KiB pages cost a little more only when huge ones were free.
fn no_huge_pages() {
    // A kernel without the setting runs as before.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn main() -> ExitCode {
    no_huge_pages();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Shell completion (COMPLETE=SHELL, or argv[0] kubectl_complete-*) answers before anything
    // else can write to stdout.
    if let Some(exit) = kubeaudit::completion::run(&args) {
        return exit.into();
    }
    // argv[0] decides the name in help and usage: `kubectl access-audit` when run as the
    // kubectl plugin `kubectl-access_audit`. clap's own printing ignores a closed stdout.
    let cli = match kubeaudit::cli::parse_from(args) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
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
            // A closed stdout (`| head`) means the reader has what it wanted: no message, and
            // exit 0 as after a normal end (Rust ignores SIGPIPE, so writes report EPIPE).
            if is_broken_pipe(&err) {
                return Exit::Yes.into();
            }
            // The whole cause chain on one line: "outer: inner: root cause".
            let _ = writeln!(
                std::io::stderr(),
                "error: {}",
                kubeaudit::app::error_text(&err)
            );
            Exit::Error.into()
        }
    }
}

/// True when any error in the chain is a broken pipe.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
