//! Live-cluster fetching against the loopback test API server (tests/support/apiserver.rs), and
//! a check with the real kubectl that the test server is faithful.

mod support;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubeaudit::rbac::{Attributes, NonResourceAttributes, ResourceAttributes, UserInfo};
use kubeaudit::source::live::{
    fetch, identity_from_client_cert, verify_access, whoami, FetchOptions, FetchScope, Kind,
    LiveError,
};
use serde_json::{json, Value};
use support::apiserver::{
    ApiServer, ApiServerBuilder, AuthzAnswer, CaMode, ContinueExpiry, KubeUser,
};

const TOKEN: &str = "alice-token-0123456789";
const RBAC: &str = "rbac.authorization.k8s.io";

fn meta(name: &str, ns: Option<&str>) -> Value {
    match ns {
        Some(ns) => {
            json!({"name": name, "namespace": ns, "uid": format!("uid-{ns}-{name}"), "resourceVersion": "7"})
        }
        None => json!({"name": name, "uid": format!("uid-{name}"), "resourceVersion": "7"}),
    }
}

/// A small cluster: several objects of every kind, spread over three namespaces.
fn cluster() -> Vec<Value> {
    let mut v = Vec::new();
    for ns in ["default", "shop", "kube-system"] {
        v.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(ns, None)}));
    }
    for i in 0..5 {
        v.push(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta(&format!("cr-{i}"), None),
                      "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]}));
        v.push(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta(&format!("crb-{i}"), None),
                      "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": format!("cr-{i}")},
                      "subjects": [{"kind": "User", "apiGroup": RBAC, "name": format!("user-{i}")}]}));
    }
    for (i, ns) in ["default", "shop", "shop", "kube-system", "shop"]
        .iter()
        .enumerate()
    {
        v.push(json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta(&format!("pod-{i}"), Some(ns)),
                      "spec": {"serviceAccountName": "default", "containers": [{"name": "c", "image": "busybox"}]}}));
        v.push(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta(&format!("role-{i}"), Some(ns)),
                      "rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]}]}));
        v.push(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta(&format!("rb-{i}"), Some(ns)),
                      "roleRef": {"apiGroup": RBAC, "kind": "Role", "name": format!("role-{i}")},
                      "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": ns}]}));
    }
    for ns in ["default", "shop", "kube-system"] {
        v.push(json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("default", Some(ns))}));
    }
    v.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta("deny-all", Some("shop")),
                  "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}));
    v.push(json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": meta("widgets.example.com", None),
                  "spec": {"group": "example.com", "scope": "Namespaced",
                           "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
                           "versions": [{"name": "v1", "served": true, "storage": true}]}}));
    v.push(json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": meta("w1", Some("shop"))}));
    v
}

fn base() -> ApiServerBuilder {
    ApiServerBuilder::new()
        .objects(cluster())
        .token(TOKEN, "alice", &["devs"])
}

fn alice() -> KubeUser {
    KubeUser::Token(TOKEN.to_string())
}

/// (apiVersion, kind, namespace, name) of every object of `kinds` in `objects`.
fn keys(
    objects: &[Value],
    kinds: &[Kind],
    namespace: Option<&str>,
) -> BTreeSet<(String, String, String, String)> {
    objects
        .iter()
        .filter(|o| {
            kinds
                .iter()
                .any(|k| o["kind"] == k.kind() && o["apiVersion"] == k.api_version())
        })
        .filter(|o| {
            namespace.is_none()
                || o["metadata"]["namespace"].is_null()
                || o["metadata"]["namespace"].as_str() == namespace
        })
        .map(|o| {
            let s = |v: &Value| v.as_str().unwrap_or("").to_string();
            (
                s(&o["apiVersion"]),
                s(&o["kind"]),
                s(&o["metadata"]["namespace"]),
                s(&o["metadata"]["name"]),
            )
        })
        .collect()
}

fn opts(page_size: u32) -> FetchOptions {
    FetchOptions {
        page_size,
        request_timeout: Duration::from_secs(5),
        retry_backoff: Duration::from_millis(10),
        ..FetchOptions::default()
    }
}

