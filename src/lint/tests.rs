//! Every rule against a positive fixture and near misses that must not count, written in the
//! style of real manifests; the evaluator's semantics (wildcards, `*/sub`, `res/*`, groups,
//! resourceNames, scope, aggregation, the bootstrap policy) decide.

use super::*;
use crate::app::load::with_bootstrap_policy;
use crate::model::workload::pod_templates;
use crate::netpol::{ModelOptions, NetworkModel};
use crate::source::manifest::{read_bytes, ManifestRead};

/// Lints YAML manifests (with the bootstrap policy, as `lint -f` reads them).
pub fn lint_yaml(yaml: &str) -> Vec<Finding> {
    let linted = lint_yaml_bounded(yaml, escalation::LIMIT);
    assert!(linted.incomplete.is_empty(), "{:?}", linted.incomplete);
    linted.findings
}

/// [`lint_yaml`], the escalation search bounded at `limit` principals.
fn lint_yaml_bounded(yaml: &str, limit: usize) -> Linted {
    let mut read = ManifestRead::default();
    read_bytes("t.yaml", yaml.as_bytes(), Some(false), &mut read).unwrap();
    let mut inventory = Inventory {
        default_namespace: "default".into(),
        ..Inventory::default()
    };
    let objects = with_bootstrap_policy(read.objects, "default");
    inventory.add_objects(objects).unwrap();
    let access = AccessModel::build(&inventory);
    let network = NetworkModel::from_objects_with(
        crate::app::netpol::network_objects(&inventory),
        &ModelOptions::default(),
    )
    .unwrap();
    let templates = pod_templates(&inventory).unwrap();
    let input = LintInput {
        inventory: &inventory,
        access: &access,
        network: Some(&network),
        templates: &templates,
    };
    run_bounded(&input, &Selection::default(), limit)
}

#[test]
fn an_escalation_search_cut_short_makes_the_result_incomplete() {
    // dev may create pods in shop, where a ServiceAccount is cluster-admin: two hops.
    let yaml = r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployer-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: deployer, namespace: shop}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-maker, namespace: shop}
rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-maker}
subjects: [{kind: User, name: dev, apiGroup: rbac.authorization.k8s.io}]
"#;
    let whole = lint_yaml_bounded(yaml, escalation::LIMIT);
    assert!(whole.incomplete.is_empty(), "{:?}", whole.incomplete);
    assert_eq!(
        of(&whole.findings, "KA119"),
        vec![("RoleBinding/shop/dev".to_string(), "User dev".to_string())]
    );
    // Stopped before it got there: no path, and the result says it may be missing some.
    let cut = lint_yaml_bounded(yaml, 2);
    assert!(of(&cut.findings, "KA119").is_empty());
    assert_eq!(
        cut.incomplete,
        vec![
            "KA119: the escalation search stopped after 2 principals, further paths may exist"
                .to_string()
        ]
    );
}

/// (rule, object, subject) of each finding of `rule`.
fn of(findings: &[Finding], rule: &str) -> Vec<(String, String)> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            (
                f.location.object.to_string(),
                f.subject
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn objects(findings: &[Finding], rule: &str) -> Vec<String> {
    let mut o: Vec<String> = of(findings, rule).into_iter().map(|(o, _)| o).collect();
    o.dedup();
    o
}

/// A ClusterRole named `r` with these rules, bound by a ClusterRoleBinding `crb` to user
/// `alice` and by a RoleBinding `app/rb` to user `bob`.
fn bound(rules: &str) -> String {
    format!(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: r}}
rules:
{rules}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: crb}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}}
subjects: [{{kind: User, name: alice}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: rb, namespace: app}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}}
subjects: [{{kind: User, name: bob}}]
"#
    )
}

const CRB: &str = "ClusterRoleBinding/crb";
const RB: &str = "RoleBinding/app/rb";

