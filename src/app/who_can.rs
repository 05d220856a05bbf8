//! `kubeaudit who-can`: the question (see [`super::target`]), the listing and its exit code.

use std::io::Write;

use super::authz::Authorizers;
use super::can_i::discovery_for;
use super::load::load;
use super::target::{resolve_target, rule_verbs, TargetFlags};
use super::{note, warn, UsageError};
use crate::cli::{GlobalArgs, OutputFormat, WhoCanArgs};
use crate::exit::Exit;
use crate::output;
use crate::rbac::chain::Mode;
use crate::rbac::chain_subjects::chain_subjects;
use crate::rbac::who_can::{who_can_report, WhoCanOptions, WhoCanReport};

/// Runs `who-can`: exit 0 with the list; 2 when data was missing (the list is then a
/// lower bound) unless --allow-incomplete.
pub async fn run(global: &GlobalArgs, args: WhoCanArgs) -> anyhow::Result<Exit> {
    if global.as_user.is_some() || !global.as_group.is_empty() {
        return Err(UsageError(
            "who-can lists subjects; --as/--as-group do not apply (use can-i --as USER)".into(),
        )
        .into());
    }
    let mut loaded = load(global).await?;
    let discovery = discovery_for(&loaded);
    let flags = TargetFlags {
        namespace: loaded.namespace(global),
        namespace_given: global.namespace.is_some(),
        all_namespaces: global.all_namespaces,
        subresource: args.subresource.clone(),
        rule_verbs: rule_verbs(&loaded.inventory, &args.verb, &args.target),
        allow_unknown: global.allow_unknown,
    };
    let target = resolve_target(&args.verb, &args.target, &flags, &discovery)?;
    for w in &target.warnings {
        let _ = writeln!(std::io::stderr(), "{w}");
    }
    for n in &target.notes {
        note(n);
    }
    let model = loaded.compile();
    let mut messages = target.warnings.clone();
    messages.extend(target.notes.iter().map(|n| format!("Note: {n}")));
    let report = who_can_report(
        &model,
        target.request,
        target.also_checked,
        WhoCanOptions {
            all_namespaces: target.all_namespaces,
            expand_groups: args.expand_groups,
        },
        messages,
    );
    let mut report = report;
    let authz = Authorizers::from_flags(global, &loaded, None).await?;
    if !authz.rbac_only() {
        if authz.modes.contains(&Mode::Webhook) {
            let why = "the chain has a Webhook authorizer, which can allow anyone (or deny) and cannot be listed";
            if !global.allow_incomplete {
                return Err(anyhow::anyhow!(
                    "cannot tell: {why}; ask about one subject with can-i --as USER, or use --allow-incomplete for the other authorizers' subjects"
                ));
            }
            warn(format_args!(
                "{why}: listing the other authorizers' subjects"
            ));
        }
        if !authz.modes.contains(&Mode::Rbac) {
            report.subjects.retain(|s| s.builtin);
        }
        report.chain_subjects = chain_subjects(
            &authz.modes,
            authz.abac.as_ref(),
            authz.node.as_ref(),
            &report.request,
        );
    }
    super::warn_ungranting(&report.errors);
    print(&report, &args, global)?;
    Ok(exit_for(&report, global))
}

fn print(report: &WhoCanReport, args: &WhoCanArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output {
        OutputFormat::Json => output::write_json(&mut out, report)?,
        OutputFormat::Yaml => output::write_yaml(&mut out, report)?,
        OutputFormat::Table => {
            output::who_can::write_table(&mut out, report, false, global.no_headers)?
        }
        OutputFormat::Wide => {
            output::who_can::write_table(&mut out, report, true, global.no_headers)?
        }
    }
    out.flush()?;
    Ok(())
}

