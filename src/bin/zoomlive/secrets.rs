//! Secrets the CLI reads: credentials from the environment, a token file or a client
//! secret file, and the stream key from the environment or a file (never from the
//! command line). Every secret file may be `-`, standard input, so that a secret can be
//! piped in (`vault read ... | zoomlive --token-file - ...`) without touching the disk,
//! the command line or the environment; standard input can be read once, so only one
//! secret per run can come from it.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// The largest secret read, from a file or from standard input.
const SECRET_FILE_LIMIT: u64 = 64 * 1024;

/// A secret file the CLI reads: the option (or variable) that names it, for messages,
/// and the error's field.
#[derive(Clone, Copy)]
struct SecretFile {
    option: &'static str,
    field: &'static str,
}

const TOKEN_FILE: SecretFile = SecretFile {
    option: "--token-file",
    field: "token_file",
};
const CLIENT_SECRET_FILE: SecretFile = SecretFile {
    option: "ZOOM_CLIENT_SECRET_FILE",
    field: "client_secret_file",
};
const STREAM_KEY_FILE: SecretFile = SecretFile {
    option: "--stream-key-file",
    field: "stream_key_file",
};
const PROXY_PASSWORD_FILE: SecretFile = SecretFile {
    option: "--proxy-password-file",
    field: "proxy_password_file",
};

/// The secret file that named standard input first in this run.
static STDIN_TAKEN_BY: Mutex<Option<&'static str>> = Mutex::new(None);

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Notes that `which` names standard input; refused when another secret file did.
/// Called for every `-` given, whether or not that secret ends up being read, so two
/// `-` are refused however the credentials are chosen.
fn claim_stdin(which: SecretFile) -> Result<(), Error> {
    let mut taken = STDIN_TAKEN_BY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match *taken {
        Some(first) if first != which.option => Err(Error::InvalidInput {
            field: which.field,
            reason: format!(
                "{} and {first} both name standard input (-); only one secret can be read \
                 from it in one run: give the other as a file or a variable",
                which.option
            ),
        }),
        _ => {
            *taken = Some(which.option);
            Ok(())
        }
    }
}

/// The first line of a secret file, without a UTF-8 BOM (Notepad writes one), the line
/// end or surrounding spaces. Only regular files of at most 64 KiB are read (not a FIFO,
/// directory or device), or `-`: standard input, under the same limits (a pipe; a
/// terminal is refused, as the secret would be echoed and the read would wait). A file
/// other users can read gets a warning on stderr. The value is never shown.
fn read_secret_file(path: &Path, which: SecretFile) -> Result<String, Error> {
    let field = which.field;
    let refuse = |reason: String| Error::InvalidInput { field, reason };
    let mut bytes = Vec::new();
    let shown = if is_stdin(path) {
        claim_stdin(which)?;
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Err(refuse(format!(
                "{} - reads the secret from standard input, which is a terminal here: pipe \
                 it in (for example: vault read ... | zoomlive {} - ...)",
                which.option, which.option
            )));
        }
        stdin
            .lock()
            .take(SECRET_FILE_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(format!("standard input cannot be read: {e}")))?;
        "standard input".to_owned()
    } else {
        let shown = path.display().to_string();
        let meta =
            std::fs::metadata(path).map_err(|e| refuse(format!("{shown} cannot be read: {e}")))?;
        if !meta.is_file() {
            return Err(refuse(format!(
                "{shown} is not a regular file (to read a pipe, give - for standard input)"
            )));
        }
        if meta.len() > SECRET_FILE_LIMIT {
            return Err(refuse(format!("{shown} is larger than 64 KiB")));
        }
        warn_if_readable_by_others(path, &meta);
        std::fs::File::open(path)
            .and_then(|f| f.take(SECRET_FILE_LIMIT + 1).read_to_end(&mut bytes))
            .map_err(|e| refuse(format!("{shown} cannot be read: {e}")))?;
        shown
    };
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
    use std::io::Write;
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

/// The credentials: `ZOOM_ACCESS_TOKEN`, else the token file, else Server-to-Server
/// OAuth from `ZOOM_ACCOUNT_ID`, `ZOOM_CLIENT_ID` and the client secret, which is read
/// from the file `ZOOM_CLIENT_SECRET_FILE` names (`-`: standard input) or else taken
/// from `ZOOM_CLIENT_SECRET`.
pub(crate) fn credentials(token_file: Option<&PathBuf>) -> Result<Credentials, Error> {
    // All read first: a variable that is not UTF-8 is an error even when another wins.
    let token = env_var("ZOOM_ACCESS_TOKEN")?;
    let s2s = (
        env_var("ZOOM_ACCOUNT_ID")?,
        env_var("ZOOM_CLIENT_ID")?,
        env_var("ZOOM_CLIENT_SECRET")?,
    );
    let secret_file = env_var("ZOOM_CLIENT_SECRET_FILE")?.map(PathBuf::from);
    // Two secrets from standard input are refused whichever one would be used.
    for (path, which) in [
        (token_file, TOKEN_FILE),
        (secret_file.as_ref(), CLIENT_SECRET_FILE),
    ] {
        if path.is_some_and(|p| is_stdin(p)) {
            claim_stdin(which)?;
        }
    }
    if let Some(token) = token {
        return Credentials::access_token(token.trim());
    }
    if let Some(path) = token_file {
        return Credentials::access_token(&read_secret_file(path, TOKEN_FILE)?);
    }
    match (s2s, secret_file) {
        ((Some(a), Some(c), _), Some(path)) => {
            Credentials::server_to_server(&a, &c, &read_secret_file(&path, CLIENT_SECRET_FILE)?)
        }
        ((Some(a), Some(c), Some(s)), None) => Credentials::server_to_server(&a, &c, &s),
        _ => Err(Error::InvalidInput {
            field: "credentials",
            reason: "none found: set ZOOM_ACCESS_TOKEN, or --token-file, or ZOOM_ACCOUNT_ID, \
                     ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (or ZOOM_CLIENT_SECRET_FILE)"
                .into(),
        }),
    }
}

/// The stream key: `--stream-key-file` (`-`: standard input), else `ZOOM_STREAM_KEY`.
pub(crate) fn stream_key(file: Option<&PathBuf>) -> Result<String, Error> {
    if let Some(path) = file {
        return read_secret_file(path, STREAM_KEY_FILE);
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
        return read_secret_file(path, PROXY_PASSWORD_FILE);
    }
    Ok(env_var("ZOOMLIVE_PROXY_PASSWORD")?.unwrap_or_default())
}
