//! Manifest files, directories and stdin: YAML (multi-document), JSON, `kind: List` and
//! typed `*List`s, as `kubectl get -o yaml|json` and `helm template` print them.
//!
//! Documents are split here (not by the YAML parser) so that every object remembers the
//! file, document and line it came from, and so that one huge stream is parsed one document
//! at a time.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::model::item::SourceItem;
use crate::model::objects::Origin;
use crate::source::json_list;
use crate::source::yaml_block;
use crate::source::yaml_json;
use crate::source::yaml_list;

mod json;
mod yaml;
#[cfg(test)]
pub(crate) use yaml::yaml_options;
use yaml::*;

/// Why manifests could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// A path given with `-f` does not exist or cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// More bytes than the input limit (`/dev/zero`, a runaway pipe).
    #[error("{path}: more than {limit} bytes, the input limit (raise it with --max-input-size, e.g. --max-input-size 8G)")]
    TooLarge {
        /// The path.
        path: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("{path}: not a text file (invalid UTF-8 at byte {offset}); expected YAML or JSON")]
    NotText {
        /// The path.
        path: String,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// A document is not valid YAML or JSON.
    #[error("{path}, document {document}, line {line}{column}: {message}")]
    Syntax {
        /// The path.
        path: String,
        /// 1-based document number.
        document: usize,
        /// 1-based line in the file.
        line: usize,
        /// `", column N"` when known.
        column: String,
        /// The parser's message.
        message: String,
    },
    /// A document is valid but not a Kubernetes object or list.
    #[error("{origin}: {message}")]
    NotAnObject {
        /// Where.
        origin: Origin,
        /// What was found and what was expected.
        message: String,
    },
}

/// One object read from a manifest source, with its origin.
pub type SourcedObject = (SourceItem, Origin);

/// What reading manifests produced: the objects, and notes about odd but harmless input.
#[derive(Debug, Default)]
pub struct ManifestRead {
    /// Every object, `List`s flattened, in input order.
    pub objects: Vec<SourcedObject>,
    /// Notes such as empty files.
    pub notes: Vec<String>,
    /// Headers of kubeaudit snapshots among the documents read.
    pub snapshots: Vec<crate::source::snapshot::SnapshotHeader>,
    /// How many top-level documents were read (snapshots included).
    pub documents: usize,
    /// Items of plain JSON `List`s are kept as text ([`SourceItem::Raw`]).
    keep_text: bool,
}

impl ManifestRead {
    /// An empty read that keeps the items of plain JSON `List`s as text, as
    /// [`read_paths_kept_as_text`] does (for [`read_bytes`]).
    pub fn keeping_text() -> ManifestRead {
        ManifestRead {
            keep_text: true,
            ..ManifestRead::default()
        }
    }
}

/// Reads every path (`-` is stdin; directories are walked recursively for `.yaml`, `.yml`
/// and `.json` files, in name order).
pub fn read_paths(paths: &[PathBuf]) -> Result<ManifestRead, ManifestError> {
    read_paths_within(paths, DEFAULT_MAX_INPUT_BYTES)
}

/// The default bound on the bytes read from one input (file, pipe or stdin): 1 GiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;

/// Reads up to `limit` bytes of one input; more is an error naming it and the limit, so that
/// `/dev/zero` or a runaway pipe cannot exhaust memory. Pipes keep working.
fn read_bounded(reader: impl Read, path: &str, limit: u64) -> Result<Vec<u8>, ManifestError> {
    read_bounded_sized(reader, path, limit, 0)
}

/// [`read_bounded`] into a buffer sized for `expected` bytes (a regular file's length), so
/// that a large file is not copied as the buffer grows.
fn read_bounded_sized(
    reader: impl Read,
    path: &str,
    limit: u64,
    expected: u64,
) -> Result<Vec<u8>, ManifestError> {
    let mut buf = Vec::with_capacity(expected.min(limit).saturating_add(1) as usize);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|source| ManifestError::Io {
            path: path.to_string(),
            source,
        })?;
    if buf.len() as u64 > limit {
        return Err(ManifestError::TooLarge {
            path: path.to_string(),
            limit,
        });
    }
    Ok(buf)
}

/// [`read_paths`] with an explicit bound on the bytes of each input.
pub fn read_paths_within(paths: &[PathBuf], limit: u64) -> Result<ManifestRead, ManifestError> {
    let mut out = ManifestRead::default();
    read_into(paths, limit, &mut out)?;
    Ok(out)
}

