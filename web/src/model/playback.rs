//! Playing the timeline: frames per second, where to start and stop,
//! looping. Time comes from the caller (the browser's animation frames).

/// Speeds offered, in frames per second.
pub const SPEEDS: [f64; 12] = [
    1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0, 250.0, 500.0, 1000.0, 2000.0,
];
/// The slowest speed.
pub const MIN_SPEED: f64 = SPEEDS[0];
/// The fastest speed.
pub const MAX_SPEED: f64 = SPEEDS[11];
/// The speed a session starts at.
pub const DEFAULT_SPEED: f64 = 4.0;
/// A pause longer than this (a background tab) does not jump ahead.
const MAX_TICK_MS: f64 = 250.0;

/// The player's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// Whether it plays.
    pub playing: bool,
    /// Frames per second.
    pub speed: f64,
    /// First frame of the played range.
    pub start: usize,
    /// Last frame of the played range (`None`: the end of the timeline).
    pub end: Option<usize>,
    /// Start again at `start` after `end`.
    pub looped: bool,
    /// Time of the last tick, in milliseconds.
    last_tick_ms: Option<f64>,
    /// Fraction of a frame carried to the next tick.
    carry: f64,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            playing: false,
            speed: DEFAULT_SPEED,
            start: 0,
            end: None,
            looped: false,
            last_tick_ms: None,
            carry: 0.0,
        }
    }
}

impl Playback {
    /// A stopped player over frames `start..=end`.
    pub fn range(start: usize, end: Option<usize>, looped: bool) -> Self {
        Self {
            start,
            end,
            looped,
            ..Self::default()
        }
    }

    /// Starts playing (from `start` if at or past the end).
    pub fn play(&mut self, pos: usize, total: usize) -> Option<usize> {
        self.playing = true;
        self.last_tick_ms = None;
        self.carry = 0.0;
        (pos >= self.last(total)).then_some(self.start)
    }

    /// Stops.
    pub fn pause(&mut self) {
        self.playing = false;
        self.last_tick_ms = None;
    }

    /// The last frame played.
    pub fn last(&self, total: usize) -> usize {
        let end = total.saturating_sub(1);
        self.end.map_or(end, |e| e.min(end))
    }

    /// Advances by the time since the last tick; returns the new frame if
    /// it moved. Stops (or loops) at the end.
    pub fn tick(&mut self, now_ms: f64, pos: usize, total: usize) -> Option<usize> {
        if !self.playing {
            return None;
        }
        let dt = match self.last_tick_ms {
            Some(last) => (now_ms - last).clamp(0.0, MAX_TICK_MS),
            None => 0.0,
        };
        self.last_tick_ms = Some(now_ms);
        self.carry += dt / 1000.0 * self.speed;
        let whole = self.carry.floor();
        if whole < 1.0 {
            return None;
        }
        self.carry -= whole;
        let last = self.last(total);
        let next = pos.saturating_add(whole as usize);
        if next < last {
            return Some(next);
        }
        if self.looped && pos >= last {
            return Some(self.start.min(last));
        }
        if !self.looped {
            self.pause();
        }
        (pos != last).then_some(last)
    }

    /// One speed up.
    pub fn faster(&mut self) {
        self.speed = SPEEDS
            .iter()
            .copied()
            .find(|s| *s > self.speed)
            .unwrap_or(self.speed);
    }

    /// One speed down.
    pub fn slower(&mut self) {
        self.speed = SPEEDS
            .iter()
            .rev()
            .copied()
            .find(|s| *s < self.speed)
            .unwrap_or(self.speed);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::field_reassign_with_default)]
    use super::*;

    #[test]
    fn playing_advances_by_speed_and_stops_at_the_end() {
        let mut p = Playback::default();
        p.faster();
        p.faster();
        assert_eq!(p.speed, 15.0);
        p.slower();
        p.speed = 10.0 * (p.speed / 8.0);
        assert_eq!(p.play(0, 100), None);
        assert_eq!(
            p.tick(1000.0, 0, 100),
            None,
            "the first tick only sets the clock"
        );
        assert_eq!(p.tick(1100.0, 0, 100), Some(1));
        assert_eq!(p.tick(1150.0, 1, 100), None, "half a frame is carried");
        assert_eq!(p.tick(1200.0, 1, 100), Some(2));
        assert_eq!(p.tick(1400.0, 98, 100), Some(99));
        assert!(!p.playing);
        assert_eq!(p.play(99, 100), Some(0), "play at the end starts over");
    }

    #[test]
    fn a_range_loops_and_a_long_pause_does_not_jump() {
        let mut p = Playback::range(10, Some(20), true);
        p.speed = 1000.0;
        p.play(10, 100);
        p.tick(0.0, 10, 100);
        assert_eq!(
            p.tick(5000.0, 10, 100),
            Some(20),
            "at most 250 ms per tick, clamped to the range"
        );
        assert_eq!(p.tick(5010.0, 20, 100), Some(10), "loops");
        assert!(p.playing);
    }

    #[test]
    fn speeds_step_through_the_list() {
        let mut p = Playback::default();
        p.faster();
        assert_eq!(p.speed, 8.0);
        p.slower();
        p.slower();
        assert_eq!(p.speed, 2.0);
        for _ in 0..20 {
            p.faster();
        }
        assert_eq!(p.speed, 2000.0);
    }
}
