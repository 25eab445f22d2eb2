//! The compare player: one cursor over a [`Comparison`], one playback, and
//! the frame the compare page draws (each side's levels on the shared key
//! axis, its figures, its invariant badge and its theory; the differences
//! between the sides). The page's one reducer holds it; everything here is
//! plain Rust, tested natively.

use std::rc::Rc;

use super::invariants::InvariantStatus;
use super::Comparison;
use crate::model::i18n::{tr, CompareText, Msg};
use crate::model::narrate::describe_op;
use crate::model::playback::Playback;
use crate::model::setup::Setup;
use crate::model::theory::{theory_view, TheoryView};
use crate::model::views::stats::Sample;
use crate::model::views::structure::LevelsView;

/// What the compare page can do.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareAction {
    /// Show the state after `n` operations.
    Seek(usize),
    /// Move by `n` operations.
    Step(isize),
    /// Play or pause.
    TogglePlay,
    /// An animation frame at this time (ms).
    Tick(f64),
    /// Set the speed (operations per second).
    SetSpeed(f64),
}

/// One side as the page draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct SideFrame {
    /// Its letter.
    pub letter: char,
    /// Its options in words (`compaction_strategy=size_tiered`).
    pub options: String,
    /// Its levels, placed on the axis every side shares.
    pub levels: Rc<LevelsView>,
    /// Its figures at the cursor.
    pub sample: Sample,
    /// Its invariant badge.
    pub invariants: InvariantStatus,
    /// What the theory predicts for its options and levels.
    pub theory: Rc<TheoryView>,
}

/// What the page draws at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareFrame {
    /// Operations done.
    pub done: usize,
    /// Operations in the log.
    pub ops: usize,
    /// The last operation done, in words.
    pub op_label: String,
    /// The sides.
    pub sides: Vec<SideFrame>,
    /// How each later side differs from the first, in sentences.
    pub differences: Vec<String>,
    /// Playing?
    pub playing: bool,
    /// Operations per second.
    pub speed: f64,
    /// Why playback stopped, if an invariant broke.
    pub stopped: Option<String>,
}

/// The comparison, its cursor and its playback.
pub struct ComparePlayer {
    /// The sides' engines.
    pub comparison: Comparison,
    /// The setup it came from (its `compare` is set).
    pub setup: Setup,
    playback: Playback,
    stopped: Option<String>,
}

impl ComparePlayer {
    /// Builds the comparison `setup` describes, at its cursor.
    pub fn open(setup: &Setup) -> Result<ComparePlayer, String> {
        let spec = setup
            .compare
            .clone()
            .ok_or_else(|| "not a comparison".to_owned())?;
        let comparison = spec.build(setup)?;
        let mut player = ComparePlayer {
            comparison,
            // The cursor is `at=`, in operations: no single-view frame.
            setup: Setup {
                pos: None,
                ..setup.clone()
            },
            playback: Playback::default(),
            stopped: None,
        };
        let done = spec.done.unwrap_or(player.comparison.ops());
        player.seek(done);
        Ok(player)
    }

    /// Applies `action`.
    pub fn apply(&mut self, action: CompareAction) {
        let total = self.comparison.ops() + 1;
        match action {
            CompareAction::Seek(done) => {
                self.playback.pause();
                self.seek(done);
            }
            CompareAction::Step(delta) => {
                self.playback.pause();
                self.seek(self.comparison.done().saturating_add_signed(delta));
            }
            CompareAction::TogglePlay => {
                if self.playback.playing {
                    self.playback.pause();
                } else if let Some(start) = self.playback.play(self.comparison.done(), total) {
                    self.seek(start);
                }
            }
            CompareAction::Tick(now_ms) => {
                if let Some(done) = self.playback.tick(now_ms, self.comparison.done(), total) {
                    self.seek(done);
                }
            }
            CompareAction::SetSpeed(speed) => self.playback.speed = speed,
        }
    }

    /// Moves every side to after `done` operations; a broken invariant
    /// stops playback and says why.
    fn seek(&mut self, done: usize) {
        self.comparison.seek(done);
        let statuses = self.comparison.invariants();
        self.stopped = stop_on_violation(&mut self.playback, &self.comparison.letters(), &statuses);
        let done = self.comparison.done();
        if let Some(spec) = self.setup.compare.as_mut() {
            spec.done = (done < self.comparison.ops()).then_some(done);
        }
    }

    /// The link fragment of what is shown.
    pub fn fragment(&self) -> String {
        self.setup.to_fragment()
    }

