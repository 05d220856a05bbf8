//! A loopback Kubernetes API server for tests.
//!
//! It speaks HTTPS (a CA generated per server by rcgen), authenticates bearer tokens and client
//! certificates signed by that CA, serves discovery (`/api`, `/apis`, `/api/v1`, `/apis/G/V`,
//! `/version`), paginated lists of an in-memory object store shaped like the real server's
//! responses, SelfSubjectReview, (Self)SubjectAccessReview answered by a pluggable authorizer,
//! and injectable faults (403, missing API group, slow responses, transient 500s, connection
//! resets, expiring continue tokens). Every request is recorded.
//!
//! The server runs on its own thread with its own tokio runtime, so it serves both async tests
//! and synchronous ones that run `kubectl`; it stops when the [`ApiServer`] is dropped.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use kubeaudit::rbac::UserInfo;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{json, Value};

/// The group every authenticated user gets from the API server's authenticator.
const AUTHENTICATED_GROUP: &str = "system:authenticated";
/// The resourceVersion every list reports (the store never changes while serving).
const LIST_RESOURCE_VERSION: &str = "4242";

/// An authorizer's answer to a (Self)SubjectAccessReview or to an enforced request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthzAnswer {
    /// `status.allowed`.
    pub allowed: bool,
    /// `status.denied` (an explicit deny; only meaningful when not allowed).
    pub denied: bool,
    /// `status.reason`.
    pub reason: String,
    /// `status.evaluationError`.
    pub evaluation_error: String,
}

impl From<(bool, String)> for AuthzAnswer {
    fn from((allowed, reason): (bool, String)) -> Self {
        AuthzAnswer {
            allowed,
            reason,
            ..Default::default()
        }
    }
}

impl From<(bool, &str)> for AuthzAnswer {
    fn from((allowed, reason): (bool, &str)) -> Self {
        (allowed, reason.to_string()).into()
    }
}

/// The pluggable authorizer: given the user and the review spec (a JSON object holding
/// `resourceAttributes` or `nonResourceAttributes`, as in a SubjectAccessReview), decide.
pub type Authorizer = Arc<dyn Fn(&UserInfo, &Value) -> AuthzAnswer + Send + Sync>;

/// When continue tokens expire (410 Gone, reason Expired).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContinueExpiry {
    /// Tokens never expire.
    #[default]
    Never,
    /// The first time each distinct token is presented it is answered with 410; later uses of
    /// the same token succeed. At most `max_tokens` distinct tokens are expired this way.
    OnFirstUse {
        /// How many distinct tokens expire (then tokens stop expiring).
        max_tokens: usize,
    },
    /// Every continue token is answered with 410.
    Always,
}

/// Faults injected for one resource (`group`, `plural`).
#[derive(Debug, Clone, Default)]
struct Faults {
    forbidden: bool,
    delay: Option<Duration>,
    fail_500: u32,
    reset: u32,
}

/// One recorded request.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// The URL path.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Request headers, lower-case names, without `authorization`.
    pub headers: Vec<(String, String)>,
    /// The authenticated user name, if authentication succeeded.
    pub user: Option<String>,
}

impl RecordedRequest {
    /// `path?query` as sent.
    pub fn path_and_query(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{}", self.path, q),
            None => self.path.clone(),
        }
    }

    /// The decoded value of a query parameter.
    pub fn param(&self, name: &str) -> Option<String> {
        parse_query(self.query.as_deref()).remove(name)
    }
}

/// One served resource, as discovery describes it.
#[derive(Debug, Clone)]
pub struct ResourceDef {
    /// API group, `""` for core.
    pub group: String,
    /// API version, e.g. `v1`.
    pub version: String,
    /// Plural name, or `plural/subresource` for a subresource.
    pub plural: String,
    /// Singular name.
    pub singular: String,
    /// Kind.
    pub kind: String,
    /// Namespaced or cluster-scoped.
    pub namespaced: bool,
    /// Verbs.
    pub verbs: Vec<String>,
    /// Short names.
    pub short_names: Vec<String>,
}

impl ResourceDef {
    fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    fn is_subresource(&self) -> bool {
        self.plural.contains('/')
    }
}

const RW: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

fn def(
    group: &str,
    plural: &str,
    singular: &str,
    kind: &str,
    namespaced: bool,
    verbs: &[&str],
    short: &[&str],
) -> ResourceDef {
    ResourceDef {
        group: group.to_string(),
        version: "v1".to_string(),
        plural: plural.to_string(),
        singular: singular.to_string(),
        kind: kind.to_string(),
        namespaced,
        verbs: verbs.iter().map(|s| s.to_string()).collect(),
        short_names: short.iter().map(|s| s.to_string()).collect(),
    }
}