#[test]
fn cluster_admin_equivalent_is_the_binding_not_the_role() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}"#,
    ));
    assert_eq!(objects(&f, "KA101"), [CRB]);
    assert_eq!(objects(&f, "KA102"), [RB]);
    // Narrower findings of the same bindings would only repeat them.
    assert!(objects(&f, "KA104").is_empty() && objects(&f, "KA105").is_empty());
    // The bootstrap policy's own cluster-admin binding (system:masters) is not a finding.
    assert!(!f.iter().any(|x| x.location.object.name == "cluster-admin"));
    // Every verb on listed resources is not cluster-admin.
    let f = lint_yaml(&bound(
        r#"- {apiGroups: ["*"], resources: [pods, secrets], verbs: ["*"]}"#,
    ));
    assert!(objects(&f, "KA101").is_empty());
}

#[test]
fn binding_to_bootstrap_cluster_admin_is_found_with_its_evidence() {
    let f = lint_yaml(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: deployer, namespace: ci}
"#,
    );
    let hit = f.iter().find(|x| x.rule == "KA101").expect("KA101");
    assert_eq!(
        hit.subject.as_ref().unwrap().to_string(),
        "ServiceAccount ci/deployer"
    );
    assert_eq!(hit.location.path.to_string(), "subjects[0]");
    assert!(hit.evidence[0]
        .message
        .contains("roleRef: ClusterRole cluster-admin"));
    assert_eq!(hit.evidence[1].location.path.to_string(), "rules[0]");
}

#[test]
fn wildcards_in_rules_of_user_roles_only() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: ["*"], resources: [deployments], verbs: [get]}"#,
    ));
    assert_eq!(objects(&f, "KA103"), ["ClusterRole/r"]);
    let hit = f.iter().find(|x| x.rule == "KA103").unwrap();
    assert_eq!(hit.location.path.to_string(), "rules[0].apiGroups");
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [apps], resources: [deployments], verbs: [get, list]}"#,
    ));
    assert!(objects(&f, "KA103").is_empty());
    // "pods/*" has no wildcard meaning, but `*` in nonResourceURLs does.
    let f = lint_yaml(&bound(r#"- {nonResourceURLs: ["*"], verbs: [get]}"#));
    assert_eq!(objects(&f, "KA103"), ["ClusterRole/r"]);
}

#[test]
fn secrets_cluster_wide_or_in_kube_system() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [secrets], verbs: [list]}"#,
    ));
    assert_eq!(
        objects(&f, "KA104"),
        [CRB],
        "the RoleBinding in app is not cluster-wide"
    );
    // A CRD resource named secrets in another group is not Secrets.
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [vault.example.com], resources: [secrets], verbs: [list]}"#,
    ));
    assert!(objects(&f, "KA104").is_empty());
    // One named secret is not "read secrets".
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [secrets], resourceNames: [db], verbs: [get]}"#,
    ));
    assert!(objects(&f, "KA104").is_empty());
    let f = lint_yaml(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: auditors}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: sec, namespace: kube-system}
rules: [{apiGroups: [""], resources: [secrets], verbs: [watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: sec, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: sec}
subjects: [{kind: Group, name: auditors}]
"#,
    );
    // view grants no secrets; the Role in kube-system does.
    assert_eq!(objects(&f, "KA104"), ["RoleBinding/kube-system/sec"]);
}

#[test]
fn exec_follows_subresource_semantics() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: ["*/exec"], verbs: [create]}"#,
    ));
    assert_eq!(objects(&f, "KA105"), [CRB, RB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: ["pods/*"], verbs: [create]}"#,
    ));
    assert!(objects(&f, "KA105").is_empty(), "pods/* is not a wildcard");
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [pods/exec], verbs: [get]}"#,
    ));
    assert_eq!(objects(&f, "KA105"), [CRB, RB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [pods/log], verbs: [get]}"#,
    ));
    assert!(objects(&f, "KA105").is_empty());
}

