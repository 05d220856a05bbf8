#![no_main]
//! The manifest reader: YAML and JSON streams, Lists, snapshots, encodings.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let _ = common::objects(data);
});
