//! Dynamic shell completion: the names of kubeconfig contexts, clusters and users, and
//! namespaces, computed when the user presses TAB.
//!
//! The shell calls the binary back through clap_complete's `unstable-dynamic` protocol: the
//! registration script (`kubeaudit completions SHELL --dynamic`, or `COMPLETE=SHELL kubeaudit`)
//! runs `COMPLETE=SHELL kubeaudit -- WORDS...`, and clap's engine calls the
//! [`ArgValueCompleter`](clap_complete::engine::ArgValueCompleter)s attached to `--context`,
//! `--cluster`, `--user` and `-n/--namespace` in [`crate::cli`]. kubectl's plugin completion
//! (kubectl ≥ 1.26) runs `kubectl_complete-access_audit WORDS...` instead; that name, linked to
//! this binary, answers in kubectl's format ([`kubectl_plugin_output`]).
//!
//! Completion is offline and quick: it reads the kubeconfig files kubectl would read (the
//! `--kubeconfig` on the command line being completed, else `KUBECONFIG`, else
//! `~/.kube/config`) and, for namespaces, manifests named with `-f` up to a size budget. It never
//! contacts a cluster and never runs exec credential plugins. Candidates are names only, never
//! credentials. Any problem (a broken kubeconfig, an unreadable manifest) means fewer or no
//! candidates, never a message or a panic: a completion is printed into the user's command line.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use clap_complete::Shell;
use serde_json::Value;

use crate::cli::{Cli, BIN_NAME};
use crate::exit::Exit;
use crate::source::kubeconfig::{load, KubeEnv, LoadedKubeconfig};

/// The environment variable that switches the binary into completion mode (clap_complete's
/// `CompleteEnv`): `COMPLETE=bash kubeaudit` prints the registration script,
/// `COMPLETE=bash kubeaudit -- WORDS...` the candidates for the last word.
pub const COMPLETE_VAR: &str = "COMPLETE";

/// The file-name prefix kubectl looks for on PATH to complete a plugin's arguments:
/// `kubectl_complete-access_audit` for the plugin `kubectl-access_audit`.
pub const KUBECTL_COMPLETER_PREFIX: &str = "kubectl_complete-";

/// At most this many manifest bytes are read to complete a namespace; files beyond it are
/// skipped, so a huge snapshot cannot make TAB hang. YAML costs [`YAML_COST`] times its size
/// (it parses about ten times slower than JSON): 8 MiB of JSON, or 2 MiB of YAML.
pub const MANIFEST_BYTE_BUDGET: u64 = 8 * 1024 * 1024;

/// What one byte of a file not named `*.json` costs against [`MANIFEST_BYTE_BUDGET`].
pub const YAML_COST: u64 = 4;

/// At most this many manifest files are looked at (directories are walked up to it).
pub const MANIFEST_FILE_BUDGET: usize = 500;

/// kubectl's completion directive `ShellCompDirectiveNoSpace`: no space after the candidate.
const DIRECTIVE_NO_SPACE: u32 = 2;
/// kubectl's completion directive `ShellCompDirectiveNoFileComp`: do not fall back to file
/// names (clap's engine completes paths itself where a flag takes one).
const DIRECTIVE_NO_FILE_COMP: u32 = 4;

/// How the words of the command line being completed reach the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// As typed, quotes and backslashes included (bash's `COMP_WORDS`, zsh's `words`).
    Raw,
    /// Already unquoted by the shell (fish, PowerShell, elvish, kubectl's `eval`).
    Unquoted,
}

/// What the command line being completed says about where names come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInputs {
    /// `--kubeconfig FILE`, if given.
    pub kubeconfig: Option<PathBuf>,
    /// Every `-f/--filename PATH`, in order.
    pub filenames: Vec<PathBuf>,
}

impl LineInputs {
    /// Reads `--kubeconfig` and `-f` from the words of a command line (`words[0]` is the
    /// program name), wherever they are, as the real parse would. The word being completed may
    /// be incomplete; whatever cannot be parsed is ignored. A leading `~` in a path is the home
    /// directory `home` (the shell has not expanded it in the words it hands over).
    pub fn from_words(words: &[OsString], quoting: Quoting, home: Option<&Path>) -> Self {
        let words: Vec<OsString> = join_split_equals(words)
            .into_iter()
            .map(|w| match (quoting, w.to_str()) {
                (Quoting::Raw, Some(s)) => OsString::from(shell_unquote(s)),
                _ => w,
            })
            .collect();
        // `ignore_errors` keeps what parsed before an error (the word under the cursor is
        // often an incomplete flag or a missing value).
        let Ok(matches) = Cli::command()
            .ignore_errors(true)
            .try_get_matches_from(words)
        else {
            return LineInputs::default();
        };
        let expand = |p: &PathBuf| expand_tilde(p, home);
        let kubeconfig = matches
            .try_get_one::<PathBuf>("kubeconfig")
            .ok()
            .flatten()
            .map(expand);
        let filenames = matches
            .try_get_many::<PathBuf>("filename")
            .ok()
            .flatten()
            .map(|v| v.map(expand).collect())
            .unwrap_or_default();
        LineInputs {
            kubeconfig,
            filenames,
        }
    }
}

