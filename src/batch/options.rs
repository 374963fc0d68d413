//! How a batch runs: concurrency, pace (a rate, or the Zoom plan it is derived from),
//! deadline, journal and resume; checked before anything is sent.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Result};

/// A Zoom plan, by the per-second limit of its Light calls (the live-stream calls).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    /// Free: 4 calls per second (and 6,000 a day).
    Free,
    /// Pro: 30 per second.
    #[default]
    Pro,
    /// Business and up: 80 per second.
    Business,
}

impl Plan {
    /// Parses `free`, `pro` or `business` (any letter case).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "free" => Ok(Plan::Free),
            "pro" => Ok(Plan::Pro),
            "business" => Ok(Plan::Business),
            _ => Err(Error::input("plan", "must be free, pro or business")),
        }
    }

    /// Zoom's per-second limit of Light calls for the plan (per account).
    pub fn light_limit(self) -> f64 {
        match self {
            Plan::Free => 4.0,
            Plan::Pro => 30.0,
            Plan::Business => 80.0,
        }
    }
}

/// The most workers a batch runs.
pub(crate) const MAX_CONCURRENCY: usize = 64;
/// The fastest rate accepted, in calls per second.
pub(crate) const MAX_RATE: f64 = 1000.0;

/// How a batch runs. The defaults: 4 calls in flight, half the Pro plan's Light limit
/// (15 per second: other apps share the account's limit), no deadline, no journal.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BatchOptions {
    /// Calls in flight at most (1 to 64).
    pub concurrency: usize,
    /// Calls per second at most; `None`: half the plan's Light limit.
    pub rate: Option<f64>,
    /// The account's plan, for the default rate.
    pub plan: Plan,
    /// Nothing is sent, or retried, after this much time from the start (seconds in
    /// JSON); what is left is `deferred`.
    #[serde(deserialize_with = "seconds")]
    pub deadline: Option<Duration>,
    /// The journal file (JSON Lines), for resuming after a crash.
    pub journal: Option<PathBuf>,
    /// Continue the journal of an earlier run of the same input.
    pub resume: bool,
    /// With `resume`: send again what the earlier run left in flight (`uncertain`).
    pub resume_uncertain: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            concurrency: 4,
            rate: None,
            plan: Plan::Pro,
            deadline: None,
            journal: None,
            resume: false,
            resume_uncertain: false,
        }
    }
}

fn seconds<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Duration>, D::Error> {
    match Option::<f64>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => {
            Ok(Some(Duration::from_secs_f64(s)))
        }
        Some(_) => Err(serde::de::Error::custom(
            "deadline must be seconds in (0, 86400]",
        )),
    }
}

impl BatchOptions {
    /// Reads options from a JSON object (the C and COM faces): `{"concurrency":4,
    /// "rate":20,"plan":"pro","deadline":60,"journal":"run.jsonl","resume":true,
    /// "resume_uncertain":false}`, every key optional, no other key allowed.
    pub fn from_json(text: &str) -> Result<Self> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let options: BatchOptions = serde_json::from_str(text)
            .map_err(|e| Error::input("options", format!("is not valid: {e}")))?;
        options.check()?;
        Ok(options)
    }

    /// Checks every option.
    pub fn check(&self) -> Result<()> {
        if !(1..=MAX_CONCURRENCY).contains(&self.concurrency) {
            return Err(Error::input(
                "concurrency",
                format!("must be 1 to {MAX_CONCURRENCY}"),
            ));
        }
        if let Some(rate) = self.rate
            && !(rate.is_finite() && rate > 0.0 && rate <= MAX_RATE)
        {
            return Err(Error::input(
                "rate",
                format!("must be calls per second, greater than 0 and at most {MAX_RATE}"),
            ));
        }
        if let Some(d) = self.deadline
            && (d.is_zero() || d > Duration::from_secs(86_400))
        {
            return Err(Error::input(
                "deadline",
                "must be more than 0 and at most one day",
            ));
        }
        if self
            .journal
            .as_ref()
            .is_some_and(|p| p.as_os_str().is_empty())
        {
            return Err(Error::input("journal", "is empty"));
        }
        if (self.resume || self.resume_uncertain) && self.journal.is_none() {
            return Err(Error::input("resume", "needs a journal"));
        }
        Ok(())
    }

    /// The rate the batch starts at: `rate`, or half the plan's Light limit.
    pub fn start_rate(&self) -> f64 {
        self.rate.unwrap_or(self.plan.light_limit() / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked() {
        assert_eq!(BatchOptions::default().start_rate(), 15.0);
        let o = BatchOptions::from_json(
            r#"{"plan":"free","deadline":2.5,"journal":"j","resume":true}"#,
        )
        .unwrap();
        assert_eq!(
            (o.start_rate(), o.deadline),
            (2.0, Some(Duration::from_millis(2500)))
        );
        for (bad, field) in [
            (r#"{"concurrency":0}"#, "concurrency"),
            (r#"{"rate":-1}"#, "rate"),
            (r#"{"resume":true}"#, "resume"),
            (r#"{"deadline":0}"#, "options"),
            (r#"{"plan":"enterprise"}"#, "options"),
            (r#"{"token":"x"}"#, "options"),
        ] {
            assert_eq!(
                BatchOptions::from_json(bad).unwrap_err().field(),
                Some(field),
                "{bad}"
            );
        }
        assert_eq!(Plan::parse("Business").unwrap().light_limit(), 80.0);
    }
}
