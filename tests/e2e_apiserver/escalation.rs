//! Escalation paths replayed on kube-apiserver: for every case of tests/fixtures/escalation,
//! kubeaudit (live) finds the path the case records, and then the starting ServiceAccount
//! performs each hop's enabling request itself (impersonation headers, a binding, a role
//! patch, a pod or Deployment with a serviceAccountName, a TokenRequest, a Secret read, a
//! CSR approved and signed …), and the identity gained is allowed what the target needs. A
//! near miss (no path) is refused by the API server as kubeaudit says.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::harness::{control_plane, kubeaudit, run, say, ControlPlane};

const NS: &str = "e2e-esc";
const LOCKED: &str = "e2e-esc-locked";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/escalation")
}

/// Credentials for kubectl without the admin's client certificate.
struct Creds {
    kubeconfig: PathBuf,
}

impl Creds {
    fn kubeconfig(plane: &ControlPlane, name: &str, user: Value) -> Creds {
        let path = plane.dir.join(format!("esc-{name}.kubeconfig"));
        let ca = plane.dir.join("pki/ca.crt");
        let config = json!({"apiVersion": "v1", "kind": "Config", "current-context": "c",
            "clusters": [{"name": "e2e", "cluster": {"server": plane.server, "certificate-authority": ca}}],
            "users": [{"name": "u", "user": user}],
            "contexts": [{"name": "c", "context": {"cluster": "e2e", "user": "u"}}]});
        std::fs::write(&path, config.to_string()).expect("kubeconfig");
        Creds { kubeconfig: path }
    }

    fn token(plane: &ControlPlane, name: &str, token: &str) -> Creds {
        Creds::kubeconfig(plane, name, json!({"token": token.trim()}))
    }

    /// A ServiceAccount's credentials, minted by the admin (a test fixture, not a hop).
    fn service_account(plane: &ControlPlane, sa: &str) -> Creds {
        let t = plane.kubectl_ok(&["create", "token", sa, "-n", NS]);
        Creds::token(plane, sa, &t)
    }

    fn kubectl(&self, plane: &ControlPlane) -> Command {
        let mut c = Command::new(&plane.kubectl);
        c.arg("--kubeconfig").arg(&self.kubeconfig);
        c.env("KUBECACHEDIR", plane.dir.join("kubectl-cache-esc"));
        c.stdin(Stdio::null());
        c
    }

    fn run(&self, plane: &ControlPlane, args: &[&str]) -> Output {
        self.kubectl(plane).args(args).output().expect("kubectl")
    }

