//! `kubeaudit review`.

use std::cell::Cell;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use serde_json::Value;

use super::authz::Authorizers;
use super::load::load;
use super::{note, UsageError};
use crate::cli::{GlobalArgs, ReviewArgs, ReviewFormat};
use crate::exit::Exit;
use crate::model::item::SourceItem;
use crate::model::Origin;
use crate::rbac::chain::Outcome;
use crate::rbac::review::{answer_review, answer_review_chain, parse_review};
use crate::rbac::Explain;
use crate::source::manifest;

/// Reviews answered at once: enough to keep every core busy, few enough to hold.
const BATCH: usize = 4096;
/// Fewer reviews than this are read and answered on one core.
const PARALLEL_FROM: usize = 1024;

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
    // Each review is kept as its text and read into a value only to be checked, then again to
    // be answered and written: one value at a time, not a tree of every review.
    let read = manifest::read_paths_kept_as_text(&files, global.max_input_size)
        .context("reading SubjectAccessReviews")?;
    for n in &read.notes {
        note(n);
    }
    // Validate every review before loading the cluster, so input errors come first (the
    // first in input order, whichever core found it). The requests are not kept: each is
    // read again from its review when it is answered, so memory does not grow with them.
    crate::parallel::try_map(&read.objects, PARALLEL_FROM, &|(obj, origin)| {
        parse_review(&obj.value(), origin).map(drop)
    })?;
    let objects = read.objects;
    let mut loaded = load(global).await?;
    let model = loaded.compile();
    let authz = Authorizers::from_flags(global, &loaded, None).await?;
    let any_denied = Cell::new(false);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if authz.rbac_only() {
        // Answered a batch at a time on every core, each batch written before the next is
        // answered.
        let format = args.output;
        let answer = |(obj, origin): &(SourceItem, Origin)| -> std::io::Result<(String, bool)> {
            let obj = obj.value().into_owned();
            // Checked above: reading it again gives the same request.
            let req = parse_review(&obj, origin).map_err(std::io::Error::other)?;
            let mut v = answer_review(&model, obj, &req);
            let denied = v.pointer("/status/allowed") != Some(&Value::Bool(true));
            if denied && !model.is_complete() {
                mark_uncertain(&mut v);
            }
            Ok((answer_text(format, &v)?, denied))
        };
        let answers = objects
            .chunks(BATCH)
            .flat_map(|batch| crate::parallel::map(batch, PARALLEL_FROM, &answer))
            .map(|answered| {
                let (text, denied) = answered?;
                if denied {
                    any_denied.set(true);
                }
                Ok(text)
            });
        write_answers(&mut out, format, answers)?;
    } else {
        let mut indeterminate = 0usize;
        let mut answered: Vec<Value> = Vec::with_capacity(objects.len());
        for (obj, origin) in objects {
            let obj = obj.into_value();
            let req = parse_review(&obj, &origin)?;
            let d = authz
                .decide(&model, &req.user, &req.attributes, Explain::default())
                .await;
            if d.outcome != Outcome::Allow {
                any_denied.set(true);
            }
            if d.outcome == Outcome::Indeterminate {
                indeterminate += 1;
            }
            answered.push(answer_review_chain(&d, obj));
        }
        if indeterminate > 0 {
            let _ = writeln!(
                std::io::stderr(),
                "error: {indeterminate} review(s) depend on an authorizer kubeaudit could not evaluate (see their status.evaluationError)"
            );
        }
        let texts = answered.iter().map(|v| answer_text(args.output, v));
        write_answers(&mut out, args.output, texts)?;
        if indeterminate > 0 {
            out.flush()?;
            return Ok(Exit::Error);
        }
    }
    out.flush()?;
    let any_denied = any_denied.get();
    if !model.is_complete() && any_denied && !global.allow_incomplete {
        let _ = writeln!(
            std::io::stderr(),
            "error: some denials rest on incomplete data; see the warnings above"
        );
        return Ok(Exit::Error);
    }
    Ok(if any_denied { Exit::No } else { Exit::Yes })
}

/// One answer as it is written: for JSON, pretty-printed as an item of the `List` (indented
/// two levels; a JSON string never holds a raw newline, so every newline is the printer's);
/// for YAML, one document.
fn answer_text(format: ReviewFormat, answer: &Value) -> std::io::Result<String> {
    match format {
        ReviewFormat::Json => {
            let text = serde_json::to_string_pretty(answer).map_err(std::io::Error::from)?;
            Ok(text.replace('\n', "\n    "))
        }
        ReviewFormat::Yaml => {
            let mut text = serde_saphyr::to_string(answer)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            Ok(text)
        }
    }
}

/// Writes the answers (each made by [`answer_text`]) as soon as they come: JSON as one `List`
/// exactly as a List value prints (fields in order, `[]` when empty), YAML as one document
/// each.
fn write_answers(
    out: &mut dyn Write,
    format: ReviewFormat,
    answers: impl Iterator<Item = std::io::Result<String>>,
) -> std::io::Result<()> {
    match format {
        ReviewFormat::Json => {
            out.write_all(b"{\n  \"apiVersion\": \"v1\",\n  \"items\": [")?;
            let mut any = false;
            for text in answers {
                out.write_all(if any { b",\n    " } else { b"\n    " })?;
                out.write_all(text?.as_bytes())?;
                any = true;
            }
            if any {
                out.write_all(b"\n  ")?;
            }
            out.write_all(b"],\n  \"kind\": \"List\",\n  \"metadata\": {}\n}\n")
        }
        ReviewFormat::Yaml => {
            for (i, text) in answers.enumerate() {
                if i > 0 {
                    writeln!(out, "---")?;
                }
                out.write_all(text?.as_bytes())?;
            }
            Ok(())
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The List is written exactly as serde_json prints the same List value.
    #[test]
    fn answers_are_written_as_the_list_value_prints() {
        let items = [
            json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                   "spec": {"groups": ["a", "b"], "resourceAttributes": {"verb": "get"}, "extra": {}},
                   "status": {"allowed": true, "reason": "line\nbreak \"quoted\""}}),
            json!({"kind": "SubjectAccessReview", "spec": {"groups": []}, "status": {"allowed": false}}),
        ];
        for n in 0..=items.len() {
            let list =
                json!({"apiVersion": "v1", "items": &items[..n], "kind": "List", "metadata": {}});
            let mut want = Vec::new();
            crate::output::write_json(&mut want, &list).unwrap();
            let mut got = Vec::new();
            let texts = items[..n]
                .iter()
                .map(|v| answer_text(ReviewFormat::Json, v));
            write_answers(&mut got, ReviewFormat::Json, texts).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }

    #[test]
    fn yaml_answers_are_documents() {
        let items = [json!({"kind": "A", "n": 1}), json!({"kind": "B", "s": "x"})];
        let mut want = Vec::new();
        for (i, v) in items.iter().enumerate() {
            if i > 0 {
                writeln!(want, "---").unwrap();
            }
            crate::output::write_yaml(&mut want, v).unwrap();
        }
        let mut got = Vec::new();
        let texts = items.iter().map(|v| answer_text(ReviewFormat::Yaml, v));
        write_answers(&mut got, ReviewFormat::Yaml, texts).unwrap();
        assert_eq!(got, want);
    }
}
