//! `ZoomLive.Client`: an in-process OLE Automation server in `zoomlive.dll`, for hosts
//! that create objects rather than call DLL exports — Visual FoxPro's `CreateObject`,
//! SQL Server's `sp_OACreate`, VBScript and VBA — as they create `Chilkat.Http` today.
//!
//! A thin translation like the C face: VARIANT/BSTR in (`variant`), the core's API, the
//! C API's status numbers and Last* properties out (`last`). The members are one table
//! (`members`), the registry keys another (`registry`). Every COM entry point — the
//! exports below, the class factory, `IDispatch` — runs inside a panic boundary;
//! nothing unwinds into the host.
//!
//! Exports (beside every flat `zoomlive_*` function): `DllGetClassObject`,
//! `DllCanUnloadNow`, `DllRegisterServer`, `DllUnregisterServer`, `DllInstall`.

// A `Failure` (the Last* state, ~150 bytes) is built once per failed COM call, next to
// an HTTP exchange: boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod last;
mod members;
mod object;
mod registry;
mod variant;

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicIsize, Ordering};

use windows::Win32::Foundation::{
    CLASS_E_CLASSNOTAVAILABLE, CLASS_E_NOAGGREGATION, E_INVALIDARG, E_POINTER, E_UNEXPECTED,
    S_FALSE, S_OK,
};
use windows::Win32::System::Com::{IClassFactory, IClassFactory_Impl};
use windows_core::{BOOL, GUID, HRESULT, IUnknown, Interface, PCWSTR, Ref, implement};

use object::ZoomLiveClient;
use registry::Scope;

/// Live objects and factories plus `LockServer` locks: `DllCanUnloadNow` says yes at 0.
static LIVE: AtomicIsize = AtomicIsize::new(0);

/// Counts one live COM object for as long as it exists.
pub(crate) struct ObjectCount(());

impl ObjectCount {
    fn new() -> Self {
        LIVE.fetch_add(1, Ordering::SeqCst);
        ObjectCount(())
    }
}

impl Drop for ObjectCount {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `f`, turning a panic into its text.
fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| crate::capi::panic_text(&*p))
}

/// The panic boundary of an entry point returning an HRESULT: a panic is E_UNEXPECTED.
fn boundary(f: impl FnOnce() -> HRESULT) -> HRESULT {
    catch(f).unwrap_or(E_UNEXPECTED)
}

#[implement(IClassFactory)]
struct Factory {
    _count: ObjectCount,
}

impl IClassFactory_Impl for Factory_Impl {
    fn CreateInstance(
        &self,
        outer: Ref<IUnknown>,
        iid: *const GUID,
        object: *mut *mut c_void,
    ) -> windows_core::Result<()> {
        boundary(|| {
            if object.is_null() {
                return E_POINTER;
            }
            // SAFETY: checked non-NULL; COM wants NULL written on failure.
            unsafe { object.write_unaligned(std::ptr::null_mut()) };
            if outer.is_some() {
                return CLASS_E_NOAGGREGATION;
            }
            let unknown: IUnknown = ZoomLiveClient::new().into();
            // SAFETY: `iid` and `object` as the caller passed them.
            unsafe { unknown.query(iid, object) }
        })
        .ok()
    }

    fn LockServer(&self, lock: BOOL) -> windows_core::Result<()> {
        boundary(|| {
            let delta = if lock.as_bool() { 1 } else { -1 };
            LIVE.fetch_add(delta, Ordering::SeqCst);
            S_OK
        })
        .ok()
    }
}

/// Hands out the class factory of `ZoomLive.Client`.
///
/// # Safety
/// COM's contract: valid GUID pointers and an out-pointer.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn DllGetClassObject(
    clsid: *const GUID,
    iid: *const GUID,
    out: *mut *mut c_void,
) -> HRESULT {
    boundary(|| {
        if clsid.is_null() || iid.is_null() || out.is_null() {
            return E_POINTER;
        }
        // SAFETY: checked non-NULL.
        unsafe { out.write_unaligned(std::ptr::null_mut()) };
        if unsafe { clsid.read_unaligned() } != registry::CLSID {
            return CLASS_E_CLASSNOTAVAILABLE;
        }
        let factory: IClassFactory = Factory {
            _count: ObjectCount::new(),
        }
        .into();
        // SAFETY: `iid` and `out` as the caller passed them.
        unsafe { factory.query(iid, out) }
    })
}

/// S_OK when no object, factory or server lock is alive.
#[unsafe(no_mangle)]
pub extern "system" fn DllCanUnloadNow() -> HRESULT {
    boundary(|| {
        if LIVE.load(Ordering::SeqCst) == 0 {
            S_OK
        } else {
            S_FALSE
        }
    })
}

fn result(r: Result<(), HRESULT>) -> HRESULT {
    r.err().unwrap_or(S_OK)
}

/// `regsvr32 zoomlive.dll`: registers machine-wide (run it as administrator).
#[unsafe(no_mangle)]
pub extern "system" fn DllRegisterServer() -> HRESULT {
    boundary(|| result(registry::register(Scope::Machine)))
}

/// `regsvr32 /u zoomlive.dll`: removes the machine-wide registration.
#[unsafe(no_mangle)]
pub extern "system" fn DllUnregisterServer() -> HRESULT {
    boundary(|| result(registry::unregister(Scope::Machine)))
}

/// `regsvr32 /n /i:user zoomlive.dll` registers for the current user only, `regsvr32 /u
/// /n /i:user zoomlive.dll` removes that; `/i:machine` (or no text) is machine-wide.
///
/// # Safety
/// `command` is NULL or a NUL-terminated UTF-16 string.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn DllInstall(install: BOOL, command: PCWSTR) -> HRESULT {
    boundary(|| {
        let text = if command.is_null() {
            String::new()
        } else {
            // SAFETY: per the contract.
            String::from_utf16_lossy(unsafe { command.as_wide() })
        };
        let scope = match text.trim().to_ascii_lowercase().as_str() {
            "user" => Scope::User,
            "" | "machine" => Scope::Machine,
            _ => return E_INVALIDARG,
        };
        result(if install.as_bool() {
            registry::register(scope)
        } else {
            registry::unregister(scope)
        })
    })
}
