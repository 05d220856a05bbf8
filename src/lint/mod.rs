//! `lint`: a registry of rules whose checks ask the evaluator ("who may create pods/exec?")
//! or read typed fields (a pod template's securityContext), never match strings of a manifest.
//!
//! Pure and I/O-free: a [`LintInput`] (the inventory, its compiled access model, and the
//! NetworkPolicy model when it could be built) goes in, [`Finding`]s come out. Locating a
//! finding at its line in a file, suppressions and printing are the caller's.

mod accounts;
mod admission;
mod escalation;
mod network;
mod pods;
mod rbac;
mod registry;
pub mod suppress;

use compact_str::CompactString;
use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

pub use registry::{rule, RULES};

use crate::model::access::{BindingId, RoleId};
use crate::model::bootstrap;
use crate::model::field_path::FieldPath;
use crate::model::objects::Origin;
use crate::model::workload::PodTemplate;
use crate::model::{AccessModel, BindingKind, Inventory, RoleKind};
use crate::netpol::NetworkModel;

/// How bad a finding is, as SARIF's `security-severity` bands name them.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Hygiene; rarely exploitable alone.
    #[default]
    Low,
    /// Worth fixing; a step of an attack.
    Medium,
    /// A direct path to other workloads' data or credentials.
    High,
    /// Cluster takeover.
    Critical,
}

impl Severity {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// SARIF `properties.security-severity` (GitHub's bands: ≥9 critical, ≥7 high, ≥4 medium).
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Roles and bindings.
    Rbac,
    /// ServiceAccounts and their tokens.
    ServiceAccounts,
    /// Pod security (Pods and pod templates).
    PodSecurity,
    /// Admission webhooks and Pod Security admission.
    Admission,
    /// NetworkPolicy.
    Network,
}

impl Category {
    /// The name used in docs and SARIF tags.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Rbac => "rbac",
            Category::ServiceAccounts => "service-accounts",
            Category::PodSecurity => "pod-security",
            Category::Admission => "admission",
            Category::Network => "network",
        }
    }
}

/// One rule of the registry. Ids are stable forever: a retired rule's id is never reused.
pub struct Rule {
    /// `KA` and a number.
    pub id: &'static str,
    /// A stable kebab-case name (accepted wherever an id is).
    pub slug: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// What it is about.
    pub category: Category,
    /// One line.
    pub title: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// How to fix it.
    pub remediation: &'static str,
    /// CIS Kubernetes Benchmark, NSA/CISA hardening guide, MITRE ATT&CK ids.
    pub references: &'static [&'static str],
    /// How sure a finding is (SARIF `precision`): `very-high` when it follows from the
    /// evaluator's answer, `high` when it depends on how the cluster is run.
    pub precision: &'static str,
    /// The check.
    pub check: fn(&Context, &'static Rule, &mut Vec<Finding>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

/// An object a finding or evidence step refers to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    /// The kind, e.g. `ClusterRoleBinding`.
    pub kind: String,
    /// The namespace, for namespaced objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

impl ObjectRef {
    /// An object of this kind, namespace (`""` for none) and name.
    pub fn new(kind: &str, namespace: &str, name: &str) -> ObjectRef {
        ObjectRef {
            kind: kind.to_string(),
            namespace: (!namespace.is_empty()).then(|| namespace.to_string()),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}/{}/{}", self.kind, ns, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

/// A place in the input: where the object was read and the field inside it. `line` starts
/// as the object's first line; the caller refines it from the file text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The object.
    pub object: ObjectRef,
    /// Where it was read.
    pub origin: Origin,
    /// The field inside the object (empty: the whole object).
    #[serde(skip_serializing_if = "FieldPath::is_empty")]
    pub path: FieldPath,
    /// The 1-based line of the field (0 when unknown).
    pub line: usize,
}

impl Location {
    /// The field `path` of `object`, read at `origin`.
    pub fn new(object: ObjectRef, origin: &Origin, path: FieldPath) -> Location {
        Location {
            object,
            line: origin.line,
            origin: origin.clone(),
            path,
        }
    }
}

/// One step of a finding's evidence: the binding, the role, the rule, or a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// What this step shows, e.g. `grants ClusterRole/admin` or `rules[2]: verbs [*] on pods/*`.
    pub message: String,
    /// Where.
    pub location: Location,
}

/// A binding subject a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SubjectRef {
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// A ServiceAccount's namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

impl std::fmt::Display for SubjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{}", self.kind, ns, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// Why a finding is not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Suppression {
    /// An `access-audit.io/ignore` annotation on the object.
    Annotation {
        /// The reason written.
        reason: String,
        /// The date after which it no longer applies.
        #[serde(skip_serializing_if = "Option::is_none")]
        until: Option<String>,
    },
    /// A fingerprint of the baseline file.
    Baseline,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's id.
    pub rule: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending object and field.
    pub location: Location,
    /// The subject, for grants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<SubjectRef>,
    /// The path behind it: binding → role → rule, or the fields; shared by the findings of
    /// one grant's subjects.
    #[serde(skip_serializing_if = "no_evidence")]
    pub evidence: Arc<[Evidence]>,
    /// Stable across edits that do not change what is found: rule + object + subject + key.
    pub fingerprint: String,
    /// What tells apart findings of one rule, object and subject (a container name, a verb;
    /// often empty). Not printed: the fingerprint stands for it.
    #[serde(skip)]
    pub key: CompactString,
    /// Set when an annotation or the baseline suppresses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
}

