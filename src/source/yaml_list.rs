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
/// place of the sequence; `items` are the entries, each dedented to a document of its own,
/// with the (1-based) line of the document each starts on.
#[derive(Debug, PartialEq)]
pub struct CutList {
    /// The document without its items (`items: []`).
    pub header: String,
    /// Each entry as a document of its own.
    pub items: Vec<String>,
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
    let lines: Vec<&str> = doc.split_inclusive('\n').collect();
    // Directives and tabs of indentation: not cut.
    if lines
        .iter()
        .any(|l| l.starts_with('%') || l.starts_with('\t'))
    {
        return None;
    }
    let is_items_key = |l: &str| {
        l.strip_prefix("items:").is_some_and(|rest| {
            let rest = rest.trim();
            rest.is_empty() || rest.starts_with('#')
        })
    };
    let mut keys = lines.iter().enumerate().filter(|(_, l)| is_items_key(l));
    let (key, _) = keys.next()?;
    if keys.next().is_some() {
        return None;
    }
    // The first line with content after `items:` starts the first entry.
    let first = (key + 1..lines.len()).find(|&i| !indentation(lines[i]).1)?;
    let ind = indentation(lines[first]).0;
    entry_start(lines[first], ind)?;
    let mut items: Vec<String> = Vec::new();
    let mut end = lines.len();
    let mut i = first;
    while i < lines.len() {
        let line = lines[i];
        let (spaces, blank) = indentation(line);
        if spaces >= ind + 2 {
            // Inside the entry, whatever it is (a `#` line may be a block scalar's text).
            items.last_mut()?.push_str(&line[ind + 2..]);
        } else if let Some(rest) = entry_start(line, ind) {
            // `- key: value` → `key: value` (the text after `- ` keeps its own spaces, so it
            // stays aligned with the entry's next lines once `ind + 2` columns are dropped).
            let mut item = String::new();
            item.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            if !item.ends_with('\n') {
                item.push('\n');
            }
            items.push(item);
        } else if blank {
            items.last_mut()?.push('\n');
        } else if spaces <= ind && !line[spaces..].starts_with(['-', '#']) {
            // A key of the enclosing mapping: the sequence is over.
            end = i;
            break;
        } else {
            // A comment left of the entries' text may be inside a quoted scalar for all this
            // can tell; anything else it cannot place either.
            return None;
        }
        i += 1;
    }
    if items.len() < min_items {
        return None;
    }
    // The lines a blank or comment run between the last entry and the next key belong to: the
    // header (they are blank either way).
    let mut header = String::new();
    for l in &lines[..key] {
        header.push_str(l);
    }
    header.push_str("items: []\n");
    for _ in key + 1..end {
        header.push('\n');
    }
    for l in &lines[end..] {
        header.push_str(l);
    }
    Some(CutList { header, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_a_kubectl_list() {
        let doc = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n\n  # a comment\n- kind: ServiceAccount\n  metadata: {name: b,\n    namespace: a}\n-\n  kind: Namespace\nmetadata:\n  resourceVersion: \"\"\n";
        let c = cut(doc, 1).unwrap();
        assert_eq!(
            c.items,
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
            c.items,
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
