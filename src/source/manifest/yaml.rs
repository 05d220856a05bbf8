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

pub(crate) fn yaml_options() -> serde_saphyr::Options {
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

/// Reads the YAML text `whole[start..]`.
pub(super) fn read_yaml(
    name: &str,
    whole: &Arc<String>,
    start: usize,
    out: &mut ManifestRead,
) -> Result<(), ManifestError> {
    let text = &whole[start..];
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
    let parsed = parse_documents(&docs, whole, out.keep_text);
    let mut document = 0;
    for ((chunk, first_line), parsed) in docs.into_iter().zip(parsed) {
        document += 1;
        let content_line = first_line + first_content_line(chunk);
        let origin = Origin {
            source: name.into(),
            document,
            line: content_line,
        };
        let value = match parsed {
            ParsedDoc::Value(value) => value,
            ParsedDoc::Object(SourceItem::Value(value)) => Ok(value),
            ParsedDoc::Object(item) => {
                // An object read from its JSON text: no snapshot header, not a list.
                out.documents += 1;
                out.objects.push((item, origin));
                continue;
            }
            ParsedDoc::List { header, items } => {
                // Read as a JSON List's items are (typed where they can be), in place; each
                // item's text (written here, so valid JSON) taken as raw JSON on every core.
                let runs: Vec<(&Arc<String>, Vec<&str>)> = items
                    .iter()
                    .map(|(json, ranges)| {
                        let raws = ranges
                            .iter()
                            .map(|&(s, e)| json[s..e].trim_ascii())
                            .collect();
                        (json, raws)
                    })
                    .collect();
                note_document(&header, &origin, out)?;
                read_list(name, document, &header, &runs, origin, out)?;
                continue;
            }
        };
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
        push_document(value, origin, out)?;
    }
    Ok(())
}

/// A document read by [`parse_documents`].
pub(super) enum ParsedDoc {
    /// A value (or the parser's error), read whole or from its cut parts.
    Value(Result<Value, serde_saphyr::Error>),
    /// A large `List`/`*List` document: its header (with `items: []`) as a value, and its
    /// items as the JSON text of serde-saphyr's values of them, in order: runs of items, each
    /// run's texts in one buffer (one per core), as byte ranges in it.
    List { header: Value, items: Vec<JsonRun> },
    /// A document read from JSON text (its own, or the line scan's of its YAML): the object
    /// decoded or kept as text, or its value.
    Object(SourceItem),
}

/// Items' JSON texts in one buffer: the buffer and each item's byte range in it.
pub(super) type JsonRun = (Arc<String>, Vec<(usize, usize)>);

impl ParsedDoc {
    /// The document as one value (tests compare it with the whole document's).
    #[cfg(test)]
    pub(super) fn into_value(self) -> Result<Value, serde_saphyr::Error> {
        match self {
            ParsedDoc::Value(v) => v,
            ParsedDoc::Object(item) => Ok(item.into_value()),
            ParsedDoc::List { mut header, items } => {
                let items = items
                    .iter()
                    .flat_map(|(json, ranges)| {
                        ranges.iter().map(move |&(s, e)| {
                            serde_json::from_str(&json[s..e]).expect("JSON written")
                        })
                    })
                    .collect();
                header["items"] = Value::Array(items);
                Ok(header)
            }
        }
    }
}

/// One part of a document to parse: the document whole, a cut document's header, or item
/// `i` of a cut document.
enum Part<'a> {
    Whole(&'a str),
    Header(&'a str),
    Item(&'a str, &'a yaml_list::CutList, usize),
}

/// Each document parsed, in order, on every core: a large document's `items` each on their
/// own (see [`yaml_list`]), read into JSON text, put together only when every part parsed and
/// the document is a list; otherwise, and for every other document, the document whole (so
/// values and errors are those of the whole).
///
/// A document on its own is read from JSON text when that says exactly what the YAML says:
/// a document that is one line of JSON (YAML reads JSON), or one the line scan reads. `docs`
/// are slices of `file`, which objects kept as text refer to.
pub(super) fn parse_documents(
    docs: &[(&str, usize)],
    file: &Arc<String>,
    keep_text: bool,
) -> Vec<ParsedDoc> {
    // Below this a document is parsed whole: cutting would not pay.
    const CUT_FROM_BYTES: usize = 1 << 20;
    const CUT_FROM_ITEMS: usize = 256;
    let parse = |text: &str| serde_saphyr::from_str_with_options::<Value>(text, yaml_options());
    let cuts: Vec<Option<yaml_list::CutList>> = docs
        .iter()
        .map(|(chunk, _)| {
            (chunk.len() >= CUT_FROM_BYTES)
                .then(|| yaml_list::cut(chunk, CUT_FROM_ITEMS))
                .flatten()
        })
        .collect();
    // Per document, in order, its parts: the document whole, or a header and its items.
    let mut parts: Vec<Part<'_>> = Vec::new();
    for ((chunk, _), cut) in docs.iter().zip(&cuts) {
        match cut {
            Some(c) => {
                parts.push(Part::Header(&c.header));
                parts.extend((0..c.items.len()).map(|i| Part::Item(chunk, c, i)));
            }
            None => parts.push(Part::Whole(chunk)),
        }
    }
    /// A part read: a value, a document's object, or an item's JSON text as a range of its
    /// run's buffer.
    enum Read {
        Value(Result<Value, serde_saphyr::Error>),
        Object(SourceItem),
        Json(Result<(usize, usize), serde_saphyr::Error>),
    }
    // Each core reads a run of consecutive parts, writing its items' JSON into one buffer.
    let runs = crate::parallel::map_chunks(&parts, 256, &|run: &[Part<'_>]| {
        let yaml_bytes: usize = run
            .iter()
            .map(|p| match p {
                &Part::Item(_, cut, i) => cut.items[i].1 - cut.items[i].0,
                _ => 0,
            })
            .sum();
        let mut json = Vec::with_capacity(yaml_bytes + yaml_bytes / 8);
        let reads: Vec<Read> = run
            .iter()
            .map(|part| match part {
                Part::Whole(text) => match read_object(text, file, keep_text) {
                    Some(item) => Read::Object(item),
                    None => Read::Value(parse(text)),
                },
                Part::Header(text) => Read::Value(parse(text)),
                &Part::Item(doc, cut, i) => {
                    let start = json.len();
                    // The plain shape kubectl prints is read by a line scan; anything else (or
                    // an item at the end of a file without a final line break) by the YAML
                    // parser.
                    if cut.ends_with_line_break(doc, i)
                        && yaml_block::to_json(cut.lines(doc, i), &mut json).is_some()
                    {
                        return Read::Json(Ok((start, json.len())));
                    }
                    let read = yaml_json::to_json(&cut.text(doc, i), yaml_options(), &mut json);
                    if read.is_err() {
                        json.truncate(start);
                    }
                    Read::Json(read.map(|()| (start, json.len())))
                }
            })
            .collect();
        let json = String::from_utf8(json).expect("JSON text is UTF-8");
        (Arc::new(json), reads)
    });
    drop(parts);
    let cut_items: Vec<Option<usize>> = cuts
        .iter()
        .map(|c| c.as_ref().map(|c| c.items.len()))
        .collect();
    drop(cuts);
    // The parts in order, each with its run's buffer.
    let mut parsed = runs
        .into_iter()
        .flat_map(|(json, reads)| reads.into_iter().map(move |r| (Arc::clone(&json), r)));
    let mut out = Vec::with_capacity(docs.len());
    for ((chunk, _), cut) in docs.iter().zip(cut_items) {
        // The document whole, or the header of a cut one.
        let first = match parsed.next() {
            Some((_, Read::Value(first))) => first,
            Some((_, Read::Object(item))) => {
                out.push(ParsedDoc::Object(item));
                continue;
            }
            _ => unreachable!("a whole part first for every document"),
        };
        let Some(n) = cut else {
            out.push(ParsedDoc::Value(first));
            continue;
        };
        // The items, as runs of one buffer each (`None` if any failed; all `n` are taken).
        let mut items: Option<Vec<JsonRun>> = Some(Vec::new());
        for (json, read) in parsed.by_ref().take(n) {
            match (read, items.as_mut()) {
                (Read::Json(Ok(range)), Some(runs)) => match runs.last_mut() {
                    Some((buffer, ranges)) if Arc::ptr_eq(buffer, &json) => ranges.push(range),
                    _ => runs.push((json, vec![range])),
                },
                _ => items = None,
            }
        }
        let is_list = |header: &Value| {
            header
                .get("items")
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty)
                && header
                    .get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List"))
        };
        match (first, items) {
            (Ok(header), Some(items)) if is_list(&header) => {
                out.push(ParsedDoc::List { header, items })
            }
            _ => out.push(ParsedDoc::Value(parse(chunk))),
        }
    }
    out
}

/// A document (`text`, a slice of `file`) read from JSON text, when it is one line of JSON
/// that YAML reads to the same value, or in the plain block shape the line scan reads: the
/// object decoded or kept as text, or its value. `None`: for the YAML parser.
fn read_object(text: &str, file: &Arc<String>, keep_text: bool) -> Option<SourceItem> {
    // After a bare `---`; the last document of a file needs its final line break (a literal
    // block's last line break depends on it).
    let mut lines = text.split_inclusive('\n');
    let body = match lines.next() {
        Some(first) if is_doc_start(first.trim_end_matches(['\n', '\r'])) => {
            if !first[3..].trim().is_empty() {
                return None;
            }
            &text[first.len()..]
        }
        _ => text,
    };
    if !body.ends_with('\n') {
        return None;
    }
    let mut content = body.lines().filter(|l| !l.trim().is_empty());
    let one_line = match (content.next(), content.next()) {
        (Some(line), None) => Some(line.trim()),
        _ => None,
    };
    let read = |whole: &Arc<String>, json: &str| -> Option<SourceItem> {
        let json = json.trim_ascii();
        json_list::read_document(whole, json, keep_text).or_else(|| {
            serde_json::from_str::<Value>(json)
                .ok()
                .map(SourceItem::Value)
        })
    };
    if let Some(json) = one_line.filter(|l| json_list::reads_the_same_as_yaml(l)) {
        return read(file, json);
    }
    let mut json = Vec::with_capacity(body.len() + body.len() / 8);
    let lines = body.split_inclusive('\n').map(|l| &l[..l.len() - 1]);
    yaml_block::to_json(lines, &mut json)?;
    let json = Arc::new(String::from_utf8(json).ok()?);
    read(&json, &json)
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
