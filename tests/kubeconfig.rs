//! Kubeconfig loading, selection, client configuration and the `contexts` audit, end to end with
//! real files. The process environment is never modified: every test passes a `KubeEnv`.

use std::{
    convert::Infallible,
    ffi::OsString,
    fs,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use base64::Engine as _;
use kube::config::KubeConfigOptions;
use kubeaudit::source::{
    contexts::{audit_contexts, FindingId, Severity},
    kubeconfig::{
        in_cluster_possible, load, load_and_resolve, parse_request_timeout, resolve, AuthMethod,
        ClientOptions, ConfigSource, KubeEnv, KubeconfigError, LoadOrigin, LoadWarning, NameOrigin,
    },
};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// helpers

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, content).unwrap();
    path
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn env_list(paths: &[&Path]) -> KubeEnv {
    KubeEnv {
        kubeconfig: Some(std::env::join_paths(paths).unwrap()),
        ..KubeEnv::default()
    }
}

fn select(context: Option<&str>, cluster: Option<&str>, user: Option<&str>) -> KubeConfigOptions {
    KubeConfigOptions {
        context: context.map(String::from),
        cluster: cluster.map(String::from),
        user: user.map(String::from),
    }
}

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// A self-signed CA plus a leaf signed by it, with chosen validity.
struct Pki {
    ca_pem: String,
    ca_der: Vec<u8>,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
}

impl Pki {
    fn new() -> Self {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "kubeaudit-test-ca");
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Pki {
            ca_pem: cert.pem(),
            ca_der: cert.der().to_vec(),
            issuer: rcgen::Issuer::new(params, key),
        }
    }

    /// (certificate PEM, key PEM) for `names`, valid until `not_after` (y, m, d).
    fn leaf(&self, names: &[&str], not_after: (i32, u8, u8)) -> (String, String) {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let mut params = rcgen::CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "alice");
        params.not_before = rcgen::date_time_ymd(2000, 1, 1);
        params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    }
}

fn unix(y: i32, m: u8, d: u8) -> SystemTime {
    let t = rcgen::date_time_ymd(y, m, d).unix_timestamp();
    UNIX_EPOCH + Duration::from_secs(t as u64)
}

const VERSION_JSON: &str = r#"{"major":"1","minor":"35","gitVersion":"v1.35.0","gitCommit":"x",
"gitTreeState":"clean","buildDate":"2026-01-01T00:00:00Z","goVersion":"go1.25","compiler":"gc",
"platform":"linux/amd64"}"#;

/// A loopback API server stand-in that answers `/version` and records `Authorization` headers.
struct FakeApiServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Option<String>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeApiServer {
    async fn start(tls: Option<tokio_rustls::TlsAcceptor>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let seen_in_task = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let seen = seen_in_task.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            let auth = req
                                .headers()
                                .get("authorization")
                                .and_then(|v| v.to_str().ok())
                                .map(String::from);
                            seen.lock().unwrap().push(auth);
                            async move {
                                let mut resp = hyper::Response::new(http_body_util::Full::new(
                                    VERSION_JSON.as_bytes(),
                                ));
                                resp.headers_mut()
                                    .insert("content-type", "application/json".parse().unwrap());
                                Ok::<_, Infallible>(resp)
                            }
                        },
                    );
                    let builder = hyper::server::conn::http1::Builder::new();
                    match tls {
                        Some(acceptor) => {
                            if let Ok(s) = acceptor.accept(stream).await {
                                let _ = builder
                                    .serve_connection(hyper_util::rt::TokioIo::new(s), svc)
                                    .await;
                            }
                        }
                        None => {
                            let _ = builder
                                .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                                .await;
                        }
                    }
                });
            }
        });
        FakeApiServer { addr, seen, task }
    }

    fn authorizations(&self) -> Vec<Option<String>> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for FakeApiServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Builds a client from `config` and calls `/version`, bounded in time.
async fn call_version(config: kube::Config) -> Result<String, String> {
    let fut = async move {
        let client = kube::Client::try_from(config).map_err(|e| format!("client: {e}"))?;
        let info = client
            .apiserver_version()
            .await
            .map_err(|e| format!("request: {e}"))?;
        Ok(info.git_version)
    };
    tokio::time::timeout(Duration::from_secs(20), fut)
        .await
        .map_err(|_| "timed out".to_string())?
}

// ---------------------------------------------------------------------------------------------
// loading and merging

const FILE_A: &str = r#"
apiVersion: v1
kind: Config
current-context: ""
clusters:
- name: shared-cluster
  cluster: {server: "https://a.example:6443", certificate-authority: certs/ca.crt}
- name: only-a
  cluster: {server: "https://only-a.example"}
users:
- name: shared-user
  user: {token: token-from-a}
contexts:
- name: shared-ctx
  context: {cluster: shared-cluster, user: shared-user, namespace: ns-a}
- name: ctx-a
  context: {cluster: only-a, user: shared-user}
"#;

const FILE_B: &str = r#"
apiVersion: v1
kind: Config
current-context: ctx-b
clusters:
- name: shared-cluster
  cluster: {server: "https://b.example:6443"}
- name: only-b
  cluster: {server: "https://only-b.example"}
users:
- name: shared-user
  user: {token: token-from-b}
- name: user-b
  user: {username: bob, password: pw-b}
contexts:
- name: shared-ctx
  context: {cluster: only-b, user: user-b, namespace: ns-b}
- name: ctx-b
  context: {cluster: only-b, user: user-b}
"#;

const FILE_C: &str = r#"
current-context: ctx-c
contexts:
- name: ctx-c
  context: {cluster: only-b}
"#;

