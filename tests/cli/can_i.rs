//! `kubeaudit can-i` on the example cluster and on bad input.

use crate::util::{examples, kubeaudit, stderr, stdout};

#[test]
fn dev_user_can_create_pods_in_shop_and_explain_names_the_path() {
    let a = kubeaudit()
        .args([
            "can-i", "create", "pods", "--as", "dev-user", "-n", "shop", "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    assert_eq!(stdout(&a), "yes\n");
    let a = kubeaudit()
        .args([
            "can-i",
            "create",
            "pods",
            "--as",
            "dev-user",
            "-n",
            "shop",
            "--explain",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(
        out.contains("RoleBinding/shop/shop-developers → ClusterRole/edit, rule"),
        "{out}"
    );
    assert!(out.contains("verbs: [create"), "{out}");
}

#[test]
fn dev_user_cannot_create_pods_in_payments_and_near_misses_say_why() {
    let a = kubeaudit()
        .args([
            "can-i", "create", "pods", "--as", "dev-user", "-n", "payments", "-o", "wide", "-f",
        ])
        .arg(examples())
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.starts_with("no\n"), "{out}");
    assert!(out.contains("nearest misses"), "{out}");
    assert!(
        out.contains("RoleBinding/payments/payments-developers → ClusterRole/view"),
        "{out}"
    );
    assert!(out.contains("verb \"create\" is not granted"), "{out}");
    assert!(out.contains("granted only in namespace \"shop\""), "{out}");
}

#[test]
fn json_report_has_request_subject_grants_and_completeness() {
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "secrets",
            "--as",
            "system:serviceaccount:shop:storefront",
            "-n",
            "shop",
            "-o",
            "json",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v["allowed"], true);
    assert_eq!(v["complete"], true);
    assert_eq!(v["request"]["resourceAttributes"]["resource"], "secrets");
    assert_eq!(
        v["subject"]["groups"],
        serde_json::json!([
            "system:serviceaccounts",
            "system:serviceaccounts:shop",
            "system:authenticated"
        ])
    );
    assert_eq!(v["grants"][0]["binding"]["name"], "debug-secret-access");
    assert_eq!(v["grants"][0]["subject"]["name"], "system:authenticated");
}

#[test]
fn cluster_scoped_resource_drops_namespace_with_a_note() {
    // A RoleBinding in shop grants edit, not nodes; sre group has node-operator cluster-wide.
    let a = kubeaudit()
        .args([
            "can-i",
            "delete",
            "nodes",
            "--as",
            "sam",
            "--as-group",
            "sre",
            "-n",
            "shop",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let err = stderr(&a);
    assert!(
        err.contains("Warning: resource 'nodes' is not namespace scoped"),
        "{err}"
    );
    assert!(
        err.contains("nodes is not namespaced: -n shop ignored"),
        "{err}"
    );
}

#[test]
fn can_i_asks_the_question_who_can_asks() {
    // bind on a ClusterRole is checked in the RoleBinding's namespace, so the namespace stays.
    kubeaudit()
        .args([
            "can-i",
            "bind",
            "clusterroles/edit",
            "--as",
            "system:serviceaccount:ci:deployer",
            "-n",
            "shop",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    kubeaudit()
        .args([
            "can-i",
            "bind",
            "clusterroles/admin",
            "--as",
            "system:serviceaccount:ci:deployer",
            "-n",
            "shop",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(1);
    // Impersonating users is asked in the core group without a namespace.
    let a = kubeaudit()
        .args([
            "can-i",
            "impersonate",
            "users/alice",
            "--as",
            "frank",
            "--as-group",
            "support",
            "-n",
            "shop",
            "-o",
            "json",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v["request"]["resourceAttributes"]["namespace"], "");
    // Every User and ServiceAccount who-can lists is a yes for can-i, for the same arguments.
    let questions: &[&[&str]] = &[
        &["create", "pods", "-n", "shop"],
        &["get", "secrets", "-n", "payments"],
        &["delete", "nodes"],
        &["get", "/metrics"],
        &["bind", "clusterroles/edit", "-n", "shop"],
        &["impersonate", "users/bob"],
        &[
            "update",
            "deployments.apps/web",
            "--subresource",
            "scale",
            "-n",
            "payments",
        ],
    ];
    for q in questions {
        let a = kubeaudit()
            .arg("who-can")
            .args(*q)
            .args(["-o", "json", "-f"])
            .arg(examples())
            .assert()
            .code(0);
        let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
        for s in v["subjects"].as_array().unwrap() {
            let user = match s["kind"].as_str().unwrap() {
                "User" => s["name"].as_str().unwrap().to_string(),
                "ServiceAccount" => format!(
                    "system:serviceaccount:{}:{}",
                    s["namespace"].as_str().unwrap(),
                    s["name"].as_str().unwrap()
                ),
                _ => continue,
            };
            kubeaudit()
                .arg("can-i")
                .args(*q)
                .args(["--as", &user, "-f"])
                .arg(examples())
                .assert()
                .code(0);
        }
    }
}

#[test]
fn non_resource_urls_and_quiet() {
    kubeaudit()
        .args(["can-i", "get", "/healthz", "--as", "anyone", "-f"])
        .arg(examples())
        .assert()
        .code(0)
        .stdout("yes\n");
    kubeaudit()
        .args(["can-i", "get", "/metrics", "--as", "anyone", "-q", "-f"])
        .arg(examples())
        .assert()
        .code(1)
        .stdout("");
    kubeaudit()
        .args([
            "can-i",
            "get",
            "/metrics",
            "--as",
            "system:serviceaccount:monitoring:prometheus",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
}

#[test]
fn aggregated_roles_are_computed_from_manifests() {
    // widgets-edit is aggregated into edit (and admin), CRD short name resolves.
    kubeaudit()
        .args([
            "can-i", "create", "wdg", "--as", "dev-user", "-n", "shop", "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    kubeaudit()
        .args([
            "can-i",
            "create",
            "widgets.shop.example.com",
            "--as",
            "erin",
            "-n",
            "payments",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    kubeaudit()
        .args([
            "can-i", "create", "widgets", "--as", "dev-user", "-n", "payments", "-f",
        ])
        .arg(examples())
        .assert()
        .code(1);
}

#[test]
fn system_masters_is_always_allowed() {
    let a = kubeaudit()
        .args([
            "can-i",
            "escalate",
            "clusterroles",
            "--as",
            "root",
            "--as-group",
            "system:masters",
            "--explain",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(0);
    assert!(stdout(&a).contains("system:masters"));
}

#[test]
fn offline_without_subject_is_a_usage_error() {
    let a = kubeaudit()
        .args(["can-i", "get", "pods", "-f"])
        .arg(examples())
        .assert()
        .code(2);
    assert!(stderr(&a).contains("needs a subject"), "{}", stderr(&a));
}

#[test]
fn kubectl_argument_errors_are_reported() {
    let a = kubeaudit()
        .args(["can-i", "get", "--as", "x", "-f"])
        .arg(examples())
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("you must specify two arguments"),
        "{}",
        stderr(&a)
    );
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "/healthz",
            "--subresource",
            "log",
            "--as",
            "x",
            "-f",
        ])
        .arg(examples())
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("--subresource can not be used with NonResourceURL"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn bad_input_is_a_clear_error_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "broken.yaml",
            b"kind: ClusterRole\nmetadata: {name: x}\n---\nkind: Role\nrules: [\n",
            "broken.yaml, document 2",
        ),
        (
            "types.yaml",
            b"kind: ClusterRole\nmetadata: {name: x}\nrules:\n- verbs: get\n",
            "rules[0].verbs",
        ),
        (
            "garbage.yaml",
            &[0u8, 159, 146, 150, 0xff, 0xfe],
            "not a text file",
        ),
        (
            "list.json",
            b"{\"kind\":\"List\",\"items\":{}}",
            "field items: expected a list",
        ),
        (
            "nokind.yaml",
            b"apiVersion: v1\nmetadata: {name: x}\n",
            "kind is missing",
        ),
    ];
    for (name, content, expect) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let a = kubeaudit()
            .args(["can-i", "get", "pods", "--as", "x", "-f"])
            .arg(&path)
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(err.contains(expect), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            *content,
            "input must never be modified"
        );
    }
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "").unwrap();
    let a = kubeaudit()
        .args(["can-i", "get", "pods", "--as", "x", "-f"])
        .arg(&empty)
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("no Kubernetes objects"),
        "{}",
        stderr(&a)
    );
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "pods",
            "--as",
            "x",
            "-f",
            "/nonexistent/dir",
        ])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("/nonexistent/dir"), "{}", stderr(&a));
}

#[test]
fn duplicate_objects_with_different_contents_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x}\nrules: []\n").unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x}\nrules: [{verbs: [get], apiGroups: [''], resources: [pods]}]\n",
    )
    .unwrap();
    let a = kubeaudit()
        .args(["can-i", "get", "pods", "--as", "x", "-f"])
        .arg(dir.path())
        .assert()
        .code(2);
    let err = stderr(&a);
    assert!(
        err.contains("b.yaml") && err.contains("a.yaml") && err.contains("defined twice"),
        "{err}"
    );
}

#[test]
fn stdin_and_kubectl_get_list_output() {
    let list = r#"{"apiVersion":"v1","kind":"List","items":[
      {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"r"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]},
      {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"r"},"subjects":[{"kind":"User","name":"u"}]}]}"#;
    kubeaudit()
        .args(["can-i", "get", "pods", "--as", "u", "-A", "-f", "-"])
        .write_stdin(list)
        .assert()
        .code(0)
        .stdout("yes\n");
    kubeaudit()
        .args(["can-i", "list", "pods", "--as", "u", "-f", "-"])
        .write_stdin(list)
        .assert()
        .code(1);
}

