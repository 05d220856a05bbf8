//! Runs every case of the `kubectlCanI` section of `tests/data/conformance/authz-cases.yaml`
//! against `parse_can_i` (request, warnings, errors) and `format_can_i_result` (stdout and
//! exit code for cases with a `server_status`). All failures are reported together.

use kubeaudit::model::discovery::Discovery;
use kubeaudit::rbac::cani_args::{format_can_i_result, parse_can_i, CanIFlags};
use kubeaudit::rbac::{Attributes, NonResourceAttributes, ResourceAttributes};
use serde_json::Value;

fn cases_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/authz-cases.yaml")
}

/// A YAML scalar as text (the file may write a name or a number unquoted).
fn text(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("expected a scalar, found {other}")),
    }
}

fn opt_text(obj: &Value, key: &str) -> Result<String, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(v) => text(v).map_err(|e| format!("{key}: {e}")),
    }
}

fn flag_bool(flags: &Value, key: &str) -> Result<bool, String> {
    match flags.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!("flags.{key}: expected a boolean, found {other}")),
    }
}

fn expected_attributes(ssar: &Value) -> Result<Attributes, String> {
    const RESOURCE_KEYS: &[&str] = &[
        "namespace",
        "verb",
        "group",
        "resource",
        "subresource",
        "name",
    ];
    const NON_RESOURCE_KEYS: &[&str] = &["path", "verb"];
    let check_keys = |obj: &Value, allowed: &[&str], what: &str| -> Result<(), String> {
        let map = obj
            .as_object()
            .ok_or(format!("{what}: expected a mapping"))?;
        match map.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(format!("{what}: unknown field {k}")),
            None => Ok(()),
        }
    };
    check_keys(
        ssar,
        &["resourceAttributes", "nonResourceAttributes"],
        "ssar",
    )?;
    match (
        ssar.get("resourceAttributes"),
        ssar.get("nonResourceAttributes"),
    ) {
        (Some(r), None) => {
            check_keys(r, RESOURCE_KEYS, "ssar.resourceAttributes")?;
            Ok(Attributes::Resource(ResourceAttributes {
                verb: opt_text(r, "verb")?,
                group: opt_text(r, "group")?,
                resource: opt_text(r, "resource")?,
                subresource: opt_text(r, "subresource")?,
                name: opt_text(r, "name")?,
                namespace: opt_text(r, "namespace")?,
            }))
        }
        (None, Some(n)) => {
            check_keys(n, NON_RESOURCE_KEYS, "ssar.nonResourceAttributes")?;
            Ok(Attributes::NonResource(NonResourceAttributes {
                verb: opt_text(n, "verb")?,
                path: opt_text(n, "path")?,
            }))
        }
        _ => Err("ssar: expected exactly one of resourceAttributes / nonResourceAttributes".into()),
    }
}

