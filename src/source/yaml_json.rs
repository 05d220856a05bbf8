//! One YAML document read straight into JSON text: the text of the `serde_json::Value`
//! serde-saphyr would read from it, without building that value (a large `List`'s items
//! then go through the JSON reader, typed where they can be, instead of each becoming a tree).
//!
//! The serde calls are those of `serde_json::Value`'s own `Deserialize`: the first key of a
//! mapping as `deserialize_str`, later keys as `String`, values as `deserialize_any`, numbers
//! and non-finite floats as `Value` keeps them. Whatever `Value` would refuse is refused here
//! too, and a repeated key is refused as well (`Value` would keep the last where the JSON
//! reader refuses it): on any error the caller reads the document the old way, so values and
//! error messages are unchanged.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};

/// Appends the JSON text of the YAML document `yaml` to `out`.
pub fn to_json(
    yaml: &str,
    options: serde_saphyr::Options,
    out: &mut Vec<u8>,
) -> Result<(), serde_saphyr::Error> {
    let mut w = Writer {
        out: std::mem::take(out),
        keys: Vec::new(),
    };
    let result = serde_saphyr::with_deserializer_from_str_with_options(yaml, options, |de| {
        ValueSeed(&mut w).deserialize(de)
    });
    *out = w.out;
    result
}

/// The text written so far, and the keys of the mappings being written (byte ranges of their
/// escaped text in `out`, innermost mapping last), to refuse a repeated key.
struct Writer {
    out: Vec<u8>,
    keys: Vec<(usize, usize)>,
}

impl Writer {
    fn str(&mut self, s: &str) {
        serde_json::to_writer(&mut self.out, s).expect("writing to a vector");
    }
    fn number<T: serde::Serialize>(&mut self, n: T) {
        serde_json::to_writer(&mut self.out, &n).expect("writing to a vector");
    }
    fn key(&mut self, s: &str) {
        let start = self.out.len();
        self.str(s);
        self.keys.push((start, self.out.len()));
    }
    /// Whether two keys of the mapping whose keys start at `from` are the same.
    fn repeats_a_key(&self, from: usize) -> bool {
        crate::source::yaml_block::repeats_a_key(&self.out, &self.keys[from..])
    }
}

/// A value, read as `serde_json::Value` reads one.
struct ValueSeed<'w>(&'w mut Writer);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0
            .out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.number(v);
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.0.number(v);
        Ok(())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        // `Value` keeps what fits a 64-bit integer and refuses the rest.
        if let Ok(v) = i64::try_from(v) {
            self.0.number(v);
        } else if let Ok(v) = u64::try_from(v) {
            self.0.number(v);
        } else {
            return Err(E::custom("JSON number out of range"));
        }
        Ok(())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        match u64::try_from(v) {
            Ok(v) => {
                self.0.number(v);
                Ok(())
            }
            Err(_) => Err(E::custom("JSON number out of range")),
        }
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        // A non-finite float is `null` in `Value`, and serde_json prints it as `null`.
        self.0.number(v);
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.str(v);
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.0.out.extend_from_slice(b"null");
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.out.extend_from_slice(b"null");
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let w = self.0;
        w.out.push(b'[');
        let mut first = true;
        loop {
            let comma = w.out.len();
            if !first {
                w.out.push(b',');
            }
            if seq.next_element_seed(ValueSeed(&mut *w))?.is_none() {
                w.out.truncate(comma);
                break;
            }
            first = false;
        }
        w.out.push(b']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let w = self.0;
        let from = w.keys.len();
        w.out.push(b'{');
        // The first key as `Value` reads it (`deserialize_str`), the rest as `String`s.
        if map
            .next_key_seed(KeySeed {
                w: &mut *w,
                first: true,
            })?
            .is_some()
        {
            w.out.push(b':');
            map.next_value_seed(ValueSeed(&mut *w))?;
            while map
                .next_key_seed(KeySeed {
                    w: &mut *w,
                    first: false,
                })?
                .is_some()
            {
                w.out.push(b':');
                map.next_value_seed(ValueSeed(&mut *w))?;
            }
        }
        w.out.push(b'}');
        if w.repeats_a_key(from) {
            return Err(de::Error::custom("duplicate mapping key"));
        }
        w.keys.truncate(from);
        Ok(())
    }
}

