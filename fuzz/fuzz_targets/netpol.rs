#![no_main]
//! The NetworkPolicy model and its default-deny question over every namespace.
use kubeaudit::netpol::filter::NamespaceFilter;
use kubeaudit::netpol::NetworkModel;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(objects) = common::objects(data) else {
        return;
    };
    let objects = objects.into_iter().map(|(v, o)| (v, o.to_string()));
    if let Ok(model) = NetworkModel::from_objects(objects) {
        let _ = model.default_deny(&NamespaceFilter::all());
    }
});
