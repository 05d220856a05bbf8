//! CIDR blocks and `ipBlock` peers (`cidr` minus `except`).

use serde::{Serialize, Serializer};
use std::fmt;
use std::net::IpAddr;

/// An IPv4 or IPv6 CIDR block, stored as its network address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// The result of parsing a CIDR string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedCidr {
    /// The block.
    pub cidr: Cidr,
    /// False when the text had host bits set (e.g. `10.0.0.1/8`); the block is then the
    /// masked network, as the API server's sloppy parser reads it.
    pub canonical: bool,
}

fn mask_v4(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

fn mask_v6(prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(prefix))
    }
}

impl Cidr {
    /// Parses `ADDRESS/PREFIX`. A bare address is rejected: ipBlock needs a prefix length.
    pub fn parse(text: &str) -> Result<ParsedCidr, String> {
        let (addr, prefix) = text.split_once('/').ok_or_else(|| {
            format!("`{text}` is not a CIDR: expected ADDRESS/PREFIX, e.g. 10.0.0.0/8")
        })?;
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{text}` is not a CIDR: `{addr}` is not an IP address"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= max).ok_or_else(|| {
            format!("`{text}` is not a CIDR: prefix length must be a number from 0 to {max}")
        })?;
        let cidr = Cidr::new(addr, prefix);
        Ok(ParsedCidr {
            canonical: cidr.network == addr,
            cidr,
        })
    }

    /// The block of `prefix` leading bits of `addr` (host bits are cleared).
    /// `prefix` is clamped to the address family's width.
    pub fn new(addr: IpAddr, prefix: u8) -> Self {
        match addr {
            IpAddr::V4(a) => {
                let prefix = prefix.min(32);
                Cidr {
                    network: IpAddr::V4((u32::from(a) & mask_v4(prefix)).into()),
                    prefix,
                }
            }
            IpAddr::V6(a) => {
                let prefix = prefix.min(128);
                Cidr {
                    network: IpAddr::V6((u128::from(a) & mask_v6(prefix)).into()),
                    prefix,
                }
            }
        }
    }

    /// The network address.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// The prefix length.
    pub fn prefix_len(&self) -> u8 {
        self.prefix
    }

    /// Whether `ip` lies inside the block (always false across address families).
    pub fn contains(&self, ip: &IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => u32::from(*a) & mask_v4(self.prefix) == u32::from(n),
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                u128::from(*a) & mask_v6(self.prefix) == u128::from(n)
            }
            _ => false,
        }
    }

    /// Whether `other` is inside this block and strictly smaller (what `except` requires).
    pub fn strictly_contains(&self, other: &Cidr) -> bool {
        self.contains(&other.network) && other.prefix > self.prefix
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl Serialize for Cidr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An `ipBlock` peer: addresses in `cidr` that are in none of the `except` blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpBlock {
    /// The including block.
    pub cidr: Cidr,
    /// Excluded sub-blocks. `except` only narrows this peer; it is not a deny rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<Cidr>,
}

impl IpBlock {
    /// Whether `ip` belongs to the block.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        self.cidr.contains(ip) && !self.except.iter().any(|e| e.contains(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test ip")
    }

    #[test]
    fn parse_and_contains_v4() {
        let p = Cidr::parse("10.1.0.0/16").expect("valid");
        assert!(p.canonical);
        assert!(p.cidr.contains(&ip("10.1.255.3")));
        assert!(!p.cidr.contains(&ip("10.2.0.1")));
        assert!(!p.cidr.contains(&ip("::1")));
        let all = Cidr::parse("0.0.0.0/0").expect("valid").cidr;
        assert!(all.contains(&ip("203.0.113.9")));
        assert!(!all.contains(&ip("fd00::1")));
        let host = Cidr::parse("10.1.0.11/32").expect("valid").cidr;
        assert!(host.contains(&ip("10.1.0.11")));
        assert!(!host.contains(&ip("10.1.0.12")));
    }

    #[test]
    fn parse_v6_and_non_canonical() {
        let p = Cidr::parse("fd00::1/8").expect("valid");
        assert!(!p.canonical);
        assert_eq!(p.cidr.to_string(), "fd00::/8");
        assert!(p.cidr.contains(&ip("fd12::5")));
        let p = Cidr::parse("10.0.0.1/8").expect("valid");
        assert!(!p.canonical);
        assert_eq!(p.cidr.to_string(), "10.0.0.0/8");
    }

    #[test]
    fn parse_errors() {
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/8",
            "fd00::/129",
            "x/1",
            "10.0.0.0/-1",
            "",
        ] {
            assert!(Cidr::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn except_narrows_the_block() {
        let b = IpBlock {
            cidr: Cidr::parse("10.1.0.0/16").expect("valid").cidr,
            except: vec![Cidr::parse("10.1.0.11/32").expect("valid").cidr],
        };
        assert!(b.contains(&ip("10.1.0.10")));
        assert!(!b.contains(&ip("10.1.0.11")));
        assert!(!b.contains(&ip("10.2.0.11")));
    }

    #[test]
    fn strict_subset() {
        let big = Cidr::parse("10.0.0.0/8").expect("valid").cidr;
        let small = Cidr::parse("10.1.0.0/16").expect("valid").cidr;
        assert!(big.strictly_contains(&small));
        assert!(!big.strictly_contains(&big));
        assert!(!small.strictly_contains(&big));
        let v6 = Cidr::parse("fd00::/8").expect("valid").cidr;
        assert!(!big.strictly_contains(&v6));
    }
}
