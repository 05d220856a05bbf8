//! The single place exit codes are defined: 0 yes/clean, 1 no/findings, 2 error.

/// A process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Allowed, or nothing found.
    Yes = 0,
    /// Denied, or findings.
    No = 1,
    /// An error, including "cannot tell" because data was missing.
    Error = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}
