//! `kubeaudit contexts`.

use std::io::Write;
use std::time::SystemTime;

use anyhow::Context as _;
use comfy_table::{presets, Table};

use crate::cli::{ContextsArgs, GlobalArgs, OutputFormat};
use crate::exit::Exit;
use crate::output;
use crate::source::contexts::audit_contexts;
use crate::source::kubeconfig::{self, KubeEnv};

/// Runs `contexts`: one row per context, and its credential findings. Exit 1 when any.
pub fn run(global: &GlobalArgs, args: ContextsArgs) -> anyhow::Result<Exit> {
    let env = KubeEnv::from_process();
    let loaded =
        kubeconfig::load(global.kubeconfig.as_deref(), &env).context("loading kubeconfig")?;
    for w in loaded.warnings() {
        super::warn(w);
    }
    let reports = audit_contexts(&loaded, SystemTime::now());
    if reports.is_empty() {
        super::note("no kubeconfig contexts found (read from --kubeconfig, else $KUBECONFIG, else ~/.kube/config)");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.output {
        OutputFormat::Json => output::write_json(&mut out, &reports)?,
        OutputFormat::Yaml => output::write_yaml(&mut out, &reports)?,
        OutputFormat::Table | OutputFormat::Wide => {
            let mut table = Table::new();
            table.load_preset(presets::NOTHING);
            if !global.no_headers {
                table.set_header([
                    "CURRENT",
                    "NAME",
                    "SERVER",
                    "USER",
                    "AUTH",
                    "NAMESPACE",
                    "FINDINGS",
                ]);
            }
            for r in &reports {
                let findings = if r.findings.is_empty() {
                    "-".to_string()
                } else if args.output == OutputFormat::Wide {
                    r.findings
                        .iter()
                        .map(|f| format!("[{}] {}", output::label(&f.severity), f.message))
                        .collect::<Vec<_>>()
                        .join("\n")
                } else {
                    let mut ids: Vec<String> = Vec::new();
                    for f in &r.findings {
                        let id = output::label(&f.id);
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    ids.join(",")
                };
                table.add_row([
                    if r.current {
                        "*".to_string()
                    } else {
                        String::new()
                    },
                    r.name.clone(),
                    r.server.clone().unwrap_or_default(),
                    r.user.clone().unwrap_or_default(),
                    r.auth_method.to_string(),
                    r.namespace.clone(),
                    findings,
                ]);
            }
            writeln!(out, "{}", output::trim_table(&table.to_string()))?;
        }
    }
    out.flush()?;
    Ok(if reports.iter().any(|r| !r.findings.is_empty()) {
        Exit::No
    } else {
        Exit::Yes
    })
}