#[test]
fn namespaced_objects_without_namespace_go_where_kubectl_apply_would_put_them() {
    let manifest = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: [{verbs: [get], apiGroups: [''], resources: [pods]}]\n---\n\
apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: User, name: u}]\n";
    // Read into -n team: allowed there, and never cluster-wide.
    let a = kubeaudit()
        .args(["can-i", "get", "pods", "--as", "u", "-n", "team", "-f", "-"])
        .write_stdin(manifest)
        .assert()
        .code(0);
    assert!(
        stderr(&a).contains("no metadata.namespace; read as namespace \"team\""),
        "{}",
        stderr(&a)
    );
    kubeaudit()
        .args(["can-i", "get", "pods", "--as", "u", "-A", "-f", "-"])
        .write_stdin(manifest)
        .assert()
        .code(1);
    kubeaudit()
        .args(["can-i", "get", "pods", "--as", "u", "-f", "-"])
        .write_stdin(manifest)
        .assert()
        .code(0);
}

#[test]
fn hostile_yaml_and_json_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let deep_yaml = format!(
        "kind: ClusterRole\nmetadata: {{name: x}}\nrules: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let deep_json = format!(
        "{{\"kind\":\"ClusterRole\",\"metadata\":{{\"name\":\"x\"}},\"rules\":{}{}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let mut bomb = String::from(
        "kind: ClusterRole\nmetadata: {name: x}\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n",
    );
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
        ("h", "g"),
        ("i", "h"),
    ] {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    let cases = [
        ("deep.yaml", deep_yaml, "recursion limit"),
        ("deep.json", deep_json, "recursion limit"),
        ("bomb.yaml", bomb, "YAML bomb"),
        (
            "dup.yaml",
            "kind: ClusterRole\nmetadata: {name: x}\nmetadata: {name: y}\n".to_string(),
            "duplicate mapping key: metadata",
        ),
    ];
    for (name, content, expect) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &content).unwrap();
        let a = kubeaudit()
            .args(["can-i", "get", "pods", "--as", "x", "-f"])
            .arg(&path)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(err.contains(name) && err.contains(expect), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    // Windows line endings are ordinary input.
    let crlf = "kind: ClusterRole\r\nmetadata: {name: r}\r\nrules: [{verbs: [get], apiGroups: [''], resources: [pods]}]\r\n---\r\n\
kind: ClusterRoleBinding\r\nmetadata: {name: b}\r\nroleRef: {kind: ClusterRole, name: r}\r\nsubjects: [{kind: User, name: x}]\r\n";
    kubeaudit()
        .args(["can-i", "get", "pods", "--as", "x", "-f", "-"])
        .write_stdin(crlf)
        .assert()
        .code(0)
        .stdout("yes\n");
}

/// `--as system:serviceaccount:shop` (no name) is an ordinary user, which is rarely meant.
#[test]
fn a_service_account_name_without_its_name_is_warned_about() {
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "pods",
            "--as",
            "system:serviceaccount:shop",
            "-n",
            "shop",
            "-f",
        ])
        .arg(examples())
        .assert();
    let err = stderr(&a);
    assert!(err.contains("not a ServiceAccount username"), "{err}");
    let a = kubeaudit()
        .args([
            "can-i",
            "get",
            "pods",
            "--as",
            "system:serviceaccount:shop:storefront",
            "-n",
            "shop",
            "-f",
        ])
        .arg(examples())
        .assert();
    assert!(!stderr(&a).contains("not a ServiceAccount username"));
}