/// The built-in resources the server serves (all in version v1).
fn builtin_resources() -> Vec<ResourceDef> {
    let rbac = "rbac.authorization.k8s.io";
    let authz = "authorization.k8s.io";
    let authn = "authentication.k8s.io";
    vec![
        def("", "pods", "pod", "Pod", true, RW, &["po"]),
        def("", "pods/log", "", "Pod", true, &["get"], &[]),
        def(
            "",
            "pods/exec",
            "",
            "PodExecOptions",
            true,
            &["create", "get"],
            &[],
        ),
        def(
            "",
            "pods/status",
            "",
            "Pod",
            true,
            &["get", "patch", "update"],
            &[],
        ),
        def(
            "",
            "namespaces",
            "namespace",
            "Namespace",
            false,
            &[
                "create", "delete", "get", "list", "patch", "update", "watch",
            ],
            &["ns"],
        ),
        def(
            "",
            "serviceaccounts",
            "serviceaccount",
            "ServiceAccount",
            true,
            RW,
            &["sa"],
        ),
        def(
            "",
            "serviceaccounts/token",
            "",
            "TokenRequest",
            true,
            &["create"],
            &[],
        ),
        def("", "nodes", "node", "Node", false, RW, &["no"]),
        def(
            "",
            "nodes/proxy",
            "",
            "NodeProxyOptions",
            false,
            &["create", "delete", "get", "patch", "update"],
            &[],
        ),
        def("", "secrets", "secret", "Secret", true, RW, &[]),
        def(
            "",
            "configmaps",
            "configmap",
            "ConfigMap",
            true,
            RW,
            &["cm"],
        ),
        def("", "services", "service", "Service", true, RW, &["svc"]),
        def(
            "",
            "persistentvolumes",
            "persistentvolume",
            "PersistentVolume",
            false,
            RW,
            &["pv"],
        ),
        def(
            "apps",
            "deployments",
            "deployment",
            "Deployment",
            true,
            RW,
            &["deploy"],
        ),
        def(
            "apps",
            "daemonsets",
            "daemonset",
            "DaemonSet",
            true,
            RW,
            &["ds"],
        ),
        def(
            "apps",
            "replicasets",
            "replicaset",
            "ReplicaSet",
            true,
            RW,
            &["rs"],
        ),
        def(
            "",
            "replicationcontrollers",
            "replicationcontroller",
            "ReplicationController",
            true,
            RW,
            &["rc"],
        ),
        def("batch", "jobs", "job", "Job", true, RW, &[]),
        def("batch", "cronjobs", "cronjob", "CronJob", true, RW, &["cj"]),
        def(
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
            "mutatingwebhookconfiguration",
            "MutatingWebhookConfiguration",
            false,
            RW,
            &[],
        ),
        def(
            "admissionregistration.k8s.io",
            "validatingwebhookconfigurations",
            "validatingwebhookconfiguration",
            "ValidatingWebhookConfiguration",
            false,
            RW,
            &[],
        ),
        def(
            "apps",
            "statefulsets",
            "statefulset",
            "StatefulSet",
            true,
            RW,
            &["sts"],
        ),
        def(rbac, "roles", "role", "Role", true, RW, &[]),
        def(
            rbac,
            "clusterroles",
            "clusterrole",
            "ClusterRole",
            false,
            RW,
            &[],
        ),
        def(
            rbac,
            "rolebindings",
            "rolebinding",
            "RoleBinding",
            true,
            RW,
            &[],
        ),
        def(
            rbac,
            "clusterrolebindings",
            "clusterrolebinding",
            "ClusterRoleBinding",
            false,
            RW,
            &[],
        ),
        def(
            "networking.k8s.io",
            "networkpolicies",
            "networkpolicy",
            "NetworkPolicy",
            true,
            RW,
            &["netpol"],
        ),
        def(
            "networking.k8s.io",
            "ingresses",
            "ingress",
            "Ingress",
            true,
            RW,
            &["ing"],
        ),
        def(
            "apiextensions.k8s.io",
            "customresourcedefinitions",
            "customresourcedefinition",
            "CustomResourceDefinition",
            false,
            RW,
            &["crd", "crds"],
        ),
        def(
            authz,
            "selfsubjectaccessreviews",
            "selfsubjectaccessreview",
            "SelfSubjectAccessReview",
            false,
            &["create"],
            &[],
        ),
        def(
            authz,
            "subjectaccessreviews",
            "subjectaccessreview",
            "SubjectAccessReview",
            false,
            &["create"],
            &[],
        ),
        def(
            authz,
            "selfsubjectrulesreviews",
            "selfsubjectrulesreview",
            "SelfSubjectRulesReview",
            false,
            &["create"],
            &[],
        ),
        def(
            authz,
            "localsubjectaccessreviews",
            "localsubjectaccessreview",
            "LocalSubjectAccessReview",
            true,
            &["create"],
            &[],
        ),
        def(
            authn,
            "selfsubjectreviews",
            "selfsubjectreview",
            "SelfSubjectReview",
            false,
            &["create"],
            &[],
        ),
        def(
            authn,
            "tokenreviews",
            "tokenreview",
            "TokenReview",
            false,
            &["create"],
            &[],
        ),
    ]
}

/// Resources declared by CustomResourceDefinitions in the store, plus a naive guess for any
/// other kind found in the store that nothing serves yet.
fn derived_resources(objects: &[Value], known: &[ResourceDef]) -> Vec<ResourceDef> {
    let mut out: Vec<ResourceDef> = Vec::new();
    for o in objects {
        if o["kind"] != "CustomResourceDefinition" {
            continue;
        }
        let spec = &o["spec"];
        let names = &spec["names"];
        let (Some(group), Some(plural), Some(kind)) = (
            spec["group"].as_str(),
            names["plural"].as_str(),
            names["kind"].as_str(),
        ) else {
            continue;
        };
        let singular = names["singular"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| kind.to_lowercase());
        let short: Vec<String> = names["shortNames"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        for v in spec["versions"].as_array().into_iter().flatten() {
            if v["served"] == false {
                continue;
            }
            let Some(version) = v["name"].as_str() else {
                continue;
            };
            out.push(ResourceDef {
                group: group.to_string(),
                version: version.to_string(),
                plural: plural.to_string(),
                singular: singular.clone(),
                kind: kind.to_string(),
                namespaced: spec["scope"] == "Namespaced",
                verbs: RW.iter().map(|s| s.to_string()).collect(),
                short_names: short.clone(),
            });
        }
    }
    for o in objects {
        let (Some(api_version), Some(kind)) = (o["apiVersion"].as_str(), o["kind"].as_str()) else {
            continue;
        };
        let served = known
            .iter()
            .chain(out.iter())
            .any(|d| d.api_version() == api_version && d.kind == kind && !d.is_subresource());
        if served {
            continue;
        }
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), api_version.to_string()),
        };
        out.push(ResourceDef {
            group,
            version,
            plural: format!("{}s", kind.to_lowercase()),
            singular: kind.to_lowercase(),
            kind: kind.to_string(),
            namespaced: o["metadata"]["namespace"].is_string(),
            verbs: RW.iter().map(|s| s.to_string()).collect(),
            short_names: Vec::new(),
        });
    }
    out
}

