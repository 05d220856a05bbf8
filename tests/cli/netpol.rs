//! `kubeaudit default-deny`, `can-reach` and `netpol-matrix` on the example cluster, on the
//! bugs of other tools, and on bad input.

use std::io::Write as _;

use serde_json::Value;

use crate::util::{examples, kubeaudit, stderr, stdout};

/// Writes manifests to a temporary `.yaml` file.
fn manifest(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(".yaml")
        .tempfile()
        .expect("temp file");
    f.write_all(text.as_bytes()).expect("write manifest");
    f
}

fn json_of(a: &assert_cmd::assert::Assert) -> Value {
    let out = stdout(a);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

fn namespace<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["namespaces"]
        .as_array()
        .and_then(|a| a.iter().find(|n| n["namespace"] == name))
        .unwrap_or_else(|| panic!("namespace {name} not in report: {report}"))
}

// ---------------------------------------------------------------------------------------
// default-deny on the example cluster

#[test]
fn default_deny_all_namespaces_shows_shop_with_and_payments_without() {
    let a = kubeaudit()
        .args(["default-deny", "-A", "-f"])
        .arg(examples())
        .assert()
        .code(1);
    let out = stdout(&a);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some("NAMESPACE     INGRESS   EGRESS   NOTES"),
        "{out}"
    );
    let row = |ns: &str| {
        lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(ns))
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>())
            .unwrap_or_else(|| panic!("no row for {ns}:\n{out}"))
    };
    assert_eq!(row("shop"), ["shop", "yes", "yes"]);
    assert_eq!(row("payments"), ["payments", "no", "no"]);
    assert!(
        out.contains("payments      no        no       ingress: 1 of 2 pods not isolated; egress: 2 of 2 pods not isolated"),
        "{out}"
    );
    assert_eq!(stderr(&a), "", "no warnings expected on the examples");
}