/// [`read_paths_within`] keeping text: an item of a plain JSON `List` that is a mapping with a
/// kind (and not one decoded into typed fields) is checked as every item is (no repeated
/// key) but kept as its text ([`SourceItem::Raw`]), to be read into a value only when asked
/// for. Errors are the same.
pub fn read_paths_kept_as_text(
    paths: &[PathBuf],
    limit: u64,
) -> Result<ManifestRead, ManifestError> {
    let mut out = ManifestRead::keeping_text();
    read_into(paths, limit, &mut out)?;
    Ok(out)
}

fn read_into(paths: &[PathBuf], limit: u64, out: &mut ManifestRead) -> Result<(), ManifestError> {
    for p in paths {
        if p.as_os_str() == "-" {
            let buf = read_bounded(std::io::stdin().lock(), "<stdin>", limit)?;
            read_owned("<stdin>", buf, None, out)?;
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|source| ManifestError::Io {
            path: p.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files, &mut out.notes)?;
            if files.is_empty() {
                out.notes.push(format!(
                    "{}: directory contains no .yaml, .yml or .json files",
                    p.display()
                ));
            }
            for f in files {
                read_file(&f, limit, out)?;
            }
        } else {
            read_file(p, limit, out)?;
        }
    }
    Ok(())
}

fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    notes: &mut Vec<String>,
) -> Result<(), ManifestError> {
    let io = |source| ManifestError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        let link = std::fs::symlink_metadata(&path).map_err(|source| ManifestError::Io {
            path: path.display().to_string(),
            source,
        })?;
        if link.is_dir() {
            walk(&path, files, notes)?;
            continue;
        }
        let manifest_name = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() && manifest_name => files.push(path),
            // Symlinked directories are not followed, so a link cycle cannot loop forever.
            Ok(m) if m.is_dir() => notes.push(format!(
                "{}: symlinked directory not followed",
                path.display()
            )),
            Ok(m) if !m.is_file() && manifest_name => {
                notes.push(format!("{}: not a regular file; skipped", path.display()))
            }
            Err(e) if manifest_name => notes.push(format!("{}: skipped: {e}", path.display())),
            _ => {}
        }
    }
    Ok(())
}

fn read_file(path: &Path, limit: u64, out: &mut ManifestRead) -> Result<(), ManifestError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| ManifestError::Io {
        path: name.clone(),
        source,
    })?;
    let expected = file
        .metadata()
        .map_or(0, |m| if m.is_file() { m.len() } else { 0 });
    let bytes = match read_on_two_cores(&file, expected, limit) {
        Some(bytes) => bytes,
        None => read_bounded_sized(file, &name, limit, expected)?,
    };
    let json = path.extension().and_then(|e| e.to_str()) == Some("json");
    read_owned(&name, bytes, Some(json), out)
}

/// A large regular file of `expected` bytes read as two halves at once (copying a large file
/// out of the page cache, and the kernel preparing the pages it is copied to, take a tenth of
/// a large query otherwise). `None` — read it the usual way — for a small file, one over the
/// bound, any error, or a file whose length is not what its metadata said (the usual way
/// then reads it as it is, and words any error).
#[cfg(unix)]
fn read_on_two_cores(file: &std::fs::File, expected: u64, limit: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    const FROM: u64 = 16 << 20;
    if expected < FROM || expected > limit {
        return None;
    }
    let len = usize::try_from(expected).ok()?;
    // (Fresh zeroed memory from the allocator is not written twice: the pages are the
    // kernel's zero pages until read into.)
    let mut bytes = vec![0u8; len];
    let (front, back) = bytes.split_at_mut(len / 2);
    let read_at = |part: &mut [u8], at: u64| file.read_exact_at(part, at).is_ok();
    let (front_read, back_read) = crate::parallel::join(
        true,
        || read_at(front, 0),
        || read_at(back, (len / 2) as u64),
    );
    let mut past_the_end = [0u8; 1];
    let grew = file.read_at(&mut past_the_end, expected).ok()? > 0;
    (front_read && back_read && !grew).then_some(bytes)
}

#[cfg(not(unix))]
fn read_on_two_cores(_: &std::fs::File, _: u64, _: u64) -> Option<Vec<u8>> {
    None
}

/// Reads one stream. `json`: `Some(true)` forces JSON, `Some(false)` YAML, `None` sniffs.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    json: Option<bool>,
    out: &mut ManifestRead,
) -> Result<(), ManifestError> {
    read_owned(name, bytes.to_vec(), json, out)
}