/// Every list of `plural` recorded by the server: (query `continue` value, query `limit` value).
fn list_calls(server: &ApiServer, plural: &str) -> Vec<(Option<String>, Option<String>)> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&format!("/{plural}")))
        .map(|r| (r.param("continue"), r.param("limit")))
        .collect()
}

#[tokio::test]
async fn pages_of_two_lose_no_object() {
    let server = base().start();
    let client = server.client(&alice()).await;
    let result = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &opts(2))
        .await
        .expect("fetch");
    assert!(result.missing.is_empty(), "{:?}", result.missing);
    assert_eq!(
        keys(&result.objects, &Kind::ALL, None),
        keys(&cluster(), &Kind::ALL, None)
    );
    assert_eq!(
        result.objects.len(),
        keys(&result.objects, &Kind::ALL, None).len(),
        "no duplicates"
    );
    // Items come back with apiVersion/kind restored and their content intact.
    let pod = result
        .objects
        .iter()
        .find(|o| o["kind"] == "Pod" && o["metadata"]["name"] == "pod-1")
        .expect("pod-1");
    assert_eq!(pod["apiVersion"], "v1");
    assert_eq!(pod["spec"]["containers"][0]["image"], "busybox");

    let calls = list_calls(&server, "pods");
    assert_eq!(calls.len(), 3, "5 pods in pages of 2: {calls:?}");
    assert!(calls.iter().all(|(_, limit)| limit.as_deref() == Some("2")));
    assert_eq!(calls.iter().filter(|(c, _)| c.is_some()).count(), 2);
    let raw: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path_and_query())
        .collect();
    assert!(
        raw.iter()
            .any(|q| q.contains("limit=2") && q.contains("continue=")),
        "{raw:?}"
    );
    // Which kinds were listed: exactly one list chain per kind.
    for k in Kind::ALL {
        assert!(!list_calls(&server, k.plural()).is_empty(), "{k} listed");
    }
    // The Authorization header never appears in the log.
    assert!(server
        .requests()
        .iter()
        .all(|r| r.headers.iter().all(|(h, _)| h != "authorization")));
}

#[tokio::test]
async fn short_pages_lose_no_object() {
    for empty_continue in [false, true] {
        let server = base()
            .short_pages(true)
            .empty_continue_on_last_page(empty_continue)
            .start();
        let client = server.client(&alice()).await;
        for page in [1, 2, 3, 500] {
            let result = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &opts(page))
                .await
                .expect("fetch");
            assert!(result.missing.is_empty(), "{:?}", result.missing);
            assert_eq!(
                keys(&result.objects, &Kind::ALL, None),
                keys(&cluster(), &Kind::ALL, None),
                "page {page}"
            );
            assert_eq!(
                result.objects.len(),
                cluster().len() - 1,
                "all but the Widget, no duplicates"
            );
        }
        // limit=2 in short mode serves 1 per page and ends with an empty page: 5 pods → 6 calls.
        server.clear_requests();
        fetch(&client, &[Kind::Pod], &FetchScope::AllNamespaces, &opts(2))
            .await
            .expect("fetch");
        assert_eq!(list_calls(&server, "pods").len(), 6);
    }
}

#[tokio::test]
async fn expired_continue_token_restarts_the_list() {
    let server = base()
        .continue_expiry(ContinueExpiry::OnFirstUse { max_tokens: 1 })
        .start();
    let client = server.client(&alice()).await;
    let result = fetch(
        &client,
        &[Kind::ClusterRole],
        &FetchScope::AllNamespaces,
        &opts(2),
    )
    .await
    .expect("fetch");
    assert!(result.missing.is_empty(), "{:?}", result.missing);
    assert_eq!(
        keys(&result.objects, &[Kind::ClusterRole], None),
        keys(&cluster(), &[Kind::ClusterRole], None)
    );
    assert_eq!(result.objects.len(), 5, "restart does not duplicate");
    let calls = list_calls(&server, "clusterroles");
    // first page, expired continue, first page again, then two continues.
    assert_eq!(
        calls.iter().filter(|(c, _)| c.is_none()).count(),
        2,
        "{calls:?}"
    );
    assert_eq!(calls.len(), 5, "{calls:?}");
}

