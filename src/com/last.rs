//! The Last* properties: what the last call on one object did, with the same status
//! numbers and the same clearing rules as the C API's `zoomlive_last_*` getters.

use crate::Error;
use crate::capi::{
    LastError, ZOOMLIVE_STATUS_INVALID_UTF8, ZOOMLIVE_STATUS_OK, ZOOMLIVE_STATUS_PANIC,
    zoomlive_status,
};

/// A failed call, as the Last* properties describe it: the C API's description, so
/// the two faces report every failure alike.
pub(super) type Failure = LastError;

impl Failure {
    /// An argument refused before the core saw it (wrong VARIANT type, fraction, range).
    pub fn invalid(field: &'static str, reason: String) -> Self {
        Self::from(&Error::input(field, reason))
    }

    /// Text that is not valid UTF-16.
    pub fn invalid_utf8(field: &str) -> Self {
        Self::simple(
            ZOOMLIVE_STATUS_INVALID_UTF8,
            format!("{field} is not valid UTF-16 text"),
            field,
        )
    }

    /// A panic caught at the COM boundary.
    pub fn panic(text: String) -> Self {
        Self::simple(ZOOMLIVE_STATUS_PANIC, text, "")
    }
}

/// The Last* state of one object: `None` after a success (or before any call).
#[derive(Default)]
pub(super) struct Last(Option<Failure>);

impl Last {
    /// Records the outcome of a method call and returns its status.
    pub fn record(&mut self, outcome: Result<(), Failure>) -> zoomlive_status {
        self.0 = outcome.err();
        self.status()
    }

    /// Records a failed property set (a successful one leaves Last* as they were).
    pub fn fail(&mut self, failure: Failure) {
        self.0 = Some(failure);
    }

    /// Takes the recorded failure when it concerns `field` (leaving none).
    pub fn take_if_field(&mut self, field: &str) -> Option<Failure> {
        if self.0.as_ref().is_some_and(|f| f.field == field) {
            self.0.take()
        } else {
            None
        }
    }

    pub fn status(&self) -> zoomlive_status {
        self.0.as_ref().map_or(ZOOMLIVE_STATUS_OK, |f| f.status)
    }

    pub fn success(&self) -> bool {
        self.0.is_none()
    }

    pub fn text(&self, pick: fn(&Failure) -> &str) -> String {
        self.0
            .as_ref()
            .map_or_else(String::new, |f| pick(f).to_owned())
    }

    pub fn number(&self, pick: fn(&Failure) -> i64, cleared: i64) -> i64 {
        self.0.as_ref().map_or(cleared, pick)
    }
}
