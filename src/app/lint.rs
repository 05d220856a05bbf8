//! `kubeaudit lint`: settings (flags over the configuration file) → load (manifests with the
//! bootstrap policy, or the live cluster) → compile → run the rules → locate each finding at
//! its line → suppressions → every requested output → exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::load::{load_kinds, LINT_KINDS};
use super::{note, warn, UsageError};
use crate::cli::{GlobalArgs, LintArgs, LintFormat, LintOutput};
use crate::exit::Exit;
use crate::lint::suppress::{self, Baseline, Date, StaleSuppression};
use crate::lint::{self, Finding, Level, LintInput, ObjectRef, Selection, Severity, RULES};
use crate::model::workload::pod_templates;
use crate::model::MissingData;
use crate::output;
use crate::source::live::Kind;
use crate::source::locate::{locate_from, LineStarts};

/// The configuration file looked for in the current directory.
pub const CONFIG_FILE: &str = ".access-audit.yaml";

/// `.access-audit.yaml`: lint settings kept in the repository being linted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Settings of `lint`.
    #[serde(default)]
    pub lint: LintConfig,
}

/// The `lint:` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LintConfig {
    /// Rules to run (ids or slugs); empty means all.
    #[serde(default)]
    pub enable: Vec<String>,
    /// Rules not to run.
    #[serde(default)]
    pub disable: Vec<String>,
    /// The severity at which lint fails.
    #[serde(default)]
    pub fail_on: Option<Severity>,
    /// A baseline file, relative to the configuration file.
    #[serde(default)]
    pub baseline: Option<PathBuf>,
}

/// One Pod or workload and the Pod Security Standards level it meets.
#[derive(Debug, Clone, Serialize)]
pub struct PodSecurity {
    /// The object.
    pub object: ObjectRef,
    /// The level.
    pub level: Level,
}

/// Counts of unsuppressed findings.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Unsuppressed findings.
    pub findings: usize,
    /// Of which critical.
    pub critical: usize,
    /// High.
    pub high: usize,
    /// Medium.
    pub medium: usize,
    /// Low.
    pub low: usize,
    /// Suppressed findings (annotation or baseline).
    pub suppressed: usize,
    /// The severity at which lint fails.
    pub fail_on: Severity,
    /// True when an unsuppressed finding is at or above `failOn`.
    pub failed: bool,
}

/// Everything `lint` reports.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintReport {
    /// `access-audit.io/v1`.
    pub api_version: &'static str,
    /// `LintReport`.
    pub kind: &'static str,
    /// False when some data could not be read, or a rule could not look at everything
    /// (findings found are still findings).
    pub complete: bool,
    /// What could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingData>,
    /// Why a rule could not look at everything.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
    /// The counts.
    pub summary: Summary,
    /// The rules that ran.
    pub rules: Vec<&'static str>,
    /// Every finding, suppressed ones marked, worst first.
    pub findings: Vec<Finding>,
    /// The Pod Security Standards level of each Pod and workload.
    pub pod_security: Vec<PodSecurity>,
    /// Suppressions that match nothing, have expired or are malformed.
    pub stale_suppressions: Vec<StaleSuppression>,
}