#[tokio::test]
async fn always_expiring_continue_token_is_recorded_after_bounded_restarts() {
    let server = base().continue_expiry(ContinueExpiry::Always).start();
    let client = server.client(&alice()).await;
    let o = FetchOptions {
        max_restarts: 2,
        ..opts(2)
    };
    let result = fetch(
        &client,
        &[Kind::ClusterRole, Kind::Namespace],
        &FetchScope::AllNamespaces,
        &o,
    )
    .await
    .expect("fetch");
    assert_eq!(result.missing.len(), 2, "{:?}", result.missing);
    let m = result
        .missing
        .iter()
        .find(|m| m.kind == Kind::ClusterRole)
        .expect("clusterroles missing");
    assert_eq!(m.code, Some(410));
    assert!(
        m.reason.contains("too old to display a consistent list"),
        "{}",
        m.reason
    );
    assert_eq!(
        m.objects_kept, 2,
        "the first page of the last attempt is kept"
    );
    let calls = list_calls(&server, "clusterroles");
    assert_eq!(
        calls.iter().filter(|(c, _)| c.is_none()).count(),
        3,
        "initial + 2 restarts: {calls:?}"
    );
}

#[tokio::test]
async fn forbidden_kind_is_recorded_with_the_server_message() {
    let server = base()
        .forbid(RBAC, "clusterroles")
        .forbid("", "pods")
        .start();
    let client = server.client(&alice()).await;
    let result = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &opts(2))
        .await
        .expect("fetch");
    assert_eq!(result.missing.len(), 2, "{:?}", result.missing);
    let cr = result
        .missing
        .iter()
        .find(|m| m.kind == Kind::ClusterRole)
        .expect("clusterroles");
    assert_eq!(cr.code, Some(403));
    assert_eq!(cr.namespace, None);
    assert_eq!(
        cr.reason,
        r#"clusterroles.rbac.authorization.k8s.io is forbidden: User "alice" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope"#
    );
    let pods = result
        .missing
        .iter()
        .find(|m| m.kind == Kind::Pod)
        .expect("pods");
    assert_eq!(
        pods.reason,
        r#"pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope"#
    );
    let others: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| !matches!(k, Kind::ClusterRole | Kind::Pod))
        .collect();
    assert_eq!(
        keys(&result.objects, &others, None),
        keys(&cluster(), &others, None)
    );
    assert_eq!(
        keys(&result.objects, &[Kind::ClusterRole, Kind::Pod], None).len(),
        0
    );

    // One namespace: the message names it.
    let result = fetch(
        &client,
        &[Kind::Pod],
        &FetchScope::Namespace("shop".into()),
        &opts(2),
    )
    .await
    .expect("fetch");
    assert_eq!(result.missing[0].namespace.as_deref(), Some("shop"));
    assert_eq!(
        result.missing[0].reason,
        r#"pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "shop""#
    );
}

#[tokio::test]
async fn enforced_authorizer_denial_carries_its_reason() {
    let server = base()
        .authorizer(|user, spec| {
            let denied = spec["resourceAttributes"]["resource"] == "rolebindings";
            AuthzAnswer::from((
                !denied,
                if denied {
                    format!("no rule for {}", user.name)
                } else {
                    String::new()
                },
            ))
        })
        .enforce_authorization(true)
        .start();
    let client = server.client(&alice()).await;
    let result = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &opts(500))
        .await
        .expect("fetch");
    assert_eq!(result.missing.len(), 1, "{:?}", result.missing);
    assert_eq!(
        result.missing[0].reason,
        r#"rolebindings.rbac.authorization.k8s.io is forbidden: User "alice" cannot list resource "rolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope: no rule for alice"#
    );
}