/// 0 for a complete list; 2 for a lower bound (data missing) unless --allow-incomplete.
pub fn exit_for(report: &WhoCanReport, global: &GlobalArgs) -> Exit {
    if report.complete {
        return Exit::Yes;
    }
    let missing = report
        .missing
        .iter()
        .map(|m| match &m.namespace {
            Some(ns) => format!("{} in {ns}: {}", m.kind, m.reason),
            None => format!("{}: {}", m.kind, m.reason),
        })
        .collect::<Vec<_>>()
        .join("; ");
    if global.allow_incomplete {
        warn(format_args!(
            "the list is a lower bound: some data could not be read ({missing})"
        ));
        return Exit::Yes;
    }
    let _ = writeln!(
        std::io::stderr(),
        "error: the list is only a lower bound: some data could not be read ({missing}); use --allow-incomplete to accept it"
    );
    Exit::Error
}

#[cfg(test)]
mod tests {
    use super::super::target::*;
    use super::*;
    use crate::model::discovery::Discovery;
    use crate::rbac::attributes::{Attributes, ResourceAttributes};

    fn flags(ns: &str, given: bool, all: bool) -> TargetFlags {
        TargetFlags {
            namespace: ns.into(),
            namespace_given: given,
            all_namespaces: all,
            subresource: None,
            ..TargetFlags::default()
        }
    }

    fn resource(t: &Target) -> &ResourceAttributes {
        match &t.request {
            Attributes::Resource(r) => r,
            other => panic!("expected a resource request, got {other:?}"),
        }
    }

