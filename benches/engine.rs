//! Engine benchmarks on a large synthetic cluster: load, can-i, who-can (-n and -A) and the
//! access matrix.
//!
//! The cluster is generated here, deterministically: 2,000 namespaces with 100,000 RoleBindings,
//! 20,000 Roles, 50,000 ServiceAccounts, plus 5,000 ClusterRoleBindings and 200 ClusterRoles.
//! `KUBEAUDIT_BENCH_CLUSTER=FILE` benchmarks a cluster file instead (any `-f` input).
//!
//! Run: `cargo bench --bench engine -- --quick`. Targets after load: can-i ≤ 10 µs,
//! who-can ≤ 10 ms, full access matrix ≤ 100 ms.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use kubeaudit::model::discovery::Discovery;
use kubeaudit::model::{AccessModel, Inventory, Origin};
use kubeaudit::rbac::authorize::Explain;
use kubeaudit::rbac::identity::impersonated;
use kubeaudit::rbac::matrix::access_matrix;
use kubeaudit::rbac::{Attributes, NonResourceAttributes, ResourceAttributes};
use kubeaudit::source::manifest;
use serde_json::Value;

#[path = "support/synthetic.rs"]
mod synthetic;

const NAMESPACES: usize = 2000;
const VERBS: &[&str] = &[
    "get", "list", "watch", "create", "update", "patch", "delete",
];

/// Where the cluster comes from: a generated file, or objects built here.
enum Source {
    File(PathBuf),
    Objects(Vec<Value>),
}

fn generate() -> Source {
    // A cluster file of one's own (e.g. a snapshot of a real cluster) replaces the generated one.
    if let Some(path) = std::env::var_os("KUBEAUDIT_BENCH_CLUSTER") {
        let path = PathBuf::from(path);
        eprintln!("bench: cluster read from {}", path.display());
        return Source::File(path);
    }
    eprintln!("bench: synthetic cluster of {NAMESPACES} namespaces (set KUBEAUDIT_BENCH_CLUSTER=FILE to use a file)");
    Source::Objects(synthetic::cluster(NAMESPACES))
}

/// Reads (for a file) and compiles the cluster, as `kubeaudit -f` does.
fn load(source: &Source) -> AccessModel {
    let objects = match source {
        Source::File(path) => {
            let read = manifest::read_paths(std::slice::from_ref(path))
                .unwrap_or_else(|e| panic!("reading the generated cluster: {e}"));
            read.objects
        }
        Source::Objects(values) => values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    v.clone().into(),
                    Origin {
                        source: "synthetic".into(),
                        document: i + 1,
                        line: 0,
                    },
                )
            })
            .collect(),
    };
    let mut inventory = Inventory::default();
    inventory
        .add_objects(objects)
        .unwrap_or_else(|e| panic!("decoding the generated cluster: {e}"));
    AccessModel::build(&inventory)
}

fn pods(verb: &str, namespace: &str) -> Attributes {
    Attributes::Resource(ResourceAttributes {
        verb: verb.into(),
        resource: "pods".into(),
        namespace: namespace.into(),
        ..Default::default()
    })
}

fn engine(c: &mut Criterion) {
    let source = generate();
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("read+decode+compile", |b| {
        b.iter(|| black_box(load(&source)))
    });
    group.finish();

    let model = load(&source);
    eprintln!(
        "bench: {} roles, {} bindings, {} namespaces, {} service accounts",
        model.roles.len(),
        model.bindings.len(),
        model.namespaces.len(),
        model.service_accounts.len()
    );
    let user = impersonated("user-3", &["group-1".to_string()]);
    let sa = impersonated("system:serviceaccount:ns-17:sa-4", &[]);
    let discovery = Discovery::builtin();
    let verbs: Vec<String> = VERBS.iter().map(|v| v.to_string()).collect();

    c.bench_function("can-i/user get pods -n ns-17", |b| {
        let a = pods("get", "ns-17");
        b.iter(|| black_box(model.authorize(&user, &a, Explain::default())))
    });
    c.bench_function("can-i/sa delete pods -n ns-17", |b| {
        let a = pods("delete", "ns-17");
        b.iter(|| black_box(model.authorize(&sa, &a, Explain::default())))
    });
    c.bench_function("can-i/user get /healthz", |b| {
        let a = Attributes::NonResource(NonResourceAttributes {
            verb: "get".into(),
            path: "/healthz".into(),
        });
        b.iter(|| black_box(model.authorize(&user, &a, Explain::default())))
    });
    c.bench_function("who-can/get pods -n ns-17", |b| {
        let a = pods("get", "ns-17");
        b.iter(|| black_box(model.who_can(&a)))
    });
    c.bench_function("who-can/get pods -A", |b| {
        let a = pods("get", "");
        b.iter(|| black_box(model.who_can_all_namespaces(&a)))
    });
    c.bench_function("who-can/get secrets -A", |b| {
        let a = Attributes::Resource(ResourceAttributes {
            verb: "get".into(),
            resource: "secrets".into(),
            ..Default::default()
        });
        b.iter(|| black_box(model.who_can_all_namespaces(&a)))
    });
    c.bench_function("who-can/delete nodes", |b| {
        let a = Attributes::Resource(ResourceAttributes {
            verb: "delete".into(),
            resource: "nodes".into(),
            ..Default::default()
        });
        b.iter(|| black_box(model.who_can(&a)))
    });
    c.bench_function("who-can/get /healthz", |b| {
        let a = Attributes::NonResource(NonResourceAttributes {
            verb: "get".into(),
            path: "/healthz".into(),
        });
        b.iter(|| black_box(model.who_can(&a)))
    });
    c.bench_function("who-can/escalate roles -A", |b| {
        let a = Attributes::Resource(ResourceAttributes {
            verb: "escalate".into(),
            group: "rbac.authorization.k8s.io".into(),
            resource: "roles".into(),
            ..Default::default()
        });
        b.iter(|| black_box(model.who_can_all_namespaces(&a)))
    });
    c.bench_function("access-matrix/user -n ns-17", |b| {
        b.iter(|| {
            black_box(access_matrix(
                &model,
                &user,
                Some("ns-17"),
                discovery.iter(),
                &verbs,
            ))
        })
    });
    c.bench_function("access-matrix/sa -n ns-17", |b| {
        b.iter(|| {
            black_box(access_matrix(
                &model,
                &sa,
                Some("ns-17"),
                discovery.iter(),
                &verbs,
            ))
        })
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
