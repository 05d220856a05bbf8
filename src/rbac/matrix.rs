//! The access matrix: for one identity, which verbs it may use on every resource the cluster
//! serves, computed in one pass over the rules that apply to it (no per-cell authorization
//! round trip, no scan of unrelated bindings).
//!
//! Each cell is the decision for a request without an object name: verb, the resource's
//! group and plural name, and the namespace (none for cluster-scoped resources).

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::attributes::{ResourceAttributes, UserInfo};
use super::authorize::SYSTEM_MASTERS;
use super::rule::resource_rule_allows;
use crate::model::discovery::ResourceInfo;
use crate::model::{AccessModel, MissingData, PolicyRule};

/// The verbs whose support discovery states; other verbs (bind, escalate, use, ...) are
/// authorized on any resource, so they are always evaluated.
pub const STANDARD_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];

/// One cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    /// Allowed.
    Allowed,
    /// Denied.
    Denied,
    /// The resource does not serve this verb (discovery), so it cannot be used.
    NotApplicable,
}

/// One resource's row: its verbs' cells, in the order of [`AccessMatrix::verbs`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatrixRow {
    /// The plural resource name.
    pub resource: String,
    /// The API group (`""` for core).
    pub group: String,
    /// Whether the resource is namespaced.
    pub namespaced: bool,
    /// verb → access, serialized as a map in verb order.
    #[serde(serialize_with = "ordered_map")]
    pub access: Vec<(String, Access)>,
}

fn ordered_map<S: Serializer>(cells: &[(String, Access)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(cells.len()))?;
    for (verb, access) in cells {
        map.serialize_entry(verb, access)?;
    }
    map.end()
}

/// What `access-matrix` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessMatrix {
    /// The identity.
    pub subject: UserInfo,
    /// The namespace namespaced resources are asked in; `None` with all namespaces (then
    /// only cluster-wide grants count).
    pub namespace: Option<String>,
    /// The verbs (columns).
    pub verbs: Vec<String>,
    /// True when the identity is in `system:masters` (everything is allowed).
    pub privileged_group: bool,
    /// One row per resource, in discovery order.
    pub rows: Vec<MatrixRow>,
    /// Bindings of the identity whose role cannot be resolved.
    pub errors: Vec<String>,
    /// False when some data could not be read: a ✖ may then be wrong.
    pub complete: bool,
    /// What could not be read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingData>,
}

impl AccessMatrix {
    /// True when some denial may be wrong because data was missing.
    pub fn is_uncertain(&self) -> bool {
        !self.complete
            && self
                .rows
                .iter()
                .any(|r| r.access.iter().any(|(_, a)| *a == Access::Denied))
    }
}

