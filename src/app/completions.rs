//! `kubeaudit completions SHELL`.

use std::io::Write;

use crate::artifacts::completion_script;
use crate::cli::CompletionsArgs;
use crate::exit::Exit;

/// Prints the completion script. The script is rendered into memory first, so a closed
/// stdout is an ordinary (quietly handled) write error rather than a panic in the generator.
pub fn run(args: &CompletionsArgs) -> anyhow::Result<Exit> {
    let script = completion_script(args.shell);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(Exit::Yes)
}
