//! Rendering of `can-i --list`, byte for byte as kubectl prints it (Go's tabwriter with
//! kubectl's settings), plus kubeaudit's optional Namespace and Via columns.

use std::io::Write;

use super::go_list;
use super::who_can::via_text;
use crate::rbac::rules_list::{ListRow, RulesList};

/// kubectl's tab writer: minimum cell width 10, padding 3, spaces.
const MIN_WIDTH: usize = 10;
const PADDING: usize = 3;

/// Go's `text/tabwriter` for lines of tab-separated cells: every cell but the last of a line
/// is padded to its column's width (widest cell + padding, at least the minimum width), in
/// runes; the last cell is written as is. All lines have the same number of cells here, so
/// every column is one block.
pub fn write_tabwriter(out: &mut dyn Write, lines: &[Vec<String>]) -> std::io::Result<()> {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![MIN_WIDTH; columns.saturating_sub(1)];
    for line in lines {
        for (i, cell) in line.iter().enumerate().take(columns.saturating_sub(1)) {
            widths[i] = widths[i].max(cell.chars().count() + PADDING);
        }
    }
    for line in lines {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < line.len() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{text}")?;
    }
    Ok(())
}

/// kubectl's `CombineResourceGroup`: `resource.group`, a `/subresource` moved after the
/// group; empty without a resource.
pub fn combine_resource_group<S: AsRef<str>>(resources: &[S], groups: &[S]) -> String {
    let Some(first) = resources.first() else {
        return String::new();
    };
    let first = first.as_ref();
    let (resource, sub) = match first.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (first, None),
    };
    let mut out = resource.to_string();
    if let Some(g) = groups.first().map(AsRef::as_ref).filter(|g| !g.is_empty()) {
        out.push('.');
        out.push_str(g);
    }
    if let Some(s) = sub {
        out.push('/');
        out.push_str(s);
    }
    out
}

fn row_cells(r: &ListRow, with_namespace: bool, wide: bool) -> Vec<String> {
    let mut cells = Vec::with_capacity(6);
    if with_namespace {
        cells.push(r.namespace.clone().unwrap_or_default());
    }
    cells.push(combine_resource_group(&r.resources, &r.api_groups));
    cells.push(go_list(&r.non_resource_urls));
    cells.push(go_list(&r.resource_names));
    cells.push(go_list(&r.verbs));
    if wide {
        cells.push(r.via.iter().map(via_text).collect::<Vec<_>>().join("; "));
    }
    cells
}

/// Prints the rows as kubectl does (`Resources  Non-Resource URLs  Resource Names  Verbs`),
/// with a leading Namespace column when listing all namespaces and a trailing Via column
/// when `wide`.
pub fn write_table(
    out: &mut dyn Write,
    list: &RulesList,
    wide: bool,
    no_headers: bool,
) -> std::io::Result<()> {
    let with_namespace = list.namespace.is_none();
    let mut lines = Vec::with_capacity(list.rules.len() + 1);
    if !no_headers {
        let mut header = Vec::new();
        if with_namespace {
            header.push("Namespace".to_string());
        }
        header.extend(
            ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]
                .iter()
                .map(|s| s.to_string()),
        );
        if wide {
            header.push("Via".to_string());
        }
        lines.push(header);
    }
    lines.extend(
        list.rules
            .iter()
            .map(|r| row_cells(r, with_namespace, wide)),
    );
    write_tabwriter(out, &lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn kubectl_layout() {
        let lines = vec![
            v(&["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]),
            v(&["job.*", "[]", "[test-resource]", "[get list]"]),
            v(&["pod.*", "[]", "[test-resource]", "[get list]"]),
            v(&["", "[/apis/*]", "[]", "[get]"]),
            v(&["", "[/version]", "[]", "[get]"]),
        ];
        let mut out = Vec::new();
        write_tabwriter(&mut out, &lines).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "Resources   Non-Resource URLs   Resource Names    Verbs\n\
             job.*       []                  [test-resource]   [get list]\n\
             pod.*       []                  [test-resource]   [get list]\n\
             \x20           [/apis/*]           []                [get]\n\
             \x20           [/version]          []                [get]\n"
        );
    }

    #[test]
    fn resource_group_combination() {
        assert_eq!(
            combine_resource_group(&v(&["deployments/scale"]), &v(&["apps"])),
            "deployments.apps/scale"
        );
        assert_eq!(combine_resource_group(&v(&["pods"]), &v(&[""])), "pods");
        assert_eq!(combine_resource_group(&v(&["*"]), &v(&["*"])), "*.*");
        assert_eq!(combine_resource_group(&v(&[]), &v(&["x"])), "");
    }
}
