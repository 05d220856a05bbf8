//! Writes the benchmarks' synthetic cluster (`benches/support/synthetic.rs`).
//!
//! `cargo run --release --example gen_cluster -- NAMESPACES` prints one `List` on stdout;
//! `… -- NAMESPACES --chunks DIR` writes `DIR/00000.json`, `DIR/00001.json`, … of at most 2,000
//! objects each, Namespaces and cluster-wide objects first, for `kubectl create -f` in parallel
//! (`benches/live_snapshot.sh`).

use std::path::PathBuf;

use serde_json::{json, Value};

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_cluster NAMESPACES [--chunks DIR]";
    let namespaces: usize = args
        .first()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| anyhow::anyhow!(usage))?;
    let mut objects = synthetic::cluster(namespaces);
    let Some(dir) = args
        .iter()
        .position(|a| a == "--chunks")
        .map(|i| args.get(i + 1))
    else {
        println!(
            "{}",
            json!({"apiVersion": "v1", "kind": "List", "items": objects})
        );
        return Ok(());
    };
    let dir = PathBuf::from(dir.ok_or_else(|| anyhow::anyhow!(usage))?);
    std::fs::create_dir_all(&dir)?;
    // What the others need first: Namespaces, then cluster-scoped objects.
    let rank = |o: &Value| match (o["kind"].as_str(), o["metadata"]["namespace"].is_null()) {
        (Some("Namespace"), _) => 0,
        (_, true) => 1,
        _ => 2,
    };
    objects.sort_by_key(rank);
    for (i, chunk) in objects.chunks(2000).enumerate() {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": chunk});
        std::fs::write(dir.join(format!("{i:05}.json")), list.to_string())?;
    }
    eprintln!(
        "gen_cluster: {} objects in {}",
        objects.len(),
        dir.display()
    );
    Ok(())
}