    /// Whether it plays.
    pub fn playing(&self) -> bool {
        self.playback.playing
    }

    /// The frame at the cursor.
    pub fn frame(&self) -> CompareFrame {
        let c = &self.comparison;
        let statuses = c.invariants();
        let sides = c
            .sides()
            .iter()
            .enumerate()
            .zip(statuses)
            .map(|((i, side), invariants)| {
                let views = side.session.views();
                let sample = views.stats.current;
                let options = side
                    .spec
                    .overrides
                    .iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                SideFrame {
                    letter: side.letter,
                    options,
                    levels: Rc::new(c.levels_on_shared_axis(i).unwrap_or_default()),
                    sample,
                    invariants,
                    theory: Rc::new(theory_view(side.session.options(), &sample)),
                }
            })
            .collect();
        let letters = c.letters();
        let op_label = c
            .done()
            .checked_sub(1)
            .and_then(|i| c.sides().first()?.session.trace().steps.get(i))
            .map_or_else(
                || tr(&Msg::Compare(CompareText::Opening)),
                |s| describe_op(&s.op),
            );
        CompareFrame {
            done: c.done(),
            ops: c.ops(),
            op_label,
            sides,
            differences: sentences(c.differences().iter().map(|d| d.text(&letters))),
            playing: self.playback.playing,
            speed: self.playback.speed,
            stopped: self.stopped.clone(),
        }
    }
}

