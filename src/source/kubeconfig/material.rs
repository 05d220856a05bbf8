//! Small readers for what a kubeconfig points at: `*-data` fields, PEM bundles, X.509 validity,
//! executables on `PATH`.

use std::{
    ffi::OsStr,
    fs, io,
    path::{Path, PathBuf},
};

use base64::Engine as _;
use x509_parser::pem::Pem;

/// Decodes a kubeconfig `*-data` field. Go's JSON decoder for `[]byte` uses standard base64 and
/// skips `\r` and `\n`, so a wrapped value is accepted too.
pub(crate) fn decode_data(value: &str) -> Result<Vec<u8>, String> {
    let compact: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| format!("invalid base64: {e}"))
}

/// The DER bytes of every `CERTIFICATE` block in a PEM bundle.
pub(crate) fn pem_certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::new();
    for block in Pem::iter_from_buffer(pem) {
        let block = block.map_err(|e| format!("invalid PEM: {e}"))?;
        if block.label == "CERTIFICATE" {
            out.push(block.contents);
        }
    }
    Ok(out)
}

/// `notAfter` of the first certificate in a PEM bundle, as Unix seconds.
pub(crate) fn first_certificate_not_after(pem: &[u8]) -> Result<i64, String> {
    let ders = pem_certificates(pem)?;
    let der = ders.first().ok_or("no CERTIFICATE block")?;
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| format!("invalid X.509 certificate: {e}"))?;
    Ok(cert.validity().not_after.timestamp())
}

/// Why an executable could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LookPathError {
    /// Nothing by that name.
    NotFound,
    /// A file exists but has no execute bit (or is a directory).
    NotExecutable(PathBuf),
}

/// Go's `exec.LookPath`: a name with a separator is checked as is; a bare name is searched in
/// `PATH` (an empty entry means the current directory).
pub(crate) fn look_path(command: &str, path_env: Option<&OsStr>) -> Result<PathBuf, LookPathError> {
    if command.contains('/') || (cfg!(windows) && command.contains('\\')) {
        let p = PathBuf::from(command);
        return match executable(&p) {
            Ok(true) => Ok(p),
            Ok(false) => Err(LookPathError::NotExecutable(p)),
            Err(_) => Err(LookPathError::NotFound),
        };
    }
    let mut non_executable = None;
    if let Some(path_env) = path_env {
        for dir in std::env::split_paths(path_env) {
            let dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            };
            for candidate in candidates(&dir, command) {
                match executable(&candidate) {
                    Ok(true) => return Ok(candidate),
                    Ok(false) => {
                        non_executable.get_or_insert(candidate);
                    }
                    Err(_) => {}
                }
            }
        }
    }
    Err(non_executable.map_or(LookPathError::NotFound, LookPathError::NotExecutable))
}

fn candidates(dir: &Path, command: &str) -> Vec<PathBuf> {
    if cfg!(windows) && Path::new(command).extension().is_none() {
        [".exe", ".cmd", ".bat", ".com"]
            .iter()
            .map(|ext| dir.join(format!("{command}{ext}")))
            .collect()
    } else {
        vec![dir.join(command)]
    }
}

/// `Ok(true)` for a regular file with an execute bit; `Ok(false)` if it exists but is not one.
fn executable(p: &Path) -> io::Result<bool> {
    let meta = fs::metadata(p)?;
    if meta.is_dir() {
        return Ok(false);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        Ok(true)
    }
}

/// RFC 3339 UTC timestamp for Unix seconds (proleptic Gregorian calendar).
pub(crate) fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(-86_400), "1969-12-31T00:00:00Z");
        assert_eq!(rfc3339(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn base64_like_go() {
        assert_eq!(decode_data("aGVs\nbG8=").unwrap(), b"hello");
        assert!(decode_data("aGVsbG8").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn look_path_like_go() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("plugin");
        fs::write(&exe, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
        let plain = dir.path().join("plain");
        fs::write(&plain, "").unwrap();
        let path =
            std::env::join_paths(["/nonexistent-dir", dir.path().to_str().unwrap()]).unwrap();
        assert_eq!(look_path("plugin", Some(&path)), Ok(exe.clone()));
        assert_eq!(
            look_path("plain", Some(&path)),
            Err(LookPathError::NotExecutable(plain.clone()))
        );
        assert_eq!(look_path("nope", Some(&path)), Err(LookPathError::NotFound));
        assert_eq!(look_path("plugin", None), Err(LookPathError::NotFound));
        assert_eq!(look_path(exe.to_str().unwrap(), None), Ok(exe));
        assert_eq!(
            look_path(plain.to_str().unwrap(), None),
            Err(LookPathError::NotExecutable(plain))
        );
    }
}
