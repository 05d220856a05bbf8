//! `kubeaudit who-can` on the example cluster and on hand-made cases, including every
//! who-can bug of the peer tools.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{examples, kubeaudit, stderr, stdout};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/who-can-cases.yaml")
}

/// Runs `who-can ARGS -o json -f FILE`, expects exit 0, returns the report.
fn who_can(file: &PathBuf, args: &[&str]) -> Value {
    let a = kubeaudit()
        .arg("who-can")
        .args(args)
        .args(["-o", "json", "-f"])
        .arg(file)
        .assert()
        .code(0);
    serde_json::from_str(&stdout(&a)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&a)))
}

/// `Kind:namespace:name` (namespace empty for users and groups) of every subject.
fn subjects(report: &Value) -> Vec<String> {
    report["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .map(|s| {
            format!(
                "{}:{}:{}",
                s["kind"].as_str().unwrap_or(""),
                s["namespace"].as_str().unwrap_or(""),
                s["name"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn find<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .find(|s| {
            format!(
                "{}:{}:{}",
                s["kind"].as_str().unwrap_or(""),
                s["namespace"].as_str().unwrap_or(""),
                s["name"].as_str().unwrap_or("")
            ) == key
        })
        .unwrap_or_else(|| panic!("{key} not in {:?}", subjects(report)))
}

#[test]
fn delete_nodes_on_the_example_cluster_lists_exactly_the_right_subjects_and_paths() {
    let r = who_can(&examples(), &["delete", "nodes"]);
    assert_eq!(
        subjects(&r),
        [
            "Group::system:masters",
            "Group::platform-admins",
            "Group::sre",
            "ServiceAccount:platform:argocd-application-controller",
            "User::carol",
        ]
    );
    assert_eq!(r["scope"], "cluster");
    assert_eq!(r["complete"], true);
    assert_eq!(r["request"]["resourceAttributes"]["namespace"], "");
    let masters = find(&r, "Group::system:masters");
    assert_eq!(masters["builtin"], true);
    let sre = find(&r, "Group::sre");
    assert_eq!(
        sre["via"],
        serde_json::json!([{
            "binding": {"kind": "ClusterRoleBinding", "name": "sre-node-operators"},
            "role": {"kind": "ClusterRole", "name": "node-operator"},
            "rule": 0
        }])
    );
    // The table and its wide form show the same subjects, wide with the paths.
    let a = kubeaudit()
        .args(["who-can", "delete", "nodes", "-o", "wide", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(out.starts_with("KIND "), "{out}");
    assert!(
        out.contains("ClusterRoleBinding/sre-node-operators → ClusterRole/node-operator, rule 0"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 6, "{out}");
    let a = kubeaudit()
        .args(["who-can", "delete", "nodes", "--no-headers", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    assert!(stdout(&a).starts_with("Group "), "{}", stdout(&a));
}

#[test]
fn healthz_finds_star_and_prefix_holders_but_not_role_binding_grants() {
    let r = who_can(&fixture(), &["get", "/healthz"]);
    let got = subjects(&r);
    for want in ["User::url-star", "User::url-prefix", "User::url-mixed"] {
        assert!(got.contains(&want.to_string()), "{want} missing: {got:?}");
    }
    for not in ["User::url-post-only", "User::bob"] {
        assert!(!got.contains(&not.to_string()), "{not} listed: {got:?}");
    }
    assert_eq!(find(&r, "User::url-prefix")["via"][0]["rule"], 0);
    // `/livez/*` covers /livez/ping but not /livez.
    let got = subjects(&who_can(&fixture(), &["get", "/livez/ping"]));
    assert!(got.contains(&"User::url-prefix".to_string()), "{got:?}");
    let got = subjects(&who_can(&fixture(), &["get", "/livez"]));
    assert!(!got.contains(&"User::url-prefix".to_string()), "{got:?}");
    // A RoleBinding never grants non-resource URLs: not with -n, not with -A.
    for extra in [&["-n", "ns1"][..], &["-A"][..]] {
        let mut args = vec!["get", "/test-reader"];
        args.extend_from_slice(extra);
        let got = subjects(&who_can(&fixture(), &args));
        assert!(!got.contains(&"User::rb-url-user".to_string()), "{got:?}");
        assert!(got.contains(&"User::url-star".to_string()), "{got:?}");
    }
    // The example cluster: cluster-admin's nonResourceURLs ["*"] and system:discovery's list.
    let got = subjects(&who_can(&examples(), &["get", "/healthz"]));
    assert!(
        got.contains(&"Group::platform-admins".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"Group::system:authenticated".to_string()),
        "{got:?}"
    );
}

#[test]
fn all_namespaces_includes_role_binding_subjects_with_where() {
    let r = who_can(&fixture(), &["get", "pods", "-A"]);
    assert_eq!(r["scope"], "allNamespaces");
    let app = find(&r, "ServiceAccount:ns1:app");
    assert_eq!(app["namespaces"], serde_json::json!(["ns1"]));
    assert_eq!(
        app["via"][0]["binding"],
        serde_json::json!({"kind": "RoleBinding", "name": "rb", "namespace": "ns1"})
    );
    // bob's RoleBinding in default grants pods there; the masters group is everywhere.
    assert_eq!(
        find(&r, "User::bob")["namespaces"],
        serde_json::json!(["default"])
    );
    assert_eq!(
        find(&r, "Group::system:masters")["namespaces"],
        serde_json::json!(["*"])
    );
    // -n limits to that namespace.
    let got = subjects(&who_can(&fixture(), &["get", "pods", "-n", "ns2"]));
    assert!(
        !got.contains(&"ServiceAccount:ns1:app".to_string()),
        "{got:?}"
    );
    let got = subjects(&who_can(&fixture(), &["get", "pods", "-n", "ns1"]));
    assert!(
        got.contains(&"ServiceAccount:ns1:app".to_string()),
        "{got:?}"
    );
}

#[test]
fn namespace_grants_are_not_reported_for_cluster_scoped_resources() {
    for extra in [&[][..], &["-n", "default"][..], &["-A"][..]] {
        let mut args = vec!["delete", "nodes"];
        args.extend_from_slice(extra);
        let r = who_can(&fixture(), &args);
        let got = subjects(&r);
        assert!(
            !got.contains(&"User::bob".to_string()),
            "{extra:?}: {got:?}"
        );
        assert!(got.contains(&"Group::node-admins".to_string()), "{got:?}");
        assert!(
            got.contains(&"ServiceAccount:ns2:runner".to_string()),
            "{got:?}"
        );
        assert_eq!(r["scope"], "cluster", "{extra:?}");
    }
    // -n on a cluster-scoped resource draws a note.
    let a = kubeaudit()
        .args(["who-can", "delete", "nodes", "-n", "default", "-f"])
        .arg(fixture())
        .assert()
        .code(0);
    assert!(stderr(&a).contains("-n default ignored"), "{}", stderr(&a));
    // A Namespace object's requests carry its own name as namespace.
    let got = subjects(&who_can(&fixture(), &["delete", "namespaces/ns1"]));
    assert!(got.contains(&"User::carl".to_string()), "{got:?}");
    assert!(!got.contains(&"User::bob".to_string()), "{got:?}");
    let got = subjects(&who_can(&fixture(), &["delete", "namespaces/ns2"]));
    assert!(!got.contains(&"User::carl".to_string()), "{got:?}");
    let got = subjects(&who_can(&fixture(), &["delete", "namespaces"]));
    assert!(!got.contains(&"User::carl".to_string()), "{got:?}");
}

#[test]
fn escalation_questions_work() {
    // bind with resourceNames: only for the named role, and (as the API server checks it)
    // in the namespace of the RoleBinding being created.
    let got = subjects(&who_can(
        &fixture(),
        &["bind", "clusterroles/edit", "-n", "ns1"],
    ));
    assert!(got.contains(&"User::eve".to_string()), "{got:?}");
    let got = subjects(&who_can(
        &fixture(),
        &["bind", "clusterroles/edit", "-n", "ns2"],
    ));
    assert!(!got.contains(&"User::eve".to_string()), "{got:?}");
    let r = who_can(&fixture(), &["bind", "clusterroles/edit", "-A"]);
    assert_eq!(
        find(&r, "User::eve")["namespaces"],
        serde_json::json!(["ns1"])
    );
    let got = subjects(&who_can(
        &fixture(),
        &["bind", "clusterroles/admin", "-n", "ns1"],
    ));
    assert!(!got.contains(&"User::eve".to_string()), "{got:?}");
    // The example cluster: CI may hand out "edit" in shop.
    let got = subjects(&who_can(
        &examples(),
        &["bind", "clusterroles/edit", "-n", "shop"],
    ));
    assert!(
        got.contains(&"ServiceAccount:ci:deployer".to_string()),
        "{got:?}"
    );
    let got = subjects(&who_can(&fixture(), &["escalate", "roles", "-n", "ns1"]));
    assert!(got.contains(&"User::eve".to_string()), "{got:?}");
    let got = subjects(&who_can(&fixture(), &["escalate", "roles", "-n", "ns2"]));
    assert!(!got.contains(&"User::eve".to_string()), "{got:?}");
    // impersonation targets: cluster-scoped, so the RoleBinding of imp-ns2 never counts.
    let r = who_can(&fixture(), &["impersonate", "users/alice"]);
    assert_eq!(r["request"]["resourceAttributes"]["resource"], "users");
    let got = subjects(&r);
    assert!(got.contains(&"User::imp".to_string()), "{got:?}");
    assert!(!got.contains(&"User::imp-ns2".to_string()), "{got:?}");
    let got = subjects(&who_can(&fixture(), &["impersonate", "users/mallory"]));
    assert!(!got.contains(&"User::imp".to_string()), "{got:?}");
    let got = subjects(&who_can(
        &fixture(),
        &["impersonate", "groups/devs", "-n", "ns2"],
    ));
    assert!(got.contains(&"User::imp".to_string()), "{got:?}");
    assert!(!got.contains(&"User::imp-ns2".to_string()), "{got:?}");
    // uids are asked in their real group, authentication.k8s.io.
    let r = who_can(&fixture(), &["impersonate", "uids/1234"]);
    assert_eq!(
        r["request"]["resourceAttributes"]["group"],
        "authentication.k8s.io"
    );
    let got = subjects(&r);
    assert!(got.contains(&"User::imp".to_string()), "{got:?}");
    assert!(
        !got.contains(&"User::imp-wrong-group".to_string()),
        "{got:?}"
    );
    let got = subjects(&who_can(
        &fixture(),
        &["impersonate", "userextras/read", "--subresource", "scopes"],
    ));
    assert!(got.contains(&"User::imp".to_string()), "{got:?}");
    // Service accounts are namespaced: the RoleBinding in ns2 counts there.
    let got = subjects(&who_can(
        &fixture(),
        &["impersonate", "serviceaccounts/builder", "-n", "ns2"],
    ));
    assert!(got.contains(&"User::imp-ns2".to_string()), "{got:?}");
    // Signers: the domain wildcard grant covers every signer of the domain.
    let r = who_can(&fixture(), &["approve", "signers/example.com/issuer"]);
    assert_eq!(
        r["alsoChecked"][0]["resourceAttributes"]["name"],
        "example.com/*"
    );
    assert!(subjects(&r).contains(&"User::approver".to_string()));
    let r = who_can(&fixture(), &["approve", "signers/other.io/issuer"]);
    assert!(!subjects(&r).contains(&"User::approver".to_string()));
    // The example cluster: support may impersonate alice.
    let got = subjects(&who_can(&examples(), &["impersonate", "users/alice"]));
    assert!(got.contains(&"Group::support".to_string()), "{got:?}");
}

#[test]
fn resource_names_subresources_and_api_groups_are_respected() {
    for verb in ["get", "list"] {
        let got = subjects(&who_can(&fixture(), &[verb, "secrets", "-n", "ns1"]));
        assert!(
            !got.contains(&"User::named-reader".to_string()),
            "{verb}: {got:?}"
        );
    }
    let got = subjects(&who_can(
        &fixture(),
        &["get", "secrets/some-secret", "-n", "ns1"],
    ));
    assert!(got.contains(&"User::named-reader".to_string()), "{got:?}");
    // apiGroups: extensions deployments and metrics.k8s.io pods grant nothing on apps/core.
    let got = subjects(&who_can(&fixture(), &["get", "deployments", "-n", "ns1"]));
    assert!(
        !got.contains(&"User::group-mismatch".to_string()),
        "{got:?}"
    );
    let got = subjects(&who_can(&fixture(), &["get", "pods", "-n", "ns1"]));
    assert!(
        !got.contains(&"User::group-mismatch".to_string()),
        "{got:?}"
    );
    // pods/log: a subresource needs --subresource; `pods/log` names a pod.
    let got = subjects(&who_can(
        &fixture(),
        &["get", "pods", "--subresource", "log", "-n", "ns2"],
    ));
    assert!(
        got.contains(&"ServiceAccount:ns2:builder".to_string()),
        "{got:?}"
    );
    let got = subjects(&who_can(&fixture(), &["get", "pods/log", "-n", "ns2"]));
    assert!(
        !got.contains(&"ServiceAccount:ns2:builder".to_string()),
        "{got:?}"
    );
}

#[test]
fn groups_stay_groups_unless_expanded() {
    let args = ["get", "pods", "--subresource", "log", "-n", "ns2"];
    let r = who_can(&fixture(), &args);
    assert!(!subjects(&r).contains(&"ServiceAccount:ns2:runner".to_string()));
    let mut expanded = args.to_vec();
    expanded.push("--expand-groups");
    let r = who_can(&fixture(), &expanded);
    let runner = find(&r, "ServiceAccount:ns2:runner");
    assert_eq!(
        runner["memberOf"],
        serde_json::json!(["system:serviceaccounts:ns2"])
    );
    // builder is bound directly and through the group: one entry, both noted.
    let builder = find(&r, "ServiceAccount:ns2:builder");
    assert_eq!(
        builder["memberOf"],
        serde_json::json!(["system:serviceaccounts:ns2"])
    );
    assert!(!subjects(&r).contains(&"ServiceAccount:ns1:app".to_string()));
    assert_eq!(
        find(&r, "Group::system:serviceaccounts:ns2")["covers"],
        "every service account in namespace ns2"
    );
    // system:authenticated is explained, not expanded.
    let r = who_can(
        &examples(),
        &["get", "secrets", "-n", "shop", "--expand-groups"],
    );
    assert_eq!(
        find(&r, "Group::system:authenticated")["covers"],
        "every authenticated user and service account"
    );
}

/// A typo must never look like an answer: an unknown verb or bare type is an error (exit 2)
/// with a suggestion, for can-i and who-can alike.
#[test]
fn typos_in_verbs_and_types_are_errors_with_a_suggestion() {
    for (args, suggestion) in [
        (["can-i", "gte", "pods"], "did you mean \"get\"?"),
        (["who-can", "craete", "pods"], "did you mean \"create\"?"),
        (["who-can", "get", "podz"], "did you mean \"pods\"?"),
        (["can-i", "list", "secrtes"], "did you mean \"secrets\"?"),
    ] {
        let subject: &[&str] = if args[0] == "can-i" {
            &["--as", "bob"]
        } else {
            &[]
        };
        let a = kubeaudit()
            .args(args)
            .args(subject)
            .arg("-f")
            .arg(fixture())
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(err.contains(suggestion), "{args:?}: {err}");
        assert!(stdout(&a).is_empty(), "{args:?}: no answer on stdout");
        assert!(!err.contains("the server"), "{args:?}: {err}");
    }
}

#[test]
fn unknown_types_and_verbs_are_asked_as_written_when_meant() {
    let a = kubeaudit()
        .args([
            "who-can",
            "frobnicate",
            "gizmos.example.com",
            "--allow-unknown",
            "-o",
            "json",
            "-f",
        ])
        .arg(fixture())
        .assert()
        .code(0);
    let err = stderr(&a);
    assert!(!err.contains("the server"), "no server offline: {err}");
    assert!(
        err.contains("asked as resource \"gizmos\" in group \"example.com\""),
        "{err}"
    );
    assert!(err.contains("verb \"frobnicate\""), "{err}");
    let r: Value = serde_json::from_str(&stdout(&a)).expect("json");
    let req = &r["request"]["resourceAttributes"];
    assert_eq!(
        (req["group"].as_str(), req["resource"].as_str()),
        (Some("example.com"), Some("gizmos"))
    );
    // cluster-admin's "*" rules allow even that; bob's RoleBinding is in default (the default ns).
    assert!(subjects(&r).contains(&"User::bob".to_string()));
    assert!(r["warnings"].as_array().is_some_and(|w| w.len() == 2));
    // A written group needs no flag: the type is asked as given.
    let a = kubeaudit()
        .args(["who-can", "get", "gizmos.example.com", "-o", "json", "-f"])
        .arg(fixture())
        .assert()
        .code(0);
    let r: Value = serde_json::from_str(&stdout(&a)).expect("json");
    assert_eq!(r["request"]["resourceAttributes"]["group"], "example.com");
}

#[test]
fn unresolved_bindings_are_reported_and_bad_arguments_are_errors() {
    let a = kubeaudit()
        .args(["who-can", "get", "pods", "-o", "json", "-f"])
        .arg(fixture())
        .assert()
        .code(0);
    assert!(
        stderr(&a).contains("ClusterRoleBinding/stale"),
        "{}",
        stderr(&a)
    );
    let r: Value = serde_json::from_str(&stdout(&a)).expect("json");
    assert_eq!(
        r["errors"],
        serde_json::json!([
            "ClusterRoleBinding/stale: clusterrole.rbac.authorization.k8s.io \"deleted-role\" not found"
        ])
    );
    kubeaudit()
        .args(["who-can", "get", "/healthz", "--subresource", "x", "-f"])
        .arg(fixture())
        .assert()
        .code(2);
    kubeaudit()
        .args(["who-can", "get", "pods", "--as", "bob", "-f"])
        .arg(fixture())
        .assert()
        .code(2);
    kubeaudit()
        .args(["who-can", "get"])
        .arg("-f")
        .arg(fixture())
        .assert()
        .code(2);
}

#[test]
fn yaml_output_parses() {
    let a = kubeaudit()
        .args(["who-can", "list", "secrets", "-A", "-o", "yaml", "-f"])
        .arg(examples())
        .assert()
        .code(0);
    let v: Value = serde_saphyr::from_str(&stdout(&a)).expect("yaml");
    assert_eq!(v["scope"], "allNamespaces");
}

fn install() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/install/argocd-like.yaml")
}

/// `--apply-namespace` places namespace-less objects; `-n` only asks the question.
#[test]
fn apply_namespace_is_independent_of_the_question() {
    let ids = |args: &[&str]| -> (Vec<String>, String) {
        let a = kubeaudit()
            .args(["who-can", "get", "secrets", "-o", "json"])
            .args(args)
            .arg("-f")
            .arg(install())
            .assert()
            .code(0);
        let r: Value = serde_json::from_str(&stdout(&a)).expect("json");
        (subjects(&r), stderr(&a))
    };
    // Without it, -n places them too (kubectl apply -n kube-system), with a warning.
    let (s, err) = ids(&["-n", "kube-system"]);
    assert!(
        s.contains(&"ServiceAccount:kube-system:argocd-server".to_string()),
        "{s:?}"
    );
    assert!(err.contains("--apply-namespace"), "{err}");
    // Installed into argocd, the question about kube-system finds nobody but system:masters.
    let (s, err) = ids(&["-n", "kube-system", "--apply-namespace", "argocd"]);
    assert_eq!(s, ["Group::system:masters"], "{err}");
    assert!(
        !err.contains("no metadata.namespace"),
        "asked for: no warning: {err}"
    );
    let (s, _) = ids(&["-n", "argocd", "--apply-namespace", "argocd"]);
    assert!(
        s.contains(&"ServiceAccount:argocd:argocd-server".to_string()),
        "{s:?}"
    );
    // The CRD is not among the inputs: the written group is asked as given.
    let a = kubeaudit()
        .args([
            "who-can",
            "update",
            "applications.argoproj.io",
            "-n",
            "argocd",
            "-f",
        ])
        .arg(install())
        .assert()
        .code(0);
    assert!(stdout(&a).contains("argocd-server"), "{}", stdout(&a));
    assert!(stderr(&a).contains("as written"), "{}", stderr(&a));
}