/// `texts` without repeats (two sides with no gets yet say the same),
/// in order.
fn sentences(texts: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// Pauses `playback` if any side's invariants are broken; the message of
/// the first broken side.
pub fn stop_on_violation(
    playback: &mut Playback,
    letters: &[char],
    statuses: &[InvariantStatus],
) -> Option<String> {
    let (letter, broken) = letters.iter().zip(statuses).find(|(_, s)| s.is_broken())?;
    playback.pause();
    Some(broken.text(*letter))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::model::compare::invariants::Violation;
    use crate::model::compare::spec::CompareSpec;
    use crate::model::compare::SideSpec;

    fn bloom_setup() -> Setup {
        Setup {
            compare: CompareSpec::of_preset("cmp-bloom-bits"),
            ..Setup::default()
        }
    }

    #[test]
    fn a_compare_link_survives_its_fragment() {
        let mut setup = bloom_setup();
        setup.compare.as_mut().unwrap().done = Some(7);
        let fragment = setup.to_fragment();
        assert_eq!(fragment, "cs=cmp-bloom-bits&at=7");
        assert_eq!(Setup::from_fragment(&fragment), Ok(setup.clone()));
        // A frame of the single view left in the setup is not the cursor.
        setup.pos = Some(1);
        let player = ComparePlayer::open(&setup).unwrap();
        assert_eq!(player.fragment(), "cs=cmp-bloom-bits&at=7");

        let mut on_scenario = Setup::of_preset("l0-to-l1").unwrap();
        on_scenario.lang = Some(crate::model::i18n::Lang::Zh);
        on_scenario.compare = Some(CompareSpec::against_other_strategy(&on_scenario));
        let fragment = on_scenario.to_fragment();
        assert!(fragment.contains("cmp="), "{fragment}");
        assert_eq!(Setup::from_fragment(&fragment), Ok(on_scenario));
    }

    #[test]
    fn bad_compare_links_say_what_is_wrong() {
        for bad in [
            "cs=nope",
            "cmp=bloom_bits_per_key:0",
            "cmp=nope:1|",
            "cmp=bloom_bits_per_key:lots|",
            "cs=cmp-bloom-bits&at=x",
        ] {
            assert!(Setup::from_fragment(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn the_cursor_opens_where_the_link_says_and_moves_every_side_together() {
        let mut setup = bloom_setup();
        setup.compare.as_mut().unwrap().done = Some(5);
        let mut player = ComparePlayer::open(&setup).unwrap();
        let frame = player.frame();
        assert_eq!(frame.done, 5);
        assert_eq!(frame.sides.len(), 3);
        player.apply(CompareAction::Step(1));
        assert_eq!(player.comparison.done(), 6);
        for side in player.comparison.sides() {
            let pos = side.session.pos();
            assert_eq!(
                side.session.frame(pos).op(),
                Some(5),
                "side {}",
                side.letter
            );
        }
        assert!(player.fragment().ends_with("at=6"), "{}", player.fragment());
        player.apply(CompareAction::Seek(usize::MAX));
        assert_eq!(player.comparison.done(), player.comparison.ops());
        assert!(!player.fragment().contains("at="), "the end is the default");
        player.apply(CompareAction::Step(-3));
        assert_eq!(player.comparison.done(), player.comparison.ops() - 3);
    }

    #[test]
    fn stepping_and_seeking_show_the_same_frames() {
        let mut stepped = ComparePlayer::open(&bloom_setup()).unwrap();
        let mut seeking = ComparePlayer::open(&bloom_setup()).unwrap();
        let ops = stepped.comparison.ops();
        stepped.apply(CompareAction::Seek(ops - 30));
        for done in ops - 30..=ops {
            seeking.apply(CompareAction::Seek(done));
            assert_eq!(stepped.frame(), seeking.frame(), "after {done} operations");
            stepped.apply(CompareAction::Step(1));
        }
    }

    #[test]
    fn playing_advances_every_side_by_whole_operations_and_stops_at_the_end() {
        let mut player = ComparePlayer::open(&bloom_setup()).unwrap();
        let ops = player.comparison.ops();
        // At the end, play starts again from the beginning.
        player.apply(CompareAction::TogglePlay);
        assert!(player.playing());
        assert_eq!(player.comparison.done(), 0);
        player.apply(CompareAction::SetSpeed(1000.0));
        player.apply(CompareAction::Tick(0.0));
        player.apply(CompareAction::Tick(10.0));
        assert_eq!(player.comparison.done(), 10);
        let mut now = 10.0;
        while player.playing() {
            now += 200.0;
            player.apply(CompareAction::Tick(now));
        }
        assert_eq!(player.comparison.done(), ops);
        let frame = player.frame();
        assert!(frame.sides.iter().all(|s| !s.invariants.is_broken()));
        assert_eq!(frame.stopped, None);
        let mut unique = frame.differences.clone();
        unique.dedup();
        assert_eq!(unique.len(), frame.differences.len(), "no sentence twice");
        // The differences read as the preset claims: no filter reads more.
        assert!(
            frame
                .differences
                .iter()
                .any(|d| d.starts_with("B reads") || d.starts_with("C reads")),
            "{:?}",
            frame.differences
        );
    }

    #[test]
    fn a_broken_invariant_stops_playback_with_its_message() {
        let mut playback = Playback::default();
        playback.play(0, 10);
        let statuses = [
            InvariantStatus::Hold,
            InvariantStatus::Broken(Violation {
                after_op: 3,
                message: "L1: tables 7 and 9 overlap or are out of order".to_owned(),
            }),
        ];
        let stopped = stop_on_violation(&mut playback, &['A', 'B'], &statuses).unwrap();
        assert!(!playback.playing);
        assert!(stopped.starts_with("B"), "{stopped}");
        assert!(stopped.contains("tables 7 and 9 overlap"), "{stopped}");
        let mut playing = Playback::default();
        playing.play(0, 10);
        let none = stop_on_violation(
            &mut playing,
            &['A', 'B'],
            &[InvariantStatus::Hold, InvariantStatus::Hold],
        );
        assert_eq!(none, None);
        assert!(playing.playing);
    }

    #[test]
    fn the_sides_share_one_key_axis() {
        let player = ComparePlayer::open(&bloom_setup()).unwrap();
        let frame = player.frame();
        let axis = &frame.sides[0].levels.axis;
        for side in &frame.sides {
            assert_eq!(&side.levels.axis, axis, "side {}", side.letter);
        }
    }

    #[test]
    fn leaving_a_preset_shows_its_log_with_side_a_options() {
        let spec = CompareSpec::of_preset("cmp-size-ratio").unwrap();
        let single = spec.leave(&Setup::default());
        assert_eq!(single.compare, None);
        let options = single.options().unwrap();
        assert_eq!(options.level_size_ratio, 4);
        assert_eq!(options.level_base_bytes, 2048);
        assert_eq!(single.commands.len(), 1, "{:?}", single.commands);
        assert!(single.commands[0].starts_with("load random 3000"));

        let mut setup = Setup::of_preset("l0-to-l1").unwrap();
        let spec = CompareSpec {
            preset: None,
            sides: vec![
                SideSpec::of(&[("bloom_bits_per_key", "0")]),
                SideSpec::default(),
            ],
            done: Some(3),
        };
        setup.compare = Some(spec.clone());
        let single = spec.leave(&setup);
        assert_eq!(single.preset, setup.preset);
        assert_eq!(single.options().unwrap().bloom_bits_per_key, 0);
    }
}