/// A mapping key, read as `Value` reads it: the first with `deserialize_str` (`Value` takes
/// its own raw-value marker there for something else: refused here, so the caller reads such
/// a document the old way), later ones as a `String` is read (`deserialize_string`, UTF-8
/// bytes too), each after a comma.
struct KeySeed<'w> {
    w: &'w mut Writer,
    first: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.first {
            d.deserialize_str(self)
        } else {
            d.deserialize_string(self)
        }
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if self.first {
            if v == "$serde_json::private::RawValue" {
                return Err(E::custom("a key serde_json reserves"));
            }
        } else {
            self.w.out.push(b',');
        }
        self.w.key(v);
        Ok(())
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        match std::str::from_utf8(v) {
            Ok(s) if !self.first => self.visit_str(s),
            _ => Err(E::invalid_value(Unexpected::Bytes(v), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn options() -> serde_saphyr::Options {
        crate::source::manifest::yaml_options()
    }

    /// The value serde-saphyr reads, and the value of the JSON text written here.
    fn both(yaml: &str) -> (Option<Value>, Option<Value>) {
        let direct = serde_saphyr::from_str_with_options::<Value>(yaml, options()).ok();
        let mut out = Vec::new();
        let written = to_json(yaml, options(), &mut out)
            .ok()
            .map(|()| serde_json::from_slice::<Value>(&out).expect("valid JSON"));
        (direct, written)
    }

    #[test]
    fn writes_what_value_reads() {
        for yaml in [
            "a: 1\nb: [1, -2, 3.5, 1e3, 0x1f, 0o17, 18446744073709551615, -0.0]\n",
            "kind: Role\nmetadata: {name: x, labels: {a: 'b', c: \"d\\u00e9\"}}\nrules: []\n",
            "a: ~\nb: null\nc:\nd: true\ne: yes\nf: 'yes'\ng: 2001-12-14\nh: \"\"\n",
            "x: |\n  line one\n  line \"two\"\n  \tt\ny: >-\n  folded\n  text\n",
            "anchors: &a {k: v}\nuse: *a\nmerge:\n  <<: *a\n  other: 1\n",
            "1: one\n2.5: two\ntrue: three\n0x10: four\n",
            "[1, 2, {a: b}]\n",
            "nested: [[], {}, [{}], {a: []}]\n",
            "- just\n- a\n- sequence\n",
            "text\n",
        ] {
            let (direct, written) = both(yaml);
            assert_eq!(direct, written, "{yaml}");
            assert!(direct.is_some(), "{yaml}");
        }
    }

    #[test]
    fn refuses_what_value_refuses_and_repeated_keys() {
        for yaml in [
            "a: .inf\n",
            "a: -.nan\n",
            "a: 1\na: 2\n",
            "a: [1\n",
            "big: 340282366920938463463374607431768211455\n",
        ] {
            let mut out = Vec::new();
            let written = to_json(yaml, options(), &mut out);
            let direct = serde_saphyr::from_str_with_options::<Value>(yaml, options());
            assert!(
                written.is_err() || direct.is_ok(),
                "{yaml}: written though Value refuses it"
            );
        }
        let mut out = Vec::new();
        assert!(to_json("a: 1\nb: {c: 1, c: 2}\n", options(), &mut out).is_err());
        // More keys than the short scan looks at.
        let many: String = (0..40).map(|i| format!("k{i}: 1\n")).collect();
        assert!(to_json(&format!("{many}k7: 2\n"), options(), &mut out).is_err());
        out.clear();
        to_json(&many, options(), &mut out).unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&out)
                .unwrap()
                .as_object()
                .unwrap()
                .len(),
            40
        );
    }
}
