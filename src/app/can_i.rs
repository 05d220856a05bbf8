//! `kubeaudit can-i`.

use std::io::Write;

use super::authz::Authorizers;
use super::load::{load, Loaded};
use super::target::{
    authorization_only, in_our_words, kept_warnings, resolve_target, rule_verbs, TargetFlags,
};
use super::{note, warn, UsageError};
use crate::cli::{CanIArgs, GlobalArgs, OutputFormat};
use crate::exit::Exit;
use crate::model::discovery::Discovery;
use crate::output;
use crate::rbac::attributes::UserInfo;
use crate::rbac::can_i::{can_i, CanIReport, Verification};
use crate::rbac::cani_args::{parse_can_i, CanIFlags};
use crate::rbac::chain::Outcome;
use crate::rbac::identity;
use crate::rbac::rules_list::list_rules;
use crate::rbac::Explain;
use crate::source::live;
use anyhow::Context as _;

/// Runs `can-i`.
pub async fn run(global: &GlobalArgs, args: CanIArgs) -> anyhow::Result<Exit> {
    if args.list {
        return run_list(global, args).await;
    }
    let positional: Vec<String> = args
        .verb
        .iter()
        .chain(args.target.iter())
        .cloned()
        .collect();
    let explicit_subject = subject_from_flags(global)?;
    if explicit_subject.is_none() && !global.filename.is_empty() {
        return Err(UsageError(
            "offline mode (-f) needs a subject: add --as USER (and --as-group GROUP as needed), e.g. --as system:serviceaccount:NS:NAME".into(),
        )
        .into());
    }
    let mut loaded = load(global).await?;
    let discovery = discovery_for(&loaded);
    let flags = CanIFlags {
        namespace: loaded.namespace(global),
        all_namespaces: global.all_namespaces,
        subresource: args.subresource.clone(),
        list: false,
        quiet: args.quiet,
        no_headers: global.no_headers,
    };
    // kubectl's parsing decides what is a usage error and what kubectl would warn about.
    let parsed = parse_can_i(&positional, &flags, &discovery).map_err(in_our_words)?;
    if parsed.attributes.is_none() {
        return Err(
            UsageError("nothing to check: give VERB and TYPE[/NAME] or a URL".into()).into(),
        );
    }
    // The question itself is the one a real request asks, exactly as who-can asks it.
    let (verb, target_arg) = (&positional[0], &positional[1]);
    let target = resolve_target(
        verb,
        target_arg,
        &TargetFlags {
            namespace: flags.namespace.clone(),
            namespace_given: global.namespace.is_some(),
            all_namespaces: global.all_namespaces,
            subresource: args.subresource.clone(),
            rule_verbs: rule_verbs(&loaded.inventory, verb, target_arg),
            allow_unknown: global.allow_unknown,
        },
        &discovery,
    )?;
    let type_arg = target_arg
        .split_once('/')
        .map_or(target_arg.as_str(), |(t, _)| t);
    let authorization_only =
        !target_arg.starts_with('/') && authorization_only(type_arg, &discovery).is_some();
    // kubectl's warnings, except for the resources it cannot resolve but the API server
    // authorizes (users, uids, signers ...): for those, ours.
    let mut warnings = if authorization_only {
        target.warnings.clone()
    } else {
        kept_warnings(parsed.warnings)
    };
    // A request kept in a namespace on purpose (bind on a ClusterRole, a Namespace object):
    // kubectl's "not namespace scoped" would contradict the note that says why.
    if !target.request.namespace().is_empty() {
        warnings.retain(|w| !w.contains("is not namespace scoped"));
    }
    for w in warnings {
        let _ = writeln!(std::io::stderr(), "{w}");
    }
    for n in &target.notes {
        note(n);
    }
    let request = target.request;
    let subject = match explicit_subject.clone() {
        Some(s) => s,
        None => who_am_i(&loaded).await?,
    };
    let model = loaded.compile();
    let mut report = can_i(&model, &subject, &request);
    // Alternatives that each suffice (a signer's `domain/*`): the first that allows decides.
    if !report.allowed {
        if let Some(alt) = target
            .also_checked
            .iter()
            .map(|a| can_i(&model, &subject, a))
            .find(|r| r.allowed)
        {
            report = alt;
        }
    }
    let authz = Authorizers::from_flags(global, &loaded, Some(&subject)).await?;
    if !authz.rbac_only() {
        let d = authz
            .decide(
                &model,
                &subject,
                &report.request,
                Explain {
                    all_grants: true,
                    near_misses: true,
                },
            )
            .await;
        report.allowed = d.outcome == Outcome::Allow;
        if !d.reason.is_empty() || !report.allowed {
            report.reason = d.reason.clone();
        }
        report.chain = Some(d);
    }
    if args.verify {
        let Some(session) = &loaded.live else {
            return Err(UsageError(
                "--verify asks the API server: it needs a live cluster, not -f".into(),
            )
            .into());
        };
        let sar_subject = explicit_subject.as_ref();
        let server = live::verify_access(
            &session.client,
            sar_subject,
            &report.request,
            session.timeout,
        )
        .await
        .context("asking the API server (--verify)")?;
        let review = if sar_subject.is_some() {
            "SubjectAccessReview"
        } else {
            "SelfSubjectAccessReview"
        };
        let v = Verification::compare(
            report.allowed,
            review,
            server.allowed,
            server.denied,
            server.reason,
            server.evaluation_error,
        );
        if let Some(why) = &v.explanation {
            warn(format_args!(
                "the API server answers {}: {why}",
                if v.allowed { "yes" } else { "no" }
            ));
        }
        report.verification = Some(v);
    }
    print(&report, &args, global)?;
    Ok(exit_for(&report, global))
}