#[test]
fn nodes_proxy_only_cluster_wide() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: ["*/proxy"], verbs: [get]}"#,
    ));
    assert_eq!(
        objects(&f, "KA106"),
        [CRB],
        "a RoleBinding never grants a node"
    );
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [nodes/metrics], verbs: [get]}"#,
    ));
    assert!(objects(&f, "KA106").is_empty());
}

#[test]
fn pod_controllers_in_their_groups() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [batch], resources: [cronjobs], verbs: [create]}"#,
    ));
    assert_eq!(objects(&f, "KA107"), [CRB, RB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [deployments], verbs: [create]}"#,
    ));
    assert!(
        objects(&f, "KA107").is_empty(),
        "no deployments in the core group"
    );
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [apps], resources: [deployments], verbs: [get, update]}"#,
    ));
    assert!(objects(&f, "KA107").is_empty());
}

#[test]
fn impersonation_by_scope_and_group() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [users, groups], verbs: [impersonate]}"#,
    ));
    assert_eq!(
        objects(&f, "KA108"),
        [CRB],
        "users and groups only cluster-wide"
    );
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [authentication.k8s.io], resources: [uids], verbs: [impersonate]}"#,
    ));
    assert_eq!(objects(&f, "KA108"), [CRB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [uids], verbs: [impersonate]}"#,
    ));
    assert!(
        objects(&f, "KA108").is_empty(),
        "uids live in authentication.k8s.io"
    );
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}"#,
    ));
    assert_eq!(objects(&f, "KA108"), [CRB, RB]);
}

#[test]
fn bind_and_escalate_on_roles_not_bindings() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}"#,
    ));
    assert_eq!(objects(&f, "KA109"), [CRB, RB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [bind, escalate]}"#,
    ));
    assert!(objects(&f, "KA109").is_empty());
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate]}"#,
    ));
    assert_eq!(objects(&f, "KA109"), [CRB, RB]);
}

#[test]
fn tokens_csrs_webhooks_bindings_and_volumes() {
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: ["*/token"], verbs: [create]}"#,
    ));
    assert_eq!(objects(&f, "KA110"), [CRB, RB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [builder], verbs: [create]}"#,
    ));
    assert!(objects(&f, "KA110").is_empty(), "one named ServiceAccount");
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}"#,
    ));
    assert_eq!(objects(&f, "KA111"), [CRB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [patch]}"#,
    ));
    assert_eq!(objects(&f, "KA112"), [CRB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [get, list]}"#,
    ));
    assert!(objects(&f, "KA112").is_empty());
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}"#,
    ));
    assert_eq!(objects(&f, "KA113"), [CRB, RB]);
    let f = lint_yaml(&bound(
        r#"- {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}"#,
    ));
    assert_eq!(objects(&f, "KA118"), [CRB]);
}

#[test]
fn aggregated_roles_are_followed_to_their_parts() {
    let f = lint_yaml(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: debug-extras
  labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
rules:
- apiGroups: [""]
  resources: [pods/ephemeralcontainers]
  verbs: [patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: shop-devs}]
"#,
    );
    let hits: Vec<&Finding> = f
        .iter()
        .filter(|x| x.rule == "KA105" && x.location.object.name == "devs")
        .collect();
    assert_eq!(hits.len(), 1, "{f:#?}");
    // edit grants exec itself (bootstrap rules); the evidence names the role that wrote it.
    assert!(
        hits[0].evidence[1].message.contains("aggregated into edit"),
        "{:?}",
        hits[0].evidence
    );
}

#[test]
fn broad_groups_beyond_the_defaults() {
    let f = lint_yaml(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone-views}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: "system:authenticated"}, {kind: User, name: "system:anonymous"}]
"#,
    );
    assert_eq!(of(&f, "KA114").len(), 2);
    // The bootstrap policy's own grants to system:authenticated are no finding.
    assert!(!f
        .iter()
        .any(|x| x.location.object.name == "system:basic-user"));
}

