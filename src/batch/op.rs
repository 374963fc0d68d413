//! One operation of a batch: which of the six calls, on which owner, with which values,
//! and the caller's key; its identity (the values with the stream key as a hash) for
//! duplicates, the journal and the input's fingerprint.

use std::fmt;

use ring::digest::{SHA256, digest};
use serde_json::{Value, json};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{Action, Livestream, LivestreamSettings, LivestreamUpdate, Owner};

/// Which call an operation makes.
#[derive(Clone, PartialEq)]
pub enum Operation {
    /// `PATCH .../livestream/status` with `action` and optional settings.
    Status(Action, Option<LivestreamSettings>),
    /// `PATCH .../livestream` with the stream's URL, key, page and resolution.
    Update(LivestreamUpdate),
    /// `GET .../livestream`.
    Get,
}

impl Operation {
    /// The name in input and results files: `start`, `stop`, `update` or `get`.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::Status(action, _) => action.as_str(),
            Operation::Update(_) => "update",
            Operation::Get => "get",
        }
    }
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The update's own Debug shows its stream key as `***`.
        match self {
            Operation::Status(a, s) => f.debug_tuple("Status").field(a).field(s).finish(),
            Operation::Update(u) => f.debug_tuple("Update").field(u).finish(),
            Operation::Get => f.write_str("Get"),
        }
    }
}

/// One operation of a batch: a checked call on one meeting or webinar, with an
/// optional key of the caller's (echoed in its result).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchOp {
    /// The meeting or webinar.
    pub owner: Owner,
    /// The call.
    pub operation: Operation,
    /// The caller's key for this operation (a row id of theirs), echoed in its result.
    pub key: Option<String>,
}

/// The first 16 hex digits of a SHA-256: enough to tell two stream keys apart, useless
/// for finding one.
pub(crate) fn short_hash(text: &str) -> String {
    digest(&SHA256, text.as_bytes()).as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl BatchOp {
    /// A start or stop of `owner`'s live stream; the settings are checked for the owner.
    pub fn status(
        owner: impl Into<Owner>,
        action: Action,
        settings: Option<LivestreamSettings>,
    ) -> Result<Self> {
        let owner = owner.into();
        if let Some(s) = &settings {
            s.check_for(owner.kind())?;
        }
        let settings = settings.filter(|s| !s.is_empty());
        Ok(BatchOp {
            owner,
            operation: Operation::Status(action, settings),
            key: None,
        })
    }

    /// An update of where `owner` streams to.
    pub fn update(owner: impl Into<Owner>, update: LivestreamUpdate) -> Self {
        BatchOp {
            owner: owner.into(),
            operation: Operation::Update(update),
            key: None,
        }
    }

    /// A read of `owner`'s live stream configuration.
    pub fn get(owner: impl Into<Owner>) -> Self {
        BatchOp {
            owner: owner.into(),
            operation: Operation::Get,
            key: None,
        }
    }

    /// The same operation with the caller's key (refused when it holds a control
    /// character or is over 200 characters: it is echoed in CSV and journal lines).
    pub fn with_key(mut self, key: impl Into<String>) -> Result<Self> {
        let key = key.into();
        if key.chars().count() > 200 || key.chars().any(char::is_control) {
            return Err(Error::input(
                "key",
                "must be at most 200 characters, without control characters",
            ));
        }
        self.key = Some(key).filter(|k| !k.is_empty());
        Ok(self)
    }

    /// What the operation does, as JSON without secrets: the stream key appears as
    /// `sha256:` and a 16-digit prefix of its hash. Equal identities are duplicates.
    pub fn identity(&self) -> Value {
        let mut v = json!({
            "op": self.operation.name(),
            "kind": self.owner.kind().as_str(),
            "id": self.owner.id().to_string(),
        });
        match &self.operation {
            Operation::Status(_, Some(settings)) => {
                v["settings"] = Value::Object(settings.as_map().clone());
            }
            Operation::Update(u) => {
                v["stream_url"] = json!(u.stream_url());
                v["stream_key"] = json!(format!("sha256:{}", short_hash(u.stream_key())));
                v["page_url"] = json!(u.page_url());
                v["resolution"] = json!(u.resolution().map(|r| r.as_str()));
            }
            _ => {}
        }
        v
    }

    /// Makes the call on this thread; a GET's answer is returned.
    pub(crate) fn call(&self, client: &Client) -> Result<Option<Livestream>> {
        match &self.operation {
            Operation::Status(action, settings) => client
                .update_livestream_status(self.owner, *action, settings.as_ref())
                .map(|()| None),
            Operation::Update(update) => {
                client.update_livestream(self.owner, update).map(|()| None)
            }
            Operation::Get => client.get_livestream(self.owner).map(Some),
        }
    }
}

/// The fingerprint of a batch's input: a SHA-256 of every operation's identity and
/// key, in order. A journal names the input it belongs to with it.
pub(crate) fn fingerprint(ops: &[BatchOp]) -> String {
    let text: Vec<Value> = ops
        .iter()
        .map(|op| json!([op.identity(), op.key]))
        .collect();
    digest(&SHA256, Value::Array(text).to_string().as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MeetingId, WebinarId};

    #[test]
    fn identities_hide_the_stream_key_and_tell_keys_apart() {
        let m = MeetingId::new(5).unwrap();
        let a = BatchOp::update(
            m,
            LivestreamUpdate::new("rtmp://x", "sk-secret-1", "https://p.x").unwrap(),
        );
        let b = BatchOp::update(
            m,
            LivestreamUpdate::new("rtmp://x", "sk-secret-2", "https://p.x").unwrap(),
        );
        let text = a.identity().to_string();
        assert!(!text.contains("sk-secret"), "{text}");
        assert_ne!(a.identity(), b.identity());
        assert!(!format!("{a:?}").contains("sk-secret"));
        assert_ne!(fingerprint(std::slice::from_ref(&a)), fingerprint(&[b]));
        assert_ne!(
            fingerprint(std::slice::from_ref(&a)),
            fingerprint(&[a.with_key("k").unwrap()])
        );
    }

    #[test]
    fn webinar_settings_are_checked_and_keys_bounded() {
        let w = WebinarId::new(9).unwrap();
        let s = LivestreamSettings::new().layout("gallery").unwrap();
        assert_eq!(
            BatchOp::status(w, Action::Start, Some(s))
                .unwrap_err()
                .field(),
            Some("settings.layout")
        );
        assert!(BatchOp::get(w).with_key("a\nb").is_err());
        assert_eq!(BatchOp::get(w).with_key("").unwrap().key, None);
    }
}
