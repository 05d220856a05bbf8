//! `kubeaudit completions SHELL [--dynamic]`.

use std::io::Write;

use crate::artifacts::completion_script;
use crate::cli::CompletionsArgs;
use crate::exit::Exit;

/// Prints the completion script: the static one, or with `--dynamic` the registration script
/// that calls this binary back (named as it was invoked, argv[0], so that the script follows
/// the installed binary). Scripts are rendered into memory first, so a closed stdout is an
/// ordinary (quietly handled) write error rather than a panic in the generator.
pub fn run(args: &CompletionsArgs) -> anyhow::Result<Exit> {
    let script = if args.dynamic {
        let argv0 = std::env::args_os()
            .next()
            .unwrap_or_else(|| crate::cli::BIN_NAME.into());
        let cwd = std::env::current_dir().ok();
        crate::completion::registration_script(args.shell, &argv0, cwd.as_deref())?
    } else {
        completion_script(args.shell)
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(Exit::Yes)
}
