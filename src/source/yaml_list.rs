//! The `items` of a large YAML `List` document (`kubectl get … -o yaml`), cut into one text
//! per item so that the items are parsed on every core instead of as one document on one.
//!
//! Only the plainest shape is cut: a top-level `items:` key at column 0 followed by a block
//! sequence whose entries start with `- ` at one indentation, every other line of an entry
//! indented past it. Anything else (a flow sequence, a directive, a tab after the dash, a
//! comment left of the entries' text, a line the cut cannot place) is not cut, and the caller parses the document whole. The caller also
//! parses it whole when any part fails to parse (an alias to an anchor of another item, a
//! syntax error), so values and error messages are those of the whole document.

/// A document cut into its `items` entries: `header` is the document with `items: []` in
/// place of the sequence; `items` are the entries' byte ranges in the document, each read as
/// a document of its own once dedented ([`CutList::lines`], [`CutList::text`]).
#[derive(Debug, PartialEq)]
pub struct CutList {
    /// The document without its items (`items: []`).
    pub header: String,
    /// Each entry's lines, as a byte range of the document.
    pub items: Vec<(usize, usize)>,
    /// The entries' indentation (the column of their dashes).
    ind: usize,
}

impl CutList {
    /// Entry `i`'s lines, dedented to a document of its own, each without its line break:
    /// the first is the text after `- `, the others lose the entry's indentation (a blank
    /// line indented less is empty). No text is copied.
    pub fn lines<'a>(&self, doc: &'a str, i: usize) -> impl Iterator<Item = &'a str> + 'a {
        let (start, end) = self.items[i];
        let ind = self.ind;
        doc[start..end]
            .split_inclusive('\n')
            .enumerate()
            .map(move |(n, line)| {
                let line = line.strip_suffix('\n').unwrap_or(line);
                if n == 0 {
                    let rest = &line[ind + 1..];
                    rest.strip_prefix(' ').unwrap_or(rest)
                } else if indentation(line).0 >= ind + 2 {
                    &line[ind + 2..]
                } else {
                    ""
                }
            })
    }

    /// Entry `i` as a document of its own: its [`lines`](Self::lines), each ended by a line
    /// break, except a last line that had none (the end of the file).
    pub fn text(&self, doc: &str, i: usize) -> String {
        let (start, end) = self.items[i];
        let mut text = String::with_capacity(end - start);
        for (n, (line, raw)) in self
            .lines(doc, i)
            .zip(doc[start..end].split_inclusive('\n'))
            .enumerate()
        {
            text.push_str(line);
            let blank = n > 0 && indentation(raw).0 < self.ind + 2;
            if n == 0 || blank || raw.ends_with('\n') {
                text.push('\n');
            }
        }
        text
    }

    /// Whether entry `i`'s last line ends with a line break (only the file's last line may
    /// not).
    pub fn ends_with_line_break(&self, doc: &str, i: usize) -> bool {
        let (start, end) = self.items[i];
        doc[start..end].ends_with('\n')
    }
}

/// The indentation of a line (spaces only) and whether it is blank (whitespace only).
fn indentation(line: &str) -> (usize, bool) {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    (spaces, line[spaces..].trim().is_empty())
}

/// The entry start at indentation `ind` (`- …` or a lone `-`): the text after the dash.
fn entry_start(line: &str, ind: usize) -> Option<&str> {
    let rest = line.get(ind..)?.strip_prefix('-')?;
    let (spaces, _) = indentation(line);
    if spaces != ind {
        return None;
    }
    if rest.starts_with(' ') || rest.trim_end_matches(['\n', '\r']).is_empty() {
        Some(rest)
    } else {
        None
    }
}

