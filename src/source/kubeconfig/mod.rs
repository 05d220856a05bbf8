//! Kubeconfig handling exactly as kubectl resolves it: which files, how they merge, which
//! context/cluster/user, and the `kube::Config` (or in-cluster config) that follows.
//!
//! Nothing here reads the process environment directly: callers capture it once with
//! [`KubeEnv::from_process`] and pass it in. Nothing here prints or serializes a credential:
//! [`LoadedKubeconfig`] and [`Resolution`] hold them but only show names in `Debug`.
//!
//! Typical use:
//! ```no_run
//! # fn main() -> Result<(), kubeaudit::source::kubeconfig::KubeconfigError> {
//! use kubeaudit::source::kubeconfig::{self as kc, ClientOptions, KubeEnv};
//! use kube::config::KubeConfigOptions;
//! let env = KubeEnv::from_process();
//! let selection = KubeConfigOptions { context: Some("prod".into()), ..Default::default() };
//! let (loaded, resolution) = kc::load_and_resolve(None, &selection, &env)?;
//! for warning in loaded.warnings() {
//!     eprintln!("warning: {warning}");
//! }
//! let options = ClientOptions { request_timeout: kc::parse_request_timeout("30s")? };
//! let config = resolution.client_config(&options); // -> kube::Client::try_from(config)
//! # Ok(()) }
//! ```

mod client;
mod duration;
mod env;
mod error;
mod load;
pub(crate) mod material;
mod proxy;
pub(crate) mod resolve;

pub use client::{
    in_cluster, in_cluster_possible, load_and_resolve, resolve, ClientOptions, Resolution,
};
pub use duration::parse_request_timeout;
pub use env::{KubeEnv, DEFAULT_SERVICE_ACCOUNT_DIR};
pub use error::{KubeconfigError, NameOrigin};
pub use load::{load, LoadOrigin, LoadWarning, LoadedKubeconfig, SourceFile};
pub use resolve::{AuthMethod, ConfigSource, ResolvedContext};
