//! Conformance vectors from tests/data/conformance/authz-cases.yaml for the rest of the
//! authorizer chain: ABAC, impersonation, the whole chain, and the Node authorizer. Every
//! case of each section runs; all failures are reported together.

use std::collections::BTreeMap;
use std::path::Path;

use kubeaudit::model::{AccessModel, Inventory, Origin};
use kubeaudit::rbac::abac::parse_abac_policy;
use kubeaudit::rbac::chain::{parse_authorization_modes, Chain, Mode, Outcome};
use kubeaudit::rbac::impersonation::{impersonate, ImpersonationRequest, ImpersonationStatus};
use kubeaudit::rbac::node::{
    parse_field_selector, FieldRequirement, NodeAuthorizer, NodeFeatures, NodeVerdict,
};
use kubeaudit::rbac::{Attributes, Explain, NonResourceAttributes, ResourceAttributes, UserInfo};
use serde_json::Value;

fn cases(section: &str) -> Vec<Value> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/authz-cases.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc[section]
        .as_array()
        .unwrap_or_else(|| panic!("section {section} missing"))
        .clone()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn user(v: &Value) -> UserInfo {
    UserInfo {
        name: s(v, "user").into(),
        groups: strings(v, "groups"),
    }
}

fn attributes(req: &Value) -> Attributes {
    if let Some(path) = req.get("nonResourceURL").and_then(Value::as_str) {
        return Attributes::NonResource(NonResourceAttributes {
            verb: s(req, "verb").into(),
            path: path.into(),
        });
    }
    let group = req
        .get("apiGroup")
        .or_else(|| req.get("group"))
        .and_then(Value::as_str)
        .unwrap_or("");
    Attributes::Resource(ResourceAttributes {
        verb: s(req, "verb").into(),
        group: group.into(),
        resource: s(req, "resource").into(),
        subresource: s(req, "subresource").into(),
        name: s(req, "name").into(),
        namespace: s(req, "namespace").into(),
    })
}

/// The request's field selector: the case's `fieldSelector`, if any.
fn fields(req: &Value) -> Result<Vec<FieldRequirement>, String> {
    parse_field_selector(s(req, "fieldSelector")).map_err(|e| e.to_string())
}

fn inventory(case: &Value, name: &str) -> Result<Inventory, String> {
    let objects = case
        .get("objects")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut inv = Inventory::default();
    inv.add_objects(
        objects
            .into_iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    o,
                    Origin {
                        source: name.to_string(),
                        document: i + 1,
                        line: 0,
                    },
                )
            })
            .collect(),
    )
    .map_err(|e| e.to_string())?;
    Ok(inv)
}

/// Feature gates from `featureGates`, over the defaults; unknown gates are an error so that
/// a case is never run with a gate silently ignored.
fn features(case: &Value) -> Result<NodeFeatures, String> {
    let mut f = NodeFeatures::default();
    let Some(gates) = case.get("featureGates").and_then(Value::as_object) else {
        return Ok(f);
    };
    for (gate, on) in gates {
        let on = on
            .as_bool()
            .ok_or_else(|| format!("featureGates.{gate} is not a boolean"))?;
        let slot = match gate.as_str() {
            "AuthorizeNodeWithSelectors" => &mut f.authorize_node_with_selectors,
            "DynamicResourceAllocation" => &mut f.dynamic_resource_allocation,
            "KubeletServiceAccountTokenForCredentialProviders" => {
                &mut f.kubelet_service_account_token_for_credential_providers
            }
            "ClusterTrustBundleProjection" => &mut f.cluster_trust_bundle_projection,
            "PodCertificateRequest" => &mut f.pod_certificate_request,
            other => return Err(format!("unsupported feature gate {other}")),
        };
        *slot = on;
    }
    Ok(f)
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Allow => "allow",
        Outcome::Deny | Outcome::NoOpinion => "deny",
        Outcome::Indeterminate => "indeterminate",
    }
}

fn report(section: &str, total: usize, failures: Vec<String>) {
    assert!(total > 0, "section {section} has no cases");
    assert!(
        failures.is_empty(),
        "{section}: {} of {total} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn authz_cases_abac() {
    let cases = cases("abac");
    let mut failures = Vec::new();
    for case in &cases {
        let name = s(case, "name");
        let policy = match parse_abac_policy(name, s(case, "policy")) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{name}: policy did not parse: {e}"));
                continue;
            }
        };
        let req = &case["request"];
        let d = policy.authorize(&user(req), &attributes(req));
        let got = if d.allowed { "allow" } else { "deny" };
        if got != s(case, "expect") {
            failures.push(format!("{name}: expected {}, got {got}", s(case, "expect")));
        }
    }
    report("abac", cases.len(), failures);
}

