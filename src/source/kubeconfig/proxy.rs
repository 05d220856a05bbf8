//! Proxy choice for the API server connection, as client-go makes it.
//!
//! * A cluster's `proxy-url` is used for every request, whatever `NO_PROXY` says
//!   (`http.ProxyURL` in client-go).
//! * Otherwise Go's `http.ProxyFromEnvironment`: `HTTPS_PROXY` for `https://` servers,
//!   `HTTP_PROXY` for `http://` servers, never for `localhost` or loopback addresses, and not for
//!   hosts matched by `NO_PROXY`.
//!
//! kube 5 is not used for this: its `ConfigLoader::proxy_url` reads the process environment,
//! only knows `HTTPS_PROXY`, and matches `NO_PROXY` against the *proxy's* URI rather than the API
//! server's (kube-client 5.0.0 `config/file_loader.rs`), so an API server listed in `NO_PROXY`
//! would still be proxied. It also rejects `NO_PROXY` values Go accepts (a trailing comma) and
//! requires a port match for entries without a port. The rules below are Go's
//! (`golang.org/x/net/http/httpproxy`), minus IDNA conversion of non-ASCII host names.

use std::net::IpAddr;

use super::{env::redact_userinfo, KubeEnv, KubeconfigError};

/// Where a proxy URL came from, for error messages.
fn invalid(origin: &str, url: &str, reason: impl Into<String>) -> KubeconfigError {
    KubeconfigError::InvalidProxy {
        origin: origin.to_string(),
        url: redact_userinfo(url),
        reason: reason.into(),
    }
}

/// The proxy to use for `server`, or `None` for a direct connection.
pub(crate) fn proxy_for(
    server: &http::Uri,
    cluster_name: &str,
    cluster_proxy_url: Option<&str>,
    env: &KubeEnv,
) -> Result<Option<http::Uri>, KubeconfigError> {
    if let Some(url) = cluster_proxy_url {
        let origin = format!("proxy-url of cluster {cluster_name:?}");
        // client-go's parseProxyURL: a real URL with one of the supported schemes.
        let uri: http::Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| invalid(&origin, url, e.to_string()))?;
        check_scheme(&uri, &origin, url)?;
        return Ok(Some(uri));
    }
    let (origin, value) = match server.scheme_str() {
        Some("https") => ("HTTPS_PROXY", env.https_proxy.as_deref()),
        Some("http") => ("HTTP_PROXY", env.http_proxy.as_deref()),
        _ => return Ok(None),
    };
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let proxy = parse_env_proxy(value).ok_or_else(|| invalid(origin, value, "not a URL"))?;
    check_scheme(&proxy, origin, value)?;
    let no_proxy = NoProxy::parse(env.no_proxy.as_deref().unwrap_or(""));
    if no_proxy.use_proxy(server) {
        Ok(Some(proxy))
    } else {
        Ok(None)
    }
}

fn check_scheme(uri: &http::Uri, origin: &str, raw: &str) -> Result<(), KubeconfigError> {
    match uri.scheme_str() {
        Some("http" | "https" | "socks5") if uri.host().is_some() => Ok(()),
        Some("http" | "https" | "socks5") => Err(invalid(origin, raw, "no host")),
        Some(other) => Err(invalid(
            origin,
            raw,
            format!("unsupported scheme {other:?}, must be http, https, or socks5"),
        )),
        None => Err(invalid(origin, raw, "no scheme")),
    }
}

/// Go's `parseProxy`: a value without scheme or host is retried with `http://` in front.
fn parse_env_proxy(value: &str) -> Option<http::Uri> {
    match value.parse::<http::Uri>() {
        Ok(u) if u.scheme().is_some() && u.host().is_some() => Some(u),
        _ => format!("http://{value}").parse().ok(),
    }
}

/// A parsed `NO_PROXY` value.
#[derive(Debug, Default)]
pub(crate) struct NoProxy {
    all: bool,
    ips: Vec<IpRule>,
    domains: Vec<DomainRule>,
}

#[derive(Debug)]
enum IpRule {
    Cidr { net: IpAddr, prefix: u8 },
    Ip { ip: IpAddr, port: String },
}