/// Runs one case; `Err` describes every mismatch of that case.
fn run_case(case: &Value, discovery: &Discovery) -> Result<(), String> {
    const CASE_KEYS: &[&str] = &[
        "name",
        "source",
        "args",
        "flags",
        "context_namespace",
        "server_status",
        "expect",
    ];
    const FLAG_KEYS: &[&str] = &[
        "namespace",
        "all-namespaces",
        "subresource",
        "list",
        "quiet",
        "no-headers",
    ];
    const EXPECT_KEYS: &[&str] = &[
        "ssar",
        "warnings",
        "error",
        "error_prefix",
        "stdout",
        "exit_code",
    ];

    let obj = case.as_object().ok_or("case is not a mapping")?;
    if let Some(k) = obj.keys().find(|k| !CASE_KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown case field {k} (the harness must learn it)"
        ));
    }
    let args: Vec<String> = match case.get("args") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(text).collect::<Result<_, _>>()?,
        Some(other) => return Err(format!("args: expected a list, found {other}")),
    };
    let empty = Value::Object(Default::default());
    let flags_v = case.get("flags").unwrap_or(&empty);
    if let Some(map) = flags_v.as_object() {
        if let Some(k) = map.keys().find(|k| !FLAG_KEYS.contains(&k.as_str())) {
            return Err(format!("unknown flag {k} (the harness must learn it)"));
        }
    } else {
        return Err("flags: expected a mapping".into());
    }
    // kubectl's namespace: -n, else the context's, else "default".
    let namespace = match flags_v.get("namespace") {
        Some(v) => text(v)?,
        None => match case.get("context_namespace") {
            Some(v) => text(v)?,
            None => "default".to_string(),
        },
    };
    let subresource = match flags_v.get("subresource") {
        None | Some(Value::Null) => None,
        Some(v) => Some(text(v)?),
    };
    let flags = CanIFlags {
        namespace,
        all_namespaces: flag_bool(flags_v, "all-namespaces")?,
        subresource,
        list: flag_bool(flags_v, "list")?,
        quiet: flag_bool(flags_v, "quiet")?,
        no_headers: flag_bool(flags_v, "no-headers")?,
    };

    let expect = case.get("expect").ok_or("no expect")?;
    let emap = expect.as_object().ok_or("expect: expected a mapping")?;
    if let Some(k) = emap.keys().find(|k| !EXPECT_KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown expectation {k} (the harness must learn it)"
        ));
    }
    if emap.is_empty() {
        return Err("expect is empty: the case would check nothing".into());
    }

    let mut problems = Vec::new();
    let result = parse_can_i(&args, &flags, discovery);

    let wants_error = emap.contains_key("error") || emap.contains_key("error_prefix");
    match &result {
        Err(err) => {
            let msg = err.to_string();
            if let Some(want) = expect.get("error") {
                let want = text(want)?;
                if msg != want {
                    problems.push(format!("error {msg:?}, want {want:?}"));
                }
            }
            if let Some(want) = expect.get("error_prefix") {
                let want = text(want)?;
                if !msg.starts_with(&want) {
                    problems.push(format!("error {msg:?}, want prefix {want:?}"));
                }
            }
            if !wants_error {
                problems.push(format!("unexpected error {msg:?}"));
            }
        }
        Ok(req) => {
            if wants_error {
                problems.push(format!("no error, got request {req:?}"));
            }
            if let Some(ssar) = expect.get("ssar") {
                let want = expected_attributes(ssar)?;
                if req.attributes.as_ref() != Some(&want) {
                    problems.push(format!("ssar {:?}, want {want:?}", req.attributes));
                }
            }
            if let Some(w) = expect.get("warnings") {
                let want: Vec<String> = w
                    .as_array()
                    .ok_or("warnings: expected a list")?
                    .iter()
                    .map(text)
                    .collect::<Result<_, _>>()?;
                if req.warnings != want {
                    problems.push(format!("warnings {:?}, want {want:?}", req.warnings));
                }
            }
        }
    }

    if emap.contains_key("stdout") || emap.contains_key("exit_code") {
        let status = case
            .get("server_status")
            .ok_or("stdout/exit_code expectations need server_status")?;
        let allowed = match status.get("allowed") {
            Some(Value::Bool(b)) => *b,
            _ => return Err("server_status.allowed: expected a boolean".into()),
        };
        let reason = opt_text(status, "reason")?;
        let evaluation_error = opt_text(status, "evaluationError")?;
        if result.is_err() {
            problems.push("output case, but the arguments were rejected".into());
        }
        let (stdout, code) = format_can_i_result(allowed, &reason, &evaluation_error, flags.quiet);
        if let Some(want) = expect.get("stdout") {
            let want = text(want)?;
            if stdout != want {
                problems.push(format!("stdout {stdout:?}, want {want:?}"));
            }
        }
        if let Some(want) = expect.get("exit_code") {
            let want = want.as_i64().ok_or("exit_code: expected an integer")?;
            if i64::from(code) != want {
                problems.push(format!("exit code {code}, want {want}"));
            }
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn kubectl_can_i_conformance() {
    let path = cases_path();
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_saphyr::from_str(&source)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
    let cases = doc
        .get("kubectlCanI")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{}: no kubectlCanI list", path.display()));
    assert!(!cases.is_empty(), "kubectlCanI has no cases");

    let discovery = Discovery::builtin();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = case
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{i}"));
        if let Err(e) = run_case(case, &discovery) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} kubectlCanI cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
