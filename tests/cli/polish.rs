//! Behaviour shared by every command: version, colour, closed pipes, error messages.

use std::io::{Read, Write as _};
use std::path::PathBuf;
use std::process::Stdio;

use crate::util::{examples, kubeaudit, stderr, stdout};

#[test]
fn version_names_the_kubernetes_version() {
    let a = kubeaudit().arg("--version").assert().code(0);
    assert_eq!(
        stdout(&a),
        format!(
            "kubeaudit {} (Kubernetes API {})\n",
            env!("CARGO_PKG_VERSION"),
            kubeaudit::cli::KUBERNETES_VERSION
        )
    );
}

fn explain(color: &str, env: &[(&str, &str)]) -> String {
    let mut cmd = kubeaudit();
    cmd.env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let a = cmd
        .args([
            "can-i",
            "create",
            "pods",
            "--as",
            "dev-user",
            "-n",
            "shop",
            "--explain",
            "--color",
            color,
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    stdout(&a)
}

#[test]
fn color_follows_the_flag_then_clicolor_force_then_no_color() {
    const ESC: &str = "\x1b[";
    assert!(explain("always", &[("NO_COLOR", "1")]).contains(ESC));
    assert!(!explain("never", &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    assert!(explain("auto", &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains(ESC));
    assert!(!explain("auto", &[("NO_COLOR", "1")]).contains(ESC));
    // Not a terminal, nothing forced: plain.
    let plain = explain("auto", &[]);
    assert!(!plain.contains(ESC), "{plain}");
    assert!(plain.starts_with("yes\n"), "{plain}");
    // The short answer stays kubectl's plain `yes` even when colour is forced.
    let a = kubeaudit()
        .args([
            "can-i", "create", "pods", "--as", "dev-user", "-n", "shop", "--color", "always", "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    assert_eq!(stdout(&a), "yes\n");
}

/// A small cluster (no warnings) and many reviews, so the output is far larger than a pipe
/// buffer and the writer meets the closed pipe.
fn large_review_input() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let cluster = dir.path().join("cluster.yaml");
    std::fs::write(
        &cluster,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n\
rules: [{verbs: [get], apiGroups: [\"\"], resources: [pods]}]\n---\n\
apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\n\
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\n\
subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]\n",
    )
    .expect("write cluster");
    let reviews = dir.path().join("reviews.yaml");
    let mut f = std::fs::File::create(&reviews).expect("create reviews");
    for i in 0..4000 {
        writeln!(
            f,
            "---\napiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\n\
spec:\n  user: alice\n  resourceAttributes: {{namespace: ns-{i}, verb: get, resource: pods, name: pod-{i}}}"
        )
        .expect("write review");
    }
    (dir, cluster, reviews)
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let (_dir, cluster, reviews) = large_review_input();
    for format in ["json", "yaml"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kubeaudit"))
            .env("NO_COLOR", "1")
            .env_remove("KUBECONFIG")
            .args(["review", "-o", format, "-f"])
            .arg(&cluster)
            .arg(&reviews)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut out = child.stdout.take().expect("stdout");
        let mut first = [0u8; 64];
        out.read_exact(&mut first).expect("some output");
        drop(out); // like `| head -c 64`
        let done = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(0), "-o {format}: {err}");
        assert!(err.is_empty(), "-o {format}: stderr: {err}");
    }
}

#[test]
fn help_and_completions_into_a_closed_pipe_do_not_panic() {
    for args in [&["--help"][..], &["completions", "zsh"][..]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kubeaudit"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let done = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn errors_show_the_cause_chain_once_on_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.yaml");
    let a = kubeaudit()
        .args(["can-i", "get", "pods", "--as", "x", "-f"])
        .arg(&missing)
        .assert()
        .code(2);
    let err = stderr(&a);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: reading manifests: "), "{err}");
    assert!(err.contains("missing.yaml: "), "{err}");
    // The OS message (the root cause) appears once, not repeated by the chain.
    let cause = err.trim_end().rsplit(": ").next().unwrap_or_default();
    assert!(!cause.is_empty(), "{err}");
    assert_eq!(err.matches(cause).count(), 1, "{err} (cause {cause:?})");
}

/// Two installs defining the same ClusterRole differently: an error saying how to proceed by
/// default, kubectl apply's meaning with `--on-conflict last`; a ConfigMap no command reads
/// never matters.
#[test]
fn conflicting_duplicates_say_how_to_proceed() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conflict");
    let ask = |extra: &[&str]| {
        kubeaudit()
            .args([
                "can-i",
                "list",
                "secrets",
                "--as",
                "system:serviceaccount:monitoring:kube-state-metrics",
                "-f",
            ])
            .arg(&dir)
            .args(extra)
            .assert()
    };
    let a = ask(&[]).code(2);
    let err = stderr(&a);
    assert!(err.contains("ClusterRole kube-state-metrics"), "{err}");
    assert!(err.contains("--on-conflict last"), "{err}");
    assert!(
        !err.contains("ConfigMap"),
        "a kind no command reads never matters: {err}"
    );
    // Files of a directory in name order: the kube-prometheus one is last.
    let a = ask(&["--on-conflict", "last"]).code(1);
    assert!(
        stderr(&a).contains("replaces its different definition"),
        "{}",
        stderr(&a)
    );
    ask(&["--on-conflict", "first"]).code(0);
}

/// Input is read up to a documented bound, so `-f /dev/zero` is a clear error, not gigabytes
/// of memory; a pipe within the bound keeps working.
#[test]
fn inputs_are_read_up_to_a_bound() {
    let a = kubeaudit()
        .args([
            "who-can",
            "get",
            "pods",
            "-f",
            "/dev/zero",
            "--max-input-size",
            "1M",
        ])
        .assert()
        .code(2);
    let err = stderr(&a);
    assert!(
        err.contains("/dev/zero") && err.contains("1048576 bytes"),
        "{err}"
    );
    assert!(err.contains("--max-input-size"), "{err}");
    let bindings = std::fs::read(examples().join("30-bindings.yaml")).expect("example");
    kubeaudit()
        .args([
            "who-can",
            "get",
            "pods",
            "-f",
            "-",
            "--max-input-size",
            "1M",
        ])
        .write_stdin(bindings.clone())
        .assert()
        .code(0);
    kubeaudit()
        .args([
            "who-can",
            "get",
            "pods",
            "-f",
            "-",
            "--max-input-size",
            "1K",
        ])
        .write_stdin(bindings)
        .assert()
        .code(2);
}
