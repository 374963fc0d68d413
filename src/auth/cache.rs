//! Server-to-Server OAuth tokens kept beyond one client: shared by every client of the
//! process with the same OAuth URL, account id, client id and secret (one slot per
//! credential set, found by a hash of them; the secret is never kept in clear in the
//! key), and, when a folder is configured, on disk between processes.
//!
//! On disk: one file per credential set, named by the hash, holding the token and when
//! it expires and should be refreshed; written atomically (a new file, mode 0600, renamed
//! over the old one) in a folder of mode 0700. A file that is corrupt, owned by another
//! user, not a regular file, or that its group or others may read or write is ignored;
//! one of ours is replaced by the next fetch. Nothing here ever reports the token: a
//! cache that cannot be read or written behaves as an empty one.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::secret::Secret;

/// Credential sets remembered by a process (the oldest is forgotten beyond this).
const SLOTS_KEPT: usize = 64;
/// The largest cache file read.
const FILE_LIMIT: u64 = 16 * 1024;

/// A credential set's identity: SHA-256 over the OAuth URL, account id, client id and
/// secret, each length-prefixed.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key([u8; 32]);

impl Key {
    pub fn new(oauth_url: &str, account_id: &str, client_id: &str, secret: &Secret) -> Key {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(b"zoomlive token cache v1\0");
        for part in [oauth_url, account_id, client_id, secret.expose()] {
            ctx.update(&(part.len() as u64).to_be_bytes());
            ctx.update(part.as_bytes());
        }
        let mut key = [0; 32];
        key.copy_from_slice(ctx.finish().as_ref());
        Key(key)
    }

    /// The hash in hex: the cache file's name.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The process-wide slot of `key`, made with `make` the first time.
pub(crate) fn slot<T: Send + Sync + 'static>(key: Key, make: impl FnOnce() -> T) -> Arc<T> {
    type Slots = Mutex<Vec<(Key, Arc<dyn std::any::Any + Send + Sync>)>>;
    static SLOTS: Slots = Mutex::new(Vec::new());
    let mut slots = SLOTS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, found)) = slots.iter().find(|(k, _)| *k == key)
        && let Ok(found) = found.clone().downcast::<T>()
    {
        return found;
    }
    let made = Arc::new(make());
    slots.retain(|(k, _)| *k != key);
    if slots.len() >= SLOTS_KEPT {
        slots.remove(0);
    }
    slots.push((key, made.clone()));
    made
}

/// A token read from or for the disk cache.
pub(crate) struct Stored {
    pub token: Secret,
    /// When Zoom stops accepting it.
    pub expires_at: SystemTime,
    /// When to fetch a new one instead ("shortly before expiry").
    pub refresh_at: SystemTime,
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The token cache folder the CLI uses by default: `$XDG_CACHE_HOME/zoomlive`,
/// `~/.cache/zoomlive`, or `%LOCALAPPDATA%\zoomlive` on Windows; `None` when the
/// environment names none.
pub fn default_dir() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if cfg!(windows) {
        return absolute("LOCALAPPDATA").map(|p| p.join("zoomlive"));
    }
    absolute("XDG_CACHE_HOME")
        .map(|p| p.join("zoomlive"))
        .or_else(|| absolute("HOME").map(|p| p.join(".cache").join("zoomlive")))
}

/// The disk cache in one folder.
#[derive(Clone, Debug)]
pub(crate) struct Disk {
    dir: PathBuf,
}

impl Disk {
    pub fn new(dir: PathBuf) -> Disk {
        Disk { dir }
    }

    fn file(&self, key: &Key) -> PathBuf {
        self.dir.join(format!("{}.token", key.hex()))
    }

    /// The folder, created (mode 0700) when missing; `None` when it is not ours or is
    /// open to others and cannot be closed.
    fn ready_dir(&self) -> Option<&Path> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
            let _ = fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.dir);
            let meta = fs::symlink_metadata(&self.dir).ok()?;
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            if !meta.is_dir() || meta.uid() != me {
                return None;
            }
            if meta.mode() & 0o077 != 0 {
                fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700)).ok()?;
            }
        }
        #[cfg(not(unix))]
        fs::create_dir_all(&self.dir).ok()?;
        Some(&self.dir)
    }

    /// Whether an existing file at `path` is ours to replace (or there is none).
    #[cfg(unix)]
    fn replaceable(path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        match fs::symlink_metadata(path) {
            // SAFETY: geteuid has no preconditions and cannot fail.
            Ok(meta) => meta.uid() == unsafe { libc::geteuid() },
            Err(_) => true,
        }
    }

    #[cfg(not(unix))]
    fn replaceable(_: &Path) -> bool {
        true
    }

    /// The token stored for `key`, when there is a usable one that is not yet due for
    /// refreshing.
    pub fn load(&self, key: &Key) -> Option<Stored> {
        let dir = self.ready_dir()?;
        let path = dir.join(format!("{}.token", key.hex()));
        let mut options = fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let file = options.open(&path).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() || meta.len() > FILE_LIMIT {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // SAFETY: geteuid has no preconditions and cannot fail.
            if meta.uid() != unsafe { libc::geteuid() } || meta.mode() & 0o077 != 0 {
                return None;
            }
        }
        let mut text = String::new();
        file.take(FILE_LIMIT).read_to_string(&mut text).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        let token = json.get("access_token")?.as_str()?;
        let expires_at = json.get("expires_at")?.as_u64()?;
        let refresh_at = json.get("refresh_at")?.as_u64()?;
        let now = unix(SystemTime::now());
        if super::credentials::check_token(token).is_err()
            || refresh_at > expires_at
            || now >= refresh_at
            || expires_at > now + 86_400
        {
            return None;
        }
        Some(Stored {
            token: Secret::new(token),
            expires_at: UNIX_EPOCH + Duration::from_secs(expires_at),
            refresh_at: UNIX_EPOCH + Duration::from_secs(refresh_at),
        })
    }

    /// Stores a token for `key`, atomically; failures leave the cache as it was.
    pub fn store(&self, key: &Key, stored: &Stored) {
        let Some(dir) = self.ready_dir() else { return };
        let path = self.file(key);
        if !Self::replaceable(&path) {
            return;
        }
        let text = serde_json::json!({
            "access_token": stored.token.expose(),
            "expires_at": unix(stored.expires_at),
            "refresh_at": unix(stored.refresh_at),
        })
        .to_string();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let temp = dir.join(format!(".{}.{}.{nanos}.tmp", key.hex(), std::process::id()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let Ok(mut file) = options.open(&temp) else {
            return;
        };
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        drop(file);
        if written.is_err() || fs::rename(&temp, &path).is_err() {
            let _ = fs::remove_file(&temp);
        }
    }

    /// Forgets the token stored for `key` (Zoom refused it).
    pub fn drop_token(&self, key: &Key) {
        let path = self.file(key);
        if self.ready_dir().is_some() && Self::replaceable(&path) {
            let _ = fs::remove_file(path);
        }
    }
}