/// Computes the matrix for `user` over `resources` and `verbs`, namespaced resources asked
/// in `namespace` (`None`: across all namespaces, a request without a namespace).
pub fn access_matrix<'a>(
    model: &AccessModel,
    user: &UserInfo,
    namespace: Option<&str>,
    resources: impl IntoIterator<Item = &'a ResourceInfo>,
    verbs: &[String],
) -> AccessMatrix {
    let privileged = user.groups.iter().any(|g| g == SYSTEM_MASTERS);
    // The rules a request without a namespace sees, and those a namespaced one adds.
    let (cluster, mut errors) = model.rules_in_scope(user, "");
    let namespaced = match namespace {
        Some(ns) if !ns.is_empty() => {
            let (rules, errs) = model.rules_in_scope(user, ns);
            errors.extend(errs);
            rules
        }
        _ => Vec::new(),
    };
    // Only resource rules can allow a resource request.
    let resource_rules = |rules: Vec<super::rules_list::SourcedRule>| -> Vec<PolicyRule> {
        rules
            .into_iter()
            .map(|s| s.rule.clone())
            .filter(|r| !r.resources.is_empty())
            .collect()
    };
    let cluster = resource_rules(cluster);
    let namespaced = resource_rules(namespaced);
    let mut rows = Vec::new();
    for info in resources {
        let mut attrs = ResourceAttributes {
            group: info.group.clone(),
            resource: info.plural.clone(),
            namespace: if info.namespaced {
                namespace.unwrap_or("").to_string()
            } else {
                String::new()
            },
            ..Default::default()
        };
        let mut access = Vec::with_capacity(verbs.len());
        for verb in verbs {
            let served = !STANDARD_VERBS.contains(&verb.as_str()) || info.verbs.contains(verb);
            let cell = if !served {
                Access::NotApplicable
            } else {
                attrs.verb.clone_from(verb);
                let in_namespace = info.namespaced && !attrs.namespace.is_empty();
                let allowed = privileged
                    || cluster.iter().any(|r| resource_rule_allows(&attrs, r))
                    || (in_namespace && namespaced.iter().any(|r| resource_rule_allows(&attrs, r)));
                if allowed {
                    Access::Allowed
                } else {
                    Access::Denied
                }
            };
            access.push((verb.clone(), cell));
        }
        rows.push(MatrixRow {
            resource: info.plural.clone(),
            group: info.group.clone(),
            namespaced: info.namespaced,
            access,
        });
    }
    AccessMatrix {
        subject: user.clone(),
        namespace: namespace.map(str::to_string),
        verbs: verbs.to_vec(),
        privileged_group: privileged,
        rows,
        errors,
        complete: model.is_complete(),
        missing: model.missing.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::discovery::Discovery;
    use crate::model::Inventory;
    use crate::rbac::attributes::Attributes;
    use crate::rbac::authorize::Explain;
    use crate::rbac::identity::impersonated;

    const OBJECTS: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: mixed}
rules:
- {apiGroups: [""], resources: [pods, nodes], verbs: [get, list]}
- {apiGroups: ["apps"], resources: ["*"], verbs: ["*"]}
- {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [one]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: shop}
subjects: [{kind: User, name: dev}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: mixed}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ns-reader}
rules:
- {apiGroups: [""], resources: [namespaces], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects: [{kind: Group, name: "system:authenticated"}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ns-reader}
"#;

    fn model() -> AccessModel {
        let mut read = crate::source::manifest::ManifestRead::default();
        crate::source::manifest::read_bytes("t.yaml", OBJECTS.as_bytes(), Some(false), &mut read)
            .expect("yaml");
        let mut inv = Inventory::default();
        inv.add_objects(read.objects).expect("objects");
        AccessModel::build(&inv)
    }

    fn verbs() -> Vec<String> {
        ["get", "list", "create", "bind"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn every_cell_agrees_with_authorize() {
        let m = model();
        let d = Discovery::builtin();
        let user = impersonated("dev", &[]);
        for ns in [Some("shop"), Some("other"), None] {
            let matrix = access_matrix(&m, &user, ns, d.iter(), &verbs());
            for row in &matrix.rows {
                for (verb, cell) in &row.access {
                    if *cell == Access::NotApplicable {
                        continue;
                    }
                    let attrs = Attributes::Resource(ResourceAttributes {
                        verb: verb.clone(),
                        group: row.group.clone(),
                        resource: row.resource.clone(),
                        namespace: if row.namespaced {
                            ns.unwrap_or("").into()
                        } else {
                            String::new()
                        },
                        ..Default::default()
                    });
                    let d = m.authorize(&user, &attrs, Explain::default());
                    assert_eq!(
                        d.allowed,
                        *cell == Access::Allowed,
                        "{verb} {}.{} in {ns:?}",
                        row.resource,
                        row.group
                    );
                }
            }
        }
    }

    #[test]
    fn cluster_scoped_resources_ignore_role_bindings() {
        let m = model();
        let d = Discovery::builtin();
        let matrix = access_matrix(
            &m,
            &impersonated("dev", &[]),
            Some("shop"),
            d.iter(),
            &verbs(),
        );
        let cell = |res: &str, group: &str, verb: &str| {
            matrix
                .rows
                .iter()
                .find(|r| r.resource == res && r.group == group)
                .and_then(|r| r.access.iter().find(|(v, _)| v == verb))
                .map(|(_, a)| *a)
        };
        assert_eq!(cell("pods", "", "get"), Some(Access::Allowed));
        assert_eq!(cell("nodes", "", "get"), Some(Access::Denied));
        assert_eq!(cell("namespaces", "", "get"), Some(Access::Allowed));
        assert_eq!(cell("secrets", "", "get"), Some(Access::Denied));
        assert_eq!(cell("deployments", "apps", "bind"), Some(Access::Allowed));
        assert_eq!(
            cell("tokenreviews", "authentication.k8s.io", "get"),
            Some(Access::NotApplicable)
        );
    }
}