#[test]
fn kubeconfig_list_merges_first_wins_and_skips_missing() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.yaml", FILE_A);
    let missing = dir.path().join("missing.yaml");
    let b = write(dir.path(), "b.yaml", FILE_B);
    let c = write(dir.path(), "c.yaml", FILE_C);
    let loaded = load(None, &env_list(&[&a, &missing, &b, &c])).unwrap();

    assert_eq!(loaded.origin(), LoadOrigin::KubeconfigEnv);
    assert_eq!(loaded.missing_files(), std::slice::from_ref(&missing));
    assert!(loaded.warnings().is_empty(), "only some files are missing");
    let read: Vec<&Path> = loaded.files().iter().map(|f| f.path.as_path()).collect();
    assert_eq!(read, [a.as_path(), b.as_path(), c.as_path()]);
    // a's current-context is empty, so b's wins over c's.
    assert_eq!(loaded.current_context(), Some("ctx-b"));
    assert_eq!(
        loaded.context_names(),
        ["ctx-a", "ctx-b", "ctx-c", "shared-ctx"]
    );
    assert_eq!(
        loaded.cluster_names(),
        ["only-a", "only-b", "shared-cluster"]
    );
    assert_eq!(loaded.user_names(), ["shared-user", "user-b"]);

    let kc = loaded.kubeconfig();
    let cluster = kc
        .clusters
        .iter()
        .find(|c| c.name == "shared-cluster")
        .unwrap();
    let cluster = cluster.cluster.as_ref().unwrap();
    assert_eq!(cluster.server.as_deref(), Some("https://a.example:6443"));
    // Relative paths resolve against the defining file's directory.
    let ca = dir.path().join("certs").join("ca.crt");
    assert_eq!(cluster.certificate_authority.as_deref(), ca.to_str());
    let ctx = kc.contexts.iter().find(|c| c.name == "shared-ctx").unwrap();
    let ctx = ctx.context.as_ref().unwrap();
    assert_eq!(
        (
            ctx.cluster.as_str(),
            ctx.user.as_deref(),
            ctx.namespace.as_deref()
        ),
        ("shared-cluster", Some("shared-user"), Some("ns-a"))
    );
    assert_eq!(loaded.user_file("shared-user").unwrap().path, a);
    assert_eq!(loaded.user_file("user-b").unwrap().path, b);
    assert_eq!(loaded.context_file("ctx-c").unwrap().path, c);

    // The user that won is a's: resolve shared-ctx and check the token file provenance.
    fs::create_dir_all(dir.path().join("certs")).unwrap();
    let pki = Pki::new();
    fs::write(&ca, &pki.ca_pem).unwrap();
    let r = resolve(
        &loaded,
        &select(Some("shared-ctx"), None, None),
        &KubeEnv::default(),
    )
    .unwrap();
    assert_eq!(r.summary().server, "https://a.example:6443");
    assert_eq!(r.summary().namespace, "ns-a");
    assert_eq!(r.summary().source_files, std::slice::from_ref(&a));
    let cfg = r.client_config(&ClientOptions::default());
    assert_eq!(cfg.root_cert, Some(vec![pki.ca_der.clone()]));
}

#[test]
fn duplicate_kubeconfig_entries_are_read_once() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.yaml", FILE_A);
    let loaded = load(None, &env_list(&[&a, &a])).unwrap();
    assert_eq!(loaded.files().len(), 1);
}

#[test]
fn all_listed_files_missing_warns_and_ignores_home() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "home/.kube/config", FILE_B);
    let m1 = dir.path().join("m1");
    let m2 = dir.path().join("m2");
    let env = KubeEnv {
        home: Some(dir.path().join("home")),
        ..env_list(&[&m1, &m2])
    };
    let loaded = load(None, &env).unwrap();
    assert!(loaded.is_empty());
    assert_eq!(
        loaded.warnings(),
        [LoadWarning::AllFilesMissing {
            paths: vec![m1.clone(), m2.clone()]
        }]
    );
    assert!(loaded.warnings()[0].to_string().contains("m1"));
    match resolve(&loaded, &KubeConfigOptions::default(), &env) {
        Err(KubeconfigError::NoConfiguration { searched }) => assert_eq!(searched, [m1, m2]),
        other => panic!("expected NoConfiguration, got {other:?}"),
    }
}

#[test]
fn home_file_is_the_default() {
    let dir = TempDir::new().unwrap();
    let home_cfg = write(dir.path(), ".kube/config", FILE_B);
    let env = KubeEnv {
        home: Some(dir.path().to_path_buf()),
        ..KubeEnv::default()
    };
    let loaded = load(None, &env).unwrap();
    assert_eq!(loaded.origin(), LoadOrigin::HomeFile);
    assert_eq!(loaded.files()[0].path, home_cfg);
    assert_eq!(loaded.current_context(), Some("ctx-b"));
}

#[test]
fn explicit_kubeconfig_is_used_alone_and_must_exist() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.yaml", FILE_A);
    let b = write(dir.path(), "b.yaml", FILE_B);
    let env = env_list(&[&b]);
    let loaded = load(Some(&a), &env).unwrap();
    assert_eq!(loaded.origin(), LoadOrigin::Flag);
    assert_eq!(loaded.files().len(), 1);
    assert_eq!(loaded.current_context(), None);
    assert!(!loaded.context_names().contains(&"ctx-b".to_string()));

    let missing = dir.path().join("nope.yaml");
    let err = load(Some(&missing), &env).unwrap_err();
    assert!(matches!(err, KubeconfigError::ExplicitFileMissing { ref path } if *path == missing));
    assert!(err.to_string().contains("nope.yaml"), "{err}");
}

