//! Timing writer stalls. Only the native background mode reads a clock:
//! the engine core has none, so in the inline and manual modes (and on
//! wasm32) a [`StallTimer`] is inert and costs a branch.

use crate::stats::StallCounter;

/// Times one wait of a writer; [`StallTimer::stop`] adds it to a counter.
pub(super) struct StallTimer {
    #[cfg(not(target_arch = "wasm32"))]
    started: Option<std::time::Instant>,
}

impl StallTimer {
    /// Starts a timer that measures only when `background` is set.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn start(background: bool) -> Self {
        Self {
            started: background.then(std::time::Instant::now),
        }
    }

    /// Starts an inert timer: wasm32 has no background mode.
    #[cfg(target_arch = "wasm32")]
    pub(super) fn start(_background: bool) -> Self {
        Self {}
    }

    /// Adds the time since [`StallTimer::start`] to `counter`, counting a
    /// new stall when `new_stall` (a writer that waits several times for
    /// one reason counts once).
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn stop(self, counter: &StallCounter, new_stall: bool) {
        if let Some(started) = self.started {
            let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
            counter.add(u64::from(new_stall), micros);
        }
    }

    /// Does nothing: wasm32 has no clock in the engine.
    #[cfg(target_arch = "wasm32")]
    pub(super) fn stop(self, _counter: &StallCounter, _new_stall: bool) {}
}
