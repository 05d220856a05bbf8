//! `kubeaudit lint` through the binary: the example cluster's planted risks, SARIF valid
//! against the official schema with real lines, JUnit, several outputs in one run, exit codes,
//! baselines, annotations and the configuration file.

use std::path::Path;

use serde_json::Value;

use crate::util::{examples, kubeaudit, stderr, stdout};

fn json(args: &[&str]) -> (Value, i32) {
    let a = kubeaudit().args(args).assert();
    let code = a.get_output().status.code().unwrap_or(-1);
    (serde_json::from_str(&stdout(&a)).expect("JSON"), code)
}

fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn the_example_clusters_planted_risks_are_found() {
    let ex = examples();
    let (r, code) = json(&["lint", "-o", "json", "-f", ex.to_str().unwrap()]);
    assert_eq!(code, 1, "findings exit 1");
    let objects = |rule: &str| -> Vec<String> {
        findings(&r, rule)
            .iter()
            .map(|f| {
                let o = &f["location"]["object"];
                format!(
                    "{}/{}",
                    o["kind"].as_str().unwrap(),
                    o["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    // Argo CD's controller holds cluster-admin.
    assert!(objects("KA101").contains(&"ClusterRoleBinding/argocd-application-controller".into()));
    // Every authenticated identity reads every secret.
    assert!(objects("KA104").contains(&"ClusterRoleBinding/debug-secret-access".into()));
    assert!(objects("KA114").contains(&"ClusterRoleBinding/debug-secret-access".into()));
    // Every ServiceAccount of ci can run pods (and so become any ServiceAccount there).
    assert!(objects("KA107").contains(&"RoleBinding/ci-all-serviceaccounts".into()));
    // A binding to a deleted role.
    assert_eq!(objects("KA115"), ["RoleBinding/legacy-reporting"]);
    // The finding is at the subject's line, the evidence at the role's rule.
    let hit = findings(&r, "KA104")
        .into_iter()
        .find(|f| f["location"]["object"]["name"] == "debug-secret-access")
        .unwrap();
    let loc = &hit["location"];
    let file = loc["origin"]["source"].as_str().unwrap();
    let line = loc["line"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.lines()
            .nth(line - 1)
            .unwrap()
            .contains("system:authenticated"),
        "line {line} of {file}"
    );
    let rule = &hit["evidence"][1]["location"];
    let rtext = std::fs::read_to_string(rule["origin"]["source"].as_str().unwrap()).unwrap();
    let rline = rtext
        .lines()
        .nth(rule["line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    assert!(
        rline.contains("apiGroups") || rline.contains("- "),
        "{rline}"
    );
    // The Pod Security Standards level of each pod.
    assert!(r["podSecurity"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["level"].is_string()));
    assert_eq!(r["summary"]["failed"], true);
}

#[test]
fn sarif_is_valid_and_located() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    let a = kubeaudit()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["lint", "-f", "examples/cluster", "-o"])
        .arg(format!("sarif={}", sarif.display()))
        .arg("-o")
        .arg(format!("junit={}", junit.display()))
        .args(["-o", "table"])
        .assert()
        .code(1);
    assert!(stdout(&a).contains("CRITICAL"), "the table went to stdout");
    let text = std::fs::read_to_string(&sarif).unwrap();
    let log: Value = serde_json::from_str(&text).unwrap();
    // Written as a JSON value is written (keys sorted, absent fields left out, not null),
    // though results are streamed from typed records.
    assert_eq!(text, serde_json::to_string_pretty(&log).unwrap() + "\n");
    assert!(!text.contains("null"));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("sarif-schema.json", schema).unwrap();
    let index = compiler.compile("sarif-schema.json", &mut schemas).unwrap();
    if let Err(e) = schemas.validate(&log, index) {
        panic!("SARIF is not valid against the 2.1.0 schema: {e:#}");
    }
    // The validator does reject what the schema forbids.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(schemas.validate(&broken, index).is_err());
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["properties"]["security-severity"].is_string()
            && r["help"]["markdown"].is_string()
            && r["properties"]["tags"][0] == "security"));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("examples/cluster/"), "relative URI: {uri}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
    // Not every result of a file on one line (the peers' line-1 problem).
    let lines: std::collections::BTreeSet<u64> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(lines.len() > 10, "{lines:?}");
    let binding = results
        .iter()
        .find(|r| r["ruleId"] == "KA115")
        .expect("binding to a missing role");
    assert_eq!(binding["level"], "warning");
    assert!(results.iter().any(|r| r["relatedLocations"]
        .as_array()
        .is_some_and(|l| l.len() == 2)));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.starts_with("<?xml")
            && xml.contains("<testsuite name=\"KA115 binding-to-missing-role\"")
    );
    assert!(xml.contains("<failure type=\"medium\""));
}

#[test]
fn fail_on_exit_zero_and_rule_selection() {
    let ex = examples();
    let ex = ex.to_str().unwrap();
    kubeaudit()
        .args(["lint", "-f", ex, "--exit-zero"])
        .assert()
        .code(0);
    // Only KA115 (medium) runs: it fails at medium, passes at high.
    kubeaudit()
        .args(["lint", "-f", ex, "--enable", "KA115", "--fail-on", "medium"])
        .assert()
        .code(1);
    let a = kubeaudit()
        .args([
            "lint",
            "-f",
            ex,
            "--enable",
            "binding-to-missing-role",
            "--fail-on",
            "high",
        ])
        .assert()
        .code(0);
    assert!(
        stdout(&a).contains("passes at --fail-on high"),
        "{}",
        stdout(&a)
    );
    let a = kubeaudit()
        .args(["lint", "-f", ex, "--disable", "KA1O4"])
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("unknown lint rule \"KA1O4\""),
        "{}",
        stderr(&a)
    );
    let a = kubeaudit()
        .args(["lint", "-f", ex, "-o", "sarf"])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("not a format"), "{}", stderr(&a));
    let a = kubeaudit().args(["lint", "--list-rules"]).assert().code(0);
    assert!(stdout(&a).contains("KA101") && stdout(&a).contains("cluster-admin-equivalent"));
}

