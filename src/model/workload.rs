//! Pods and workload pod templates, typed where security questions read them: the pod's
//! ServiceAccount and token mounting, host namespaces, volumes, security contexts and ports.
//!
//! One [`PodTemplate`] per Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! ReplicationController, Job and CronJob of the inventory, with the field path of its pod
//! spec, so that a finding names `spec.template.spec.containers[1].securityContext`. An object
//! that another object of the inventory controls (a Deployment's ReplicaSet, its Pods) is left
//! out: its owner's template is the one to judge and fix. Unknown fields are ignored; a field
//! of the wrong type is an error naming the object and the field.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use super::field_path::FieldPath;
use super::inventory::{display_name, DecodeError, Inventory};
use super::objects::{null_default, ObjectMeta, Origin};

/// The workload kinds and where their pod spec is, as field names.
pub const WORKLOAD_KINDS: &[(&str, &[&str])] = &[
    ("Pod", &["spec"]),
    ("Deployment", &["spec", "template", "spec"]),
    ("StatefulSet", &["spec", "template", "spec"]),
    ("DaemonSet", &["spec", "template", "spec"]),
    ("ReplicaSet", &["spec", "template", "spec"]),
    ("ReplicationController", &["spec", "template", "spec"]),
    ("Job", &["spec", "template", "spec"]),
    (
        "CronJob",
        &["spec", "jobTemplate", "spec", "template", "spec"],
    ),
];

/// The pod spec's path inside an object of this kind, or `None` for other kinds.
pub fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    WORKLOAD_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, path)| *path)
}

/// A Pod or a workload's pod template.
#[derive(Debug, Clone)]
pub struct PodTemplate {
    /// `Pod`, `Deployment`, …
    pub kind: String,
    /// The namespace (placed as `kubectl apply -n` would when the object has none).
    pub namespace: String,
    /// The object's name.
    pub name: String,
    /// The object's own annotations (where suppressions are written).
    pub annotations: BTreeMap<String, String>,
    /// The pod's labels (the template's for workloads).
    pub pod_labels: BTreeMap<String, String>,
    /// The pod's annotations (the template's for workloads; legacy AppArmor lives here).
    pub pod_annotations: BTreeMap<String, String>,
    /// Where the object was read.
    pub origin: Origin,
    /// The path of the pod spec in the object.
    pub spec_path: FieldPath,
    /// The pod spec.
    pub spec: PodSpec,
}

impl PodTemplate {
    /// The ServiceAccount the pod runs as (`default` when unset, as the API server sets it).
    pub fn service_account(&self) -> &str {
        let name = if self.spec.service_account_name.is_empty() {
            &self.spec.service_account
        } else {
            &self.spec.service_account_name
        };
        if name.is_empty() {
            "default"
        } else {
            name
        }
    }

    /// Every container with the path of the list it is in: containers, initContainers,
    /// ephemeralContainers.
    pub fn all_containers(&self) -> impl Iterator<Item = (FieldPath, &Container)> {
        let lists = [
            ("containers", &self.spec.containers),
            ("initContainers", &self.spec.init_containers),
            ("ephemeralContainers", &self.spec.ephemeral_containers),
        ];
        lists.into_iter().flat_map(move |(field, list)| {
            list.iter()
                .enumerate()
                .map(move |(i, c)| (self.spec_path.key(field).index(i), c))
        })
    }
}