/// How a kubeconfig written by the server authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubeUser {
    /// A static bearer token (`token:`).
    Token(String),
    /// A bearer token read from a file (`tokenFile:`); the file is written by the helper.
    TokenFile(String),
    /// A client certificate signed by the server's CA with CN=`name`, O=`groups` (at most two
    /// groups: rcgen keeps one value per attribute type, the second O is written by OID).
    ClientCert {
        /// The certificate's CN (user name).
        name: String,
        /// The certificate's O values (groups).
        groups: Vec<String>,
    },
    /// No credentials at all.
    Anonymous,
}

/// How a kubeconfig written by the server refers to the CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaMode {
    /// `certificate-authority-data` (base64 PEM inline).
    Data,
    /// `certificate-authority` (a file path written next to the kubeconfig).
    File,
}

/// Builder for an [`ApiServer`].
#[derive(Default)]
pub struct ApiServerBuilder {
    objects: Vec<Value>,
    tokens: HashMap<String, UserInfo>,
    short_pages: bool,
    empty_continue_on_last_page: bool,
    continue_expiry: ContinueExpiry,
    faults: HashMap<(String, String), Faults>,
    removed_groups: HashSet<String>,
    authorizer: Option<Authorizer>,
    enforce_authorization: bool,
    delay_all: Option<Duration>,
}

impl ApiServerBuilder {
    /// A server with no objects and no users.
    pub fn new() -> Self {
        Self::default()
    }

    /// Load the object store (any kinds; each object needs apiVersion, kind and metadata.name).
    pub fn objects(mut self, objects: Vec<Value>) -> Self {
        self.objects.extend(objects);
        self
    }

    /// Accept bearer `token` as `user` with `groups` (system:authenticated is added).
    pub fn token(mut self, token: &str, user: &str, groups: &[&str]) -> Self {
        self.tokens.insert(
            token.to_string(),
            UserInfo {
                name: user.to_string(),
                groups: groups.iter().map(|g| g.to_string()).collect(),
            },
        );
        self
    }

    /// Return fewer items than `limit` per page while still setting `continue` (and end with an
    /// empty page), as the real server may.
    pub fn short_pages(mut self, on: bool) -> Self {
        self.short_pages = on;
        self
    }

    /// Write `"continue": ""` on the last page instead of omitting it.
    pub fn empty_continue_on_last_page(mut self, on: bool) -> Self {
        self.empty_continue_on_last_page = on;
        self
    }

    /// Make continue tokens expire.
    pub fn continue_expiry(mut self, expiry: ContinueExpiry) -> Self {
        self.continue_expiry = expiry;
        self
    }

    fn faults_mut(&mut self, group: &str, resource: &str) -> &mut Faults {
        self.faults
            .entry((group.to_string(), resource.to_string()))
            .or_default()
    }

    /// Answer every request on `resource` in `group` with 403 Forbidden.
    pub fn forbid(mut self, group: &str, resource: &str) -> Self {
        self.faults_mut(group, resource).forbidden = true;
        self
    }

    /// Delay every response on `resource` in `group`.
    pub fn slow(mut self, group: &str, resource: &str, delay: Duration) -> Self {
        self.faults_mut(group, resource).delay = Some(delay);
        self
    }

    /// Delay every response.
    pub fn slow_all(mut self, delay: Duration) -> Self {
        self.delay_all = Some(delay);
        self
    }

    /// Answer the first `times` requests on `resource` in `group` with 500 InternalError.
    pub fn fail_500(mut self, group: &str, resource: &str, times: u32) -> Self {
        self.faults_mut(group, resource).fail_500 = times;
        self
    }

    /// Drop the connection without answering the first `times` requests on `resource`.
    pub fn reset(mut self, group: &str, resource: &str, times: u32) -> Self {
        self.faults_mut(group, resource).reset = times;
        self
    }

    /// Do not serve API group `group` at all (absent from discovery, 404 on its paths).
    pub fn without_group(mut self, group: &str) -> Self {
        self.removed_groups.insert(group.to_string());
        self
    }

    /// Answer (Self)SubjectAccessReviews with `f`.
    pub fn authorizer(
        mut self,
        f: impl Fn(&UserInfo, &Value) -> AuthzAnswer + Send + Sync + 'static,
    ) -> Self {
        self.authorizer = Some(Arc::new(f));
        self
    }

    /// Also authorize every resource request (except self-reviews) with the authorizer and answer
    /// 403 when it does not allow.
    pub fn enforce_authorization(mut self, on: bool) -> Self {
        self.enforce_authorization = on;
        self
    }