#[derive(Debug)]
struct DomainRule {
    /// Always with a leading dot.
    suffix: String,
    port: String,
    /// `foo.com` (no leading dot) also matches `foo.com` itself.
    match_host: bool,
}

impl NoProxy {
    /// Parses a comma-separated `NO_PROXY` list; malformed entries are ignored, as in Go.
    pub(crate) fn parse(value: &str) -> Self {
        let mut np = NoProxy::default();
        for raw in value.split(',') {
            let p = raw.trim().to_lowercase();
            if p.is_empty() {
                continue;
            }
            if p == "*" {
                return NoProxy {
                    all: true,
                    ..NoProxy::default()
                };
            }
            if let Some(rule) = parse_cidr(&p) {
                np.ips.push(rule);
                continue;
            }
            let (mut host, port) = match split_host_port(&p) {
                Some((h, port)) => {
                    if h.is_empty() {
                        continue;
                    }
                    (h.to_string(), port.to_string())
                }
                None => (p.clone(), String::new()),
            };
            if host.len() >= 2 && host.starts_with('[') && host.ends_with(']') {
                host = host[1..host.len() - 1].to_string();
            }
            if let Ok(ip) = host.parse::<IpAddr>() {
                np.ips.push(IpRule::Ip { ip, port });
                continue;
            }
            if host.is_empty() {
                continue;
            }
            if let Some(stripped) = host.strip_prefix("*.") {
                host = format!(".{stripped}");
            }
            let match_host = !host.starts_with('.');
            let suffix = if match_host { format!(".{host}") } else { host };
            np.domains.push(DomainRule {
                suffix,
                port,
                match_host,
            });
        }
        np
    }

    /// Go's `useProxy` for the server's canonical address.
    pub(crate) fn use_proxy(&self, server: &http::Uri) -> bool {
        let Some(raw_host) = server.host() else {
            return true;
        };
        let host = raw_host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(raw_host);
        let port = server
            .port_u16()
            .or(match server.scheme_str() {
                Some("https") => Some(443),
                Some("http") => Some(80),
                _ => None,
            })
            .map(|p| p.to_string())
            .unwrap_or_default();
        if host == "localhost" {
            return false;
        }
        let ip = host.parse::<IpAddr>().ok();
        if ip.is_some_and(|ip| ip.is_loopback()) {
            return false;
        }
        if self.all {
            return false;
        }
        let host = host.trim().to_lowercase();
        if let Some(ip) = ip {
            for rule in &self.ips {
                let hit = match rule {
                    IpRule::Cidr { net, prefix } => cidr_contains(*net, *prefix, ip),
                    IpRule::Ip { ip: want, port: p } => *want == ip && (p.is_empty() || *p == port),
                };
                if hit {
                    return false;
                }
            }
        }
        for d in &self.domains {
            let hit = host.ends_with(&d.suffix) || (d.match_host && host == d.suffix[1..]);
            if hit && (d.port.is_empty() || d.port == port) {
                return false;
            }
        }
        true
    }
}

fn parse_cidr(p: &str) -> Option<IpRule> {
    let (addr, bits) = p.split_once('/')?;
    let net: IpAddr = addr.parse().ok()?;
    let prefix: u8 = bits.parse().ok()?;
    let max = if net.is_ipv4() { 32 } else { 128 };
    (prefix <= max).then_some(IpRule::Cidr { net, prefix })
}

fn cidr_contains(net: IpAddr, prefix: u8, ip: IpAddr) -> bool {
    // Go's net.IPNet.Contains also matches IPv4 addresses written as IPv4-mapped IPv6.
    let (net, ip) = match (net, ip) {
        (IpAddr::V4(n), IpAddr::V6(i)) => match i.to_ipv4_mapped() {
            Some(i) => (IpAddr::V4(n), IpAddr::V4(i)),
            None => return false,
        },
        other => other,
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix))
            };
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix))
            };
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

