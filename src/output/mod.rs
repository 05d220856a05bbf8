//! Printers: they render report data to a writer and never decide anything.

pub mod can_i;
pub mod diff;
pub mod escalation;
pub mod junit;
pub mod lint;
pub mod matrix;
pub mod netpol;
pub mod rules_list;
pub mod sarif;
pub mod who_can;

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::cli::ColorChoice;
use crate::model::PolicyRule;

/// Whether stdout gets colour. `--color always|never` wins; with `auto`, `CLICOLOR_FORCE`
/// (set and not `0`) forces colour, then `NO_COLOR` (set and not empty) and `CLICOLOR=0`
/// turn it off, and otherwise colour is used only when stdout is a terminal. `env` reads an
/// environment variable.
pub fn use_color(
    choice: ColorChoice,
    env: impl Fn(&str) -> Option<String>,
    stdout_is_terminal: bool,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if env("NO_COLOR").is_some_and(|v| !v.is_empty())
                || env("CLICOLOR").as_deref() == Some("0")
            {
                false
            } else {
                stdout_is_terminal
            }
        }
    }
}

/// Decides colour once for the process (see [`use_color`]) and tells `colored` so.
pub fn apply_color(choice: ColorChoice) {
    let on = use_color(
        choice,
        |name| std::env::var(name).ok(),
        std::io::stdout().is_terminal(),
    );
    colored::control::set_override(on);
}

/// Writes a file atomically: a temporary file in the same directory, synced, then renamed
/// over the target, so a reader never sees half a file and a failure leaves the old one.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a value as pretty JSON followed by a newline.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    // `io::Error::from` hands back the writer's own error (e.g. BrokenPipe) unchanged, so the
    // caller can recognise a closed pipe.
    // Through a buffer of a concrete type: serde_json writes token by token, and each write
    // through `dyn Write` is a call that cannot be inlined (lint's 376 MB report: 0.9 s).
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer_pretty(&mut buffered, value).map_err(std::io::Error::from)?;
    writeln!(buffered)?;
    buffered.flush()
}

/// Writes a value as one YAML document.
pub fn write_yaml<T: Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    let text = yaml_text(value)?;
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// Writes `key:` and a long sequence as the value of a top-level key of a YAML document, exactly
/// as [`write_yaml`] of the whole document would, its items serialized a chunk at a time on
/// every core and written as they are made (a lint report of 280,000 findings is 250 MB of YAML
/// and 3 s of one core's time). A sequence under a top-level key is not indented, so a chunk
/// serialized on its own — a top-level sequence — is the same block; the first chunk is
/// serialized under its key, so the key is written as the serializer writes keys.
pub fn write_yaml_sequence<T: Serialize + Sync>(
    out: &mut dyn Write,
    key: &str,
    items: &[T],
) -> std::io::Result<()> {
    const CHUNK: usize = 512;
    const WAVE: usize = 16 * CHUNK;
    let (first, rest) = items.split_at(items.len().min(CHUNK));
    out.write_all(yaml_text(&std::collections::BTreeMap::from([(key, first)]))?.as_bytes())?;
    for wave in rest.chunks(WAVE) {
        let chunks: Vec<&[T]> = wave.chunks(CHUNK).collect();
        for text in crate::parallel::map(&chunks, 2, &|chunk| yaml_text(chunk)) {
            out.write_all(text?.as_bytes())?;
        }
    }
    Ok(())
}

/// A value as YAML text.
pub fn yaml_text<T: Serialize>(value: &T) -> std::io::Result<String> {
    serde_saphyr::to_string(value).map_err(|e| std::io::Error::other(e.to_string()))
}

/// Writes a borderless, kubectl-like table (columns separated by three spaces, no trailing
/// blanks); a cell may span several lines. `header` is omitted for `--no-headers`.
pub fn plain_table<C: AsRef<str>>(
    out: &mut dyn Write,
    header: Option<&[&str]>,
    rows: &[Vec<C>],
) -> std::io::Result<()> {
    if header.is_none() && rows.is_empty() {
        return Ok(());
    }
    if one_line_cells(header, rows) {
        return aligned_one_line(out, header, rows);
    }
    comfy_plain_table(out, header, rows)
}