    /// Start serving on 127.0.0.1 (a free port).
    pub fn start(self) -> ApiServer {
        ApiServer::start(self)
    }
}

struct Pki {
    ca_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Pki {
    fn new() -> Pki {
        let ca_key = KeyPair::generate().expect("generate CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "kubeaudit-test-ca");
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca = params.self_signed(&ca_key).expect("self-sign CA");
        let ca_pem = ca.pem();
        let issuer = Issuer::new(params, ca_key);
        Pki { ca_pem, issuer }
    }

    /// A leaf certificate and its PKCS#8 key (PEM) signed by the CA.
    fn leaf(
        &self,
        sans: Vec<String>,
        dn: DistinguishedName,
        eku: ExtendedKeyUsagePurpose,
    ) -> (String, String) {
        let key = KeyPair::generate().expect("generate leaf key");
        let mut params = CertificateParams::new(sans).expect("leaf params");
        params.distinguished_name = dn;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        params.extended_key_usages = vec![eku];
        let cert = params.signed_by(&key, &self.issuer).expect("sign leaf");
        (cert.pem(), key.serialize_pem())
    }

    fn client_cert(&self, name: &str, groups: &[String]) -> (String, String) {
        assert!(
            groups.len() <= 2,
            "the test PKI supports at most two O values per certificate"
        );
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, name);
        if let Some(g) = groups.first() {
            dn.push(DnType::OrganizationName, g.as_str());
        }
        if let Some(g) = groups.get(1) {
            // Same OID as OrganizationName (2.5.4.10), a distinct map key in rcgen.
            dn.push(DnType::CustomDnType(vec![2, 5, 4, 10]), g.as_str());
        }
        let (cert, key) = self.leaf(Vec::new(), dn, ExtendedKeyUsagePurpose::ClientAuth);
        (cert, key)
    }
}

struct State {
    requests: Vec<RecordedRequest>,
    expired_tokens: HashSet<String>,
    faults: HashMap<(String, String), Faults>,
}

struct Shared {
    resources: Vec<ResourceDef>,
    objects: Vec<(usize, Value)>,
    tokens: HashMap<String, UserInfo>,
    short_pages: bool,
    empty_continue_on_last_page: bool,
    continue_expiry: ContinueExpiry,
    removed_groups: HashSet<String>,
    authorizer: Option<Authorizer>,
    enforce_authorization: bool,
    delay_all: Option<Duration>,
    state: Mutex<State>,
}

/// A running loopback API server; stops when dropped.
pub struct ApiServer {
    addr: SocketAddr,
    pki: Pki,
    shared: Arc<Shared>,
    dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ApiServer {
    /// Start a server with the given configuration.
    fn start(b: ApiServerBuilder) -> ApiServer {
        let pki = Pki::new();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "kube-apiserver");
        let server_key = KeyPair::generate().expect("server key");
        let mut sp = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("server params");
        sp.distinguished_name = dn;
        sp.is_ca = IsCa::ExplicitNoCa;
        sp.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        sp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_cert = sp
            .signed_by(&server_key, &pki.issuer)
            .expect("sign server cert");

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        let ca_der = rustls::pki_types::pem::PemObject::from_pem_slice(pki.ca_pem.as_bytes())
            .expect("CA PEM");
        roots.add(ca_der).expect("add CA root");
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .allow_unauthenticated()
        .build()
        .expect("client verifier");
        let mut tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                vec![server_cert.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .expect("server TLS config");
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));

