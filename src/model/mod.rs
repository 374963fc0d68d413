//! Validated values: meeting and webinar ids, the start/stop action, live-stream
//! settings and stream details. Once built, a value is known to be sendable.

mod action;
mod ids;
mod settings;
mod stream;
pub(crate) mod validate;

pub use action::Action;
pub use ids::{MeetingId, Owner, OwnerKind, WebinarId};
pub use settings::{DISPLAY_NAME_MAX_CHARS, LivestreamSettings, SETTINGS_MAX_BYTES};
pub use stream::{
    Livestream, LivestreamUpdate, PAGE_URL_MAX, Resolution, STREAM_KEY_MAX, STREAM_URL_MAX,
};
