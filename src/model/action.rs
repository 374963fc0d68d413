//! The start/stop action of a live-stream status update.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Start or stop a live stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Start the live stream.
    Start,
    /// Stop the live stream.
    Stop,
}

impl Action {
    /// Parses `start` or `stop` in any letter case (Zoom itself wants lower case,
    /// which is what is sent).
    pub fn parse(text: &str) -> Result<Self> {
        if text.eq_ignore_ascii_case("start") {
            Ok(Action::Start)
        } else if text.eq_ignore_ascii_case("stop") {
            Ok(Action::Stop)
        } else if text.len() > 5
            && text
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("start"))
        {
            Err(Error::input(
                "action",
                "must be \"start\" or \"stop\"; it starts with \"start\" but has more after it \
                 (a settings value glued onto the action?)",
            ))
        } else {
            Err(Error::input("action", "must be \"start\" or \"stop\""))
        }
    }

    /// The wire form: `start` or `stop`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Stop => "stop",
        }
    }
}

impl FromStr for Action {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<impl fmt::Debug>) -> &'static str {
        r.unwrap_err().field().expect("an input error")
    }

    #[test]
    fn action_accepts_any_case_and_sends_lowercase() {
        assert_eq!(Action::parse("START").unwrap().as_str(), "start");
        assert_eq!(Action::parse("Stop").unwrap(), Action::Stop);
        assert_eq!(field_of(Action::parse("pause")), "action");
        assert_eq!(field_of(Action::parse("")), "action");
        let glued = Action::parse("start{\"a\":1}").unwrap_err().to_string();
        assert!(glued.contains("glued"), "{glued}");
        // Found by the property tests: a multi-byte character across byte 5.
        assert_eq!(field_of(Action::parse("𑰔ⷃ6")), "action");
    }
}
