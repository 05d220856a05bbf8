//! The plain block YAML that `kubectl get -o yaml` prints, read straight into JSON text at the
//! speed of a line scan: block mappings and sequences (indentless ones too), plain scalars on
//! one line, quoted scalars on one line, literal block scalars, `[]` and `{}`.
//!
//! This is a fast path, not a YAML parser: anything outside that shape — a tab, a comment, a
//! character outside printable ASCII, an anchor, alias or tag, a flow collection with
//! content, a folded or multi-line scalar, a quoted or unusual key, a plain scalar that could
//! be a float, a repeated key — makes it give up (`None`), and the caller reads the text with
//! serde-saphyr. Where it answers, the JSON is that of the `serde_json::Value` serde-saphyr
//! reads (YAML 1.2 core schema, strict booleans); the tests compare the two.

/// The JSON text of the YAML document made of `lines` (each without its line break; the last
/// one had a line break too), appended to `out`; `None` (and `out` as it was) when the text is
/// not in the shape read here.
pub fn to_json<'a>(lines: impl Iterator<Item = &'a str>, out: &mut Vec<u8>) -> Option<()> {
    let lines: Vec<&str> = lines.collect();
    if !lines
        .iter()
        .all(|l| l.bytes().all(|b| (b' '..=b'~').contains(&b)))
    {
        return None;
    }
    let at = out.len();
    let mut r = Reader {
        lines: &lines,
        i: 0,
        rest: None,
        out: std::mem::take(out),
        keys: Vec::new(),
        depth: 0,
    };
    let ok = r.document();
    *out = r.out;
    if ok.is_none() {
        out.truncate(at);
    }
    ok
}

struct Reader<'a, 'l> {
    lines: &'l [&'a str],
    /// The current line.
    i: usize,
    /// What is left of the current line after `- ` when an entry's mapping starts on it
    /// (its column, its text).
    rest: Option<(usize, &'a str)>,
    out: Vec<u8>,
    /// The keys of the mappings being written (byte ranges of their JSON text in `out`).
    keys: Vec<(usize, usize)>,
    /// Collections open: deeper than [`MAX_DEPTH`] is left to the parser (which refuses
    /// deeper than its own bound), so hostile nesting cannot exhaust the stack here.
    depth: usize,
}

/// The deepest nesting read here (Kubernetes objects nest a dozen levels or so).
const MAX_DEPTH: usize = 100;

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_dash(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// A plain key's text and what follows its `:` (leading spaces dropped), for keys of the
/// characters Kubernetes names use that begin with a letter and cannot resolve to anything
/// but a string.
fn key_split(text: &str) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'/')))?;
    let (key, after) = text.split_at(len);
    let after = after.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    // Words some YAML reads as booleans or null: left to the parser.
    let word = |w: &str| key.eq_ignore_ascii_case(w);
    if key.len() <= 5
        && ["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
            .into_iter()
            .any(word)
    {
        return None;
    }
    Some((key, after.trim_start_matches(' ')))
}

