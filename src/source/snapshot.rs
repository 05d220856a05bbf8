//! Snapshots: everything fetched from a cluster in one `List` file, with a header saying
//! where and when it was taken and what could not be read. Read back with `-f`, a snapshot
//! answers every question the same way the live cluster did.

use std::io::Write;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::model::MissingData;

/// The key of the header in the snapshot `List`.
pub const HEADER_KEY: &str = "kubeauditSnapshot";

/// Where and when a snapshot was taken, and what it lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotHeader {
    /// The kubeconfig context, if any.
    #[serde(default)]
    pub context: Option<String>,
    /// The API server URL.
    #[serde(default)]
    pub server: String,
    /// The context namespace, used as the default namespace when reading back.
    #[serde(default)]
    pub namespace: Option<String>,
    /// When it was taken (RFC 3339, UTC).
    #[serde(default)]
    pub time: String,
    /// The kinds fetched.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// What could not be read (empty: complete).
    #[serde(default)]
    pub missing: Vec<MissingData>,
}

/// Why a snapshot could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Creating, writing or renaming the file failed.
    #[error("writing snapshot {path}: {source}")]
    Io {
        /// The target path.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Serialising failed.
    #[error("serialising snapshot: {0}")]
    Serialize(String),
}

/// Formats a time as RFC 3339 UTC (`2026-11-23T14:35:10Z`).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    crate::source::kubeconfig::material::rfc3339(secs)
}

/// Removes what a snapshot must not carry: server bookkeeping that can hold whole object
/// copies (managedFields, last-applied-configuration) and literal environment values of
/// Pods, which are where credentials end up.
pub fn sanitize(mut obj: Value) -> Value {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
        if let Some(ann) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            ann.remove("kubectl.kubernetes.io/last-applied-configuration");
        }
    }
    if obj.get("kind").and_then(Value::as_str) == Some("Pod") {
        if let Some(spec) = obj.get_mut("spec") {
            for key in ["containers", "initContainers", "ephemeralContainers"] {
                let Some(containers) = spec.get_mut(key).and_then(Value::as_array_mut) else {
                    continue;
                };
                for c in containers {
                    let Some(env) = c.get_mut("env").and_then(Value::as_array_mut) else {
                        continue;
                    };
                    for e in env {
                        if let Some(map) = e.as_object_mut() {
                            if map.contains_key("value") {
                                map.insert(
                                    "value".into(),
                                    Value::String("<redacted by kubeaudit>".into()),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    obj
}

/// The snapshot document: a `List` of every object with the header beside `items`.
pub fn snapshot_document(header: &SnapshotHeader, objects: Vec<Value>) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {},
        HEADER_KEY: header,
        "items": objects.into_iter().map(sanitize).collect::<Vec<_>>(),
    })
}

/// Writes the snapshot atomically (a temporary file in the same directory, then a rename):
/// YAML when the file name ends in `.yaml`/`.yml`, else JSON.
pub fn write(path: &Path, doc: &Value) -> Result<(), SnapshotError> {
    let io = |source| SnapshotError::Io {
        path: path.display().to_string(),
        source,
    };
    let yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    let text = if yaml {
        serde_saphyr::to_string(doc).map_err(|e| SnapshotError::Serialize(e.to_string()))?
    } else {
        let mut s = serde_json::to_string_pretty(doc)
            .map_err(|e| SnapshotError::Serialize(e.to_string()))?;
        s.push('\n');
        s
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_format() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + std::time::Duration::from_secs(1_795_444_510)),
            "2026-11-23T14:35:10Z"
        );
    }

    #[test]
    fn pods_lose_literal_env_values() {
        let pod = json!({"kind": "Pod", "metadata": {"name": "p", "managedFields": [1], "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{secret}"}},
            "spec": {"containers": [{"name": "c", "env": [{"name": "PASSWORD", "value": "hunter2"}, {"name": "X", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}]}});
        let s = sanitize(pod).to_string();
        assert!(
            !s.contains("hunter2") && !s.contains("{secret}") && !s.contains("managedFields"),
            "{s}"
        );
        assert!(s.contains("secretKeyRef"));
    }
}
