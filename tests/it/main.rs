//! The integration tests, one module per subject, in ONE test binary: each file of
//! `tests/` used to be a binary of its own linking the whole crate, which was most of
//! the build time of `cargo test` (issue 17 §3). The helpers are declared here once and
//! used as `crate::common`, `crate::relay`, `crate::tls_rig`.
//!
//! The modules share a process and run on parallel threads: a test that changes the
//! environment or asserts on what the whole process did runs alone in a process of its
//! own (`common::alone`). Run one module with a filter: `cargo test --test it proxy::`.

mod common;
mod relay;
mod tls_rig;

mod auth;
mod batch;
mod batch_cli;
mod cli;
mod cli_security;
mod cli_stdin;
mod cli_tls;
mod cli_trace;
mod deadline;
mod emulator;
mod errors;
mod hostile;
mod keepalive;
mod operations;
mod properties;
mod proxy;
mod proxy_auth;
mod proxy_decision;
mod proxy_rules;
mod round_trips;
mod security;
mod tls;
mod tls_errors;
mod token_cache;
mod trace;
mod wire_replay;
mod zoom_behaviour;