/// Who the current credentials are: the server says (SelfSubjectReview, as `kubectl auth
/// whoami`), else the client certificate's CN and O.
pub(crate) async fn who_am_i(loaded: &Loaded) -> anyhow::Result<UserInfo> {
    let Some(session) = &loaded.live else {
        return Err(UsageError("no subject: add --as USER".into()).into());
    };
    match live::whoami(&session.client, session.timeout).await {
        Ok(user) => Ok(user),
        Err(e) => {
            let cert = session
                .client_cert_pem
                .as_deref()
                .and_then(live::identity_from_client_cert);
            match cert {
                Some((name, groups)) => {
                    note(format_args!("the server could not say who you are ({e}); using the client certificate: {name}"));
                    Ok(identity::impersonated(&name, &groups))
                }
                None => Err(anyhow::Error::new(e).context(
                    "finding out who the current credentials are (use --as USER to name a subject)",
                )),
            }
        }
    }
}

/// Runs `can-i --list`: every rule that applies to the identity, kubectl's rows (plus the
/// Via column with -o wide; -A lists every namespace, a kubeaudit extension). Exit 0; 2 when
/// data was missing (more rules may apply) unless --allow-incomplete.
async fn run_list(global: &GlobalArgs, args: CanIArgs) -> anyhow::Result<Exit> {
    let positional: Vec<String> = args
        .verb
        .iter()
        .chain(args.target.iter())
        .cloned()
        .collect();
    // kubectl's checks (arguments, --quiet, --subresource); -A is accepted here.
    let flags = CanIFlags {
        namespace: global.namespace.clone().unwrap_or_default(),
        all_namespaces: false,
        subresource: args.subresource.clone(),
        list: true,
        quiet: args.quiet,
        no_headers: global.no_headers,
    };
    let parsed = parse_can_i(&positional, &flags, &Discovery::builtin()).map_err(in_our_words)?;
    for w in &parsed.warnings {
        let _ = writeln!(std::io::stderr(), "{w}");
    }
    let Some(subject) = subject_from_flags(global)? else {
        return Err(UsageError(
            "can-i --list needs a subject: add --as USER (and --as-group GROUP as needed)".into(),
        )
        .into());
    };
    let mut loaded = load(global).await?;
    let namespace = (!global.all_namespaces).then(|| loaded.namespace(global));
    let model = loaded.compile();
    let list = list_rules(&model, &subject, namespace.as_deref());
    let authz = Authorizers::from_flags(global, &loaded, Some(&subject)).await?;
    if !authz.modes.contains(&crate::rbac::chain::Mode::Rbac) {
        note(format_args!(
            "the chain {} has no RBAC: the rules listed are not used",
            authz.describe()
        ));
    }
    for n in authz.list_notes(&subject) {
        note(n);
    }
    if list.privileged_group {
        note("the identity is in group system:masters: the API server allows it everything (that authorizer lists no rules)");
    }
    super::warn_ungranting(&list.errors);
    for o in &list.ineffective {
        note(format_args!(
            "listed as the API server lists it, but grants nothing: nonResourceURLs {} from {} → {}, rule {} (a RoleBinding never grants non-resource URLs)",
            output::go_list(&o.non_resource_urls),
            o.via.binding.path(),
            o.via.role.path(),
            o.via.rule
        ));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output {
        OutputFormat::Json => output::write_json(&mut out, &list)?,
        OutputFormat::Yaml => output::write_yaml(&mut out, &list)?,
        OutputFormat::Table => {
            output::rules_list::write_table(&mut out, &list, args.explain, global.no_headers)?
        }
        OutputFormat::Wide => {
            output::rules_list::write_table(&mut out, &list, true, global.no_headers)?
        }
    }
    out.flush()?;
    if list.complete {
        return Ok(Exit::Yes);
    }
    let missing = missing_list(&list.missing);
    if global.allow_incomplete {
        warn(format_args!(
            "the list may be incomplete: some data could not be read ({missing})"
        ));
        return Ok(Exit::Yes);
    }
    let _ = writeln!(
        std::io::stderr(),
        "error: the list may be incomplete: some data could not be read ({missing}); use --allow-incomplete to accept it"
    );
    Ok(Exit::Error)
}

/// The identity from --as/--as-group, with the groups the API server adds.
pub fn subject_from_flags(global: &GlobalArgs) -> Result<Option<UserInfo>, UsageError> {
    match &global.as_user {
        Some(u) if u.is_empty() => Err(UsageError("--as needs a user name".into())),
        Some(u) => {
            if let Some(problem) = identity::service_account_username_problem(u) {
                warn(format_args!("--as {u}: {problem}"));
            }
            Ok(Some(identity::impersonated(u, &global.as_group)))
        }
        None if !global.as_group.is_empty() => Err(UsageError(
            "--as-group needs --as: impersonating groups without a user is not possible".into(),
        )),
        None => Ok(None),
    }
}

/// The built-in resource table plus the CRDs of the inventory.
pub fn discovery_for(loaded: &Loaded) -> Discovery {
    let mut discovery = Discovery::builtin();
    for crd in &loaded.inventory.crds {
        if let Err(e) = discovery.add_crd(&crd.value) {
            warn(format_args!(
                "{}: CustomResourceDefinition ignored: {e}",
                crd.origin
            ));
        }
    }
    discovery
}

fn print(report: &CanIReport, args: &CanIArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    if args.quiet {
        return Ok(());
    }
    // A "no" from incomplete data is not an answer: a script reading stdout must not see
    // one. JSON and YAML still carry the report, with `complete: false`.
    let structured = matches!(args.output, OutputFormat::Json | OutputFormat::Yaml);
    if report.is_uncertain() && !global.allow_incomplete && !structured {
        return Ok(());
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match (args.output, args.explain) {
        (OutputFormat::Json, _) => output::write_json(&mut out, report)?,
        (OutputFormat::Yaml, _) => output::write_yaml(&mut out, report)?,
        (OutputFormat::Wide, _) | (_, true) => output::can_i::write_explained(&mut out, report)?,
        (OutputFormat::Table, false) => output::can_i::write_plain(&mut out, report)?,
    }
    out.flush()?;
    Ok(())
}

/// 0 yes; 1 no; 2 when a no rests on incomplete data (unless --allow-incomplete).
pub fn exit_for(report: &CanIReport, global: &GlobalArgs) -> Exit {
    if report.allowed {
        if !report.complete {
            warn(format_args!("some data could not be read ({}); the yes is certain anyway, because RBAC only adds permissions", missing_text(report)));
        }
        return Exit::Yes;
    }
    if let Some(chain) = report.chain.as_ref().filter(|_| report.is_uncertain()) {
        let _ = writeln!(std::io::stderr(), "error: {}", chain.explanation());
        return Exit::Error;
    }
    if report.is_uncertain() {
        if global.allow_incomplete {
            warn(format_args!(
                "no, from incomplete data ({}): another binding might allow it",
                missing_text(report)
            ));
            return Exit::No;
        }
        let _ = writeln!(
            std::io::stderr(),
            "error: cannot tell: no grant was found, but this data could not be read: {} (use --allow-incomplete to accept a no from partial data)",
            missing_text(report)
        );
        return Exit::Error;
    }
    Exit::No
}

fn missing_text(report: &CanIReport) -> String {
    missing_list(&report.missing)
}

/// `Kind in ns: reason; ...` for messages about missing data.
pub fn missing_list(missing: &[crate::model::MissingData]) -> String {
    missing
        .iter()
        .map(|m| match &m.namespace {
            Some(ns) => format!("{} in {ns}: {}", m.kind, m.reason),
            None => format!("{}: {}", m.kind, m.reason),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
