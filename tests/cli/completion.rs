//! Dynamic completion: the binary in clap's completion mode (`COMPLETE=SHELL kubeaudit -- WORDS`),
//! as kubectl's plugin completer (`kubectl_complete-access_audit WORDS`), and through bash.

use std::path::{Path, PathBuf};

use crate::util::{kubeaudit, stderr, stdout};

const KUBECONFIG_A: &str = "\
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster: {server: 'https://prod.example:6443'}
users:
- name: alice
  user: {token: SECRET-TOKEN-A}
contexts:
- name: prod
  context: {cluster: prod-cluster, user: alice, namespace: shop}
- name: playground
  context: {cluster: prod-cluster, user: alice}
- name: staging
  context: {cluster: prod-cluster, user: alice, namespace: payments}
";

const KUBECONFIG_B: &str = "\
apiVersion: v1
kind: Config
clusters:
- name: other-cluster
  cluster: {server: 'https://other.example'}
users:
- name: bob
  user: {client-key-data: U0VDUkVULUtFWQ==}
contexts:
- name: pluto
  context: {cluster: other-cluster, user: bob, namespace: monitoring}
";

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.yaml"), KUBECONFIG_A).expect("write");
        std::fs::write(dir.path().join("b.yaml"), KUBECONFIG_B).expect("write");
        std::fs::write(
            dir.path().join("objects.yaml"),
            "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: from-manifest}\n",
        )
        .expect("write");
        Fixture { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name)
            .to_str()
            .expect("UTF-8 temp path")
            .to_string()
    }
}

/// Runs `COMPLETE=fish kubeaudit -- WORDS` (fish: one candidate per line, `VALUE\tHELP`, the
/// last word is the one completed) with KUBECONFIG set to a.yaml; returns the values.
fn fish(f: &Fixture, words: &[&str]) -> Vec<String> {
    let a = kubeaudit()
        .env("KUBECONFIG", f.path("a.yaml"))
        .env("COMPLETE", "fish")
        .arg("--")
        .arg("kubeaudit")
        .args(words)
        .assert()
        .code(0);
    assert_eq!(stderr(&a), "", "completion must print nothing on stderr");
    stdout(&a)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn bash_protocol_completes_context_names_from_kubeconfig() {
    let f = Fixture::new();
    // What bash's registration function runs: the words, the index of the word completed, and
    // the separator to print candidates with.
    let a = kubeaudit()
        .env("KUBECONFIG", f.path("a.yaml"))
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "3")
        .env("_CLAP_IFS", "\n")
        .args(["--", "kubeaudit", "can-i", "--context", "p"])
        .assert()
        .code(0);
    assert_eq!(stdout(&a), "playground\nprod");
    assert_eq!(stderr(&a), "");
}

#[test]
fn context_cluster_and_user_names_and_kubeconfig_on_the_line() {
    let f = Fixture::new();
    assert_eq!(
        fish(&f, &["--context", ""]),
        ["playground", "prod", "staging"]
    );
    assert_eq!(
        fish(&f, &["who-can", "--context=st"]),
        ["--context=staging"]
    );
    assert_eq!(fish(&f, &["--cluster", ""]), ["prod-cluster"]);
    assert_eq!(fish(&f, &["--user", "a"]), ["alice"]);
    // --kubeconfig on the line wins over KUBECONFIG, before or after the word completed.
    let b = f.arg("b.yaml");
    assert_eq!(fish(&f, &["--kubeconfig", &b, "--context", ""]), ["pluto"]);
    assert_eq!(
        fish(&f, &[&format!("--kubeconfig={b}"), "--user", ""]),
        ["bob"]
    );
    assert_eq!(
        fish(&f, &["can-i", "--kubeconfig", &b, "-n", ""]),
        ["monitoring"]
    );
}

