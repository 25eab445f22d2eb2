//! What each scenario preset claims, as checks on its trace.
//!
//! A preset's blurb says what it shows ("runs pile up", "merges them with
//! L1"); its [`Claim`]s say the same as data, and [`check`] evaluates them
//! over the preset's [`Session`], so a native test holds every blurb to
//! what the engine really did.

use strata_tutorials::scene::parse_expectation;

use super::session::Session;

/// One checkable statement about a preset's run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// An `# expect:` clause of the scene language (see
    /// `strata_tutorials::scene`), over the whole trace; a `tables` clause
    /// looks at the tree at the end.
    Trace(&'static str),
    /// After some operation, `level` holds at least `tables` tables (in an
    /// overlapping level, each is a run).
    LevelHoldsAtSomePoint {
        /// The level.
        level: usize,
        /// Fewest tables.
        tables: u16,
    },
    /// After every operation, every level from `from` down holds at most
    /// `tables` tables.
    LevelsNeverHoldMore {
        /// The first level looked at.
        from: usize,
        /// Most tables.
        tables: u16,
    },
    /// Write amplification at the end is at most `percent` % of what
    /// preset `other` ends with.
    WriteAmpAtMostPercentOf {
        /// The other preset's id.
        other: &'static str,
        /// The bound, in percent.
        percent: u16,
    },
    /// The tree holds at least this many tables at the end.
    TablesAtEnd(u32),
    /// Space amplification at the end is at least `percent` % of preset
    /// `other`'s.
    SpaceAmpAtLeastPercentOf {
        /// The other preset's id.
        other: &'static str,
        /// The bound, in percent.
        percent: u16,
    },
}

/// Checks `claim` on `session`; `run_other` runs another preset by id (for
/// comparisons). The error says what the trace shows instead.
pub fn check(
    claim: &Claim,
    session: &Session,
    run_other: &dyn Fn(&str) -> Result<Session, String>,
) -> Result<(), String> {
    let samples = session.samples();
    let last = samples.last().copied().unwrap_or_default();
    match *claim {
        Claim::Trace(line) => {
            let expectation = parse_expectation(&format!("# expect: {line}"))?
                .ok_or_else(|| format!("{line:?} is not an expectation"))?;
            let tables: Vec<usize> = session.head_db().levels().iter().map(Vec::len).collect();
            expectation.check_trace(session.trace(), &tables, 0)
        }
        Claim::LevelHoldsAtSomePoint { level, tables } => {
            let most = samples
                .iter()
                .filter_map(|s| s.level_tables.get(level).copied())
                .max()
                .unwrap_or(0);
            if most >= tables {
                Ok(())
            } else {
                Err(format!("L{level} holds at most {most} tables"))
            }
        }
        Claim::TablesAtEnd(n) => {
            if last.tables >= n {
                Ok(())
            } else {
                Err(format!("{} tables at the end", last.tables))
            }
        }
        Claim::LevelsNeverHoldMore { from, tables } => {
            let most = samples
                .iter()
                .flat_map(|s| s.level_tables.iter().skip(from).copied())
                .max()
                .unwrap_or(0);
            if most <= tables {
                Ok(())
            } else {
                Err(format!("a level from L{from} down holds {most} tables"))
            }
        }
        Claim::WriteAmpAtMostPercentOf { other, percent } => {
            let theirs = run_other(other)?
                .samples()
                .last()
                .copied()
                .unwrap_or_default();
            if last.write_amp <= theirs.write_amp * f32::from(percent) / 100.0 {
                Ok(())
            } else {
                Err(format!(
                    "write amplification {:.2} against {:.2} for {other}",
                    last.write_amp, theirs.write_amp
                ))
            }
        }
        Claim::SpaceAmpAtLeastPercentOf { other, percent } => {
            let theirs = run_other(other)?
                .samples()
                .last()
                .copied()
                .unwrap_or_default();
            if last.space_amp >= theirs.space_amp * f32::from(percent) / 100.0 {
                Ok(())
            } else {
                Err(format!(
                    "space amplification {:.2} against {:.2} for {other}",
                    last.space_amp, theirs.space_amp
                ))
            }
        }
    }
}
