#![no_main]
//! SubjectAccessReviews read and answered over a model built from the same input.
use kubeaudit::model::AccessModel;
use kubeaudit::rbac::review::{answer_review, parse_review};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(objects) = common::objects(data) else {
        return;
    };
    let mut inventory = kubeaudit::model::Inventory::default();
    let model = match inventory.add_objects(objects.clone()) {
        Ok(()) => AccessModel::build(&inventory),
        Err(_) => AccessModel::build(&kubeaudit::model::Inventory::default()),
    };
    for (obj, origin) in objects {
        if let Ok(req) = parse_review(&obj, &origin) {
            let _ = answer_review(&model, obj, &req);
        }
    }
});