/// Runs `lint`.
pub async fn run(global: &GlobalArgs, args: LintArgs) -> anyhow::Result<Exit> {
    if args.list_rules {
        return list_rules(&args);
    }
    if global.as_user.is_some() || !global.as_group.is_empty() {
        return Err(
            UsageError("lint checks every subject; --as/--as-group do not apply".into()).into(),
        );
    }
    let (config, config_dir) = read_config(args.config.as_deref())?;
    let mut selection = Selection {
        enable: config.lint.enable.clone(),
        disable: config.lint.disable.clone(),
    };
    selection.enable.extend(args.enable.iter().cloned());
    selection.disable.extend(args.disable.iter().cloned());
    for name in selection.enable.iter().chain(&selection.disable) {
        check_rule_name(name)?;
    }
    let fail_on = args
        .fail_on
        .or(config.lint.fail_on)
        .unwrap_or(Severity::Low);
    let baseline_path = args
        .baseline
        .clone()
        .or_else(|| config.lint.baseline.as_ref().map(|b| config_dir.join(b)));
    let baseline = match &baseline_path {
        Some(p) => Some(read_baseline(p)?),
        None => None,
    };

    let mut settings = global.clone();
    if !settings.filename.is_empty() {
        // Every cluster has the bootstrap policy: bindings to edit/admin/view are judged by
        // those roles, and what every cluster grants is no finding.
        settings.bootstrap_policy = true;
    }
    let loaded = load_kinds(&settings, &lint_kinds(&selection)).await?;
    if let Some(why) = super::authz::Authorizers::modes_only(global, &loaded)
        .await?
        .beyond_rbac()
    {
        super::warn(why);
    }
    let mut analysis = analyze(&loaded, &settings, &selection)?;
    if let Some(ns) = global
        .namespace
        .as_deref()
        .filter(|_| !global.all_namespaces)
    {
        let object_in = |o: &ObjectRef| {
            o.namespace.as_deref() == Some(ns) || (o.kind == "Namespace" && o.name == ns)
        };
        analysis.findings.retain(|f| object_in(&f.location.object));
        analysis
            .pod_security
            .retain(|p| p.object.namespace.as_deref() == Some(ns));
    }
    let baseline_source = baseline_path.as_ref().map(|p| p.display().to_string());
    let started = std::time::Instant::now();
    let stale = suppress::apply(
        &mut analysis.findings,
        &loaded.inventory,
        baseline.as_ref().zip(baseline_source.as_deref()),
        &selection,
        Date::today(),
    );
    super::load::timing("suppress", started);
    let findings = analysis.findings;
    let pod_security = analysis.pod_security;
    let incomplete = analysis.incomplete;
    if let Some(path) = &args.write_baseline {
        let doc = Baseline::of(&findings);
        let mut text = serde_json::to_string_pretty(&doc)?;
        text.push('\n');
        output::write_atomic(path, text.as_bytes())
            .with_context(|| format!("writing the baseline {}", path.display()))?;
        note(format_args!(
            "wrote {} finding(s) to the baseline {}",
            doc.findings.len(),
            path.display()
        ));
    }
    // Lint judges ServiceAccounts too: their absence makes a clean result uncertain.
    let mut missing = loaded.inventory.missing.clone();
    missing.extend(
        loaded
            .inventory
            .unreadable
            .iter()
            .filter(|m| m.kind == "ServiceAccount")
            .cloned(),
    );
    let report = report(
        (&missing, incomplete),
        findings,
        pod_security,
        stale,
        &selection,
        fail_on,
    );
    for s in &report.stale_suppressions {
        warn(format_args!(
            "suppression {:?}{} ({}): {}",
            s.entry,
            s.object
                .as_ref()
                .map(|o| format!(" on {o}"))
                .unwrap_or_default(),
            s.origin,
            s.problem
        ));
    }
    let started = std::time::Instant::now();
    for out in &args.output {
        write_output(out, &report, global)?;
    }
    super::load::timing("output", started);
    let exit = exit_for(&report, &args, global);
    // Hundreds of thousands of findings are not freed one by one: the process is about to
    // end (as the model and the inventory are not).
    if report.findings.len() >= crate::model::LEAK_FROM {
        std::mem::forget(report);
    }
    Ok(exit)
}

/// The kinds lint reads for these rules: Secrets (metadata only) for KA202 alone.
pub fn lint_kinds(selection: &Selection) -> Vec<Kind> {
    LINT_KINDS
        .iter()
        .copied()
        .filter(|k| {
            *k != Kind::ServiceAccountTokenSecret
                || lint::rule("KA202").is_some_and(|r| selection.runs(r))
        })
        .collect()
}

/// A loaded inventory, compiled and linted: findings located at their lines (not yet
/// suppressed), and each workload's Pod Security Standards level.
pub struct Analysis {
    /// The compiled access model.
    pub model: crate::model::AccessModel,
    /// The NetworkPolicy model.
    pub network: crate::netpol::NetworkModel,
    /// The findings.
    pub findings: Vec<Finding>,
    /// Pod Security Standards levels.
    pub pod_security: Vec<PodSecurity>,
    /// Why some rule could not look at everything (findings may be missing).
    pub incomplete: Vec<String>,
}

/// Compiles and lints a loaded inventory.
pub fn analyze(
    loaded: &super::load::Loaded,
    settings: &GlobalArgs,
    selection: &Selection,
) -> anyhow::Result<Analysis> {
    // The network model is built on the other core while the access model compiles.
    let (model, (derived, network)) =
        loaded.compile_keeping_beside(|| super::netpol::network_model(loaded, settings));
    super::netpol::note_derived(derived);
    let network = network.map_err(|e| anyhow::anyhow!("NetworkPolicy: {e}"))?;
    let templates = pod_templates(&loaded.inventory)?;
    let input = LintInput {
        inventory: &loaded.inventory,
        access: &model,
        network: Some(&network),
        templates: &templates,
    };
    let started = std::time::Instant::now();
    let lint::Linted {
        mut findings,
        incomplete,
    } = lint::run(&input, selection);
    super::load::timing("lint rules", started);
    let started = std::time::Instant::now();
    locate_lines(&mut findings);
    super::load::timing("locate lines", started);
    let pod_security = templates
        .iter()
        .map(|t| PodSecurity {
            object: ObjectRef::new(&t.kind, &t.namespace, &t.name),
            level: lint::pod_security_level(&lint::pod_security_violations(t)),
        })
        .collect();
    Ok(Analysis {
        model,
        network,
        findings,
        pod_security,
        incomplete,
    })
}

