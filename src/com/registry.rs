//! Registration: one table of keys that `register` writes and `unregister` removes,
//! machine-wide (HKLM, `regsvr32`) or for the current user (HKCU, `regsvr32 /n /i:user`).
//!
//! The CLSID key lives in the registry view of the DLL's bitness (the 32-bit DLL's in
//! WOW6432Node on 64-bit Windows); the ProgID keys are shared by both views, so
//! unregistering one bitness removes them only when the other view has no registration.

use windows::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_SUCCESS, HMODULE, WIN32_ERROR};
use windows::Win32::System::LibraryLoader::{
    GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
    GetModuleFileNameW, GetModuleHandleExW,
};
use windows::Win32::System::Registry::{
    HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_ALL_ACCESS, KEY_READ, KEY_WOW64_32KEY,
    KEY_WOW64_64KEY, REG_OPTION_NON_VOLATILE, REG_SAM_FLAGS, REG_SZ, RegCloseKey, RegCreateKeyExW,
    RegDeleteTreeW, RegOpenKeyExW, RegSetValueExW,
};
use windows_core::{GUID, HRESULT, HSTRING, PCWSTR};

/// The class id of `ZoomLive.Client`: fixed forever.
pub(super) const CLSID: GUID = GUID::from_u128(0x32814ce1_f38d_41c6_8a02_098b52c9d1da);
const CLSID_TEXT: &str = "{32814CE1-F38D-41C6-8A02-098B52C9D1DA}";
const PROGID: &str = "ZoomLive.Client";
const PROGID_VERSIONED: &str = "ZoomLive.Client.1";
const DESCRIPTION: &str = "ZoomLive Client";
const THREADING_MODEL: &str = "Both";

/// A value of a key: the default value when `name` is "".
enum Data {
    Text(&'static str),
    /// The full path of this DLL.
    ModulePath,
}

struct Key {
    /// Below `Software\Classes`.
    path: &'static str,
    values: &'static [(&'static str, Data)],
}

/// Keys in the DLL's own registry view.
const CLASS_KEYS: &[Key] = &[
    Key {
        path: "CLSID\\{32814CE1-F38D-41C6-8A02-098B52C9D1DA}",
        values: &[("", Data::Text(DESCRIPTION))],
    },
    Key {
        path: "CLSID\\{32814CE1-F38D-41C6-8A02-098B52C9D1DA}\\InprocServer32",
        values: &[
            ("", Data::ModulePath),
            ("ThreadingModel", Data::Text(THREADING_MODEL)),
        ],
    },
    Key {
        path: "CLSID\\{32814CE1-F38D-41C6-8A02-098B52C9D1DA}\\ProgID",
        values: &[("", Data::Text(PROGID_VERSIONED))],
    },
    Key {
        path: "CLSID\\{32814CE1-F38D-41C6-8A02-098B52C9D1DA}\\VersionIndependentProgID",
        values: &[("", Data::Text(PROGID))],
    },
];

/// Keys shared by both views.
const PROGID_KEYS: &[Key] = &[
    Key {
        path: PROGID,
        values: &[("", Data::Text(DESCRIPTION))],
    },
    Key {
        path: "ZoomLive.Client\\CLSID",
        values: &[("", Data::Text(CLSID_TEXT))],
    },
    Key {
        path: "ZoomLive.Client\\CurVer",
        values: &[("", Data::Text(PROGID_VERSIONED))],
    },
    Key {
        path: PROGID_VERSIONED,
        values: &[("", Data::Text(DESCRIPTION))],
    },
    Key {
        path: "ZoomLive.Client.1\\CLSID",
        values: &[("", Data::Text(CLSID_TEXT))],
    },
];

/// The trees unregistration removes (the CLSID one always, the ProgID ones when unused).
const CLASS_ROOT: &str = "CLSID\\{32814CE1-F38D-41C6-8A02-098B52C9D1DA}";
const PROGID_ROOTS: &[&str] = &[PROGID, PROGID_VERSIONED];
const IN_OTHER_VIEW: &str = "CLSID\\{32814CE1-F38D-41C6-8A02-098B52C9D1DA}\\InprocServer32";

/// Where a registration goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scope {
    /// HKLM\Software\Classes: every user (needs an administrator).
    Machine,
    /// HKCU\Software\Classes: the current user only.
    User,
}

impl Scope {
    fn hive(self) -> HKEY {
        match self {
            Scope::Machine => HKEY_LOCAL_MACHINE,
            Scope::User => HKEY_CURRENT_USER,
        }
    }
}

#[cfg(target_pointer_width = "64")]
const VIEWS: (REG_SAM_FLAGS, REG_SAM_FLAGS) = (KEY_WOW64_64KEY, KEY_WOW64_32KEY);
#[cfg(not(target_pointer_width = "64"))]
const VIEWS: (REG_SAM_FLAGS, REG_SAM_FLAGS) = (KEY_WOW64_32KEY, KEY_WOW64_64KEY);
const OWN_VIEW: REG_SAM_FLAGS = VIEWS.0;
const OTHER_VIEW: REG_SAM_FLAGS = VIEWS.1;