/// The part of a PodSpec security questions read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    /// `serviceAccountName`.
    #[serde(default, deserialize_with = "null_default")]
    pub service_account_name: String,
    /// The deprecated `serviceAccount` (used when `serviceAccountName` is empty).
    #[serde(default, deserialize_with = "null_default")]
    pub service_account: String,
    /// `automountServiceAccountToken` (`None` when unset: the ServiceAccount decides).
    #[serde(default)]
    pub automount_service_account_token: Option<bool>,
    /// `nodeName`.
    #[serde(default, deserialize_with = "null_default")]
    pub node_name: String,
    /// `hostNetwork`.
    #[serde(default, deserialize_with = "null_default")]
    pub host_network: bool,
    /// `hostPID`.
    #[serde(default, rename = "hostPID", deserialize_with = "null_default")]
    pub host_pid: bool,
    /// `hostIPC`.
    #[serde(default, rename = "hostIPC", deserialize_with = "null_default")]
    pub host_ipc: bool,
    /// `securityContext`.
    #[serde(default, deserialize_with = "null_default")]
    pub security_context: PodSecurityContext,
    /// `containers`.
    #[serde(default, deserialize_with = "null_default")]
    pub containers: Vec<Container>,
    /// `initContainers`.
    #[serde(default, deserialize_with = "null_default")]
    pub init_containers: Vec<Container>,
    /// `ephemeralContainers`.
    #[serde(default, deserialize_with = "null_default")]
    pub ephemeral_containers: Vec<Container>,
    /// `volumes`.
    #[serde(default, deserialize_with = "null_default")]
    pub volumes: Vec<Volume>,
}

/// A container, as far as security questions go.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// `name`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// `image`.
    #[serde(default, deserialize_with = "null_default")]
    pub image: String,
    /// `securityContext` (`None` when absent).
    #[serde(default)]
    pub security_context: Option<SecurityContext>,
    /// `ports`.
    #[serde(default, deserialize_with = "null_default")]
    pub ports: Vec<ContainerPort>,
}

/// A container port.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    /// `containerPort`.
    #[serde(default, deserialize_with = "null_default")]
    pub container_port: i64,
    /// `hostPort` (0 or unset: none).
    #[serde(default, deserialize_with = "null_default")]
    pub host_port: i64,
}

/// `seccompProfile` / `appArmorProfile`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// `type`: `RuntimeDefault`, `Localhost` or `Unconfined`.
    #[serde(default, rename = "type", deserialize_with = "null_default")]
    pub kind: String,
}

/// `seLinuxOptions`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SeLinuxOptions {
    /// `user`.
    #[serde(default, deserialize_with = "null_default")]
    pub user: String,
    /// `role`.
    #[serde(default, deserialize_with = "null_default")]
    pub role: String,
    /// `type`.
    #[serde(default, rename = "type", deserialize_with = "null_default")]
    pub kind: String,
}

/// `windowsOptions`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowsOptions {
    /// `hostProcess`.
    #[serde(default)]
    pub host_process: Option<bool>,
}

/// `capabilities`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Capabilities {
    /// `add`.
    #[serde(default, deserialize_with = "null_default")]
    pub add: Vec<String>,
    /// `drop`.
    #[serde(default, deserialize_with = "null_default")]
    pub drop: Vec<String>,
}

/// A pod's `securityContext`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSecurityContext {
    /// `runAsNonRoot`.
    #[serde(default)]
    pub run_as_non_root: Option<bool>,
    /// `runAsUser`.
    #[serde(default)]
    pub run_as_user: Option<i64>,
    /// `seccompProfile`.
    #[serde(default)]
    pub seccomp_profile: Option<Profile>,
    /// `appArmorProfile`.
    #[serde(default)]
    pub app_armor_profile: Option<Profile>,
    /// `seLinuxOptions`.
    #[serde(default)]
    pub se_linux_options: Option<SeLinuxOptions>,
    /// `windowsOptions`.
    #[serde(default)]
    pub windows_options: Option<WindowsOptions>,
    /// `sysctls`.
    #[serde(default, deserialize_with = "null_default")]
    pub sysctls: Vec<Sysctl>,
}

/// A sysctl.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Sysctl {
    /// `name`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
}

/// A container's `securityContext`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityContext {
    /// `privileged`.
    #[serde(default)]
    pub privileged: Option<bool>,
    /// `allowPrivilegeEscalation`.
    #[serde(default)]
    pub allow_privilege_escalation: Option<bool>,
    /// `runAsNonRoot`.
    #[serde(default)]
    pub run_as_non_root: Option<bool>,
    /// `runAsUser`.
    #[serde(default)]
    pub run_as_user: Option<i64>,
    /// `readOnlyRootFilesystem`.
    #[serde(default)]
    pub read_only_root_filesystem: Option<bool>,
    /// `capabilities`.
    #[serde(default)]
    pub capabilities: Option<Capabilities>,
    /// `seccompProfile`.
    #[serde(default)]
    pub seccomp_profile: Option<Profile>,
    /// `appArmorProfile`.
    #[serde(default)]
    pub app_armor_profile: Option<Profile>,
    /// `seLinuxOptions`.
    #[serde(default)]
    pub se_linux_options: Option<SeLinuxOptions>,
    /// `procMount`.
    #[serde(default)]
    pub proc_mount: Option<String>,
    /// `windowsOptions`.
    #[serde(default)]
    pub windows_options: Option<WindowsOptions>,
}

