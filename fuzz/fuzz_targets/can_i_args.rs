#![no_main]
//! `can-i` arguments as kubectl parses them (NUL-separated words).
use kubeaudit::model::discovery::Discovery;
use kubeaudit::rbac::cani_args::{parse_can_i, CanIFlags};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut words: Vec<String> = text.split('\0').map(String::from).collect();
    let namespace = words.pop().unwrap_or_default();
    let flags = CanIFlags {
        namespace,
        all_namespaces: text.len() % 2 == 0,
        subresource: None,
        list: text.len() % 3 == 0,
        quiet: false,
        no_headers: false,
    };
    let _ = parse_can_i(&words, &flags, &Discovery::builtin());
});