        let mut resources = builtin_resources();
        let extra = derived_resources(&b.objects, &resources);
        resources.extend(extra);
        let mut objects: Vec<(usize, Value)> = Vec::new();
        for o in b.objects {
            let idx = resources.iter().position(|d| {
                !d.is_subresource()
                    && o["apiVersion"].as_str() == Some(&d.api_version())
                    && o["kind"].as_str() == Some(&d.kind)
            });
            let idx = idx.expect("derived_resources covers every object with apiVersion and kind");
            objects.push((idx, o));
        }
        // Like etcd key order: by namespace, then name.
        objects.sort_by(|a, b| {
            let key = |o: &Value| {
                (
                    o["metadata"]["namespace"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    o["metadata"]["name"].as_str().unwrap_or("").to_string(),
                )
            };
            (a.0, key(&a.1)).cmp(&(b.0, key(&b.1)))
        });

        let shared = Arc::new(Shared {
            resources,
            objects,
            tokens: b.tokens,
            short_pages: b.short_pages,
            empty_continue_on_last_page: b.empty_continue_on_last_page,
            continue_expiry: b.continue_expiry,
            removed_groups: b.removed_groups,
            authorizer: b.authorizer,
            enforce_authorization: b.enforce_authorization,
            delay_all: b.delay_all,
            state: Mutex::new(State {
                requests: Vec::new(),
                expired_tokens: HashSet::new(),
                faults: b.faults,
            }),
        });

        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let serve_shared = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("server runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((tcp, _)) = accepted else { continue };
                            let acceptor = acceptor.clone();
                            let shared = serve_shared.clone();
                            tokio::spawn(async move {
                                let Ok(stream) = acceptor.accept(tcp).await else { return };
                                let peer = stream
                                    .get_ref()
                                    .1
                                    .peer_certificates()
                                    .and_then(|c| c.first())
                                    .and_then(identity_from_der);
                                let service = hyper::service::service_fn(move |req| {
                                    handle(shared.clone(), peer.clone(), req)
                                });
                                let _ = hyper::server::conn::http1::Builder::new()
                                    .serve_connection(TokioIo::new(stream), service)
                                    .await;
                            });
                        }
                    }
                }
            });
            // Dropping the runtime cancels in-flight connection tasks.
            rt.shutdown_timeout(Duration::from_secs(1));
        });
        let dir = tempfile::tempdir().expect("tempdir for kubeconfigs");
        ApiServer {
            addr,
            pki,
            shared,
            dir,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// The server's socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server URL, `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// The CA certificate (PEM) that signed the server and client certificates.
    pub fn ca_pem(&self) -> &str {
        &self.pki.ca_pem
    }

    /// A fresh client certificate and PKCS#8 key (both PEM) for CN=`name`, O=`groups`.
    pub fn client_cert(&self, name: &str, groups: &[String]) -> (String, String) {
        self.pki.client_cert(name, groups)
    }

    /// A kubeconfig (YAML) with one cluster/user/context `test`, for `user`, referring to the CA
    /// per `ca`. Files it refers to are written into the server's temporary directory.
    pub fn kubeconfig_yaml(&self, user: &KubeUser, ca: CaMode) -> String {
        let n = unique();
        let ca_line = match ca {
            CaMode::Data => format!(
                "certificate-authority-data: {}",
                base64(self.ca_pem().as_bytes())
            ),
            CaMode::File => {
                let p = self.dir.path().join(format!("ca-{n}.crt"));
                std::fs::write(&p, self.ca_pem()).expect("write CA file");
                format!("certificate-authority: {}", p.display())
            }
        };
        let user_lines = match user {
            KubeUser::Token(t) => format!("    token: {t}\n"),
            KubeUser::TokenFile(t) => {
                let p = self.dir.path().join(format!("token-{n}"));
                // No trailing newline: kube 5 does not trim token files (client-go does).
                std::fs::write(&p, t).expect("write token file");
                format!("    tokenFile: {}\n", p.display())
            }
            KubeUser::ClientCert { name, groups } => {
                let (cert, key) = self.client_cert(name, groups);
                format!(
                    "    client-certificate-data: {}\n    client-key-data: {}\n",
                    base64(cert.as_bytes()),
                    base64(key.as_bytes())
                )
            }
            KubeUser::Anonymous => "    {}\n".to_string(),
        };
        let user_block = if matches!(user, KubeUser::Anonymous) {
            "  user: {}\n".to_string()
        } else {
            format!("  user:\n{user_lines}")
        };
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {}\n    {ca_line}\nusers:\n- name: test\n{user_block}contexts:\n- name: test\n  context:\n    cluster: test\n    user: test\ncurrent-context: test\n",
            self.url()
        )
    }

    /// Write [`Self::kubeconfig_yaml`] to a file in the server's temporary directory.
    pub fn write_kubeconfig(&self, user: &KubeUser, ca: CaMode) -> PathBuf {
        let p = self.dir.path().join(format!("kubeconfig-{}", unique()));
        std::fs::write(&p, self.kubeconfig_yaml(user, ca)).expect("write kubeconfig");
        p
    }

    /// A kube client configured from a kubeconfig for `user`.
    pub async fn config(&self, user: &KubeUser, ca: CaMode) -> kube::Config {
        let kc = kube::config::Kubeconfig::from_yaml(&self.kubeconfig_yaml(user, ca))
            .expect("parse kubeconfig");
        kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
            .await
            .expect("kube config")
    }

    /// A kube client for `user` (CA inline); kube's own retries are off so tests see the
    /// server's faults as they are.
    pub async fn client(&self, user: &KubeUser) -> kube::Client {
        let mut cfg = self.config(user, CaMode::Data).await;
        cfg.default_retry = false;
        kube::Client::try_from(cfg).expect("kube client")
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared
            .state
            .lock()
            .expect("state lock")
            .requests
            .clone()
    }

    /// Forget the recorded requests.
    pub fn clear_requests(&self) {
        self.shared
            .state
            .lock()
            .expect("state lock")
            .requests
            .clear();
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Standard base64 (with padding).
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// CN and O values of a DER certificate (the API server's x509 authenticator mapping).
fn identity_from_der(der: &CertificateDer<'_>) -> Option<UserInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let name = cert
        .subject()
        .iter_common_name()
        .next()?
        .as_str()
        .ok()?
        .to_string();
    let groups = cert
        .subject()
        .iter_organization()
        .filter_map(|o| o.as_str().ok().map(str::to_string))
        .collect();
    Some(UserInfo { name, groups })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) => {
                    out.push(b);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_query(q: Option<&str>) -> HashMap<String, String> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

type Resp = Response<Full<Bytes>>;

fn json_response(code: u16, body: &Value) -> Resp {
    Response::builder()
        .status(StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("response")
}

fn status(code: u16, reason: &str, message: &str, details: Option<Value>) -> Resp {
    let mut s = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    });
    if let Some(d) = details {
        s["details"] = d;
    }
    json_response(code, &s)
}

fn not_found() -> Resp {
    status(
        404,
        "NotFound",
        "the server could not find the requested resource",
        Some(json!({})),
    )
}

/// `resource.group`, or `resource` for the core group (schema.GroupResource.String()).
fn qualified(group: &str, resource: &str) -> String {
    if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    }
}

/// The authorization attributes of a resource request.
#[derive(Clone, Copy)]
struct Target<'a> {
    verb: &'a str,
    group: &'a str,
    resource: &'a str,
    sub: &'a str,
    namespace: &'a str,
    name: &'a str,
}

