//! Compare mode: one operation log run on two or three option sets, each
//! its own real engine [`Session`], under one cursor.
//!
//! - **One log.** The commands are expanded once, by a session with the
//!   first side's options (so typed commands get the maintenance steps that
//!   side makes due); the resulting operations are fed, one by one, to
//!   every side. Each side keeps its own trace and checkpoints.
//! - **One cursor, in operations.** The cursor `done` means "after `done`
//!   operations": every side shows the last frame of operation `done − 1`
//!   (the end of opening for `done` = 0). Stepping back and seeking use each
//!   side's checkpoints, as a single session does.
//! - **One key axis.** [`Comparison::levels_on_shared_axis`] places each
//!   side's tables on the axis through every side's table boundaries, so
//!   the same key sits at the same place on every side.
//! - **Checked after every step.** The engine's own invariant check runs
//!   on every side after each operation that edits the manifest or deletes
//!   a file (no other can break it) while the log is built, and the levels
//!   shown are checked at the cursor ([`invariants`]).

pub mod diff;
pub mod invariants;
pub mod player;
pub mod presets;
pub mod spec;

use std::rc::Rc;

use strata_engine::script::{Command, Scene};
use strata_engine::trace::TraceOp;
use strata_engine::Options;

use super::axis::KeyAxis;
use super::i18n::script_errors::script_error;
use super::setup::{apply_option, Setup};
use super::views::structure::LevelsView;
use super::views::Views;
use super::{controller, session::Session, url};
use invariants::{InvariantStatus, Violation};

/// Most sides a comparison holds.
pub const MAX_SIDES: usize = 3;

/// How a side's options differ from the log's base options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SideSpec {
    /// Options set on top of the base: (name, value), as in the panel.
    pub overrides: Vec<(String, String)>,
}