/// bash splits `--kubeconfig=/x` into `--kubeconfig`, `=`, `/x` (`=` is in `COMP_WORDBREAKS`);
/// joins them back.
fn join_split_equals(words: &[OsString]) -> Vec<OsString> {
    let mut out: Vec<OsString> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let is_flag = |w: &OsString| w.to_str().is_some_and(|s| s.starts_with('-'));
        if words[i] == "=" && out.last().is_some_and(is_flag) {
            if let Some(last) = out.last_mut() {
                last.push("=");
                if let Some(next) = words.get(i + 1) {
                    last.push(next);
                    i += 1;
                }
            }
        } else {
            out.push(words[i].clone());
        }
        i += 1;
    }
    out
}

/// Removes POSIX shell quoting from one word as typed: `'...'`, `"..."` (with `\"`, `\\`,
/// `\$`, `` \` `` escapes) and backslash escapes. An unclosed quote (the word being typed)
/// runs to the end.
fn shell_unquote(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut quote: Option<char> = None;
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '\\') => out.extend(chars.next()),
            (Some('"'), '\\') => match chars.next() {
                Some(n @ ('"' | '\\' | '$' | '`')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            (_, c) => out.push(c),
        }
    }
    out
}

/// `~` and `~/rest` → the home directory (joined with `rest`).
fn expand_tilde(path: &Path, home: Option<&Path>) -> PathBuf {
    match (home, path.strip_prefix("~")) {
        (Some(home), Ok(rest)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// Context names starting with `current`. The help names the context's cluster and namespace
/// and marks the current context.
pub fn context_candidates(
    current: &str,
    line: &LineInputs,
    env: &KubeEnv,
) -> Vec<CompletionCandidate> {
    let Some(loaded) = load_quietly(line, env) else {
        return Vec::new();
    };
    let current_context = loaded.current_context();
    loaded
        .kubeconfig()
        .contexts
        .iter()
        .filter(|c| is_candidate(&c.name, current))
        .map(|c| {
            let mut help = String::new();
            if let Some(ctx) = &c.context {
                if !ctx.cluster.is_empty() {
                    help.push_str(&format!("cluster {}", ctx.cluster));
                }
                if let Some(ns) = ctx.namespace.as_deref().filter(|n| !n.is_empty()) {
                    if !help.is_empty() {
                        help.push_str(", ");
                    }
                    help.push_str(&format!("namespace {ns}"));
                }
            }
            if current_context == Some(c.name.as_str()) {
                help.push_str(if help.is_empty() {
                    "current"
                } else {
                    " (current)"
                });
            }
            (c.name.as_str(), candidate(&c.name, help))
        })
        // Sorted and deduplicated by name, as the other lists.
        .collect::<BTreeMap<_, _>>()
        .into_values()
        .collect()
}

/// Cluster names starting with `current`.
pub fn cluster_candidates(
    current: &str,
    line: &LineInputs,
    env: &KubeEnv,
) -> Vec<CompletionCandidate> {
    names(current, line, env, LoadedKubeconfig::cluster_names)
}

/// User (credential entry) names starting with `current` — the names only.
pub fn user_candidates(
    current: &str,
    line: &LineInputs,
    env: &KubeEnv,
) -> Vec<CompletionCandidate> {
    names(current, line, env, LoadedKubeconfig::user_names)
}

fn names(
    current: &str,
    line: &LineInputs,
    env: &KubeEnv,
    list: fn(&LoadedKubeconfig) -> Vec<String>,
) -> Vec<CompletionCandidate> {
    let Some(loaded) = load_quietly(line, env) else {
        return Vec::new();
    };
    list(&loaded)
        .into_iter()
        .filter(|n| is_candidate(n, current))
        .map(CompletionCandidate::new)
        .collect()
}

/// Namespaces starting with `current`: the namespaces of kubeconfig contexts, and, when the
/// command line reads manifests (`-f`), the namespaces of their objects and their Namespace
/// objects (within [`MANIFEST_BYTE_BUDGET`]). Only valid namespace names (DNS labels).
pub fn namespace_candidates(
    current: &str,
    line: &LineInputs,
    env: &KubeEnv,
) -> Vec<CompletionCandidate> {
    // Namespace → where it was seen.
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    if let Some(loaded) = load_quietly(line, env) {
        for c in &loaded.kubeconfig().contexts {
            if let Some(ns) = c.context.as_ref().and_then(|x| x.namespace.as_deref()) {
                found
                    .entry(ns.to_string())
                    .or_insert_with(|| format!("context {}", c.name));
            }
        }
    }
    for ns in manifest_namespaces(&line.filenames) {
        found.entry(ns).or_insert_with(|| "manifests".to_string());
    }
    found
        .into_iter()
        .filter(|(ns, _)| crate::rbac::identity::is_dns1123_label(ns) && ns.starts_with(current))
        .map(|(ns, help)| candidate(&ns, help))
        .collect()
}

/// The kubeconfig as kubectl would merge it, or nothing when it cannot be read.
fn load_quietly(line: &LineInputs, env: &KubeEnv) -> Option<LoadedKubeconfig> {
    load(line.kubeconfig.as_deref(), env).ok()
}

/// A name is offered when it matches what was typed and cannot break the line-based protocols
/// between the shell and the binary.
fn is_candidate(name: &str, current: &str) -> bool {
    !name.is_empty() && name.starts_with(current) && !name.chars().any(char::is_control)
}

fn candidate(name: &str, help: String) -> CompletionCandidate {
    let c = CompletionCandidate::new(name.to_string());
    if help.is_empty() {
        c
    } else {
        c.help(Some(help.into()))
    }
}

/// Namespaces named in the manifests at `paths` (files, or directories walked for `.yaml`,
/// `.yml` and `.json` files; `-` (stdin) is never read). Files that do not parse are skipped;
/// reading stops at [`MANIFEST_BYTE_BUDGET`] or [`MANIFEST_FILE_BUDGET`] files.
pub fn manifest_namespaces(paths: &[PathBuf]) -> Vec<String> {
    let mut files = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => list_manifest_files(p, &mut files),
            Ok(m) if m.is_file() => files.push((p.clone(), m.len())),
            _ => {}
        }
        if files.len() >= MANIFEST_FILE_BUDGET {
            break;
        }
    }
    let mut spent = 0u64;
    let mut out = std::collections::BTreeSet::new();
    for (file, len) in files.into_iter().take(MANIFEST_FILE_BUDGET) {
        let json = file.extension().and_then(OsStr::to_str) == Some("json");
        spent = spent.saturating_add(if json {
            len
        } else {
            len.saturating_mul(YAML_COST)
        });
        if spent > MANIFEST_BYTE_BUDGET {
            break;
        }
        // One file at a time, so a broken file costs only its own names.
        let Ok(read) = crate::source::manifest::read_paths(std::slice::from_ref(&file)) else {
            continue;
        };
        for (object, _) in &read.objects {
            out.extend(object_namespaces(&object.value()));
        }
    }
    out.into_iter().collect()
}

/// `metadata.namespace`, and `metadata.name` of a core Namespace.
fn object_namespaces(object: &Value) -> Vec<String> {
    let text = |v: &Value, path: &[&str]| {
        path.iter()
            .try_fold(v, |v, k| v.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut out: Vec<String> = text(object, &["metadata", "namespace"])
        .into_iter()
        .collect();
    if text(object, &["kind"]).as_deref() == Some("Namespace")
        && text(object, &["apiVersion"]).as_deref() == Some("v1")
    {
        out.extend(text(object, &["metadata", "name"]));
    }
    out
}

/// Manifest files under `dir`, in name order, not following symlinked directories, until the
/// file budget is reached.
fn list_manifest_files(dir: &Path, files: &mut Vec<(PathBuf, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if files.len() >= MANIFEST_FILE_BUDGET {
            return;
        }
        let Ok(link) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if link.is_dir() {
            list_manifest_files(&path, files);
        } else if matches!(
            path.extension().and_then(OsStr::to_str),
            Some("yaml" | "yml" | "json")
        ) {
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => files.push((path, meta.len())),
                _ => {}
            }
        }
    }
}

// ---- Callbacks for clap's engine ----

/// The command line being completed, set once by [`run`] before clap's engine calls the
/// completers (clap's engine hands a completer only the word being completed).
static LINE: OnceLock<LineInputs> = OnceLock::new();

fn with_line(
    current: &OsStr,
    f: fn(&str, &LineInputs, &KubeEnv) -> Vec<CompletionCandidate>,
) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    let default = LineInputs::default();
    let line = LINE.get().unwrap_or(&default);
    f(current, line, &KubeEnv::from_process())
}

/// Completer of `--context` (see [`context_candidates`]).
pub fn complete_context(current: &OsStr) -> Vec<CompletionCandidate> {
    with_line(current, context_candidates)
}

/// Completer of `--cluster` (see [`cluster_candidates`]).
pub fn complete_cluster(current: &OsStr) -> Vec<CompletionCandidate> {
    with_line(current, cluster_candidates)
}

/// Completer of `--user` (see [`user_candidates`]).
pub fn complete_user(current: &OsStr) -> Vec<CompletionCandidate> {
    with_line(current, user_candidates)
}

/// Completer of `-n/--namespace` (see [`namespace_candidates`]).
pub fn complete_namespace(current: &OsStr) -> Vec<CompletionCandidate> {
    with_line(current, namespace_candidates)
}

// ---- Entry points ----

/// The plugin name when argv[0] is kubectl's completer for a plugin
/// (`kubectl_complete-access_audit`, optionally with a directory and `.exe`).
pub fn kubectl_completer_name(argv0: &OsStr) -> Option<String> {
    let file = Path::new(argv0).file_name()?.to_str()?;
    let stem = file
        .len()
        .checked_sub(4)
        .filter(|&cut| file.is_char_boundary(cut) && file[cut..].eq_ignore_ascii_case(".exe"))
        .map_or(file, |cut| &file[..cut]);
    let name = stem.strip_prefix(KUBECTL_COMPLETER_PREFIX)?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Handles a completion request, if this invocation is one: argv[0] is kubectl's plugin
/// completer, or [`COMPLETE_VAR`] names a shell. Returns the exit status then, `None` for an
/// ordinary run. Must run before anything is written to stdout.
pub fn run(args: &[OsString]) -> Option<Exit> {
    let argv0 = args.first()?;
    let cwd = std::env::current_dir().ok();
    if kubectl_completer_name(argv0).is_some() {
        let env = KubeEnv::from_process();
        let words = &args[1..];
        let mut line = vec![OsString::from(BIN_NAME)];
        line.extend_from_slice(words);
        let _ = LINE.set(LineInputs::from_words(
            &line,
            Quoting::Unquoted,
            env.home.as_deref(),
        ));
        let out = kubectl_plugin_output(words, cwd.as_deref());
        let mut stdout = std::io::stdout().lock();
        // A closed stdout means kubectl stopped listening; nothing to report.
        let _ = stdout.write_all(&out).and_then(|()| stdout.flush());
        return Some(Exit::Yes);
    }
    let shell = std::env::var_os(COMPLETE_VAR).filter(|v| !v.is_empty() && v != "0")?;
    let escape = args.iter().position(|a| a == "--");
    if let Some(i) = escape {
        let quoting = match Path::new(&shell).file_stem().and_then(OsStr::to_str) {
            Some("bash" | "zsh") => Quoting::Raw,
            _ => Quoting::Unquoted,
        };
        let env = KubeEnv::from_process();
        let _ = LINE.set(LineInputs::from_words(
            &args[i + 1..],
            quoting,
            env.home.as_deref(),
        ));
    }
    let result = clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_VAR)
        .bin(registered_name(argv0))
        .try_complete(args.iter().cloned(), cwd.as_deref());
    match result {
        Ok(true) => Some(Exit::Yes),
        Ok(false) => None,
        // A failed completion prints nothing (the shell would paste it into the command line);
        // a failed registration (an unknown shell) says why.
        Err(_) if escape.is_some() => Some(Exit::No),
        Err(e) => {
            let text = e.to_string();
            let text = text.trim_end();
            let text = text.strip_prefix("error: ").unwrap_or(text);
            let _ = writeln!(std::io::stderr(), "error: {text}");
            Some(Exit::Error)
        }
    }
}

/// The command name the shell should complete: argv[0]'s file name without `.exe`
/// (`kubeaudit`, or `kubectl-access_audit` when the plugin binary is run directly).
fn registered_name(argv0: &OsStr) -> String {
    let file = Path::new(argv0)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| BIN_NAME.to_string());
    match file.len().checked_sub(4) {
        Some(cut) if file.is_char_boundary(cut) && file[cut..].eq_ignore_ascii_case(".exe") => {
            file[..cut].to_string()
        }
        _ => file,
    }
}