impl<'a> Reader<'a, '_> {
    /// The current line's column and text (after its indentation).
    fn peek(&self) -> Option<(usize, &'a str)> {
        if let Some(rest) = self.rest {
            return Some(rest);
        }
        let line = *self.lines.get(self.i)?;
        let n = indent(line);
        Some((n, &line[n..]))
    }

    fn advance(&mut self) {
        self.rest = None;
        self.i += 1;
    }

    fn skip_blank(&mut self) {
        if self.rest.is_none() {
            while self.lines.get(self.i).is_some_and(|l| indent(l) == l.len()) {
                self.i += 1;
            }
        }
    }

    /// The column of the next line with content (`None` at the end), without moving.
    fn next_column(&self) -> Option<usize> {
        self.lines[self.i..]
            .iter()
            .find(|l| indent(l) < l.len())
            .map(|l| indent(l))
    }

    fn document(&mut self) -> Option<()> {
        self.skip_blank();
        let (col, text) = self.peek()?;
        if col != 0 || key_split(text).is_none() {
            return None;
        }
        self.mapping(0)?;
        self.skip_blank();
        (self.i == self.lines.len()).then_some(())
    }

    /// A block collection whose first line is the current one, at column `col`.
    fn block(&mut self, col: usize) -> Option<()> {
        let (_, text) = self.peek()?;
        if is_dash(text) {
            self.sequence(col)
        } else if key_split(text).is_some() {
            self.mapping(col)
        } else {
            None
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn mapping(&mut self, m: usize) -> Option<()> {
        self.enter()?;
        self.out.push(b'{');
        let from = self.keys.len();
        let mut first = true;
        loop {
            self.skip_blank();
            let Some((col, text)) = self.peek() else {
                break;
            };
            if col < m {
                break;
            }
            if col > m || is_dash(text) {
                return None;
            }
            let (key, after) = key_split(text)?;
            if !first {
                self.out.push(b',');
            }
            first = false;
            let start = self.out.len();
            self.string(key);
            self.keys.push((start, self.out.len()));
            self.out.push(b':');
            if after.is_empty() {
                self.advance();
                self.skip_blank();
                match self.peek() {
                    Some((col, _)) if col > m => self.block(col)?,
                    Some((col, text)) if col == m && is_dash(text) => self.sequence(m)?,
                    _ => self.out.extend_from_slice(b"null"),
                }
            } else {
                self.inline(m, after, true)?;
            }
        }
        self.out.push(b'}');
        if repeats_a_key(&self.out, &self.keys[from..]) {
            return None;
        }
        self.keys.truncate(from);
        self.depth -= 1;
        Some(())
    }

    fn sequence(&mut self, s: usize) -> Option<()> {
        self.enter()?;
        self.out.push(b'[');
        let mut first = true;
        loop {
            self.skip_blank();
            let Some((col, text)) = self.peek() else {
                break;
            };
            if col != s || !is_dash(text) {
                // A key of the mapping an indentless sequence is the value of, or the end.
                if col > s {
                    return None;
                }
                break;
            }
            let after = text.strip_prefix("- ")?;
            let spaces = indent(after);
            let entry = &after[spaces..];
            if entry.is_empty() || is_dash(entry) {
                return None;
            }
            if !first {
                self.out.push(b',');
            }
            first = false;
            if key_split(entry).is_some() {
                let c = col + 2 + spaces;
                self.rest = Some((c, entry));
                self.mapping(c)?;
            } else {
                self.inline(s, entry, false)?;
            }
        }
        self.out.push(b']');
        self.depth -= 1;
        Some(())
    }

    /// A value on the current line after `key: ` or `- ` (`text`), in a collection at column
    /// `m`; moves past it.
    fn inline(&mut self, m: usize, text: &'a str, in_mapping: bool) -> Option<()> {
        match text {
            "[]" | "{}" => self.out.extend_from_slice(text.as_bytes()),
            "|" | "|-" if in_mapping => return self.literal(m, text == "|"),
            _ => match text.as_bytes()[0] {
                b'"' => {
                    let s = double_quoted(text)?;
                    self.string(&s);
                }
                b'\'' => {
                    let s = single_quoted(text)?;
                    self.string(&s);
                }
                _ => self.plain(text)?,
            },
        }
        self.advance();
        // A more indented line next would continue the scalar.
        match self.next_column() {
            Some(col) if col > m => None,
            _ => Some(()),
        }
    }

    /// A plain scalar on one line, resolved as serde-saphyr resolves it for a
    /// `serde_json::Value`: null, a boolean, a decimal integer, or a string.
    fn plain(&mut self, text: &str) -> Option<()> {
        if text.contains(" #") || text.contains(": ") || text.ends_with(':') {
            return None;
        }
        let text = text.trim_end_matches(' ');
        let first = *text.as_bytes().first()?;
        match text {
            "null" | "Null" | "NULL" | "~" => self.out.extend_from_slice(b"null"),
            "true" | "True" | "TRUE" => self.out.extend_from_slice(b"true"),
            "false" | "False" | "FALSE" => self.out.extend_from_slice(b"false"),
            _ if first.is_ascii_alphabetic() || matches!(first, b'/' | b'_' | b'$') => {
                self.string(text)
            }
            // `-c`, `--flag`: not a number (a float needs a digit or `.` after the sign).
            _ if first == b'-'
                && text.as_bytes()[1..]
                    .first()
                    .is_some_and(|&b| b == b'-' || b.is_ascii_alphabetic()) =>
            {
                self.string(text)
            }
            _ if is_decimal_integer(text) => self.out.extend_from_slice(text.as_bytes()),
            _ => return None,
        }
        Some(())
    }

    /// A literal block scalar (`|` keeps one final line break, `|-` none) of a key at column
    /// `m`, the current line its header.
    fn literal(&mut self, m: usize, clip: bool) -> Option<()> {
        self.advance();
        let lines = &self.lines[self.i..];
        let first = lines.iter().position(|l| indent(l) < l.len())?;
        let k = indent(lines[first]);
        if k <= m {
            return None;
        }
        let mut text = String::new();
        let mut taken = 0;
        let mut trailing_blanks = 0;
        for line in lines {
            let n = indent(line);
            if n == line.len() {
                // An empty line (one indented past the text would hold spaces of it).
                if n > k {
                    return None;
                }
                trailing_blanks += 1;
            } else if n >= k {
                for _ in 0..trailing_blanks {
                    text.push('\n');
                }
                trailing_blanks = 0;
                text.push_str(&line[k..]);
                text.push('\n');
            } else if n > m {
                return None;
            } else {
                break;
            }
            taken += 1;
        }
        if !clip {
            text.pop();
        }
        self.i += taken;
        self.string(&text);
        Some(())
    }

    fn string(&mut self, s: &str) {
        serde_json::to_writer(&mut self.out, s).expect("writing to a vector");
    }
}

/// `-?[1-9][0-9]*` or `0`, short enough for a 64-bit integer: what both YAML and JSON read as
/// the same integer.
fn is_decimal_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let b = digits.as_bytes();
    !b.is_empty()
        && b.len() <= 18
        && b.iter().all(u8::is_ascii_digit)
        && (b[0] != b'0' || (b.len() == 1 && digits.len() == text.len()))
}

