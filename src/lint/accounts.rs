//! ServiceAccounts and their tokens: tokens mounted into pods that need no API access, and
//! long-lived legacy token Secrets (judged from their type and metadata only: secret data is
//! never read).

use std::collections::HashMap;

use serde_json::Value;

use super::pods::template_object;
use super::{Context, Finding, Location, ObjectRef, Rule};
use crate::model::access::service_account_username;
use crate::model::field_path::FieldPath;
use crate::model::objects::NamedObject;
use crate::rbac::identity::{AUTHENTICATED, SERVICE_ACCOUNTS};

/// The bindings (not the bootstrap policy's own) that apply to a ServiceAccount: naming it,
/// its namespace's group, all service accounts, or every authenticated identity.
pub fn service_account_bindings(ctx: &Context, namespace: &str, name: &str) -> Vec<usize> {
    let model = ctx.input.access;
    let user = service_account_username(namespace, name);
    let groups = vec![
        SERVICE_ACCOUNTS.to_string(),
        format!("{SERVICE_ACCOUNTS}:{namespace}"),
        AUTHENTICATED.to_string(),
    ];
    let mut ids = Vec::new();
    model.candidate_bindings("", &user, &groups, &mut ids);
    model.candidate_bindings(namespace, &user, &groups, &mut ids);
    ids.retain(|&id| !ctx.is_default_binding(id) && model.bindings[id].role.is_ok());
    ids
}

/// Pods whose ServiceAccount token is mounted although nothing grants that ServiceAccount
/// any access beyond what every identity has.
pub fn automount_unneeded(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    // ServiceAccounts by namespace and name, the first read of each (looked up per pod: a
    // scan of every ServiceAccount per pod was quadratic).
    let mut accounts: HashMap<(&str, &str), &NamedObject, ahash::RandomState> = HashMap::default();
    for s in &ctx.input.inventory.service_accounts {
        accounts
            .entry((s.metadata.namespace.as_str(), s.metadata.name.as_str()))
            .or_insert(s);
    }
    for t in ctx.input.templates {
        let sa_name = t.service_account();
        let sa = accounts.get(&(t.namespace.as_str(), sa_name));
        // The pod's own setting wins over its ServiceAccount's; unset on both means mounted.
        let (mounted, path) = match t.spec.automount_service_account_token {
            Some(v) => (v, t.spec_path.key("automountServiceAccountToken")),
            None => (
                sa.and_then(|s| s.automount_service_account_token) != Some(false),
                t.spec_path.clone(),
            ),
        };
        if !mounted || !service_account_bindings(ctx, &t.namespace, sa_name).is_empty() {
            continue;
        }
        out.push(Finding::new(
            rule,
            Location::new(template_object(t), &t.origin, path),
            None,
            "",
            format!(
                "{} {}/{} mounts the API token of ServiceAccount {}/{sa_name}, which no binding grants anything: set automountServiceAccountToken: false",
                t.kind, t.namespace, t.name, t.namespace
            ),
        ));
    }
}

/// Secrets of type `kubernetes.io/service-account-token`: tokens that never expire.
pub fn legacy_token_secrets(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
    for raw in &ctx.input.inventory.other {
        if raw.kind != "Secret" {
            continue;
        }
        if raw.value.get("type").and_then(Value::as_str)
            != Some("kubernetes.io/service-account-token")
        {
            continue;
        }
        let text = |p: &str| raw.value.pointer(p).and_then(Value::as_str).unwrap_or("");
        let ns = match text("/metadata/namespace") {
            "" => ctx.input.inventory.default_namespace.as_str(),
            ns => ns,
        };
        let name = text("/metadata/name");
        let account = text("/metadata/annotations/kubernetes.io~1service-account.name");
        out.push(Finding::new(
            rule,
            Location::new(
                ObjectRef::new("Secret", ns, name),
                &raw.origin,
                FieldPath::keys(&["type"]),
            ),
            None,
            "",
            format!(
                "Secret {ns}/{name} is a long-lived token of ServiceAccount {ns}/{account}; it never expires: use TokenRequest (projected tokens) instead"
            ),
        ));
    }
}
