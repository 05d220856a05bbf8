//! Identities as the API server builds them: service-account usernames and the groups
//! added to an impersonated (or authenticated) user.

use super::attributes::UserInfo;

/// Added to every identity but `system:anonymous`.
pub const AUTHENTICATED: &str = "system:authenticated";
/// The group of anonymous requests.
pub const UNAUTHENTICATED: &str = "system:unauthenticated";
/// The anonymous user name.
pub const ANONYMOUS: &str = "system:anonymous";
/// Every service account is in this group.
pub const SERVICE_ACCOUNTS: &str = "system:serviceaccounts";
/// The username prefix of service accounts.
pub const SERVICE_ACCOUNT_PREFIX: &str = "system:serviceaccount:";

/// Splits `system:serviceaccount:NS:NAME` into (NS, NAME), as the API server does: exactly two
/// parts, a valid namespace (DNS-1123 label) and a valid name (DNS-1123 subdomain). Anything
/// else is an ordinary user name.
pub fn split_service_account_username(username: &str) -> Option<(&str, &str)> {
    let rest = username.strip_prefix(SERVICE_ACCOUNT_PREFIX)?;
    let mut parts = rest.split(':');
    let (ns, name) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_dns1123_label(ns) || !is_dns1123_subdomain(name) {
        return None;
    }
    Some((ns, name))
}

/// A DNS-1123 label: 1–63 lower-case alphanumerics or '-', starting and ending alphanumeric.
pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// A DNS-1123 subdomain: at most 253 characters of dot-separated labels.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

/// Why a user name that starts like a ServiceAccount's is not one
/// (`system:serviceaccount:shop`, no name): it is then an ordinary user, in no ServiceAccount
/// group, which is rarely what was meant.
pub fn service_account_username_problem(user: &str) -> Option<String> {
    let prefix = "system:serviceaccount:";
    (user.starts_with(prefix) && split_service_account_username(user).is_none()).then(|| {
        format!("not a ServiceAccount username ({prefix}NAMESPACE:NAME): asked as an ordinary user of that name, in no ServiceAccount group")
    })
}

/// The identity the API server builds for `--as USER --as-group G...` (legacy
/// impersonation): a service-account username without groups gets the service-account
/// groups; every identity but `system:anonymous` gets `system:authenticated` unless it
/// already has it or `system:unauthenticated`; `system:anonymous` gets
/// `system:unauthenticated`.
pub fn impersonated(user: &str, groups: &[String]) -> UserInfo {
    let mut out: Vec<String> = groups.to_vec();
    if out.is_empty() {
        if let Some((ns, _)) = split_service_account_username(user) {
            out.push(SERVICE_ACCOUNTS.to_string());
            out.push(format!("{SERVICE_ACCOUNTS}:{ns}"));
        }
    }
    let has = |g: &str| out.iter().any(|x| x == g);
    if user == ANONYMOUS {
        if !has(UNAUTHENTICATED) {
            out.push(UNAUTHENTICATED.to_string());
        }
    } else if !has(AUTHENTICATED) && !has(UNAUTHENTICATED) {
        out.push(AUTHENTICATED.to_string());
    }
    UserInfo {
        name: user.to_string(),
        groups: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_account_usernames() {
        assert_eq!(
            split_service_account_username("system:serviceaccount:foo:bar"),
            Some(("foo", "bar"))
        );
        for bad in [
            "foo",
            "system:serviceaccount:",
            "system:serviceaccount:foo",
            "system:serviceaccount:foo:",
            "system:serviceaccount::bar",
            "system:serviceaccount:foo:bar:baz",
            "system:serviceaccount:Foo:bar",
        ] {
            assert_eq!(split_service_account_username(bad), None, "{bad}");
        }
    }

    #[test]
    fn impersonation_groups() {
        let sa = impersonated("system:serviceaccount:shop:ci", &[]);
        assert_eq!(
            sa.groups,
            [
                "system:serviceaccounts",
                "system:serviceaccounts:shop",
                "system:authenticated"
            ]
        );
        let sa = impersonated("system:serviceaccount:shop:ci", &["g".into()]);
        assert_eq!(sa.groups, ["g", "system:authenticated"]);
        assert_eq!(impersonated("alice", &[]).groups, ["system:authenticated"]);
        assert_eq!(
            impersonated("system:anonymous", &[]).groups,
            ["system:unauthenticated"]
        );
        assert_eq!(
            impersonated("bob", &["system:unauthenticated".into()]).groups,
            ["system:unauthenticated"]
        );
    }
}
