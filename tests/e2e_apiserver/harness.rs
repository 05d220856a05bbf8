//! The control plane of this test binary, started once through `tests/e2e/control-plane`, and the
//! small tools the tests use on it: kubectl of the same release, SubjectAccessReviews POSTed as
//! the admin, and kubeaudit itself.
//!
//! Whether the tests run: `KUBEAUDIT_E2E=1` requires them (a failure to build or start the control
//! plane fails the tests), `KUBEAUDIT_E2E=0` skips them, and without the variable they run when Go
//! is installed. When they do not run, one line on stderr says so and how to run them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::vectors::review_object;

/// A running control plane: its state directory (logs, kubeconfig, pki) and version.
pub struct ControlPlane {
    /// The state directory given to `control-plane up`.
    pub dir: PathBuf,
    /// The admin kubeconfig (a client certificate in `system:masters`).
    pub kubeconfig: PathBuf,
    /// kubectl of the same release.
    pub kubectl: PathBuf,
    /// The Kubernetes release, e.g. `v1.35.4`.
    pub version: String,
    /// The server URL.
    pub server: String,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn script() -> PathBuf {
    repo().join("tests/e2e/control-plane")
}

/// Why the tests should not run, or None when they should.
fn skip_reason() -> Option<String> {
    match std::env::var("KUBEAUDIT_E2E").as_deref() {
        Ok("0") => Some("KUBEAUDIT_E2E=0".into()),
        Ok("1") => None,
        _ => {
            let go = Command::new("go")
                .arg("version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            match go {
                Ok(s) if s.success() => None,
                _ => Some("Go is not installed (it builds kube-apiserver)".into()),
            }
        }
    }
}

fn start() -> ControlPlane {
    start_with("e2e-apiserver", &[])
}

/// Whether the e2e tests run here (see the module docs); prints why not, once per caller.
pub fn enabled() -> bool {
    match skip_reason() {
        Some(why) => {
            say(&format!("e2e test not run: {why}\n"));
            false
        }
        None => true,
    }
}

/// Starts a control plane of its own in `CARGO_TARGET_TMPDIR/NAME`, with extra kube-apiserver
/// flags (e.g. another `--authorization-mode`); stop it with [`ControlPlane::stop`].
pub fn start_with(name: &str, extra: &[String]) -> ControlPlane {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    // A previous run that was killed may have left its processes (its watcher stops them within a
    // second of its death, but not if the machine was suspended): stop them, then start afresh.
    let _ = Command::new(script()).arg("down").arg(&dir).status();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating the control plane's directory");
    let started = Instant::now();
    let status = Command::new(script())
        .arg("up")
        .arg(&dir)
        .args(["--owner", &std::process::id().to_string()])
        .arg("--")
        .args(extra)
        .stdin(Stdio::null())
        .status()
        .expect("running tests/e2e/control-plane");
    assert!(
        status.success(),
        "tests/e2e/control-plane up {} failed ({status}); logs in {}/logs",
        dir.display(),
        dir.display()
    );
    let env = std::fs::read_to_string(dir.join("env")).expect("the control plane's env file");
    let var = |name: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} missing from {}/env", dir.display()))
            .to_string()
    };
    let plane = ControlPlane {
        kubeconfig: PathBuf::from(var("KUBEAUDIT_E2E_KUBECONFIG")),
        kubectl: PathBuf::from(var("KUBEAUDIT_E2E_KUBECTL")),
        version: var("KUBEAUDIT_E2E_VERSION"),
        server: var("KUBEAUDIT_E2E_SERVER"),
        dir,
    };
    // The one line that shows, in any CI log, that the real server was used and which one.
    let mut line = format!(
        "e2e: kube-apiserver {} at {} (ready after {:.1}s)\n",
        plane.version,
        plane.server,
        started.elapsed().as_secs_f64()
    );
    if let Ok(out) = Command::new(&plane.kubectl)
        .args(["version", "-o", "json", "--kubeconfig"])
        .arg(&plane.kubeconfig)
        .output()
    {
        if let Ok(v) = serde_json::from_slice::<Value>(&out.stdout) {
            line = format!(
                "e2e: kube-apiserver {} (server reports {}) at {} (ready after {:.1}s)\n",
                plane.version,
                v["serverVersion"]["gitVersion"].as_str().unwrap_or("?"),
                plane.server,
                started.elapsed().as_secs_f64()
            );
        }
    }
    say(&line);
    plane
}

