//! The batch runner: many live-stream operations on the client's own threads, paced
//! ahead of Zoom's per-account limits, one at a time per meeting or webinar, journaled
//! so that a batch killed at any moment can be resumed without sending twice.
//!
//! May use: the client (the API beside it), `exchange/` (its per-thread call scope),
//! `model/`, `error`. The faces (CLI, Python, C, COM) only translate to and from it.
//!
//! ```no_run
//! use zoomlive::batch::{self, Batch, BatchOptions};
//! # let client = zoomlive::Client::with_access_token("eyJ...")?;
//! let ops = batch::parse(&std::fs::read("streams.csv").unwrap(), None, &|n| std::env::var(n).ok())?;
//! for result in Batch::start(&client, ops, &BatchOptions::default())? {
//!     println!("row {}: {}", result.index, result.outcome.as_str());
//! }
//! # Ok::<(), zoomlive::Error>(())
//! ```

mod input;
mod journal;
mod limiter;
mod op;
mod options;
mod results;
mod run;
mod schedule;

pub use input::{InputFormat, decode, json_text, op_from_fields, parse, parse_bool};
pub use op::{BatchOp, Operation};
pub use options::{BatchOptions, Plan};
pub use results::{BatchResult, COLUMNS, Outcome, Summary, write_results};
pub use run::{Batch, Next, Stopper};
