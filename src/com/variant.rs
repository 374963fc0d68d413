//! VARIANT in and out: the one place that reads and writes the `VARIANT`s of
//! `IDispatch::Invoke`. Arguments arrive by value or by reference (VBScript passes
//! variables as `VT_VARIANT | VT_BYREF`, FoxPro's `@var` as `VT_xx | VT_BYREF`); numbers
//! arrive as any of the Automation number types, because FoxPro and T-SQL pass ids as
//! numbers.

use std::mem::ManuallyDrop;

use windows::Win32::Foundation::{DECIMAL, DISP_E_PARAMNOTFOUND, VARIANT_FALSE, VARIANT_TRUE};
use windows::Win32::System::Variant::{
    VARENUM, VARIANT, VT_BOOL, VT_BSTR, VT_BYREF, VT_CY, VT_DECIMAL, VT_EMPTY, VT_ERROR, VT_I1,
    VT_I2, VT_I4, VT_I8, VT_INT, VT_NULL, VT_R4, VT_R8, VT_UI1, VT_UI2, VT_UI4, VT_UI8, VT_UINT,
    VT_VARIANT,
};
use windows_core::BSTR;

use super::last::Failure;

/// An argument's value, whatever Automation type carried it.
enum Value {
    /// Not given: VT_EMPTY, VT_NULL or a missing optional argument.
    Missing,
    Text(Vec<u16>),
    Integer(i128),
    /// A number with a fractional part (or not finite).
    Fraction,
    Other(u16),
}

/// Reads one argument, following a reference.
///
/// Hosts may hand VARIANTs at addresses with less than their natural alignment (Wine's
/// VBScript keeps variables 4-aligned on x64), so nothing here makes a reference to one:
/// every read is `read_unaligned`, into a local copy that is never dropped (the host
/// owns what it points to).
///
/// # Safety
/// `v` points to a VARIANT as COM hands it to `Invoke`: its type tag matches its contents.
unsafe fn value(v: *const VARIANT) -> Value {
    // SAFETY: per the contract; the union member read is the one the tag names.
    unsafe {
        // ManuallyDrop: the windows crate's VARIANT has a Drop (VariantClear) that would
        // release the host's object or free its string.
        let copy = ManuallyDrop::new(v.read_unaligned());
        let inner = &copy.Anonymous.Anonymous;
        let vt = inner.vt;
        if vt == VARENUM(VT_VARIANT.0 | VT_BYREF.0) {
            let target = inner.Anonymous.pvarVal;
            if target.is_null() {
                return Value::Missing;
            }
            // One level only: a reference to a reference is not an Automation value.
            let target_vt = target.cast::<u16>().read_unaligned();
            if target_vt & VT_BYREF.0 != 0 {
                return Value::Other(vt.0);
            }
            return value(target);
        }
        if vt.0 & VT_BYREF.0 != 0 {
            let p = inner.Anonymous.byref;
            if p.is_null() {
                return Value::Missing;
            }
            return scalar(VARENUM(vt.0 & !VT_BYREF.0), p.cast_const());
        }
        if vt == VT_DECIMAL {
            // A DECIMAL fills the whole VARIANT (its first field overlays the type tag).
            return decimal(copy.Anonymous.decVal);
        }
        scalar(vt, std::ptr::addr_of!(inner.Anonymous).cast())
    }
}

