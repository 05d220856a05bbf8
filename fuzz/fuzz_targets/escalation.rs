#![no_main]
//! The escalation closure of every subject of the input.
use kubeaudit::escalation::{subjects, Escalation, World};
use kubeaudit::model::AccessModel;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(inventory) = common::inventory(data) else {
        return;
    };
    let model = AccessModel::build(&inventory);
    let world = World::from_inventory(&inventory, &model);
    let e = Escalation::new(&model, &world);
    let starts = subjects(&model);
    let _ = e.standings(&starts, 10_000);
});