#[tokio::test]
async fn missing_api_group_is_recorded() {
    let server = base().without_group("networking.k8s.io").start();
    let client = server.client(&alice()).await;
    let result = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &opts(2))
        .await
        .expect("fetch");
    assert_eq!(result.missing.len(), 1, "{:?}", result.missing);
    assert_eq!(result.missing[0].kind, Kind::NetworkPolicy);
    assert_eq!(result.missing[0].code, Some(404));
    assert_eq!(
        result.missing[0].reason,
        "the server could not find the requested resource"
    );
    let others: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| *k != Kind::NetworkPolicy)
        .collect();
    assert_eq!(
        keys(&result.objects, &others, None),
        keys(&cluster(), &others, None)
    );
}

#[tokio::test]
async fn slow_list_times_out_and_is_recorded() {
    let server = base().slow("", "pods", Duration::from_secs(3)).start();
    let client = server.client(&alice()).await;
    let o = FetchOptions {
        request_timeout: Duration::from_millis(200),
        retries: 1,
        ..opts(2)
    };
    let started = Instant::now();
    let result = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &o)
        .await
        .expect("fetch");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "bounded by the timeout: {:?}",
        started.elapsed()
    );
    assert_eq!(result.missing.len(), 1, "{:?}", result.missing);
    let m = &result.missing[0];
    assert_eq!((m.kind, m.code), (Kind::Pod, None));
    assert!(
        m.reason
            .contains("no answer from the API server within 200ms"),
        "{}",
        m.reason
    );
    assert!(m.reason.contains("after 2 attempts"), "{}", m.reason);
    let others: Vec<Kind> = Kind::ALL.into_iter().filter(|k| *k != Kind::Pod).collect();
    assert_eq!(
        keys(&result.objects, &others, None),
        keys(&cluster(), &others, None)
    );
}

#[tokio::test]
async fn transient_failures_are_retried() {
    let server = base()
        .fail_500(RBAC, "clusterroles", 1)
        .reset("", "namespaces", 1)
        .start();
    let client = server.client(&alice()).await;
    let result = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &opts(2))
        .await
        .expect("fetch");
    assert!(result.missing.is_empty(), "{:?}", result.missing);
    assert_eq!(
        keys(&result.objects, &Kind::ALL, None),
        keys(&cluster(), &Kind::ALL, None)
    );
    // clusterroles: 500, then 3 pages.
    assert_eq!(list_calls(&server, "clusterroles").len(), 4);

    // More failures than retries: recorded with the server's message and code.
    let server = base().fail_500(RBAC, "clusterroles", 10).start();
    let client = server.client(&alice()).await;
    let o = FetchOptions {
        retries: 2,
        ..opts(2)
    };
    let result = fetch(
        &client,
        &[Kind::ClusterRole],
        &FetchScope::AllNamespaces,
        &o,
    )
    .await
    .expect("fetch");
    assert_eq!(result.missing.len(), 1);
    assert_eq!(result.missing[0].code, Some(500));
    assert_eq!(
        result.missing[0].reason,
        "Internal error occurred: injected transient failure (after 3 attempts)"
    );
}

#[tokio::test]
async fn one_namespace_scope() {
    let server = base().start();
    let client = server.client(&alice()).await;
    let kinds = [Kind::Pod, Kind::Role, Kind::ClusterRole];
    let result = fetch(
        &client,
        &kinds,
        &FetchScope::Namespace("shop".into()),
        &opts(2),
    )
    .await
    .expect("fetch");
    assert!(result.missing.is_empty());
    assert_eq!(
        keys(&result.objects, &kinds, Some("shop")),
        keys(&cluster(), &kinds, Some("shop"))
    );
    assert!(server
        .requests()
        .iter()
        .any(|r| r.path == "/api/v1/namespaces/shop/pods"));
    assert!(server
        .requests()
        .iter()
        .any(|r| r.path == "/apis/rbac.authorization.k8s.io/v1/clusterroles"));

    let err = fetch(
        &client,
        &kinds,
        &FetchScope::Namespace("../etc".into()),
        &opts(2),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, LiveError::InvalidNamespace(_)), "{err}");
}