const RISKY: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: debugger}
rules:
- apiGroups: [""]
  resources: [pods/exec]
  verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: oncall-debug
  annotations:
    access-audit.io/ignore: "KA105: on-call break-glass, reviewed quarterly; KA104: never granted here"
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: debugger}
subjects:
- {kind: Group, name: oncall}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: expired
  annotations:
    access-audit.io/ignore: "pod-exec: temporary until 2020-01-01"
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: debugger}
subjects:
- {kind: Group, name: contractors}
"#;

/// `lint -o yaml` writes its long lists a chunk at a time beside the other fields: it must say
/// exactly what the JSON report says, every field in it (suppressions, stale ones, pod security,
/// thousands of findings).
#[test]
fn the_yaml_report_is_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("risky.yaml"), RISKY).unwrap();
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/generated/cluster.json");
    let inputs = [dir.path().join("risky.yaml"), generated, examples()];
    for input in &inputs {
        let f = input.to_str().unwrap();
        let (json, json_code) = json(&["lint", "-o", "json", "-f", f]);
        let a = kubeaudit().args(["lint", "-o", "yaml", "-f", f]).assert();
        assert_eq!(a.get_output().status.code(), Some(json_code), "{f}");
        let yaml: Value = serde_saphyr::from_str(&stdout(&a)).expect("YAML");
        assert!(
            yaml == json,
            "{f}: the YAML report differs from the JSON one"
        );
        assert!(!json["findings"].as_array().unwrap().is_empty(), "{f}");
    }
    let (risky, _) = json(&["lint", "-o", "json", "-f", inputs[0].to_str().unwrap()]);
    assert!(!risky["staleSuppressions"].as_array().unwrap().is_empty());
}

#[test]
fn annotations_suppress_with_reasons_and_stale_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("risky.yaml");
    std::fs::write(&file, RISKY).unwrap();
    let f = file.to_str().unwrap();
    let a = kubeaudit()
        .args(["lint", "-f", f, "--enable", "KA104,KA105", "-o", "json"])
        .assert()
        .code(1);
    let r: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let exec = findings(&r, "KA105");
    let oncall = exec
        .iter()
        .find(|f| f["location"]["object"]["name"] == "oncall-debug")
        .unwrap();
    assert_eq!(oncall["suppressed"]["kind"], "annotation");
    assert!(oncall["suppressed"]["reason"]
        .as_str()
        .unwrap()
        .contains("break-glass"));
    let expired = exec
        .iter()
        .find(|f| f["location"]["object"]["name"] == "expired")
        .unwrap();
    assert!(
        expired.get("suppressed").is_none(),
        "an expired suppression suppresses nothing"
    );
    let stale: Vec<String> = r["staleSuppressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["problem"].as_str().unwrap().to_string())
        .collect();
    assert!(
        stale.iter().any(|p| p.contains("matches no finding")),
        "{stale:?}"
    );
    assert!(
        stale.iter().any(|p| p.contains("expired on 2020-01-01")),
        "{stale:?}"
    );
    assert!(
        stderr(&a).contains("matches no finding"),
        "stale suppressions are warned about"
    );
    assert_eq!(r["summary"]["suppressed"], 1);
}

