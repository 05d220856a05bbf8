//! Finding and merging kubeconfig files with client-go's loading rules.
//!
//! * `--kubeconfig FILE` is used alone and must exist.
//! * Otherwise a non-empty `KUBECONFIG` is split with the platform list separator; duplicate
//!   entries are dropped, empty entries and missing files are skipped. Only when every listed file
//!   is missing is that worth a warning. `~/.kube/config` is *not* consulted then, even if the list
//!   had only empty entries (`KUBECONFIG=:`), exactly as kubectl.
//! * Otherwise `~/.kube/config`, when it exists.
//!
//! The first file to define a cluster, user or context name wins the whole entry; the first
//! non-empty `current-context` wins. Empty strings count as unset, as Go's zero values do.
//! Relative paths inside a file are made absolute against that file's directory, and only a
//! file's first YAML document is read, as kubectl does. (kube's own `Kubeconfig::read_from` also
//! resolves paths, but turns an empty path into the directory and merges every document.)

use std::{
    collections::BTreeMap,
    ffi::OsString,
    fmt, fs, io,
    path::{Component, Path, PathBuf},
};

use kube::config::{AuthInfo, Cluster, Kubeconfig};
use secrecy::ExposeSecret;
use serde::Serialize;

use super::{env::KubeEnv, error::KubeconfigError};

/// How the list of kubeconfig files was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadOrigin {
    /// `--kubeconfig FILE`.
    Flag,
    /// The `KUBECONFIG` list.
    KubeconfigEnv,
    /// `~/.kube/config`.
    HomeFile,
}

/// One kubeconfig file that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// Absolute, lexically cleaned path.
    pub path: PathBuf,
    /// Unix permission bits (`mode & 0o7777`) when the platform has them.
    pub mode: Option<u32>,
}

/// Something about loading worth telling the user, without failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LoadWarning {
    /// `KUBECONFIG` named files, and none of them exists.
    AllFilesMissing {
        /// The missing files.
        paths: Vec<PathBuf>,
    },
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadWarning::AllFilesMissing { paths } => {
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                write!(f, "Config not found: {}", list.join(", "))
            }
        }
    }
}

/// Which file defined a named entry (index into [`LoadedKubeconfig::files`]).
type Origins = BTreeMap<String, usize>;

/// The merged kubeconfig plus where each part came from.
///
/// Holds credentials, so it deliberately has no derived `Debug` and no `Serialize`.
#[derive(Clone)]
pub struct LoadedKubeconfig {
    origin: LoadOrigin,
    files: Vec<SourceFile>,
    missing: Vec<PathBuf>,
    searched: Vec<PathBuf>,
    warnings: Vec<LoadWarning>,
    merged: Kubeconfig,
    cluster_origin: Origins,
    user_origin: Origins,
    context_origin: Origins,
    path_env: Option<OsString>,
}

impl fmt::Debug for LoadedKubeconfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadedKubeconfig")
            .field("origin", &self.origin)
            .field("files", &self.files)
            .field("missing", &self.missing)
            .field("warnings", &self.warnings)
            .field("current_context", &self.merged.current_context)
            .field("contexts", &self.context_names())
            .field("clusters", &self.cluster_names())
            .field("users", &self.user_names())
            .finish_non_exhaustive()
    }
}

impl LoadedKubeconfig {
    /// How the file list was chosen.
    pub fn origin(&self) -> LoadOrigin {
        self.origin
    }

    /// The files that were read, in merge order (earlier wins).
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Listed files that do not exist (skipped).
    pub fn missing_files(&self) -> &[PathBuf] {
        &self.missing
    }

    /// Every file that was considered, read or missing.
    pub fn searched_files(&self) -> &[PathBuf] {
        &self.searched
    }

    /// Non-fatal problems, for the caller to print on stderr.
    pub fn warnings(&self) -> &[LoadWarning] {
        &self.warnings
    }

    /// The merged kubeconfig. Contains credentials: never print or serialize it.
    pub fn kubeconfig(&self) -> &Kubeconfig {
        &self.merged
    }

    /// The merged `current-context`, if set and non-empty.
    pub fn current_context(&self) -> Option<&str> {
        self.merged.current_context.as_deref()
    }

    /// True when no file contributed anything.
    pub fn is_empty(&self) -> bool {
        self.merged.clusters.is_empty()
            && self.merged.auth_infos.is_empty()
            && self.merged.contexts.is_empty()
            && self.merged.current_context.is_none()
    }

    /// Context names, sorted.
    pub fn context_names(&self) -> Vec<String> {
        sorted(self.merged.contexts.iter().map(|c| c.name.clone()))
    }

    /// Cluster names, sorted.
    pub fn cluster_names(&self) -> Vec<String> {
        sorted(self.merged.clusters.iter().map(|c| c.name.clone()))
    }