/// A 403 worded as the API server words it (NewForbidden + the authorizer's forbidden message).
fn forbidden(user: &str, t: &Target<'_>, reason: &str) -> Resp {
    let Target {
        verb,
        group,
        resource,
        sub,
        namespace,
        name,
    } = *t;
    let full = if sub.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}/{sub}")
    };
    let mut why = if namespace.is_empty() {
        format!("User {user:?} cannot {verb} resource {full:?} in API group {group:?} at the cluster scope")
    } else {
        format!("User {user:?} cannot {verb} resource {full:?} in API group {group:?} in the namespace {namespace:?}")
    };
    if !reason.is_empty() {
        why = format!("{why}: {reason}");
    }
    let q = qualified(group, resource);
    let message = if name.is_empty() {
        format!("{q} is forbidden: {why}")
    } else {
        format!("{q} {name:?} is forbidden: {why}")
    };
    let mut details = json!({ "kind": resource });
    if !group.is_empty() {
        details["group"] = json!(group);
    }
    if !name.is_empty() {
        details["name"] = json!(name);
    }
    status(403, "Forbidden", &message, Some(details))
}

/// A parsed request path.
enum Route {
    Version,
    CoreVersions,
    GroupList,
    Group(String),
    ResourceList {
        group: String,
        version: String,
    },
    Resource {
        group: String,
        version: String,
        plural: String,
        namespace: Option<String>,
        name: Option<String>,
        sub: Option<String>,
    },
    Unknown,
}

fn route(path: &str) -> Route {
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let (group, version, rest) = match segs.as_slice() {
        ["version"] => return Route::Version,
        ["api"] => return Route::CoreVersions,
        ["apis"] => return Route::GroupList,
        ["apis", g] => return Route::Group(g.to_string()),
        ["api", v, rest @ ..] => (String::new(), v.to_string(), rest),
        ["apis", g, v, rest @ ..] => (g.to_string(), v.to_string(), rest),
        _ => return Route::Unknown,
    };
    let s = |x: &&str| x.to_string();
    let (namespace, plural, name, sub) = match rest {
        [] => return Route::ResourceList { group, version },
        ["namespaces", ns, plural, tail @ ..] if tail.len() <= 2 => (
            Some(s(ns)),
            s(plural),
            tail.first().map(s),
            tail.get(1).map(s),
        ),
        [plural, tail @ ..] if tail.len() <= 2 => {
            (None, s(plural), tail.first().map(s), tail.get(1).map(s))
        }
        _ => return Route::Unknown,
    };
    Route::Resource {
        group,
        version,
        plural,
        namespace,
        name,
        sub,
    }
}