#[test]
fn annotations_on_objects_of_a_json_list_are_read_even_when_escaped() {
    // NetworkPolicies of a JSON List are kept as text, and these two (deny-all, no finding)
    // are read for nothing but their annotation: a suppression matching no finding, stale.
    // One spells the annotation's key with JSON escapes, which its text does not show.
    let policy = |name: &str, key: &str| {
        format!(
            r#"{{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
               "metadata": {{"name": "{name}", "namespace": "a",
                             "annotations": {{"{key}": "KA503: reviewed"}}}},
               "spec": {{"podSelector": {{}}}}}}"#
        )
    };
    let list = format!(
        r#"{{"apiVersion": "v1", "kind": "List", "items": [
            {{"apiVersion": "v1", "kind": "Namespace", "metadata": {{"name": "a"}}}},
            {}, {}]}}"#,
        policy("plain", "access-audit.io/ignore"),
        policy("escaped", r"access-audit.io\/ign\u006fre"),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policies.json");
    std::fs::write(&file, list).unwrap();
    let (r, _) = json(&[
        "lint",
        "-f",
        file.to_str().unwrap(),
        "--enable",
        "KA503",
        "-o",
        "json",
    ]);
    let mut stale: Vec<&str> = r["staleSuppressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["object"]["name"].as_str().unwrap())
        .collect();
    stale.sort();
    assert_eq!(stale, ["escaped", "plain"], "{r}");
}

#[test]
fn baselines_accept_todays_findings_and_report_fixed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("risky.yaml");
    std::fs::write(&file, RISKY).unwrap();
    let baseline = dir.path().join("baseline.json");
    let f = file.to_str().unwrap();
    kubeaudit()
        .args(["lint", "-f", f, "--enable", "KA105", "--write-baseline"])
        .arg(&baseline)
        .assert()
        .code(1);
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(b["kind"], "LintBaseline");
    assert_eq!(
        b["findings"].as_array().unwrap().len(),
        1,
        "the annotated one is not baselined"
    );
    // With the baseline: clean. Lines moved: still clean (fingerprints have no lines).
    std::fs::write(&file, format!("# a comment\n\n{RISKY}")).unwrap();
    kubeaudit()
        .args(["lint", "-f", f, "--enable", "KA105", "--baseline"])
        .arg(&baseline)
        .assert()
        .code(0);
    // The finding is fixed: the baseline entry is reported as stale.
    let fixed = RISKY.split("---").take(2).collect::<Vec<_>>().join("---");
    std::fs::write(&file, fixed).unwrap();
    let a = kubeaudit()
        .args(["lint", "-f", f, "--enable", "KA105", "--baseline"])
        .arg(&baseline)
        .assert()
        .code(0);
    assert!(
        stderr(&a).contains("remove it from the baseline"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn the_configuration_file_is_read_from_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("risky.yaml"), RISKY).unwrap();
    std::fs::write(
        dir.path().join(".access-audit.yaml"),
        "lint:\n  enable: [KA105]\n  failOn: critical\n",
    )
    .unwrap();
    kubeaudit()
        .current_dir(dir.path())
        .args(["lint", "-f", "risky.yaml"])
        .assert()
        .code(0);
    std::fs::write(
        dir.path().join(".access-audit.yaml"),
        "lint:\n  fail_on: high\n",
    )
    .unwrap();
    let a = kubeaudit()
        .current_dir(dir.path())
        .args(["lint", "-f", "risky.yaml"])
        .assert()
        .code(2);
    assert!(stderr(&a).contains(".access-audit.yaml"), "{}", stderr(&a));
}
