//! A quick split of a JSON file holding one `List` (what `kubectl get … -o json` prints) into
//! its top-level fields and the text of each item, by a scan of its bytes: the file's
//! structure is checked here, and every piece is then read by serde_json — the items on every
//! core — which checks the rest. Anything unusual (another shape, a repeated or escaped
//! top-level key, any piece that does not read) is left to the full parse, which also words
//! every error, so this never changes what a file reads as or how a bad one is reported.
//! (Its byte helpers also serve the quick check for repeated keys in `json_list`.)

/// A JSON text of one mapping with an `items` array.
#[derive(Debug, PartialEq)]
pub struct ListDocument<'a> {
    /// Where the mapping starts (after leading whitespace).
    pub start: usize,
    /// The mapping's other fields in order: key and the text of its value.
    pub fields: Vec<(&'a str, &'a str)>,
    /// The text of each item.
    pub items: Vec<&'a str>,
}

/// `text` split when it is one mapping (and nothing but whitespace around it) with keys
/// without escapes, none repeated, and an `items` array; `None` otherwise.
pub fn list_document(text: &str) -> Option<ListDocument<'_>> {
    let b = text.as_bytes();
    let mut i = skip_whitespace(b, 0);
    let start = i;
    expect(b, &mut i, b'{')?;
    let mut fields: Vec<(&str, &str)> = Vec::new();
    let mut items: Option<Vec<&str>> = None;
    i = skip_whitespace(b, i);
    if b.get(i) == Some(&b'}') {
        return None; // no items
    }
    loop {
        i = skip_whitespace(b, i);
        expect(b, &mut i, b'"')?;
        let key_end = i + memchr::memchr(b'"', b.get(i..)?)?;
        let key = &text[i..key_end];
        // (A List has a handful of fields: many are left to the parser, which checks them
        // for repeats in linear time.)
        if key.bytes().any(|c| c == b'\\' || c < 0x20)
            || fields.len() >= 64
            || fields.iter().any(|(k, _)| *k == key)
            || (key == "items" && items.is_some())
        {
            return None;
        }
        i = skip_whitespace(b, key_end + 1);
        expect(b, &mut i, b':')?;
        i = skip_whitespace(b, i);
        if key == "items" && b.get(i) == Some(&b'[') {
            let (list, end) = split_array(text, i)?;
            items = Some(list);
            i = end;
        } else {
            let end = value_end(b, i)?;
            fields.push((key, &text[i..end]));
            i = end;
        }
        i = skip_whitespace(b, i);
        match b.get(i)? {
            b',' => i += 1,
            b'}' => {
                i += 1;
                break;
            }
            _ => return None,
        }
    }
    if skip_whitespace(b, i) != b.len() {
        return None;
    }
    Some(ListDocument {
        start,
        fields,
        items: items?,
    })
}

/// The elements of the array at `at` (its `[`), and where the array ends.
fn split_array(text: &str, at: usize) -> Option<(Vec<&str>, usize)> {
    let b = text.as_bytes();
    let mut i = at + 1;
    let mut out = Vec::new();
    i = skip_whitespace(b, i);
    if b.get(i) == Some(&b']') {
        return Some((out, i + 1));
    }
    loop {
        i = skip_whitespace(b, i);
        let end = value_end(b, i)?;
        out.push(&text[i..end]);
        i = skip_whitespace(b, end);
        match b.get(i)? {
            b',' => i += 1,
            b']' => return Some((out, i + 1)),
            _ => return None,
        }
    }
}

/// Where the value starting at `at` ends, by its brackets and strings (what is inside is
/// checked when the value is read). `None` when it does not end.
fn value_end(b: &[u8], at: usize) -> Option<usize> {
    match *b.get(at)? {
        b'"' => string_end(b, at + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match *b.get(i)? {
                    b'"' => {
                        i = string_end(b, i + 1)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        // A scalar: up to the next delimiter.
        _ => {
            let len = b[at..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(b.len() - at);
            (len > 0).then_some(at + len)
        }
    }
}

/// Where the string whose text starts at `from` (after its opening quote) ends: past its
/// closing quote.
pub(crate) fn string_end(b: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = from + memchr::memchr2(b'"', b'\\', b.get(from..)?)?;
        if b[at] == b'"' {
            return Some(at + 1);
        }
        from = at + 2;
    }
}

/// Past the JSON whitespace at `i`.
pub(crate) fn skip_whitespace(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

fn expect(b: &[u8], i: &mut usize, what: u8) -> Option<()> {
    (b.get(*i) == Some(&what)).then(|| *i += 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_list_as_serde_json_does() {
        let text = " \n{\"apiVersion\": \"v1\", \"items\": [ {\"a\": \"x]}\\\"\"} ,[1, {\"b\":[]}], \"s\\\\\", -1.5e3, null ],\n\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"}}\n";
        let doc = list_document(text).expect("split");
        #[derive(serde::Deserialize)]
        struct Whole<'a> {
            #[serde(borrow)]
            items: Vec<&'a serde_json::value::RawValue>,
        }
        let whole: Whole = serde_json::from_str(text).unwrap();
        let expected: Vec<&str> = whole.items.iter().map(|r| r.get()).collect();
        assert_eq!(doc.items, expected);
        assert_eq!(doc.start, 2);
        assert_eq!(
            doc.fields,
            vec![
                ("apiVersion", "\"v1\""),
                ("kind", "\"List\""),
                ("metadata", "{\"resourceVersion\":\"\"}")
            ]
        );
        let empty = list_document("{\"items\":[ ],\"kind\":\"List\"}").unwrap();
        assert!(empty.items.is_empty());
    }

    #[test]
    fn anything_unusual_is_left_to_the_parser() {
        for text in [
            "",
            "[]",
            "{}",
            "{\"kind\":\"List\"}",
            "{\"items\":{}}",
            "{\"items\":[1,]}",
            "{\"items\":[1 2]}",
            "{\"items\":[,1]}",
            "{\"items\":[1]",
            "{\"items\":[{\"a\":1]}",
            "{\"items\":[],\"items\":[]}",
            "{\"kind\":1,\"kind\":2,\"items\":[]}",
            "{\"ki\\u006ed\":1,\"items\":[]}",
            "{\"items\":[]} {}",
            "{\"items\":[]},",
            "{\"items\":[],}",
            "{\"items\":[] \"kind\":1}",
            "{\"items\":[\"open]}",
            "{items:[]}",
        ] {
            assert_eq!(list_document(text), None, "{text}");
        }
        // Many top-level fields: the parser's.
        let fields: Vec<String> = (0..100).map(|i| format!("\"f{i}\":1")).collect();
        for text in [
            format!("{{\"items\":[],{}}}", fields.join(",")),
            format!("{{{},\"items\":[]}}", fields.join(",")),
        ] {
            assert_eq!(list_document(&text), None, "{text}");
        }
    }
}
