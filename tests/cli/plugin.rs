//! kubeaudit as the kubectl plugin `kubectl access-audit` (file `kubectl-access_audit`).
//!
//! kubectl execs a plugin with its full path as argv[0] and passes the arguments after the
//! plugin name verbatim; it forwards none of its own flags.

#![cfg(unix)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::util::{examples, kubeaudit, stdout};

/// A temporary directory holding `kubectl-access_audit` → the kubeaudit binary.
fn plugin_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_kubeaudit"),
        dir.path().join("kubectl-access_audit"),
    )
    .expect("symlink");
    dir
}

/// A command with a clean environment (as in `util::kubeaudit`) and `dir` first on PATH.
fn with_path(program: &Path, dir: &Path) -> Command {
    let mut path = vec![dir.to_path_buf()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut cmd = Command::new(program);
    cmd.env_remove("KUBECONFIG")
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .env("PATH", std::env::join_paths(path).expect("PATH"));
    cmd
}

/// kubectl from PATH, if installed.
fn kubectl() -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("kubectl"))
        .find(|p| p.is_file())
}

#[test]
fn symlinked_binary_names_itself_kubectl_access_audit() {
    let dir = plugin_dir();
    let bin = dir.path().join("kubectl-access_audit");
    let a = with_path(&bin, dir.path()).arg("--help").assert().code(0);
    let help = stdout(&a);
    assert!(
        help.contains("Usage: kubectl access-audit [OPTIONS] <COMMAND>"),
        "{help}"
    );
    let a = with_path(&bin, dir.path())
        .args(["can-i", "--help"])
        .assert()
        .code(0);
    let help = stdout(&a);
    assert!(help.contains("Usage: kubectl access-audit can-i"), "{help}");
    assert!(
        help.contains("  kubectl access-audit can-i create pods"),
        "{help}"
    );
    // Usage errors too, with clap's exit code 2.
    let a = with_path(&bin, dir.path())
        .args(["can-i", "--no-such-flag"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("kubectl access-audit can-i"), "{err}");
}

#[test]
fn kubectl_runs_the_plugin_with_kubectl_flags_after_the_name() {
    let Some(kubectl) = kubectl() else {
        eprintln!("note: kubectl is not on PATH; skipping the test through kubectl");
        return;
    };
    let dir = plugin_dir();
    let ex = examples();
    let ex = ex.to_str().expect("UTF-8 path");
    let cases: [(&[&str], i32, &str); 3] = [
        (
            &["can-i", "get", "pods", "--as", "x", "-n", "X", "-f", ex],
            1,
            "no\n",
        ),
        (
            &[
                "can-i", "create", "pods", "--as", "dev-user", "-n", "shop", "-f", ex,
            ],
            0,
            "yes\n",
        ),
        (
            &[
                "can-i",
                "list",
                "secrets",
                "-A",
                "--as",
                "system:serviceaccount:ci:deployer",
                "--as-group",
                "extra",
                "--color",
                "never",
                "-f",
                ex,
            ],
            0,
            "yes\n",
        ),
    ];
    for (args, code, expected) in cases {
        let via_kubectl = with_path(&kubectl, dir.path())
            .arg("access-audit")
            .args(args)
            .assert()
            .code(code);
        assert_eq!(
            stdout(&via_kubectl),
            expected,
            "kubectl access-audit {args:?}"
        );
        // The same as running kubeaudit directly.
        let direct = kubeaudit().args(args).assert().code(code);
        assert_eq!(stdout(&direct), expected, "kubeaudit {args:?}");
    }
    let a = with_path(&kubectl, dir.path())
        .args(["access-audit", "--help"])
        .assert()
        .code(0);
    let help = stdout(&a);
    assert!(help.contains("Usage: kubectl access-audit"), "{help}");
    // kubectl itself sees the plugin.
    let a = with_path(&kubectl, dir.path())
        .args(["plugin", "list"])
        .assert();
    assert!(
        stdout(&a).contains("kubectl-access_audit"),
        "kubectl plugin list: {}",
        stdout(&a)
    );
}