fn impersonation_request(v: &Value) -> ImpersonationRequest {
    ImpersonationRequest {
        user: s(v, "user").into(),
        groups: strings(v, "groups"),
        uid: s(v, "uid").into(),
        extra: v
            .get("extra")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, vals)| {
                        let vals = vals
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .map(String::from)
                                    .collect()
                            })
                            .unwrap_or_default();
                        (k.clone(), vals)
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn run_impersonation(case: &Value) -> Result<(), String> {
    let name = s(case, "name");
    let inv = inventory(case, name)?;
    let model = AccessModel::build(&inv);
    let modes = match case.get("modes") {
        Some(m) => m
            .as_array()
            .ok_or("modes is not a list")?
            .iter()
            .map(|v| {
                v.as_str()
                    .unwrap_or("")
                    .parse::<Mode>()
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<Vec<_>, _>>()?,
        None => vec![Mode::Rbac],
    };
    let chain = Chain::new(modes).with_rbac(&model);
    let r = impersonate(
        &chain,
        &user(&case["requester"]),
        &impersonation_request(&case["impersonate"]),
    );
    let expect = &case["expect"];
    let want_status = expect["status"].as_u64().map(|c| c as u16);
    if r.code != want_status {
        return Err(format!(
            "expected status {want_status:?}, got {:?} ({:?}; failed check {:?}; error {:?})",
            r.code, r.status, r.failed_check, r.error
        ));
    }
    if r.status != ImpersonationStatus::Impersonated {
        return Ok(());
    }
    let u = r.user.ok_or("status 200 without an identity")?;
    let want_extra: BTreeMap<String, Vec<String>> = expect
        .get("extra")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let vals = v
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default();
                    (k.clone(), vals)
                })
                .collect()
        })
        .unwrap_or_default();
    let want = (
        s(expect, "user"),
        strings(expect, "groups"),
        s(expect, "uid"),
        want_extra,
    );
    let got = (
        u.name.as_str(),
        u.groups.clone(),
        u.uid.as_str(),
        u.extra.clone(),
    );
    if want != got {
        return Err(format!("expected identity {want:?}, got {got:?}"));
    }
    Ok(())
}

#[test]
fn authz_cases_impersonation() {
    let cases = cases("impersonation");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            run_impersonation(c)
                .err()
                .map(|e| format!("{}: {e}", s(c, "name")))
        })
        .collect();
    report("impersonation", cases.len(), failures);
}

fn run_chain(case: &Value) -> Result<(), String> {
    let name = s(case, "name");
    let modes_value = case
        .get("modes")
        .and_then(Value::as_array)
        .ok_or("no modes")?;
    let modes = parse_authorization_modes(
        &modes_value
            .iter()
            .map(|m| m.as_str().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(","),
    )
    .map_err(|e| e.to_string())?;
    let inv = inventory(case, name)?;
    let model = AccessModel::build(&inv);
    let abac = match case.get("abacPolicy").and_then(Value::as_str) {
        Some(text) => Some(parse_abac_policy(name, text).map_err(|e| e.to_string())?),
        None => None,
    };
    let node = NodeAuthorizer::from_inventory(&inv, features(case)?).map_err(|e| e.to_string())?;
    let mut chain = Chain::new(modes).with_rbac(&model).with_node(&node);
    if let Some(p) = &abac {
        chain = chain.with_abac(p);
    }
    let req = &case["request"];
    let d = chain.authorize_with_fields(
        &user(req),
        &attributes(req),
        &fields(req)?,
        Explain::default(),
    );
    let got = outcome_word(d.outcome);
    if got != s(case, "expect") {
        return Err(format!(
            "expected {}, got {got} (decided by {:?}: {:?})",
            s(case, "expect"),
            d.decided_by,
            d.reason
        ));
    }
    Ok(())
}

#[test]
fn authz_cases_chain() {
    let cases = cases("chain");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| run_chain(c).err().map(|e| format!("{}: {e}", s(c, "name"))))
        .collect();
    report("chain", cases.len(), failures);
}

fn run_node(case: &Value) -> Result<(), String> {
    let name = s(case, "name");
    let inv = inventory(case, name)?;
    let node = NodeAuthorizer::from_inventory(&inv, features(case)?).map_err(|e| e.to_string())?;
    let req = &case["request"];
    // The Node authorizer alone: Allow is "allow", NoOpinion is "deny".
    let d = node.authorize(&user(req), &attributes(req), &fields(req)?);
    let got = match d.verdict {
        NodeVerdict::Allow => "allow",
        NodeVerdict::NoOpinion => "deny",
        NodeVerdict::Unknown => "unknown",
    };
    if got != s(case, "expect") {
        return Err(format!(
            "expected {}, got {got} ({:?}, path {:?})",
            s(case, "expect"),
            d.reason,
            d.path
        ));
    }
    Ok(())
}

#[test]
fn authz_cases_node() {
    let cases = cases("node");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| run_node(c).err().map(|e| format!("{}: {e}", s(c, "name"))))
        .collect();
    report("node", cases.len(), failures);
}