/// Reads a value of type `vt` stored at `p` (the copied union, or what a reference
/// points to, at any alignment).
///
/// # Safety
/// `p` points to a valid value of type `vt`.
unsafe fn scalar(vt: VARENUM, p: *const std::ffi::c_void) -> Value {
    // SAFETY: per the contract, `p` holds a `vt`.
    unsafe {
        match vt {
            VT_EMPTY | VT_NULL => Value::Missing,
            VT_ERROR if p.cast::<i32>().read_unaligned() == DISP_E_PARAMNOTFOUND.0 => {
                Value::Missing
            }
            VT_BSTR => {
                // Borrowed: ManuallyDrop keeps the host's string from being freed.
                let raw = p.cast::<*const u16>().read_unaligned();
                let b = ManuallyDrop::new(BSTR::from_raw(raw));
                Value::Text(b.to_vec())
            }
            VT_I1 => Value::Integer(p.cast::<i8>().read_unaligned().into()),
            VT_UI1 => Value::Integer(p.cast::<u8>().read_unaligned().into()),
            VT_I2 => Value::Integer(p.cast::<i16>().read_unaligned().into()),
            VT_UI2 => Value::Integer(p.cast::<u16>().read_unaligned().into()),
            VT_I4 | VT_INT => Value::Integer(p.cast::<i32>().read_unaligned().into()),
            VT_UI4 | VT_UINT => Value::Integer(p.cast::<u32>().read_unaligned().into()),
            VT_I8 => Value::Integer(p.cast::<i64>().read_unaligned().into()),
            VT_UI8 => Value::Integer(p.cast::<u64>().read_unaligned().into()),
            VT_R4 => float(p.cast::<f32>().read_unaligned().into()),
            VT_R8 => float(p.cast::<f64>().read_unaligned()),
            // Currency: a 64-bit integer scaled by 10,000.
            VT_CY => {
                let units = p.cast::<i64>().read_unaligned();
                if units % 10_000 == 0 {
                    Value::Integer((units / 10_000).into())
                } else {
                    Value::Fraction
                }
            }
            // Only by reference: a DECIMAL by value is read from the VARIANT itself.
            VT_DECIMAL => decimal(p.cast::<DECIMAL>().read_unaligned()),
            other => Value::Other(other.0),
        }
    }
}

fn float(f: f64) -> Value {
    // 2^100 is far past any id or setting; it only keeps the cast exact.
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e30 {
        Value::Integer(f as i128)
    } else {
        Value::Fraction
    }
}

fn decimal(d: DECIMAL) -> Value {
    // SAFETY: plain integer unions; every bit pattern is valid.
    let (scale, negative, lo) = unsafe {
        (
            d.Anonymous1.Anonymous.scale,
            d.Anonymous1.Anonymous.sign & 0x80 != 0,
            d.Anonymous2.Lo64,
        )
    };
    let mantissa = (i128::from(d.Hi32) << 64) | i128::from(lo);
    let Some(divisor) = 10i128.checked_pow(u32::from(scale)) else {
        return Value::Other(VT_DECIMAL.0);
    };
    if mantissa % divisor != 0 {
        return Value::Fraction;
    }
    let whole = mantissa / divisor;
    Value::Integer(if negative { -whole } else { whole })
}

fn type_name(vt: u16) -> String {
    match VARENUM(vt) {
        VT_BOOL => "a Boolean".into(),
        v if v.0 == 9 || v.0 == 13 => "an object".into(),
        v if v.0 & 0x2000 != 0 => "an array".into(),
        _ => format!("a value of VARIANT type {vt}"),
    }
}

fn refused(field: &'static str, reason: String) -> Failure {
    Failure::invalid(field, reason)
}

fn utf16(field: &'static str, units: &[u16]) -> Result<String, Failure> {
    String::from_utf16(units).map_err(|_| Failure::invalid_utf8(field))
}

/// A required text argument (a token, a URL, an action).
///
/// # Safety
/// As [`value`].
pub(super) unsafe fn text(v: *const VARIANT, field: &'static str) -> Result<String, Failure> {
    // SAFETY: forwarded.
    match unsafe { value(v) } {
        Value::Text(units) => utf16(field, &units),
        Value::Missing => Err(refused(field, "is required".into())),
        Value::Integer(_) | Value::Fraction => {
            Err(refused(field, "must be text, not a number".into()))
        }
        Value::Other(vt) => Err(refused(
            field,
            format!("must be text, not {}", type_name(vt)),
        )),
    }
}

/// An optional text argument (settings JSON, resolution): missing, Null or "" is `None`.
///
/// # Safety
/// As [`value`].
pub(super) unsafe fn optional_text(
    v: Option<*const VARIANT>,
    field: &'static str,
) -> Result<Option<String>, Failure> {
    let Some(v) = v else { return Ok(None) };
    // SAFETY: forwarded.
    match unsafe { value(v) } {
        Value::Missing => Ok(None),
        // SAFETY: forwarded.
        _ => unsafe { text(v, field) }.map(|t| (!t.is_empty()).then_some(t)),
    }
}