impl Finding {
    /// A finding of `rule` at `location`; `key` tells apart findings of one rule, object
    /// and subject (a container name, a verb); fingerprints never include line numbers.
    pub fn new(
        rule: &'static Rule,
        location: Location,
        subject: Option<SubjectRef>,
        key: &str,
        message: String,
    ) -> Finding {
        let subject_text = subject
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let fingerprint = fingerprint(&[rule.id, &location.object.to_string(), &subject_text, key]);
        Finding {
            rule: rule.id,
            severity: rule.severity,
            message,
            location,
            subject,
            evidence: Arc::new([]),
            fingerprint,
            key: key.into(),
            suppressed: None,
        }
    }

    /// What makes this finding itself: its rule, object, subject and key, with the fingerprint
    /// for speed. The fingerprint alone is not enough: it is a 64-bit hash of names a manifest
    /// chooses, and a crafted name must not make one finding pass for another.
    pub fn identity(&self) -> FindingIdentity<'_> {
        (
            self.fingerprint.as_str(),
            self.rule,
            &self.location.object,
            self.subject.as_ref(),
            self.key.as_str(),
        )
    }

    /// The same finding with evidence (a `Vec`, or an `Arc` shared with other findings).
    pub fn with_evidence(mut self, evidence: impl Into<Arc<[Evidence]>>) -> Finding {
        self.evidence = evidence.into();
        self
    }
}

/// See [`Finding::identity`].
pub type FindingIdentity<'f> = (
    &'f str,
    &'static str,
    &'f ObjectRef,
    Option<&'f SubjectRef>,
    &'f str,
);

fn no_evidence(evidence: &Arc<[Evidence]>) -> bool {
    evidence.is_empty()
}

/// FNV-1a (64 bit) of the parts, hex: stable across versions and platforms, unlike std's
/// hasher.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// What lint reads.
pub struct LintInput<'a> {
    /// The objects.
    pub inventory: &'a Inventory,
    /// Their compiled access model.
    pub access: &'a AccessModel,
    /// The NetworkPolicy model, when it could be built (its error is the caller's to report).
    pub network: Option<&'a NetworkModel>,
    /// Every Pod and workload pod template.
    pub templates: &'a [PodTemplate],
}

/// What a check may ask: the input, and facts about it computed once.
pub struct Context<'a> {
    /// The input.
    pub input: &'a LintInput<'a>,
    /// Per binding of the model: true when it is the bootstrap policy's own binding, unchanged,
    /// to an unchanged bootstrap role (what every cluster grants is not a finding).
    default_binding: Vec<bool>,
    /// Per role of the model: true when it is an unchanged bootstrap role.
    default_role: Vec<bool>,
    /// Bindings of the model by (kind, namespace, name).
    bindings: HashMap<(BindingKind, &'a str, &'a str), BindingId, ahash::RandomState>,
    /// Per binding: its role allows every verb on every resource of every group, and the rule
    /// that reports that runs, so narrower capability findings for it would only repeat it.
    subsumed: Vec<bool>,
    /// The most principals the escalation search explores.
    pub(crate) escalation_limit: usize,
    /// Why some rule could not look at everything (its findings may be missing some).
    incomplete: std::sync::Mutex<Vec<String>>,
    /// Each namespace's NetworkPolicy posture, found once for the rules that read it.
    pub(crate) postures: std::sync::OnceLock<Vec<crate::netpol::NamespacePosture>>,
    /// Per role, the evidence step of each of its rules, worded once: hundreds of thousands
    /// of findings of a large cluster share the rules of a few roles.
    rule_evidence: Vec<std::sync::OnceLock<Vec<std::sync::OnceLock<Evidence>>>>,
}