fn exit_for(report: &LintReport, args: &LintArgs, global: &GlobalArgs) -> Exit {
    if report.summary.failed && !args.exit_zero {
        return Exit::No;
    }
    if !report.complete && !global.allow_incomplete {
        // What could not be read, then why a rule could not look at everything.
        let mut why = Vec::new();
        if !report.missing.is_empty() {
            let what: Vec<String> = report
                .missing
                .iter()
                .map(|m| match &m.namespace {
                    Some(ns) => format!("{} in {ns}", m.kind),
                    None => m.kind.clone(),
                })
                .collect();
            why.push(format!("{} could not be read", what.join(", ")));
        }
        why.extend(report.incomplete.iter().cloned());
        let secrets = if report.missing.iter().any(|m| m.kind == "Secret") {
            "; Secrets are listed (metadata only) for KA202 alone: --disable KA202 does without them"
        } else {
            ""
        };
        warn(format_args!(
            "cannot tell that the cluster is clean: {} (--allow-incomplete accepts the partial result){secrets}",
            why.join("; ")
        ));
        return Exit::Error;
    }
    Exit::Yes
}

/// The report of a lint run: findings with suppressions applied, counts, what ran.
pub fn report(
    (missing, incomplete): (&[MissingData], Vec<String>),
    findings: Vec<Finding>,
    pod_security: Vec<PodSecurity>,
    stale: Vec<StaleSuppression>,
    selection: &Selection,
    fail_on: Severity,
) -> LintReport {
    let mut summary = Summary {
        fail_on,
        ..Summary::default()
    };
    for f in &findings {
        if f.suppressed.is_some() {
            summary.suppressed += 1;
            continue;
        }
        summary.findings += 1;
        match f.severity {
            Severity::Critical => summary.critical += 1,
            Severity::High => summary.high += 1,
            Severity::Medium => summary.medium += 1,
            Severity::Low => summary.low += 1,
        }
        if f.severity >= fail_on {
            summary.failed = true;
        }
    }
    LintReport {
        api_version: "access-audit.io/v1",
        kind: "LintReport",
        complete: missing.is_empty() && incomplete.is_empty(),
        missing: missing.to_vec(),
        incomplete,
        summary,
        rules: RULES
            .iter()
            .filter(|r| selection.runs(r))
            .map(|r| r.id)
            .collect(),
        findings,
        pod_security,
        stale_suppressions: stale,
    }
}

/// An unknown rule name is an error with a suggestion (a typo must not disable nothing).
fn check_rule_name(name: &str) -> Result<(), UsageError> {
    if lint::rule(name).is_some() {
        return Ok(());
    }
    let best = RULES
        .iter()
        .flat_map(|r| [r.id, r.slug])
        .map(|c| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let hint = match best {
        Some((score, c)) if score > 0.8 => format!(" (did you mean {c}?)"),
        _ => String::new(),
    };
    Err(UsageError(format!(
        "unknown lint rule {name:?}{hint}; kubeaudit lint --list-rules lists them"
    )))
}

fn read_config(explicit: Option<&Path>) -> anyhow::Result<(Config, PathBuf)> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(CONFIG_FILE);
            if !p.is_file() {
                return Ok((Config::default(), PathBuf::from(".")));
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the configuration {}", path.display()))?;
    let config: Config =
        serde_saphyr::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((config, dir))
}

fn read_baseline(path: &Path) -> anyhow::Result<Baseline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the baseline {}", path.display()))?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: line {}, column {}: not a kubeaudit baseline ({e})",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if b.kind != "LintBaseline" {
        anyhow::bail!(
            "{}: kind is {:?}, expected LintBaseline (written by kubeaudit lint --write-baseline)",
            path.display(),
            b.kind
        );
    }
    Ok(b)
}