#[test]
fn unreadable_or_invalid_files_are_errors() {
    let dir = TempDir::new().unwrap();
    let bad = write(
        dir.path(),
        "bad.yaml",
        "clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: tok-SECRET-value}\n",
    );
    let good = write(dir.path(), "good.yaml", FILE_A);
    let err = load(None, &env_list(&[&good, &bad])).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, KubeconfigError::Parse { .. }), "{msg}");
    assert!(msg.contains("bad.yaml"), "{msg}");
    assert!(
        !msg.contains("SECRET"),
        "parse errors must not echo values: {msg}"
    );

    let syntax = write(
        dir.path(),
        "syntax.yaml",
        "users:\n- name: u\n  user: {token: tok-SECRET-x\n",
    );
    let msg = load(Some(&syntax), &KubeEnv::default())
        .unwrap_err()
        .to_string();
    assert!(!msg.contains("SECRET"), "{msg}");
    assert!(msg.contains("syntax.yaml"), "{msg}");

    let dir_as_file = dir.path().join("adir");
    fs::create_dir(&dir_as_file).unwrap();
    assert!(matches!(
        load(Some(&dir_as_file), &KubeEnv::default()),
        Err(KubeconfigError::Read { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// selection

#[test]
fn context_cluster_and_user_switches() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.yaml", FILE_A);
    let b = write(dir.path(), "b.yaml", FILE_B);
    // CA file of shared-cluster must exist for validation.
    write(dir.path(), "certs/ca.crt", &Pki::new().ca_pem);
    let loaded = load(None, &env_list(&[&a, &b])).unwrap();
    let env = KubeEnv::default();

    let r = resolve(&loaded, &select(None, None, None), &env).unwrap();
    let s = r.summary();
    assert_eq!(s.source, ConfigSource::Kubeconfig);
    assert_eq!(s.context_name.as_deref(), Some("ctx-b"));
    assert_eq!(s.cluster_name.as_deref(), Some("only-b"));
    assert_eq!(s.server, "https://only-b.example");
    assert_eq!(s.user_name.as_deref(), Some("user-b"));
    assert_eq!(s.auth_method, AuthMethod::Basic);
    assert_eq!(s.namespace, "default");

    let r = resolve(&loaded, &select(Some("ctx-a"), None, None), &env).unwrap();
    assert_eq!(r.summary().cluster_name.as_deref(), Some("only-a"));
    assert_eq!(r.summary().auth_method, AuthMethod::Token);

    let r = resolve(
        &loaded,
        &select(Some("ctx-a"), Some("only-b"), Some("user-b")),
        &env,
    )
    .unwrap();
    let s = r.summary();
    assert_eq!(
        (
            s.context_name.as_deref(),
            s.cluster_name.as_deref(),
            s.user_name.as_deref()
        ),
        (Some("ctx-a"), Some("only-b"), Some("user-b"))
    );
    assert_eq!(s.server, "https://only-b.example");
    assert_eq!(s.source_files, [a.clone(), b.clone()]);

    // An empty flag value is the same as no flag (kubectl).
    let r = resolve(&loaded, &select(Some(""), Some(""), Some("")), &env).unwrap();
    assert_eq!(r.summary().context_name.as_deref(), Some("ctx-b"));
}

#[test]
fn unknown_names_are_errors_listing_the_available_ones() {
    let dir = TempDir::new().unwrap();
    let b = write(dir.path(), "b.yaml", FILE_B);
    let loaded = load(Some(&b), &KubeEnv::default()).unwrap();
    let env = KubeEnv::default();

    let err = resolve(&loaded, &select(Some("prod"), None, None), &env).unwrap_err();
    assert!(matches!(&err, KubeconfigError::ContextNotFound { name, .. } if name == "prod"));
    assert_eq!(
        err.to_string(),
        "context \"prod\" does not exist; available: ctx-b, shared-ctx"
    );

    let err = resolve(&loaded, &select(None, Some("nope"), None), &env).unwrap_err();
    assert!(matches!(
        &err,
        KubeconfigError::ClusterNotFound { name, origin: NameOrigin::Flag, .. } if name == "nope"
    ));
    assert!(
        err.to_string()
            .contains("available: only-b, shared-cluster"),
        "{err}"
    );

    let err = resolve(&loaded, &select(None, None, Some("carol")), &env).unwrap_err();
    assert!(matches!(&err, KubeconfigError::UserNotFound { name, .. } if name == "carol"));
    assert!(
        err.to_string().contains("available: shared-user, user-b"),
        "{err}"
    );

    // A context that references a missing cluster / user.
    let dangling = write(
        dir.path(),
        "dangling.yaml",
        "current-context: d\ncontexts:\n- {name: d, context: {cluster: gone, user: ghost}}\n\
         - {name: e, context: {cluster: c, user: ghost}}\nclusters:\n- {name: c, cluster: {server: \"https://c\"}}\n",
    );
    let loaded = load(Some(&dangling), &env).unwrap();
    let err = resolve(&loaded, &select(None, None, None), &env).unwrap_err();
    assert!(
        matches!(&err, KubeconfigError::ClusterNotFound { name, origin: NameOrigin::Context(c), .. } if name == "gone" && c == "d"),
        "{err:?}"
    );
    let err = resolve(&loaded, &select(Some("e"), None, None), &env).unwrap_err();
    assert!(
        matches!(&err, KubeconfigError::UserNotFound { name, .. } if name == "ghost"),
        "{err:?}"
    );

    // No current context at all.
    let nocur = write(
        dir.path(),
        "nocur.yaml",
        "contexts:\n- {name: x, context: {cluster: c}}\n",
    );
    let loaded = load(Some(&nocur), &env).unwrap();
    let err = resolve(&loaded, &select(None, None, None), &env).unwrap_err();
    assert!(
        matches!(&err, KubeconfigError::CurrentContextNotSet { available } if available == &["x"])
    );
}

#[test]
fn client_go_validation_rejects_what_kubectl_rejects() {
    let dir = TempDir::new().unwrap();
    let ca = write(dir.path(), "ca.crt", &Pki::new().ca_pem);
    let cfg = write(
        dir.path(),
        "v.yaml",
        &format!(
            r#"
clusters:
- name: both-ca
  cluster: {{server: "https://x", certificate-authority: {ca}, certificate-authority-data: {data}}}
- name: ok
  cluster: {{server: "https://x"}}
- name: noserver
  cluster: {{insecure-skip-tls-verify: true}}
users:
- name: two-methods
  user: {{token: tok-SECRET-1, username: u, password: pw-SECRET-2}}
- name: missing-tokenfile
  user: {{tokenFile: /nonexistent/kubeaudit/token}}
contexts:
- {{name: both-ca, context: {{cluster: both-ca}}}}
- {{name: two-methods, context: {{cluster: ok, user: two-methods}}}}
- {{name: missing-tokenfile, context: {{cluster: ok, user: missing-tokenfile}}}}
- {{name: noserver, context: {{cluster: noserver}}}}
"#,
            ca = ca.display(),
            data = b64(b"x")
        ),
    );
    let loaded = load(Some(&cfg), &KubeEnv::default()).unwrap();
    let problems =
        |ctx: &str| match resolve(&loaded, &select(Some(ctx), None, None), &KubeEnv::default()) {
            Err(KubeconfigError::Invalid { problems }) => problems,
            other => panic!("{ctx}: expected Invalid, got {other:?}"),
        };
    assert_eq!(
        problems("both-ca"),
        ["certificate-authority-data and certificate-authority are both specified for both-ca. certificate-authority-data will override."]
    );
    assert_eq!(
        problems("two-methods"),
        ["more than one authentication method found for two-methods; found [token basicAuth], only one is allowed"]
    );
    assert!(problems("missing-tokenfile")[0]
        .starts_with("unable to read tokenFile /nonexistent/kubeaudit/token"));
    assert_eq!(
        problems("noserver"),
        ["no server found for cluster \"noserver\""]
    );
    let err = resolve(
        &loaded,
        &select(Some("two-methods"), None, None),
        &KubeEnv::default(),
    )
    .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("SECRET"));
}

#[test]
fn impersonation_and_schemeless_servers_are_visible_in_the_summary() {
    let dir = TempDir::new().unwrap();
    let cfg = write(
        dir.path(),
        "kc.yaml",
        "current-context: c\nclusters:\n- {name: c, cluster: {server: \"10.0.0.1:6443\"}}\n\
         users:\n- {name: u, user: {token: t, as: admin, as-groups: [ops, dev]}}\n\
         contexts:\n- {name: c, context: {cluster: c, user: u, namespace: \"\"}}\n",
    );
    let (_, r) = load_and_resolve(
        Some(&cfg),
        &KubeConfigOptions::default(),
        &KubeEnv::default(),
    )
    .unwrap();
    let s = r.summary();
    // kubectl 1.32 sends scheme-less servers over http.
    assert_eq!(s.server, "http://10.0.0.1:6443");
    assert_eq!(s.namespace, "default", "an empty namespace is unset");
    assert_eq!(s.impersonate_user.as_deref(), Some("admin"));
    assert_eq!(s.impersonate_groups, ["ops", "dev"]);
    let json = serde_json::to_value(s).unwrap();
    assert_eq!(json["auth_method"], "token");
    assert_eq!(json["source"], "kubeconfig");
}

// ---------------------------------------------------------------------------------------------
// client configuration

#[test]
fn ca_file_and_ca_data_give_the_same_roots() {
    let dir = TempDir::new().unwrap();
    let pki = Pki::new();
    write(dir.path(), "pki/ca.crt", &pki.ca_pem);
    let cfg = write(
        dir.path(),
        "kc.yaml",
        &format!(
            "clusters:\n- {{name: file, cluster: {{server: \"https://f\", certificate-authority: pki/ca.crt}}}}\n\
             - {{name: data, cluster: {{server: \"https://d\", certificate-authority-data: {}}}}}\n\
             - {{name: none, cluster: {{server: \"https://n\"}}}}\n\
             contexts:\n- {{name: file, context: {{cluster: file}}}}\n- {{name: data, context: {{cluster: data}}}}\n\
             - {{name: none, context: {{cluster: none}}}}\n",
            b64(pki.ca_pem.as_bytes())
        ),
    );
    let loaded = load(Some(&cfg), &KubeEnv::default()).unwrap();
    let roots = |ctx: &str| {
        resolve(&loaded, &select(Some(ctx), None, None), &KubeEnv::default())
            .unwrap()
            .client_config(&ClientOptions::default())
            .root_cert
    };
    assert_eq!(roots("file"), Some(vec![pki.ca_der.clone()]));
    assert_eq!(roots("data"), roots("file"));
    assert_eq!(roots("none"), None);
}

#[test]
fn request_timeout_is_applied() {
    let dir = TempDir::new().unwrap();
    let cfg = write(dir.path(), "kc.yaml", FILE_B);
    let (_, r) = load_and_resolve(
        Some(&cfg),
        &KubeConfigOptions::default(),
        &KubeEnv::default(),
    )
    .unwrap();
    let none = r.client_config(&ClientOptions {
        request_timeout: parse_request_timeout("0").unwrap(),
    });
    assert_eq!(none.read_timeout, None);
    let c = r.client_config(&ClientOptions {
        request_timeout: parse_request_timeout("1m").unwrap(),
    });
    assert_eq!(c.read_timeout, Some(Duration::from_secs(60)));
    assert_eq!(c.write_timeout, Some(Duration::from_secs(60)));
    assert!(c.connect_timeout.unwrap() <= Duration::from_secs(60));
    let c = r.client_config(&ClientOptions {
        request_timeout: parse_request_timeout("5").unwrap(),
    });
    assert_eq!(c.connect_timeout, Some(Duration::from_secs(5)));
}

#[test]
fn https_proxy_and_no_proxy() {
    let dir = TempDir::new().unwrap();
    let cfg = write(
        dir.path(),
        "kc.yaml",
        "clusters:\n- {name: corp, cluster: {server: \"https://api.corp.example:6443\", insecure-skip-tls-verify: true}}\n\
         - {name: edge, cluster: {server: \"https://edge.example.net\", insecure-skip-tls-verify: true}}\n\
         - {name: pinned, cluster: {server: \"https://api.corp.example\", insecure-skip-tls-verify: true, proxy-url: \"socks5://jump:1080\"}}\n\
         contexts:\n- {name: corp, context: {cluster: corp}}\n- {name: edge, context: {cluster: edge}}\n\
         - {name: pinned, context: {cluster: pinned}}\n",
    );
    let loaded = load(Some(&cfg), &KubeEnv::default()).unwrap();
    let env = KubeEnv {
        https_proxy: Some("http://user:pw-SECRET@proxy.example:3128".into()),
        no_proxy: Some("localhost,.corp.example,10.0.0.0/8".into()),
        ..KubeEnv::default()
    };
    let proxy = |ctx: &str, env: &KubeEnv| {
        let r = resolve(&loaded, &select(Some(ctx), None, None), env).unwrap();
        let cfg = r.client_config(&ClientOptions::default());
        (
            cfg.proxy_url.map(|u| u.to_string()),
            r.summary().proxy.clone(),
        )
    };
    let (url, shown) = proxy("edge", &env);
    assert_eq!(
        url.as_deref(),
        Some("http://user:pw-SECRET@proxy.example:3128/")
    );
    assert_eq!(
        shown.as_deref(),
        Some("http://REDACTED@proxy.example:3128/")
    );
    // NO_PROXY suffix match: no proxy for the corp API server.
    assert_eq!(proxy("corp", &env), (None, None));
    // A cluster's proxy-url applies regardless of NO_PROXY.
    assert_eq!(
        proxy("pinned", &env).0.as_deref(),
        Some("socks5://jump:1080/")
    );
    // No HTTPS_PROXY: direct.
    assert_eq!(proxy("edge", &KubeEnv::default()), (None, None));
}

#[tokio::test]
async fn token_file_token_reaches_the_server() {
    let server = FakeApiServer::start(None).await;
    let dir = TempDir::new().unwrap();
    // A trailing newline, as `echo $TOKEN > file` writes; kubectl trims it.
    write(dir.path(), "tokens/t", "file-token-123\n");
    let cfg = write(
        dir.path(),
        "kc.yaml",
        &format!(
            "current-context: c\nclusters:\n- {{name: c, cluster: {{server: \"http://{}\"}}}}\n\
             contexts:\n- {{name: c, context: {{cluster: c, user: u}}}}\nusers:\n- {{name: u, user: {{tokenFile: tokens/t}}}}\n",
            server.addr
        ),
    );
    let (_, r) = load_and_resolve(
        Some(&cfg),
        &KubeConfigOptions::default(),
        &KubeEnv::default(),
    )
    .unwrap();
    assert_eq!(r.summary().auth_method, AuthMethod::TokenFile);
    let version = call_version(r.client_config(&ClientOptions::default()))
        .await
        .unwrap();
    assert_eq!(version, "v1.35.0");
    assert_eq!(
        server.authorizations(),
        [Some("Bearer file-token-123".to_string())]
    );
}

#[cfg(unix)]
#[tokio::test]
async fn exec_plugin_token_reaches_the_server() {
    let server = FakeApiServer::start(None).await;
    let dir = TempDir::new().unwrap();
    let plugin = write(
        dir.path(),
        "bin/get-token",
        "#!/bin/sh\n# The plugin learns the API version from KUBERNETES_EXEC_INFO.\ncase \"$KUBERNETES_EXEC_INFO\" in *ExecCredential*) ;; *) exit 3;; esac\n\
         printf '%s' '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"exec-token-456\"}}'\n",
    );
    chmod(&plugin, 0o755);
    let cfg = write(
        dir.path(),
        "kc.yaml",
        &format!(
            "current-context: c\nclusters:\n- {{name: c, cluster: {{server: \"http://{}\"}}}}\n\
             contexts:\n- {{name: c, context: {{cluster: c, user: u}}}}\n\
             users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./bin/get-token\n      interactiveMode: Never\n",
            server.addr
        ),
    );
    let (loaded, r) = load_and_resolve(
        Some(&cfg),
        &KubeConfigOptions::default(),
        &KubeEnv::default(),
    )
    .unwrap();
    // The relative command (it has a separator) was resolved against the kubeconfig's directory.
    assert_eq!(
        r.summary().auth_method,
        AuthMethod::Exec {
            command: plugin.to_string_lossy().into_owned()
        }
    );
    let version = call_version(r.client_config(&ClientOptions::default()))
        .await
        .unwrap();
    assert_eq!(version, "v1.35.0");
    assert_eq!(
        server.authorizations(),
        [Some("Bearer exec-token-456".to_string())]
    );
    // And the audit finds the plugin.
    let reports = audit_contexts(&loaded, SystemTime::now());
    assert!(reports[0]
        .findings
        .iter()
        .all(|f| f.id != FindingId::ExecCommandNotFound));
}

#[tokio::test]
async fn tls_with_ca_file_and_ca_data_and_client_certificate() {
    let pki = Pki::new();
    let (server_cert, server_key) = pki.leaf(&["127.0.0.1"], (2099, 1, 1));
    let certs = vec![rustls::pki_types::CertificateDer::from(x509_der(
        &server_cert,
    ))];
    let key = rustls::pki_types::PrivateKeyDer::try_from(pem_body(&server_key)).unwrap();
    let tls = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let server = FakeApiServer::start(Some(tokio_rustls::TlsAcceptor::from(Arc::new(tls)))).await;

    let dir = TempDir::new().unwrap();
    write(dir.path(), "ca.crt", &pki.ca_pem);
    let (client_cert, client_key) = pki.leaf(&["alice"], (2099, 1, 1));
    write(dir.path(), "alice.crt", &client_cert);
    write(dir.path(), "alice.key", &client_key);
    let cfg = write(
        dir.path(),
        "kc.yaml",
        &format!(
            "clusters:\n- {{name: file, cluster: {{server: \"https://{addr}\", certificate-authority: ca.crt}}}}\n\
             - {{name: data, cluster: {{server: \"https://{addr}\", certificate-authority-data: {data}}}}}\n\
             - {{name: noca, cluster: {{server: \"https://{addr}\"}}}}\n\
             users:\n- {{name: alice, user: {{client-certificate: alice.crt, client-key: alice.key}}}}\n\
             contexts:\n- {{name: file, context: {{cluster: file, user: alice}}}}\n\
             - {{name: data, context: {{cluster: data, user: alice}}}}\n- {{name: noca, context: {{cluster: noca}}}}\n",
            addr = server.addr,
            data = b64(pki.ca_pem.as_bytes())
        ),
    );
    let loaded = load(Some(&cfg), &KubeEnv::default()).unwrap();
    for ctx in ["file", "data"] {
        let r = resolve(&loaded, &select(Some(ctx), None, None), &KubeEnv::default()).unwrap();
        assert_eq!(r.summary().auth_method, AuthMethod::ClientCertificate);
        let v = call_version(r.client_config(&ClientOptions::default())).await;
        assert_eq!(v.as_deref(), Ok("v1.35.0"), "context {ctx}");
    }
    // Without the CA the server is not trusted.
    let r = resolve(
        &loaded,
        &select(Some("noca"), None, None),
        &KubeEnv::default(),
    )
    .unwrap();
    assert!(call_version(r.client_config(&ClientOptions::default()))
        .await
        .is_err());
}

fn pem_body(pem: &str) -> Vec<u8> {
    let b: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(b).unwrap()
}

fn x509_der(pem: &str) -> Vec<u8> {
    pem_body(pem)
}

#[cfg(unix)]
#[test]
fn in_cluster_fallback_when_there_is_no_kubeconfig() {
    let dir = TempDir::new().unwrap();
    let sa = dir.path().join("sa");
    write(&sa, "token", "sa-token");
    write(&sa, "ca.crt", &Pki::new().ca_pem);
    write(&sa, "namespace", "audit-ns\n");
    let env = KubeEnv {
        home: Some(dir.path().join("nohome")),
        service_host: Some("10.96.0.1".into()),
        service_port: Some("443".into()),
        service_account_dir: sa.clone(),
        https_proxy: Some("http://proxy:3128".into()),
        no_proxy: Some("10.96.0.0/12".into()),
        ..KubeEnv::default()
    };
    assert!(in_cluster_possible(&env));
    let (loaded, r) = load_and_resolve(None, &KubeConfigOptions::default(), &env).unwrap();
    assert!(loaded.is_empty());
    let s = r.summary();
    assert_eq!(s.source, ConfigSource::InCluster);
    assert_eq!(s.server, "https://10.96.0.1:443");
    assert_eq!(s.namespace, "audit-ns");
    assert_eq!(s.auth_method, AuthMethod::TokenFile);
    assert_eq!(s.proxy, None, "the service CIDR is in NO_PROXY");
    let cfg = r.client_config(&ClientOptions::default());
    assert_eq!(
        cfg.auth_info.token_file.as_deref(),
        sa.join("token").to_str()
    );
    assert_eq!(cfg.root_cert_file, Some(sa.join("ca.crt")));

    // POD_NAMESPACE wins over the file; an explicit --context that does not exist is an error,
    // not a silent in-cluster fallback.
    let env2 = KubeEnv {
        pod_namespace: Some("from-env".into()),
        ..env.clone()
    };
    let (_, r) = load_and_resolve(None, &KubeConfigOptions::default(), &env2).unwrap();
    assert_eq!(r.summary().namespace, "from-env");
    assert!(matches!(
        load_and_resolve(None, &select(Some("x"), None, None), &env),
        Err(KubeconfigError::ContextNotFound { .. })
    ));
    // Without the token there is no in-cluster config.
    fs::remove_file(sa.join("token")).unwrap();
    assert!(!in_cluster_possible(&env));
    assert!(matches!(
        load_and_resolve(None, &KubeConfigOptions::default(), &env),
        Err(KubeconfigError::NoConfiguration { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// contexts audit

#[cfg(unix)]
#[test]
fn every_context_finding_fires_and_a_clean_context_has_none() {
    let dir = TempDir::new().unwrap();
    let pki = Pki::new();
    let (valid_cert, valid_key) = pki.leaf(&["alice"], (2031, 1, 1));
    let (expired_cert, expired_key) = pki.leaf(&["old"], (2029, 6, 1));
    let (expiring_cert, expiring_key) = pki.leaf(&["soon"], (2030, 1, 15));
    let now = unix(2030, 1, 1);
    write(dir.path(), "expired.crt", &expired_cert);
    write(dir.path(), "expired.key", &expired_key);
    write(dir.path(), "token", "file-token");
    let not_exec = write(dir.path(), "bin/not-exec", "#!/bin/sh\n");
    chmod(&not_exec, 0o644);
    let ca = b64(pki.ca_pem.as_bytes());

    let main = write(
        dir.path(),
        "main.yaml",
        &format!(
            r#"
current-context: clean
clusters:
- {{name: good, cluster: {{server: "https://good.example:6443", certificate-authority-data: {ca}}}}}
- {{name: insecure, cluster: {{server: "https://insecure.example", insecure-skip-tls-verify: true}}}}
- {{name: plain, cluster: {{server: "http://plain.example:8080"}}}}
- {{name: no-ca, cluster: {{server: "https://no-ca.example"}}}}
- {{name: bad-ca, cluster: {{server: "https://bad-ca.example", certificate-authority: /nonexistent/kubeaudit/ca.crt}}}}
users:
- {{name: alice, user: {{client-certificate-data: {valid_cert}, client-key-data: {valid_key}}}}}
- {{name: tokenfile, user: {{tokenFile: token}}}}
- {{name: static, user: {{token: tok-SECRET-static}}}}
- {{name: basic, user: {{username: bob, password: pw-SECRET-basic}}}}
- {{name: expired, user: {{client-certificate: expired.crt, client-key: expired.key}}}}
- {{name: expiring, user: {{client-certificate-data: {expiring_cert}, client-key-data: {expiring_key}}}}}
- name: no-plugin
  user: {{exec: {{apiVersion: client.authentication.k8s.io/v1beta1, command: kubeaudit-test-no-such-plugin}}}}
- name: not-exec
  user: {{exec: {{apiVersion: client.authentication.k8s.io/v1beta1, command: ./bin/not-exec}}}}
- name: oidc
  user: {{auth-provider: {{name: oidc, config: {{idp-issuer-url: "https://idp", client-id: k, refresh-token: rt-SECRET-oidc}}}}}}
contexts:
- {{name: clean, context: {{cluster: good, user: alice, namespace: team}}}}
- {{name: insecure, context: {{cluster: insecure, user: tokenfile}}}}
- {{name: plain, context: {{cluster: plain, user: tokenfile}}}}
- {{name: static, context: {{cluster: good, user: static}}}}
- {{name: basic, context: {{cluster: good, user: basic}}}}
- {{name: expired, context: {{cluster: good, user: expired}}}}
- {{name: expiring, context: {{cluster: good, user: expiring}}}}
- {{name: no-plugin, context: {{cluster: good, user: no-plugin}}}}
- {{name: not-exec, context: {{cluster: good, user: not-exec}}}}
- {{name: oidc, context: {{cluster: good, user: oidc}}}}
- {{name: no-ca, context: {{cluster: no-ca, user: tokenfile}}}}
- {{name: bad-ca, context: {{cluster: bad-ca, user: tokenfile}}}}
- {{name: dangling, context: {{cluster: gone, user: ghost}}}}
"#,
            valid_cert = b64(valid_cert.as_bytes()),
            valid_key = b64(valid_key.as_bytes()),
            expiring_cert = b64(expiring_cert.as_bytes()),
            expiring_key = b64(expiring_key.as_bytes()),
        ),
    );
    chmod(&main, 0o600);
    let shared = write(
        dir.path(),
        "shared.yaml",
        "users:\n- {name: leaky, user: {token: tok-SECRET-leaky}}\ncontexts:\n- {name: world-readable, context: {cluster: good, user: leaky}}\n",
    );
    chmod(&shared, 0o644);

    let env = KubeEnv {
        path: Some(OsString::from(dir.path().join("empty-path-dir"))),
        ..env_list(&[&main, &shared])
    };
    let loaded = load(None, &env).unwrap();
    let reports = audit_contexts(&loaded, now);
    let ids = |name: &str| -> Vec<FindingId> {
        let r = reports.iter().find(|r| r.name == name).unwrap();
        let mut ids: Vec<FindingId> = r.findings.iter().map(|f| f.id).collect();
        ids.sort();
        ids
    };
    use FindingId::*;
    assert_eq!(ids("clean"), []);
    assert_eq!(ids("insecure"), [InsecureSkipTlsVerify]);
    assert_eq!(ids("plain"), [PlainHttpServer]);
    assert_eq!(ids("static"), [EmbeddedToken]);
    assert_eq!(ids("basic"), [EmbeddedPassword]);
    assert_eq!(ids("expired"), [ClientCertificateExpired]);
    assert_eq!(ids("expiring"), [ClientCertificateExpiring]);
    assert_eq!(ids("no-plugin"), [ExecCommandNotFound]);
    assert_eq!(ids("not-exec"), [ExecCommandNotExecutable]);
    assert_eq!(ids("oidc"), [EmbeddedAuthProviderSecret]);
    assert_eq!(ids("no-ca"), [MissingCertificateAuthority]);
    assert_eq!(ids("bad-ca"), [UnreadableFile]);
    assert_eq!(ids("dangling"), [ClusterNotFound, UserNotFound]);
    assert_eq!(
        ids("world-readable"),
        [EmbeddedToken, KubeconfigFilePermissions]
    );

    let find = |ctx: &str, id: FindingId| {
        reports
            .iter()
            .find(|r| r.name == ctx)
            .unwrap()
            .findings
            .iter()
            .find(|f| f.id == id)
            .unwrap()
            .clone()
    };
    let expired = find("expired", ClientCertificateExpired);
    assert_eq!(expired.not_after.as_deref(), Some("2029-06-01T00:00:00Z"));
    assert_eq!(
        expired.path.as_deref(),
        Some(dir.path().join("expired.crt").as_path())
    );
    assert_eq!(
        find("expiring", ClientCertificateExpiring)
            .not_after
            .as_deref(),
        Some("2030-01-15T00:00:00Z")
    );
    let perms = find("world-readable", KubeconfigFilePermissions);
    assert_eq!(
        perms.severity,
        Severity::High,
        "the file holds the user's token"
    );
    assert_eq!(perms.path.as_deref(), Some(shared.as_path()));
    assert!(perms.message.contains("0644"), "{}", perms.message);

    let clean = reports.iter().find(|r| r.name == "clean").unwrap();
    assert!(clean.current);
    assert_eq!(clean.auth_method, AuthMethod::ClientCertificate);
    assert_eq!(clean.namespace, "team");
    assert_eq!(clean.server.as_deref(), Some("https://good.example:6443"));
    assert_eq!(clean.file.as_deref(), Some(main.as_path()));
    let names: Vec<&str> = reports.iter().map(|r| r.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(
        reports
            .iter()
            .find(|r| r.name == "no-plugin")
            .unwrap()
            .auth_method
            .to_string(),
        "exec: kubeaudit-test-no-such-plugin"
    );

    // The certificate that is fine today is expiring a month before it ends.
    let later = audit_contexts(&loaded, unix(2030, 12, 20));
    let clean_later = later.iter().find(|r| r.name == "clean").unwrap();
    assert_eq!(clean_later.findings[0].id, ClientCertificateExpiring);

    // No secret in any output.
    let json = serde_json::to_string(&reports).unwrap();
    let yaml = serde_saphyr::to_string(&reports).unwrap();
    let debug = format!("{reports:?} {loaded:?}");
    for out in [&json, &yaml, &debug] {
        assert!(!out.contains("SECRET"), "secret leaked: {out}");
        assert!(!out.contains(&b64(valid_key.as_bytes())[..40]));
        assert!(!out.contains("BEGIN"), "no PEM material in output");
    }
    assert!(
        json.contains("\"id\":\"insecure-skip-tls-verify\""),
        "{json}"
    );
    assert!(json.contains("\"severity\":\"high\""));
}

#[test]
fn resolved_summaries_and_errors_hold_no_secrets() {
    let dir = TempDir::new().unwrap();
    let cfg = write(
        dir.path(),
        "kc.yaml",
        "current-context: c\nclusters:\n- {name: c, cluster: {server: \"https://c.example\", insecure-skip-tls-verify: true}}\n\
         users:\n- name: u\n  user:\n    token: tok-SECRET-1\n    auth-provider: {name: oidc, config: {id-token: idt-SECRET-2, client-secret: cs-SECRET-3}}\n\
         - name: e\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: x, args: [--token=arg-SECRET-4], env: [{name: T, value: env-SECRET-5}]}\n\
         contexts:\n- {name: c, context: {cluster: c, user: u}}\n- {name: e, context: {cluster: c, user: e}}\n",
    );
    let (loaded, r) = load_and_resolve(
        Some(&cfg),
        &KubeConfigOptions::default(),
        &KubeEnv::default(),
    )
    .unwrap();
    assert_eq!(r.summary().auth_method, AuthMethod::Oidc);
    let r2 = resolve(&loaded, &select(Some("e"), None, None), &KubeEnv::default()).unwrap();
    let outputs = [
        serde_json::to_string(r.summary()).unwrap(),
        serde_json::to_string(r2.summary()).unwrap(),
        format!("{r:?} {r2:?} {loaded:?}"),
        serde_json::to_string(&audit_contexts(&loaded, SystemTime::now())).unwrap(),
    ];
    for out in &outputs {
        assert!(!out.contains("SECRET"), "secret leaked: {out}");
    }
    // The credentials are still there for kube to use.
    let cfg = r.client_config(&ClientOptions::default());
    assert!(cfg.auth_info.token.is_some());
}

// ---------------------------------------------------------------------------------------------
// against the real kubectl

#[test]
fn merge_matches_kubectl() {
    let probe = Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output();
    if !matches!(&probe, Ok(o) if o.status.success()) {
        eprintln!("skipping merge_matches_kubectl: kubectl is not on PATH");
        return;
    }
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.yaml", FILE_A);
    let missing = dir.path().join("missing.yaml");
    let b = write(dir.path(), "b.yaml", FILE_B);
    let c = write(dir.path(), "c.yaml", FILE_C);
    let list = std::env::join_paths([&a, &missing, &b, &c]).unwrap();
    let kubectl = |args: &[&str]| {
        let out = Command::new("kubectl")
            .args(args)
            .env_clear()
            .env("KUBECONFIG", &list)
            .env("HOME", dir.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kubectl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let view: serde_json::Value =
        serde_json::from_str(&kubectl(&["config", "view", "--raw", "-o", "json"])).unwrap();
    let current = kubectl(&["config", "current-context"]);

    let loaded = load(None, &env_list(&[&a, &missing, &b, &c])).unwrap();
    assert_eq!(loaded.current_context(), Some(current.trim()));
    assert_eq!(view["current-context"], current.trim());

    let names = |key: &str| -> Vec<String> {
        let mut v: Vec<String> = view[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("clusters"), loaded.cluster_names());
    assert_eq!(names("users"), loaded.user_names());
    assert_eq!(names("contexts"), loaded.context_names());

    let kc = loaded.kubeconfig();
    for entry in view["clusters"].as_array().unwrap() {
        let ours = kc
            .clusters
            .iter()
            .find(|c| c.name == entry["name"])
            .unwrap();
        assert_eq!(
            entry["cluster"]["server"].as_str(),
            ours.cluster.as_ref().unwrap().server.as_deref(),
            "cluster {}",
            entry["name"]
        );
    }
    for entry in view["contexts"].as_array().unwrap() {
        let ours = kc
            .contexts
            .iter()
            .find(|c| c.name == entry["name"])
            .unwrap();
        let ours = ours.context.as_ref().unwrap();
        assert_eq!(
            entry["context"]["cluster"].as_str(),
            Some(ours.cluster.as_str())
        );
        // kubectl prints Go's zero value ("") for an unset user or namespace.
        let theirs = |k: &str| entry["context"][k].as_str().filter(|s| !s.is_empty());
        assert_eq!(theirs("user"), ours.user.as_deref());
        assert_eq!(theirs("namespace"), ours.namespace.as_deref());
    }
    for entry in view["users"].as_array().unwrap() {
        let ours = kc
            .auth_infos
            .iter()
            .find(|u| u.name == entry["name"])
            .unwrap();
        let ours = serde_json::to_value(ours.auth_info.as_ref().unwrap()).unwrap();
        for field in ["token", "username", "password"] {
            assert_eq!(
                entry["user"][field], ours[field],
                "user {} field {field}",
                entry["name"]
            );
        }
    }
}