    fn run_stdin(&self, plane: &ControlPlane, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .kubectl(plane)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kubectl");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// One raw PATCH request (kubectl patch would GET the object first, which is kubectl's
    /// need, not the API's): the status code and body.
    fn raw_patch(&self, path: &str, content_type: &str, body: &str) -> (u16, String) {
        self.raw(http::Method::PATCH, path, content_type, body)
    }

    /// One raw request: the status code and body.
    fn raw(
        &self,
        method: http::Method,
        path: &str,
        content_type: &str,
        body: &str,
    ) -> (u16, String) {
        let kubeconfig = kube::config::Kubeconfig::read_from(&self.kubeconfig).expect("kubeconfig");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
                .await
                .expect("config");
            let client = kube::Client::try_from(config).expect("client");
            let request = http::Request::builder()
                .method(method)
                .uri(path)
                .header("content-type", content_type)
                .body(body.as_bytes().to_vec())
                .unwrap();
            match client.request_text(request).await {
                Ok(text) => (200, text),
                Err(kube::Error::Api(s)) => (s.code, s.message),
                Err(e) => (0, e.to_string()),
            }
        })
    }

    fn ok(&self, plane: &ControlPlane, args: &[&str]) -> String {
        let out = self.run(plane, args);
        assert!(
            out.status.success(),
            "kubectl {args:?} was refused: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn create(&self, plane: &ControlPlane, object: &Value) {
        let out = self.run_stdin(plane, &["create", "-f", "-"], &object.to_string());
        assert!(
            out.status.success(),
            "creating {} was refused: {}",
            object["metadata"]["name"],
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `kubectl auth can-i` until it says yes (the authorizer's caches lag writes a little).
    fn eventually_can(&self, plane: &ControlPlane, extra: &[&str], verb: &str, resource: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let out = self
                .kubectl(plane)
                .args(extra)
                .args(["auth", "can-i", verb, resource, "--all-namespaces"])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).trim() == "yes" {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{extra:?} is not allowed {verb} {resource}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn refused(out: &Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(!out.status.success(), "{what} was allowed");
    assert!(
        err.contains("forbidden")
            || err.contains("cannot")
            || err.contains("not allowed")
            || err.contains("violates"),
        "{what}: refused for another reason: {err}"
    );
}

/// The request reached past authorization (it failed later, for want of a kubelet).
fn authorized(out: &Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(
        !err.contains("forbidden") && !err.contains("cannot create") && !err.contains("cannot get"),
        "{what} was not authorized: {err}"
    );
}

/// `start` adds itself (its ServiceAccount) to the subjects of a binding: `object` names it
/// for `kubectl patch`.
fn add_self(plane: &ControlPlane, creds: &Creds, start: &str, object: &[&str]) -> Output {
    let patch = json!([{"op": "add", "path": "/subjects/-", "value": {"kind": "ServiceAccount", "name": start, "namespace": NS}}]).to_string();
    let mut args = vec!["patch"];
    args.extend_from_slice(object);
    args.extend(["--type=json", "-p", &patch]);
    creds.run(plane, &args)
}

fn allowed(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} was refused: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `request` until it succeeds, while the authorizer catches up with a binding just written.
fn eventually(what: &str, mut request: impl FnMut() -> Output) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = request();
        if out.status.success() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what} was refused: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A TokenRequest for `sa` as `creds`, once the authorizer has caught up.
fn eventually_token(plane: &ControlPlane, creds: &Creds, sa: &str, namespace: &str) {
    eventually(&format!("a token for {namespace}/{sa}"), || {
        creds.run(plane, &["create", "token", sa, "-n", namespace])
    });
}

fn exec_path() -> String {
    format!("/api/v1/namespaces/{NS}/pods/prize-pod/exec?command=id&container=app&stdout=true")
}

fn wait_for_token(plane: &ControlPlane, creds: &Creds, namespace: &str, secret: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = creds.run(
            plane,
            &[
                "get",
                "secret",
                secret,
                "-n",
                namespace,
                "-o",
                "jsonpath={.data.token}",
            ],
        );
        let data = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            out.status.success(),
            "reading Secret {secret}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if !data.is_empty() {
            let token = base64::engine::general_purpose::STANDARD
                .decode(data)
                .expect("base64 token");
            return String::from_utf8(token).expect("token text");
        }
        assert!(
            Instant::now() < deadline,
            "the token controller did not fill {secret}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn pod(name: &str, namespace: &str, sa: &str, privileged: bool) -> Value {
    let container = if privileged {
        json!({"name": "c", "image": "registry.example/x:1", "securityContext": {"privileged": true},
               "volumeMounts": [{"name": "host", "mountPath": "/host"}]})
    } else {
        json!({"name": "c", "image": "registry.example/x:1",
               "securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": true,
                                   "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}})
    };
    let mut p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace},
        "spec": {"serviceAccountName": sa, "containers": [container]}});
    if privileged {
        p["spec"]["volumes"] = json!([{"name": "host", "hostPath": {"path": "/"}}]);
    }
    p
}

/// A key and a CSR (PEM) for a client certificate with this CN and O.
fn csr(cn: &str, orgs: &[&str]) -> (String, String) {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, cn);
    for o in orgs {
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, *o);
    }
    let request = params.serialize_request(&key).expect("csr");
    (key.serialize_pem(), request.pem().expect("pem"))
}

fn csr_object(name: &str, pem: &str) -> Value {
    json!({"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
        "metadata": {"name": name},
        "spec": {"request": base64::engine::general_purpose::STANDARD.encode(pem),
                 "signerName": "kubernetes.io/kube-apiserver-client", "usages": ["client auth"],
                 "expirationSeconds": 600}})
}

/// Replays a case's hops as the starting ServiceAccount; returns the credentials of what the
/// path reached (for the final check), or checks the refusal of a near miss.
fn replay(plane: &ControlPlane, start: &str, to: &str, reachable: bool) {
    let me = Creds::service_account(plane, start);
    let admin = || -> Creds { Creds::service_account(plane, "admin") };
    let cluster_admin = |c: &Creds, extra: &[&str]| {
        c.eventually_can(plane, extra, "*", "*");
    };
    match (start, reachable) {
        ("imp-user", true) => cluster_admin(&me, &["--as", "e2e-carol"]),
        ("imp-user-ns", false) => refused(
            &me.run(plane, &["--as", "e2e-carol", "get", "pods", "-n", NS]),
            "impersonating a user through a RoleBinding",
        ),
        ("imp-group", true) => {
            cluster_admin(&me, &["--as", "e2e-nobody", "--as-group", "e2e-admins"])
        }
        ("imp-sa", true) => cluster_admin(&me, &["--as", "system:serviceaccount:e2e-esc:admin"]),
        ("escalator", true) => {
            let patch = json!([
                {"op": "add", "path": "/rules/-", "value": {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}},
                {"op": "add", "path": "/rules/-", "value": {"nonResourceURLs": ["*"], "verbs": ["*"]}}
            ]);
            me.ok(
                plane,
                &[
                    "patch",
                    "clusterrole",
                    "e2e-esc-escalator",
                    "--type=json",
                    "-p",
                    &patch.to_string(),
                ],
            );
            cluster_admin(&me, &[]);
        }
        ("escalate-only", false) => {
            let patch = json!([{"op": "add", "path": "/rules/-", "value": {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}}]);
            refused(
                &me.run(
                    plane,
                    &[
                        "patch",
                        "clusterrole",
                        "e2e-esc-escalate-only",
                        "--type=json",
                        "-p",
                        &patch.to_string(),
                    ],
                ),
                "escalate without patch",
            );
        }
        ("binder", true) => {
            me.ok(
                plane,
                &[
                    "create",
                    "clusterrolebinding",
                    "e2e-esc-binder-won",
                    "--clusterrole=cluster-admin",
                    "--serviceaccount=e2e-esc:binder",
                ],
            );
            cluster_admin(&me, &[]);
        }
        ("binding-writer", false) => refused(
            &me.run(
                plane,
                &[
                    "create",
                    "clusterrolebinding",
                    "e2e-esc-writer-try",
                    "--clusterrole=cluster-admin",
                    "--serviceaccount=e2e-esc:binding-writer",
                ],
            ),
            "a cluster-admin binding without bind",
        ),
        ("updater", true) => {
            allowed(
                &add_self(plane, &me, start, &["clusterrolebinding", "e2e-esc-admins"]),
                "adding itself to a ClusterRoleBinding",
            );
            cluster_admin(&me, &[]);
        }
        ("rb-updater", true) => {
            // Bound nowhere itself: the ClusterRoleBinding's update on RoleBindings reaches
            // the locked namespace's.
            allowed(
                &add_self(
                    plane,
                    &me,
                    start,
                    &["rolebinding", "e2e-esc-worker-minter", "-n", LOCKED],
                ),
                "adding itself to a RoleBinding of another namespace",
            );
            eventually_token(plane, &me, "worker", LOCKED);
        }
        ("rb-updater", false) => refused(
            &add_self(plane, &me, start, &["clusterrolebinding", "e2e-esc-admins"]),
            "a ClusterRoleBinding patched with update on RoleBindings only",
        ),
        ("rb-creator", true) => {
            me.ok(
                plane,
                &[
                    "create",
                    "rolebinding",
                    "e2e-esc-rb-creator-won",
                    "-n",
                    LOCKED,
                    "--role=e2e-esc-worker-token",
                    &format!("--serviceaccount={NS}:rb-creator"),
                ],
            );
            eventually_token(plane, &me, "worker", LOCKED);
        }
        ("rb-creator", false) => refused(
            &me.run(
                plane,
                &[
                    "create",
                    "rolebinding",
                    "e2e-esc-rb-creator-admin",
                    "-n",
                    LOCKED,
                    "--clusterrole=cluster-admin",
                    &format!("--serviceaccount={NS}:rb-creator"),
                ],
            ),
            "a RoleBinding to a ClusterRole without bind on it",
        ),
        ("everywhere-binder", true) => {
            // It binds the Secret maker's ClusterRole in a namespace it has nothing in, then
            // has the token controller fill a token Secret for that namespace's worker.
            me.ok(
                plane,
                &[
                    "create",
                    "rolebinding",
                    "e2e-esc-everywhere-won",
                    "-n",
                    LOCKED,
                    "--clusterrole=e2e-esc-secret-maker",
                    &format!("--serviceaccount={NS}:everywhere-binder"),
                ],
            );
            let s = json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                "metadata": {"name": "minted-admin-token", "namespace": LOCKED,
                             "annotations": {"kubernetes.io/service-account.name": "worker"}}});
            eventually("a token Secret in the locked namespace", || {
                me.run_stdin(plane, &["create", "-f", "-"], &s.to_string())
            });
            let t = wait_for_token(plane, &me, LOCKED, "minted-admin-token");
            let who = Creds::token(plane, "minted-worker", &t).ok(
                plane,
                &[
                    "auth",
                    "whoami",
                    "-o",
                    "jsonpath={.status.userInfo.username}",
                ],
            );
            assert_eq!(who, format!("system:serviceaccount:{LOCKED}:worker"));
        }
        ("podmaker", true) => {
            me.create(
                plane,
                &pod(&format!("as-admin-{}", to.len()), NS, "admin", false),
            );
            cluster_admin(&admin(), &[]);
        }
        ("locked-podmaker", true) => me.create(plane, &pod("as-worker", LOCKED, "worker", false)),
        ("locked-podmaker", false) => refused(
            &me.run_stdin(
                plane,
                &["create", "-f", "-"],
                &pod("privileged", LOCKED, "worker", true).to_string(),
            ),
            "a privileged pod in a restricted namespace",
        ),
        ("deployer", true) => {
            let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "as-admin", "namespace": NS},
                "spec": {"selector": {"matchLabels": {"app": "x"}},
                         "template": {"metadata": {"labels": {"app": "x"}}, "spec": pod("x", NS, "admin", false)["spec"]}}});
            me.create(plane, &d);
        }
        ("patcher", true) => {
            let (code, body) = me.raw_patch(
                &format!("/api/v1/namespaces/{NS}/pods/prize-pod"),
                "application/strategic-merge-patch+json",
                r#"{"spec":{"containers":[{"name":"app","image":"registry.example/attacker:1"}]}}"#,
            );
            assert_eq!(code, 200, "patching the pod's image: {body}");
        }
        ("execer", true) => {
            // The exec request itself (kubectl exec would GET the pod first): past authorization,
            // it fails for want of a kubelet, never with 403.
            let (code, body) = me.raw(http::Method::POST, &exec_path(), "application/json", "");
            assert!(code != 403 && code != 401, "exec: {code} {body}");
        }
        ("exec-get", false) => {
            for method in [http::Method::GET, http::Method::POST] {
                let (code, body) = me.raw(method.clone(), &exec_path(), "application/json", "");
                assert_eq!(code, 403, "{method} pods/exec with get only: {body}");
            }
        }
        ("proxier", true) => authorized(
            &me.run(
                plane,
                &["get", "--raw", "/api/v1/nodes/e2e-node-1/proxy/pods"],
            ),
            "nodes/proxy",
        ),
        ("secret-reader", true) => {
            let t = wait_for_token(plane, &me, NS, "admin-token");
            cluster_admin(&Creds::token(plane, "read-token", &t), &[]);
        }
        ("secret-maker", true) => {
            let s = json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                "metadata": {"name": "minted-admin-token", "namespace": NS,
                             "annotations": {"kubernetes.io/service-account.name": "admin"}}});
            me.create(plane, &s);
            let t = wait_for_token(plane, &me, NS, "minted-admin-token");
            let gained = Creds::token(plane, "minted-token", &t);
            let who = gained.ok(
                plane,
                &[
                    "auth",
                    "whoami",
                    "-o",
                    "jsonpath={.status.userInfo.username}",
                ],
            );
            assert_eq!(who, "system:serviceaccount:e2e-esc:admin");
        }
        ("token-minter", true) => {
            let t = me.ok(plane, &["create", "token", "admin", "-n", NS]);
            cluster_admin(&Creds::token(plane, "minted", &t), &[]);
        }
        ("csr-approver", true) => {
            // system:masters is refused for this signer (CertificateSubjectRestriction).
            let (_, masters) = csr("e2e-mallory", &["system:masters"]);
            refused(
                &me.run_stdin(
                    plane,
                    &["create", "-f", "-"],
                    &csr_object("e2e-esc-masters", &masters).to_string(),
                ),
                "a system:masters client certificate",
            );
            let (key, request) = csr("e2e-carol", &[]);
            me.create(plane, &csr_object("e2e-esc-carol", &request));
            me.ok(plane, &["certificate", "approve", "e2e-esc-carol"]);
            let deadline = Instant::now() + Duration::from_secs(30);
            let cert = loop {
                let c = me.ok(
                    plane,
                    &[
                        "get",
                        "csr",
                        "e2e-esc-carol",
                        "-o",
                        "jsonpath={.status.certificate}",
                    ],
                );
                if !c.trim().is_empty() {
                    break c.trim().to_string();
                }
                assert!(Instant::now() < deadline, "the CSR was not signed");
                std::thread::sleep(Duration::from_millis(100));
            };
            let gained = Creds::kubeconfig(
                plane,
                "carol-cert",
                json!({"client-certificate-data": cert,
                       "client-key-data": base64::engine::general_purpose::STANDARD.encode(key)}),
            );
            cluster_admin(&gained, &[]);
        }
        ("webhooker", true) => {
            let w = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
                "metadata": {"name": "e2e-esc-webhook"},
                "webhooks": [{"name": "inject.e2e-esc.example", "failurePolicy": "Ignore", "sideEffects": "None",
                    "admissionReviewVersions": ["v1"], "clientConfig": {"url": "https://127.0.0.1:1/inject"},
                    "namespaceSelector": {"matchLabels": {"e2e-esc-never": "true"}},
                    "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}]}]});
            me.create(plane, &w);
        }
        ("pv-maker", true) => {
            let pv = json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "e2e-esc-host-root"},
                "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/"},
                         "storageClassName": "e2e-esc-manual", "claimRef": {"namespace": LOCKED, "name": "host-root"}}});
            me.create(plane, &pv);
            let pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "host-root", "namespace": LOCKED},
                "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "e2e-esc-manual", "volumeName": "e2e-esc-host-root",
                         "resources": {"requests": {"storage": "1Gi"}}}});
            me.create(plane, &pvc);
            // Pod Security lets a claim through even in a restricted namespace.
            let mut p = pod("host-root", LOCKED, "default", false);
            p["spec"]["volumes"] =
                json!([{"name": "root", "persistentVolumeClaim": {"claimName": "host-root"}}]);
            me.create(plane, &p);
        }
        (s, r) => panic!("no replay for case {s} (reachable: {r}): add one"),
    }
}