/// Moves each finding's and each evidence step's line from its document's first line to the
/// line of its field, reading each file once.
fn locate_lines(findings: &mut [Finding]) {
    type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
    type HashSet<K> = std::collections::HashSet<K, ahash::RandomState>;
    let wanted = |loc: &lint::Location| loc.origin.line != 0 && !loc.path.is_empty();
    // Each source read once, the sources looked at on every core: in a large cluster most
    // are not files (an item of a List is `FILE item N`) and there are 100,000s of them.
    let mut seen: HashSet<&str> = HashSet::default();
    for f in findings.iter() {
        let evidence = f.evidence.iter().map(|e| &e.location);
        for loc in std::iter::once(&f.location).chain(evidence) {
            if wanted(loc) {
                seen.insert(loc.origin.source.as_str());
            }
        }
    }
    // A source its directory does not list is not a file: each directory is listed once
    // instead of asking the file system about each of 100,000s of list items.
    let mut listings: HashMap<&Path, Option<HashSet<std::ffi::OsString>>> = HashMap::default();
    let sources: Vec<String> = seen
        .into_iter()
        .filter(|source| {
            let p = Path::new(*source);
            let (Some(dir), Some(name)) = (p.parent(), p.file_name()) else {
                return true;
            };
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let listing = listings.entry(dir).or_insert_with(|| {
                let entries = std::fs::read_dir(dir).ok()?;
                entries
                    .map(|entry| entry.ok().map(|entry| entry.file_name()))
                    .collect()
            });
            // Not listable: the file system is asked.
            listing.as_ref().is_none_or(|names| names.contains(name))
        })
        .map(str::to_string)
        .collect();
    let read = crate::parallel::map(&sources, 256, &|source| {
        let p = Path::new(source);
        let text = p
            .is_file()
            .then(|| std::fs::read_to_string(p).ok())
            .flatten()?;
        let starts = LineStarts::new(&text);
        Some((text, starts))
    });
    let texts: HashMap<String, (String, LineStarts)> = sources
        .into_iter()
        .zip(read)
        .filter_map(|(source, text)| Some((source, text?)))
        .collect();
    let fix = |loc: &mut lint::Location| {
        if !wanted(loc) {
            return;
        }
        if let Some((text, starts)) = texts.get(loc.origin.source.as_str()) {
            let start = loc.origin.line;
            loc.line = locate_from(starts.from(text, start), start, &loc.path);
        }
    };
    for f in findings.iter_mut() {
        fix(&mut f.location);
    }
    // Evidence is shared by the findings of one grant's subjects, which sort next to each
    // other: each run of findings sharing it is located once, in place when no finding
    // outside the run shares it too.
    let empty: Arc<[lint::Evidence]> = Arc::new([]);
    let mut start = 0;
    while start < findings.len() {
        let shared = findings[start].evidence.clone();
        let end = start
            + findings[start..]
                .iter()
                .take_while(|f| Arc::ptr_eq(&f.evidence, &shared))
                .count();
        drop(shared);
        if findings[start].evidence.is_empty() {
            start = end;
            continue;
        }
        for f in &mut findings[start + 1..end] {
            f.evidence = empty.clone();
        }
        let first = &mut findings[start].evidence;
        match Arc::get_mut(first) {
            Some(evidence) => evidence.iter_mut().for_each(|e| fix(&mut e.location)),
            None => {
                let mut evidence = first.to_vec();
                evidence.iter_mut().for_each(|e| fix(&mut e.location));
                *first = evidence.into();
            }
        }
        let located = findings[start].evidence.clone();
        for f in &mut findings[start + 1..end] {
            f.evidence = located.clone();
        }
        start = end;
    }
}

fn list_rules(args: &LintArgs) -> anyhow::Result<Exit> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let format = args.output.first().map(|o| o.format).unwrap_or_default();
    match format {
        LintFormat::Json | LintFormat::Yaml | LintFormat::Sarif | LintFormat::Junit => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "slug": r.slug, "severity": r.severity, "category": r.category.as_str(),
                        "title": r.title, "rationale": r.rationale, "remediation": r.remediation,
                        "references": r.references, "precision": r.precision,
                    })
                })
                .collect();
            if format == LintFormat::Yaml {
                output::write_yaml(&mut out, &rules)?;
            } else {
                output::write_json(&mut out, &rules)?;
            }
        }
        LintFormat::Table | LintFormat::Wide => output::lint::write_rules(&mut out)?,
    }
    out.flush()?;
    Ok(Exit::Yes)
}

fn write_output(spec: &LintOutput, report: &LintReport, global: &GlobalArgs) -> anyhow::Result<()> {
    let to_file = spec.path.is_some();
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        match spec.format {
            LintFormat::Table | LintFormat::Wide => output::lint::write_table(
                out,
                report,
                spec.format == LintFormat::Wide,
                global.no_headers,
                !to_file,
            ),
            LintFormat::Json => output::write_json(out, report),
            LintFormat::Yaml => output::lint::write_yaml(out, report),
            LintFormat::Sarif => output::write_json(out, &output::sarif::sarif(report)),
            LintFormat::Junit => output::junit::write(out, report),
        }
    };
    match &spec.path {
        // A file is written whole or not at all.
        Some(path) => {
            let mut buf: Vec<u8> = Vec::new();
            write(&mut buf)?;
            output::write_atomic(path, &buf)
                .with_context(|| format!("writing {}", path.display()))?
        }
        // Standard output is written as it is made (a large report's text is tens of MB).
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}