/// A double-quoted scalar that ends on its line, followed by nothing but spaces; the common
/// escapes only.
fn double_quoted(text: &str) -> Option<String> {
    let mut s = String::new();
    let mut chars = text[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                return text[1 + i + 1..].bytes().all(|b| b == b' ').then_some(s);
            }
            '\\' => match chars.next()?.1 {
                '\\' => s.push('\\'),
                '"' => s.push('"'),
                '/' => s.push('/'),
                'n' => s.push('\n'),
                't' => s.push('\t'),
                'r' => s.push('\r'),
                'u' => {
                    let hex: String = (0..4)
                        .map(|_| chars.next().map(|(_, h)| h))
                        .collect::<Option<_>>()?;
                    let code = u32::from_str_radix(&hex, 16).ok()?;
                    // Surrogates and control characters: left to the YAML parser.
                    if code < 0x20 || (0xd800..0xe000).contains(&code) {
                        return None;
                    }
                    s.push(char::from_u32(code)?);
                }
                _ => return None,
            },
            c => s.push(c),
        }
    }
    None
}

/// A single-quoted scalar that ends on its line (`''` is a quote), followed by nothing but
/// spaces.
fn single_quoted(text: &str) -> Option<String> {
    let mut s = String::new();
    let body = &text[1..];
    let mut i = 0;
    let b = body.as_bytes();
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                s.push('\'');
                i += 2;
                continue;
            }
            return body[i + 1..].bytes().all(|c| c == b' ').then_some(s);
        }
        let c = body[i..].chars().next()?;
        s.push(c);
        i += c.len_utf8();
    }
    None
}