/// [`plain_table`] laid out by comfy-table (any text: wide characters, several lines).
fn comfy_plain_table<C: AsRef<str>>(
    out: &mut dyn Write,
    header: Option<&[&str]>,
    rows: &[Vec<C>],
) -> std::io::Result<()> {
    use comfy_table::{presets, CellAlignment, ColumnConstraint, ContentArrangement, Table};
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty();
    if let Some(h) = header {
        table.set_header(h.to_vec());
    }
    for row in rows {
        table.add_row(row.iter().map(|c| c.as_ref()).collect::<Vec<&str>>());
    }
    let columns = table.column_count();
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if i + 1 == columns { 0 } else { 3 }));
        column.set_cell_alignment(CellAlignment::Left);
        column.set_constraint(ColumnConstraint::ContentWidth);
    }
    for line in table.lines() {
        // The preset draws a blank left border.
        let line = line.strip_prefix(' ').unwrap_or(&line);
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Every cell is one line, and every row has the header's number of cells: then a column's
/// width is its widest cell's display width (measured as comfy-table measures it), and the
/// table can be laid out directly (comfy-table measures, splits and pads every cell into
/// strings of its own, which is most of the time of a 100,000-row table). Anything else goes
/// through comfy-table.
fn one_line_cells<C: AsRef<str>>(header: Option<&[&str]>, rows: &[Vec<C>]) -> bool {
    // (comfy-table measures widths in 16 bits: longer cells are its own to lay out.)
    let one_line = |c: &str| !c.contains('\n') && c.len() < usize::from(u16::MAX);
    let columns = header.map_or_else(|| rows.first().map_or(0, Vec::len), <[&str]>::len);
    header.is_none_or(|h| h.iter().all(|c| one_line(c)))
        && rows
            .iter()
            .all(|r| r.len() == columns && r.iter().all(|c| one_line(c.as_ref())))
}

/// [`plain_table`]'s layout of a [`one_line_cells`] table: cells left-aligned, three spaces
/// between columns, no trailing spaces.
fn aligned_one_line<C: AsRef<str>>(
    out: &mut dyn Write,
    header: Option<&[&str]>,
    rows: &[Vec<C>],
) -> std::io::Result<()> {
    let columns = header.map_or_else(|| rows.first().map_or(0, Vec::len), <[&str]>::len);
    // comfy-table gives every column at least one character. The last column is not padded,
    // so its cells (the longest) are not measured: `widths` stops before it.
    let mut widths = vec![1usize; columns.saturating_sub(1)];
    let mut measure = |cells: &mut dyn Iterator<Item = &str>| {
        for (w, cell) in widths.iter_mut().zip(cells) {
            *w = (*w).max(display_width(cell));
        }
    };
    if let Some(h) = header {
        measure(&mut h.iter().copied());
    }
    for r in rows {
        measure(&mut r.iter().map(AsRef::as_ref));
    }
    let mut line = String::new();
    let mut write_row = |cells: &mut dyn Iterator<Item = &str>| -> std::io::Result<()> {
        line.clear();
        for (i, cell) in cells.enumerate() {
            line.push_str(cell);
            if i + 1 < columns {
                let pad = widths[i].saturating_sub(display_width(cell)) + 3;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        // As comfy-table's lines are printed: one leading space dropped (it would be the
        // preset's left border), trailing ones trimmed.
        let shown = line.strip_prefix(' ').unwrap_or(&line).trim_end();
        out.write_all(shown.as_bytes())?;
        out.write_all(b"\n")
    };
    if let Some(h) = header {
        write_row(&mut h.iter().copied())?;
    }
    for r in rows {
        write_row(&mut r.iter().map(AsRef::as_ref))?;
    }
    Ok(())
}

/// A cell's display width as comfy-table measures it (unicode-width), read byte by byte for
/// printable ASCII, where it is the length (most cells of a 100,000-row table).
fn display_width(cell: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    if cell.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        cell.len()
    } else {
        cell.width()
    }
}

/// A Go-style list: `[a b]`.
pub fn go_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("[{}]", items.join(" "))
}

/// A compact, YAML-flow-like rendering of a rule: `{verbs: [get], resources: [pods]}`.
pub fn format_rule(rule: &PolicyRule) -> String {
    rule.compact()
}

/// A comfy-table rendering without trailing spaces on each line.
pub fn trim_table(rendered: &str) -> String {
    let lines: Vec<&str> = rendered.lines().map(str::trim_end).collect();
    // The borderless preset pads the first column too: drop the margin every line shares.
    let margin = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(margin..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The serialized name of a unit enum value (`insecure-skip-tls-verify`, `high`, ...), so
/// tables say exactly what JSON says.
pub fn label<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn display_width_is_unicode_width() {
        use unicode_width::UnicodeWidthStr;
        let all_ascii: String = (0u8..0x80).map(char::from).collect();
        let mut cells: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        cells.extend(
            [
                all_ascii.as_str(),
                "ServiceAccount/ns-1/sa-15",
                "naïve",
                "日本",
                "tab\there",
                "\u{1b}[31m",
                "",
            ]
            .map(str::to_string),
        );
        for c in &cells {
            assert_eq!(super::display_width(c), c.width(), "{c:?}");
        }
    }

    #[test]
    fn one_line_tables_are_laid_out_as_comfy_table_lays_them_out() {
        let render = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
            let mut out = Vec::new();
            f(&mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let cell = |seed: usize| -> String {
            // Empty cells, spaces inside and at the ends, different lengths.
            [
                "",
                "a",
                "kube-system",
                " x ",
                "ServiceAccount/ns-1/sa-15",
                "  ",
                "binding → role",
                "名前",
                "tab\there",
            ][seed % 9]
                .repeat(1 + seed % 3)
        };
        for columns in 1..5 {
            for n in 0..6 {
                let rows: Vec<Vec<String>> = (0..n)
                    .map(|r| (0..columns).map(|c| cell(r * 5 + c * 3 + n)).collect())
                    .collect();
                let header: Vec<&str> = ["NAME", "A LONGER HEADING", "", "X"][..columns].to_vec();
                for h in [Some(&header[..]), None] {
                    if h.is_none() && rows.is_empty() {
                        continue;
                    }
                    assert!(super::one_line_cells(h, &rows));
                    assert_eq!(
                        render(&|o| super::aligned_one_line(o, h, &rows)),
                        render(&|o| super::comfy_plain_table(o, h, &rows)),
                        "{h:?} {rows:?}"
                    );
                }
            }
        }
        // Anything else is comfy-table's.
        let lines = vec![vec!["a\nb".to_string()]];
        assert!(!super::one_line_cells(None, &lines));
    }

    use super::*;

    fn env_of<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn color_choice_and_environment() {
        use ColorChoice::{Always, Auto, Never};
        let force = [("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")];
        assert!(use_color(Always, env_of(&[("NO_COLOR", "1")]), false));
        assert!(!use_color(Never, env_of(&force), true));
        assert!(
            use_color(Auto, env_of(&force), false),
            "CLICOLOR_FORCE wins"
        );
        assert!(!use_color(Auto, env_of(&[("NO_COLOR", "1")]), true));
        assert!(
            use_color(Auto, env_of(&[("NO_COLOR", "")]), true),
            "empty NO_COLOR is unset"
        );
        assert!(!use_color(Auto, env_of(&[("CLICOLOR_FORCE", "0")]), false));
        assert!(!use_color(Auto, env_of(&[("CLICOLOR", "0")]), true));
        assert!(use_color(Auto, env_of(&[]), true));
        assert!(!use_color(Auto, env_of(&[]), false));
    }

    #[test]
    fn json_write_errors_keep_their_kind() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let err = write_json(&mut Closed, &serde_json::json!({"a": [1, 2]})).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn rule_rendering() {
        let rule = PolicyRule {
            verbs: vec!["get".into(), "*".into()],
            api_groups: vec!["".into()],
            resources: vec!["pods".into()],
            ..Default::default()
        };
        assert_eq!(
            format_rule(&rule),
            r#"{verbs: [get, "*"], apiGroups: [""], resources: [pods]}"#
        );
    }
}