/// An id: text is passed to the core as it is (which checks it); a number must be whole.
///
/// # Safety
/// As [`value`].
pub(super) unsafe fn id_text(v: *const VARIANT, field: &'static str) -> Result<String, Failure> {
    // SAFETY: forwarded.
    match unsafe { value(v) } {
        Value::Text(units) => utf16(field, &units),
        Value::Integer(n) => Ok(n.to_string()),
        Value::Fraction => Err(refused(field, "must be a whole number".into())),
        Value::Missing => Err(refused(field, "is required".into())),
        Value::Other(vt) => Err(refused(
            field,
            format!("must be a number or text, not {}", type_name(vt)),
        )),
    }
}

/// A whole number in `min..=max` (a timeout, a retry count); text of decimal digits too.
///
/// # Safety
/// As [`value`].
pub(super) unsafe fn integer(
    v: *const VARIANT,
    field: &'static str,
    min: i64,
    max: i64,
) -> Result<i64, Failure> {
    let out_of_range = || refused(field, format!("must be a whole number from {min} to {max}"));
    // SAFETY: forwarded.
    let n = match unsafe { value(v) } {
        Value::Integer(n) => n,
        Value::Text(units) => utf16(field, &units)?
            .trim()
            .parse::<i128>()
            .map_err(|_| out_of_range())?,
        Value::Fraction | Value::Missing => return Err(out_of_range()),
        Value::Other(vt) => {
            return Err(refused(
                field,
                format!("must be a number, not {}", type_name(vt)),
            ));
        }
    };
    i64::try_from(n)
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(out_of_range)
}

/// A Boolean: VT_BOOL (FoxPro's `.T.`/`.F.`, VBScript's `True`/`False`, by value or
/// by reference), or a whole number 0 or 1.
///
/// # Safety
/// As [`value`].
pub(super) unsafe fn boolean(v: *const VARIANT, field: &'static str) -> Result<bool, Failure> {
    // SAFETY: per the contract; the union member read is the one the tag names.
    unsafe {
        let copy = ManuallyDrop::new(v.read_unaligned());
        let inner = &copy.Anonymous.Anonymous;
        if inner.vt == VT_BOOL {
            return Ok(inner.Anonymous.boolVal.0 != 0);
        }
        if inner.vt == VARENUM(VT_BOOL.0 | VT_BYREF.0) && !inner.Anonymous.pboolVal.is_null() {
            return Ok(inner.Anonymous.pboolVal.read_unaligned().0 != 0);
        }
        if inner.vt == VARENUM(VT_VARIANT.0 | VT_BYREF.0) {
            let target = inner.Anonymous.pvarVal;
            if !target.is_null() && target.cast::<u16>().read_unaligned() == VT_BOOL.0 {
                return boolean(target, field);
            }
        }
        Ok(integer(v, field, 0, 1)? != 0)
    }
}

/// What a member returns, written into `Invoke`'s result VARIANT.
pub(super) enum Out {
    Long(i32),
    /// A 64-bit number: returned as a Long when it fits, else as a Double (VBScript has no
    /// 64-bit integer type).
    Wide(i64),
    Bool(bool),
    Text(String),
    Nothing,
}

/// Writes `out` into `result` (which the caller has initialised to VT_EMPTY).
///
/// # Safety
/// `result` is NULL or valid for one write.
pub(super) unsafe fn put(result: *mut VARIANT, out: Out) {
    if result.is_null() {
        return;
    }
    let mut v = VARIANT::default();
    // SAFETY: writing the union member that matches the tag written beside it.
    unsafe {
        let inner = &mut v.Anonymous.Anonymous;
        match out {
            Out::Long(n) => {
                inner.vt = VT_I4;
                inner.Anonymous.lVal = n;
            }
            Out::Wide(n) => match i32::try_from(n) {
                Ok(n) => {
                    inner.vt = VT_I4;
                    inner.Anonymous.lVal = n;
                }
                Err(_) => {
                    inner.vt = VT_R8;
                    inner.Anonymous.dblVal = n as f64;
                }
            },
            Out::Bool(b) => {
                inner.vt = VT_BOOL;
                inner.Anonymous.boolVal = if b { VARIANT_TRUE } else { VARIANT_FALSE };
            }
            Out::Text(s) => {
                inner.vt = VT_BSTR;
                inner.Anonymous.bstrVal = ManuallyDrop::new(BSTR::from(s.as_str()));
            }
            Out::Nothing => {}
        }
        result.write_unaligned(v);
    }
}