/// Cuts `doc` (one YAML document) into its header and items, or `None` when it does not
/// have the plain shape described above (or has fewer than `min_items` items).
pub fn cut(doc: &str, min_items: usize) -> Option<CutList> {
    // Lines with their byte offsets, without collecting them (a large list has millions).
    let lines_from = |from: usize| {
        doc[from..].split_inclusive('\n').scan(from, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
    };
    // Directives and tabs of indentation: not cut. Exactly one `items:` key at column 0.
    let is_items_key = |l: &str| {
        l.strip_prefix("items:").is_some_and(|rest| {
            let rest = rest.trim();
            rest.is_empty() || rest.starts_with('#')
        })
    };
    let mut key: Option<(usize, usize)> = None; // (start, end) of the `items:` line
    for (start, line) in lines_from(0) {
        if line.starts_with('%') || line.starts_with('\t') {
            return None;
        }
        if is_items_key(line) {
            if key.is_some() {
                return None;
            }
            key = Some((start, start + line.len()));
        }
    }
    let (key_start, key_end) = key?;
    // The first line with content after `items:` starts the first entry.
    let mut ind = None;
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut end = doc.len(); // where the lines after the sequence start
    let mut skipped_lines = 0; // lines between `items:` and `end`
    for (start, line) in lines_from(key_end) {
        let (spaces, blank) = indentation(line);
        let Some(ind) = ind else {
            if !blank {
                entry_start(line, spaces)?;
                ind = Some(spaces);
                items.push((start, start + line.len()));
            }
            skipped_lines += 1;
            continue;
        };
        if spaces >= ind + 2 {
            // Inside the entry, whatever it is (a `#` line may be a block scalar's text).
            items.last_mut()?.1 = start + line.len();
        } else if entry_start(line, ind).is_some() {
            items.push((start, start + line.len()));
        } else if blank {
            items.last_mut()?.1 = start + line.len();
        } else if spaces <= ind && !line[spaces..].starts_with(['-', '#']) {
            // A key of the enclosing mapping: the sequence is over.
            end = start;
            break;
        } else {
            // A comment left of the entries' text may be inside a quoted scalar for all this
            // can tell; anything else it cannot place either.
            return None;
        }
        skipped_lines += 1;
    }
    let ind = ind?;
    if items.len() < min_items {
        return None;
    }
    // The lines a blank or comment run between the last entry and the next key belong to: the
    // header (they are blank either way).
    let mut header = String::with_capacity(key_start + doc.len() - end + skipped_lines + 10);
    header.push_str(&doc[..key_start]);
    header.push_str("items: []\n");
    for _ in 0..skipped_lines {
        header.push('\n');
    }
    header.push_str(&doc[end..]);
    Some(CutList { header, items, ind })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(c: &CutList, doc: &str) -> Vec<String> {
        (0..c.items.len()).map(|i| c.text(doc, i)).collect()
    }

    #[test]
    fn cuts_a_kubectl_list() {
        let doc = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n\n  # a comment\n- kind: ServiceAccount\n  metadata: {name: b,\n    namespace: a}\n-\n  kind: Namespace\nmetadata:\n  resourceVersion: \"\"\n";
        let c = cut(doc, 1).unwrap();
        assert_eq!(
            texts(&c, doc),
            vec![
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n\n# a comment\n",
                "kind: ServiceAccount\nmetadata: {name: b,\n  namespace: a}\n",
                "\nkind: Namespace\n",
            ]
        );
        assert_eq!(
            c.header,
            "apiVersion: v1\nkind: List\nitems: []\n\n\n\n\n\n\n\n\n\n\n\nmetadata:\n  resourceVersion: \"\"\n"
        );
    }

    #[test]
    fn indented_sequences_and_extra_spaces_after_the_dash() {
        let doc = "kind: List\nitems:\n  -   kind: Namespace\n      metadata: {name: a}\n  - kind: Namespace\n";
        let c = cut(doc, 1).unwrap();
        assert_eq!(
            texts(&c, doc),
            vec![
                "  kind: Namespace\n  metadata: {name: a}\n",
                "kind: Namespace\n"
            ]
        );
    }

    #[test]
    fn other_shapes_are_not_cut() {
        for doc in [
            "kind: List\nitems: []\n",
            "kind: List\nitems: [{kind: Namespace}]\n",
            "kind: List\nitems:\n-\tkind: Namespace\n",
            "%YAML 1.2\n---\nkind: List\nitems:\n- kind: Namespace\n",
            "kind: List\nitems:\n- kind: Namespace\n items: 1\n",
            "kind: List\nitems:\n- a\nitems:\n- b\n",
            "kind: List\nspec:\n  items:\n  - a\n",
            "- kind: Namespace\n",
            "kind: List\nitems:\n- a\n# between entries\n- b\n",
        ] {
            assert_eq!(cut(doc, 1), None, "{doc}");
        }
        assert_eq!(cut("kind: List\nitems:\n- a\n", 2), None);
    }
}