/// [`read_bytes`] of a buffer it may keep: objects decoded straight from the text refer to it.
fn read_owned(
    name: &str,
    bytes: Vec<u8>,
    json: Option<bool>,
    out: &mut ManifestRead,
) -> Result<(), ManifestError> {
    // UTF-16 with a byte-order mark (Windows editors write it) is read as kubeconfig files are.
    let text = match crate::source::bounded::utf16_text(&bytes) {
        Some(Ok(text)) => text,
        Some(Err(why)) => {
            return Err(ManifestError::NotAnObject {
                origin: Origin {
                    source: name.into(),
                    document: 1,
                    line: 1,
                },
                message: format!("not readable text: {why}"),
            })
        }
        None => String::from_utf8(bytes).map_err(|e| ManifestError::NotText {
            path: name.into(),
            offset: e.utf8_error().valid_up_to(),
        })?,
    };
    let text = Arc::new(text);
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let body = &text[start..];
    let before = out.objects.len();
    let first = body.trim_start().chars().next();
    let is_json = json.unwrap_or(false) || matches!(first, Some('{') | Some('['));
    if is_json && first.is_some() {
        json::read_json(name, &text, start, out)?;
    } else {
        read_yaml(name, &text, start, out)?;
    }
    if out.objects.len() == before {
        out.notes.push(format!("{name}: no objects (empty file)"));
    }
    Ok(())
}