    #[test]
    fn namespaced_cluster_scoped_and_namespace_objects() {
        let d = Discovery::builtin();
        let t = resolve_target("get", "po", &flags("shop", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "shop");
        assert!(!t.all_namespaces);
        let t = resolve_target("get", "pods", &flags("shop", true, true), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "");
        assert!(t.all_namespaces);
        let t = resolve_target("delete", "nodes", &flags("default", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "");
        assert!(t.notes.is_empty() && t.warnings.is_empty(), "{t:?}");
        let t = resolve_target("delete", "nodes", &flags("shop", true, true), &d).expect("ok");
        assert!(!t.all_namespaces);
        assert_eq!(t.notes.len(), 1);
        let t = resolve_target("delete", "ns/shop", &flags("x", true, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "shop");
        let t = resolve_target("list", "namespaces", &flags("x", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "");
    }

    #[test]
    fn escalation_and_authorization_only_resources() {
        let d = Discovery::builtin();
        let t = resolve_target("impersonate", "users/alice", &flags("a", false, false), &d)
            .expect("ok");
        let r = resource(&t);
        assert_eq!(
            (r.group.as_str(), r.resource.as_str(), r.name.as_str()),
            ("", "users", "alice")
        );
        assert!(t.warnings.is_empty());
        let t = resolve_target("impersonate", "uids", &flags("a", true, false), &d).expect("ok");
        assert_eq!(resource(&t).group, "authentication.k8s.io");
        assert_eq!(resource(&t).namespace, "");
        assert!(t.warnings.is_empty());
        let mut f = flags("a", false, false);
        f.subresource = Some("scopes".into());
        let t = resolve_target(
            "impersonate",
            "userextras.authentication.k8s.io/view",
            &f,
            &d,
        )
        .expect("ok");
        let r = resource(&t);
        assert_eq!(
            (r.resource.as_str(), r.subresource.as_str(), r.name.as_str()),
            ("userextras", "scopes", "view")
        );
        let t = resolve_target(
            "approve",
            "signers.certificates.k8s.io/kubernetes.io/kube-apiserver-client",
            &flags("a", false, false),
            &d,
        )
        .expect("ok");
        assert_eq!(resource(&t).name, "kubernetes.io/kube-apiserver-client");
        match &t.also_checked[..] {
            [Attributes::Resource(w)] => assert_eq!(w.name, "kubernetes.io/*"),
            other => panic!("{other:?}"),
        }
        let t =
            resolve_target("escalate", "clusterroles", &flags("a", false, false), &d).expect("ok");
        assert_eq!(resource(&t).group, "rbac.authorization.k8s.io");
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        let t = resolve_target("bind", "roles/x", &flags("a", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "a");
        // bind on a ClusterRole is checked in the namespace of the RoleBinding being made.
        let t =
            resolve_target("bind", "clusterroles/edit", &flags("a", false, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "a");
        let t = resolve_target("bind", "clusterroles", &flags("a", false, true), &d).expect("ok");
        assert!(t.all_namespaces);
        let t =
            resolve_target("escalate", "clusterroles", &flags("a", true, false), &d).expect("ok");
        assert_eq!(resource(&t).namespace, "");
    }

    #[test]
    fn unknown_types_and_verbs_are_typos_unless_meant() {
        let d = Discovery::builtin();
        // A typo in the verb or in a bare type is an error with a suggestion.
        let e = resolve_target("craete", "pods", &flags("a", false, false), &d).unwrap_err();
        assert!(e.0.contains("did you mean \"create\"?"), "{}", e.0);
        let e = resolve_target("get", "podz", &flags("a", false, false), &d).unwrap_err();
        assert!(e.0.contains("did you mean \"pods\"?"), "{}", e.0);
        // A verb the loaded rules name is no typo.
        let mut f = flags("a", false, false);
        f.rule_verbs.insert("frob".into());
        // A written group is asked as given, with a note and no "server" warning.
        let t = resolve_target("frob", "gizmos.example.com", &f, &d).expect("ok");
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        assert!(
            t.notes.iter().any(|n| n.contains("as written")),
            "{:?}",
            t.notes
        );
        let r = resource(&t);
        assert_eq!(
            (r.group.as_str(), r.resource.as_str(), r.namespace.as_str()),
            ("example.com", "gizmos", "a")
        );
        // TYPE.VERSION.GROUP drops the version.
        let t = resolve_target("get", "gizmos.v1beta1.example.com/g1", &f, &d).expect("ok");
        let r = resource(&t);
        assert_eq!(
            (r.group.as_str(), r.resource.as_str(), r.name.as_str()),
            ("example.com", "gizmos", "g1")
        );
        // --allow-unknown asks a bare unknown type as kubectl would.
        f.allow_unknown = true;
        let t = resolve_target("frob2", "gizmos", &f, &d).expect("ok");
        assert_eq!(resource(&t).resource, "gizmos");
        let t = resolve_target("get", "/healthz", &flags("a", true, false), &d).expect("ok");
        assert!(matches!(t.request, Attributes::NonResource(_)));
        assert_eq!(t.notes.len(), 1);
        let mut f = flags("a", false, false);
        f.subresource = Some("log".into());
        assert!(resolve_target("get", "/logs", &f, &d).is_err());
    }

    #[test]
    fn incomplete_data_makes_a_lower_bound_and_exit_2_unless_allowed() {
        use crate::model::{AccessModel, Inventory, MissingData};
        let mut inv = Inventory::default();
        inv.missing.push(MissingData {
            kind: "RoleBinding".into(),
            namespace: Some("shop".into()),
            reason: "forbidden".into(),
            code: Some(403),
        });
        let model = AccessModel::build(&inv);
        let d = Discovery::builtin();
        let t = resolve_target("get", "pods", &flags("shop", false, false), &d).expect("ok");
        let report = who_can_report(
            &model,
            t.request,
            t.also_checked,
            WhoCanOptions::default(),
            t.warnings,
        );
        assert!(!report.complete);
        assert_eq!(report.missing.len(), 1);
        let mut global = GlobalArgs::default();
        assert_eq!(exit_for(&report, &global), Exit::Error);
        global.allow_incomplete = true;
        assert_eq!(exit_for(&report, &global), Exit::Yes);
        let json = serde_json::to_value(&report).expect("serializable");
        assert_eq!(json["complete"], false);
        assert_eq!(json["missing"][0]["kind"], "RoleBinding");
        let empty = AccessModel::build(&Inventory::default());
        let complete = who_can_report(
            &empty,
            report.request.clone(),
            Vec::new(),
            WhoCanOptions::default(),
            Vec::new(),
        );
        assert_eq!(exit_for(&complete, &GlobalArgs::default()), Exit::Yes);
    }
}
