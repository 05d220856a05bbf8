//! `--request-timeout` parsing, as kubectl does it (client-go `clientcmd.ParseTimeout`).
//!
//! A plain non-negative integer is seconds; anything else must be a Go duration
//! (`time.ParseDuration`: `1h30m`, `1.5s`, `300ms`, ...). Zero (or a negative duration, which
//! Go's HTTP client also ignores) means no timeout.

use std::time::Duration;

use super::KubeconfigError;

/// Parses a `--request-timeout` value. `Ok(None)` means "no timeout".
pub fn parse_request_timeout(value: &str) -> Result<Option<Duration>, KubeconfigError> {
    let invalid = || KubeconfigError::InvalidTimeout {
        value: value.to_string(),
    };
    if let Ok(secs) = value.parse::<i64>() {
        if secs >= 0 {
            // Go multiplies in int64 nanoseconds; larger values overflow there, so refuse them.
            let nanos = i128::from(secs) * 1_000_000_000;
            if nanos > i128::from(i64::MAX) {
                return Err(invalid());
            }
            return Ok((secs > 0).then(|| Duration::from_secs(secs as u64)));
        }
    }
    let nanos = parse_go_duration(value).ok_or_else(invalid)?;
    Ok((nanos > 0).then(|| Duration::from_nanos(nanos as u64)))
}

/// Go's `time.ParseDuration`, in nanoseconds; `None` where Go returns an error.
pub(crate) fn parse_go_duration(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        // Integer part.
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &rest[..int_len];
        rest = &rest[int_len..];
        // Fraction.
        let mut frac_part = "";
        if let Some(after_dot) = rest.strip_prefix('.') {
            let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &after_dot[..frac_len];
            rest = &after_dot[frac_len..];
            if int_part.is_empty() && frac_part.is_empty() {
                return None;
            }
        } else if int_part.is_empty() {
            return None;
        }
        // Unit.
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        if unit_len == 0 {
            return None; // missing unit
        }
        let unit: u128 = match &rest[..unit_len] {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        rest = &rest[unit_len..];
        let int_val: u128 = if int_part.is_empty() {
            0
        } else {
            // Leading zeros are fine; overflow is checked below on the total.
            int_part.parse().ok().filter(|v: &u128| *v <= 1 << 63)?
        };
        let mut value = int_val.checked_mul(unit)?;
        if !frac_part.is_empty() {
            // Go truncates the fractional contribution toward zero.
            let digits = frac_part.len().min(30) as u32;
            let frac: u128 = frac_part[..digits as usize].parse().ok()?;
            value += frac * unit / 10u128.pow(digits);
        }
        total = total.checked_add(value)?;
        if total > 1 << 63 {
            return None;
        }
    }
    if neg {
        Some(-(total as i128) as i64)
    } else if total > i64::MAX as u128 {
        None
    } else {
        Some(total as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_timeouts() {
        assert_eq!(parse_request_timeout("0").unwrap(), None);
        assert_eq!(
            parse_request_timeout("30").unwrap(),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_request_timeout("30s").unwrap(),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_request_timeout("1m").unwrap(),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_request_timeout("1h30m").unwrap(),
            Some(Duration::from_secs(5400))
        );
        assert_eq!(
            parse_request_timeout("1.5s").unwrap(),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_request_timeout("250ms").unwrap(),
            Some(Duration::from_millis(250))
        );
        assert_eq!(parse_request_timeout("0s").unwrap(), None);
        assert_eq!(parse_request_timeout("-1s").unwrap(), None);
        for bad in [
            "",
            "-5",
            "5x",
            "s",
            "1.s5",
            "abc",
            ".s",
            "1 s",
            "9223372037",
        ] {
            assert!(
                parse_request_timeout(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("1.s"), Some(1_000_000_000));
        assert_eq!(parse_go_duration(".5s"), Some(500_000_000));
        assert_eq!(parse_go_duration("1µs"), Some(1_000));
        assert_eq!(parse_go_duration("+2h"), Some(7_200_000_000_000));
        assert_eq!(parse_go_duration("-0"), Some(0));
        assert_eq!(
            parse_go_duration("2562047h47m16.854775807s"),
            Some(i64::MAX)
        );
        assert_eq!(parse_go_duration("2562047h47m16.854775808s"), None);
        assert_eq!(
            parse_go_duration("-2562047h47m16.854775808s"),
            Some(i64::MIN)
        );
    }
}