#[test]
fn missing_roles_and_service_accounts_and_default_accounts() {
    let f = lint_yaml(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: stale, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
subjects: [{kind: ServiceAccount, name: default}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: default}, {kind: ServiceAccount, name: ghost}, {kind: ServiceAccount, name: web}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: app}
"#,
    );
    assert_eq!(objects(&f, "KA115"), ["RoleBinding/app/stale"]);
    let missing: Vec<String> = of(&f, "KA116").into_iter().map(|(_, s)| s).collect();
    // Every namespace has a default ServiceAccount (the controller creates it).
    assert_eq!(missing, ["ServiceAccount app/ghost"]);
    // Bound to default, with a role that exists: only viewers.
    assert_eq!(objects(&f, "KA117"), ["RoleBinding/app/viewers"]);
}

const HARDENED_POD: &str = r#"
apiVersion: v1
kind: Namespace
metadata:
  name: vault
  labels: {pod-security.kubernetes.io/enforce: restricted}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: vault}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: vault}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: vault}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: api
        image: example/api:1.0
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
      volumes:
      - name: tmp
        emptyDir: {}
"#;

#[test]
fn a_hardened_namespace_gives_no_finding() {
    let f = lint_yaml(HARDENED_POD);
    let here: Vec<&Finding> = f
        .iter()
        .filter(|x| {
            x.location.object.namespace.as_deref() == Some("vault")
                || x.location.object.name == "vault"
        })
        .collect();
    assert!(here.is_empty(), "{here:#?}");
}

#[test]
fn pod_security_controls_with_container_overrides() {
    let f = lint_yaml(
        r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ops}
spec:
  template:
    metadata:
      annotations: {container.apparmor.security.beta.kubernetes.io/agent: unconfined}
    spec:
      hostNetwork: true
      hostPID: true
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
        sysctls: [{name: kernel.msgmax, value: "1"}]
      containers:
      - name: agent
        image: example/agent
        ports: [{containerPort: 9100, hostPort: 9100}]
        securityContext:
          privileged: true
          runAsNonRoot: false
          capabilities: {add: [SYS_ADMIN, CHOWN]}
          procMount: Unmasked
      initContainers:
      - name: init
        image: example/init
        securityContext: {runAsUser: 0, seccompProfile: {type: Unconfined}, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      volumes:
      - {name: root, hostPath: {path: /}}
      - {name: nfs, nfs: {server: nfs.example, path: /data}}
"#,
    );
    let paths = |rule: &str| -> Vec<String> {
        f.iter()
            .filter(|x| x.rule == rule)
            .map(|x| x.location.path.to_string())
            .collect()
    };
    let c = "spec.template.spec.containers[0]";
    let i = "spec.template.spec.initContainers[0]";
    assert_eq!(paths("KA301"), [format!("{c}.securityContext.privileged")]);
    assert_eq!(paths("KA302").len(), 2);
    assert_eq!(paths("KA303"), ["spec.template.spec.volumes[0].hostPath"]);
    assert_eq!(
        paths("KA304"),
        [format!("{c}.securityContext.capabilities.add[0]")]
    );
    assert_eq!(paths("KA305"), [format!("{c}.ports[0].hostPort")]);
    // unconfined AppArmor, unsafe sysctl, procMount
    assert_eq!(paths("KA306").len(), 3, "{:?}", paths("KA306"));
    assert_eq!(
        paths("KA307"),
        [format!("{c}.securityContext.allowPrivilegeEscalation")]
    );
    // The container's runAsNonRoot: false overrides the pod's true; runAsUser 0 on the init.
    let mut root = paths("KA308");
    root.sort();
    assert_eq!(
        root,
        [
            format!("{c}.securityContext.runAsNonRoot"),
            format!("{i}.securityContext.runAsUser")
        ]
    );
    // CHOWN is baseline but not restricted; ALL not dropped.
    assert_eq!(paths("KA309").len(), 2);
    // The init container turns seccomp off; the main one inherits the pod's RuntimeDefault.
    assert_eq!(
        paths("KA310"),
        [format!("{i}.securityContext.seccompProfile.type")]
    );
    assert_eq!(paths("KA311").len(), 2, "hostPath and nfs");
    assert_eq!(
        paths("KA312"),
        [format!("{c}.securityContext.readOnlyRootFilesystem")]
    );
    let level = |t: &str| {
        let templates = {
            let mut read = ManifestRead::default();
            read_bytes("t.yaml", t.as_bytes(), Some(false), &mut read).unwrap();
            let mut inv = Inventory::default();
            inv.add_objects(read.objects).unwrap();
            pod_templates(&inv).unwrap()
        };
        pod_security_level(&pod_security_violations(&templates[0]))
    };
    assert_eq!(level(HARDENED_POD), Level::Restricted);
    assert_eq!(
        level("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n"),
        Level::Baseline
    );
}