async fn handle(
    shared: Arc<Shared>,
    peer: Option<UserInfo>,
    req: Request<Incoming>,
) -> Result<Resp, std::io::Error> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str() != "authorization")
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    // `kubectl get -o name` and kubeaudit's metadata-only lists ask for PartialObjectMetadata.
    let metadata_only = req
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("as=PartialObjectMetadataList"));
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    // x509 first, then bearer tokens, like the API server's union authenticator.
    let user = peer
        .or_else(|| bearer.and_then(|t| shared.tokens.get(&t).cloned()))
        .map(|mut u| {
            if !u.groups.iter().any(|g| g == AUTHENTICATED_GROUP) {
                u.groups.push(AUTHENTICATED_GROUP.to_string());
            }
            u
        });
    shared
        .state
        .lock()
        .expect("state lock")
        .requests
        .push(RecordedRequest {
            method: method.clone(),
            path: path.clone(),
            query: query.clone(),
            headers,
            user: user.as_ref().map(|u| u.name.clone()),
        });
    let body = req
        .into_body()
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let Some(user) = user else {
        return Ok(status(401, "Unauthorized", "Unauthorized", None));
    };
    if let Some(d) = shared.delay_all {
        tokio::time::sleep(d).await;
    }
    match route(&path) {
        Route::Version => Ok(json_response(
            200,
            &json!({"major": "1", "minor": "35", "gitVersion": "v1.35.0", "gitCommit": "0000000000000000000000000000000000000000",
                    "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.0", "compiler": "gc",
                    "platform": "linux/amd64"}),
        )),
        Route::CoreVersions => Ok(json_response(
            200,
            &json!({"kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]}),
        )),
        Route::GroupList => {
            let groups: Vec<Value> = shared
                .groups()
                .into_iter()
                .map(|(g, vs)| group_json(&g, &vs))
                .collect();
            Ok(json_response(
                200,
                &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
            ))
        }
        Route::Group(g) => match shared.groups().into_iter().find(|(name, _)| *name == g) {
            Some((g, vs)) => {
                let mut v = group_json(&g, &vs);
                v["kind"] = json!("APIGroup");
                v["apiVersion"] = json!("v1");
                Ok(json_response(200, &v))
            }
            None => Ok(not_found()),
        },
        Route::ResourceList { group, version } => {
            let resources: Vec<Value> = shared
                .served()
                .filter(|d| d.group == group && d.version == version)
                .map(|d| {
                    let mut r = json!({"name": d.plural, "singularName": d.singular, "namespaced": d.namespaced,
                                       "kind": d.kind, "verbs": d.verbs});
                    if !d.short_names.is_empty() {
                        r["shortNames"] = json!(d.short_names);
                    }
                    r
                })
                .collect();
            if resources.is_empty() {
                return Ok(not_found());
            }
            let gv = if group.is_empty() {
                version
            } else {
                format!("{group}/{version}")
            };
            Ok(json_response(
                200,
                &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
            ))
        }
        Route::Resource {
            group,
            version,
            plural,
            namespace,
            name,
            sub,
        } => {
            resource_request(
                &shared,
                &user,
                &method,
                query.as_deref(),
                &path,
                ResourcePath {
                    group,
                    version,
                    plural,
                    namespace,
                    name,
                    sub,
                    metadata_only,
                },
                &body,
            )
            .await
        }
        Route::Unknown => Ok(not_found()),
    }
}

fn group_json(g: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
        .collect();
    json!({"name": g, "versions": vs, "preferredVersion": vs.first().cloned().unwrap_or(Value::Null)})
}

impl Shared {
    fn served(&self) -> impl Iterator<Item = &ResourceDef> {
        self.resources
            .iter()
            .filter(|d| !self.removed_groups.contains(&d.group))
    }

    /// Non-core groups with their versions, in first-seen order.
    fn groups(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for d in self.served().filter(|d| !d.group.is_empty()) {
            match out.iter_mut().find(|(g, _)| *g == d.group) {
                Some((_, vs)) => {
                    if !vs.contains(&d.version) {
                        vs.push(d.version.clone());
                    }
                }
                None => out.push((d.group.clone(), vec![d.version.clone()])),
            }
        }
        out
    }

    fn authorize(&self, user: &UserInfo, spec: &Value) -> AuthzAnswer {
        match &self.authorizer {
            Some(f) => f(user, spec),
            None => AuthzAnswer {
                evaluation_error: "the test API server has no authorizer configured".into(),
                ..Default::default()
            },
        }
    }
}

struct ResourcePath {
    group: String,
    version: String,
    plural: String,
    namespace: Option<String>,
    name: Option<String>,
    sub: Option<String>,
    /// The client asked for PartialObjectMetadata.
    metadata_only: bool,
}

async fn resource_request(
    shared: &Shared,
    user: &UserInfo,
    method: &str,
    query: Option<&str>,
    path: &str,
    rp: ResourcePath,
    body: &[u8],
) -> Result<Resp, std::io::Error> {
    let metadata_only = rp.metadata_only;
    // `/api/v1/namespaces/X` routes as plural `namespaces`, name X (a cluster-scoped GET).
    let namespace = rp.namespace.clone();
    let Some(idx) = shared.resources.iter().position(|d| {
        d.group == rp.group
            && d.version == rp.version
            && d.plural == rp.plural
            && !shared.removed_groups.contains(&d.group)
    }) else {
        return Ok(not_found());
    };
    let d = &shared.resources[idx];
    if namespace.is_some() && !d.namespaced {
        return Ok(not_found());
    }
    let ns = namespace.clone().unwrap_or_default();
    let name = rp.name.clone().unwrap_or_default();
    let sub = rp.sub.clone().unwrap_or_default();

    let faults = {
        let mut st = shared.state.lock().expect("state lock");
        let entry = st.faults.get_mut(&(d.group.clone(), d.plural.clone()));
        match entry {
            Some(f) => {
                let snapshot = f.clone();
                f.reset = f.reset.saturating_sub(1);
                if snapshot.reset == 0 {
                    f.fail_500 = f.fail_500.saturating_sub(1);
                }
                Some(snapshot)
            }
            None => None,
        }
    };
    let verb = match (method, name.is_empty()) {
        ("GET", true) => "list",
        ("GET", false) => "get",
        ("POST", _) => "create",
        ("DELETE", true) => "deletecollection",
        ("DELETE", false) => "delete",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        _ => {
            return Ok(status(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource",
                None,
            ))
        }
    };
    let target = Target {
        verb,
        group: &d.group,
        resource: &d.plural,
        sub: &sub,
        namespace: &ns,
        name: &name,
    };
    if let Some(f) = &faults {
        if let Some(delay) = f.delay {
            tokio::time::sleep(delay).await;
        }
        if f.reset > 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "injected connection reset",
            ));
        }
        if f.fail_500 > 0 {
            return Ok(status(
                500,
                "InternalError",
                "Internal error occurred: injected transient failure",
                None,
            ));
        }
        if f.forbidden {
            return Ok(forbidden(&user.name, &target, ""));
        }
    }
    let self_review = d.group == "authorization.k8s.io" && d.plural.starts_with("selfsubject")
        || d.group == "authentication.k8s.io" && d.plural == "selfsubjectreviews";
    if shared.enforce_authorization && !self_review {
        let mut attrs =
            json!({"verb": verb, "group": d.group, "version": d.version, "resource": d.plural});
        for (k, v) in [("namespace", &ns), ("name", &name), ("subresource", &sub)] {
            if !v.is_empty() {
                attrs[k] = json!(v);
            }
        }
        let answer = shared.authorize(user, &json!({ "resourceAttributes": attrs }));
        if !answer.allowed {
            return Ok(forbidden(&user.name, &target, &answer.reason));
        }
    }
    match verb {
        "list" => Ok(list(
            shared,
            idx,
            namespace.as_deref(),
            query,
            path,
            metadata_only,
        )),
        "get" => {
            let found = shared.objects.iter().find(|(i, o)| {
                *i == idx
                    && o["metadata"]["name"] == name.as_str()
                    && o["metadata"]["namespace"].as_str().unwrap_or("") == ns
            });
            match found {
                Some((_, o)) if sub.is_empty() => Ok(json_response(200, o)),
                _ => Ok(status(
                    404,
                    "NotFound",
                    &format!("{} {name:?} not found", qualified(&d.group, &d.plural)),
                    Some(json!({"name": name, "kind": d.plural})),
                )),
            }
        }
        "create" => create(shared, user, d, body),
        _ => Ok(status(
            405,
            "MethodNotAllowed",
            "the test API server does not implement this verb",
            None,
        )),
    }
}

