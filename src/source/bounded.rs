//! Reading files the user names indirectly (credentials in a kubeconfig, the kubeconfig
//! itself) with a bound, so that `/dev/zero` or a FIFO is a clear error rather than gigabytes
//! of memory or a hang.

use std::io::{self, Read};
use std::path::Path;

/// The most bytes a credential file (certificate, key, CA bundle, token) may hold.
pub const CREDENTIAL_LIMIT: u64 = 16 << 20;
/// The most bytes one kubeconfig file may hold.
pub const KUBECONFIG_LIMIT: u64 = 64 << 20;

/// Reads at most `limit` bytes; more is an error naming the limit.
pub fn read_bounded(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} MiB", limit >> 20),
        ));
    }
    Ok(bytes)
}

/// Checks that a credential path is a regular file, without opening it (opening a FIFO
/// blocks until a writer comes).
pub fn check_credential(path: impl AsRef<Path>) -> io::Result<()> {
    check_regular(path, "not a regular file (a credential must be a file)")
}

fn check_regular(path: impl AsRef<Path>, message: &'static str) -> io::Result<()> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    }
    Ok(())
}

/// Reads a configuration file kube-apiserver would read (an ABAC policy, an
/// AuthorizationConfiguration): a regular file of at most [`KUBECONFIG_LIMIT`] bytes of UTF-8.
pub fn read_config(path: impl AsRef<Path>) -> io::Result<String> {
    check_regular(&path, "not a regular file")?;
    let bytes = read_bounded(std::fs::File::open(path)?, KUBECONFIG_LIMIT)?;
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Reads a credential file: a regular file of at most [`CREDENTIAL_LIMIT`] bytes.
pub fn read_credential(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    check_credential(&path)?;
    read_bounded(std::fs::File::open(path)?, CREDENTIAL_LIMIT)
}

/// Reads a kubeconfig file of at most [`KUBECONFIG_LIMIT`] bytes (a pipe is fine).
pub fn read_kubeconfig(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    read_bounded(std::fs::File::open(path)?, KUBECONFIG_LIMIT)
}

/// Text that starts with a UTF-16 byte-order mark, decoded (`None`: not UTF-16). One rule for
/// every input kubeaudit reads: kubeconfig files and manifests alike.
pub fn utf16_text(bytes: &[u8]) -> Option<Result<String, &'static str>> {
    let (body, big_endian) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, false),
        [0xFE, 0xFF, rest @ ..] => (rest, true),
        _ => return None,
    };
    if !body.len().is_multiple_of(2) {
        return Some(Err("odd number of bytes in UTF-16 text"));
    }
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        })
        .collect();
    Some(String::from_utf16(&units).map_err(|_| "invalid UTF-16"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_refused_or_bounded_without_reading_them_whole() {
        let e = read_credential("/dev/zero").unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        // A bound on bytes, whatever the source: 1 KiB of an endless stream.
        let e = read_bounded(std::io::repeat(0), 1024).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
        assert_eq!(read_bounded(&b"abc"[..], 3).unwrap(), b"abc");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_credential_is_refused_before_open() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let ok = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !ok.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        // Would block forever in open() if it were opened.
        let e = read_credential(&fifo).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }
}