#[test]
fn tokens_mounted_without_need_and_legacy_token_secrets() {
    let f = lint_yaml(
        r#"
apiVersion: v1
kind: Pod
metadata: {name: idle, namespace: app}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: quiet, namespace: app}
spec: {automountServiceAccountToken: false, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: reader}]
---
apiVersion: v1
kind: Pod
metadata: {name: busy, namespace: app}
spec: {serviceAccountName: reader, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Secret
metadata:
  name: reader-token
  namespace: app
  annotations: {kubernetes.io/service-account.name: reader}
type: kubernetes.io/service-account-token
data: {token: c2VjcmV0}
---
apiVersion: v1
kind: Secret
metadata: {name: plain, namespace: app}
type: Opaque
"#,
    );
    assert_eq!(objects(&f, "KA201"), ["Pod/app/idle"]);
    assert_eq!(objects(&f, "KA202"), ["Secret/app/reader-token"]);
    let text = format!("{f:?}");
    assert!(
        !text.contains("c2VjcmV0"),
        "secret data never reaches a finding"
    );
    let mut inventory = Inventory::default();
    inventory
        .add_objects(vec![(
            serde_json::json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                               "data": {"token": "c2VjcmV0"}, "stringData": {"k": "v"}}),
            Origin {
                source: "t".into(),
                document: 1,
                line: 1,
            },
        )])
        .unwrap();
    assert!(
        !format!("{:?}", inventory.other).contains("c2VjcmV0"),
        "not even kept"
    );
}