impl<'a> Context<'a> {
    fn new(
        input: &'a LintInput<'a>,
        selection: &Selection,
        escalation_limit: usize,
    ) -> Context<'a> {
        let model = input.access;
        let written: HashMap<(RoleKind, &str, &str), &crate::model::Role, ahash::RandomState> =
            input
                .inventory
                .roles
                .iter()
                .map(|r| {
                    let ns = if r.kind == RoleKind::Role {
                        r.metadata.namespace.as_str()
                    } else {
                        ""
                    };
                    ((r.kind, ns, r.metadata.name.as_str()), r)
                })
                .collect();
        let default_role: Vec<bool> = model
            .roles
            .iter()
            .map(|r| {
                written
                    .get(&(r.kind, r.namespace.as_str(), r.name.as_str()))
                    .is_some_and(|w| is_default_role(w))
            })
            .collect();
        let default_binding = model
            .bindings
            .iter()
            .map(|b| {
                let role_default = b.role.as_ref().is_ok_and(|&r| default_role[r]);
                role_default && is_default_binding(b)
            })
            .collect();
        let bindings = model
            .bindings
            .iter()
            .enumerate()
            .map(|(id, b)| ((b.kind, b.namespace.as_str(), b.name.as_str()), id))
            .collect();
        let everything = rbac::EVERYTHING[0].attributes();
        let reported = |id: &str| rule(id).is_some_and(|r| selection.runs(r));
        let (crb, rb) = (reported("KA101"), reported("KA102"));
        let subsumed = model
            .bindings
            .iter()
            .map(|b| {
                let shown = match b.kind {
                    BindingKind::ClusterRoleBinding => crb,
                    BindingKind::RoleBinding => rb,
                };
                shown
                    && b.role.as_ref().is_ok_and(|&r| {
                        model.roles[r]
                            .rules
                            .iter()
                            .any(|x| crate::rbac::rule::rule_allows(&everything, x))
                    })
            })
            .collect();
        Context {
            input,
            default_binding,
            default_role,
            bindings,
            subsumed,
            escalation_limit,
            incomplete: std::sync::Mutex::default(),
            postures: std::sync::OnceLock::new(),
            rule_evidence: (0..model.roles.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    /// The evidence step of rule `rule` of role `role`, made by `make` the first time.
    pub(crate) fn rule_evidence(
        &self,
        role: RoleId,
        rule: usize,
        make: impl FnOnce() -> Evidence,
    ) -> Evidence {
        let rules = self.rule_evidence[role].get_or_init(|| {
            (0..self.input.access.roles[role].rules.len())
                .map(|_| std::sync::OnceLock::new())
                .collect()
        });
        rules[rule].get_or_init(make).clone()
    }

    /// Notes that a rule could not look at everything: the result is not complete.
    pub fn incomplete(&self, why: String) {
        self.incomplete
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(why);
    }

    /// True when the binding grants everything and that is reported on its own.
    pub fn is_subsumed(&self, id: BindingId) -> bool {
        self.subsumed[id]
    }

    /// True for the bootstrap policy's own binding, unchanged, to an unchanged bootstrap role.
    pub fn is_default_binding(&self, id: BindingId) -> bool {
        self.default_binding[id]
    }

    /// True for an unchanged bootstrap role.
    pub fn is_default_role(&self, id: RoleId) -> bool {
        self.default_role[id]
    }

    /// The binding of the model with this kind, namespace (`""` for ClusterRoleBindings) and
    /// name.
    pub fn binding(&self, kind: BindingKind, namespace: &str, name: &str) -> Option<BindingId> {
        self.bindings.get(&(kind, namespace, name)).copied()
    }
}

/// True when a role is the bootstrap policy's role of that name with the same rules (or, for
/// an aggregated ClusterRole, the same aggregation rule).
fn is_default_role(role: &crate::model::Role) -> bool {
    let ns = if role.kind == RoleKind::Role {
        role.metadata.namespace.as_str()
    } else {
        ""
    };
    let Some(default) = bootstrap::default_object(role.kind.as_str(), ns, &role.metadata.name)
    else {
        return false;
    };
    if role.aggregation_rule.is_some() {
        let theirs = default
            .get("aggregationRule")
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        return role.aggregation_rule == theirs;
    }
    let rules: Vec<crate::model::PolicyRule> = default
        .get("rules")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    // A role that grants no more than the default (an older or trimmed copy) is still only
    // what every cluster grants.
    role.rules
        .iter()
        .all(|r| rules.iter().any(|d| covers(d, r)))
}

/// True when rule `d` alone grants everything rule `r` grants.
fn covers(d: &crate::model::PolicyRule, r: &crate::model::PolicyRule) -> bool {
    let within = |big: &[CompactString], small: &[CompactString]| {
        big.iter().any(|b| b == "*") || small.iter().all(|s| big.contains(s))
    };
    within(&d.verbs, &r.verbs)
        && within(&d.api_groups, &r.api_groups)
        && within(&d.resources, &r.resources)
        && (d.resource_names.is_empty()
            || (!r.resource_names.is_empty() && within(&d.resource_names, &r.resource_names)))
        && within(&d.non_resource_urls, &r.non_resource_urls)
}

/// True when a binding is the bootstrap policy's binding of that name, to the same role, with
/// no subject the policy does not name.
fn is_default_binding(b: &crate::model::access::CompiledBinding) -> bool {
    let Some(default) = bootstrap::default_object(b.kind.as_str(), &b.namespace, &b.name) else {
        return false;
    };
    fn text(v: Option<&Value>) -> &str {
        v.and_then(Value::as_str).unwrap_or("")
    }
    if text(default.pointer("/roleRef/kind")) != b.role_ref.kind
        || text(default.pointer("/roleRef/name")) != b.role_ref.name
    {
        return false;
    }
    let subjects: Vec<crate::model::Subject> = default
        .get("subjects")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    b.subjects.iter().all(|s| {
        subjects
            .iter()
            .any(|d| d.kind == s.kind && d.name == s.name && d.namespace == s.namespace)
    })
}

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// When non-empty, only these (ids or slugs).
    pub enable: Vec<String>,
    /// Never these.
    pub disable: Vec<String>,
}

impl Selection {
    /// Whether a rule runs.
    pub fn runs(&self, rule: &Rule) -> bool {
        let named = |list: &[String]| list.iter().any(|r| rule.is_named(r));
        (self.enable.is_empty() || named(&self.enable)) && !named(&self.disable)
    }
}

impl Rule {
    /// True when `name` is this rule's id or slug (ids case-insensitively).
    pub fn is_named(&self, name: &str) -> bool {
        name.eq_ignore_ascii_case(self.id) || name == self.slug
    }
}

/// What the rules found, and what they could not look at.
#[derive(Debug, Default)]
pub struct Linted {
    /// Sorted by severity (worst first), rule, object, subject; each finding once.
    pub findings: Vec<Finding>,
    /// Why some rule could not look at everything (then findings may be missing), sorted.
    pub incomplete: Vec<String>,
}

/// Runs the selected rules.
pub fn run(input: &LintInput, selection: &Selection) -> Linted {
    run_bounded(input, selection, escalation::LIMIT)
}

/// [`run`], the escalation search bounded at `escalation_limit` principals.
pub(crate) fn run_bounded(
    input: &LintInput,
    selection: &Selection,
    escalation_limit: usize,
) -> Linted {
    let ctx = Context::new(input, selection, escalation_limit);
    // Rules are independent: each runs, sorts and de-duplicates its findings on the next free
    // core. The order is severity (worst first), then rule: with the rules in that order,
    // their sorted findings one after another are the whole in order, as one core gives it.
    let mut selected: Vec<&'static Rule> = RULES.iter().filter(|r| selection.runs(r)).collect();
    selected.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(b.id)));
    let per_rule = crate::parallel::map_each(&selected, &|rule| {
        let mut found = Vec::new();
        (rule.check)(&ctx, rule, &mut found);
        sorted_unique(found)
    });
    let mut out = Vec::with_capacity(per_rule.iter().map(Vec::len).sum());
    for mut found in per_rule {
        out.append(&mut found);
    }
    let mut incomplete = ctx
        .incomplete
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    incomplete.sort();
    incomplete.dedup();
    Linted {
        findings: out,
        incomplete,
    }
}

