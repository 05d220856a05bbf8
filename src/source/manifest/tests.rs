use super::*;

fn read(text: &str) -> Result<ManifestRead, ManifestError> {
    let mut out = ManifestRead::default();
    read_bytes("m.yaml", text.as_bytes(), None, &mut out)?;
    Ok(out)
}

/// A YAML List of `n` items of assorted shapes, over the size at which items are cut.
fn big_list(n: usize, item: impl Fn(usize) -> String) -> String {
    let pad = "x".repeat(4096);
    let mut text = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..n {
        text.push_str(&item(i));
        text.push_str(&format!(
            "  metadata:\n    name: o{i}\n    annotations: {{pad: {pad}}}\n"
        ));
    }
    text.push_str("metadata:\n  resourceVersion: \"\"\n");
    text
}

fn assorted(i: usize) -> String {
    match i % 4 {
        0 => "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  rules:\n  - apiGroups: ['']\n    resources: [pods]\n    verbs: ['*']\n".into(),
        1 => "- kind: ConfigMap\n  data:\n    script: |\n      #!/bin/sh\n        indented\n\n      echo done\n".into(),
        2 => "- kind: ServiceAccount\n  automountServiceAccountToken: no\n  labels: {a: \"multi\n    line\"}\n".into(),
        _ => "-\n  kind: Namespace\n".into(),
    }
}

/// [`parse_documents`] of one document, the whole text.
fn parse_one(text: &str) -> ParsedDoc {
    let file = Arc::new(text.to_string());
    parse_documents(&[(file.as_str(), 1)], &file, false)
        .pop()
        .unwrap()
}

#[test]
fn a_large_list_cut_into_items_reads_as_the_whole_document() {
    let whole = |t: &str| serde_saphyr::from_str_with_options::<Value>(t, yaml_options());
    let text = big_list(300, assorted);
    let parts = yaml_list::cut(&text, 256).expect("the shape is cut");
    assert!((0..parts.items.len()).all(|i| whole(&parts.text(&text, i)).is_ok()));
    let cut = parse_one(&text).into_value().unwrap();
    assert_eq!(cut, whole(&text).unwrap());
    assert_eq!(cut["items"].as_array().unwrap().len(), 300);
    assert_eq!(
        cut["items"][1]["data"]["script"],
        "#!/bin/sh\n  indented\n\necho done\n"
    );
    // An alias to another item's anchor: the whole document is parsed instead.
    let aliased = big_list(300, |i| match i {
        3 => "- kind: ConfigMap\n  data: &shared {a: b}\n".into(),
        290 => "- kind: ConfigMap\n  data: *shared\n".into(),
        _ => assorted(i),
    });
    let v = parse_one(&aliased).into_value().unwrap();
    assert_eq!(v, whole(&aliased).unwrap());
    assert_eq!(v["items"][290]["data"]["a"], "b");
    // A syntax error in an item: the whole document's error, located in the file.
    let broken = big_list(300, |i| match i {
        280 => "- kind: [unclosed\n".into(),
        _ => assorted(i),
    });
    let err = parse_one(&broken).into_value().unwrap_err();
    assert_eq!(err.to_string(), whole(&broken).unwrap_err().to_string());
}

#[test]
fn many_documents_parsed_in_parallel_number_and_place_as_in_order() {
    // 400 documents (parsed on every core), a null one early, a broken one late.
    let mut text = String::from("---\n~\n");
    for i in 0..400 {
        text.push_str(&format!("---\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n"));
    }
    let good = read(&text).unwrap();
    assert_eq!(good.objects.len(), 400);
    let (item, origin) = &good.objects[399];
    assert_eq!(item.value()["metadata"]["name"], "c399");
    assert_eq!((origin.document, origin.line), (400, 2 + 399 * 3 + 2));
    text.push_str("---\nkind: [unclosed\n");
    let err = read(&text).unwrap_err().to_string();
    assert!(
        err.starts_with("m.yaml, document 401, line 1204, column 7"),
        "{err}"
    );
}

