//! The shell's clock. The engine reads no clock: a database with a time to
//! live expires records by the time its caller sets. The shell sets it
//! from the system clock before each command, until a `time` or `advance`
//! command takes the clock over by hand (scripts that must replay the same
//! way use those).

use std::time::{SystemTime, UNIX_EPOCH};

/// Where the shell's time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Milliseconds since the Unix epoch, read before each command.
    System,
    /// Only `time` and `advance` move it.
    Manual,
}

/// Milliseconds since the Unix epoch (0 if the system clock is before it).
pub fn system_time_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