/// A volume: its name, its hostPath (if that is its type) and which source type it is.
#[derive(Debug, Clone, Default)]
pub struct Volume {
    /// `name`.
    pub name: String,
    /// The volume source field (`hostPath`, `configMap`, …), the first key that is not `name`.
    pub source: String,
    /// `hostPath.path`, for hostPath volumes.
    pub host_path: Option<String>,
}

impl<'de> Deserialize<'de> for Volume {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = serde_json::Map::<String, Value>::deserialize(d)?;
        let name = match map.get("name") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(serde::de::Error::custom("field name: expected a string")),
        };
        let source = map
            .keys()
            .find(|k| *k != "name")
            .cloned()
            .unwrap_or_default();
        let host_path = map.get("hostPath").filter(|v| !v.is_null()).map(|v| {
            v.get("path")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        });
        Ok(Volume {
            name,
            source,
            host_path,
        })
    }
}

/// The controller owner of an object, from `metadata.ownerReferences`, as (kind, name).
fn controller_owner(value: &Value) -> Option<(String, String)> {
    let refs = value.pointer("/metadata/ownerReferences")?.as_array()?;
    refs.iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .or_else(|| refs.first())
        .map(|r| {
            let text = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            (text("kind"), text("name"))
        })
}

/// Every Pod and workload pod template of the inventory, except objects whose controller
/// owner is also in the inventory. Objects without a namespace are placed in the inventory's
/// default namespace.
pub fn pod_templates(inventory: &Inventory) -> Result<Vec<PodTemplate>, DecodeError> {
    let placement = if inventory.default_namespace.is_empty() {
        "default"
    } else {
        inventory.default_namespace.as_str()
    };
    let present: BTreeSet<(&str, String, String)> = inventory
        .other
        .iter()
        .filter(|o| pod_spec_path(&o.kind).is_some())
        .map(|o| {
            let text = |p: &str| o.value.pointer(p).and_then(Value::as_str).unwrap_or("");
            let ns = match text("/metadata/namespace") {
                "" => placement,
                ns => ns,
            };
            (
                o.kind.as_str(),
                ns.to_string(),
                text("/metadata/name").to_string(),
            )
        })
        .collect();
    let mut out = Vec::new();
    for raw in &inventory.other {
        let Some(path) = pod_spec_path(&raw.kind) else {
            continue;
        };
        let meta = decode::<ObjectMeta>(raw.value.get("metadata"), "metadata", raw, "")?;
        let namespace = if meta.namespace.is_empty() {
            placement.to_string()
        } else {
            meta.namespace.to_string()
        };
        if let Some((kind, name)) = controller_owner(&raw.value) {
            if present.contains(&(kind.as_str(), namespace.clone(), name)) {
                continue;
            }
        }
        let spec_pointer = format!("/{}", path.join("/"));
        let template_pointer = format!("/{}", path[..path.len() - 1].join("/"));
        let pod_meta: ObjectMeta = if raw.kind == "Pod" {
            meta.clone()
        } else {
            decode(
                raw.value.pointer(&format!("{template_pointer}/metadata")),
                &format!("{}.metadata", path[..path.len() - 1].join(".")),
                raw,
                &display_name(&meta),
            )?
        };
        let spec: PodSpec = decode(
            raw.value.pointer(&spec_pointer),
            &path.join("."),
            raw,
            &display_name(&meta),
        )?;
        out.push(PodTemplate {
            kind: raw.kind.clone(),
            namespace,
            name: meta.name.into(),
            annotations: meta.annotations,
            pod_labels: pod_meta.labels,
            pod_annotations: pod_meta.annotations,
            origin: raw.origin.clone(),
            spec_path: FieldPath::keys(path),
            spec,
        });
    }
    Ok(out)
}