fn classes(path: &str) -> HSTRING {
    HSTRING::from(format!("Software\\Classes\\{path}"))
}

fn check(err: WIN32_ERROR) -> Result<(), HRESULT> {
    if err == ERROR_SUCCESS {
        Ok(())
    } else {
        Err(HRESULT::from_win32(err.0))
    }
}

/// An open registry key, closed when dropped.
struct Open(HKEY);

impl Drop for Open {
    fn drop(&mut self) {
        // SAFETY: a key this module opened, closed once.
        unsafe {
            let _ = RegCloseKey(self.0);
        }
    }
}

fn create(scope: Scope, path: &str) -> Result<Open, HRESULT> {
    let mut key = HKEY::default();
    // SAFETY: valid strings; `key` receives the handle.
    check(unsafe {
        RegCreateKeyExW(
            scope.hive(),
            &classes(path),
            None,
            PCWSTR::null(),
            REG_OPTION_NON_VOLATILE,
            KEY_ALL_ACCESS | OWN_VIEW,
            None,
            &mut key,
            None,
        )
    })?;
    Ok(Open(key))
}

fn open(scope: Scope, path: &str, access: REG_SAM_FLAGS) -> Result<Option<Open>, HRESULT> {
    let mut key = HKEY::default();
    // SAFETY: valid strings; `key` receives the handle.
    match unsafe { RegOpenKeyExW(scope.hive(), &classes(path), None, access, &mut key) } {
        ERROR_SUCCESS => Ok(Some(Open(key))),
        ERROR_FILE_NOT_FOUND => Ok(None),
        err => Err(HRESULT::from_win32(err.0)),
    }
}

fn set(key: &Open, name: &str, text: &str) -> Result<(), HRESULT> {
    let wide: Vec<u16> = text.encode_utf16().chain([0]).collect();
    // SAFETY: plain bytes of a NUL-terminated UTF-16 string.
    let bytes = unsafe { std::slice::from_raw_parts(wide.as_ptr().cast::<u8>(), wide.len() * 2) };
    // SAFETY: an open key; REG_SZ data with its NUL.
    check(unsafe { RegSetValueExW(key.0, &HSTRING::from(name), None, REG_SZ, Some(bytes)) })
}

/// Removes `path` (below Software\Classes) and everything under it; absent is fine.
fn remove_tree(scope: Scope, path: &str, view: REG_SAM_FLAGS) -> Result<(), HRESULT> {
    let (parent, leaf) = path.rsplit_once('\\').unwrap_or(("", path));
    let Some(parent) = open(scope, parent, KEY_ALL_ACCESS | view)? else {
        return Ok(());
    };
    // SAFETY: an open key and a valid string.
    match unsafe { RegDeleteTreeW(parent.0, &HSTRING::from(leaf)) } {
        ERROR_SUCCESS | ERROR_FILE_NOT_FOUND => Ok(()),
        err => Err(HRESULT::from_win32(err.0)),
    }
}

/// The full path of this DLL (whichever name and folder it was loaded from).
fn module_path() -> Result<String, HRESULT> {
    static ANCHOR: u8 = 0;
    let mut module = HMODULE::default();
    // SAFETY: an address inside this DLL; the handle is not reference-counted.
    unsafe {
        GetModuleHandleExW(
            GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
            PCWSTR(std::ptr::addr_of!(ANCHOR).cast()),
            &mut module,
        )
    }
    .map_err(|e| e.code())?;
    let mut buf = vec![0u16; 32_768];
    // SAFETY: a valid module handle and buffer.
    let len = unsafe { GetModuleFileNameW(Some(module), &mut buf) } as usize;
    if len == 0 || len >= buf.len() {
        return Err(windows_core::Error::from_thread().code());
    }
    Ok(String::from_utf16_lossy(&buf[..len]))
}

fn write(scope: Scope, keys: &[Key], module: &str) -> Result<(), HRESULT> {
    for key in keys {
        let open = create(scope, key.path)?;
        for (name, data) in key.values {
            let text = match data {
                Data::Text(t) => t,
                Data::ModulePath => module,
            };
            set(&open, name, text)?;
        }
    }
    Ok(())
}

/// Writes every key of the table.
pub(super) fn register(scope: Scope) -> Result<(), HRESULT> {
    let module = module_path()?;
    let written =
        write(scope, CLASS_KEYS, &module).and_then(|()| write(scope, PROGID_KEYS, &module));
    if written.is_err() {
        // Leave nothing half-written behind (an unprivileged machine-wide attempt).
        let _ = unregister(scope);
    }
    written
}

/// Removes this view's class key, and the shared ProgID keys unless the other view's
/// registration still uses them.
pub(super) fn unregister(scope: Scope) -> Result<(), HRESULT> {
    remove_tree(scope, CLASS_ROOT, OWN_VIEW)?;
    let other_uses_them = open(scope, IN_OTHER_VIEW, KEY_READ | OTHER_VIEW)?.is_some();
    if !other_uses_them {
        for root in PROGID_ROOTS {
            remove_tree(scope, root, OWN_VIEW)?;
        }
    }
    Ok(())
}
