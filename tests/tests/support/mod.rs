//! Helpers shared by the integration tests (a folder, so Cargo does not build it as a test).

// Each test crate uses a part of them.
#![allow(dead_code)]

pub mod gate;
pub mod http;
#[path = "../../../providers/tests/support/logs.rs"]
pub mod logs;
pub mod stdio;
pub mod users;