/// Whether two of a mapping's keys (JSON text ranges in `out`) are the same (escaping is
/// deterministic, so equal texts are equal keys).
pub(crate) fn repeats_a_key(out: &[u8], keys: &[(usize, usize)]) -> bool {
    let text = |&(s, e): &(usize, usize)| &out[s..e];
    if keys.len() <= 16 {
        return keys
            .iter()
            .enumerate()
            .any(|(i, a)| keys[..i].iter().any(|b| text(a) == text(b)));
    }
    let mut sorted: Vec<&[u8]> = keys.iter().map(text).collect();
    sorted.sort_unstable();
    sorted.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// What this reads (`None`: gave up) and what serde-saphyr reads.
    fn both(yaml: &str) -> (Option<Value>, Result<Value, String>) {
        let mut out = Vec::new();
        let fast = to_json(yaml.lines(), &mut out)
            .map(|()| serde_json::from_slice::<Value>(&out).expect("valid JSON"));
        let slow = serde_saphyr::from_str_with_options::<Value>(
            yaml,
            crate::source::manifest::yaml_options(),
        )
        .map_err(|e| e.to_string());
        (fast, slow)
    }

    fn agrees(yaml: &str) -> bool {
        match both(yaml) {
            (Some(fast), Ok(slow)) => {
                assert_eq!(fast, slow, "{yaml}");
                true
            }
            (Some(fast), Err(e)) => panic!("{yaml}: read as {fast} where YAML says {e}"),
            (None, _) => false,
        }
    }

    #[test]
    fn reads_kubectl_output_as_serde_saphyr_does() {
        for yaml in [
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns-1\n  labels:\n    app.kubernetes.io/name: web\n    tier: '0'\n  annotations:\n    a/b: \"x \\\"y\\\" \\u00e9\"\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    ports:\n    - containerPort: 8080\n      protocol: TCP\n    command:\n    - /bin/sh\n    - -c\n    args: []\n    env: {}\n  hostNetwork: true\n  priority: -5\n  x: null\n  y: ~\n  z:\n",
            "kind: ClusterRole\nrules:\n- apiGroups:\n  - \"\"\n  resources: [ ]\n  verbs:\n  - get\n  - list\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      tier: '1'\n",
            "kind: ConfigMap\ndata:\n  script: |\n    #!/bin/sh\n      indented\n\n    echo done\n\n  other: |-\n    a\n    b\n  last: x\n",
            "kind: A\nlist:\n  - a\n  - 'it''s'\n  -   b\nnested:\n  deeper:\n    - k: v\n      l: w\n    - k: 2\n",
            "kind: A\nwords: [yes, no]\n",
            "kind: A\nv1: yes\nv2: on\nv3: 0\nv4: 10\nv5: -0\nv6: 007\nv7: 1.5\nv8: .inf\nv9: 1e3\nv10: 0x1F\nv11: True\nv12: FALSE\n",
            "kind: A\nurl: http://x/y?z=1\nweird: a:b\nq: \"\"\nhash: a#b\n",
        ] {
            // Each either agrees or gives up; these plain shapes must be read.
            let _ = agrees(yaml);
        }
        assert!(agrees("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 8080\n"));
        assert!(agrees("kind: ConfigMap\ndata:\n  script: |\n    #!/bin/sh\n      indented\n\n    echo done\n\n  other: |-\n    a\n    b\n  last: x\n"));
        assert!(agrees("kind: A\nlist:\n  - a\n  - 'it''s'\n  -   b\nnested:\n  deeper:\n    - k: v\n      l: w\n    - k: 2\n"));
        assert!(agrees(
            "kind: A\nv1: yes\nv3: 0\nv4: 10\nv11: True\nv12: FALSE\nx: null\nw: ~\nz:\n"
        ));
    }

    #[test]
    fn gives_up_on_what_it_does_not_read() {
        for yaml in [
            "kind: A\nx: 1.5\n",
            "kind: A\nx: 007\n",
            "kind: A\nx: .inf\n",
            "kind: A\nx: -0\n",
            "kind: A\nx: &a b\ny: *a\n",
            "kind: A\nx: !!str 1\n",
            "kind: A\nx: [a, b]\n",
            "kind: A\nx: >\n  folded\n",
            "kind: A\nx: plain\n  continued\n",
            "kind: A\nx: \"two\n  lines\"\n",
            "kind: A\n# comment\nx: 1\n",
            "kind: A\nx: 1 # comment\n",
            "kind: A\n\"quoted\": 1\n",
            "kind: A\ntrue: 1\n",
            "kind: A\nx: 1\nx: 2\n",
            "kind: A\nx:\tb\n",
            "kind: A\nx: caf\u{e9}\n",
            "kind: A\nx: a: b\n",
            "kind: A\nx: |+\n  keep\n\n",
            "kind: A\nx:\n  plain on the next line\n",
            "- a\n- b\n",
            "kind: A\n  y: 1\n",
        ] {
            let mut out = b"kept".to_vec();
            assert_eq!(to_json(yaml.lines(), &mut out), None, "{yaml}");
            assert_eq!(out, b"kept");
        }
    }

    #[test]
    fn deep_nesting_is_left_to_the_parser() {
        let mut deep = String::from("kind: A\n");
        for d in 0..2_000 {
            deep.push_str(&" ".repeat(d));
            deep.push_str("k:\n");
        }
        let mut out = Vec::new();
        assert_eq!(to_json(deep.lines(), &mut out), None);
        let mut shallow = String::from("kind: A\n");
        for d in 0..50 {
            shallow.push_str(&" ".repeat(d));
            shallow.push_str("k:\n");
        }
        assert!(agrees(&shallow));
    }

    #[test]
    fn many_keys_and_a_repeat_among_them() {
        let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(agrees(&many));
        let mut out = Vec::new();
        assert_eq!(to_json(format!("{many}k7: x\n").lines(), &mut out), None);
    }

    /// Every YAML document the repository keeps (examples, fixtures, conformance data): where
    /// this reads one, it reads what serde-saphyr reads, and it reads most of them.
    #[test]
    fn every_document_the_repository_keeps_reads_as_serde_saphyr_reads_it() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("examples"), &mut files);
        walk(&root.join("tests"), &mut files);
        let (mut read, mut documents) = (0, 0);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let mut doc = String::new();
            for line in text.lines().chain(["---"]) {
                if line.starts_with("---") {
                    if !doc.trim().is_empty() {
                        documents += 1;
                        read += usize::from(agrees(&doc));
                    }
                    doc.clear();
                } else {
                    doc.push_str(line);
                    doc.push('\n');
                }
            }
        }
        assert!(documents > 500, "{documents}");
        // Hand-written fixtures use flow sequences and comments, which are left to the parser.
        assert!(read * 3 > documents, "only {read} of {documents} read");
    }

    /// Tricky scalars and keys in every position: read as serde-saphyr reads them, or left
    /// to it.
    #[test]
    fn tricky_scalars_in_every_position() {
        let scalars = [
            "0",
            "1",
            "-1",
            "01",
            "-01",
            "+1",
            "1.0",
            "1e3",
            "0x1f",
            "0o7",
            "1_000",
            ".5",
            "-.5",
            ".inf",
            "-.inf",
            ".nan",
            "123456789012345678",
            "1234567890123456789",
            "99999999999999999999",
            "true",
            "True",
            "tRue",
            "TRUE",
            "false",
            "yes",
            "No",
            "on",
            "y",
            "n",
            "~",
            "null",
            "Null",
            "nULL",
            "NULL",
            "",
            "-",
            "--",
            "-c",
            "--x=1",
            "-1a",
            "-.",
            "-e",
            "a",
            "a b",
            "a: b",
            "a:b",
            "a #b",
            "a#b",
            "a:",
            "http://x",
            "$x",
            "/p",
            "_u",
            "'q'",
            "'it''s'",
            "''",
            "\"\"",
            "\"a\\\"b\"",
            "\"\\n\\t\\u00e9\"",
            "\"\\x41\"",
            "\"\\ud800\"",
            "\"\\u0001\"",
            "[]",
            "{}",
            "[ ]",
            "[a]",
            "{a: b}",
            "|",
            "|-",
            "|+",
            ">",
            "&a x",
            "*a",
            "!!str 1",
            "!x y",
            "@x",
            "`x`",
            "%x",
            "? x",
            "Infinity",
            "NaN",
            "inf",
            "e3",
            "2001-12-14",
            "12:30",
            "1.2.3",
            "v1",
            "0.0.0.0/0",
        ];
        let keys = [
            "k",
            "true",
            "y",
            "on",
            "null",
            "1",
            "a.b/c-d_e",
            "\"q\"",
            "_k",
            "K",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut read, mut tried) = (0, 0);
        for _ in 0..3000 {
            let s = scalars[next(scalars.len())];
            let t = scalars[next(scalars.len())];
            let k = keys[next(keys.len())];
            let gap = if s.is_empty() { "" } else { " " };
            let yaml = match next(7) {
                0 => format!("kind: A\n{k}:{gap}{s}\nnext: {t}\n"),
                1 => format!("kind: A\nlist:\n- {s}\n- {t}\nafter: 1\n"),
                2 => format!("kind: A\nlist:\n  - {k}:{gap}{s}\n    other: {t}\n  - x\n"),
                3 => format!("kind: A\nm:\n  {k}:{gap}{s}\n  z:\n  - {t}\n"),
                4 => format!("kind: A\nb: |\n  {s}\n   {t}\n\nc: {t}\n"),
                5 => format!("kind: A\nb: |-\n    {s}\n\n    {t}\n  \n"),
                _ => format!("kind: A\nx:\n{s}\ny: {t}\n"),
            };
            tried += 1;
            read += usize::from(agrees(&yaml));
        }
        assert!(read * 4 > tried, "only {read} of {tried} read");
    }
}
