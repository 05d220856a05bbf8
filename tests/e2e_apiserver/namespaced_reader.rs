//! A ServiceAccount that may list Roles, RoleBindings and ServiceAccounts in one namespace only
//! (and Namespaces and cluster RBAC cluster-wide), as many real users are: the forbidden
//! cluster-wide lists are read namespace by namespace, answers about its namespace are complete,
//! and answers elsewhere stay "cannot tell".

use serde_json::json;

use crate::harness::{control_plane, kubeaudit, run};

#[test]
fn forbidden_cluster_lists_are_read_namespace_by_namespace() {
    let Some(plane) = control_plane() else {
        return;
    };
    let rbac = "rbac.authorization.k8s.io";
    let ns = "e2e-ns-reader";
    let setup = json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "reader", "namespace": ns}},
        {"apiVersion": format!("{rbac}/v1"), "kind": "ClusterRole", "metadata": {"name": "e2e-ns-reader-cluster"},
         "rules": [{"apiGroups": [rbac], "resources": ["clusterroles", "clusterrolebindings"], "verbs": ["get", "list"]},
                   {"apiGroups": [""], "resources": ["namespaces"], "verbs": ["get", "list"]}]},
        {"apiVersion": format!("{rbac}/v1"), "kind": "ClusterRoleBinding", "metadata": {"name": "e2e-ns-reader-cluster"},
         "subjects": [{"kind": "ServiceAccount", "name": "reader", "namespace": ns}],
         "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "e2e-ns-reader-cluster"}},
        {"apiVersion": format!("{rbac}/v1"), "kind": "Role", "metadata": {"name": "reader", "namespace": ns},
         "rules": [{"apiGroups": [rbac], "resources": ["roles", "rolebindings"], "verbs": ["get", "list"]},
                   {"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["get", "list"]}]},
        {"apiVersion": format!("{rbac}/v1"), "kind": "RoleBinding", "metadata": {"name": "reader", "namespace": ns},
         "subjects": [{"kind": "ServiceAccount", "name": "reader", "namespace": ns}],
         "roleRef": {"apiGroup": rbac, "kind": "Role", "name": "reader"}},
        {"apiVersion": format!("{rbac}/v1"), "kind": "RoleBinding", "metadata": {"name": "viewer", "namespace": ns},
         "subjects": [{"kind": "User", "apiGroup": rbac, "name": "e2e-ns-viewer"}],
         "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "view"}},
    ]});
    let out = plane.kubectl_stdin(&["apply", "-f", "-"], &setup.to_string());
    assert!(
        out.status.success(),
        "setup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    plane.wait_authorizer_caught_up(20_000);
    let kubeconfig = plane.token_kubeconfig("reader", ns);

    let ask = |args: &[&str]| run(kubeaudit().args(args).arg("--kubeconfig").arg(&kubeconfig));
    // Its own namespace was read: a "no" there is an answer, and the RoleBinding's yes is found.
    let (code, out, err) = ask(&["can-i", "get", "pods", "-n", ns, "--as", "e2e-ns-viewer"]);
    assert_eq!(code, 0, "the RoleBinding there is read: {out}{err}");
    assert!(
        err.contains("namespace by namespace"),
        "says how it read them: {err}"
    );
    assert!(err.contains(ns), "names the namespaces read: {err}");
    let (code, out, err) = ask(&["can-i", "delete", "pods", "-n", ns, "--as", "e2e-ns-viewer"]);
    assert_eq!(
        code, 1,
        "complete for its namespace: a plain no: {out}{err}"
    );
    let (code, out, err) = ask(&["who-can", "get", "pods", "-n", ns]);
    assert_eq!(code, 0, "complete for its namespace: {out}{err}");
    assert!(out.contains("e2e-ns-viewer"), "{out}");
    // Elsewhere the RoleBindings are still unknown: cannot tell.
    let (code, out, err) = ask(&[
        "can-i",
        "delete",
        "pods",
        "-n",
        "default",
        "--as",
        "e2e-ns-viewer",
    ]);
    assert_eq!(code, 2, "RoleBindings of default were not read: {out}{err}");
    // A cluster-scoped question does not depend on RoleBindings at all.
    let (code, out, err) = ask(&["can-i", "delete", "nodes", "--as", "e2e-ns-viewer"]);
    assert_eq!(code, 1, "only ClusterRoleBindings grant nodes: {out}{err}");

    // Leave the RBAC state as the bootstrap policy (the scenarios test records it): the
    // namespaced objects go now, not whenever the namespace controller gets to them.
    plane.kubectl_ok(&[
        "delete",
        "-n",
        ns,
        "rolebinding/reader",
        "rolebinding/viewer",
        "role/reader",
    ]);
    plane.kubectl_ok(&[
        "delete",
        "clusterrolebinding/e2e-ns-reader-cluster",
        "clusterrole/e2e-ns-reader-cluster",
    ]);
    plane.kubectl_ok(&["delete", "namespace", ns, "--wait=false"]);
}
