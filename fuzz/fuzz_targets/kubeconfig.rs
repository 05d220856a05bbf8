#![no_main]
//! A kubeconfig file: loaded, resolved as kubectl would, and audited as `contexts` does.
use kubeaudit::source::kubeconfig::{self, KubeEnv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path =
        std::env::temp_dir().join(format!("kubeaudit-fuzz-{}.kubeconfig", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let env = KubeEnv::default();
    if let Ok(loaded) = kubeconfig::load(Some(&path), &env) {
        let _ = kubeconfig::resolve(&loaded, &kube::config::KubeConfigOptions::default(), &env);
        let _ = kubeaudit::source::contexts::audit_contexts(&loaded, std::time::SystemTime::now());
    }
});