    /// User names, sorted.
    pub fn user_names(&self) -> Vec<String> {
        sorted(self.merged.auth_infos.iter().map(|c| c.name.clone()))
    }

    /// The file that defined the context `name`.
    pub fn context_file(&self, name: &str) -> Option<&SourceFile> {
        self.context_origin.get(name).map(|&i| &self.files[i])
    }

    /// The file that defined the cluster `name`.
    pub fn cluster_file(&self, name: &str) -> Option<&SourceFile> {
        self.cluster_origin.get(name).map(|&i| &self.files[i])
    }

    /// The file that defined the user `name`.
    pub fn user_file(&self, name: &str) -> Option<&SourceFile> {
        self.user_origin.get(name).map(|&i| &self.files[i])
    }

    /// `PATH` at load time: exec plugins are looked up in it.
    pub fn path_env(&self) -> Option<&OsString> {
        self.path_env.as_ref()
    }

    /// Builds a loaded kubeconfig from an in-memory value (one pseudo-file), e.g. for tests or
    /// a kubeconfig read from stdin. Relative paths are left as they are.
    pub fn from_kubeconfig(mut kubeconfig: Kubeconfig, name: PathBuf, env: &KubeEnv) -> Self {
        normalize(&mut kubeconfig);
        let mut loaded = LoadedKubeconfig::empty(LoadOrigin::Flag, env);
        loaded.searched.push(name.clone());
        loaded.files.push(SourceFile {
            path: name,
            mode: None,
        });
        loaded.record_origins(&kubeconfig, 0);
        loaded.merged = kubeconfig;
        loaded
    }

    fn empty(origin: LoadOrigin, env: &KubeEnv) -> Self {
        LoadedKubeconfig {
            origin,
            files: Vec::new(),
            missing: Vec::new(),
            searched: Vec::new(),
            warnings: Vec::new(),
            merged: Kubeconfig::default(),
            cluster_origin: Origins::new(),
            user_origin: Origins::new(),
            context_origin: Origins::new(),
            path_env: env.path.clone(),
        }
    }

    fn record_origins(&mut self, kc: &Kubeconfig, index: usize) {
        for c in &kc.clusters {
            self.cluster_origin.entry(c.name.clone()).or_insert(index);
        }
        for u in &kc.auth_infos {
            self.user_origin.entry(u.name.clone()).or_insert(index);
        }
        for c in &kc.contexts {
            self.context_origin.entry(c.name.clone()).or_insert(index);
        }
    }
}

fn sorted(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = names.collect();
    v.sort();
    v.dedup();
    v
}

/// Loads the kubeconfig the way kubectl does. `kubeconfig_flag` is `--kubeconfig` (an empty path
/// counts as not given, as in client-go).
pub fn load(
    kubeconfig_flag: Option<&Path>,
    env: &KubeEnv,
) -> Result<LoadedKubeconfig, KubeconfigError> {
    let flag = kubeconfig_flag.filter(|p| !p.as_os_str().is_empty());
    let env_list = env.kubeconfig.as_ref().filter(|v| !v.is_empty());
    let (origin, candidates) = if let Some(path) = flag {
        if matches!(fs::metadata(path), Err(e) if e.kind() == io::ErrorKind::NotFound) {
            return Err(KubeconfigError::ExplicitFileMissing {
                path: path.to_path_buf(),
            });
        }
        (LoadOrigin::Flag, vec![path.to_path_buf()])
    } else if let Some(list) = env_list {
        let mut paths: Vec<PathBuf> = Vec::new();
        for p in std::env::split_paths(list) {
            if !paths.contains(&p) {
                paths.push(p);
            }
        }
        (LoadOrigin::KubeconfigEnv, paths)
    } else {
        (
            LoadOrigin::HomeFile,
            env.home_kubeconfig().into_iter().collect(),
        )
    };

    let mut loaded = LoadedKubeconfig::empty(origin, env);
    for candidate in candidates {
        if candidate.as_os_str().is_empty() {
            continue;
        }
        let path = absolute_clean(&candidate);
        loaded.searched.push(path.clone());
        let (kc, mode) = match read_file(&path) {
            Ok(v) => v,
            Err(KubeconfigError::Read { source, .. })
                if source.kind() == io::ErrorKind::NotFound =>
            {
                loaded.missing.push(path);
                continue;
            }
            Err(e) => return Err(e),
        };
        let index = loaded.files.len();
        loaded.record_origins(&kc, index);
        let merged = std::mem::take(&mut loaded.merged);
        loaded.merged = merged.merge(kc).map_err(|e| KubeconfigError::Merge {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        loaded.files.push(SourceFile { path, mode });
    }
    if origin == LoadOrigin::KubeconfigEnv && loaded.files.is_empty() && !loaded.missing.is_empty()
    {
        loaded.warnings.push(LoadWarning::AllFilesMissing {
            paths: loaded.missing.clone(),
        });
    }
    Ok(loaded)
}

/// Reads and parses one kubeconfig file; returns it with relative paths resolved and its mode.
fn read_file(path: &Path) -> Result<(Kubeconfig, Option<u32>), KubeconfigError> {
    let read_err = |source| KubeconfigError::Read {
        path: path.to_path_buf(),
        source,
    };
    let bytes = crate::source::bounded::read_kubeconfig(path).map_err(read_err)?;
    let mode = file_mode(path);
    let text = decode_text(bytes).map_err(|reason| KubeconfigError::Encoding {
        path: path.to_path_buf(),
        reason,
    })?;
    // kubectl reads only the first YAML document of a kubeconfig file (verified with kubectl
    // 1.32); kube's `Kubeconfig::from_yaml` would merge all of them.
    let docs: Vec<Kubeconfig> =
        serde_saphyr::from_multiple(&text).map_err(|e| KubeconfigError::Parse {
            path: path.to_path_buf(),
            message: sanitize_parse_message(&e.to_string()),
        })?;
    let mut kc = docs.into_iter().next().unwrap_or_default();
    normalize(&mut kc);
    if let Some(dir) = path.parent() {
        resolve_relative_paths(&mut kc, dir);
    }
    Ok((kc, mode))
}

#[cfg(unix)]
fn file_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn file_mode(_path: &Path) -> Option<u32> {
    None
}

/// UTF-8, with an optional BOM, or UTF-16 with a BOM (kubectl on Windows writes that).
fn decode_text(bytes: Vec<u8>) -> Result<String, &'static str> {
    if let Some(text) = crate::source::bounded::utf16_text(&bytes) {
        return text;
    }
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8(rest.to_vec()).map_err(|_| "invalid UTF-8")
        }
        _ => String::from_utf8(bytes).map_err(|_| "invalid UTF-8"),
    }
}