#[test]
fn namespaces_from_contexts_and_manifests() {
    let f = Fixture::new();
    assert_eq!(fish(&f, &["-n", ""]), ["payments", "shop"]);
    let objects = f.arg("objects.yaml");
    assert_eq!(
        fish(&f, &["who-can", "-f", &objects, "--namespace", ""]),
        ["from-manifest", "payments", "shop"]
    );
    assert_eq!(fish(&f, &["-f", &objects, "-n", "fr"]), ["from-manifest"]);
}

#[test]
fn candidates_carry_no_credentials() {
    let f = Fixture::new();
    for words in [
        &["--context", ""][..],
        &["--user", ""],
        &["--cluster", ""],
        &["-n", ""],
    ] {
        for kc in ["a.yaml", "b.yaml"] {
            let a = kubeaudit()
                .env("KUBECONFIG", f.path(kc))
                .env("COMPLETE", "fish")
                .args(["--", "kubeaudit"])
                .args(words)
                .assert()
                .code(0);
            let out = stdout(&a);
            for secret in ["SECRET", "U0VDUkVU", "https://"] {
                assert!(!out.contains(secret), "{words:?}: {out}");
            }
        }
    }
}

#[test]
fn broken_kubeconfigs_give_nothing_and_say_nothing() {
    let f = Fixture::new();
    std::fs::write(f.path("broken.yaml"), "contexts: [{name: x\n").expect("write");
    for kc in [
        f.path("broken.yaml"),
        f.path("missing.yaml"),
        f.dir.path().to_path_buf(),
    ] {
        for flag in ["--context", "--cluster", "--user", "-n"] {
            let a = kubeaudit()
                .env("KUBECONFIG", &kc)
                .env("COMPLETE", "fish")
                .args(["--", "kubeaudit", flag, ""])
                .assert()
                .code(0);
            assert_eq!(stdout(&a), "", "{kc:?} {flag}");
            assert_eq!(stderr(&a), "", "{kc:?} {flag}");
        }
    }
}

#[test]
fn static_parts_are_completed_too() {
    let f = Fixture::new();
    let subs = fish(&f, &["who"]);
    assert_eq!(subs, ["who-can"]);
    assert_eq!(fish(&f, &["--color", ""]), ["auto", "always", "never"]);
    assert_eq!(fish(&f, &["completions", "--dyn"]), ["--dynamic"]);
}

#[test]
fn dynamic_script_is_the_registration_clap_prints() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let via_flag = kubeaudit()
            .args(["completions", shell, "--dynamic"])
            .assert()
            .code(0);
        let via_env = kubeaudit().env("COMPLETE", shell).assert().code(0);
        assert_eq!(stdout(&via_flag), stdout(&via_env), "{shell}");
        assert!(stdout(&via_flag).contains("COMPLETE"), "{shell}");
    }
    // The static script is unchanged by the flag's existence.
    let a = kubeaudit().args(["completions", "bash"]).assert().code(0);
    assert!(!stdout(&a).contains("COMPLETE="));
}

#[test]
fn complete_variable_off_or_unknown() {
    // Empty or 0: an ordinary run.
    for off in ["", "0"] {
        let a = kubeaudit()
            .env("COMPLETE", off)
            .arg("--version")
            .assert()
            .code(0);
        assert!(stdout(&a).starts_with("kubeaudit "), "{off:?}");
    }
    let a = kubeaudit().env("COMPLETE", "tcsh").assert().code(2);
    assert!(
        stderr(&a).contains("unknown shell `tcsh`"),
        "{}",
        stderr(&a)
    );
    assert_eq!(stdout(&a), "");
}

/// kubectl ≥ 1.26 completes `kubectl access-audit ...` by running `kubectl_complete-access_audit`
/// from PATH with the plugin's words (the last one being completed) and reading one candidate per
/// line and a final `:DIRECTIVE` line.
#[cfg(unix)]
mod kubectl_plugin {
    use super::*;
    use assert_cmd::Command;