/// Writes straight to stderr: the test harness captures `eprintln!`, not this.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// The control plane, started on first use and then shared, one test at a time (the tests change
/// cluster-wide state). None when the e2e tests do not run here.
pub fn control_plane() -> Option<MutexGuard<'static, ControlPlane>> {
    static PLANE: OnceLock<Option<Mutex<ControlPlane>>> = OnceLock::new();
    let plane = PLANE.get_or_init(|| match skip_reason() {
        Some(why) => {
            say(&format!(
                "e2e tests against kube-apiserver not run: {why}; run them with: KUBEAUDIT_E2E=1 cargo test --test e2e_apiserver\n"
            ));
            None
        }
        None => Some(Mutex::new(start())),
    });
    plane
        .as_ref()
        .map(|m| m.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

impl ControlPlane {
    /// Stops this control plane's processes.
    pub fn stop(&self) {
        let _ = Command::new(script()).arg("down").arg(&self.dir).status();
    }

    /// kubectl against this cluster as the admin.
    pub fn kubectl(&self) -> Command {
        let mut c = Command::new(&self.kubectl);
        c.arg("--kubeconfig").arg(&self.kubeconfig);
        c.env("KUBECACHEDIR", self.dir.join("kubectl-cache"));
        c.stdin(Stdio::null());
        c
    }

    /// Runs kubectl and returns stdout; panics with stderr when it fails.
    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let out = self.kubectl().args(args).output().expect("running kubectl");
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs kubectl with the given objects on stdin (`-f -`).
    pub fn kubectl_stdin(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .kubectl()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("running kubectl");
        child
            .stdin
            .take()
            .expect("kubectl stdin")
            .write_all(input.as_bytes())
            .expect("writing to kubectl");
        child.wait_with_output().expect("kubectl output")
    }

    /// A kubeconfig for a ServiceAccount's token (`kubectl create token`), beside the state.
    pub fn token_kubeconfig(&self, sa: &str, namespace: &str) -> PathBuf {
        let token = self.kubectl_ok(&["create", "token", sa, "-n", namespace]);
        let ca = self.dir.join("pki/ca.crt");
        let path = self.dir.join(format!("{namespace}-{sa}.kubeconfig"));
        let config = json!({"apiVersion": "v1", "kind": "Config", "current-context": sa,
            "clusters": [{"name": "e2e", "cluster": {"server": self.server, "certificate-authority": ca}}],
            "users": [{"name": sa, "user": {"token": token.trim()}}],
            "contexts": [{"name": sa, "context": {"cluster": "e2e", "user": sa}}]});
        std::fs::write(&path, config.to_string()).expect("writing a token kubeconfig");
        path
    }

    /// The objects of a file or directory as kubectl reads them (`create --dry-run=client`).
    pub fn read_objects(&self, path: &str) -> Vec<Value> {
        let out = self.kubectl_ok(&["create", "--dry-run=client", "-o", "json", "-f", path]);
        kubectl_objects(out.as_bytes())
    }

    /// GETs a JSON list of objects (`kubectl get KINDS -A -o json`).
    pub fn get(&self, kinds: &str) -> Vec<Value> {
        let out = self.kubectl_ok(&["get", kinds, "-A", "-o", "json"]);
        let v: Value = serde_json::from_str(&out).expect("kubectl get JSON");
        v["items"].as_array().cloned().unwrap_or_default()
    }

    /// POSTs every SubjectAccessReview spec as the admin and returns the API server's `allowed`.
    pub fn sar(&self, specs: &[Value]) -> Vec<bool> {
        // kubectl creates the items of a List one request at a time, so a few hundred per
        // process and a few processes at once (the server is not the bottleneck).
        let chunks: Vec<&[Value]> = specs.chunks(400).collect();
        let mut answers = Vec::with_capacity(specs.len());
        for wave in chunks.chunks(4) {
            let outs: Vec<Output> = std::thread::scope(|scope| {
                let handles: Vec<_> = wave
                    .iter()
                    .map(|chunk| {
                        scope.spawn(move || {
                            let items: Vec<Value> = chunk.iter().map(review_object).collect();
                            let list = json!({"apiVersion": "v1", "kind": "List", "items": items})
                                .to_string();
                            self.kubectl_stdin(&["create", "-f", "-", "-o", "json"], &list)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a SubjectAccessReview thread"))
                    .collect()
            });
            for (chunk, out) in wave.iter().zip(outs) {
                assert!(
                    out.status.success(),
                    "POSTing SubjectAccessReviews failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let got = kubectl_objects(&out.stdout);
                assert_eq!(got.len(), chunk.len(), "one answer per SubjectAccessReview");
                answers.extend(got.iter().map(|a| a["status"]["allowed"] == true));
            }
        }
        answers
    }

    /// Waits until every aggregating ClusterRole holds exactly the union of the rules of the
    /// ClusterRoles its selectors match (what the aggregation controller converges to).
    pub fn wait_aggregated(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let pending = self.unaggregated();
            if pending.is_empty() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "ClusterRoles not aggregated after 60s: {pending:?} (logs in {}/logs)",
                self.dir.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn unaggregated(&self) -> Vec<String> {
        let roles = self.get("clusterroles");
        let mut pending = Vec::new();
        for role in &roles {
            let Some(selectors) = role["aggregationRule"]["clusterRoleSelectors"].as_array() else {
                continue;
            };
            let name = role["metadata"]["name"].as_str().unwrap_or_default();
            let mut want: Vec<String> = Vec::new();
            for sel in selectors {
                for other in &roles {
                    if other["metadata"]["name"] == role["metadata"]["name"]
                        || !selects(sel, &other["metadata"]["labels"])
                    {
                        continue;
                    }
                    for rule in other["rules"].as_array().into_iter().flatten() {
                        let r = canonical_rule(rule);
                        if !want.contains(&r) {
                            want.push(r);
                        }
                    }
                }
            }
            let mut have: Vec<String> = role["rules"]
                .as_array()
                .into_iter()
                .flatten()
                .map(canonical_rule)
                .collect();
            want.sort();
            have.sort();
            have.dedup();
            // An empty union is applied as "no rules", which leaves the written ones in place.
            if !want.is_empty() && want != have {
                pending.push(name.to_string());
            }
        }
        pending
    }

    /// Waits until the API server's authorizer sees every RBAC object applied so far: a marker
    /// Role, RoleBinding, ClusterRole and ClusterRoleBinding are written last, and each kind's
    /// informer delivers in order, so once the marker user is allowed the rest is visible too.
    pub fn wait_authorizer_caught_up(&self, round: usize) {
        let user = format!("kubeaudit:e2e:marker-{round}");
        let objects = marker_objects(&user);
        let out = self.kubectl_stdin(&["apply", "-f", "-"], &objects);
        assert!(
            out.status.success(),
            "applying the marker objects: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let specs = marker_reviews(&user);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.sar(&specs).iter().all(|a| *a) {
            assert!(
                Instant::now() < deadline,
                "the authorizer did not see the marker objects in 30s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = self.kubectl_stdin(&["delete", "-f", "-", "--wait=false"], &objects);
        assert!(
            out.status.success(),
            "deleting the marker objects: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The marker objects of `wait_authorizer_caught_up` (namespace `default`).
fn marker_objects(user: &str) -> String {
    let api = "rbac.authorization.k8s.io/v1";
    let role_rule =
        json!([{"apiGroups": ["kubeaudit.e2e"], "resources": ["markers"], "verbs": ["get"]}]);
    let cluster_rule =
        json!([{"apiGroups": ["kubeaudit.e2e"], "resources": ["markers"], "verbs": ["list"]}]);
    let subjects = json!([{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": user}]);
    let items = json!([
        {"apiVersion": api, "kind": "Role", "metadata": {"name": "kubeaudit-e2e-marker", "namespace": "default"}, "rules": role_rule},
        {"apiVersion": api, "kind": "ClusterRole", "metadata": {"name": "kubeaudit-e2e-marker"}, "rules": cluster_rule},
        {"apiVersion": api, "kind": "RoleBinding", "metadata": {"name": "kubeaudit-e2e-marker", "namespace": "default"},
         "subjects": subjects, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "kubeaudit-e2e-marker"}},
        {"apiVersion": api, "kind": "ClusterRoleBinding", "metadata": {"name": "kubeaudit-e2e-marker"},
         "subjects": subjects, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "kubeaudit-e2e-marker"}},
    ]);
    json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
}

fn marker_reviews(user: &str) -> Vec<Value> {
    // `list` only the ClusterRoleBinding → ClusterRole allows, `get` only the RoleBinding → Role.
    vec![
        json!({"user": user, "resourceAttributes": {"verb": "list", "group": "kubeaudit.e2e", "resource": "markers", "namespace": "marker-elsewhere"}}),
        json!({"user": user, "resourceAttributes": {"verb": "get", "group": "kubeaudit.e2e", "resource": "markers", "namespace": "default"}}),
    ]
}

/// The objects kubectl printed with `-o json`: one JSON value per object, one after another,
/// or a List.
pub fn kubectl_objects(stdout: &[u8]) -> Vec<Value> {
    serde_json::Deserializer::from_slice(stdout)
        .into_iter::<Value>()
        .map(|v| v.expect("kubectl JSON"))
        .flat_map(|v| {
            if v["kind"] == "List" {
                v["items"].as_array().cloned().unwrap_or_default()
            } else {
                vec![v]
            }
        })
        .collect()
}

/// A rule as a canonical string: empty lists dropped (the controller's equality treats them as
/// absent), keys in a fixed order.
fn canonical_rule(rule: &Value) -> String {
    let mut out = serde_json::Map::new();
    for key in [
        "apiGroups",
        "nonResourceURLs",
        "resourceNames",
        "resources",
        "verbs",
    ] {
        if let Some(list) = rule[key].as_array() {
            if !list.is_empty() {
                out.insert(key.into(), Value::Array(list.clone()));
            }
        }
    }
    Value::Object(out).to_string()
}

/// Whether a LabelSelector selects these labels (matchLabels and matchExpressions, ANDed).
fn selects(selector: &Value, labels: &Value) -> bool {
    let label = |k: &str| labels.get(k).and_then(Value::as_str);
    if let Some(m) = selector["matchLabels"].as_object() {
        if m.iter().any(|(k, v)| label(k) != v.as_str()) {
            return false;
        }
    }
    for e in selector["matchExpressions"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let key = e["key"].as_str().unwrap_or_default();
        let values: Vec<&str> = e["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let ok = match e["operator"].as_str().unwrap_or_default() {
            "In" => label(key).is_some_and(|v| values.contains(&v)),
            "NotIn" => label(key).is_none_or(|v| !values.contains(&v)),
            "Exists" => label(key).is_some(),
            "DoesNotExist" => label(key).is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    // An empty selector selects everything; a null one nothing (the controller skips it).
    !selector.is_null()
}

/// The kubeaudit binary under test.
pub fn kubeaudit() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubeaudit"));
    c.env_remove("KUBECONFIG");
    c.env("NO_COLOR", "1");
    c.stdin(Stdio::null());
    c
}

/// Runs kubeaudit; returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("running kubeaudit");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `kubeaudit review FILE -o json` with the given source flags: every review's `allowed`.
pub fn review(reviews: &Path, source: &[&std::ffi::OsStr]) -> Vec<bool> {
    let (code, out, err) = run(kubeaudit()
        .arg("review")
        .arg(reviews)
        .args(["-o", "json"])
        .args(source));
    assert!(
        code == 0 || code == 1,
        "kubeaudit review exited {code}: {err}"
    );
    let v: Value = serde_json::from_str(&out).expect("review JSON");
    v["items"]
        .as_array()
        .expect("review items")
        .iter()
        .map(|a| a["status"]["allowed"] == true)
        .collect()
}
