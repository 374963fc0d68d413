//! windows-link 0.2.1's `link!` macro, with one change for the Windows 7 builds of
//! zoomlive.dll: a function the windows crates import from `combase.dll` is imported
//! from `ole32.dll` instead. combase.dll appeared in Windows 8; on Windows 7 the same
//! COM functions (CoTaskMemAlloc, CoTaskMemFree, CoCreateFreeThreadedMarshaler, ...)
//! are exported by ole32.dll, and on Windows 8 and later ole32.dll still exports them,
//! forwarding to combase.dll. Every other library name is kept as it is.
//!
//! Whether each function the DLL ends up importing from ole32.dll exists in Windows 7's
//! ole32.dll is checked after the build (scripts/windows/win7.sh test): a function that
//! only combase.dll has (CoIncrementMTAUsage, RoGetAgileReference, ...) fails it.
#![no_std]

/// Defines an external function to import.
#[cfg(all(windows, target_arch = "x86"))]
#[macro_export]
macro_rules! link {
    ("combase.dll" $abi:literal $($link_name:literal)? fn $($function:tt)*) => (
        $crate::link!("ole32.dll" $abi $($link_name)? fn $($function)*);
    );
    ($library:literal $abi:literal $($link_name:literal)? fn $($function:tt)*) => (
        #[link(name = $library, kind = "raw-dylib", modifiers = "+verbatim", import_name_type = "undecorated")]
        extern $abi {
            $(#[link_name=$link_name])?
            pub fn $($function)*;
        }
    )
}

/// Defines an external function to import.
#[cfg(all(windows, not(target_arch = "x86")))]
#[macro_export]
macro_rules! link {
    ("combase.dll" $abi:literal $($link_name:literal)? fn $($function:tt)*) => (
        $crate::link!("ole32.dll" $abi $($link_name)? fn $($function)*);
    );
    ($library:literal $abi:literal $($link_name:literal)? fn $($function:tt)*) => (
        #[link(name = $library, kind = "raw-dylib", modifiers = "+verbatim")]
        extern $abi {
            $(#[link_name=$link_name])?
            pub fn $($function)*;
        }
    )
}

/// Defines an external function to import.
#[cfg(not(windows))]
#[macro_export]
macro_rules! link {
    ($library:literal $abi:literal $($link_name:literal)? fn $($function:tt)*) => (
        extern $abi {
            pub fn $($function)*;
        }
    )
}