/// The dynamic registration script for `shell`, exactly as `COMPLETE=SHELL ARGV0` prints it:
/// it makes the shell call `ARGV0` back (made absolute against `cwd` when it is a relative path
/// with a directory) for every completion.
///
/// # Errors
/// `shell` is not one clap_complete's dynamic engine supports.
pub fn registration_script(
    shell: Shell,
    argv0: &OsStr,
    cwd: Option<&Path>,
) -> std::io::Result<Vec<u8>> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Elvish => &Elvish,
        other => {
            return Err(std::io::Error::other(format!(
                "dynamic completion is not available for {other}"
            )))
        }
    };
    let mut program = PathBuf::from(argv0);
    if let Some(cwd) = cwd {
        if program.components().count() > 1 {
            program = cwd.join(program);
        }
    }
    let mut buf = Vec::new();
    completer.write_registration(
        COMPLETE_VAR,
        Cli::command().get_name(),
        &registered_name(argv0),
        &program.to_string_lossy(),
        &mut buf,
    )?;
    Ok(buf)
}

/// kubectl's plugin completion answer for the plugin arguments `words` (the last one is the
/// word being completed, possibly empty): one candidate per line, `VALUE\tHELP` when there is
/// help, then `:DIRECTIVE`, as kubectl reads a `kubectl_complete-PLUGIN` program's output.
pub fn kubectl_plugin_output(words: &[OsString], cwd: Option<&Path>) -> Vec<u8> {
    let mut args = vec![OsString::from(BIN_NAME)];
    args.extend_from_slice(words);
    if words.is_empty() {
        args.push(OsString::new());
    }
    let index = args.len() - 1;
    let candidates =
        clap_complete::engine::complete(&mut Cli::command(), args, index, cwd).unwrap_or_default();
    let mut out = String::new();
    let mut directive = DIRECTIVE_NO_FILE_COMP;
    for c in &candidates {
        let value = c.get_value().to_string_lossy();
        if value.contains(['\n', '\t']) {
            continue;
        }
        // A directory (or `--flag=`) is a prefix to go on typing after.
        if value.ends_with(['/', '=']) {
            directive |= DIRECTIVE_NO_SPACE;
        }
        out.push_str(&value);
        if let Some(help) = c.get_help() {
            let help = help.to_string();
            if let Some(first) = help.lines().next().filter(|l| !l.is_empty()) {
                out.push('\t');
                out.push_str(first);
            }
        }
        out.push('\n');
    }
    out.push_str(&format!(":{directive}\n"));
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    fn values(c: &[CompletionCandidate]) -> Vec<String> {
        c.iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    fn help_of(c: &[CompletionCandidate], value: &str) -> Option<String> {
        c.iter()
            .find(|c| c.get_value() == value)
            .and_then(|c| c.get_help().map(ToString::to_string))
    }

    const KUBECONFIG_A: &str = "\
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster: {server: 'https://prod.example:6443'}
- name: staging-cluster
  cluster: {server: 'https://staging.example:6443'}
users:
- name: alice
  user: {token: SECRET-TOKEN-A}
- name: ci-bot
  user: {password: hunter2, username: ci}
contexts:
- name: prod
  context: {cluster: prod-cluster, user: alice, namespace: shop}
- name: staging
  context: {cluster: staging-cluster, user: ci-bot, namespace: payments}
- name: playground
  context: {cluster: staging-cluster, user: alice}
";

    const KUBECONFIG_B: &str = "\
apiVersion: v1
kind: Config
clusters:
- name: other-cluster
  cluster: {server: 'https://other.example'}
users:
- name: bob
  user: {token: SECRET-TOKEN-B}
contexts:
- name: other
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
            Fixture { dir }
        }

        fn path(&self, name: &str) -> PathBuf {
            self.dir.path().join(name)
        }

        /// KUBECONFIG lists a.yaml then b.yaml; HOME has no kubeconfig.
        fn env(&self) -> KubeEnv {
            KubeEnv {
                kubeconfig: Some(
                    std::env::join_paths([self.path("a.yaml"), self.path("b.yaml")]).expect("join"),
                ),
                home: Some(self.path("home")),
                ..KubeEnv::default()
            }
        }
    }

    #[test]
    fn contexts_come_from_the_merged_kubeconfig_list() {
        let f = Fixture::new();
        let line = LineInputs::default();
        let all = context_candidates("", &line, &f.env());
        assert_eq!(values(&all), ["other", "playground", "prod", "staging"]);
        let p = context_candidates("p", &line, &f.env());
        assert_eq!(values(&p), ["playground", "prod"]);
        assert_eq!(
            help_of(&p, "prod").as_deref(),
            Some("cluster prod-cluster, namespace shop (current)")
        );
        assert_eq!(
            help_of(&p, "playground").as_deref(),
            Some("cluster staging-cluster")
        );
        assert!(context_candidates("x", &line, &f.env()).is_empty());
    }

    #[test]
    fn kubeconfig_on_the_line_is_used_alone() {
        let f = Fixture::new();
        let line = LineInputs {
            kubeconfig: Some(f.path("b.yaml")),
            ..LineInputs::default()
        };
        assert_eq!(values(&context_candidates("", &line, &f.env())), ["other"]);
        assert_eq!(
            values(&cluster_candidates("", &line, &f.env())),
            ["other-cluster"]
        );
        assert_eq!(values(&user_candidates("", &line, &f.env())), ["bob"]);
    }

    #[test]
    fn home_kubeconfig_when_kubeconfig_is_unset() {
        let f = Fixture::new();
        std::fs::create_dir_all(f.path("home/.kube")).expect("mkdir");
        std::fs::copy(f.path("b.yaml"), f.path("home/.kube/config")).expect("copy");
        let env = KubeEnv {
            home: Some(f.path("home")),
            ..KubeEnv::default()
        };
        let line = LineInputs::default();
        assert_eq!(values(&context_candidates("", &line, &env)), ["other"]);
    }

    #[test]
    fn clusters_and_users_are_names_only() {
        let f = Fixture::new();
        let line = LineInputs::default();
        let clusters = cluster_candidates("", &line, &f.env());
        assert_eq!(
            values(&clusters),
            ["other-cluster", "prod-cluster", "staging-cluster"]
        );
        let users = user_candidates("", &line, &f.env());
        assert_eq!(values(&users), ["alice", "bob", "ci-bot"]);
        assert_eq!(values(&user_candidates("c", &line, &f.env())), ["ci-bot"]);
        // Nothing about a credential anywhere in what is offered.
        let everything = [
            clusters,
            users,
            context_candidates("", &line, &f.env()),
            namespace_candidates("", &line, &f.env()),
        ];
        let everything = everything.iter().flatten();
        for c in everything {
            let text = format!(
                "{} {}",
                c.get_value().to_string_lossy(),
                c.get_help().map(ToString::to_string).unwrap_or_default()
            );
            for secret in ["SECRET", "hunter2", "https://"] {
                assert!(!text.contains(secret), "{text}");
            }
        }
    }

    #[test]
    fn broken_or_missing_kubeconfigs_give_no_candidates() {
        let f = Fixture::new();
        std::fs::write(f.path("broken.yaml"), "contexts: [{name: x, context: 7\n").expect("w");
        std::fs::write(f.path("binary.yaml"), [0xff, 0xfe, 0x00, 0x01]).expect("w");
        for file in ["broken.yaml", "binary.yaml", "missing.yaml"] {
            let line = LineInputs {
                kubeconfig: Some(f.path(file)),
                ..LineInputs::default()
            };
            assert!(context_candidates("", &line, &f.env()).is_empty(), "{file}");
            assert!(cluster_candidates("", &line, &f.env()).is_empty(), "{file}");
            assert!(user_candidates("", &line, &f.env()).is_empty(), "{file}");
            assert!(
                namespace_candidates("", &line, &f.env()).is_empty(),
                "{file}"
            );
        }
        // A directory where a file is expected, and no kubeconfig at all.
        let line = LineInputs {
            kubeconfig: Some(f.dir.path().to_path_buf()),
            ..LineInputs::default()
        };
        assert!(context_candidates("", &line, &f.env()).is_empty());
        let nothing = KubeEnv {
            home: Some(f.path("nowhere")),
            ..KubeEnv::default()
        };
        assert!(context_candidates("", &LineInputs::default(), &nothing).is_empty());
    }

    #[test]
    fn names_with_control_characters_are_not_offered() {
        let f = Fixture::new();
        std::fs::write(
            f.path("odd.yaml"),
            "contexts:\n- name: \"evil\\nrm -rf\"\n  context: {cluster: c}\n- name: fine\n  context: {cluster: c}\n",
        )
        .expect("w");
        let line = LineInputs {
            kubeconfig: Some(f.path("odd.yaml")),
            ..LineInputs::default()
        };
        assert_eq!(values(&context_candidates("", &line, &f.env())), ["fine"]);
    }

    #[test]
    fn namespaces_from_contexts_and_manifests() {
        let f = Fixture::new();
        let manifests = f.path("manifests");
        std::fs::create_dir_all(manifests.join("nested")).expect("mkdir");
        std::fs::write(
            manifests.join("ns.yaml"),
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n---\n\
             apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: shop}\n",
        )
        .expect("w");
        std::fs::write(
            manifests.join("nested/list.json"),
            r#"{"apiVersion":"v1","kind":"List","items":[
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ingress-nginx"}},
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"q","namespace":"Not_A_Label"}}]}"#,
        )
        .expect("w");
        std::fs::write(manifests.join("broken.yaml"), "kind: [\n").expect("w");
        std::fs::write(manifests.join("notes.txt"), "namespace: ignored-txt\n").expect("w");
        let line = LineInputs {
            filenames: vec![manifests.clone(), PathBuf::from("-"), f.path("nope.yaml")],
            ..LineInputs::default()
        };
        let all = namespace_candidates("", &line, &f.env());
        assert_eq!(
            values(&all),
            ["ingress-nginx", "monitoring", "payments", "shop", "team-a"]
        );
        // A context's namespace is described by its context, others by where they were seen.
        assert_eq!(help_of(&all, "shop").as_deref(), Some("context prod"));
        assert_eq!(help_of(&all, "team-a").as_deref(), Some("manifests"));
        assert_eq!(
            values(&namespace_candidates("in", &line, &f.env())),
            ["ingress-nginx"]
        );
        // Without -f only the contexts' namespaces.
        let none = LineInputs::default();
        assert_eq!(
            values(&namespace_candidates("", &none, &f.env())),
            ["monitoring", "payments", "shop"]
        );
        // A single file works too, and a broken kubeconfig does not hide the manifests.
        let line = LineInputs {
            kubeconfig: Some(f.path("missing.yaml")),
            filenames: vec![manifests.join("ns.yaml")],
        };
        assert_eq!(
            values(&namespace_candidates("", &line, &f.env())),
            ["shop", "team-a"]
        );
    }

    #[test]
    fn manifests_beyond_the_budget_are_not_read() {
        let f = Fixture::new();
        let big = f.path("big.yaml");
        let mut text =
            String::from("apiVersion: v1\nkind: Namespace\nmetadata: {name: big-one}\n# ");
        // Over the budget as YAML, though under it as a byte count.
        let size = MANIFEST_BYTE_BUDGET / YAML_COST + 1;
        text.push_str(&"x".repeat(usize::try_from(size).unwrap_or(usize::MAX)));
        text.push('\n');
        std::fs::write(&big, text).expect("w");
        std::fs::write(
            f.path("small.yaml"),
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: small-one}\n",
        )
        .expect("w");
        assert!(manifest_namespaces(std::slice::from_ref(&big)).is_empty());
        assert_eq!(
            manifest_namespaces(&[f.path("small.yaml"), big]),
            ["small-one"]
        );
        // The same size as JSON is within the budget.
        let json = f.path("big.json");
        let padding = "x".repeat(usize::try_from(size).unwrap_or(usize::MAX));
        std::fs::write(
            &json,
            format!(
                r#"{{"apiVersion":"v1","kind":"Namespace","metadata":{{"name":"json-one","annotations":{{"pad":"{padding}"}}}}}}"#
            ),
        )
        .expect("w");
        assert_eq!(manifest_namespaces(&[json]), ["json-one"]);
    }

    #[test]
    fn line_inputs_follow_the_real_parse() {
        let home = Path::new("/home/u");
        let parse = |w: &[&str]| LineInputs::from_words(&os(w), Quoting::Raw, Some(home));
        let l = parse(&[
            "kubeaudit",
            "can-i",
            "get",
            "pods",
            "--kubeconfig",
            "/k",
            "-f",
            "a.yaml",
            "--context",
            "pr",
        ]);
        assert_eq!(l.kubeconfig.as_deref(), Some(Path::new("/k")));
        assert_eq!(l.filenames, [PathBuf::from("a.yaml")]);
        // Global flags before the subcommand, `=` forms, short clusters, a trailing flag
        // without its value.
        let l = parse(&["kubeaudit", "--kubeconfig=/k2", "who-can", "-Af", "m", "-n"]);
        assert_eq!(l.kubeconfig.as_deref(), Some(Path::new("/k2")));
        assert_eq!(l.filenames, [PathBuf::from("m")]);
        // bash's split of `--kubeconfig=/k3` and `-f=x`.
        let l = parse(&[
            "kubeaudit",
            "--kubeconfig",
            "=",
            "/k3",
            "--filename",
            "=",
            "x",
            "--context",
            "=",
        ]);
        assert_eq!(l.kubeconfig.as_deref(), Some(Path::new("/k3")));
        assert_eq!(l.filenames, [PathBuf::from("x")]);
        // Quotes and tildes as typed.
        let l = parse(&[
            "kubeaudit",
            "--kubeconfig",
            "'~/my dir/kc'",
            "-f",
            "~/m\\ 1.yaml",
            "-f",
            "\"a b\"",
        ]);
        assert_eq!(
            l.kubeconfig.as_deref(),
            Some(Path::new("/home/u/my dir/kc"))
        );
        assert_eq!(
            l.filenames,
            [PathBuf::from("/home/u/m 1.yaml"), PathBuf::from("a b")]
        );
        // An incomplete flag under the cursor, or nothing at all.
        let l = parse(&["kubeaudit", "-f", "x", "--kubec"]);
        assert_eq!(l.filenames, [PathBuf::from("x")]);
        assert_eq!(parse(&["kubeaudit"]), LineInputs::default());
        assert_eq!(parse(&[]), LineInputs::default());
        // `--` ends the options: a later `-f` is an argument.
        let l = parse(&["kubeaudit", "review", "--", "-f", "x"]);
        assert!(l.filenames.is_empty(), "{l:?}");
    }

    #[test]
    fn unquoting_and_tildes() {
        assert_eq!(shell_unquote(r#"'a b'"c\"d"e\ f"#), "a bc\"de f");
        assert_eq!(shell_unquote(r#""x\ny""#), "x\\ny");
        assert_eq!(shell_unquote("'unclosed"), "unclosed");
        assert_eq!(shell_unquote("trail\\"), "trail");
        let home = Some(Path::new("/h"));
        assert_eq!(expand_tilde(Path::new("~"), home), PathBuf::from("/h"));
        assert_eq!(expand_tilde(Path::new("~/x"), home), PathBuf::from("/h/x"));
        assert_eq!(expand_tilde(Path::new("~x/y"), home), PathBuf::from("~x/y"));
        assert_eq!(expand_tilde(Path::new("~/x"), None), PathBuf::from("~/x"));
    }

    #[test]
    fn kubectl_completer_names() {
        let name = |s: &str| kubectl_completer_name(OsStr::new(s));
        assert_eq!(
            name("/usr/local/bin/kubectl_complete-access_audit").as_deref(),
            Some("access_audit")
        );
        assert_eq!(
            name("kubectl_complete-access_audit.exe").as_deref(),
            Some("access_audit")
        );
        assert_eq!(name("kubectl-access_audit"), None);
        assert_eq!(name("kubectl_complete-"), None);
        assert_eq!(name("kubeaudit"), None);
        assert_eq!(
            registered_name(OsStr::new("/x/kubectl-access_audit.exe")),
            "kubectl-access_audit"
        );
        assert_eq!(registered_name(OsStr::new("kubeaudit")), "kubeaudit");
    }

    #[test]
    fn kubectl_output_lists_flags_and_subcommands_with_a_directive() {
        let out =
            |w: &[&str]| String::from_utf8(kubectl_plugin_output(&os(w), None)).expect("utf-8");
        let subs = out(&["who"]);
        assert_eq!(subs.lines().last(), Some(":4"), "{subs}");
        assert!(subs.starts_with("who-can\t"), "{subs}");
        let flags = out(&["can-i", "--conte"]);
        assert!(flags.lines().any(|l| l.starts_with("--context")), "{flags}");
        let colors = out(&["--color", ""]);
        let values: Vec<&str> = colors
            .lines()
            .map(|l| l.split('\t').next().unwrap_or(""))
            .collect();
        assert_eq!(values, ["auto", "always", "never", ":4"]);
        // No words at all: the first word.
        assert!(out(&[]).lines().any(|l| l.starts_with("can-i")));
    }

    #[test]
    fn registration_names_the_program_and_the_variable() {
        let script = registration_script(Shell::Bash, OsStr::new("kubeaudit"), None).expect("bash");
        let script = String::from_utf8(script).expect("utf-8");
        assert!(script.contains("COMPLETE=\"bash\""), "{script}");
        assert!(
            script.contains("_clap_complete_kubeaudit kubeaudit"),
            "{script}"
        );
        let script = registration_script(
            Shell::Zsh,
            OsStr::new("./bin/kubectl-access_audit"),
            Some(Path::new("/w")),
        )
        .expect("zsh");
        let script = String::from_utf8(script).expect("utf-8");
        assert!(script.contains("/w/./bin/kubectl-access_audit"), "{script}");
        assert!(
            script.contains("compdef _clap_dynamic_completer_kubeaudit kubectl-access_audit"),
            "{script}"
        );
        for shell in crate::artifacts::SHELLS {
            assert!(registration_script(shell, OsStr::new("kubeaudit"), None).is_ok());
        }
    }
}