/// A syntax error inside `part` (a slice of `text`), placed in the file as a whole-file parse
/// would place it.
fn syntax_error_in(
    name: &str,
    text: &str,
    document: usize,
    part: &str,
    e: &serde_json::Error,
) -> ManifestError {
    let offset = part.as_ptr() as usize - text.as_ptr() as usize;
    let line = line_of_offset(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = if e.line() <= 1 {
        offset - line_start + e.column()
    } else {
        e.column()
    };
    ManifestError::Syntax {
        path: name.into(),
        document,
        line: line + e.line().max(1) - 1,
        column: format!(", column {column}"),
        message: strip_json_location(&e.to_string()),
    }
}

/// Parses one raw item of a top-level document's `items` array, its errors placed in the file.
fn parse_item(
    name: &str,
    text: &str,
    document: usize,
    whole: &str,
) -> Result<Value, ManifestError> {
    serde_json::from_str::<StrictValue>(whole)
        .map(|StrictValue(v)| v)
        .map_err(|e| syntax_error_in(name, text, document, whole, &e))
}

/// Reads the items of a top-level `List`/`*List` document whose `items` is an array, as
/// [`push_value`] reads a List: item N is `SOURCE item N`, a typed list gives its items its
/// kind and apiVersion, a list in a list is an error. Items are read on every core; the kinds
/// RBAC reads most are decoded without a value tree. The items come in runs, each of raw
/// items in one text (a JSON file is one run).
fn read_list(
    name: &str,
    document: usize,
    list: &Value,
    runs: &[(&Arc<String>, Vec<&str>)],
    origin: Origin,
    out: &mut ManifestRead,
) -> Result<(), ManifestError> {
    let item_kind = list_item_kind(list.get("kind").and_then(Value::as_str).unwrap_or(""));
    let api_version = list.get("apiVersion").and_then(Value::as_str);
    let context = json_list::ListContext {
        item_kind,
        api_version,
    };
    // Only a plain List's items are kept as text: a typed list's would need its kind added.
    let keep_text = out.keep_text && item_kind.is_none();
    out.objects
        .reserve(runs.iter().map(|(_, raws)| raws.len()).sum());
    let mut first = 0;
    for (whole, raws) in runs {
        let text = whole.as_str();
        let origin_of = |i: usize| item_origin(&origin, first + i);
        let read = json_list::read_items(whole, raws, context, origin_of, |r| {
            if keep_text {
                if let Some(item) = json_list::kept_as_text(whole, r) {
                    return Ok(SourceItem::Raw(Box::new(item)));
                }
            }
            parse_item(name, text, document, r).map(SourceItem::Value)
        })?;
        first += raws.len();
        for (item, o) in read.into_iter().flatten() {
            match item {
                SourceItem::Value(mut item) => {
                    from_typed_list(&mut item, item_kind, api_version);
                    push_item(item, o, out)?;
                }
                decoded => out.objects.push((decoded, o)),
            }
        }
    }
    Ok(())
}

/// The kind a typed list (`RoleList`) gives its items; `None` for `List`.
fn list_item_kind(list_kind: &str) -> Option<&str> {
    list_kind.strip_suffix("List").filter(|k| !k.is_empty())
}

/// Item `i` (0-based) of the list read at `origin`: `SOURCE item N`.
fn item_origin(origin: &Origin, i: usize) -> Origin {
    Origin {
        source: format!("{} item {}", origin.source, i + 1),
        ..origin.clone()
    }
}

/// `kubectl get roles -o json` items of a typed list carry no kind/apiVersion: the list's.
fn from_typed_list(item: &mut Value, item_kind: Option<&str>, api_version: Option<&str>) {
    if let (Some(k), Value::Object(obj)) = (item_kind, item) {
        obj.entry("kind")
            .or_insert_with(|| Value::String(k.to_string()));
        if let Some(av) = api_version {
            obj.entry("apiVersion")
                .or_insert_with(|| Value::String(av.to_string()));
        }
    }
}

/// A JSON value whose mappings may not repeat a key: the rule YAML input follows too
/// ("duplicate mapping key"), where plain JSON decoding would silently keep the last.
struct StrictValue(Value);

impl<'de> serde::Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(StrictValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // One lookup per key: the entry both checks for a duplicate and inserts.
            match out.entry(key) {
                serde_json::map::Entry::Occupied(e) => {
                    return Err(serde::de::Error::custom(format!(
                        "duplicate mapping key: {}",
                        e.key()
                    )));
                }
                serde_json::map::Entry::Vacant(e) => {
                    let StrictValue(v) = map.next_value()?;
                    e.insert(v);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn strip_json_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Adds one top-level document, reading a snapshot header when there is one.
fn push_document(
    value: Value,
    origin: Origin,
    out: &mut ManifestRead,
) -> Result<(), ManifestError> {
    note_document(&value, &origin, out)?;
    push_value(value, origin, out)
}

/// Counts a top-level document and keeps its snapshot header, if it has one.
fn note_document(
    value: &Value,
    origin: &Origin,
    out: &mut ManifestRead,
) -> Result<(), ManifestError> {
    out.documents += 1;
    if let Some(header) = value.get(crate::source::snapshot::HEADER_KEY) {
        let header =
            serde_json::from_value(header.clone()).map_err(|e| ManifestError::NotAnObject {
                origin: origin.clone(),
                message: format!(
                    "field {}: not a kubeaudit snapshot header: {e}",
                    crate::source::snapshot::HEADER_KEY
                ),
            })?;
        out.snapshots.push(header);
    }
    Ok(())
}

/// Adds one item of a list: an object (a `List` too), never a list in a list.
fn push_item(item: Value, origin: Origin, out: &mut ManifestRead) -> Result<(), ManifestError> {
    if item.is_array() {
        return Err(ManifestError::NotAnObject {
            origin,
            message:
                "expected a Kubernetes object (a mapping with kind), found a list inside a list"
                    .into(),
        });
    }
    push_value(item, origin, out)
}

/// Adds one top-level value: an object, a `List`/`*List` (flattened), or an array of objects.
fn push_value(value: Value, origin: Origin, out: &mut ManifestRead) -> Result<(), ManifestError> {
    match value {
        Value::Object(mut map) => {
            let kind = map
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let is_list = kind == "List"
                || (kind.ends_with("List") && map.get("items").is_some_and(Value::is_array));
            if is_list {
                let item_kind = list_item_kind(&kind).map(str::to_string);
                let api_version = map
                    .get("apiVersion")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let items = match map.remove("items") {
                    Some(Value::Array(items)) => items,
                    None | Some(Value::Null) => Vec::new(),
                    Some(other) => {
                        return Err(ManifestError::NotAnObject {
                            origin,
                            message: format!(
                                "{kind}: field items: expected a list, found {}",
                                crate::model::objects::json_type_name(&other)
                            ),
                        })
                    }
                };
                for (i, mut item) in items.into_iter().enumerate() {
                    from_typed_list(&mut item, item_kind.as_deref(), api_version.as_deref());
                    push_item(item, item_origin(&origin, i), out)?;
                }
                Ok(())
            } else if kind.is_empty() {
                Err(ManifestError::NotAnObject {
                    origin,
                    message: "not a Kubernetes object: field kind is missing (expected e.g. kind: ClusterRole)".into(),
                })
            } else {
                out.objects.push((Value::Object(map).into(), origin));
                Ok(())
            }
        }
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                push_item(item, item_origin(&origin, i), out)?;
            }
            Ok(())
        }
        other => Err(ManifestError::NotAnObject {
            origin,
            message: format!(
                "expected a Kubernetes object (a mapping with kind), found {}",
                crate::model::objects::json_type_name(&other)
            ),
        }),
    }
}

#[cfg(test)]
mod tests;
