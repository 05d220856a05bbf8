//! kubeaudit against the real kube-apiserver: every answer compared with the API server's own.
//!
//! One control plane for the whole binary (`tests/e2e/control-plane`, built from the Kubernetes Go
//! modules pinned in `tests/e2e/cluster/go.mod`); the tests take turns on it. See `docs/testing.md`.
//!
//! The API server's answers are recorded under `tests/data/apiserver/` so that plain `cargo test`
//! replays them without Go (`tests/apiserver_vectors.rs`). When the inputs or the release change,
//! the recordings are stale and these tests fail; re-record with
//! `KUBEAUDIT_E2E=1 KUBEAUDIT_E2E_RECORD=1 cargo test --test e2e_apiserver`.

#[path = "e2e_apiserver/authorizers.rs"]
mod authorizers;
#[path = "e2e_apiserver/escalation.rs"]
mod escalation;
#[path = "e2e_apiserver/harness.rs"]
mod harness;
#[path = "e2e_apiserver/namespaced_reader.rs"]
mod namespaced_reader;
#[path = "e2e_apiserver/queries.rs"]
mod queries;
#[path = "common/queries.rs"]
mod query_args;
#[path = "e2e_apiserver/scenarios.rs"]
mod scenarios;
#[path = "common/vectors.rs"]
mod vectors;
#[path = "common/webhook.rs"]
mod webhook;
