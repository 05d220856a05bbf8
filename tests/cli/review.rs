//! `kubeaudit review`.

use crate::util::{examples, kubeaudit, stderr, stdout};

const REVIEWS: &str = r#"apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
spec:
  user: dev-user
  groups: [system:authenticated]
  resourceAttributes: {namespace: shop, verb: create, resource: pods}
---
apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
spec:
  user: dev-user
  resourceAttributes: {namespace: payments, verb: delete, resource: pods}
---
apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
spec:
  user: x
  groups: [system:masters]
  nonResourceAttributes: {path: /anything, verb: get}
"#;

#[test]
fn reviews_are_answered_in_order_with_api_server_reasons() {
    let a = kubeaudit()
        .args(["review", "-o", "json", "-f"])
        .arg(examples())
        .write_stdin(REVIEWS)
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v["kind"], "List");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["status"]["allowed"], true);
    assert_eq!(
        items[0]["status"]["reason"],
        "RBAC: allowed by RoleBinding \"shop-developers/shop\" of ClusterRole \"edit\" to User \"dev-user\""
    );
    assert_eq!(items[1]["status"]["allowed"], false);
    assert_eq!(items[2]["status"]["allowed"], true);
    assert_eq!(items[0]["spec"]["user"], "dev-user");
}

#[test]
fn yaml_output_is_a_multi_document_stream() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.yaml");
    std::fs::write(&f, REVIEWS).unwrap();
    let a = kubeaudit()
        .args(["review", "-f"])
        .arg(examples())
        .arg(&f)
        .assert()
        .code(1);
    let out = stdout(&a);
    let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(&out).unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[1]["status"]["allowed"], false);
}

#[test]
fn raw_attributes_are_not_corrected() {
    // No system:authenticated is added: the discovery binding does not apply.
    let sar = r#"{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"alice","nonResourceAttributes":{"path":"/healthz","verb":"get"}}}"#;
    kubeaudit()
        .args(["review", "-o", "json", "-f"])
        .arg(examples())
        .write_stdin(sar)
        .assert()
        .code(1);
}

#[test]
fn invalid_reviews_name_the_document() {
    let bad = "apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec: {user: a}\n";
    let a = kubeaudit()
        .args(["review", "-f"])
        .arg(examples())
        .write_stdin(bad)
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("exactly one of nonResourceAttributes or resourceAttributes"),
        "{}",
        stderr(&a)
    );
}
