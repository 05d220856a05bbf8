#![no_main]
//! Every lint rule over the input, then the report and its SARIF and JUnit forms.
use kubeaudit::app::lint::{analyze, report};
use kubeaudit::app::load::Loaded;
use kubeaudit::cli::GlobalArgs;
use kubeaudit::lint::{Selection, Severity};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(inventory) = common::inventory(data) else {
        return;
    };
    let loaded = Loaded {
        inventory,
        default_namespace: "default".into(),
        live: None,
    };
    let selection = Selection::default();
    let Ok(analysis) = analyze(&loaded, &GlobalArgs::default(), &selection) else {
        return;
    };
    let r = report(
        &[],
        analysis.findings,
        analysis.pod_security,
        Vec::new(),
        &selection,
        Severity::Low,
    );
    let _ = serde_json::to_string(&kubeaudit::output::sarif::sarif(&r));
    let mut junit = Vec::new();
    let _ = kubeaudit::output::junit::write(&mut junit, &r);
});