impl SideSpec {
    /// A side with `overrides`.
    pub fn of(overrides: &[(&str, &str)]) -> SideSpec {
        SideSpec {
            overrides: overrides
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// The base options with this side's overrides.
    pub fn options(&self, base: &Options) -> Result<Options, String> {
        let mut options = base.clone();
        for (name, value) in &self.overrides {
            apply_option(&mut options, name, value)?;
        }
        Ok(options)
    }
}

/// One side: its options and its engine.
pub struct Side {
    /// Its letter (`A`, `B`, `C`).
    pub letter: char,
    /// How its options differ from the base.
    pub spec: SideSpec,
    /// Its engine, trace and views.
    pub session: Session,
    /// The first operation after which the engine's invariant check
    /// failed, if any.
    engine_violation: Option<Violation>,
}

impl Side {
    /// Its options as a label: `A: compaction_strategy=size_tiered`.
    pub fn label(&self) -> String {
        let options: Vec<String> = self
            .spec
            .overrides
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        if options.is_empty() {
            self.letter.to_string()
        } else {
            format!("{}: {}", self.letter, options.join(", "))
        }
    }
}

/// Two or three sessions under one cursor.
pub struct Comparison {
    sides: Vec<Side>,
    done: usize,
    ops: usize,
}

impl Comparison {
    /// The setup's commands (a preset, a chapter scene, typed commands or
    /// an imported trace) on each of `sides`, whose overrides go on top of
    /// the setup's options. Opens at the end of the log.
    /// Compare mode always runs in memory, whatever the setup's
    /// persistence.
    pub fn from_setup(setup: &Setup, sides: &[SideSpec]) -> Result<Comparison, String> {
        let first = check_side_count(sides)?;
        let mut log_setup = setup.clone();
        for (name, value) in &first.overrides {
            log_setup.set_override(name, value);
        }
        let (log, _) = controller::build(&log_setup)?;
        let ops: Vec<TraceOp> = log.trace().steps.iter().map(|s| s.op.clone()).collect();
        Comparison::from_ops(&setup.options()?, &ops, sides)
    }

    /// A scene script (`option` lines, then commands) on each of `sides`,
    /// on top of `base`.
    pub fn from_script(
        script: &str,
        base: &Options,
        sides: &[SideSpec],
    ) -> Result<Comparison, String> {
        let first = check_side_count(sides)?;
        let scene = Scene::parse(script, base).map_err(|e| script_error(&e))?;
        let mut log = Session::in_memory(first.options(&scene.options)?)?;
        for command in &scene.commands {
            log.run_command(command)?;
        }
        let ops: Vec<TraceOp> = log.trace().steps.iter().map(|s| s.op.clone()).collect();
        Comparison::from_ops(&scene.options, &ops, sides)
    }

    /// `ops` on each of `sides` (options: `base` with the side's
    /// overrides), the engine's invariants checked after every operation.
    pub fn from_ops(
        base: &Options,
        ops: &[TraceOp],
        sides: &[SideSpec],
    ) -> Result<Comparison, String> {
        check_side_count(sides)?;
        let built = sides
            .iter()
            .zip(['A', 'B', 'C'])
            .map(|(spec, letter)| Side::run(letter, spec, base, ops))
            .collect::<Result<Vec<Side>, String>>()?;
        let mut comparison = Comparison {
            sides: built,
            done: 0,
            ops: ops.len(),
        };
        comparison.seek(ops.len());
        Ok(comparison)
    }

    /// The sides, in order.
    pub fn sides(&self) -> &[Side] {
        &self.sides
    }

    /// Operations in the shared log.
    pub fn ops(&self) -> usize {
        self.ops
    }

    /// Operations done at the cursor.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Moves every side to just after `done` operations (clamped to the
    /// log) and returns each side's views.
    pub fn seek(&mut self, done: usize) -> Vec<Rc<Views>> {
        self.done = done.min(self.ops);
        self.sides
            .iter_mut()
            .map(|side| {
                let frame = side.session.first_frame_of_op(self.done).saturating_sub(1);
                side.session.seek(frame)
            })
            .collect()
    }

    /// Takes (and clears) the problems the sides met while seeking, with
    /// their letters.
    pub fn take_problems(&mut self) -> Vec<(char, String)> {
        self.sides
            .iter_mut()
            .filter_map(|s| s.session.take_problem().map(|p| (s.letter, p)))
            .collect()
    }

    /// Moves the cursor by `delta` operations.
    pub fn step(&mut self, delta: isize) -> Vec<Rc<Views>> {
        self.seek(self.done.saturating_add_signed(delta))
    }

    /// Each side's views at the cursor.
    pub fn views(&self) -> Vec<Rc<Views>> {
        self.sides.iter().map(|s| s.session.views()).collect()
    }

    /// Whether each side's invariants hold at the cursor: the engine's
    /// check after every operation so far, and the levels shown.
    pub fn invariants(&self) -> Vec<InvariantStatus> {
        self.sides
            .iter()
            .map(|side| {
                let engine = side
                    .engine_violation
                    .as_ref()
                    .filter(|v| v.after_op < self.done);
                match engine {
                    Some(v) => InvariantStatus::Broken(v.clone()),
                    None => invariants::check_levels(&side.session.views().structure.levels)
                        .err()
                        .map_or(InvariantStatus::Hold, |message| {
                            InvariantStatus::Broken(Violation {
                                after_op: self.done.saturating_sub(1),
                                message,
                            })
                        }),
                }
            })
            .collect()
    }

    /// The axis through every side's table boundaries at the cursor.
    pub fn shared_axis(&self) -> KeyAxis {
        let views = self.views();
        KeyAxis::spanning(
            views
                .iter()
                .flat_map(|v| v.structure.levels.levels.iter())
                .flat_map(|l| &l.tables)
                .flat_map(|t| [t.smallest.as_slice(), t.largest.as_slice()]),
        )
    }

    /// Side `side`'s levels at the cursor, placed on the shared axis, with
    /// the axis ends of every side.
    pub fn levels_on_shared_axis(&self, side: usize) -> Option<LevelsView> {
        let axis = self.shared_axis();
        let views = self.sides.get(side)?.session.views();
        let mut placed = place_on(&views.structure.levels, axis);
        placed.axis_ends = self
            .views()
            .iter()
            .filter_map(|v| v.structure.levels.axis_ends.clone())
            .reduce(|(lo, hi), (l, h)| (lo.min(l), hi.max(h)));
        Some(placed)
    }

    /// The sides' letters, in order.
    pub fn letters(&self) -> Vec<char> {
        self.sides.iter().map(|s| s.letter).collect()
    }

    /// Each later side's figures at the cursor against the first side's.
    pub fn differences(&self) -> Vec<diff::Difference> {
        let samples: Vec<_> = self.views().iter().map(|v| v.stats.current).collect();
        diff::differences(&samples)
    }

    /// The sides of a `cmp=` link value (see [`url::decode_sides`]), each
    /// checked against `base`.
    pub fn sides_from_link(value: &str, base: &Options) -> Result<Vec<SideSpec>, String> {
        let sides: Vec<SideSpec> = url::decode_sides(value)?
            .into_iter()
            .map(|overrides| SideSpec { overrides })
            .collect();
        for side in &sides {
            side.options(base)?;
        }
        Ok(sides)
    }

    /// The `cmp=` link value of this comparison's sides.
    pub fn link_value(&self) -> String {
        let sides: Vec<_> = self
            .sides
            .iter()
            .map(|s| s.spec.overrides.clone())
            .collect();
        url::encode_sides(&sides)
    }
}

/// The first of `sides`, if there are two or three.
fn check_side_count(sides: &[SideSpec]) -> Result<&SideSpec, String> {
    match sides.first() {
        Some(first) if sides.len() <= MAX_SIDES && sides.len() >= 2 => Ok(first),
        _ => Err(format!(
            "a comparison has two or three sides, not {}",
            sides.len()
        )),
    }
}

/// `levels` with every table placed on `axis`.
pub fn place_on(levels: &LevelsView, axis: KeyAxis) -> LevelsView {
    let mut placed = levels.clone();
    for table in placed.levels.iter_mut().flat_map(|l| l.tables.iter_mut()) {
        table.x0 = axis.position(&table.smallest);
        table.x1 = axis.position(&table.largest);
    }
    placed.axis = axis;
    placed
}

impl Side {
    /// Runs `ops` on a fresh in-memory engine, checking its invariants
    /// after each.
    fn run(letter: char, spec: &SideSpec, base: &Options, ops: &[TraceOp]) -> Result<Side, String> {
        let mut session = Session::in_memory(spec.options(base)?)?;
        let mut engine_violation = None;
        for (i, op) in ops.iter().enumerate() {
            session.run_command(&Command::Op { op: op.clone() })?;
            if engine_violation.is_none() && changes_tree(&session) {
                engine_violation = check_engine(&session, i);
            }
        }
        Ok(Side {
            letter,
            spec: spec.clone(),
            session,
            engine_violation,
        })
    }
}

/// The engine's invariant check on `session`'s database at the end of its
/// log, reported as found after operation `after_op`.
fn check_engine(session: &Session, after_op: usize) -> Option<Violation> {
    session
        .head_db()
        .check_invariants()
        .err()
        .map(|message| Violation { after_op, message })
}

/// Whether the last operation changed the tree or its files (a manifest
/// edit or a deleted file): only then can an invariant break.
fn changes_tree(session: &Session) -> bool {
    session.trace().steps.last().is_some_and(|step| {
        step.events.iter().any(|e| {
            matches!(
                e,
                strata_engine::Event::ManifestEdit { .. }
                    | strata_engine::Event::FileDeleted { .. }
            )
        })
    })
}

#[cfg(test)]
mod scene_tests;
#[cfg(test)]
mod tests;
