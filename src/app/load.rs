//! Loading the inventory a command needs, from manifests or a live cluster.

use anyhow::{bail, Context as _};

use super::{note, warn};
use crate::cli::GlobalArgs;
use crate::model::{AccessModel, Inventory};
use crate::source::manifest;

/// Most decode warnings printed before summarising the rest.
const MAX_WARNINGS: usize = 20;

/// An inventory and what the command needs to know about where it came from.
pub struct Loaded {
    /// The objects.
    pub inventory: Inventory,
    /// The namespace commands use when -n is not given (context namespace, else "default").
    pub default_namespace: String,
    /// True when the objects come from a live cluster.
    pub live: bool,
}

impl Loaded {
    /// The namespace in effect: -n, else the default.
    pub fn namespace(&self, global: &GlobalArgs) -> String {
        global
            .namespace
            .clone()
            .unwrap_or_else(|| self.default_namespace.clone())
    }

    /// Compiles the access model and prints its warnings.
    pub fn compile(&self) -> AccessModel {
        let model = AccessModel::build(&self.inventory);
        print_warnings(&model.warnings);
        model
    }
}

fn print_warnings(warnings: &[crate::model::Diagnostic]) {
    for w in warnings.iter().take(MAX_WARNINGS) {
        warn(format_args!("{}: {}", w.origin, w.message));
    }
    if warnings.len() > MAX_WARNINGS {
        warn(format_args!(
            "... and {} more warnings about the input",
            warnings.len() - MAX_WARNINGS
        ));
    }
}

/// Loads the inventory from `-f` manifests, or else from the live cluster.
pub async fn load(global: &GlobalArgs) -> anyhow::Result<Loaded> {
    if global.filename.is_empty() {
        bail!(
            "no input: give manifest files with -f PATH (a file, a directory, or - for stdin); \
             this build reads live clusters only through a kubeconfig (see --kubeconfig)"
        );
    }
    let read = manifest::read_paths(&global.filename).context("reading manifests")?;
    for n in &read.notes {
        note(n);
    }
    if read.objects.is_empty() {
        bail!("no Kubernetes objects found in {}", describe_paths(global));
    }
    let mut inventory = Inventory::default();
    inventory.add_objects(read.objects)?;
    Ok(Loaded {
        inventory,
        default_namespace: "default".into(),
        live: false,
    })
}

fn describe_paths(global: &GlobalArgs) -> String {
    global
        .filename
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
