//! API discovery: which resources a cluster serves, and kubectl's resolution of a resource
//! argument (`po`, `deploy.apps`, `deployments.v1.apps`, ...) to a group and plural resource.
//!
//! [`Discovery`] holds the built-in resources of a default kube-apiserver 1.35 plus any
//! CustomResourceDefinitions added with [`Discovery::add_crd`]. [`Discovery::resolve`]
//! reproduces what kubectl's REST mapper does (the shortcut expander wrapped around the
//! discovery-based priority mapper), including its quirks, because `kubectl auth can-i`
//! sends whatever that mapper answers.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[path = "resources_v1_35.rs"]
mod builtin;

/// Verbs of every custom resource (the CRD handler serves all of them).
const CRD_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// Verbs of a custom resource's `/status` and `/scale` subresources.
const CRD_SUBRESOURCE_VERBS: &[&str] = &["get", "patch", "update"];

/// Resources that the API server authorizes but does not serve, so discovery never lists
/// them: the targets of the `impersonate` verb. Pairs of (API group, resource). Attributes
/// for `userextras` carry the extra's key as subresource.
pub const IMPERSONATION_TARGETS: &[(&str, &str)] = &[
    ("", "users"),
    ("", "groups"),
    ("", "serviceaccounts"),
    ("authentication.k8s.io", "uids"),
    ("authentication.k8s.io", "userextras"),
];

/// A subresource of an API resource, e.g. `log` of `pods`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubresourceInfo {
    /// The subresource name (the part after `/`), e.g. `log`, `scale`, `status`.
    pub name: String,
    /// The verbs discovery lists for the subresource.
    pub verbs: Vec<String>,
}

/// One served API resource in one group version, as discovery describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceInfo {
    /// The API group; `""` is the core group.
    pub group: String,
    /// The version this entry is served at, e.g. `v1`.
    pub version: String,
    /// The plural resource name used in URLs and RBAC rules, e.g. `pods`.
    pub plural: String,
    /// The singular name, e.g. `pod`.
    pub singular: String,
    /// The kind, e.g. `Pod`.
    pub kind: String,
    /// Short names, e.g. `po`.
    pub short_names: Vec<String>,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// The verbs discovery lists for the resource.
    pub verbs: Vec<String>,
    /// The subresources served for the resource.
    pub subresources: Vec<SubresourceInfo>,
}

/// A fully qualified resource as kubectl's REST mapper returns it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GroupVersionResource {
    /// The API group; `""` is the core group.
    pub group: String,
    /// The version; `""` when not specified.
    pub version: String,
    /// The (plural) resource name.
    pub resource: String,
}

/// A group and resource, as parsed from a `resource[.group]` argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupResource {
    /// The group part (everything after the first `.`), or `""`.
    pub group: String,
    /// The resource part (everything before the first `.`).
    pub resource: String,
}

impl GroupResource {
    /// The upstream `GroupResource.String()` form: `resource.group`, or `resource` when the
    /// group is empty.
    pub fn to_kube_string(&self) -> String {
        if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

/// What kubectl's REST mapper answered for a resource argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ResolutionOutcome {
    /// The argument maps to this resource.
    Resolved {
        /// The group, version and plural resource the mapper chose.
        gvr: GroupVersionResource,
        /// Discovery's entry for it. `None` only for mapper-internal names that discovery does
        /// not list (kubectl's mapper also maps the guessed plural of `<Kind>List` and `List`,
        /// e.g. `podlists`, `lists`).
        info: Option<Box<ResourceInfo>>,
    },
    /// No resource matches.
    NoMatch,
    /// Several resources match and the priority order cannot pick one.
    Ambiguous {
        /// Every candidate.
        candidates: Vec<GroupVersionResource>,
    },
    /// The argument has no resource part (empty string).
    Empty,
}

/// The result of [`Discovery::resolve`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolution {
    /// The lower-cased argument split as `resource[.group]` (upstream `ParseGroupResource`);
    /// kubectl names this in its "doesn't have a resource type" warning.
    pub parsed: GroupResource,
    /// The mapper's answer.
    pub outcome: ResolutionOutcome,
    /// Warnings the mapper printed on the way (ambiguous short names), without the
    /// `Warning: ` prefix, in order.
    pub warnings: Vec<String>,
}

impl Resolution {
    /// The resolved resource, if any.
    pub fn gvr(&self) -> Option<&GroupVersionResource> {
        match &self.outcome {
            ResolutionOutcome::Resolved { gvr, .. } => Some(gvr),
            _ => None,
        }
    }

    /// Discovery's entry for the resolved resource, if any.
    pub fn info(&self) -> Option<&ResourceInfo> {
        match &self.outcome {
            ResolutionOutcome::Resolved { info, .. } => info.as_deref(),
            _ => None,
        }
    }
}

/// Why a CustomResourceDefinition could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrdError {
    /// A field is missing or has the wrong shape.
    #[error("CustomResourceDefinition {crd}: field {field}: expected {expected}")]
    InvalidField {
        /// `metadata.name` of the CRD, or `<unnamed>`.
        crd: String,
        /// The JSON path of the field, e.g. `spec.names.plural`.
        field: String,
        /// What was expected there.
        expected: String,
    },
    /// The object is not an `apiextensions.k8s.io/v1` CustomResourceDefinition.
    #[error("{crd}: expected an apiextensions.k8s.io/v1 CustomResourceDefinition, found {found}")]
    NotACrd {
        /// `metadata.name` of the object, or `<unnamed>`.
        crd: String,
        /// The apiVersion/kind found.
        found: String,
    },
    /// Discovery already has a resource with the same group, version and plural name.
    #[error(
        "CustomResourceDefinition {crd}: resource {plural} in {group}/{version} is already served"
    )]
    Duplicate {
        /// `metadata.name` of the CRD.
        crd: String,
        /// The group.
        group: String,
        /// The version.
        version: String,
        /// The plural name.
        plural: String,
    },
}