#[tokio::test]
async fn every_credential_kind_authenticates() {
    let server = base().token("file-token-abc", "bob", &[]).start();
    let users = [
        (KubeUser::Token(TOKEN.into()), CaMode::Data, "alice"),
        (KubeUser::Token(TOKEN.into()), CaMode::File, "alice"),
        (
            KubeUser::TokenFile("file-token-abc".into()),
            CaMode::Data,
            "bob",
        ),
        (
            KubeUser::ClientCert {
                name: "carol".into(),
                groups: vec!["ops".into(), "audit".into()],
            },
            CaMode::File,
            "carol",
        ),
    ];
    for (user, ca, name) in users {
        let mut cfg = server.config(&user, ca).await;
        cfg.default_retry = false;
        let client = kube::Client::try_from(cfg).expect("client");
        server.clear_requests();
        let result = fetch(
            &client,
            &[Kind::Namespace],
            &FetchScope::AllNamespaces,
            &opts(500),
        )
        .await
        .expect("fetch");
        assert!(result.missing.is_empty(), "{user:?}: {:?}", result.missing);
        assert_eq!(result.objects.len(), 3, "{user:?}");
        assert!(
            server
                .requests()
                .iter()
                .all(|r| r.user.as_deref() == Some(name)),
            "{user:?}"
        );
    }
}

#[tokio::test]
async fn rejected_credentials_surface_as_unauthorized() {
    let server = base().start();
    for user in [KubeUser::Token("wrong".into()), KubeUser::Anonymous] {
        let client = server.client(&user).await;
        let err = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &opts(2))
            .await
            .unwrap_err();
        assert_eq!(
            err,
            LiveError::Unauthorized {
                message: "Unauthorized".into()
            }
        );
        assert!(err.to_string().contains("401 Unauthorized"), "{err}");
        let err = whoami(&client, Duration::from_secs(5)).await.unwrap_err();
        assert_eq!(err.code(), Some(401));
    }
}

#[tokio::test]
async fn whoami_for_token_and_certificate_users() {
    let server = base().start();
    let me = whoami(&server.client(&alice()).await, Duration::from_secs(5))
        .await
        .expect("whoami");
    assert_eq!(
        me,
        UserInfo {
            name: "alice".into(),
            groups: vec!["devs".into(), "system:authenticated".into()]
        }
    );

    let cert_user = KubeUser::ClientCert {
        name: "carol".into(),
        groups: vec!["ops".into(), "audit".into()],
    };
    let me = whoami(&server.client(&cert_user).await, Duration::from_secs(5))
        .await
        .expect("whoami");
    assert_eq!(me.name, "carol");
    assert_eq!(me.groups, vec!["ops", "audit", "system:authenticated"]);

    // An older server without SelfSubjectReview: 404, and the certificate fallback works.
    let server = base().without_group("authentication.k8s.io").start();
    let err = whoami(&server.client(&cert_user).await, Duration::from_secs(5))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(404));
    let (cert, _key) = server.client_cert("dave", &["team-a".into(), "team-b".into()]);
    assert_eq!(
        identity_from_client_cert(cert.as_bytes()),
        Some(("dave".into(), vec!["team-a".into(), "team-b".into()]))
    );
    let (cert, _key) = server.client_cert("erin", &[]);
    let bundle = format!("{cert}{}", server.ca_pem());
    assert_eq!(
        identity_from_client_cert(bundle.as_bytes()),
        Some(("erin".into(), vec![]))
    );
}

