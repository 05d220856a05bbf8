//! Where objects come from: kubeconfig contexts, live clusters, manifest files, stdin, snapshots.

pub mod bounded;
pub mod contexts;
pub mod json_list;
pub mod json_split;
pub mod kubeconfig;
pub mod live;
pub mod locate;
pub mod manifest;
pub mod snapshot;
pub mod webhook;
pub mod yaml_block;
pub mod yaml_json;
pub mod yaml_list;

/// A parser's message in the user's terms: advice the YAML library gives its own callers
/// ("set DuplicateKeyPolicy in Options", "use Option<String>") says what is wrong instead.
pub fn in_user_words(message: &str) -> String {
    let message = message
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(message);
    if let Some(rest) = message.strip_prefix("cannot deserialize null into ") {
        let expected = rest.split(';').next().unwrap_or(rest).trim();
        return format!(
            "null (or ~) where a {expected} is expected: write a value, or leave the entry out"
        );
    }
    message
        .split("; use Option<")
        .next()
        .unwrap_or(message)
        .to_string()
}
