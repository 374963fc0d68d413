//! Secrets the CLI reads: credentials from the environment or a token file, and the
//! stream key from the environment or a file (never from the command line).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use zoomlive::{Credentials, Error};

/// An environment variable; unset or empty is `None`, a value that is not UTF-8 is an
/// error naming the variable (never silently ignored, never shown).
pub(crate) fn env_var(name: &'static str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(value) if value.is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::InvalidInput {
            field: name,
            reason: "the environment variable is not valid UTF-8".into(),
        }),
    }
}

/// The largest token or stream key file read.
const SECRET_FILE_LIMIT: u64 = 64 * 1024;

/// The first line of a token or stream key file, without a UTF-8 BOM (Notepad writes
/// one), the line end or surrounding spaces. Only regular files of at most 64 KiB are
/// read (not a FIFO, directory or device); `-` is standard input when `stdin_dash`. A
/// file other users can read gets a warning on stderr. The value is never shown.
pub(crate) fn read_secret_file(
    path: &Path,
    field: &'static str,
    stdin_dash: bool,
) -> Result<String, Error> {
    let shown = path.display();
    let refuse = |reason: String| Error::InvalidInput { field, reason };
    let mut bytes = Vec::new();
    if stdin_dash && path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(SECRET_FILE_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(format!("standard input cannot be read: {e}")))?;
    } else {
        let meta =
            std::fs::metadata(path).map_err(|e| refuse(format!("{shown} cannot be read: {e}")))?;
        if !meta.is_file() {
            return Err(refuse(format!("{shown} is not a regular file")));
        }
        if meta.len() > SECRET_FILE_LIMIT {
            return Err(refuse(format!("{shown} is larger than 64 KiB")));
        }
        warn_if_readable_by_others(path, &meta);
        std::fs::File::open(path)
            .and_then(|f| f.take(SECRET_FILE_LIMIT + 1).read_to_end(&mut bytes))
            .map_err(|e| refuse(format!("{shown} cannot be read: {e}")))?;
    }
    if bytes.len() as u64 > SECRET_FILE_LIMIT {
        return Err(refuse(format!("{shown} is larger than 64 KiB")));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| refuse(format!("{shown} is not valid UTF-8")))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let value = text.lines().next().unwrap_or("").trim();
    if value.is_empty() {
        return Err(refuse(format!("{shown} is empty")));
    }
    Ok(value.to_owned())
}

/// Warns (stderr) when a secret's file is readable by its group or by everyone.
#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path, meta: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    if meta.permissions().mode() & 0o044 != 0 {
        let _ = writeln!(
            std::io::stderr(),
            "zoomlive: warning: {} is readable by other users; chmod 600 it",
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path, _: &std::fs::Metadata) {}

pub(crate) fn credentials(token_file: Option<&PathBuf>) -> Result<Credentials, Error> {
    // All read first: a variable that is not UTF-8 is an error even when another wins.
    let token = env_var("ZOOM_ACCESS_TOKEN")?;
    let s2s = (
        env_var("ZOOM_ACCOUNT_ID")?,
        env_var("ZOOM_CLIENT_ID")?,
        env_var("ZOOM_CLIENT_SECRET")?,
    );
    if let Some(token) = token {
        return Credentials::access_token(token.trim());
    }
    if let Some(path) = token_file {
        return Credentials::access_token(&read_secret_file(path, "token_file", false)?);
    }
    match s2s {
        (Some(a), Some(c), Some(s)) => Credentials::server_to_server(&a, &c, &s),
        _ => Err(Error::InvalidInput {
            field: "credentials",
            reason: "none found: set ZOOM_ACCESS_TOKEN, or --token-file, or ZOOM_ACCOUNT_ID, \
                     ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET"
                .into(),
        }),
    }
}

/// The stream key: `--stream-key-file` (`-`: standard input), else `ZOOM_STREAM_KEY`.
pub(crate) fn stream_key(file: Option<&PathBuf>) -> Result<String, Error> {
    if let Some(path) = file {
        return read_secret_file(path, "stream_key_file", true);
    }
    env_var("ZOOM_STREAM_KEY")?.ok_or_else(|| Error::InvalidInput {
        field: "stream_key",
        reason: "missing: set ZOOM_STREAM_KEY or pass --stream-key-file PATH \
                 (- reads it from standard input)"
            .into(),
    })
}

/// The proxy password: `--proxy-password-file` (`-`: standard input), else
/// `ZOOMLIVE_PROXY_PASSWORD`, else empty. Never from the command line.
pub(crate) fn proxy_password(file: Option<&PathBuf>) -> Result<String, Error> {
    if let Some(path) = file {
        return read_secret_file(path, "proxy_password_file", true);
    }
    Ok(env_var("ZOOMLIVE_PROXY_PASSWORD")?.unwrap_or_default())
}