#[test]
fn admission_webhooks_and_pod_security_labels() {
    let f = lint_yaml(
        r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy}
webhooks:
- name: pods.policy.example
  failurePolicy: Ignore
  namespaceSelector:
    matchExpressions: [{key: policy.example/skip, operator: DoesNotExist}]
  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
- name: configmaps.policy.example
  failurePolicy: Ignore
  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
- name: strict.policy.example
  namespaceSelector:
    matchLabels: {kubernetes.io/metadata.name: prod}
  rules: [{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*/*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ns-editors}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ns-editor}
subjects: [{kind: Group, name: team-leads}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ns-editor}
rules: [{apiGroups: [""], resources: [namespaces], verbs: [patch]}]
---
apiVersion: v1
kind: Namespace
metadata: {name: open}
---
apiVersion: v1
kind: Namespace
metadata:
  name: lax
  labels: {pod-security.kubernetes.io/enforce: privileged}
---
apiVersion: v1
kind: Namespace
metadata:
  name: tight
  labels: {pod-security.kubernetes.io/enforce: baseline}
"#,
    );
    let fails_open: Vec<String> = f
        .iter()
        .filter(|x| x.rule == "KA401")
        .map(|x| x.location.path.to_string())
        .collect();
    assert_eq!(
        fails_open,
        ["webhooks[0].failurePolicy"],
        "configmaps are not guarded"
    );
    let bypass: Vec<String> = f
        .iter()
        .filter(|x| x.rule == "KA402")
        .map(|x| x.location.path.to_string())
        .collect();
    assert_eq!(
        bypass,
        ["webhooks[0].namespaceSelector"],
        "metadata.name cannot be changed"
    );
    let mut psa = objects(&f, "KA403");
    psa.sort();
    assert_eq!(psa, ["Namespace/lax", "Namespace/open"]);
}

#[test]
fn network_default_deny_and_allow_all() {
    let f = lint_yaml(
        r#"
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-in, namespace: a}
spec: {podSelector: {}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-everything-out, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{}]
"#,
    );
    assert!(objects(&f, "KA501").iter().all(|o| o != "Namespace/a"));
    // Egress: isolated by a policy, but it allows everything.
    assert!(objects(&f, "KA502").iter().all(|o| o != "Namespace/a"));
    assert_eq!(
        objects(&f, "KA503"),
        ["NetworkPolicy/a/allow-everything-out"]
    );
    // Each finding located at its own policy's document, one without a namespace too (placed
    // in the default namespace).
    let f = lint_yaml(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: open, namespace: a}
spec: {podSelector: {}, ingress: [{}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: open}
spec: {podSelector: {}, ingress: [{}]}
"#,
    );
    let mut at: Vec<(String, usize)> = f
        .iter()
        .filter(|x| x.rule == "KA503")
        .map(|x| (x.location.object.to_string(), x.location.origin.document))
        .collect();
    at.sort();
    assert_eq!(
        at,
        [
            ("NetworkPolicy/a/open".to_string(), 1),
            ("NetworkPolicy/default/open".to_string(), 2)
        ]
    );
    let f = lint_yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
    assert!(objects(&f, "KA501").contains(&"Namespace/b".to_string()));
    assert!(objects(&f, "KA502").contains(&"Namespace/b".to_string()));
}

#[test]
fn selection_and_fingerprints() {
    let yaml = bound(r#"- {apiGroups: [""], resources: [pods/exec], verbs: [create]}"#);
    let all = lint_yaml(&yaml);
    let fp: Vec<&str> = all.iter().map(|f| f.fingerprint.as_str()).collect();
    // Fingerprints do not depend on lines: the same objects later in the file keep theirs.
    let moved = lint_yaml(&format!("\n\n\n# moved\n{yaml}"));
    let fp2: Vec<&str> = moved.iter().map(|f| f.fingerprint.as_str()).collect();
    assert_eq!(fp, fp2);
    let s = Selection {
        enable: vec!["pod-exec".into()],
        disable: vec![],
    };
    assert!(rule("KA105").is_some_and(|r| s.runs(r)));
    assert!(rule("ka104").is_some_and(|r| !s.runs(r)));
}

/// A KA105 finding of a RoleBinding in `ns` for a User.
fn ka105_finding(object: &str, subject: &str, key: &str, message: &str) -> Finding {
    Finding::new(
        super::rule("KA105").unwrap(),
        Location::new(
            ObjectRef::new("RoleBinding", "ns", object),
            &Origin::default(),
            FieldPath::default(),
        ),
        Some(SubjectRef {
            kind: "User".into(),
            namespace: None,
            name: subject.into(),
        }),
        key,
        message.into(),
    )
}

#[test]
fn sorted_unique_is_a_stable_sort_keeping_first_repeats() {
    let finding = ka105_finding;
    // Out of order, with repeats of one fingerprint whose messages tell them apart.
    let found = vec![
        finding("b", "u1", "", "b-u1"),
        finding("a", "u2", "", "a-u2 first"),
        finding("c", "u1", "", "c-u1"),
        finding("a", "u1", "", "a-u1"),
        finding("a", "u2", "", "a-u2 second"),
        finding("b", "u1", "", "b-u1 repeat"),
        finding("a", "u2", "x", "a-u2 keyed"),
    ];
    let mut expected = found.clone();
    expected.sort_by(finding_order);
    let mut seen = std::collections::HashSet::new();
    expected.retain(|f| seen.insert(f.fingerprint.clone()));
    let got = sorted_unique(found);
    let messages: Vec<&str> = got.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(got, expected);
    assert_eq!(messages.len(), 5);
    assert!(messages.contains(&"a-u2 first") && !messages.contains(&"a-u2 second"));
    assert!(messages.contains(&"b-u1") && !messages.contains(&"b-u1 repeat"));
    assert!(sorted_unique(Vec::new()).is_empty());
}

/// Two findings of one rule with the same fingerprint (a 64-bit hash of names a manifest
/// chooses, so a crafted name can give another finding's) but different objects or subjects.
fn colliding_findings() -> (Finding, Finding) {
    let finding = |object: &str, subject: &str| {
        let mut f = ka105_finding(object, subject, "", &format!("{subject} through {object}"));
        f.fingerprint = "0123456789abcdef".into();
        f
    };
    (finding("accepted", "u1"), finding("crafted", "u1"))
}

#[test]
fn findings_differing_only_in_key_are_two_findings() {
    let (a, _) = colliding_findings();
    let mut b = a.clone();
    b.key = "other-container".into();
    let got = sorted_unique(vec![a.clone(), b.clone()]);
    assert_eq!(got.len(), 2);
    let baseline = suppress::Baseline::of(std::slice::from_ref(&a));
    let mut findings = vec![b];
    with_baseline(&mut findings, &baseline);
    assert_eq!(
        findings[0].suppressed, None,
        "same fingerprint, another key"
    );
}

/// The stale entries of `baseline`, applied to `findings` (every rule selected, no
/// annotations).
fn with_baseline(
    findings: &mut [Finding],
    baseline: &suppress::Baseline,
) -> Vec<suppress::StaleSuppression> {
    suppress::apply(
        findings,
        &Inventory::default(),
        Some((baseline, "baseline.json")),
        &Selection::default(),
        suppress::Date::today(),
    )
}

#[test]
fn a_colliding_fingerprint_hides_no_finding() {
    let (a, b) = colliding_findings();
    let got = sorted_unique(vec![a.clone(), b.clone(), a.clone()]);
    assert_eq!(
        got.len(),
        2,
        "both objects' findings are kept, the repeat is not"
    );
    assert!(got.contains(&a) && got.contains(&b));
}

#[test]
fn a_baseline_entry_accepts_only_the_finding_it_names() {
    let (accepted, crafted) = colliding_findings();
    let baseline = suppress::Baseline::of(std::slice::from_ref(&accepted));
    let mut findings = vec![accepted, crafted];
    let stale = with_baseline(&mut findings, &baseline);
    assert!(stale.is_empty(), "{stale:?}");
    assert_eq!(findings[0].suppressed, Some(Suppression::Baseline));
    assert_eq!(
        findings[1].suppressed, None,
        "same fingerprint, another object"
    );
    // An entry whose fingerprint matches but whose object does not is stale.
    let mut other = baseline.clone();
    other.findings[0].object = "RoleBinding/ns/elsewhere".into();
    let mut findings = vec![colliding_findings().0];
    let stale = with_baseline(&mut findings, &other);
    assert_eq!(findings[0].suppressed, None);
    assert_eq!(stale.len(), 1);
}

#[test]
fn diff_sees_a_new_finding_behind_an_old_fingerprint() {
    let (old, crafted) = colliding_findings();
    let (new, fixed) =
        crate::diff::finding_changes(std::slice::from_ref(&old), &[old.clone(), crafted.clone()]);
    assert_eq!(new, vec![crafted]);
    assert!(fixed.is_empty());
}
