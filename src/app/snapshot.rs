//! `kubeaudit snapshot`.

use std::io::Write;
use std::time::SystemTime;

use anyhow::{bail, Context as _};

use super::load::{connect, ensure_something_read, is_critical, recorded_missing};
use super::warn;
use crate::cli::{GlobalArgs, SnapshotArgs};
use crate::exit::Exit;
use crate::source::live::{self, FetchScope, Kind};
use crate::source::snapshot::{self, SnapshotHeader};

/// Runs `snapshot`: every kind kubeaudit reads, into one file.
pub async fn run(global: &GlobalArgs, args: SnapshotArgs) -> anyhow::Result<Exit> {
    if !global.filename.is_empty() {
        bail!("snapshot reads a live cluster; -f is not used here");
    }
    let session = connect(global).await?;
    let opts = session.fetch_options();
    let result = live::fetch(
        &session.client,
        &Kind::ALL,
        &FetchScope::AllNamespaces,
        &opts,
    )
    .await
    .with_context(|| format!("reading from the cluster at {}", session.context.server))?;
    ensure_something_read(&session, &Kind::ALL, &result)?;
    // Decode once, so a snapshot that -f could not read back is never written.
    check_readable(&result.objects)?;
    let missing = recorded_missing(&result);
    let header = SnapshotHeader {
        context: session.context.context_name.clone(),
        server: session.context.server.clone(),
        namespace: Some(session.context.namespace.clone()),
        time: snapshot::rfc3339(SystemTime::now()),
        kinds: Kind::ALL.iter().map(|k| k.kind().to_string()).collect(),
        missing: missing.clone(),
    };
    let count = result.objects.len();
    let doc = snapshot::snapshot_document(&header, result.objects);
    snapshot::write(&args.output, &doc)?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote {count} objects to {}",
        args.output.display()
    );
    if missing.is_empty() {
        return Ok(Exit::Yes);
    }
    for m in &missing {
        warn(format_args!(
            "not in the snapshot: {}{}: {}",
            m.kind,
            m.namespace
                .as_ref()
                .map(|n| format!(" in {n}"))
                .unwrap_or_default(),
            m.reason
        ));
    }
    // Only data that answers depend on makes the snapshot incomplete (Nodes, CRDs and
    // ServiceAccounts only help; see load::is_critical).
    if global.allow_incomplete || !missing.iter().any(|m| is_critical(&m.kind)) {
        Ok(Exit::Yes)
    } else {
        let _ = writeln!(std::io::stderr(), "error: the snapshot is incomplete (recorded in its header); use --allow-incomplete to accept");
        Ok(Exit::Error)
    }
}

fn check_readable(objects: &[serde_json::Value]) -> anyhow::Result<()> {
    let mut inv = crate::model::Inventory::default();
    let origin = crate::model::Origin {
        source: "cluster".into(),
        document: 0,
        line: 0,
    };
    inv.add_objects(
        objects
            .iter()
            .map(|o| (o.clone(), origin.clone()))
            .collect(),
    )
    .context("the cluster returned an object kubeaudit cannot read")?;
    Ok(())
}