fn decode<T: for<'de> Deserialize<'de> + Default>(
    value: Option<&Value>,
    field: &str,
    raw: &super::objects::RawObject,
    name: &str,
) -> Result<T, DecodeError> {
    let Some(v) = value.filter(|v| !v.is_null()) else {
        return Ok(T::default());
    };
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(v, &mut track);
    T::deserialize(de).map_err(|e| {
        let path = track.path().to_string();
        let sep = if path.starts_with('[') { "" } else { "." };
        DecodeError {
            origin: raw.origin.clone(),
            kind: raw.kind.clone(),
            name: if name.is_empty() {
                "(unnamed)".into()
            } else {
                name.into()
            },
            message: if path == "." || path.is_empty() {
                format!("field {field}: {e}")
            } else {
                format!("field {field}{sep}{path}: {e}")
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inventory(objects: Vec<Value>) -> Inventory {
        let mut inv = Inventory {
            default_namespace: "apps".into(),
            ..Inventory::default()
        };
        let origin = Origin {
            source: "t.yaml".into(),
            document: 1,
            line: 1,
        };
        inv.add_objects(objects.into_iter().map(|o| (o, origin.clone())).collect())
            .unwrap();
        inv
    }

    #[test]
    fn reads_pods_and_templates_with_their_paths() {
        let inv = inventory(vec![
            json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                   "spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{
                     "serviceAccountName":"web","hostNetwork":true,
                     "containers":[{"name":"c","securityContext":{"privileged":true},"ports":[{"containerPort":80,"hostPort":80}]}],
                     "volumes":[{"name":"h","hostPath":{"path":"/var/run"}},{"name":"e","emptyDir":{}}]}}}}),
            json!({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"nightly","namespace":"ops"},
                   "spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"j"}]}}}}}}),
            json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ops"},"spec":{}}),
        ]);
        let t = pod_templates(&inv).unwrap();
        assert_eq!(t.len(), 3);
        let web = &t[0];
        assert_eq!(
            (web.namespace.as_str(), web.service_account()),
            ("apps", "web")
        );
        assert!(web.spec.host_network);
        assert_eq!(web.spec.volumes[0].host_path.as_deref(), Some("/var/run"));
        assert_eq!(web.spec.volumes[1].source, "emptyDir");
        let (path, c) = web.all_containers().next().unwrap();
        assert_eq!(path.to_string(), "spec.template.spec.containers[0]");
        assert_eq!(c.security_context.as_ref().unwrap().privileged, Some(true));
        assert_eq!(
            t[1].spec_path.to_string(),
            "spec.jobTemplate.spec.template.spec"
        );
        assert_eq!(t[2].service_account(), "default");
    }

    #[test]
    fn owned_objects_are_judged_by_their_owner() {
        let inv = inventory(vec![
            json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"a"},"spec":{"template":{"spec":{}}}}),
            json!({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1","namespace":"a",
                   "ownerReferences":[{"kind":"Deployment","name":"web","controller":true}]},"spec":{"template":{"spec":{}}}}),
            json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1-x","namespace":"a",
                   "ownerReferences":[{"kind":"ReplicaSet","name":"web-1","controller":true}]},"spec":{}}),
            json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"orphan","namespace":"a",
                   "ownerReferences":[{"kind":"ReplicaSet","name":"gone","controller":true}]},"spec":{}}),
        ]);
        let names: Vec<String> = pod_templates(&inv)
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["web", "orphan"]);
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let inv = inventory(vec![
            json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"a"},
            "spec":{"template":{"spec":{"containers":[{"name":"c","securityContext":{"privileged":"yes"}}]}}}}),
        ]);
        let err = pod_templates(&inv).unwrap_err().to_string();
        assert!(
            err.contains("spec.template.spec.containers[0].securityContext.privileged"),
            "{err}"
        );
        assert!(err.contains("Deployment a/web"), "{err}");
    }
}