/// One served version of a group, with its resources in discovery order.
#[derive(Debug, Clone)]
struct VersionEntry {
    version: String,
    resources: Vec<ResourceInfo>,
}

/// One API group; `versions[0]` is the preferred version.
#[derive(Debug, Clone)]
struct GroupEntry {
    name: String,
    versions: Vec<VersionEntry>,
    /// Groups created for CRDs: ordered after the built-in groups, by name, with versions in
    /// kube-aware version order (their APIServices all get the same priorities).
    custom: bool,
}

/// The resources a cluster serves: the built-in table plus added CRDs, in discovery order.
#[derive(Debug, Clone)]
pub struct Discovery {
    groups: Vec<GroupEntry>,
}

impl Default for Discovery {
    fn default() -> Self {
        Self::builtin()
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_string()).collect()
}

impl Discovery {
    /// Discovery of a default kube-apiserver 1.35 without any CRDs.
    pub fn builtin() -> Self {
        let groups = builtin::GROUPS
            .iter()
            .map(|g| GroupEntry {
                name: g.name.to_string(),
                custom: false,
                versions: g
                    .versions
                    .iter()
                    .map(|v| VersionEntry {
                        version: v.version.to_string(),
                        resources: v
                            .resources
                            .iter()
                            .map(|r| ResourceInfo {
                                group: g.name.to_string(),
                                version: v.version.to_string(),
                                plural: r.plural.to_string(),
                                singular: r.singular.to_string(),
                                kind: r.kind.to_string(),
                                short_names: strings(r.short_names),
                                namespaced: r.namespaced,
                                verbs: strings(r.verbs),
                                subresources: r
                                    .subresources
                                    .iter()
                                    .map(|s| SubresourceInfo {
                                        name: s.name.to_string(),
                                        verbs: strings(s.verbs),
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        Discovery { groups }
    }

    /// Adds the resources served for an `apiextensions.k8s.io/v1` CustomResourceDefinition
    /// (one entry per served version). `apiVersion`/`kind` may be absent (list items), but
    /// when present they must name a v1 CRD.
    pub fn add_crd(&mut self, crd_json: &Value) -> Result<(), CrdError> {
        let crd = parse_crd(crd_json)?;
        for v in crd.versions.iter().filter(|v| v.served) {
            if self
                .lookup_version(&crd.group, &v.name, &crd.plural)
                .is_some()
            {
                return Err(CrdError::Duplicate {
                    crd: crd.name.clone(),
                    group: crd.group.clone(),
                    version: v.name.clone(),
                    plural: crd.plural.clone(),
                });
            }
        }
        for v in crd.versions.iter().filter(|v| v.served) {
            let mut subresources = Vec::new();
            if v.scale {
                subresources.push(SubresourceInfo {
                    name: "scale".to_string(),
                    verbs: strings(CRD_SUBRESOURCE_VERBS),
                });
            }
            if v.status {
                subresources.push(SubresourceInfo {
                    name: "status".to_string(),
                    verbs: strings(CRD_SUBRESOURCE_VERBS),
                });
            }
            let info = ResourceInfo {
                group: crd.group.clone(),
                version: v.name.clone(),
                plural: crd.plural.clone(),
                singular: crd.singular.clone(),
                kind: crd.kind.clone(),
                short_names: crd.short_names.clone(),
                namespaced: crd.namespaced,
                verbs: strings(CRD_VERBS),
                subresources,
            };
            self.insert(info);
        }
        Ok(())
    }

    /// Puts a CRD-served resource at its discovery position.
    fn insert(&mut self, info: ResourceInfo) {
        let gi = match self.groups.iter().position(|g| g.name == info.group) {
            Some(i) => i,
            None => {
                // CRD groups sort after every built-in group, and by name among themselves.
                let at = self
                    .groups
                    .iter()
                    .position(|g| g.custom && g.name > info.group)
                    .unwrap_or(self.groups.len());
                self.groups.insert(
                    at,
                    GroupEntry {
                        name: info.group.clone(),
                        versions: Vec::new(),
                        custom: true,
                    },
                );
                at
            }
        };
        let group = &mut self.groups[gi];
        let vi = match group
            .versions
            .iter()
            .position(|v| v.version == info.version)
        {
            Some(i) => i,
            None => {
                let at = if group.custom {
                    group
                        .versions
                        .iter()
                        .position(|v| {
                            compare_kube_aware_versions(&info.version, &v.version)
                                == std::cmp::Ordering::Greater
                        })
                        .unwrap_or(group.versions.len())
                } else {
                    group.versions.len()
                };
                group.versions.insert(
                    at,
                    VersionEntry {
                        version: info.version.clone(),
                        resources: Vec::new(),
                    },
                );
                at
            }
        };
        let resources = &mut group.versions[vi].resources;
        let at = resources
            .iter()
            .position(|r| r.plural > info.plural)
            .unwrap_or(resources.len());
        resources.insert(at, info);
    }

    /// Every resource once per (group, plural), at the highest-priority version serving it
    /// (the preferred version for nearly all), in discovery order. Suitable for an access
    /// matrix.
    pub fn iter(&self) -> impl Iterator<Item = &ResourceInfo> + '_ {
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        self.iter_all_versions()
            .filter(move |r| seen.insert((r.group.as_str(), r.plural.as_str())))
    }

    /// Every resource at every served version, in discovery order.
    pub fn iter_all_versions(&self) -> impl Iterator<Item = &ResourceInfo> + '_ {
        self.groups
            .iter()
            .flat_map(|g| g.versions.iter())
            .flat_map(|v| v.resources.iter())
    }

    /// The group names in discovery order (core `""` first).
    pub fn group_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.groups.iter().map(|g| g.name.as_str())
    }

    /// The preferred version of a group.
    pub fn preferred_version(&self, group: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|g| g.name == group)
            .and_then(|g| g.versions.first())
            .map(|v| v.version.as_str())
    }

    /// The entry of `resource` (plural) in `group`, at the highest-priority version serving it.
    pub fn lookup(&self, group: &str, resource: &str) -> Option<&ResourceInfo> {
        self.groups
            .iter()
            .filter(|g| g.name == group)
            .flat_map(|g| g.versions.iter())
            .flat_map(|v| v.resources.iter())
            .find(|r| r.plural == resource)
    }

    /// The entry of `resource` (plural) in `group`/`version`.
    pub fn lookup_version(
        &self,
        group: &str,
        version: &str,
        resource: &str,
    ) -> Option<&ResourceInfo> {
        self.groups
            .iter()
            .filter(|g| g.name == group)
            .flat_map(|g| g.versions.iter())
            .filter(|v| v.version == version)
            .flat_map(|v| v.resources.iter())
            .find(|r| r.plural == resource)
    }

    /// Whether `resource` (plural) of `group` is namespaced; `None` when discovery does not
    /// know it.
    pub fn is_namespaced(&self, group: &str, resource: &str) -> Option<bool> {
        self.lookup(group, resource).map(|r| r.namespaced)
    }

    /// Resolves a kubectl resource argument exactly as `kubectl auth can-i` does before its
    /// fallback: lower-case it, split it with upstream `ParseResourceArg`
    /// (`resource.version.group` when it has two or more dots, and `resource.group`), try
    /// the fully specified form first, then the group/resource form, each through the
    /// shortcut expander and the discovery priority mapper. `*` is not special here.
    pub fn resolve(&self, type_arg: &str) -> Resolution {
        let arg = type_arg.to_lowercase();
        let parsed = parse_group_resource(&arg);
        let mut warnings = Vec::new();
        let mut outcome = None;
        if let Some(full) = parse_fully_specified(&arg) {
            if let Ok(gvr) = self.resource_for(&full, &mut warnings) {
                outcome = Some(gvr);
            }
        }
        let outcome = match outcome {
            Some(gvr) => Ok(gvr),
            None => {
                let partial = GroupVersionResource {
                    group: parsed.group.clone(),
                    version: String::new(),
                    resource: parsed.resource.clone(),
                };
                self.resource_for(&partial, &mut warnings)
            }
        };
        let outcome = match outcome {
            Ok(gvr) => {
                let info = self
                    .lookup_version(&gvr.group, &gvr.version, &gvr.resource)
                    .cloned()
                    .map(Box::new);
                ResolutionOutcome::Resolved { gvr, info }
            }
            Err(MapperError::NoMatch) => ResolutionOutcome::NoMatch,
            Err(MapperError::Ambiguous(candidates)) => ResolutionOutcome::Ambiguous { candidates },
            Err(MapperError::Empty) => ResolutionOutcome::Empty,
        };
        Resolution {
            parsed,
            outcome,
            warnings,
        }
    }

    /// Upstream `shortcutExpander.ResourceFor`: expand, then ask the priority mapper.
    fn resource_for(
        &self,
        input: &GroupVersionResource,
        warnings: &mut Vec<String>,
    ) -> Result<GroupVersionResource, MapperError> {
        let expanded = self.expand_shortcut(input, warnings);
        self.priority_resource_for(&expanded)
    }

    /// Upstream `expandResourceShortcut`.
    fn expand_shortcut(
        &self,
        input: &GroupVersionResource,
        warnings: &mut Vec<String>,
    ) -> GroupVersionResource {
        // A full resource or singular name is never treated as a short name. Subresource
        // entries have an empty singular name in discovery, which only an empty argument
        // matches; the outcome for that is the same either way (returned unchanged).
        for g in &self.groups {
            if !input.group.is_empty() && input.group != g.name {
                continue;
            }
            for v in &g.versions {
                for r in &v.resources {
                    if input.resource == r.plural
                        || input.resource == r.singular
                        || (input.resource.is_empty() && !r.subresources.is_empty())
                    {
                        return input.clone();
                    }
                }
            }
        }

        // (short form group, short name, long form group, plural), in discovery order.
        let shortcuts: Vec<(&str, &str, &str)> = self
            .groups
            .iter()
            .flat_map(|g| g.versions.iter().map(move |v| (g, v)))
            .flat_map(|(g, v)| {
                v.resources.iter().flat_map(move |r| {
                    r.short_names
                        .iter()
                        .map(move |s| (g.name.as_str(), s.as_str(), r.plural.as_str()))
                })
            })
            .collect();

        let mut found: Option<(String, String)> = None;
        let mut warned: Vec<(&str, &str)> = Vec::new();
        for &(group, short, plural) in &shortcuts {
            if !input.group.is_empty() && input.group != group {
                continue;
            }
            if input.resource != short {
                continue;
            }
            match &found {
                Some((fg, fr)) => {
                    // The same group/resource at another version is not ambiguous.
                    if fg == group && fr == plural {
                        continue;
                    }
                    if !warned.contains(&(group, plural)) {
                        let long = GroupResource {
                            group: group.to_string(),
                            resource: plural.to_string(),
                        };
                        warnings.push(format!(
                            "short name {} could also match lower priority resource {}",
                            go_quote(&input.resource),
                            long.to_kube_string()
                        ));
                        warned.push((group, plural));
                    }
                }
                None => found = Some((group.to_string(), plural.to_string())),
            }
        }
        if let Some((group, resource)) = found {
            // The version is dropped on purpose: upstream builds a fresh value here.
            return GroupVersionResource {
                group,
                version: String::new(),
                resource,
            };
        }

        // No exact short name: a group prefix may still match ("autoscal" → "autoscaling").
        if input.group.is_empty() {
            return input.clone();
        }
        for &(group, short, plural) in &shortcuts {
            if group.starts_with(input.group.as_str()) && input.resource == short {
                return GroupVersionResource {
                    group: group.to_string(),
                    version: input.version.clone(),
                    resource: plural.to_string(),
                };
            }
        }
        input.clone()
    }

    /// The (plural, singular) pairs kubectl's discovery mapper registers for one group
    /// version: every resource with its singular name, plus the guessed names of
    /// `<Kind>List` for every resource and of `List` itself (an upstream quirk). Later
    /// registrations of the same plural replace the singular, like the upstream map.
    fn mapper_entries(v: &VersionEntry) -> Vec<(String, String)> {
        let mut entries: Vec<(String, String)> = Vec::new();
        let mut put = |plural: String, singular: String| {
            if let Some(e) = entries.iter_mut().find(|e| e.0 == plural) {
                e.1 = singular;
            } else {
                entries.push((plural, singular));
            }
        };
        for r in &v.resources {
            let singular = if r.singular.is_empty() {
                guess_kind_to_resource(&r.kind).1
            } else {
                r.singular.clone()
            };
            put(r.plural.clone(), singular);
            let (p, s) = guess_kind_to_resource(&format!("{}List", r.kind));
            put(p, s);
        }
        let (p, s) = guess_kind_to_resource("List");
        put(p, s);
        entries
    }

    /// Upstream `DefaultRESTMapper.ResourcesFor` of one group version's mapper.
    fn gv_resources_for(
        group: &str,
        v: &VersionEntry,
        input: &GroupVersionResource,
    ) -> Vec<GroupVersionResource> {
        let entries = Self::mapper_entries(v);
        let gvr = |res: &str| GroupVersionResource {
            group: group.to_string(),
            version: v.version.clone(),
            resource: res.to_string(),
        };
        let has_group = !input.group.is_empty();
        let has_version = !input.version.is_empty();
        let mut out = Vec::new();
        match (has_group, has_version) {
            (true, true) => {
                if group == input.group && v.version == input.version {
                    if let Some((p, _)) = entries
                        .iter()
                        .find(|(p, s)| *s == input.resource || *p == input.resource)
                    {
                        out.push(gvr(p));
                    }
                }
            }
            (true, false) => {
                let mut exact = false;
                if group == input.group {
                    for (p, s) in &entries {
                        if *s == input.resource {
                            exact = true;
                            out.push(gvr(p));
                        }
                        if *p == input.resource {
                            exact = true;
                            out.push(gvr(p));
                        }
                    }
                }
                // Only without an exact match in this mapper: a group prefix matches
                // ("storageclass.storage" finds storage.k8s.io).
                if !exact && group.starts_with(input.group.as_str()) {
                    for (p, s) in &entries {
                        if *s == input.resource {
                            out.push(gvr(p));
                        }
                        if *p == input.resource {
                            out.push(gvr(p));
                        }
                    }
                }
            }
            (false, true) => {
                if v.version == input.version {
                    for (p, s) in &entries {
                        if *s == input.resource {
                            out.push(gvr(p));
                        }
                        if *p == input.resource {
                            out.push(gvr(p));
                        }
                    }
                }
            }
            (false, false) => {
                for (p, s) in &entries {
                    if *s == input.resource {
                        out.push(gvr(p));
                    }
                    if *p == input.resource {
                        out.push(gvr(p));
                    }
                }
            }
        }
        out
    }

    /// Upstream `PriorityRESTMapper.ResourceFor` over the `MultiRESTMapper` of every group
    /// version: collect every match (de-duplicated, discovery order), then narrow with the
    /// priority patterns (core v1; each group's preferred then other versions; each group
    /// at any version) until exactly one is left.
    fn priority_resource_for(
        &self,
        input: &GroupVersionResource,
    ) -> Result<GroupVersionResource, MapperError> {
        if input.resource.is_empty() {
            return Err(MapperError::Empty);
        }
        let mut all: Vec<GroupVersionResource> = Vec::new();
        for g in &self.groups {
            for v in &g.versions {
                for m in Self::gv_resources_for(&g.name, v, input) {
                    if !all.contains(&m) {
                        all.push(m);
                    }
                }
            }
        }
        if all.is_empty() {
            return Err(MapperError::NoMatch);
        }

        // (group, Some(version)) matches that group version; (group, None) any version.
        let mut patterns: Vec<(&str, Option<&str>)> = vec![("", Some("v1"))];
        for g in &self.groups {
            if let Some(preferred) = g.versions.first() {
                patterns.push((g.name.as_str(), Some(preferred.version.as_str())));
            }
            for v in g.versions.iter().skip(1) {
                patterns.push((g.name.as_str(), Some(v.version.as_str())));
            }
        }
        for g in &self.groups {
            patterns.push((g.name.as_str(), None));
        }

        let mut remaining = all.clone();
        for (group, version) in patterns {
            let matched: Vec<GroupVersionResource> = remaining
                .iter()
                .filter(|r| r.group == group && version.is_none_or(|v| r.version == v))
                .cloned()
                .collect();
            if matched.len() > 1 {
                remaining = matched;
            } else if let Some(only) = matched.into_iter().next() {
                return Ok(only);
            }
        }
        Err(MapperError::Ambiguous(all))
    }
}

/// Why the mapper found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum MapperError {
    NoMatch,
    Ambiguous(Vec<GroupVersionResource>),
    Empty,
}

/// Upstream `ParseGroupResource`: split at the first `.`.
fn parse_group_resource(arg: &str) -> GroupResource {
    match arg.split_once('.') {
        Some((resource, group)) => GroupResource {
            group: group.to_string(),
            resource: resource.to_string(),
        },
        None => GroupResource {
            group: String::new(),
            resource: arg.to_string(),
        },
    }
}

/// The fully specified half of upstream `ParseResourceArg`: with two or more dots the
/// argument is `resource.version.group`.
fn parse_fully_specified(arg: &str) -> Option<GroupVersionResource> {
    if arg.matches('.').count() < 2 {
        return None;
    }
    let mut parts = arg.splitn(3, '.');
    let resource = parts.next()?.to_string();
    let version = parts.next()?.to_string();
    let group = parts.next()?.to_string();
    Some(GroupVersionResource {
        group,
        version,
        resource,
    })
}

/// Upstream `UnsafeGuessKindToResource`: (plural, singular) guessed from a kind.
fn guess_kind_to_resource(kind: &str) -> (String, String) {
    if kind.is_empty() {
        return (String::new(), String::new());
    }
    let singular = kind.to_lowercase();
    if singular.ends_with("endpoints") {
        return (singular.clone(), singular);
    }
    let plural = if let Some(stem) = singular.strip_suffix('s') {
        format!("{stem}ses")
    } else if let Some(stem) = singular.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{singular}s")
    };
    (plural, singular)
}

/// Go's `%q` for the ASCII strings that can reach it (short names are DNS labels).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Parses a Kubernetes version string of the form `v<major>[(alpha|beta)<minor>]`.
fn parse_kube_version(v: &str) -> Option<(u64, u8, u64)> {
    let rest = v.strip_prefix('v')?;
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits_end == 0 {
        return None;
    }
    let major: u64 = rest[..digits_end].parse().ok()?;
    let tail = &rest[digits_end..];
    if tail.is_empty() {
        return Some((major, 2, 0));
    }
    let (kind, minor) = if let Some(m) = tail.strip_prefix("alpha") {
        (0u8, m)
    } else if let Some(m) = tail.strip_prefix("beta") {
        (1u8, m)
    } else {
        return None;
    };
    if minor.is_empty() || !minor.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((major, kind, minor.parse().ok()?))
}

/// Upstream `CompareKubeAwareVersionStrings`: `Greater` means `a` has higher priority.
/// GA > beta > alpha, then higher major, then higher minor; non-Kubernetes-like versions
/// rank below all Kubernetes-like ones, in ascending lexical order.
fn compare_kube_aware_versions(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    if a == b {
        return Ordering::Equal;
    }
    match (parse_kube_version(a), parse_kube_version(b)) {
        (None, None) => b.cmp(a),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some((amaj, akind, amin)), Some((bmaj, bkind, bmin))) => akind
            .cmp(&bkind)
            .then(amaj.cmp(&bmaj))
            .then(amin.cmp(&bmin)),
    }
}

/// The parts of a CRD that discovery uses.
struct ParsedCrd {
    name: String,
    group: String,
    plural: String,
    singular: String,
    kind: String,
    short_names: Vec<String>,
    namespaced: bool,
    versions: Vec<ParsedCrdVersion>,
}

struct ParsedCrdVersion {
    name: String,
    served: bool,
    status: bool,
    scale: bool,
}

/// Whether `s` is a DNS-1035 label, the form the API server requires of CRD names.
fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn parse_crd(v: &Value) -> Result<ParsedCrd, CrdError> {
    let name = v
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("<unnamed>")
        .to_string();
    let invalid = |field: &str, expected: &str| CrdError::InvalidField {
        crd: name.clone(),
        field: field.to_string(),
        expected: expected.to_string(),
    };
    if !v.is_object() {
        return Err(invalid("(document)", "a JSON object"));
    }
    let api_version = v.get("apiVersion").and_then(Value::as_str);
    let kind = v.get("kind").and_then(Value::as_str);
    let api_ok = api_version.is_none_or(|a| a == "apiextensions.k8s.io/v1");
    let kind_ok = kind.is_none_or(|k| k == "CustomResourceDefinition");
    if !api_ok || !kind_ok {
        return Err(CrdError::NotACrd {
            crd: name.clone(),
            found: format!("{}/{}", api_version.unwrap_or(""), kind.unwrap_or("")),
        });
    }

    let str_field = |path: &str, field: &str| -> Result<String, CrdError> {
        match v.pointer(path) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            _ => Err(invalid(field, "a non-empty string")),
        }
    };
    let group = str_field("/spec/group", "spec.group")?;
    let plural = str_field("/spec/names/plural", "spec.names.plural")?;
    let res_kind = str_field("/spec/names/kind", "spec.names.kind")?;
    if !is_dns_label(&plural) {
        return Err(invalid(
            "spec.names.plural",
            "a lower-case DNS label (as the API server requires)",
        ));
    }
    let singular = match v.pointer("/spec/names/singular") {
        None | Some(Value::Null) => res_kind.to_lowercase(),
        Some(Value::String(s)) if s.is_empty() => res_kind.to_lowercase(),
        Some(Value::String(s)) if is_dns_label(s) => s.clone(),
        Some(_) => {
            return Err(invalid(
                "spec.names.singular",
                "a lower-case DNS label (as the API server requires)",
            ))
        }
    };
    let short_names = match v.pointer("/spec/names/shortNames") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) if is_dns_label(s) => out.push(s.to_string()),
                    _ => {
                        return Err(invalid(
                            &format!("spec.names.shortNames[{i}]"),
                            "a lower-case DNS label",
                        ))
                    }
                }
            }
            out
        }
        Some(_) => return Err(invalid("spec.names.shortNames", "a list of strings")),
    };
    let namespaced = match v.pointer("/spec/scope").and_then(Value::as_str) {
        Some("Namespaced") => true,
        Some("Cluster") => false,
        _ => return Err(invalid("spec.scope", "\"Namespaced\" or \"Cluster\"")),
    };
    let items = match v.pointer("/spec/versions") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => return Err(invalid("spec.versions", "a non-empty list of versions")),
    };
    let mut versions = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let vname = match item.get("name") {
            Some(Value::String(s)) if is_dns_label(s) => s.clone(),
            _ => {
                return Err(invalid(
                    &format!("spec.versions[{i}].name"),
                    "a lower-case DNS label",
                ))
            }
        };
        let served = match item.get("served") {
            Some(Value::Bool(b)) => *b,
            _ => return Err(invalid(&format!("spec.versions[{i}].served"), "a boolean")),
        };
        let sub = item.get("subresources");
        let status = sub
            .and_then(|s| s.get("status"))
            .is_some_and(|s| !s.is_null());
        let scale = sub
            .and_then(|s| s.get("scale"))
            .is_some_and(|s| !s.is_null());
        versions.push(ParsedCrdVersion {
            name: vname,
            served,
            status,
            scale,
        });
    }
    Ok(ParsedCrd {
        name,
        group,
        plural,
        singular,
        kind: res_kind,
        short_names,
        namespaced,
        versions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolved(d: &Discovery, arg: &str) -> Option<(String, String)> {
        d.resolve(arg)
            .gvr()
            .map(|g| (g.group.clone(), g.resource.clone()))
    }

    fn gr(group: &str, resource: &str) -> Option<(String, String)> {
        Some((group.to_string(), resource.to_string()))
    }

    fn widget_crd() -> Value {
        json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {
                "group": "example.com",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget",
                          "shortNames": ["wd"]},
                "scope": "Namespaced",
                "versions": [
                    {"name": "v1beta1", "served": true, "storage": false},
                    {"name": "v1", "served": true, "storage": true,
                     "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.r",
                                                            "statusReplicasPath": ".status.r"}}},
                    {"name": "v1alpha1", "served": false, "storage": false}
                ]
            }
        })
    }

    #[test]
    fn table_is_consistent() {
        let d = Discovery::builtin();
        let all: Vec<_> = d.iter().collect();
        assert_eq!(all.len(), 65, "built-in resources (unique group/resource)");
        assert_eq!(
            d.iter_all_versions().count(),
            66,
            "autoscaling/v1 hpa as well"
        );
        let mut seen = HashSet::new();
        for r in d.iter_all_versions() {
            assert!(
                seen.insert((r.group.clone(), r.version.clone(), r.plural.clone())),
                "duplicate {}/{}/{}",
                r.group,
                r.version,
                r.plural
            );
            assert!(!r.verbs.is_empty() && !r.kind.is_empty() && !r.singular.is_empty());
            assert_eq!(r.singular, r.kind.to_lowercase(), "{}", r.plural);
        }
    }

    #[test]
    fn table_matches_k8s_openapi_metadata() {
        use k8s_openapi::api::{apps::v1 as apps, core::v1 as core};
        use k8s_openapi::Resource;
        fn check<R: Resource>(d: &Discovery, namespaced: bool) {
            let info = d
                .lookup_version(R::GROUP, R::VERSION, R::URL_PATH_SEGMENT)
                .unwrap_or_else(|| panic!("missing {}", R::KIND));
            assert_eq!(info.kind, R::KIND);
            assert_eq!(info.namespaced, namespaced, "{}", R::KIND);
        }
        let d = Discovery::builtin();
        check::<core::Pod>(&d, true);
        check::<core::Node>(&d, false);
        check::<core::Namespace>(&d, false);
        check::<core::PersistentVolume>(&d, false);
        check::<core::ComponentStatus>(&d, false);
        check::<apps::Deployment>(&d, true);
        check::<k8s_openapi::api::networking::v1::ServiceCIDR>(&d, false);
        check::<k8s_openapi::api::networking::v1::IPAddress>(&d, false);
        check::<k8s_openapi::api::storage::v1::VolumeAttributesClass>(&d, false);
        check::<k8s_openapi::api::storage::v1::CSIStorageCapacity>(&d, true);
        check::<k8s_openapi::api::resource::v1::ResourceClaim>(&d, true);
        check::<k8s_openapi::api::resource::v1::ResourceSlice>(&d, false);
        check::<k8s_openapi::api::authorization::v1::LocalSubjectAccessReview>(&d, true);
        check::<k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler>(&d, true);
        check::<k8s_openapi::api::autoscaling::v1::HorizontalPodAutoscaler>(&d, true);
        check::<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition>(&d, false);
        check::<k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1::APIService>(
            &d, false,
        );
    }

    #[test]
    fn resolves_core_names_and_case() {
        let d = Discovery::builtin();
        for arg in ["po", "PO", "pod", "Pod", "pods", "PODS"] {
            assert_eq!(resolved(&d, arg), gr("", "pods"), "{arg}");
        }
        assert_eq!(resolved(&d, "nodes"), gr("", "nodes"));
        assert_eq!(resolved(&d, "no"), gr("", "nodes"));
        assert_eq!(resolved(&d, "ns"), gr("", "namespaces"));
        assert_eq!(resolved(&d, "namespace"), gr("", "namespaces"));
        assert_eq!(resolved(&d, "ep"), gr("", "endpoints"));
        assert_eq!(resolved(&d, "endpoints"), gr("", "endpoints"));
        assert_eq!(d.is_namespaced("", "nodes"), Some(false));
        assert_eq!(d.is_namespaced("", "namespaces"), Some(false));
        assert_eq!(d.is_namespaced("", "pods"), Some(true));
        assert_eq!(d.is_namespaced("", "widgets"), None);
    }

    #[test]
    fn resolves_groups_versions_and_short_names() {
        let d = Discovery::builtin();
        assert_eq!(resolved(&d, "deploy"), gr("apps", "deployments"));
        assert_eq!(resolved(&d, "deployments"), gr("apps", "deployments"));
        assert_eq!(resolved(&d, "deployments.apps"), gr("apps", "deployments"));
        assert_eq!(resolved(&d, "deploy.apps"), gr("apps", "deployments"));
        let full = d.resolve("deployments.v1.apps");
        assert_eq!(
            full.gvr(),
            Some(&GroupVersionResource {
                group: "apps".into(),
                version: "v1".into(),
                resource: "deployments".into()
            })
        );
        assert_eq!(resolved(&d, "jobs"), gr("batch", "jobs"));
        assert_eq!(resolved(&d, "job.batch"), gr("batch", "jobs"));
        assert_eq!(resolved(&d, "cronjobs"), gr("batch", "cronjobs"));
        assert_eq!(resolved(&d, "cj"), gr("batch", "cronjobs"));
        assert_eq!(
            resolved(&d, "netpol"),
            gr("networking.k8s.io", "networkpolicies")
        );
        assert_eq!(
            resolved(&d, "csr"),
            gr("certificates.k8s.io", "certificatesigningrequests")
        );
        assert_eq!(
            resolved(&d, "crd"),
            gr("apiextensions.k8s.io", "customresourcedefinitions")
        );
        assert_eq!(
            resolved(&d, "crds"),
            gr("apiextensions.k8s.io", "customresourcedefinitions")
        );
        assert_eq!(
            resolved(&d, "clusterrole"),
            gr("rbac.authorization.k8s.io", "clusterroles")
        );
        // hpa: autoscaling/v2 is preferred over v1.
        let hpa = d.resolve("hpa");
        assert_eq!(hpa.gvr().map(|g| g.version.as_str()), Some("v2"));
        assert_eq!(hpa.gvr().map(|g| g.group.as_str()), Some("autoscaling"));
        assert!(
            hpa.warnings.is_empty(),
            "same resource at two versions is not ambiguous"
        );
        let version = |arg: &str| d.resolve(arg).gvr().map(|g| g.version.clone());
        assert_eq!(
            version("horizontalpodautoscalers.v1.autoscaling").as_deref(),
            Some("v1")
        );
        // The shortcut expander drops the version of a short name (upstream quirk).
        assert_eq!(version("hpa.v1.autoscaling").as_deref(), Some("v2"));
    }

    #[test]
    fn group_prefixes_and_full_names() {
        let d = Discovery::builtin();
        // Partial groups match as prefixes, like kubectl.
        assert_eq!(
            resolved(&d, "storageclass.storage"),
            gr("storage.k8s.io", "storageclasses")
        );
        assert_eq!(
            resolved(&d, "hpa.autoscal"),
            gr("autoscaling", "horizontalpodautoscalers")
        );
        assert_eq!(resolved(&d, "deployments.app"), gr("apps", "deployments"));
        // Two or more dots: resource.version.group first, then resource.group.
        assert_eq!(
            resolved(&d, "storageclasses.storage.k8s.io"),
            gr("storage.k8s.io", "storageclasses")
        );
        assert_eq!(
            resolved(&d, "networkpolicies.networking.k8s.io"),
            gr("networking.k8s.io", "networkpolicies")
        );
        // A version that is not served falls back to the group form, which fails.
        assert_eq!(resolved(&d, "deployments.v1beta1.apps"), None);
    }

    #[test]
    fn name_collisions_follow_kubectl_priority() {
        let d = Discovery::builtin();
        // events: core v1 beats events.k8s.io.
        assert_eq!(resolved(&d, "events"), gr("", "events"));
        assert_eq!(resolved(&d, "event"), gr("", "events"));
        assert_eq!(
            resolved(&d, "events.events.k8s.io"),
            gr("events.k8s.io", "events")
        );
        // "ev" is a short name of both: kubectl warns about the lower-priority one.
        let ev = d.resolve("ev");
        assert_eq!(ev.gvr().map(|g| g.group.as_str()), Some(""));
        assert_eq!(
            ev.warnings,
            vec!["short name \"ev\" could also match lower priority resource events.events.k8s.io"]
        );
        assert!(d.resolve("ev.events.k8s.io").warnings.is_empty());
    }

    #[test]
    fn unknown_and_special_names() {
        let d = Discovery::builtin();
        let w = d.resolve("Widgets.Example.com");
        assert_eq!(w.outcome, ResolutionOutcome::NoMatch);
        assert_eq!(
            w.parsed,
            GroupResource {
                group: "example.com".into(),
                resource: "widgets".into()
            }
        );
        assert_eq!(d.resolve("users").outcome, ResolutionOutcome::NoMatch);
        assert_eq!(d.resolve("").outcome, ResolutionOutcome::Empty);
        assert_eq!(d.resolve("*").outcome, ResolutionOutcome::NoMatch);
        // The mapper's guessed <Kind>List names resolve without a discovery entry.
        let pl = d.resolve("podlists");
        assert_eq!(pl.gvr().map(|g| g.resource.as_str()), Some("podlists"));
        assert_eq!(pl.info(), None);
    }

    #[test]
    fn crds_are_added_and_resolved() {
        let mut d = Discovery::builtin();
        d.add_crd(&widget_crd()).expect("valid CRD");
        for arg in [
            "widgets",
            "widget",
            "wd",
            "widgets.example.com",
            "widgets.v1beta1.example.com",
        ] {
            assert_eq!(resolved(&d, arg), gr("example.com", "widgets"), "{arg}");
        }
        // v1 is preferred (kube-aware order), v1alpha1 is not served.
        assert_eq!(d.preferred_version("example.com"), Some("v1"));
        assert_eq!(
            d.resolve("widgets").gvr().map(|g| g.version.as_str()),
            Some("v1")
        );
        assert!(d
            .lookup_version("example.com", "v1alpha1", "widgets")
            .is_none());
        let info = d.lookup("example.com", "widgets").expect("present");
        assert!(info.namespaced);
        let subs: Vec<_> = info.subresources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(subs, ["scale", "status"]);
        assert_eq!(d.iter().filter(|r| r.group == "example.com").count(), 1);
        assert_eq!(d.group_names().last(), Some("example.com"));
        // Adding it twice is an error, not a silent overwrite.
        assert!(matches!(
            d.add_crd(&widget_crd()),
            Err(CrdError::Duplicate { .. })
        ));
    }

    #[test]
    fn crd_short_name_clash_warns_like_kubectl() {
        let mut d = Discovery::builtin();
        let mut crd = widget_crd();
        crd["spec"]["names"]["shortNames"] = json!(["deploy"]);
        d.add_crd(&crd).expect("valid CRD");
        let r = d.resolve("deploy");
        assert_eq!(r.gvr().map(|g| g.group.as_str()), Some("apps"));
        assert_eq!(
            r.warnings,
            vec!["short name \"deploy\" could also match lower priority resource widgets.example.com"]
        );
    }

    #[test]
    fn bad_crds_are_typed_errors() {
        let mut d = Discovery::builtin();
        let mut crd = widget_crd();
        crd["spec"]["scope"] = json!("Global");
        let err = d.add_crd(&crd).expect_err("bad scope");
        assert_eq!(
            err.to_string(),
            "CustomResourceDefinition widgets.example.com: field spec.scope: expected \"Namespaced\" or \"Cluster\""
        );
        let mut crd = widget_crd();
        crd["spec"]["versions"][1]["served"] = json!("yes");
        assert!(matches!(
            d.add_crd(&crd),
            Err(CrdError::InvalidField { field, .. }) if field == "spec.versions[1].served"
        ));
        let mut crd = widget_crd();
        crd["apiVersion"] = json!("apiextensions.k8s.io/v1beta1");
        assert!(matches!(d.add_crd(&crd), Err(CrdError::NotACrd { .. })));
        assert!(d.add_crd(&json!("nope")).is_err());
        assert!(d.lookup("example.com", "widgets").is_none());
    }

    #[test]
    fn kube_aware_version_order() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_kube_aware_versions("v1", "v1beta1"), Greater);
        assert_eq!(compare_kube_aware_versions("v2", "v1"), Greater);
        assert_eq!(compare_kube_aware_versions("v1beta2", "v1beta1"), Greater);
        assert_eq!(compare_kube_aware_versions("v1alpha1", "v1beta1"), Less);
        assert_eq!(compare_kube_aware_versions("foo", "v1alpha1"), Less);
        assert_eq!(compare_kube_aware_versions("bar", "foo"), Greater);
    }

    #[test]
    fn guesses_like_upstream() {
        assert_eq!(guess_kind_to_resource("PodList").0, "podlists");
        assert_eq!(guess_kind_to_resource("Policy").0, "policies");
        assert_eq!(guess_kind_to_resource("Class").0, "classes");
        assert_eq!(guess_kind_to_resource("Endpoints").0, "endpoints");
    }
}
