//! Helpers shared by the CLI tests.

use std::path::PathBuf;

use assert_cmd::Command;

/// The kubeaudit binary, with a clean environment (no kubeconfig, no colour, no completion mode).
pub fn kubeaudit() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubeaudit"));
    // COMPLETE would switch the binary into shell-completion mode.
    cmd.env_remove("KUBECONFIG")
        .env_remove("COMPLETE")
        .env("HOME", std::env::temp_dir().join("kubeaudit-test-home"))
        .env("NO_COLOR", "1");
    cmd
}

/// The bundled example cluster.
pub fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/cluster")
}

/// The conformance vectors (copied into the repository from Kubernetes' logic; see its README).
pub fn conformance() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance")
}

/// Stdout of an assertion as a String.
pub fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// Stderr of an assertion as a String.
pub fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}