/// Go's `net.SplitHostPort`, returning `None` where Go returns an error.
fn split_host_port(s: &str) -> Option<(&str, &str)> {
    if let Some(rest) = s.strip_prefix('[') {
        let end = rest.find(']')?;
        let after = &rest[end + 1..];
        let port = after.strip_prefix(':')?;
        if port.contains([':', '[', ']']) {
            return None;
        }
        return Some((&rest[..end], port));
    }
    let colon = s.rfind(':')?;
    let (host, port) = (&s[..colon], &s[colon + 1..]);
    if host.contains([':', '[', ']']) || port.contains(['[', ']']) {
        return None;
    }
    Some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(no_proxy: &str, server: &str) -> bool {
        NoProxy::parse(no_proxy).use_proxy(&server.parse().unwrap())
    }

    #[test]
    fn go_no_proxy_rules() {
        // Bare domain: itself and subdomains, any port.
        assert!(!uses("example.com", "https://example.com:6443"));
        assert!(!uses("example.com", "https://api.example.com"));
        assert!(uses("example.com", "https://notexample.com"));
        // Leading dot / "*.": subdomains only.
        assert!(uses(".example.com", "https://example.com"));
        assert!(!uses(".example.com", "https://a.example.com"));
        assert!(!uses("*.example.com", "https://a.example.com"));
        // Ports must match when given; default port from the scheme.
        assert!(!uses("example.com:443", "https://example.com"));
        assert!(uses("example.com:443", "https://example.com:6443"));
        // IPs, CIDRs, IPv6.
        assert!(!uses("10.0.0.0/8", "https://10.1.2.3:6443"));
        assert!(uses("10.0.0.0/8", "https://11.1.2.3:6443"));
        assert!(!uses("192.168.1.5", "https://192.168.1.5:6443"));
        assert!(uses("192.168.1.5:443", "https://192.168.1.5:6443"));
        assert!(!uses("fd00::/8", "https://[fd00::1]:6443"));
        assert!(!uses("[fd00::1]:6443", "https://[fd00::1]:6443"));
        // Wildcard, case, whitespace and empty entries.
        assert!(!uses("*", "https://anything"));
        assert!(!uses(" Example.COM , ,", "https://API.example.com"));
        assert!(uses("", "https://example.com"));
        // Loopback and localhost are never proxied.
        assert!(!uses("", "https://localhost:6443"));
        assert!(!uses("", "https://127.0.0.2:6443"));
        assert!(!uses("", "https://[::1]:6443"));
    }

    fn env(https: Option<&str>, http: Option<&str>, no: Option<&str>) -> KubeEnv {
        KubeEnv {
            https_proxy: https.map(String::from),
            http_proxy: http.map(String::from),
            no_proxy: no.map(String::from),
            ..KubeEnv::default()
        }
    }

    #[test]
    fn scheme_picks_the_variable() {
        let e = env(Some("proxy.corp:3128"), Some("http://plain:8080"), None);
        let https: http::Uri = "https://k8s.corp:6443".parse().unwrap();
        let http_srv: http::Uri = "http://k8s.corp:8080".parse().unwrap();
        assert_eq!(
            proxy_for(&https, "c", None, &e)
                .unwrap()
                .unwrap()
                .to_string(),
            "http://proxy.corp:3128/"
        );
        assert_eq!(
            proxy_for(&http_srv, "c", None, &e)
                .unwrap()
                .unwrap()
                .to_string(),
            "http://plain:8080/"
        );
        let e = env(None, Some("http://plain:8080"), None);
        assert!(proxy_for(&https, "c", None, &e).unwrap().is_none());
    }

    #[test]
    fn cluster_proxy_url_ignores_no_proxy() {
        let e = env(None, None, Some("*"));
        let srv: http::Uri = "https://k8s.corp".parse().unwrap();
        let p = proxy_for(&srv, "c", Some("socks5://gw:1080"), &e).unwrap();
        assert_eq!(p.unwrap().to_string(), "socks5://gw:1080/");
        let err = proxy_for(&srv, "c", Some("ftp://u:pw@gw"), &e).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("unsupported scheme") && !msg.contains("pw"),
            "{msg}"
        );
    }
}
