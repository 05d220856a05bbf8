//! `kubeaudit review`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use serde_json::Value;

use super::authz::Authorizers;
use super::load::load;
use super::{note, UsageError};
use crate::cli::{GlobalArgs, ReviewArgs, ReviewFormat};
use crate::exit::Exit;
use crate::rbac::chain::Outcome;
use crate::rbac::review::{answer_review, answer_review_chain, parse_review};
use crate::rbac::Explain;
use crate::source::manifest;

/// Runs `review`: every review is answered; exit 0 when all are allowed, 1 when any is denied.
pub async fn run(global: &GlobalArgs, args: ReviewArgs) -> anyhow::Result<Exit> {
    let files: Vec<PathBuf> = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let stdin_twice = files.iter().any(|f| f.as_os_str() == "-")
        && global.filename.iter().any(|f| f.as_os_str() == "-");
    if stdin_twice {
        return Err(UsageError(
            "stdin ('-') can be used for the reviews or for -f, not both".into(),
        )
        .into());
    }
    let read = manifest::read_paths_within(&files, global.max_input_size)
        .context("reading SubjectAccessReviews")?;
    for n in &read.notes {
        note(n);
    }
    // Validate every review before loading the cluster, so input errors come first.
    let mut reviews = Vec::with_capacity(read.objects.len());
    for (obj, origin) in read.objects {
        let obj = obj.into_value();
        let req = parse_review(&obj, &origin)?;
        reviews.push((obj, req));
    }
    let mut loaded = load(global).await?;
    let model = loaded.compile();
    let authz = Authorizers::from_flags(global, &loaded, None).await?;
    let mut any_denied = false;
    let mut indeterminate = 0usize;
    let mut answered: Vec<Value> = Vec::with_capacity(reviews.len());
    for (obj, req) in reviews {
        if authz.rbac_only() {
            let mut v = answer_review(&model, obj, &req);
            let denied = v.pointer("/status/allowed") != Some(&Value::Bool(true));
            any_denied |= denied;
            if denied && !model.is_complete() {
                mark_uncertain(&mut v);
            }
            answered.push(v);
        } else {
            let d = authz
                .decide(&model, &req.user, &req.attributes, Explain::default())
                .await;
            any_denied |= d.outcome != Outcome::Allow;
            if d.outcome == Outcome::Indeterminate {
                indeterminate += 1;
            }
            answered.push(answer_review_chain(&d, obj));
        }
    }
    if indeterminate > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "error: {indeterminate} review(s) depend on an authorizer kubeaudit could not evaluate (see their status.evaluationError)"
        );
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output {
        ReviewFormat::Json => {
            // The answers as they are, not copied into a List value first (most of the time
            // of a large review); fields in the order a List value prints them.
            #[derive(serde::Serialize)]
            #[serde(rename_all = "camelCase")]
            struct List<'a> {
                api_version: &'static str,
                items: &'a [Value],
                kind: &'static str,
                metadata: serde_json::Map<String, Value>,
            }
            let list = List {
                api_version: "v1",
                items: &answered,
                kind: "List",
                metadata: serde_json::Map::new(),
            };
            crate::output::write_json(&mut out, &list)?;
        }
        ReviewFormat::Yaml => {
            for (i, v) in answered.iter().enumerate() {
                if i > 0 {
                    writeln!(out, "---")?;
                }
                crate::output::write_yaml(&mut out, v)?;
            }
        }
    }
    out.flush()?;
    if indeterminate > 0 {
        return Ok(Exit::Error);
    }
    if !model.is_complete() && any_denied && !global.allow_incomplete {
        let _ = writeln!(
            std::io::stderr(),
            "error: some denials rest on incomplete data; see the warnings above"
        );
        return Ok(Exit::Error);
    }
    Ok(if any_denied { Exit::No } else { Exit::Yes })
}

/// A denial from incomplete data says so in its own status, where a consumer reads it.
fn mark_uncertain(review: &mut Value) {
    const NOTE: &str =
        "kubeaudit: some RBAC objects could not be read; another binding might allow this";
    if let Some(status) = review.get_mut("status").and_then(Value::as_object_mut) {
        let text = match status.get("evaluationError").and_then(Value::as_str) {
            Some(e) if !e.is_empty() => format!("{e}; {NOTE}"),
            _ => NOTE.to_string(),
        };
        status.insert("evaluationError".into(), Value::String(text));
    }
}
