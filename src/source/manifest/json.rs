//! JSON files: a stream of documents, a List's items split as text and read on every core
//! (by a quick split of the file when it is one List, else as serde_json reads it).

use super::*;

/// Reads the JSON text `whole[start..]`: one or more documents, each placed by its line.
pub(super) fn read_json(
    name: &str,
    whole: &Arc<String>,
    start: usize,
    out: &mut ManifestRead,
) -> Result<(), ManifestError> {
    let text = &whole[start..];
    if read_one_list(name, whole, text, out).is_some() {
        return Ok(());
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<JsonDoc>();
    let mut document = 0;
    // Lines are counted from the previous document on, not from the start: a stream of many
    // small documents stays linear.
    let (mut counted_to, mut line_at) = (0usize, 1usize);
    loop {
        let offset = stream.byte_offset();
        match stream.next() {
            None => break,
            Some(Ok(JsonDoc { mut value, items })) => {
                document += 1;
                let start = (offset + leading_ws(&text[offset..])).min(text.len());
                line_at += line_of_offset(&text[counted_to..start], start - counted_to) - 1;
                counted_to = start;
                let origin = Origin {
                    source: name.into(),
                    document,
                    line: line_at,
                };
                if let (Some(items), Value::Object(map)) = (items, &mut value) {
                    let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
                    let items = match items {
                        Items::Array(raws) if kind.ends_with("List") => {
                            // Read like `push_value` reads a List, its items typed where they
                            // can be.
                            note_document(&value, &origin, out)?;
                            let raws: Vec<&str> = raws.iter().map(|r| r.get()).collect();
                            read_list(name, document, &value, &[(whole, raws)], origin, out)?;
                            continue;
                        }
                        Items::Array(raws) => Value::Array(
                            raws.iter()
                                .map(|r| parse_item(name, text, document, r.get()))
                                .collect::<Result<_, _>>()?,
                        ),
                        Items::Other(v) => v,
                    };
                    map.insert("items".into(), items);
                }
                push_document(value, origin, out)?;
            }
            Some(Err(e)) => {
                return Err(ManifestError::Syntax {
                    path: name.into(),
                    document: document + 1,
                    line: e.line(),
                    column: format!(", column {}", e.column()),
                    message: strip_json_location(&e.to_string()),
                })
            }
        }
    }
    Ok(())
}

/// A `text` of one List read from its quick split ([`json_split::list_document`]): the same
/// objects as the full parse below reads, without serde_json walking every item on one core
/// first. `None`, with `out` as it was, when the split does not apply or anything fails to
/// read: the full parse then reads it (and words the error).
fn read_one_list(
    name: &str,
    whole: &Arc<String>,
    text: &str,
    out: &mut ManifestRead,
) -> Option<()> {
    let doc = crate::source::json_split::list_document(text)?;
    let mut map = serde_json::Map::new();
    for (key, json) in &doc.fields {
        let StrictValue(value) = serde_json::from_str(json).ok()?;
        map.insert((*key).to_string(), value);
    }
    if !map
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|kind| kind.ends_with("List"))
    {
        return None;
    }
    let value = Value::Object(map);
    let origin = Origin {
        source: name.into(),
        document: 1,
        line: line_of_offset(text, doc.start),
    };
    let before = (
        out.objects.len(),
        out.notes.len(),
        out.snapshots.len(),
        out.documents,
    );
    let read = note_document(&value, &origin, out)
        .and_then(|()| read_list(name, 1, &value, &[(whole, doc.items)], origin, out));
    if read.is_err() {
        out.objects.truncate(before.0);
        out.notes.truncate(before.1);
        out.snapshots.truncate(before.2);
        out.documents = before.3;
        return None;
    }
    Some(())
}

/// The scalar `visit_*` methods of a visitor that reads scalars as [`StrictVisitor`] does,
/// each value wrapped by `$wrap`.
macro_rules! strict_scalars {
    ($wrap:expr) => {
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
            StrictVisitor.visit_bool(v).map($wrap)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            StrictVisitor.visit_i64(v).map($wrap)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            StrictVisitor.visit_u64(v).map($wrap)
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            StrictVisitor.visit_f64(v).map($wrap)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            StrictVisitor.visit_str(v).map($wrap)
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            StrictVisitor.visit_string(v).map($wrap)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            StrictVisitor.visit_unit().map($wrap)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            StrictVisitor.visit_none().map($wrap)
        }
    };
}

/// A top-level JSON document, its `items` (when it is a mapping that has them) kept as raw
/// text: a List of thousands of objects is then parsed on every core.
struct JsonDoc<'a> {
    value: Value,
    items: Option<Items<'a>>,
}

/// The `items` of a top-level mapping: an array split into its elements' raw text in the
/// same pass that reads the document (the file is scanned once), or any other value.
enum Items<'a> {
    Array(Vec<&'a serde_json::value::RawValue>),
    Other(Value),
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Items<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ItemsVisitor(std::marker::PhantomData))
    }
}

struct ItemsVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for ItemsVisitor<'a> {
    type Value = Items<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    strict_scalars!(Items::Other);
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut raws = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(raw) = seq.next_element::<&'de serde_json::value::RawValue>()? {
            raws.push(raw);
        }
        Ok(Items::Array(raws))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        StrictVisitor.visit_map(map).map(Items::Other)
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for JsonDoc<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DocVisitor(std::marker::PhantomData))
    }
}

struct DocVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for DocVisitor<'a> {
    type Value = JsonDoc<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    strict_scalars!(JsonDoc::whole);
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        StrictVisitor.visit_seq(seq).map(JsonDoc::whole)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut items = None;
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) || (key == "items" && items.is_some()) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate mapping key: {key}"
                )));
            }
            if key == "items" {
                items = Some(map.next_value::<Items<'de>>()?);
                continue;
            }
            let StrictValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(JsonDoc {
            value: Value::Object(out),
            items,
        })
    }
}

impl JsonDoc<'_> {
    fn whole(value: Value) -> Self {
        JsonDoc { value, items: None }
    }
}
