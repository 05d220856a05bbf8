//! `kubeaudit access-matrix`.

use std::io::Write;

use super::authz::Authorizers;
use super::can_i::{discovery_for, subject_from_flags};
use super::load::load;
use super::{warn, UsageError};
use crate::cli::{AccessMatrixArgs, GlobalArgs, MatrixFormat};
use crate::exit::Exit;
use crate::output;
use crate::rbac::chain::Outcome;
use crate::rbac::matrix::{access_matrix, Access};
use crate::rbac::{Attributes, Explain, ResourceAttributes};

/// Runs `access-matrix`: exit 0 with the grid; 2 when data was missing and some cell says
/// denied (it may be wrong), unless --allow-incomplete.
pub async fn run(global: &GlobalArgs, args: AccessMatrixArgs) -> anyhow::Result<Exit> {
    let verbs: Vec<String> = args
        .verbs
        .iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if verbs.is_empty() {
        return Err(UsageError("--verbs needs at least one verb".into()).into());
    }
    let Some(subject) = subject_from_flags(global)? else {
        return Err(UsageError(
            "access-matrix needs a subject: add --as USER (and --as-group GROUP as needed), e.g. --as system:serviceaccount:NS:NAME".into(),
        )
        .into());
    };
    let mut loaded = load(global).await?;
    let discovery = discovery_for(&loaded);
    let namespace = (!global.all_namespaces).then(|| loaded.namespace(global));
    let model = loaded.compile();
    let matrix = access_matrix(
        &model,
        &subject,
        namespace.as_deref(),
        discovery.iter(),
        &verbs,
    );
    let mut matrix = matrix;
    let authz = Authorizers::from_flags(global, &loaded, Some(&subject)).await?;
    let mut undecided = 0usize;
    if !authz.rbac_only() {
        // Every served cell through the whole chain (RBAC's answer is one step of it).
        for row in &mut matrix.rows {
            for (verb, cell) in &mut row.access {
                if *cell == Access::NotApplicable {
                    continue;
                }
                let attrs = Attributes::Resource(ResourceAttributes {
                    verb: verb.clone(),
                    group: row.group.clone(),
                    resource: row.resource.clone(),
                    namespace: if row.namespaced {
                        namespace.clone().unwrap_or_default()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                });
                let d = authz
                    .decide(&model, &subject, &attrs, Explain::default())
                    .await;
                *cell = match d.outcome {
                    Outcome::Allow => Access::Allowed,
                    Outcome::Indeterminate => {
                        undecided += 1;
                        Access::Denied
                    }
                    _ => Access::Denied,
                };
            }
        }
        if undecided > 0 {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot tell {undecided} cell(s): an authorizer of the chain ({}) could not be evaluated",
                authz.describe()
            );
        }
    }
    super::warn_ungranting(&matrix.errors);
    if matrix.privileged_group {
        super::note("the identity is in group system:masters: the API server allows it everything");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output {
        MatrixFormat::Json => output::write_json(&mut out, &matrix)?,
        MatrixFormat::Yaml => output::write_yaml(&mut out, &matrix)?,
        MatrixFormat::Table => {
            output::matrix::write_table(
                &mut out,
                &matrix,
                global.no_headers,
                super::netpol::table_style(global).fancy,
            )?;
        }
    }
    out.flush()?;
    if undecided > 0 {
        return Ok(Exit::Error);
    }
    if matrix.is_uncertain() {
        if global.allow_incomplete {
            warn("some data could not be read: a ✖ may be wrong");
            return Ok(Exit::Yes);
        }
        let _ = writeln!(
            std::io::stderr(),
            "error: some data could not be read, so a ✖ may be wrong (use --allow-incomplete to accept it)"
        );
        return Ok(Exit::Error);
    }
    Ok(Exit::Yes)
}
