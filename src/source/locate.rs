//! Finds the line of a field inside a manifest document (`rules[2]`, `subjects[0]`,
//! `spec.template.spec.containers[1].securityContext.privileged`), so that a finding points at
//! the offending rule or field and not at the document's first line.
//!
//! It reads block-style YAML (what people write and `kubectl get -o yaml` prints) and
//! pretty-printed JSON keys; where the path cannot be followed (flow style, a JSON array
//! index, a field that is absent) it answers the line of the deepest part it found.

pub use crate::model::field_path::{FieldPath, PathSegment};

/// A token of a block-YAML line: a sequence dash or the content after indentation and dashes.
#[derive(Debug)]
struct Token<'a> {
    line: usize,
    column: usize,
    dash: bool,
    text: &'a str,
}

fn tokens<'a>(lines: &[&'a str], first_line: usize) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = first_line + i;
        let mut column = raw.len() - raw.trim_start_matches(' ').len();
        let mut rest = &raw[column..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        while rest == "-" || rest.starts_with("- ") {
            out.push(Token {
                line,
                column,
                dash: true,
                text: "-",
            });
            let after = &rest[1..];
            let spaces = after.len() - after.trim_start_matches(' ').len();
            column += 1 + spaces;
            rest = after.trim_start_matches(' ');
        }
        // JSON's braces alone on a line carry no key.
        let punctuation = rest.trim_end_matches(',').len() == 1
            && matches!(rest.as_bytes()[0], b'{' | b'}' | b'[' | b']');
        if !rest.is_empty() && !rest.starts_with('#') && !punctuation {
            out.push(Token {
                line,
                column,
                dash: false,
                text: rest,
            });
        }
    }
    out
}

fn is_key(text: &str, key: &str) -> bool {
    for quoted in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
        if let Some(rest) = text.strip_prefix(quoted.as_str()) {
            let rest = rest.trim_start();
            if rest == ":" || rest.starts_with(": ") || rest.starts_with(":\t") {
                return true;
            }
        }
    }
    false
}

/// Where each line of a text starts: a document's lines are found without counting the
/// lines before it (a stream of 100,000s of documents, each with findings, stays linear).
pub struct LineStarts {
    starts: Vec<usize>,
}

impl LineStarts {
    /// The line starts of `text`.
    pub fn new(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineStarts { starts }
    }

    /// `text` (the text these are the line starts of) from 1-based line `line` on; empty past
    /// its end.
    pub fn from<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let at = self
            .starts
            .get(line.max(1) - 1)
            .map_or(text.len(), |&at| at.min(text.len()));
        &text[at..]
    }
}

/// The 1-based line of `path` in the document that starts at 1-based line `start` of `text`
/// (the document ends at the next `---` line or at the end), or the deepest line found.
pub fn locate(text: &str, start: usize, path: &FieldPath) -> usize {
    let start = start.max(1);
    locate_from(LineStarts::new(text).from(text, start), start, path)
}

/// [`locate`] in `from`, the text from the document's first line (line `start`) on.
pub fn locate_from(from: &str, start: usize, path: &FieldPath) -> usize {
    let start = start.max(1);
    let lines: Vec<&str> = from
        .lines()
        .enumerate()
        .take_while(|(i, l)| *i == 0 || !(l.starts_with("---") || l.starts_with("...")))
        .map(|(_, l)| l)
        .collect();
    let toks = tokens(&lines, start);
    let mut best = start;
    let mut pos = 0usize;
    let mut parent: isize = -1;
    for seg in &path.0 {
        match seg {
            PathSegment::Key(key) => {
                let mut found = None;
                let mut level: Option<usize> = None;
                for (i, t) in toks.iter().enumerate().skip(pos) {
                    if (t.column as isize) <= parent {
                        break;
                    }
                    if t.dash {
                        // A dash at the mapping's own column is a block sequence under the
                        // previous key (`key:\n- item`); only one further left ends the mapping.
                        if level.is_some_and(|l| t.column < l) {
                            break;
                        }
                        continue;
                    }
                    let l = *level.get_or_insert(t.column);
                    if t.column < l {
                        break;
                    }
                    if t.column == l && is_key(t.text, key) {
                        found = Some(i);
                        break;
                    }
                }
                let Some(i) = found else { return best };
                best = toks[i].line;
                parent = toks[i].column as isize;
                pos = i + 1;
            }
            PathSegment::Index(n) => {
                let Some(first) = toks
                    .get(pos)
                    .filter(|t| t.dash && (t.column as isize) >= parent)
                else {
                    return best;
                };
                let column = first.column;
                let mut count = 0;
                let mut found = None;
                for (i, t) in toks.iter().enumerate().skip(pos) {
                    if t.column < column || (t.column == column && !t.dash) {
                        break;
                    }
                    if t.dash && t.column == column {
                        if count == *n {
                            found = Some(i);
                            break;
                        }
                        count += 1;
                    }
                }
                let Some(i) = found else { return best };
                best = toks[i].line;
                parent = toks[i].column as isize;
                pos = i + 1;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: x
rules:
- apiGroups: [\"\"]
  resources: [pods]
  verbs: [get]
-   apiGroups:
    - apps
    resources: [\"*\"]
    verbs: [\"*\"]
---
kind: RoleBinding
subjects:
  - kind: User
    name: a
  - kind: Group
    name: b
roleRef: {kind: Role, name: r}
";

    fn p(keys: &[&str], index: Option<usize>) -> FieldPath {
        let mut f = FieldPath::keys(keys);
        if let Some(i) = index {
            f = f.index(i);
        }
        f
    }

    #[test]
    fn finds_rules_subjects_and_fields() {
        assert_eq!(locate(DOC, 1, &p(&["rules"], Some(0))), 6);
        assert_eq!(locate(DOC, 1, &p(&["rules"], Some(1))), 9);
        assert_eq!(locate(DOC, 1, &p(&["rules"], Some(1)).key("resources")), 11);
        assert_eq!(locate(DOC, 1, &p(&["metadata", "name"], None)), 4);
        assert_eq!(locate(DOC, 14, &p(&["subjects"], Some(1))), 18);
        assert_eq!(locate(DOC, 14, &p(&["subjects"], Some(1)).key("name")), 19);
        assert_eq!(locate(DOC, 14, &p(&["roleRef"], None)), 20);
    }

    #[test]
    fn falls_back_to_the_deepest_part_found() {
        assert_eq!(locate(DOC, 1, &p(&["rules"], Some(7))), 5);
        assert_eq!(locate(DOC, 1, &p(&["spec", "x"], None)), 1);
        // The next document is not searched.
        assert_eq!(locate(DOC, 1, &p(&["subjects"], None)), 1);
        let json = "{\n  \"kind\": \"Pod\",\n  \"spec\": {\n    \"hostNetwork\": true\n  }\n}\n";
        assert_eq!(locate(json, 1, &p(&["spec", "hostNetwork"], None)), 4);
    }

    #[test]
    fn displays_like_kubectl_explain() {
        let f = FieldPath::keys(&["spec", "containers"])
            .index(0)
            .key("image");
        assert_eq!(f.to_string(), "spec.containers[0].image");
    }
}