/// Keeps the parser's location and reason but drops anything quoted from the input: a misplaced
/// token would otherwise be echoed in the error.
fn sanitize_parse_message(message: &str) -> String {
    let first_line = crate::source::in_user_words(message.lines().next().unwrap_or_default());
    let mut out = String::with_capacity(first_line.len());
    let mut in_quotes = false;
    for ch in first_line.chars() {
        match (ch, in_quotes) {
            ('"', false) => {
                in_quotes = true;
                out.push_str("\"…");
            }
            ('"', true) => {
                in_quotes = false;
                out.push('"');
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    if in_quotes {
        out.push('"');
    }
    out
}

fn non_empty(v: &mut Option<String>) {
    if v.as_deref() == Some("") {
        *v = None;
    }
}

/// Empty strings are Go's zero values: unset, not "set to empty".
pub(crate) fn normalize(kc: &mut Kubeconfig) {
    non_empty(&mut kc.current_context);
    for c in &mut kc.contexts {
        if let Some(ctx) = &mut c.context {
            non_empty(&mut ctx.user);
            non_empty(&mut ctx.namespace);
        }
    }
    for c in &mut kc.clusters {
        if let Some(cl) = &mut c.cluster {
            normalize_cluster(cl);
        }
    }
    for u in &mut kc.auth_infos {
        if let Some(a) = &mut u.auth_info {
            normalize_auth(a);
        }
    }
}

fn normalize_cluster(cl: &mut Cluster) {
    non_empty(&mut cl.server);
    non_empty(&mut cl.certificate_authority);
    non_empty(&mut cl.certificate_authority_data);
    non_empty(&mut cl.proxy_url);
    non_empty(&mut cl.tls_server_name);
}

fn normalize_auth(a: &mut AuthInfo) {
    non_empty(&mut a.username);
    non_empty(&mut a.token_file);
    non_empty(&mut a.client_certificate);
    non_empty(&mut a.client_certificate_data);
    non_empty(&mut a.client_key);
    non_empty(&mut a.impersonate);
    non_empty(&mut a.impersonate_uid);
    if a.password
        .as_ref()
        .is_some_and(|p| p.expose_secret().is_empty())
    {
        a.password = None;
    }
    if a.token
        .as_ref()
        .is_some_and(|p| p.expose_secret().is_empty())
    {
        a.token = None;
    }
    if a.client_key_data
        .as_ref()
        .is_some_and(|p| p.expose_secret().is_empty())
    {
        a.client_key_data = None;
    }
    if let Some(exec) = &mut a.exec {
        non_empty(&mut exec.command);
        non_empty(&mut exec.api_version);
    }
}

/// client-go's `ResolveLocalPaths`: CA, client cert/key, token file, and an exec command that
/// contains a path separator (bare names are looked up on PATH).
fn resolve_relative_paths(kc: &mut Kubeconfig, dir: &Path) {
    let fix = |v: &mut Option<String>| {
        let resolved = v
            .as_deref()
            .filter(|p| Path::new(p).is_relative())
            .and_then(|p| clean(&dir.join(p)).to_str().map(str::to_string));
        if resolved.is_some() {
            *v = resolved;
        }
    };
    for c in &mut kc.clusters {
        if let Some(cl) = &mut c.cluster {
            fix(&mut cl.certificate_authority);
        }
    }
    for u in &mut kc.auth_infos {
        if let Some(a) = &mut u.auth_info {
            fix(&mut a.client_certificate);
            fix(&mut a.client_key);
            fix(&mut a.token_file);
            if let Some(exec) = &mut a.exec {
                if exec
                    .command
                    .as_deref()
                    .is_some_and(|c| c.contains(std::path::MAIN_SEPARATOR))
                {
                    fix(&mut exec.command);
                }
            }
        }
    }
}

/// `path` made absolute against the current directory and lexically cleaned (Go's `filepath.Abs`).
pub(crate) fn absolute_clean(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    clean(&abs)
}

/// Lexical cleaning as Go's `filepath.Clean`: drops `.`, folds `dir/..`.
pub(crate) fn clean(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_with(kubeconfig: Option<&str>, home: Option<&Path>) -> KubeEnv {
        KubeEnv {
            kubeconfig: kubeconfig.map(OsString::from),
            home: home.map(Path::to_path_buf),
            ..KubeEnv::default()
        }
    }

    #[test]
    fn clean_matches_go() {
        assert_eq!(clean(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(clean(Path::new("/../a")), PathBuf::from("/a"));
        assert_eq!(clean(Path::new("a/../../b")), PathBuf::from("../b"));
        assert_eq!(clean(Path::new("./")), PathBuf::from("."));
    }

    #[test]
    fn parse_message_drops_quoted_input() {
        let m = sanitize_parse_message(
            "line 3: invalid type: string \"s3cr3t\", expected a boolean\n  3 | x: s3cr3t",
        );
        assert!(!m.contains("s3cr3t"), "{m}");
        assert!(m.contains("line 3"));
    }

    #[test]
    fn decodes_boms() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFa: b".to_vec()).unwrap(), "a: b");
        assert_eq!(decode_text(vec![0xFF, 0xFE, b'a', 0]).unwrap(), "a");
        assert_eq!(decode_text(vec![0xFE, 0xFF, 0, b'a']).unwrap(), "a");
        assert!(decode_text(vec![0xC3]).is_err());
    }

    #[test]
    fn empty_kubeconfig_env_falls_back_to_home() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".kube")).unwrap();
        std::fs::write(
            dir.path().join(".kube/config"),
            "current-context: home\ncontexts: [{name: home, context: {cluster: c}}]\n",
        )
        .unwrap();
        let loaded = load(None, &env_with(Some(""), Some(dir.path()))).unwrap();
        assert_eq!(loaded.origin(), LoadOrigin::HomeFile);
        assert_eq!(loaded.current_context(), Some("home"));
        // Only separators: client-go uses the (empty) list and never looks at HOME.
        let sep = if cfg!(windows) { ";" } else { ":" };
        let loaded = load(None, &env_with(Some(sep), Some(dir.path()))).unwrap();
        assert_eq!(loaded.origin(), LoadOrigin::KubeconfigEnv);
        assert!(loaded.is_empty());
        assert!(loaded.warnings().is_empty());
    }

    #[test]
    fn empty_values_do_not_win() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, "current-context: \"\"\n").unwrap();
        std::fs::write(&b, "current-context: second\n").unwrap();
        let list = std::env::join_paths([&a, &b]).unwrap();
        let env = KubeEnv {
            kubeconfig: Some(list),
            ..KubeEnv::default()
        };
        assert_eq!(load(None, &env).unwrap().current_context(), Some("second"));
    }

    #[test]
    fn only_the_first_document_counts() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("multi");
        std::fs::write(
            &f,
            "current-context: one\ncontexts: [{name: one, context: {cluster: c}}]\n---\n\
             contexts: [{name: two, context: {cluster: c}}]\n",
        )
        .unwrap();
        let loaded = load(Some(&f), &KubeEnv::default()).unwrap();
        assert_eq!(loaded.context_names(), ["one"]);
    }

    #[test]
    fn debug_lists_names_only() {
        let kc = Kubeconfig::from_yaml(
            "users: [{name: u, user: {token: tok-SECRET, auth-provider: {name: oidc, config: {id-token: idt-SECRET}}}}]\n",
        )
        .unwrap();
        let loaded = LoadedKubeconfig::from_kubeconfig(kc, "mem".into(), &KubeEnv::default());
        let dbg = format!("{loaded:?}");
        assert!(dbg.contains("\"u\""));
        assert!(!dbg.contains("SECRET"), "{dbg}");
    }
}
