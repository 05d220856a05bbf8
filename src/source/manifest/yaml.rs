//! YAML files: split into documents by line (each document's first line kept for errors),
//! parsed on every core.

use super::*;

/// A YAML document boundary: `---` at column 0 followed by nothing, a space or a tab.
pub(super) fn is_doc_start(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
}

pub(super) fn is_doc_end(line: &str) -> bool {
    line.strip_prefix("...")
        .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
}

pub(super) fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // Kubernetes lists are large and CRD schemas deep; aliases stay capped (no billion laughs).
    budget.max_reader_input_bytes = Some(4 * 1024 * 1024 * 1024);
    budget.max_events = usize::MAX / 2;
    budget.max_nodes = usize::MAX / 2;
    budget.max_documents = usize::MAX / 2;
    budget.max_total_scalar_bytes = usize::MAX / 2;
    budget.max_depth = 512;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // YAML 1.2 booleans only: `namespace: y` is the string "y", as kubectl reads it.
    options.strict_booleans = true;
    options
}

pub(super) fn read_yaml(
    name: &str,
    text: &str,
    out: &mut ManifestRead,
) -> Result<(), ManifestError> {
    // Split into documents by line, remembering each document's first line.
    let mut docs: Vec<(usize, usize, usize)> = Vec::new(); // (start byte, end byte, first line)
    let mut start = 0usize;
    let mut start_line = 1usize;
    let mut pos = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let l = line.trim_end_matches(['\n', '\r']);
        if is_doc_start(l) && pos > start {
            docs.push((start, pos, start_line));
            start = pos;
            start_line = i + 1;
        } else if is_doc_end(l) {
            docs.push((start, pos, start_line));
            start = pos + line.len();
            start_line = i + 2;
        }
        pos += line.len();
    }
    docs.push((start, text.len(), start_line));

    // Documents are parsed on every core (a large file has 100,000s), then read in order:
    // numbering, errors and objects are those of reading them one after another.
    let docs: Vec<(&str, usize)> = docs
        .into_iter()
        .map(|(s, e, first_line)| (&text[s..e], first_line))
        .filter(|(chunk, _)| has_content(chunk))
        .collect();
    let parsed = parse_documents(&docs);
    let mut document = 0;
    for ((chunk, first_line), value) in docs.into_iter().zip(parsed) {
        document += 1;
        let content_line = first_line + first_content_line(chunk);
        let value: Value = value.map_err(|err| {
            let (line, column) = match err.location() {
                Some(loc) if loc.line() > 0 => (
                    first_line + loc.line() as usize - 1,
                    format!(", column {}", loc.column()),
                ),
                _ => (content_line, String::new()),
            };
            ManifestError::Syntax {
                path: name.into(),
                document,
                line,
                column,
                message: yaml_message(&err),
            }
        })?;
        if value.is_null() {
            document -= 1;
            continue;
        }
        push_document(
            value,
            Origin {
                source: name.into(),
                document,
                line: content_line,
            },
            out,
        )?;
    }
    Ok(())
}

/// Each document parsed, in order, on every core: a large `List` document's items each on
/// their own (see [`yaml_list`]), put back together only when every part parsed; otherwise,
/// and for every other document, the document whole (so errors are those of the whole).
pub(super) fn parse_documents(docs: &[(&str, usize)]) -> Vec<Result<Value, serde_saphyr::Error>> {
    // Below this a document is parsed whole: cutting would not pay.
    const CUT_FROM_BYTES: usize = 1 << 20;
    const CUT_FROM_ITEMS: usize = 256;
    let parse = |text: &str| serde_saphyr::from_str_with_options::<Value>(text, yaml_options());
    // Per document, in order, its parts: the document whole, or a header and its items
    // (`Some(number of items)`).
    let mut parts: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    let mut cut_items: Vec<Option<usize>> = Vec::with_capacity(docs.len());
    for (chunk, _) in docs {
        let cut = (chunk.len() >= CUT_FROM_BYTES)
            .then(|| yaml_list::cut(chunk, CUT_FROM_ITEMS))
            .flatten();
        cut_items.push(cut.as_ref().map(|c| c.items.len()));
        match cut {
            Some(c) => {
                parts.push(c.header.into());
                parts.extend(c.items.into_iter().map(Into::into));
            }
            None => parts.push((*chunk).into()),
        }
    }
    let mut parsed = crate::parallel::map(&parts, 256, &|text| parse(text)).into_iter();
    let mut out = Vec::with_capacity(docs.len());
    for ((chunk, _), cut) in docs.iter().zip(cut_items) {
        // The document whole, or the header of a cut one.
        let first = parsed.next().expect("a part per document");
        let Some(n) = cut else {
            out.push(first);
            continue;
        };
        let items: Result<Vec<Value>, _> = parsed.by_ref().take(n).collect();
        let whole = match (first, items) {
            (Ok(Value::Object(mut list)), Ok(items))
                if list
                    .get("items")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty) =>
            {
                list.insert("items".into(), Value::Array(items));
                Ok(Value::Object(list))
            }
            _ => parse(chunk),
        };
        out.push(whole);
    }
    out
}

/// The parser's message without its own (chunk-relative) location.
pub(super) fn yaml_message(err: &serde_saphyr::Error) -> String {
    let full = err.to_string();
    let first = full.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // "line 2 column 7: unclosed bracket" → "unclosed bracket"
    let message = match first
        .strip_prefix("line ")
        .and_then(|rest| rest.find(": ").map(|i| &rest[i + 2..]))
    {
        Some(m) => m,
        None => first,
    };
    // The parser's advice to its own callers is not for users.
    let message = &crate::source::in_user_words(message);
    if message.starts_with("budget breached") {
        return format!(
            "the document exceeds kubeaudit's YAML limits ({message}); aliases that expand without bound (a \"YAML bomb\") are refused"
        );
    }
    message.to_string()
}

pub(super) fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#') || t.starts_with('%')
}

pub(super) fn has_content(chunk: &str) -> bool {
    chunk.lines().any(|l| {
        let l = if is_doc_start(l) { l[3..].trim() } else { l };
        !is_comment_or_blank(l)
    })
}

/// Index (0-based) of the first line that carries content.
pub(super) fn first_content_line(chunk: &str) -> usize {
    for (i, l) in chunk.lines().enumerate() {
        if is_doc_start(l) {
            if !is_comment_or_blank(&l[3..]) {
                return i;
            }
            continue;
        }
        if !is_comment_or_blank(l) {
            return i;
        }
    }
    0
}
