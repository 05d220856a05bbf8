#![allow(dead_code)] // each target uses part of it
//! Shared by the targets: bytes → objects → inventory, as `-f` reads them.

use kubeaudit::model::{Inventory, Origin};
use kubeaudit::source::manifest::{read_bytes, ManifestRead};
use serde_json::Value;

/// The objects of a manifest (None when it is not one: a clean error, which is fine).
pub fn objects(data: &[u8]) -> Option<Vec<(Value, Origin)>> {
    let mut out = ManifestRead::default();
    read_bytes("fuzz.yaml", data, None, &mut out).ok()?;
    Some(out.objects)
}

/// The inventory of a manifest.
pub fn inventory(data: &[u8]) -> Option<Inventory> {
    let mut inventory = Inventory::default();
    inventory.add_objects(objects(data)?).ok()?;
    Some(inventory)
}