    fn completer_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["kubectl-access_audit", "kubectl_complete-access_audit"] {
            std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kubeaudit"), dir.path().join(name))
                .expect("symlink");
        }
        dir
    }

    fn command(program: &Path, dir: &Path, kubeconfig: &Path) -> Command {
        let mut path = vec![dir.to_path_buf()];
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let mut cmd = Command::new(program);
        cmd.env("KUBECONFIG", kubeconfig)
            .env("HOME", dir)
            .env_remove("COMPLETE")
            .env("PATH", std::env::join_paths(path).expect("PATH"));
        cmd
    }

    #[test]
    fn completer_name_answers_in_kubectl_format() {
        let f = Fixture::new();
        let dir = completer_dir();
        let bin = dir.path().join("kubectl_complete-access_audit");
        let a = command(&bin, dir.path(), &f.path("a.yaml"))
            .args(["can-i", "--context", "pr"])
            .assert()
            .code(0);
        assert_eq!(
            stdout(&a),
            "prod\tcluster prod-cluster, namespace shop (current)\n:4\n"
        );
        let a = command(&bin, dir.path(), &f.path("a.yaml"))
            .args(["-n", ""])
            .assert()
            .code(0);
        assert_eq!(
            stdout(&a),
            "payments\tcontext staging\nshop\tcontext prod\n:4\n"
        );
        // A directory candidate asks for no space after it.
        let a = command(&bin, dir.path(), &f.path("a.yaml"))
            .args([
                "-f",
                &format!(
                    "{}/",
                    dir.path().parent().unwrap_or(Path::new("/")).display()
                ),
            ])
            .assert()
            .code(0);
        assert!(stdout(&a).ends_with(":6\n"), "{}", stdout(&a));
    }

    #[test]
    fn through_kubectl() {
        let Some(kubectl) = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join("kubectl"))
            .find(|p| p.is_file())
        else {
            eprintln!("note: kubectl is not on PATH; skipping the test through kubectl");
            return;
        };
        let f = Fixture::new();
        let dir = completer_dir();
        // `kubectl __complete ...` is what kubectl's own shell scripts run.
        let a = command(&kubectl, dir.path(), &f.path("a.yaml"))
            .args(["__complete", "access-audit", "who-can", "--context", "st"])
            .assert()
            .code(0);
        let out = stdout(&a);
        assert!(out.starts_with("staging\t"), "{out}");
        assert!(out.trim_end().ends_with(":4"), "{out}");
    }
}

/// The bash registration script, sourced into a real bash, completes names when its function is
/// called as bash's programmable completion calls it.
#[cfg(unix)]
#[test]
fn end_to_end_in_bash() {
    let bash = Path::new("/bin/bash");
    if !bash.is_file() {
        eprintln!("note: no /bin/bash; skipping");
        return;
    }
    let f = Fixture::new();
    let bin_dir = f.path("bin");
    std::fs::create_dir(&bin_dir).expect("mkdir");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kubeaudit"), bin_dir.join("kubeaudit"))
        .expect("symlink");
    let objects = f.arg("objects.yaml");
    let script = format!(
        r#"set -u
source <(kubeaudit completions bash --dynamic)
complete -p kubeaudit >/dev/null || exit 9
COMP_TYPE=9
COMP_WORDS=(kubeaudit can-i --context p); COMP_CWORD=3
_clap_complete_kubeaudit kubeaudit p --context
printf 'ctx:%s\n' "${{COMPREPLY[@]}}"
COMP_WORDS=(kubeaudit -n '' -f '{objects}'); COMP_CWORD=2
_clap_complete_kubeaudit kubeaudit '' -n
printf 'ns:%s\n' "${{COMPREPLY[@]}}"
"#
    );
    let mut path = vec![bin_dir];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let a = assert_cmd::Command::new(bash)
        .arg("-c")
        .arg(script)
        .env("KUBECONFIG", f.path("a.yaml"))
        .env("HOME", f.dir.path())
        .env_remove("COMPLETE")
        .env("PATH", std::env::join_paths(path).expect("PATH"))
        .assert()
        .code(0);
    assert_eq!(
        stdout(&a),
        "ctx:playground\nctx:prod\nns:from-manifest\nns:payments\nns:shop\n",
        "{}",
        stderr(&a)
    );
}
