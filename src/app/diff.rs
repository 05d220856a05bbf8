//! `kubeaudit diff BEFORE AFTER`: both sides loaded (manifests with the bootstrap policy, a
//! snapshot, or `context:NAME`), compiled and linted with the same settings, then compared.

use std::io::Write;
use std::path::PathBuf;

use super::lint::{analyze, lint_kinds, Analysis};
use super::load::{load_kinds, Loaded};
use super::UsageError;
use crate::cli::{DiffArgs, DiffFormat, GlobalArgs};
use crate::diff::{
    access_changes, default_deny_changes, escalation_changes, finding_changes, AccessDiff,
};
use crate::escalation::{Escalation, World};
use crate::exit::Exit;
use crate::lint::suppress::{self, Date};
use crate::lint::Selection;
use crate::output;

/// The settings that read one side.
fn side_settings(global: &GlobalArgs, spec: &str) -> Result<GlobalArgs, UsageError> {
    let mut g = global.clone();
    if let Some(context) = spec.strip_prefix("context:") {
        if context.is_empty() {
            return Err(UsageError(
                "context: needs a context name (context:NAME)".into(),
            ));
        }
        g.filename.clear();
        g.context = Some(context.to_string());
        g.bootstrap_policy = false;
    } else {
        if !global.filename.is_empty() {
            return Err(UsageError(
                "diff reads BEFORE and AFTER; -f does not apply".into(),
            ));
        }
        g.filename = vec![PathBuf::from(spec)];
        g.bootstrap_policy = true;
    }
    Ok(g)
}

async fn side(
    global: &GlobalArgs,
    spec: &str,
    selection: &Selection,
) -> anyhow::Result<(Loaded, Analysis)> {
    let settings = side_settings(global, spec)?;
    let loaded = load_kinds(&settings, &lint_kinds(selection)).await?;
    let mut analysis = analyze(&loaded, &settings, selection)?;
    // Annotated suppressions hold in a diff too: a suppressed finding is not news.
    suppress::apply(
        &mut analysis.findings,
        &loaded.inventory,
        None,
        selection,
        Date::today(),
    );
    Ok((loaded, analysis))
}

/// Runs `diff`.
pub async fn run(global: &GlobalArgs, args: DiffArgs) -> anyhow::Result<Exit> {
    if args.before == "-" && args.after == "-" {
        return Err(UsageError("stdin ('-') can be only one of BEFORE and AFTER".into()).into());
    }
    let selection = Selection::default();
    let (before_loaded, before) = side(global, &args.before, &selection).await?;
    let (after_loaded, after) = side(global, &args.after, &selection).await?;
    let (new_findings, fixed_findings) = finding_changes(&before.findings, &after.findings);
    let world_before = World::from_inventory(&before_loaded.inventory, &before.model);
    let world_after = World::from_inventory(&after_loaded.inventory, &after.model);
    let (new_escalations, removed_escalations, escalation_cut) = escalation_changes(
        &Escalation::new(&before.model, &world_before),
        &Escalation::new(&after.model, &world_after),
    );
    let diff = AccessDiff {
        subjects: access_changes(&before.model, &after.model),
        default_deny: default_deny_changes(&before.network, &after.network),
        new_escalations,
        removed_escalations,
        new_findings,
        fixed_findings,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output {
        DiffFormat::Json => output::write_json(&mut out, &diff)?,
        DiffFormat::Yaml => output::write_yaml(&mut out, &diff)?,
        DiffFormat::Table => output::diff::write_table(&mut out, &diff, global.no_headers)?,
        DiffFormat::Markdown => {
            output::diff::write_markdown(&mut out, &diff, &args.before, &args.after)?
        }
    }
    out.flush()?;
    let incomplete =
        !before_loaded.inventory.missing.is_empty() || !after_loaded.inventory.missing.is_empty();
    if args.fail_on_gain && diff.gained_anything() {
        return Ok(Exit::No);
    }
    if incomplete && !global.allow_incomplete {
        super::warn("some data could not be read: the comparison may be missing changes (--allow-incomplete accepts it)");
        return Ok(Exit::Error);
    }
    // A search that stopped at its bound may have missed paths (and findings) on either side.
    let mut cut: Vec<String> = before
        .incomplete
        .iter()
        .chain(&after.incomplete)
        .cloned()
        .collect();
    if escalation_cut {
        cut.push(format!(
            "the escalation search stopped after {} principals",
            crate::escalation::LIMIT
        ));
    }
    if !cut.is_empty() && !global.allow_incomplete {
        cut.sort();
        cut.dedup();
        super::warn(format_args!(
            "the comparison may be missing changes: {} (--allow-incomplete accepts it)",
            cut.join("; ")
        ));
        return Ok(Exit::Error);
    }
    Ok(Exit::Yes)
}