#[test]
fn default_deny_exit_codes_follow_the_namespace_and_direction() {
    kubeaudit()
        .args(["default-deny", "-n", "shop", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    kubeaudit()
        .args(["default-deny", "-n", "payments", "-f"])
        .arg(examples())
        .assert()
        .code(1);
    kubeaudit()
        .args(["default-deny", "-n", "shop", "--direction", "egress", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    // Everything but shop excluded: clean.
    kubeaudit()
        .args(["default-deny", "-A"])
        .args(["--exclude-namespace", "kube-*", "--exclude-namespace", "p*"])
        .args([
            "--exclude-namespace",
            "ci",
            "--exclude-namespace",
            "monitoring",
        ])
        .arg("-f")
        .arg(examples())
        .assert()
        .code(0);
    let a = kubeaudit()
        .args(["default-deny", "-A", "--exclude-namespace", "a[b", "-f"])
        .arg(examples())
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("invalid namespace pattern `a[b`"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn default_deny_without_namespace_uses_default_and_says_so() {
    let a = kubeaudit()
        .args(["default-deny", "-f"])
        .arg(examples())
        .assert()
        .code(1);
    assert!(stdout(&a).contains("default "), "{}", stdout(&a));
    assert!(
        stderr(&a)
            .contains("namespace \"default\" (the default namespace; use -n NS or -A for all)"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn default_deny_json_shape_is_the_engine_report() {
    let a = kubeaudit()
        .args(["default-deny", "-A", "-o", "json", "-f"])
        .arg(examples())
        .assert()
        .code(1);
    let v = json_of(&a);
    assert_eq!(v["complete"], true);
    let shop = namespace(&v, "shop");
    for d in ["ingress", "egress"] {
        assert_eq!(shop[d]["defaultDeny"], true, "{shop}");
        assert_eq!(shop[d]["allPodsIsolated"], true, "{shop}");
        assert_eq!(shop[d]["allowAll"], false, "{shop}");
        assert!(shop[d]["policies"].is_array());
    }
    let deny = shop["ingress"]["policies"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "default-deny"))
        .expect("default-deny policy listed");
    assert_eq!(deny["role"], "defaultDeny");
    let allow_dns = shop["egress"]["policies"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "allow-dns"))
        .expect("allow-dns listed");
    assert_eq!(allow_dns["role"], "isolatesAllWithRules");
    let payments = namespace(&v, "payments");
    assert_eq!(payments["ingress"]["defaultDeny"], false);
    assert_eq!(payments["egress"]["defaultDeny"], false);
    assert_eq!(payments["ingress"]["allPodsIsolated"], false);
    let api = payments["pods"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "payments-api-6b7d"))
        .expect("api pod listed");
    assert_eq!(api["ingressIsolated"], false);
    assert_eq!(api["egressIsolated"], false);
    assert_eq!(api["ingressReason"], "noPolicySelectsPod");
    let ledger = payments["pods"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "ledger-0"))
        .expect("ledger pod listed");
    assert_eq!(ledger["ingressIsolated"], true);
    assert_eq!(ledger["egressIsolated"], false);

    let a = kubeaudit()
        .args(["default-deny", "-n", "shop", "-o", "yaml", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(out.contains("complete: true"), "{out}");
    assert!(out.contains("defaultDeny: true"), "{out}");
}

#[test]
fn default_deny_wide_lists_policies_and_open_pods() {
    let a = kubeaudit()
        .args(["default-deny", "-A", "-o", "wide", "-f"])
        .arg(examples())
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.contains("POLICIES"), "{out}");
    assert!(out.contains("NOT ISOLATED"), "{out}");
    assert!(
        out.contains("default-deny: ingress default-deny, egress default-deny"),
        "{out}"
    );
    assert!(
        out.contains("allow-dns: egress isolates all pods, with allow rules"),
        "{out}"
    );
    assert!(
        out.contains(
            "payments-api-6b7d (ingress: no policy selects it; egress: no policy selects it)"
        ),
        "{out}"
    );
    assert!(
        out.contains("ledger-0 (egress: selected only by policies for the other direction)"),
        "{out}"
    );
}

#[test]
fn default_deny_symbols_colour_and_headers() {
    let a = kubeaudit()
        .args(["default-deny", "-A", "--color", "always", "-f"])
        .arg(examples())
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.contains('✔') && out.contains('✖'), "{out}");
    assert!(out.contains("\u{1b}["), "colour expected: {out}");
    let a = kubeaudit()
        .args([
            "default-deny",
            "-A",
            "--color",
            "never",
            "--no-headers",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(!out.contains('✔') && !out.contains("\u{1b}["), "{out}");
    assert!(!out.contains("NAMESPACE"), "{out}");
    assert!(out.starts_with("ci "), "{out}");
}

// ---------------------------------------------------------------------------------------
// can-reach on the example cluster

#[test]
fn can_reach_explains_an_allowed_flow_by_policy_and_rule() {
    let a = kubeaudit()
        .args([
            "can-reach",
            "shop/storefront-7d4b9",
            "shop/cart-5f6c8",
            "--port",
            "9000",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(
        out.starts_with("allowed: shop/storefront-7d4b9 → shop/cart-5f6c8 on 9000/TCP\n"),
        "{out}"
    );
    assert!(
        out.contains("egress    shop/storefront-7d4b9   allowed   NetworkPolicy shop/storefront-to-cart, egress rule 0 [peer 0, port 0]"),
        "{out}"
    );
    // The ingress rule names port `api`: resolved against the cart pod's container.
    assert!(
        out.contains("NetworkPolicy shop/cart-from-storefront, ingress rule 0 [peer 0, port 0: \"api\" = 9000/TCP of container cart]"),
        "{out}"
    );

    let a = kubeaudit()
        .args([
            "can-reach",
            "shop/storefront-7d4b9",
            "shop/cart-5f6c8",
            "--port",
            "9000",
            "-o",
            "json",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let v = json_of(&a);
    assert_eq!(v["allowed"], true);
    assert_eq!(v["implementationDefined"], false);
    assert_eq!(v["complete"], true);
    assert_eq!(v["egress"]["allowed"], true);
    assert_eq!(v["egress"]["decision"], "allowedByNetworkPolicy");
    assert_eq!(v["egress"]["rule"]["policy"]["name"], "storefront-to-cart");
    assert_eq!(v["egress"]["rule"]["ruleIndex"], 0);
    assert_eq!(v["ingress"]["decision"], "allowedByNetworkPolicy");
    assert_eq!(
        v["ingress"]["rule"]["policy"]["name"],
        "cart-from-storefront"
    );
    assert_eq!(v["ingress"]["rule"]["namedPort"]["name"], "api");
    assert_eq!(v["ingress"]["rule"]["namedPort"]["port"], 9000);
}

#[test]
fn can_reach_takes_bare_pod_names_in_the_namespace_of_n() {
    let a = kubeaudit()
        .args([
            "can-reach",
            "storefront-7d4b9",
            "cart-5f6c8",
            "-n",
            "shop",
            "-p",
            "9000",
        ])
        .args(["-o", "json", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let v = json_of(&a);
    assert_eq!(v["from"]["pod"], "shop/storefront-7d4b9");
    assert_eq!(v["to"]["pod"], "shop/cart-5f6c8");
    // Without -n the default namespace is used, which has no such pod.
    let a = kubeaudit()
        .args([
            "can-reach",
            "storefront-7d4b9",
            "shop/cart-5f6c8",
            "-p",
            "9000",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("pod default/storefront-7d4b9 not found"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn can_reach_monitoring_to_payments_api_is_open_because_nothing_isolates() {
    let a = kubeaudit()
        .args([
            "can-reach",
            "monitoring/prometheus-0",
            "payments/payments-api-6b7d",
            "-p",
            "8443",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(
        out.contains("not isolated: no NetworkPolicy selects it for egress"),
        "{out}"
    );
    assert!(
        out.contains("not isolated: no NetworkPolicy selects it for ingress"),
        "{out}"
    );
}

#[test]
fn can_reach_explains_denied_flows_on_either_side() {
    // Ingress side: the cart accepts only the storefront.
    let a = kubeaudit()
        .args([
            "can-reach",
            "payments/payments-api-6b7d",
            "shop/cart-5f6c8",
            "-p",
            "9000",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.starts_with("denied: "), "{out}");
    assert!(
        out.contains("ingress   shop/cart-5f6c8              denied    isolated by NetworkPolicy shop/cart-from-storefront, NetworkPolicy shop/default-deny; no ingress rule allows it"),
        "{out}"
    );
    // Egress side: shop denies egress by default; the payments API itself is open.
    let a = kubeaudit()
        .args([
            "can-reach",
            "shop/storefront-7d4b9",
            "payments/payments-api-6b7d",
            "-p",
            "8443",
            "-o",
            "json",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(1);
    let v = json_of(&a);
    assert_eq!(v["allowed"], false);
    assert_eq!(v["egress"]["allowed"], false);
    assert_eq!(v["egress"]["decision"], "deniedByNetworkPolicy");
    let isolated: Vec<&str> = v["egress"]["isolatedBy"]
        .as_array()
        .expect("isolatedBy")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(isolated.contains(&"default-deny"), "{v}");
    assert_eq!(v["ingress"]["allowed"], true);
    assert_eq!(v["ingress"]["decision"], "notIsolated");
}

#[test]
fn can_reach_resolves_a_port_name_and_flags_loopback() {
    let a = kubeaudit()
        .args([
            "can-reach",
            "203.0.113.7",
            "shop/storefront-7d4b9",
            "--port",
            "http",
            "-o",
            "json",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let v = json_of(&a);
    assert_eq!(v["port"], 8080);
    assert_eq!(v["egress"]["decision"], "externalEndpoint");
    assert_eq!(v["ingress"]["rule"]["policy"]["name"], "storefront-public");
    assert!(
        stderr(&a).contains("port \"http\" of shop/storefront-7d4b9 is 8080/TCP"),
        "{}",
        stderr(&a)
    );

    let a = kubeaudit()
        .args(["can-reach", "shop/cart-5f6c8", "shop/cart-5f6c8", "-p", "1"])
        .args(["-o", "json", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let v = json_of(&a);
    assert_eq!(v["loopback"], true);
    assert_eq!(v["implementationDefined"], true);
    assert_eq!(v["implementationDefinedReasons"][0], "loopback");
    let a = kubeaudit()
        .args([
            "can-reach",
            "shop/cart-5f6c8",
            "shop/cart-5f6c8",
            "-p",
            "1",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    assert!(
        stdout(&a)
            .contains("implementation-defined: CNIs differ on a pod talking to itself (loopback)"),
        "{}",
        stdout(&a)
    );
}

#[test]
fn can_reach_ip_block_on_pod_ip_is_flagged_implementation_defined() {
    let f = manifest(
        r#"
apiVersion: v1
kind: Namespace
metadata: {name: x}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
status: {podIP: 10.1.0.10}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
status: {podIP: 10.1.0.11}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-cidr, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{ipBlock: {cidr: 10.1.0.0/24}}]
"#,
    );
    let a = kubeaudit()
        .args(["can-reach", "x/b", "x/a", "-p", "80", "-o", "json", "-f"])
        .arg(f.path())
        .assert()
        .code(0);
    let v = json_of(&a);
    assert_eq!(v["allowed"], true);
    assert_eq!(v["implementationDefined"], true);
    assert_eq!(v["implementationDefinedReasons"][0], "ipBlockMatchesPodIp");
    assert_eq!(v["ingress"]["rule"]["ipBlockMatchedPodIp"], true);
}

// ---------------------------------------------------------------------------------------
// netpol-matrix

#[test]
fn matrix_grid_plain_and_json() {
    let a = kubeaudit()
        .args(["netpol-matrix", "-n", "shop", "--port", "9000", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "9000/TCP combined: rows from, columns to",
            "FROM \\ TO               shop/cart-5f6c8   shop/storefront-7d4b9",
            "shop/cart-5f6c8         .*                X",
            "shop/storefront-7d4b9   .                 .*",
            "*: implementation-defined (CNIs differ; on the diagonal a pod talks to itself)",
        ],
        "{out}"
    );
    let a = kubeaudit()
        .args(["netpol-matrix", "-A", "--port", "8443", "-o", "json", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let v = json_of(&a);
    let pods: Vec<&str> = v["pods"]
        .as_array()
        .expect("pods")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(pods.len(), 5, "{v}");
    let idx = |p: &str| pods.iter().position(|x| *x == p).expect("pod");
    let (prom, api, store) = (
        idx("monitoring/prometheus-0"),
        idx("payments/payments-api-6b7d"),
        idx("shop/storefront-7d4b9"),
    );
    assert_eq!(v["allowed"][prom][api], true);
    assert_eq!(v["allowed"][store][api], false);
    assert_eq!(v["egressAllowed"][store][api], false);
    assert_eq!(v["ingressAllowed"][store][api], true);
    assert_eq!(v["implementationDefined"][api][api], true);
    assert_eq!(v["complete"], true);
}

#[test]
fn matrix_wide_and_symbols() {
    let a = kubeaudit()
        .args(["netpol-matrix", "-n", "shop", "-p", "9000", "-o", "wide"])
        .args(["--color", "always", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(out.contains("9000/TCP egress (source side only)"), "{out}");
    assert!(
        out.contains("9000/TCP ingress (destination side only)"),
        "{out}"
    );
    assert!(out.contains("9000/TCP combined"), "{out}");
    assert!(out.contains('✔') && out.contains('✖'), "{out}");
    let a = kubeaudit()
        .args(["netpol-matrix", "-p", "http", "-A", "-f"])
        .arg(examples())
        .assert()
        .code(2);
    assert!(stderr(&a).contains("needs a port number"), "{}", stderr(&a));
}

// ---------------------------------------------------------------------------------------
// Other tools' bugs, through the CLI

/// Shopify/kubeaudit reads policyTypes literally: `podSelector: {}` with neither policyTypes
/// nor ingress is reported as missing default-deny ingress. The API server defaults
/// policyTypes to [Ingress], so it IS one — even with no Namespace object and no pods.
#[test]
fn shopify_bug_podselector_only_is_default_deny_ingress() {
    let f = manifest(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress, namespace: team}
spec:
  podSelector: {}
"#,
    );
    let a = kubeaudit()
        .args([
            "default-deny",
            "-A",
            "--direction",
            "ingress",
            "-o",
            "json",
            "-f",
        ])
        .arg(f.path())
        .assert()
        .code(0);
    let v = json_of(&a);
    let team = namespace(&v, "team");
    assert_eq!(team["ingress"]["defaultDeny"], true);
    assert_eq!(team["ingress"]["policies"][0]["role"], "defaultDeny");
    assert_eq!(team["ingress"]["policies"][0]["policyTypesDefaulted"], true);
    assert_eq!(team["egress"]["defaultDeny"], false);
    assert!(
        stderr(&a).contains("no Pod objects were loaded"),
        "{}",
        stderr(&a)
    );
    // Egress is not denied by it: asking for both directions is a finding.
    kubeaudit()
        .args(["default-deny", "-A", "-f"])
        .arg(f.path())
        .assert()
        .code(1);
}

/// Polaris' missingNetworkPolicy wants matchLabels and non-empty ingress and egress lists, so
/// a namespace-wide default-deny fails it and "deny all egress" is a failure. Here both pass.
#[test]
fn polaris_bug_namespace_wide_default_deny_and_deny_all_egress_pass() {
    let f = manifest(
        r#"
apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app, labels: {app: web}}
status: {podIP: 10.2.0.5}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: app}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: v1
kind: Namespace
metadata: {name: batch}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: batch}
spec:
  podSelector: {matchExpressions: []}
  policyTypes: [Egress]
  egress: []
"#,
    );
    kubeaudit()
        .args(["default-deny", "-n", "app", "-f"])
        .arg(f.path())
        .assert()
        .code(0);
    let a = kubeaudit()
        .args([
            "default-deny",
            "-n",
            "batch",
            "--direction",
            "egress",
            "-o",
            "json",
            "-f",
        ])
        .arg(f.path())
        .assert()
        .code(0);
    let v = json_of(&a);
    assert_eq!(namespace(&v, "batch")["egress"]["defaultDeny"], true);
    // And the deny-all really denies: the web pod reaches nothing outside.
    let a = kubeaudit()
        .args(["can-reach", "app/web", "198.51.100.1", "-p", "443", "-f"])
        .arg(f.path())
        .assert()
        .code(1);
    assert!(
        stdout(&a).contains("isolated by NetworkPolicy app/deny-all; no egress rule allows it"),
        "{}",
        stdout(&a)
    );
}

// ---------------------------------------------------------------------------------------
// Bad input: clear errors (exit 2) or warnings naming the object; never a panic

#[test]
fn invalid_policies_are_errors_naming_object_and_field() {
    let f = manifest(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad-cidr, namespace: x}
spec:
  podSelector: {}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad-selector, namespace: x}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: Equals, values: [a]}]
  egress:
  - ports: [{port: 70000}]
"#,
    );
    for args in [
        vec!["default-deny", "-A"],
        vec!["can-reach", "x/a", "x/b", "-p", "80"],
        vec!["netpol-matrix", "-A", "-p", "80"],
    ] {
        let a = kubeaudit()
            .args(&args)
            .arg("-f")
            .arg(f.path())
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(err.contains("error: 3 invalid object field(s)"), "{err}");
        assert!(
            err.contains("NetworkPolicy x/bad-cidr")
                && err.contains("spec.ingress[0].from[0].ipBlock.cidr"),
            "{err}"
        );
        assert!(
            err.contains("NetworkPolicy x/bad-selector")
                && err.contains("spec.podSelector.matchExpressions[0].operator"),
            "{err}"
        );
        assert!(err.contains("spec.egress[0].ports[0].port"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(stdout(&a), "");
    }
}

#[test]
fn named_port_matching_nothing_is_a_warning_naming_the_policy() {
    let f = manifest(
        r#"
apiVersion: v1
kind: Namespace
metadata: {name: x}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
spec:
  containers: [{name: c, ports: [{name: dns, containerPort: 53, protocol: UDP}]}]
status: {podIP: 10.0.0.1}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns-by-name, namespace: x}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: dns}]
"#,
    );
    // `port: dns` defaults to TCP; the pod declares dns only for UDP: nothing matches.
    let a = kubeaudit()
        .args([
            "can-reach",
            "10.9.9.9",
            "x/a",
            "-p",
            "53",
            "--protocol",
            "udp",
            "-f",
        ])
        .arg(f.path())
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains("Warning: NetworkPolicy x/dns-by-name"),
        "{err}"
    );
    assert!(err.contains("spec.ingress[0].ports[0].port"), "{err}");
    // A port name the destination does not declare is an error.
    let a = kubeaudit()
        .args(["can-reach", "10.9.9.9", "x/a", "-p", "dns", "-f"])
        .arg(f.path())
        .assert()
        .code(2);
    assert!(
        stderr(&a)
            .contains("pod x/a declares no TCP port named \"dns\" (named ports: dns (53/UDP))"),
        "{}",
        stderr(&a)
    );
    kubeaudit()
        .args([
            "can-reach",
            "10.9.9.9",
            "x/a",
            "-p",
            "dns",
            "--protocol",
            "UDP",
            "-f",
        ])
        .arg(f.path())
        .assert()
        .code(1);
}

#[test]
fn bad_command_line_values_exit_2_with_a_reason() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "can-reach",
                "shop/storefront",
                "shop/cart-5f6c8",
                "-p",
                "9000",
            ],
            "pod shop/storefront not found; pods in shop: cart-5f6c8, storefront-7d4b9",
        ),
        (
            &["can-reach", "nosuch/a", "shop/cart-5f6c8", "-p", "9000"],
            "pod nosuch/a not found; the input has no pods in namespace nosuch",
        ),
        (
            &["can-reach", "shop/cart-5f6c8", "shop/cart-5f6c8", "-p", "0"],
            "invalid port 0: expected a number from 1 to 65535",
        ),
        (
            &[
                "can-reach",
                "shop/cart-5f6c8",
                "shop/cart-5f6c8",
                "-p",
                "65536",
            ],
            "expected a number from 1 to 65535",
        ),
        (
            &[
                "can-reach",
                "shop/cart-5f6c8",
                "shop/cart-5f6c8",
                "-p",
                "HTTP!",
            ],
            "invalid port \"HTTP!\"",
        ),
        (
            &["can-reach", "shop/cart-5f6c8", "10.0.0.0/8", "-p", "80"],
            "a CIDR is not an endpoint",
        ),
        (
            &["can-reach", "Shop/cart", "shop/cart-5f6c8", "-p", "80"],
            "invalid endpoint `Shop/cart`",
        ),
        (
            &[
                "can-reach",
                "shop/cart-5f6c8",
                "shop/cart-5f6c8",
                "-p",
                "80",
                "--protocol",
                "icmp",
            ],
            "invalid value 'icmp' for '--protocol <PROTO>'",
        ),
        (
            &["can-reach", "shop/cart-5f6c8", "shop/cart-5f6c8"],
            "--port <PORT>",
        ),
        (
            &["can-reach", "203.0.113.9", "198.51.100.1", "-p", "web"],
            "only a pod's ports have names",
        ),
        (
            &["netpol-matrix", "-A", "-p", "99999"],
            "expected a number from 1 to 65535",
        ),
        (
            &["default-deny", "--direction", "sideways"],
            "invalid value 'sideways'",
        ),
    ];
    for (args, expected) in cases {
        let a = kubeaudit()
            .args(*args)
            .arg("-f")
            .arg(examples())
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn protocol_is_case_insensitive() {
    let a = kubeaudit()
        .args([
            "can-reach",
            "shop/storefront-7d4b9",
            "shop/cart-5f6c8",
            "-p",
            "9000",
        ])
        .args(["--protocol", "udp", "-o", "json", "-f"])
        .arg(examples())
        .assert()
        .code(1);
    assert_eq!(json_of(&a)["protocol"], "UDP");
}

#[test]
fn unsupported_policy_kinds_make_answers_uncertain() {
    let f = manifest(
        r#"
apiVersion: v1
kind: Namespace
metadata: {name: x}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
status: {podIP: 10.0.0.1}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata: {name: allow-everything}
spec: {}
"#,
    );
    let a = kubeaudit()
        .args(["default-deny", "-A", "-f"])
        .arg(f.path())
        .assert()
        .code(2);
    let err = stderr(&a);
    assert!(err.contains("error: cannot tell"), "{err}");
    assert!(
        err.contains("GlobalNetworkPolicy allow-everything"),
        "{err}"
    );
    kubeaudit()
        .args(["default-deny", "-A", "--allow-incomplete", "-f"])
        .arg(f.path())
        .assert()
        .code(0);
    let a = kubeaudit()
        .args([
            "can-reach",
            "x/a",
            "203.0.113.1",
            "-p",
            "80",
            "-o",
            "json",
            "-f",
        ])
        .arg(f.path())
        .assert()
        .code(2);
    assert_eq!(json_of(&a)["complete"], false);
    kubeaudit()
        .args([
            "can-reach",
            "x/a",
            "203.0.113.1",
            "-p",
            "80",
            "--allow-incomplete",
            "-f",
        ])
        .arg(f.path())
        .assert()
        .code(1);
}

#[test]
fn no_pods_loaded_makes_ip_answers_and_matrices_uncertain() {
    let f = manifest(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec: {podSelector: {}}
"#,
    );
    let a = kubeaudit()
        .args(["can-reach", "203.0.113.1", "10.0.0.1", "-p", "80", "-f"])
        .arg(f.path())
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("no Pod objects were loaded"),
        "{}",
        stderr(&a)
    );
    kubeaudit()
        .args(["netpol-matrix", "-A", "-p", "80", "-f"])
        .arg(f.path())
        .assert()
        .code(2);
    kubeaudit()
        .args([
            "netpol-matrix",
            "-A",
            "-p",
            "80",
            "--allow-incomplete",
            "-f",
        ])
        .arg(f.path())
        .assert()
        .code(0);
}

#[test]
fn garbage_input_is_an_error_not_a_panic() {
    let f = manifest(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: weird, namespace: x}
spec:
  podSelector: [1, 2]
  ingress: {from: 3}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
status: {podIP: not-an-ip}
"#,
    );
    for cmd in [
        vec!["default-deny", "-A"],
        vec!["can-reach", "x/p", "x/p", "-p", "1"],
    ] {
        let a = kubeaudit()
            .args(&cmd)
            .arg("-f")
            .arg(f.path())
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(err.contains("NetworkPolicy x/weird"), "{err}");
        assert!(err.contains("`not-an-ip` is not an IP address"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// The source might be the destination's node (unknown IPs), whose traffic is always allowed:
/// that makes a denial uncertain, but leaves an allowance certain.
#[test]
fn unknown_node_ip_answers_the_address_as_given_with_a_note() {
    let f = manifest(
        r#"
apiVersion: v1
kind: Namespace
metadata: {name: x}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: x, labels: {app: web}}
spec: {nodeName: node-1}
status: {podIP: 10.0.0.1}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-443, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 443}]}]
"#,
    );
    kubeaudit()
        .args(["can-reach", "203.0.113.5", "x/web", "-p", "443", "-f"])
        .arg(f.path())
        .assert()
        .code(0);
    // Denied for the external address; the pod's own node would be allowed, which is said.
    let a = kubeaudit()
        .args(["can-reach", "203.0.113.5", "x/web", "-p", "80", "-f"])
        .arg(f.path())
        .assert()
        .code(1);
    assert!(
        stderr(&a).contains("traffic from a pod's own node is always allowed"),
        "{}",
        stderr(&a)
    );
}

/// Namespace labels unknown (no Namespace objects) cannot matter when the peer's pod selector
/// already fails: a plain "denied", not "cannot tell" (the network-policy recipe 07 shape).
#[test]
fn unknown_namespace_labels_matter_only_when_they_could_change_the_answer() {
    let f = manifest(
        r#"
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default, labels: {app: web}}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: test, namespace: default, labels: {app: test}}
status: {podIP: 10.0.0.2}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-prometheus, namespace: default}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: operations}}
      podSelector: {matchLabels: {type: monitoring}}
"#,
    );
    kubeaudit()
        .args([
            "can-reach",
            "default/test",
            "default/web",
            "--port",
            "80",
            "-f",
        ])
        .arg(f.path())
        .assert()
        .code(1);
}

/// Install manifests have workloads, not Pods: one pod per workload is derived from its pod
/// template, kubectl's workload names are endpoints, and a real Pod wins over its template.
#[test]
fn pods_are_derived_from_workload_templates() {
    let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/install/workloads.yaml");
    let reach = |port: &str| {
        kubeaudit()
            .args([
                "can-reach",
                "deploy/argocd-server",
                "sts/argocd-redis",
                "--port",
                port,
                "-n",
                "argocd",
                "-f",
            ])
            .arg(&file)
            .assert()
    };
    let a = reach("6379").code(0);
    assert!(
        stdout(&a).contains("argocd/sts.argocd-redis"),
        "{}",
        stdout(&a)
    );
    assert!(
        stderr(&a).contains("derived from workload pod templates"),
        "{}",
        stderr(&a)
    );
    assert!(
        !stderr(&a).contains("no pod IP known"),
        "no ipBlock, no IP needed: {}",
        stderr(&a)
    );
    reach("6380").code(1);
    // The named port of the template resolves too.
    reach("redis").code(0);
    // NS/TYPE/NAME works without -n; the real Pod of `web` is used, no `deploy.web`.
    let a = kubeaudit()
        .args([
            "can-reach",
            "argocd/deployment/argocd-server",
            "argocd/web-6d4cf56db6-x2x9z",
            "--port",
            "80",
            "-f",
        ])
        .arg(&file)
        .assert()
        .code(0);
    assert!(!stdout(&a).contains("deploy.web"), "{}", stdout(&a));
    let a = kubeaudit()
        .args([
            "can-reach",
            "deploy/web",
            "sts/argocd-redis",
            "--port",
            "6379",
            "-n",
            "argocd",
            "-f",
        ])
        .arg(&file)
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("deploy.web"),
        "the real Pod won: {}",
        stderr(&a)
    );
}