fn list(
    shared: &Shared,
    idx: usize,
    namespace: Option<&str>,
    query: Option<&str>,
    path: &str,
    metadata_only: bool,
) -> Resp {
    let d = &shared.resources[idx];
    let params = parse_query(query);
    let limit = match params.get("limit").map(|l| l.parse::<usize>()) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return status(400, "BadRequest", "invalid limit", None),
    };
    // The one field selector kubeaudit sends: Secrets by type.
    let type_is = params
        .get("fieldSelector")
        .and_then(|f| f.strip_prefix("type="))
        .map(str::to_string);
    let items: Vec<&Value> = shared
        .objects
        .iter()
        .filter(|(i, o)| {
            *i == idx
                && namespace.is_none_or(|ns| o["metadata"]["namespace"].as_str() == Some(ns))
                && type_is
                    .as_deref()
                    .is_none_or(|t| o["type"].as_str() == Some(t))
        })
        .map(|(_, o)| o)
        .collect();
    let start = match params.get("continue").filter(|c| !c.is_empty()) {
        None => 0,
        Some(token) => {
            let decoded = unhex(token).and_then(|s| {
                let (p, off) = s.rsplit_once('|')?;
                (p == path).then(|| off.parse::<usize>().ok()).flatten()
            });
            let Some(offset) = decoded else {
                return status(400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)", None);
            };
            let expire = {
                let mut st = shared.state.lock().expect("state lock");
                match shared.continue_expiry {
                    ContinueExpiry::Never => false,
                    ContinueExpiry::Always => true,
                    ContinueExpiry::OnFirstUse { max_tokens } => {
                        st.expired_tokens.len() < max_tokens
                            && st.expired_tokens.insert(token.clone())
                    }
                }
            };
            if expire {
                return status(
                    410,
                    "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
                    None,
                );
            }
            offset.min(items.len())
        }
    };
    let page = if limit == 0 {
        items.len()
    } else if shared.short_pages {
        (limit / 2).max(1)
    } else {
        limit
    };
    let end = (start + page).min(items.len());
    let more = limit > 0
        && (end < items.len() || (shared.short_pages && end == items.len() && end > start));
    let out: Vec<Value> = items[start..end]
        .iter()
        .map(|o| {
            if metadata_only {
                return json!({"metadata": o["metadata"]});
            }
            let mut o = (*o).clone();
            if let Some(m) = o.as_object_mut() {
                m.remove("kind");
                m.remove("apiVersion");
            }
            o
        })
        .collect();
    let mut metadata = json!({"resourceVersion": LIST_RESOURCE_VERSION});
    if more {
        metadata["continue"] = json!(hex(&format!("{path}|{end}")));
    } else if shared.empty_continue_on_last_page {
        metadata["continue"] = json!("");
    }
    json_response(
        200,
        &if metadata_only {
            json!({"apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadataList", "metadata": metadata, "items": out})
        } else {
            json!({"apiVersion": d.api_version(), "kind": format!("{}List", d.kind), "metadata": metadata, "items": out})
        },
    )
}

fn create(
    shared: &Shared,
    user: &UserInfo,
    d: &ResourceDef,
    body: &[u8],
) -> Result<Resp, std::io::Error> {
    let mut obj = match serde_json::from_slice::<Value>(body) {
        Ok(obj) => obj,
        // A SelfSubjectReview has no input; kubectl sends it as protobuf, which this server
        // does not decode, so any body will do.
        Err(_) if d.plural == "selfsubjectreviews" => json!({}),
        Err(_) => {
            return Ok(status(
                415,
                "UnsupportedMediaType",
                "the test API server only accepts JSON request bodies",
                None,
            ))
        }
    };
    match (d.group.as_str(), d.plural.as_str()) {
        ("authentication.k8s.io", "selfsubjectreviews") => {
            obj["status"] = json!({"userInfo": {"username": user.name, "groups": user.groups}});
        }
        ("authorization.k8s.io", "selfsubjectaccessreviews") => {
            let answer = shared.authorize(user, &obj["spec"]);
            obj["status"] = answer_json(&answer);
        }
        ("authorization.k8s.io", "subjectaccessreviews") => {
            let spec = &obj["spec"];
            let name = spec["user"].as_str().unwrap_or("").to_string();
            let groups: Vec<String> = spec["groups"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|g| g.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if name.is_empty() && groups.is_empty() {
                return Ok(status(
                    422,
                    "Invalid",
                    "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.user: Invalid value: \"\": at least one of user or group must be specified",
                    None,
                ));
            }
            let answer = shared.authorize(&UserInfo { name, groups }, spec);
            obj["status"] = answer_json(&answer);
        }
        _ => {
            return Ok(status(
                405,
                "MethodNotAllowed",
                "the test API server only creates reviews",
                None,
            ))
        }
    }
    if obj["apiVersion"].is_null() {
        obj["apiVersion"] = json!(d.api_version());
    }
    if obj["kind"].is_null() {
        obj["kind"] = json!(d.kind);
    }
    Ok(json_response(201, &obj))
}

fn answer_json(a: &AuthzAnswer) -> Value {
    let mut s = json!({"allowed": a.allowed});
    if a.denied {
        s["denied"] = json!(true);
    }
    if !a.reason.is_empty() {
        s["reason"] = json!(a.reason);
    }
    if !a.evaluation_error.is_empty() {
        s["evaluationError"] = json!(a.evaluation_error);
    }
    s
}
