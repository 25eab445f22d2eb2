//! The timeline's frames: one per event, the events of opening first; an
//! operation that caused no event still gets one frame.

/// What one frame shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameRef {
    /// Event `event` of opening the database.
    Open {
        /// Index into the opening events.
        event: usize,
    },
    /// Operation `op`: its event `event`, or the operation itself when it
    /// caused none.
    Op {
        /// The operation.
        op: usize,
        /// The event within it.
        event: Option<usize>,
    },
}

impl FrameRef {
    /// The operation boundary the frame's views start from: the number of
    /// operations applied before it.
    pub fn boundary(self) -> usize {
        match self {
            FrameRef::Open { .. } => 0,
            FrameRef::Op { op, .. } => op,
        }
    }

    /// The operation, if the frame belongs to one.
    pub fn op(self) -> Option<usize> {
        match self {
            FrameRef::Open { .. } => None,
            FrameRef::Op { op, .. } => Some(op),
        }
    }

    /// Events of the frame's operation fed to the views, up to and
    /// including this frame's.
    pub fn events_upto(self) -> usize {
        match self {
            FrameRef::Open { event }
            | FrameRef::Op {
                event: Some(event), ..
            } => event + 1,
            FrameRef::Op { event: None, .. } => 0,
        }
    }
}

/// Frame numbering over the opening events and the operations.
#[derive(Clone, Debug, Default)]
pub struct Frames {
    open: usize,
    /// First frame of each operation.
    starts: Vec<usize>,
    /// Events of each operation.
    events: Vec<usize>,
    total: usize,
}

impl Frames {
    /// Frames for `open_events` opening events and no operation.
    pub fn new(open_events: usize) -> Self {
        Self {
            open: open_events,
            total: open_events,
            ..Self::default()
        }
    }

    /// Adds an operation with `events` events.
    pub fn push_op(&mut self, events: usize) {
        self.starts.push(self.total);
        self.events.push(events);
        self.total += events.max(1);
    }

    /// Frames in all.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The first frame of operation `op` (the end if there is none).
    pub fn first_of_op(&self, op: usize) -> usize {
        self.starts.get(op).copied().unwrap_or(self.total)
    }

    /// What frame `pos` shows (clamped to the last frame).
    pub fn at(&self, pos: usize) -> FrameRef {
        let pos = pos.min(self.total.saturating_sub(1));
        if pos < self.open || self.starts.is_empty() {
            return FrameRef::Open {
                event: pos.min(self.open.saturating_sub(1)),
            };
        }
        let op = self.starts.partition_point(|&s| s <= pos).saturating_sub(1);
        let start = self.first_of_op(op);
        let events = self.events.get(op).copied().unwrap_or(0);
        FrameRef::Op {
            op,
            event: (events > 0).then(|| pos - start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_cover_events_and_quiet_operations() {
        let mut frames = Frames::new(2);
        frames.push_op(3);
        frames.push_op(0);
        frames.push_op(1);
        assert_eq!(frames.total(), 2 + 3 + 1 + 1);
        assert_eq!(frames.at(1), FrameRef::Open { event: 1 });
        assert_eq!(
            frames.at(2),
            FrameRef::Op {
                op: 0,
                event: Some(0)
            }
        );
        assert_eq!(
            frames.at(4),
            FrameRef::Op {
                op: 0,
                event: Some(2)
            }
        );
        assert_eq!(frames.at(5), FrameRef::Op { op: 1, event: None });
        assert_eq!(
            frames.at(6),
            FrameRef::Op {
                op: 2,
                event: Some(0)
            }
        );
        assert_eq!(
            frames.at(99),
            FrameRef::Op {
                op: 2,
                event: Some(0)
            }
        );
        assert_eq!(frames.first_of_op(1), 5);
        assert_eq!(frames.at(5).events_upto(), 0);
        assert_eq!(frames.at(4).events_upto(), 3);
    }
}
