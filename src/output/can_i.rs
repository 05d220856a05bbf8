//! Rendering of `can-i` reports.

use std::io::Write;

use colored::Colorize;

use super::format_rule;
use crate::rbac::authorize::describe_grant;
use crate::rbac::can_i::CanIReport;
use crate::rbac::rule::Mismatch;
use crate::rbac::Attributes;

/// Prints `yes` or `no` (kubectl's words, with ` - reason` after a denial that has one).
pub fn write_plain(out: &mut dyn Write, r: &CanIReport) -> std::io::Result<()> {
    if r.allowed {
        writeln!(out, "yes")
    } else if r.reason.is_empty() {
        writeln!(out, "no")
    } else {
        writeln!(out, "no - {}", r.reason)
    }
}

/// Prints the answer with every grant, or the nearest misses of a denial. The answer word is
/// coloured when colour is on (see [`super::apply_color`]); the plain output never is, since
/// scripts compare it with kubectl's.
pub fn write_explained(out: &mut dyn Write, r: &CanIReport) -> std::io::Result<()> {
    let answer = if r.allowed {
        "yes".green().bold()
    } else {
        "no".red().bold()
    };
    if r.allowed || r.reason.is_empty() {
        writeln!(out, "{answer}")?;
    } else {
        writeln!(out, "{answer} - {}", r.reason)?;
    }
    if let Some(v) = &r.verification {
        writeln!(
            out,
            "  API server ({}): {}{} — {}",
            v.review,
            if v.allowed { "yes" } else { "no" },
            if v.reason.is_empty() {
                String::new()
            } else {
                format!(" ({})", v.reason)
            },
            match &v.explanation {
                None => "agrees".to_string(),
                Some(why) => format!("DISAGREES: {why}"),
            }
        )?;
    }
    if let Some(chain) = &r.chain {
        writeln!(out, "  decided by {}", chain.explanation())?;
        for step in &chain.steps {
            let verdict = match step.verdict {
                crate::rbac::Verdict::Allow => "allow",
                crate::rbac::Verdict::Deny => "deny",
                crate::rbac::Verdict::NoOpinion => "no opinion",
                crate::rbac::Verdict::Unknown => "unknown",
            };
            if step.reason.is_empty() {
                writeln!(out, "    {}: {verdict}", step.authorizer.as_str())?;
            } else {
                writeln!(
                    out,
                    "    {}: {verdict} ({})",
                    step.authorizer.as_str(),
                    step.reason.replace('\n', "; ")
                )?;
            }
        }
        if chain.decided_by != Some(crate::rbac::Authorizer::Rbac) {
            return Ok(());
        }
    }
    let who = subject_text(r);
    if r.privileged_group {
        writeln!(out, "  allowed for every member of group system:masters by the API server itself (no RBAC object needed)")?;
    }
    if r.allowed {
        for g in &r.grants {
            writeln!(
                out,
                "  {} → {}, rule {}: {}  (subject: {} {})",
                g.binding.path(),
                g.role.path(),
                g.rule_index,
                format_rule(&g.rule),
                g.subject.kind,
                g.subject.name
            )?;
        }
        if let Some(g) = r.grants.first() {
            writeln!(out, "  reason: RBAC: allowed by {}", describe_grant(g))?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "  no rule bound to {who} allows {}",
        request_text(&r.request)
    )?;
    for e in &r.errors {
        writeln!(out, "  unresolved binding: {e}")?;
    }
    if !r.near_misses.is_empty() {
        writeln!(out, "  nearest misses:")?;
        for m in &r.near_misses {
            writeln!(
                out,
                "    {} → {}, rule {}: {} — {}",
                m.binding.path(),
                m.role.path(),
                m.rule_index,
                format_rule(&m.rule),
                mismatch_text(m.mismatch, &r.request, m.binding.namespace.as_deref())
            )?;
        }
    }
    Ok(())
}

fn subject_text(r: &CanIReport) -> String {
    if r.subject.groups.is_empty() {
        format!("user {:?}", r.subject.name)
    } else {
        format!(
            "user {:?} (groups: {})",
            r.subject.name,
            r.subject.groups.join(", ")
        )
    }
}

/// `get pods "web" in namespace "shop"` and the like.
pub fn request_text(a: &Attributes) -> String {
    match a {
        Attributes::Resource(r) => {
            let mut res = r.resource.clone();
            if !r.group.is_empty() {
                res = format!("{res}.{}", r.group);
            }
            if !r.subresource.is_empty() {
                res = format!("{res}/{}", r.subresource);
            }
            let mut s = format!("{} {res}", r.verb);
            if !r.name.is_empty() {
                s.push_str(&format!(" {:?}", r.name));
            }
            if r.namespace.is_empty() {
                s.push_str(" at cluster scope");
            } else {
                s.push_str(&format!(" in namespace {:?}", r.namespace));
            }
            s
        }
        Attributes::NonResource(n) => format!("{} {}", n.verb, n.path),
    }
}

fn mismatch_text(m: Mismatch, a: &Attributes, binding_ns: Option<&str>) -> String {
    match (m, a) {
        (Mismatch::Verb, _) => format!("verb {:?} is not granted", a.verb()),
        (Mismatch::ApiGroup, Attributes::Resource(r)) => {
            format!("API group {:?} is not granted", r.group)
        }
        (Mismatch::Resource, Attributes::Resource(r)) if r.subresource.is_empty() => {
            format!("resource {:?} is not granted", r.resource)
        }
        (Mismatch::Resource, Attributes::Resource(r)) => {
            format!(
                "resource {:?} is not granted (a subresource must be listed as {}/{})",
                format!("{}/{}", r.resource, r.subresource),
                r.resource,
                r.subresource
            )
        }
        (Mismatch::ResourceName, Attributes::Resource(r)) if r.name.is_empty() => {
            "the rule is limited to named objects and this request names none".to_string()
        }
        (Mismatch::ResourceName, Attributes::Resource(r)) => {
            format!("name {:?} is not among the rule's resourceNames", r.name)
        }
        (Mismatch::NonResourceUrl, Attributes::NonResource(n)) => {
            format!("URL {:?} is not granted", n.path)
        }
        (Mismatch::Namespace, _) => match (binding_ns, a.namespace()) {
            (Some(b), "") => format!(
                "granted only in namespace {b:?} by a RoleBinding; this request is cluster-scoped"
            ),
            (Some(b), req) => format!("granted only in namespace {b:?}, not in {req:?}"),
            _ => "granted in another namespace".to_string(),
        },
        _ => "does not match".to_string(),
    }
}