fn cleanup(plane: &ControlPlane) {
    let _ = plane
        .kubectl()
        .args(["delete", "-f"])
        .arg(fixture().join("cluster.yaml"))
        .args(["--ignore-not-found", "--wait=false"])
        .output();
    for (kind, name) in [
        ("clusterrolebinding", "e2e-esc-binder-won"),
        ("csr", "e2e-esc-carol"),
        ("mutatingwebhookconfiguration", "e2e-esc-webhook"),
        ("pv", "e2e-esc-host-root"),
    ] {
        let _ = plane
            .kubectl()
            .args(["delete", kind, name, "--ignore-not-found", "--wait=false"])
            .output();
    }
    // The namespaces' deletion is asynchronous: wait, so the next test sees a clean cluster.
    let deadline = Instant::now() + Duration::from_secs(60);
    while plane
        .kubectl()
        .args([
            "get",
            "namespace",
            NS,
            LOCKED,
            "--ignore-not-found",
            "-o",
            "name",
        ])
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false)
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn escalation_paths_replay_on_kube_apiserver() {
    let Some(plane) = control_plane() else {
        return;
    };
    cleanup(&plane);
    let out = plane
        .kubectl()
        .args(["apply", "-f"])
        .arg(fixture().join("cluster.yaml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    plane.wait_authorizer_caught_up(30_000);
    // The token controller fills the legacy Secret; live reads then see it.
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(fixture().join("cases.json")).unwrap())
            .unwrap();
    let mut replayed = 0;
    for case in &cases {
        let start = case["start"].as_str().unwrap();
        let to = case["to"].as_str().unwrap();
        let (code, out, err) = run(kubeaudit()
            .args([
                "escalation",
                "--sa",
                &format!("{NS}/{start}"),
                "--to",
                to,
                "-o",
                "json",
                "--kubeconfig",
            ])
            .arg(&plane.kubeconfig));
        let r: Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{start}: {e}: {out}{err}"));
        let path: Option<Vec<String>> =
            r["reached"]
                .as_array()
                .and_then(|l| l.first())
                .map(|first| {
                    first["path"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| h["primitive"].as_str().unwrap().to_string())
                        .collect()
                });
        let want: Option<Vec<String>> = case["path"]
            .as_array()
            .map(|p| p.iter().map(|x| x.as_str().unwrap().to_string()).collect());
        assert_eq!(path, want, "{start} → {to} (live, exit {code}): {err}");
        replay(&plane, start, to, want.is_some());
        replayed += 1;
    }
    cleanup(&plane);
    say(&format!(
        "e2e: {replayed} escalation cases (every primitive and its near misses) found live and replayed on kube-apiserver {}\n",
        plane.version
    ));
}