/// Findings in [`finding_order`], the first of each finding kept (as a stable sort, then
/// a pass keeping first occurrences, gives them). The order is found on indices and applied
/// once: findings are large, and a sort would move each many times.
fn sorted_unique(mut found: Vec<Finding>) -> Vec<Finding> {
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by(|&a, &b| finding_order(&found[a], &found[b]));
    // A repeat is the same finding ([`Finding::identity`], not only the same fingerprint: a
    // crafted name must not hide a finding behind another's). Repeats go last, to be cut off.
    let mut seen: std::collections::HashSet<FindingIdentity, ahash::RandomState> =
        std::collections::HashSet::with_capacity_and_hasher(found.len(), Default::default());
    let (mut first, repeats): (Vec<usize>, Vec<usize>) = order
        .into_iter()
        .partition(|&i| seen.insert(found[i].identity()));
    drop(seen);
    let kept = first.len();
    first.extend(repeats);
    // Position k takes the finding at first[k]: each cycle of the permutation is walked
    // once, one swap per finding.
    let mut from = first;
    for i in 0..from.len() {
        let mut j = i;
        while from[j] != j {
            let k = from[j];
            from[j] = j;
            if k == i {
                break;
            }
            found.swap(j, k);
            j = k;
        }
    }
    found.truncate(kept);
    found
}

/// Severity (worst first), rule, object, subject, fingerprint.
fn finding_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| a.rule.cmp(b.rule))
        .then_with(|| a.location.object.cmp(&b.location.object))
        .then_with(|| a.subject.cmp(&b.subject))
        .then_with(|| a.fingerprint.cmp(&b.fingerprint))
}

#[cfg(test)]
mod tests;

pub use pods::{level as pod_security_level, violations as pod_security_violations, Level};
