//! Namespace selection for reports: an optional list of names and exclusion globs.

use super::error::NetpolError;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeSet;

/// Which namespaces a report covers.
#[derive(Debug, Clone, Default)]
pub struct NamespaceFilter {
    include: Option<BTreeSet<String>>,
    exclude: Option<GlobSet>,
}

impl NamespaceFilter {
    /// Every namespace.
    pub fn all() -> Self {
        Self::default()
    }

    /// Only the namespaces in `include` (all when empty), minus those matching any glob in
    /// `exclude` (e.g. `kube-*`). Exclusion wins over inclusion.
    pub fn new<S: AsRef<str>>(include: &[S], exclude: &[S]) -> Result<Self, NetpolError> {
        let include =
            (!include.is_empty()).then(|| include.iter().map(|s| s.as_ref().to_string()).collect());
        let exclude = if exclude.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for p in exclude {
                let g = Glob::new(p.as_ref()).map_err(|e| NetpolError::InvalidPattern {
                    pattern: p.as_ref().to_string(),
                    reason: e.kind().to_string(),
                })?;
                b.add(g);
            }
            Some(b.build().map_err(|e| {
                NetpolError::InvalidPattern {
                    pattern: exclude
                        .iter()
                        .map(|s| s.as_ref())
                        .collect::<Vec<_>>()
                        .join(", "),
                    reason: e.to_string(),
                }
            })?)
        };
        Ok(NamespaceFilter { include, exclude })
    }

    /// Whether a namespace is covered.
    pub fn matches(&self, namespace: &str) -> bool {
        self.include.as_ref().is_none_or(|s| s.contains(namespace))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(namespace))
    }

    /// The explicitly requested namespaces, if a list was given.
    pub fn requested(&self) -> Option<&BTreeSet<String>> {
        self.include.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_and_exclude() {
        let f = NamespaceFilter::new::<&str>(&[], &["kube-*"]).expect("valid");
        assert!(f.matches("default"));
        assert!(!f.matches("kube-system"));
        let f = NamespaceFilter::new(&["a", "kube-public"], &["kube-*"]).expect("valid");
        assert!(f.matches("a"));
        assert!(!f.matches("b"));
        assert!(!f.matches("kube-public"));
        assert!(NamespaceFilter::all().matches("anything"));
        assert!(NamespaceFilter::new::<&str>(&[], &["a[b"]).is_err());
    }
}