#[test]
fn multi_document_lines() {
    let r = read("# c\n---\nkind: A\n---\n\n---\nkind: B\nx: 1\n...\n---\nkind: C\n").unwrap();
    let got: Vec<_> = r
        .objects
        .iter()
        .map(|(v, o)| {
            (
                v.value()["kind"].as_str().unwrap().to_string(),
                o.document,
                o.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![("A".into(), 1, 3), ("B".into(), 2, 7), ("C".into(), 3, 11)]
    );
}

#[test]
fn syntax_error_line_is_file_relative() {
    let err = read("kind: A\n---\nkind: B\nrules: [\n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("m.yaml, document 2, line "), "{err}");
    let line: usize = err["m.yaml, document 2, line ".len()..]
        .split([',', ':'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(line >= 4, "{err}");
}

#[test]
fn json_list_item_errors_are_placed_in_the_file() {
    let ns = r#"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"a"}}"#;
    let list = |items: &str| format!(r#"{{"kind":"List","apiVersion":"v1","items":[{items}]}}"#);
    let cases = [
        (
            list(&format!("{ns},")),
            "line 1, column 106: trailing comma",
        ),
        (
            list(&format!("{ns}\n {ns}")),
            "line 2, column 2: expected `,` or `]`",
        ),
        (
            list(&format!("\n{}", ns.replace(r#""a""#, r#""a","name":"b""#))),
            "line 2, column 67: duplicate mapping key: name",
        ),
        (
            r#"{"kind":"Foo","apiVersion":"v1","items":[{"kind":"Namespace","kind":"x"}]}"#.into(),
            "line 1, column 67: duplicate mapping key: kind",
        ),
        (
            list(ns).trim_end_matches("]}").into(),
            "EOF while parsing a list",
        ),
    ];
    for (text, expected) in cases {
        let err = read(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("m.yaml, document 1, ") && err.ends_with(expected),
            "{text}: {err}"
        );
    }
}

#[test]
fn typed_list_items_get_kind() {
    let r = read(r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleList","items":[{"metadata":{"name":"a"}}]}"#).unwrap();
    assert_eq!(r.objects[0].0.value()["kind"], "Role");
    assert_eq!(
        r.objects[0].0.value()["apiVersion"],
        "rbac.authorization.k8s.io/v1"
    );
    assert!(r.objects[0].1.source.ends_with("item 1"));
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let mut out = ManifestRead::default();
    let err = read_bytes("g.bin", &[0xc3, 0x28, 0xff, 0x12], None, &mut out).unwrap_err();
    assert!(err.to_string().contains("not a text file"));
    assert!(read("just a string\n").is_err());
    assert!(read("- 1\n- 2\n").is_err());
    assert!(read("{\"kind\": \n").is_err());
    assert!(read("apiVersion: v1\n")
        .unwrap_err()
        .to_string()
        .contains("kind is missing"));
}

#[test]
fn list_items_parsed_in_parallel_give_whole_file_positions() {
    // Enough items for the parallel parse; the bad one far into the file, on its own
    // line and after other text on the same line.
    let mut text = String::from("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "  {{\"kind\": \"Namespace\", \"metadata\": {{\"name\": \"n{i}\"}}}},\n"
        ));
    }
    text.push_str(
        "  {\"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\", \"name\": \"b\"}}\n]}\n",
    );
    let mut out = ManifestRead::default();
    let err = read_bytes("big.json", text.as_bytes(), None, &mut out).unwrap_err();
    // What one strict parse of the whole file says.
    let whole = serde_json::from_str::<StrictValue>(&text).err().unwrap();
    assert_eq!(
        err.to_string(),
        format!(
            "big.json, document 1, line {}, column {}: duplicate mapping key: name",
            whole.line(),
            whole.column()
        )
    );
    let mut out = ManifestRead::default();
    let good = text.replace(", \"name\": \"b\"", "");
    read_bytes("big.json", good.as_bytes(), None, &mut out).unwrap();
    assert_eq!(out.objects.len(), 5001);
    assert_eq!(out.objects[4000].1.source, "big.json item 4001");
    assert_eq!(out.objects[4000].0.value()["metadata"]["name"], "n4000");
}

#[test]
fn library_advice_and_nested_lists_are_said_in_our_words() {
    let mut out = ManifestRead::default();
    let nested = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let err = read_bytes("n.json", nested.as_bytes(), None, &mut out).unwrap_err();
    assert!(
        err.to_string().contains("found a list inside a list"),
        "{err}"
    );
    let err = read_bytes(
        "l.yaml",
        b"kind: Role\nmetadata:\n  name: x\n  labels: {null: ~}\n",
        None,
        &mut out,
    )
    .unwrap_err()
    .to_string();
    assert!(
        !err.contains("Option<") && err.contains("null (or ~) where a string is expected"),
        "{err}"
    );
    let err = read_bytes("d.yaml", b"kind: Role\nkind: Role\n", None, &mut out)
        .unwrap_err()
        .to_string();
    assert!(
        !err.contains("DuplicateKeyPolicy") && err.contains("duplicate mapping key"),
        "{err}"
    );
}

#[test]
fn a_stream_of_many_json_documents_is_linear() {
    // 100,000 documents took 18.7 s when each document's line was counted from the start
    // of the text; counted from the previous document on, this is milliseconds. The bound
    // is generous on purpose: it only catches the quadratic scan coming back.
    let text = "{\"kind\":\"A\"}\n".repeat(100_000);
    let started = std::time::Instant::now();
    let mut out = ManifestRead::default();
    read_bytes("s.json", text.as_bytes(), None, &mut out).unwrap();
    assert_eq!(out.objects.len(), 100_000);
    assert_eq!(out.objects[99_999].1.line, 100_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn utf16_manifests_are_read_like_utf16_kubeconfigs() {
    let text = "kind: Namespace\nmetadata:\n  name: x\n";
    for big_endian in [false, true] {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        let mut out = ManifestRead::default();
        read_bytes("w.yaml", &bytes, None, &mut out).unwrap();
        assert_eq!(out.objects.len(), 1);
        assert_eq!(out.objects[0].0.value()["metadata"]["name"], "x");
    }
    let mut out = ManifestRead::default();
    let err = read_bytes("odd.yaml", &[0xFF, 0xFE, 0x41], None, &mut out).unwrap_err();
    assert!(err.to_string().contains("odd number of bytes"), "{err}");
}

#[test]
fn duplicate_keys_are_errors_in_json_as_in_yaml() {
    for (name, text) in [
        (
            "d.json",
            "{\"kind\": \"ClusterRole\",\n \"metadata\": {\"name\": \"a\", \"name\": \"b\"}}",
        ),
        (
            "d.yaml",
            "kind: ClusterRole\nmetadata:\n  name: a\n  name: b\n",
        ),
    ] {
        let mut out = ManifestRead::default();
        let err = read_bytes(name, text.as_bytes(), None, &mut out)
            .unwrap_err()
            .to_string();
        assert!(err.contains("duplicate mapping key: name"), "{name}: {err}");
        assert!(
            err.contains("line 2") || err.contains("line 4"),
            "{name}: {err}"
        );
    }
    // A top-level array is a list of objects in both formats.
    for (name, text) in [
        (
            "a.json",
            "[{\"kind\": \"Namespace\", \"metadata\": {\"name\": \"x\"}}]",
        ),
        ("a.yaml", "- kind: Namespace\n  metadata: {name: x}\n"),
    ] {
        let mut out = ManifestRead::default();
        read_bytes(name, text.as_bytes(), None, &mut out).expect(name);
        assert_eq!(out.objects.len(), 1, "{name}");
    }
}

#[test]
fn empty_file_is_a_note() {
    let r = read("\n# nothing\n---\n").unwrap();
    assert!(r.objects.is_empty());
    assert_eq!(r.notes.len(), 1);
}

#[cfg(unix)]
#[test]
fn directory_walk_says_what_it_skips() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/a.yaml"), "kind: A\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "kind: B\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("sub"), dir.path().join("link")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x.yaml", dir.path().join("broken.yaml")).unwrap();
    let r = read_paths(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(r.objects.len(), 1);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("symlinked directory not followed")),
        "{:?}",
        r.notes
    );
    assert!(
        r.notes.iter().any(|n| n.contains("broken.yaml: skipped")),
        "{:?}",
        r.notes
    );
    assert!(
        !r.notes.iter().any(|n| n.contains("notes.txt")),
        "{:?}",
        r.notes
    );
}

/// Reading with items kept as text gives the same objects (as values), origins and errors
/// as reading them as values; only a plain List's mappings with a kind are kept as text.
#[test]
fn items_kept_as_text_read_as_values_do() {
    let read_both = |text: &str| {
        let mut values = ManifestRead::default();
        let as_values = read_bytes("m.json", text.as_bytes(), None, &mut values).map(|_| values);
        let mut kept = ManifestRead {
            keep_text: true,
            ..ManifestRead::default()
        };
        let as_text = read_bytes("m.json", text.as_bytes(), None, &mut kept).map(|_| kept);
        (as_values, as_text)
    };
    let list = r#"{"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
         "metadata": {"name": "a", "namespace": "n"}, "spec": {"user": "u", "x": 1.5}},
        {"kind": "Thing", "a": [1, {"b": null}], "metadata": {"name": 7}},
        {"kind": "List", "items": [{"kind": "Inner"}]},
        {"kind": "ThingList", "items": [{"kind": "Inner2"}]},
        {"apiVersion": "v1", "kind": "Role", "metadata": {"name": "r"}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "s"}}
    ]}"#;
    let (values, kept) = read_both(list);
    let (values, kept) = (values.unwrap(), kept.unwrap());
    assert_eq!(values.objects.len(), kept.objects.len());
    for ((v, vo), (k, ko)) in values.objects.iter().zip(&kept.objects) {
        assert_eq!(vo, ko);
        assert_eq!(v.value(), k.value());
        assert_eq!(v.kind(), k.kind());
        assert_eq!(v.api_version(), k.api_version());
        assert_eq!(v.namespace_and_name(), k.namespace_and_name());
    }
    let raw = |r: &ManifestRead| {
        r.objects
            .iter()
            .filter(|(o, _)| matches!(o, SourceItem::Raw(_)))
            .count()
    };
    assert_eq!(raw(&values), 0);
    assert_eq!(
        raw(&kept),
        3,
        "the review, the Thing and the Role of another group"
    );
    for bad in [
        r#"{"kind": "List", "items": [{"kind": "A", "spec": {"x": 1, "x": 2}}]}"#,
        r#"{"kind": "List", "items": [{"kind": "", "a": 1}]}"#,
        r#"{"kind": "List", "items": [{"a": 1}]}"#,
        r#"{"kind": "List", "items": [[{"kind": "A"}]]}"#,
    ] {
        let (values, kept) = read_both(bad);
        let (values, kept) = (values.unwrap_err(), kept.unwrap_err());
        assert_eq!(values.to_string(), kept.to_string(), "{bad}");
    }
}

#[cfg(unix)]
#[test]
fn a_large_file_is_read_as_two_halves_exactly() {
    use std::io::Write;
    let len = (16 << 20) + 12_345;
    let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 4099) as u8).collect();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&bytes).unwrap();
    let f = std::fs::File::open(file.path()).unwrap();
    let expected = len as u64;
    assert_eq!(
        read_on_two_cores(&f, expected, u64::MAX).as_deref(),
        Some(&bytes[..])
    );
    // A length that is not the file's (it changed since), a file over the bound, a small
    // file: read the usual way.
    assert_eq!(read_on_two_cores(&f, expected + 1, u64::MAX), None);
    assert_eq!(read_on_two_cores(&f, expected - 1, u64::MAX), None);
    assert_eq!(read_on_two_cores(&f, expected, expected - 1), None);
    assert_eq!(read_on_two_cores(&f, 1000, u64::MAX), None);
}
