#![allow(dead_code)] // each target uses part of it
//! Shared by the targets: bytes → objects → inventory, as `-f` reads them.

use kubeaudit::model::item::SourceItem;
use kubeaudit::model::{Inventory, Origin};
use kubeaudit::source::manifest::{read_bytes, ManifestRead};
use serde_json::Value;

/// The objects of a manifest (None when it is not one: a clean error, which is fine).
pub fn objects(data: &[u8]) -> Option<Vec<(Value, Origin)>> {
    Some(
        items(data)?
            .into_iter()
            .map(|(item, origin)| (item.into_value(), origin))
            .collect(),
    )
}

/// The objects of a manifest as the inventory gets them (some decoded from the text).
pub fn items(data: &[u8]) -> Option<Vec<(SourceItem, Origin)>> {
    let mut out = ManifestRead::default();
    read_bytes("fuzz.yaml", data, None, &mut out).ok()?;
    Some(out.objects)
}

/// The inventory of a manifest.
pub fn inventory(data: &[u8]) -> Option<Inventory> {
    let mut inventory = Inventory::default();
    inventory.add_objects(items(data)?).ok()?;
    Some(inventory)
}
