//! The guided first run: a short tour over the first-flush preset. Each
//! step waits at the first event of a kind, points at the panel that event
//! changes, and says in one sentence what happened and why.

use super::focus::{panel_of, Panel};
use super::i18n::Msg;
use super::session::Session;

/// The preset the tour runs over.
pub const TOUR_PRESET: &str = "first-flush";

/// One step of the tour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TourStep {
    /// The step waits at the first event of this kind after the previous
    /// step's.
    pub event: &'static str,
    /// The panel it points at.
    pub panel: Panel,
    /// What it says.
    pub say: Msg<'static>,
}

/// The tour's steps, in order.
pub const TOUR: &[TourStep] = &[
    TourStep {
        event: "wal_appended",
        panel: Panel::Structure,
        say: Msg::TourWal,
    },
    TourStep {
        event: "memtable_insert",
        panel: Panel::Structure,
        say: Msg::TourMemtable,
    },
    TourStep {
        event: "memtable_frozen",
        panel: Panel::Structure,
        say: Msg::TourFrozen,
    },
    TourStep {
        event: "table_finished",
        panel: Panel::Structure,
        say: Msg::TourFlush,
    },
    TourStep {
        event: "manifest_edit",
        panel: Panel::Structure,
        say: Msg::TourManifest,
    },
    TourStep {
        event: "get_started",
        panel: Panel::ReadPath,
        say: Msg::TourGet,
    },
    TourStep {
        event: "bloom_probe",
        panel: Panel::Bloom,
        say: Msg::TourBloom,
    },
];

/// The frame of each tour step on `session` (the tour preset's), in order:
/// the first event of the step's kind after the previous step's frame.
/// `None` for a step whose event never comes.
pub fn tour_frames(session: &Session) -> Vec<Option<usize>> {
    let mut from = 0;
    TOUR.iter()
        .map(|step| {
            let found = (from..session.total_frames())
                .find(|pos| session.frame_kind(*pos) == Some(step.event));
            if let Some(f) = found {
                from = f + 1;
            }
            found
        })
        .collect()
}

/// Whether the tour's steps point at the panels their events change.
pub fn step_panel_is_the_events(step: &TourStep) -> bool {
    panel_of(step.event) == Some(step.panel)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::model::controller::{build, Action, Controller};
    use crate::model::i18n::tr;
    use crate::model::setup::{Embed, Setup};

    #[test]
    fn every_tour_step_finds_its_event_in_order() {
        let (session, _) = build(&Setup::of_preset(TOUR_PRESET).unwrap()).unwrap();
        let frames = tour_frames(&session);
        assert!(frames.iter().all(Option::is_some), "{frames:?}");
        let frames: Vec<usize> = frames.into_iter().flatten().collect();
        assert!(frames.windows(2).all(|w| w[0] < w[1]), "{frames:?}");
        for step in TOUR {
            assert!(step_panel_is_the_events(step), "{step:?}");
            let words = tr(&step.say);
            assert!(words.ends_with('.') && words.len() < 240, "{words}");
        }
    }

    #[test]
    fn the_tour_waits_at_each_step_and_moves_on_when_asked() {
        let mut c = Controller::new(Setup::default(), Embed::default(), false);
        c.apply(Action::StartTour);
        assert_eq!(c.setup.preset.map(|p| p.id), Some(TOUR_PRESET));
        let (session, _) = build(&Setup::of_preset(TOUR_PRESET).unwrap()).unwrap();
        let frames: Vec<usize> = tour_frames(&session).into_iter().flatten().collect();
        let view = c.tour_view().unwrap();
        assert_eq!((view.step, view.steps), (0, TOUR.len()));
        assert_eq!(c.session.pos(), frames[0]);
        assert!(!c.playback.playing, "it waits for the student");
        c.apply(Action::TourNext);
        assert!(c.playback.playing, "next plays up to the next step");
        let mut now = 0.0;
        while c.playback.playing {
            now += 50.0;
            c.apply(Action::Tick(now));
        }
        assert_eq!(c.session.pos(), frames[1]);
        assert_eq!(c.tour_view().unwrap().step, 1);
        for _ in 1..TOUR.len() {
            c.apply(Action::TourNext);
            while c.playback.playing {
                now += 50.0;
                c.apply(Action::Tick(now));
            }
        }
        assert_eq!(c.session.pos(), *frames.last().unwrap());
        c.apply(Action::TourNext);
        assert!(c.tour_view().is_none(), "the last next ends the tour");
    }
}