#[tokio::test]
async fn verify_access_round_trip() {
    let seen: Arc<Mutex<Vec<(UserInfo, Value)>>> = Arc::default();
    let log = seen.clone();
    let server = base()
        .authorizer(move |user, spec| {
            log.lock().unwrap().push((user.clone(), spec.clone()));
            let ra = &spec["resourceAttributes"];
            if ra["resource"] == "pods"
                && ra["namespace"] == "shop"
                && user.groups.iter().any(|g| g == "devs")
            {
                AuthzAnswer::from((true, "RBAC: allowed by RoleBinding \"rb-1/shop\""))
            } else if !spec["nonResourceAttributes"].is_null() {
                AuthzAnswer {
                    denied: true,
                    reason: "explicitly denied".into(),
                    ..Default::default()
                }
            } else {
                AuthzAnswer {
                    evaluation_error: "role \"x\" not found".into(),
                    ..Default::default()
                }
            }
        })
        .start();
    let client = server.client(&alice()).await;
    let t = Duration::from_secs(5);
    let pods = Attributes::Resource(ResourceAttributes {
        verb: "list".into(),
        resource: "pods".into(),
        namespace: "shop".into(),
        ..Default::default()
    });
    let d = verify_access(&client, None, &pods, t).await.expect("ssar");
    assert!(d.allowed && !d.denied);
    assert_eq!(d.reason, "RBAC: allowed by RoleBinding \"rb-1/shop\"");

    let bob = UserInfo {
        name: "bob".into(),
        groups: vec!["qa".into()],
    };
    let d = verify_access(&client, Some(&bob), &pods, t)
        .await
        .expect("sar");
    assert!(!d.allowed && !d.denied);
    assert_eq!(d.evaluation_error, "role \"x\" not found");

    let healthz = Attributes::NonResource(NonResourceAttributes {
        verb: "get".into(),
        path: "/healthz".into(),
    });
    let d = verify_access(&client, Some(&bob), &healthz, t)
        .await
        .expect("sar");
    assert!(!d.allowed && d.denied);

    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].0.name, "alice", "SSAR is evaluated for the caller");
    assert_eq!(
        seen[0].1["resourceAttributes"],
        json!({"verb": "list", "resource": "pods", "namespace": "shop"})
    );
    assert_eq!(seen[1].0, bob, "SAR is evaluated for the subject");
    assert_eq!(
        seen[2].1["nonResourceAttributes"],
        json!({"verb": "get", "path": "/healthz"})
    );
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert!(paths.contains(&"/apis/authorization.k8s.io/v1/selfsubjectaccessreviews".to_string()));
    assert!(paths.contains(&"/apis/authorization.k8s.io/v1/subjectaccessreviews".to_string()));
}

/// kubectl on PATH, or a note and `None`.
fn kubectl() -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("kubectl"))
                .find(|c| c.is_file())
        })
        .unwrap_or(None);
    if found.is_none() {
        eprintln!("note: kubectl is not on PATH; skipping the test server fidelity check");
    }
    found
}

fn run_kubectl(
    kubectl: &std::path::Path,
    kubeconfig: &std::path::Path,
    cache: &std::path::Path,
    args: &[&str],
) -> String {
    let mut child = std::process::Command::new(kubectl)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("--cache-dir")
        .arg(cache)
        .arg("--request-timeout=20s")
        .args(args)
        .env_remove("KUBECONFIG")
        .env("HOME", cache)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn kubectl");
    // Bounded: kill kubectl if it hangs.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait kubectl").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kubectl {args:?} did not finish in 60s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("kubectl output");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "kubectl {args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn kubectl_agrees_with_the_test_server() {
    let Some(kubectl) = kubectl() else { return };
    let server = base().start();
    let cache = tempfile::tempdir().expect("cache dir");

    let kc = server.write_kubeconfig(&alice(), CaMode::Data);
    let out = run_kubectl(
        &kubectl,
        &kc,
        cache.path(),
        &["get", "clusterroles", "-o", "name"],
    );
    let names: Vec<&str> = out.lines().collect();
    assert_eq!(
        names,
        (0..5)
            .map(|i| format!("clusterrole.rbac.authorization.k8s.io/cr-{i}"))
            .collect::<Vec<_>>()
    );

    server.clear_requests();
    let out = run_kubectl(
        &kubectl,
        &kc,
        cache.path(),
        &["get", "pods", "-A", "--chunk-size=2", "-o", "json"],
    );
    let list: Value = serde_json::from_str(&out).expect("kubectl -o json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(
        keys(items, &[Kind::Pod], None),
        keys(&cluster(), &[Kind::Pod], None)
    );
    let pod_lists: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/v1/pods")
        .collect();
    assert_eq!(pod_lists.len(), 3, "kubectl pages through with limit=2");
    assert!(pod_lists
        .iter()
        .all(|r| r.param("limit").as_deref() == Some("2")));

    // Client certificates, a CA file and a token file work for kubectl too; a CRD-served kind
    // is discoverable by its short name.
    let cert = server.write_kubeconfig(
        &KubeUser::ClientCert {
            name: "carol".into(),
            groups: vec!["ops".into()],
        },
        CaMode::File,
    );
    let out = run_kubectl(
        &kubectl,
        &cert,
        cache.path(),
        &["get", "wd", "-n", "shop", "-o", "name"],
    );
    assert_eq!(out.trim(), "widget.example.com/w1");
    let out = run_kubectl(
        &kubectl,
        &cert,
        cache.path(),
        &["auth", "whoami", "-o", "json"],
    );
    let me: Value = serde_json::from_str(&out).expect("whoami json");
    assert_eq!(me["status"]["userInfo"]["username"], "carol");
    let server2 = base().token("tf-token", "frank", &[]).start();
    let tf = server2.write_kubeconfig(&KubeUser::TokenFile("tf-token".into()), CaMode::Data);
    let out = run_kubectl(&kubectl, &tf, cache.path(), &["get", "ns", "-o", "name"]);
    assert_eq!(out.lines().count(), 3);
}

