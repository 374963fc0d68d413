//! Meeting and webinar ids, and the owner of a live stream (one or the other).

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

fn parse_id(field: &'static str, text: &str) -> Result<u64> {
    if text.is_empty() {
        return Err(Error::input(field, "is empty"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::input(
            field,
            "must be a decimal number (ASCII digits only, no sign or spaces)",
        ));
    }
    let id: u64 = text.parse().map_err(|_| {
        Error::input(
            field,
            "does not fit in 64 bits (largest is 18446744073709551615)",
        )
    })?;
    check_id(field, id)
}

fn check_id(field: &'static str, id: u64) -> Result<u64> {
    if id == 0 {
        return Err(Error::input(field, "must be greater than zero"));
    }
    Ok(id)
}

macro_rules! zoom_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u64);

        impl $name {
            /// Parses a decimal id (ASCII digits, fitting in 64 bits, not zero).
            pub fn parse(text: &str) -> Result<Self> {
                parse_id($field, text).map($name)
            }

            /// Accepts a numeric id (anything but zero).
            pub fn new(id: u64) -> Result<Self> {
                check_id($field, id).map($name)
            }

            /// The id as a number.
            pub fn get(self) -> u64 {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Self::parse(s)
            }
        }

        impl TryFrom<u64> for $name {
            type Error = Error;
            fn try_from(id: u64) -> Result<Self> {
                Self::new(id)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

zoom_id!(
    /// A Zoom meeting id: a positive 64-bit integer (Zoom ids can exceed 10 digits).
    MeetingId,
    "meeting_id"
);
zoom_id!(
    /// A Zoom webinar id: a positive 64-bit integer.
    WebinarId,
    "webinar_id"
);

/// Which kind of live-stream owner an id names: a meeting or a webinar. The two share
/// every operation and differ only in their path segment and argument name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnerKind {
    /// A meeting (`/meetings/{id}`).
    Meeting,
    /// A webinar (`/webinars/{id}`).
    Webinar,
}

impl OwnerKind {
    /// `meeting` or `webinar`.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Meeting => "meeting",
            OwnerKind::Webinar => "webinar",
        }
    }

    /// The REST path segment: `meetings` or `webinars`.
    pub fn path_segment(self) -> &'static str {
        match self {
            OwnerKind::Meeting => "meetings",
            OwnerKind::Webinar => "webinars",
        }
    }

    /// The name of its id argument, as errors report it: `meeting_id` or `webinar_id`.
    pub fn id_field(self) -> &'static str {
        match self {
            OwnerKind::Meeting => "meeting_id",
            OwnerKind::Webinar => "webinar_id",
        }
    }

    /// Parses a decimal id of this kind (see [`MeetingId::parse`]).
    pub fn parse(self, text: &str) -> Result<Owner> {
        match self {
            OwnerKind::Meeting => MeetingId::parse(text).map(Owner::Meeting),
            OwnerKind::Webinar => WebinarId::parse(text).map(Owner::Webinar),
        }
    }

    /// Accepts a numeric id of this kind (anything but zero).
    pub fn from_number(self, id: u64) -> Result<Owner> {
        match self {
            OwnerKind::Meeting => MeetingId::new(id).map(Owner::Meeting),
            OwnerKind::Webinar => WebinarId::new(id).map(Owner::Webinar),
        }
    }
}

/// The meeting or webinar whose live stream an operation acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// A meeting.
    Meeting(MeetingId),
    /// A webinar.
    Webinar(WebinarId),
}

impl Owner {
    /// Meeting or webinar.
    pub fn kind(self) -> OwnerKind {
        match self {
            Owner::Meeting(_) => OwnerKind::Meeting,
            Owner::Webinar(_) => OwnerKind::Webinar,
        }
    }

    /// The id as a number.
    pub fn id(self) -> u64 {
        match self {
            Owner::Meeting(id) => id.get(),
            Owner::Webinar(id) => id.get(),
        }
    }

    /// The API path of this owner's live stream, `/meetings/{id}/livestream` or
    /// `/webinars/{id}/livestream`, followed by `tail`.
    pub(crate) fn livestream_path(self, tail: &str) -> String {
        format!(
            "/{}/{}/livestream{tail}",
            self.kind().path_segment(),
            self.id()
        )
    }
}

impl From<MeetingId> for Owner {
    fn from(id: MeetingId) -> Self {
        Owner::Meeting(id)
    }
}

impl From<WebinarId> for Owner {
    fn from(id: WebinarId) -> Self {
        Owner::Webinar(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn field_of(r: Result<impl fmt::Debug>) -> &'static str {
        r.unwrap_err().field().expect("an input error")
    }

    #[test]
    fn ids_of_1_11_and_20_digits_parse() {
        assert_eq!(MeetingId::parse("7").unwrap().get(), 7);
        assert_eq!(
            MeetingId::parse("91234567890").unwrap().get(),
            91_234_567_890
        );
        assert_eq!(
            WebinarId::parse("18446744073709551615").unwrap().get(),
            u64::MAX
        );
        assert_eq!(MeetingId::new(68423085).unwrap().to_string(), "68423085");
    }

    #[test]
    fn owners_know_their_path_and_field() {
        let m = OwnerKind::Meeting.parse("68423085").unwrap();
        assert_eq!(
            m.livestream_path("/status"),
            "/meetings/68423085/livestream/status"
        );
        let w = Owner::from(WebinarId::new(91234567890).unwrap());
        assert_eq!(w.livestream_path(""), "/webinars/91234567890/livestream");
        assert_eq!(w.kind(), OwnerKind::Webinar);
        assert_eq!(field_of(OwnerKind::Webinar.parse("x")), "webinar_id");
        assert_eq!(field_of(OwnerKind::Meeting.from_number(0)), "meeting_id");
    }

    #[test]
    fn bad_ids_are_input_errors() {
        for bad in [
            "",
            "18446744073709551616",
            "99999999999999999999999",
            "-5",
            "+5",
            " 5",
            "5 ",
            "12a",
            "123/../../users",
            "%2e%2e",
            "١٢٣",
            "0",
        ] {
            let err = MeetingId::parse(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
            assert_eq!(err.field(), Some("meeting_id"));
        }
        assert_eq!(field_of(WebinarId::new(0)), "webinar_id");
        assert!(
            MeetingId::parse("18446744073709551616")
                .unwrap_err()
                .to_string()
                .contains("64 bits")
        );
    }
}