#[tokio::test]
async fn unusable_credentials_fail_fast() {
    // kube 5 sends a token file verbatim; a trailing newline makes the header invalid. That is
    // a credentials error, reported at once rather than retried as a transport failure.
    let server = base().token("nl-token", "gina", &[]).start();
    let yaml = server.kubeconfig_yaml(&KubeUser::TokenFile("nl-token".into()), CaMode::Data);
    let path = yaml
        .lines()
        .find_map(|l| l.trim().strip_prefix("tokenFile: "))
        .expect("tokenFile line")
        .to_string();
    std::fs::write(&path, "nl-token\n").expect("rewrite token file");
    let kc = kube::config::Kubeconfig::from_yaml(&yaml).expect("kubeconfig");
    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .expect("config");
    let client = kube::Client::try_from(cfg).expect("client");
    let err = fetch(&client, &Kind::ALL, &FetchScope::AllNamespaces, &opts(2))
        .await
        .unwrap_err();
    assert!(matches!(err, LiveError::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("invalid bearer token"), "{err}");
    assert!(server.requests().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn discovery_is_what_kube_expects() {
    let server = base().without_group("networking.k8s.io").start();
    let client = server.client(&alice()).await;
    let discovery = kube::discovery::Discovery::new(client)
        .run()
        .await
        .expect("discovery");
    let groups: BTreeSet<String> = discovery.groups().map(|g| g.name().to_string()).collect();
    for g in [
        "",
        RBAC,
        "apiextensions.k8s.io",
        "authorization.k8s.io",
        "authentication.k8s.io",
        "example.com",
    ] {
        assert!(groups.contains(g), "{g} in {groups:?}");
    }
    assert!(
        !groups.contains("networking.k8s.io"),
        "a removed group is not discovered"
    );
    let (ar, caps) = discovery
        .resolve_gvk(&kube::api::GroupVersionKind::gvk(RBAC, "v1", "ClusterRole"))
        .expect("clusterroles");
    assert_eq!(ar.plural, "clusterroles");
    assert_eq!(caps.scope, kube::discovery::Scope::Cluster);
    let (ar, caps) = discovery
        .resolve_gvk(&kube::api::GroupVersionKind::gvk(
            "example.com",
            "v1",
            "Widget",
        ))
        .expect("widgets");
    assert_eq!(ar.plural, "widgets");
    assert_eq!(caps.scope, kube::discovery::Scope::Namespaced);
    let (_, caps) = discovery
        .resolve_gvk(&kube::api::GroupVersionKind::gvk("", "v1", "Pod"))
        .expect("pods");
    assert!(
        caps.subresources
            .iter()
            .any(|(sub, _)| sub.plural == "pods/log" || sub.plural == "log"),
        "{:?}",
        caps.subresources
    );
}
