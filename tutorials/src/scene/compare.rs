//! Compare scenes: one script on two or three option sets.
//!
//! A line `# compare: SIDE | SIDE [| SIDE]` makes a scene a comparison;
//! each `SIDE` is a list of `name=value` options over the scene's own
//! (empty: the scene's options as they are). The sides are `A`, `B`, `C`
//! in order. The visualizer opens such a scene in compare mode, all sides
//! under one timeline. A compare scene sets `option maintenance=inline`,
//! so that its operations are the same on every side whichever driver
//! runs it (a manual `step` would be one side's maintenance replayed on
//! another).
//!
//! A line `# expect compare: SIDE MEASURE OP FACTOR SIDE` states how two
//! sides differ at the end of the script: `A blocks_per_get >= 5 C` says
//! A reads at least five times the blocks per get C reads. Measures:
//!
//! ```text
//! write_amp        bytes written to storage over bytes written by the user
//! table_bytes      bytes of tables on storage
//! tables_per_get   tables probed per get
//! blocks_per_get   data blocks read per get
//! levels           levels down to the deepest holding a table, L0 included
//! ```

use std::sync::Arc;

use strata_engine::Options;
use strata_engine::script::{Scene, set_option};
use strata_engine::trace::{OpOutcome, TraceRunner};
use strata_storage::MemStorage;

/// Most sides a comparison holds.
pub const MAX_SIDES: usize = 3;

/// One side's options over the scene's: (name, value) pairs.
pub type SideOptions = Vec<(String, String)>;

/// Each side's options over the scene's, from a `# compare:` line
/// (`Ok(None)` for any other line).
pub fn parse_compare(line: &str) -> Result<Option<Vec<SideOptions>>, String> {
    let Some(rest) = line
        .trim()
        .strip_prefix('#')
        .map(str::trim_start)
        .and_then(|c| c.strip_prefix("compare:"))
    else {
        return Ok(None);
    };
    let sides = rest
        .split('|')
        .map(|side| {
            side.split_whitespace()
                .map(|item| {
                    item.split_once('=')
                        .map(|(n, v)| (n.to_owned(), v.to_owned()))
                        .ok_or_else(|| format!("compare: {item:?} is not name=value"))
                })
                .collect::<Result<Vec<_>, String>>()
        })
        .collect::<Result<Vec<_>, String>>()?;
    if !(2..=MAX_SIDES).contains(&sides.len()) {
        return Err(format!("compare: two or three sides, not {}", sides.len()));
    }
    Ok(Some(sides))
}

/// A figure sides are compared on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Write amplification.
    WriteAmp,
    /// Bytes of tables.
    TableBytes,
    /// Tables probed per get.
    TablesPerGet,
    /// Data blocks read per get.
    BlocksPerGet,
    /// Levels in use, L0 included.
    Levels,
}

impl Measure {
    fn parse(word: &str) -> Option<Measure> {
        Some(match word {
            "write_amp" => Measure::WriteAmp,
            "table_bytes" => Measure::TableBytes,
            "tables_per_get" => Measure::TablesPerGet,
            "blocks_per_get" => Measure::BlocksPerGet,
            "levels" => Measure::Levels,
            _ => return None,
        })
    }
}

/// A side's figures at the end of a compare scene.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Figures {
    /// Write amplification.
    pub write_amp: f64,
    /// Bytes of tables.
    pub table_bytes: f64,
    /// Tables probed per get.
    pub tables_per_get: f64,
    /// Data blocks read per get.
    pub blocks_per_get: f64,
    /// Levels in use, L0 included.
    pub levels: f64,
}

impl Figures {
    fn of(&self, measure: Measure) -> f64 {
        match measure {
            Measure::WriteAmp => self.write_amp,
            Measure::TableBytes => self.table_bytes,
            Measure::TablesPerGet => self.tables_per_get,
            Measure::BlocksPerGet => self.blocks_per_get,
            Measure::Levels => self.levels,
        }
    }
}

/// A parsed `# expect compare:` line.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareExpectation {
    side: usize,
    measure: Measure,
    at_least: bool,
    factor: f64,
    other: usize,
    /// The line as written, for messages.
    pub text: String,
}

fn side_index(word: &str) -> Option<usize> {
    match word {
        "A" => Some(0),
        "B" => Some(1),
        "C" => Some(2),
        _ => None,
    }
}

/// Parses a line if it is a compare expectation (`Ok(None)` otherwise).
pub fn parse_compare_expectation(line: &str) -> Result<Option<CompareExpectation>, String> {
    let Some(rest) = line
        .trim()
        .strip_prefix('#')
        .map(str::trim_start)
        .and_then(|c| c.strip_prefix("expect compare:"))
    else {
        return Ok(None);
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    let [side, measure, op, factor, other] = words.as_slice() else {
        return Err(format!(
            "expect compare: SIDE MEASURE OP FACTOR SIDE, not {:?}",
            rest.trim()
        ));
    };
    let bad = |what: &str, word: &str| format!("expect compare: bad {what} {word:?}");
    Ok(Some(CompareExpectation {
        side: side_index(side).ok_or_else(|| bad("side", side))?,
        measure: Measure::parse(measure).ok_or_else(|| bad("measure", measure))?,
        at_least: match *op {
            ">=" => true,
            "<=" => false,
            _ => return Err(bad("comparison (>= or <=)", op)),
        },
        factor: factor
            .parse()
            .ok()
            .filter(|f: &f64| f.is_finite() && *f > 0.0)
            .ok_or_else(|| bad("factor", factor))?,
        other: side_index(other).ok_or_else(|| bad("side", other))?,
        text: line.trim().to_owned(),
    }))
}

impl CompareExpectation {
    /// Checks the expectation on the sides' figures (what any driver of
    /// the scene measured: the tests' own runs, or the visualizer's).
    pub fn check(&self, sides: &[Figures]) -> Result<(), String> {
        let figure = |i: usize| {
            sides
                .get(i)
                .map(|f| f.of(self.measure))
                .ok_or_else(|| format!("{}: no side {i}", self.text))
        };
        let (a, b) = (figure(self.side)?, figure(self.other)?);
        let bound = self.factor * b;
        let holds = if self.at_least {
            a >= bound
        } else {
            a <= bound
        };
        if holds {
            Ok(())
        } else {
            Err(format!("{} failed: {a:.3} against {b:.3}", self.text))
        }
    }

    /// The measured ratio of the two sides' figures (for prose that
    /// quotes it).
    pub fn ratio(&self, sides: &[Figures]) -> Option<f64> {
        let a = sides.get(self.side)?.of(self.measure);
        let b = sides.get(self.other)?.of(self.measure);
        (b != 0.0).then(|| a / b)
    }
}

/// What running a compare scene produced.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRun {
    /// Each side's options over the scene's.
    pub sides: Vec<SideOptions>,
    /// Each side's figures at the end.
    pub figures: Vec<Figures>,
    /// The compare expectations, each checked.
    pub expectations: Vec<CompareExpectation>,
}

/// Runs a compare scene on every side and checks its `# expect compare:`
/// lines; `Ok(None)` for a scene without a `# compare:` line. (The
/// scene's other expectations and questions are about its own options:
/// [`super::run_scene`] checks them.)
pub fn run_compare_scene(text: &str) -> Result<Option<CompareRun>, String> {
    let mut sides = None;
    let mut expectations = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}", i + 1);
        if let Some(s) = parse_compare(line).map_err(at)?
            && sides.replace(s).is_some()
        {
            return Err(at("a second compare line".into()));
        }
        if let Some(e) = parse_compare_expectation(line).map_err(at)? {
            expectations.push(e);
        }
    }
    let Some(sides) = sides else {
        if expectations.is_empty() {
            return Ok(None);
        }
        return Err("expect compare without a compare line".into());
    };
    let scene = Scene::parse(text, &Options::deterministic()).map_err(|e| e.to_string())?;
    if scene.options.maintenance != strata_engine::MaintenanceMode::Inline {
        return Err("a compare scene sets option maintenance=inline".into());
    }
    let figures = sides
        .iter()
        .map(|side| run_side(&scene, side))
        .collect::<Result<Vec<_>, String>>()?;
    for e in &expectations {
        e.check(&figures)?;
    }
    Ok(Some(CompareRun {
        sides,
        figures,
        expectations,
    }))
}

/// The scene's commands on its options with `side` on top.
fn run_side(scene: &Scene, side: &[(String, String)]) -> Result<Figures, String> {
    let mut options = scene.options.clone();
    for (name, value) in side {
        set_option(&mut options, name, value).map_err(|e| e.to_string())?;
    }
    options.validate().map_err(|e| e.to_string())?;
    let mut runner = TraceRunner::open(Arc::new(MemStorage::new()), options)
        .map_err(|e| format!("open: {e}"))?;
    for command in &scene.commands {
        runner.execute(command).map_err(|e| e.to_string())?;
    }
    let failed = runner.trace().steps.iter().find_map(|s| match &s.outcome {
        OpOutcome::Failed { message } => Some(message.clone()),
        _ => None,
    });
    if let Some(message) = failed {
        return Err(format!("operation failed: {message}"));
    }
    runner
        .db()
        .check_invariants()
        .map_err(|e| format!("after the scene: {e}"))?;
    let stats = runner.db().stats();
    let levels = runner.db().levels();
    Ok(Figures {
        write_amp: stats.write_amplification(),
        table_bytes: stats.table_bytes() as f64,
        tables_per_get: stats.read_amplification(),
        blocks_per_get: stats.blocks_read_per_get(),
        levels: levels
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(0, |i| i + 1) as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_lines_name_two_or_three_sides() {
        assert_eq!(parse_compare("put a 1"), Ok(None));
        assert_eq!(
            parse_compare("# compare: bloom_bits_per_key=0 | "),
            Ok(Some(vec![
                vec![("bloom_bits_per_key".to_owned(), "0".to_owned())],
                vec![]
            ]))
        );
        assert!(parse_compare("# compare: a=1").is_err());
        assert!(parse_compare("# compare: a | b=1").is_err());
        assert!(parse_compare("# compare: | | |").is_err());
    }

    #[test]
    fn compare_expectations_bound_one_side_by_another() {
        let e = parse_compare_expectation("# expect compare: A blocks_per_get >= 5 C")
            .unwrap()
            .unwrap();
        let sides = [
            Figures {
                blocks_per_get: 2.0,
                ..Figures::default()
            },
            Figures::default(),
            Figures {
                blocks_per_get: 0.5,
                ..Figures::default()
            },
        ];
        assert!(e.check(&sides).is_err(), "2 is less than 5 × 0.5");
        let e = parse_compare_expectation("# expect compare: A blocks_per_get >= 2 C")
            .unwrap()
            .unwrap();
        assert_eq!(e.check(&sides), Ok(()));
        assert_eq!(e.ratio(&sides), Some(4.0));
        for bad in [
            "# expect compare: A blocks_per_get >= 5",
            "# expect compare: D blocks_per_get >= 5 A",
            "# expect compare: A speed >= 5 B",
            "# expect compare: A levels > 5 B",
            "# expect compare: A levels >= -1 B",
        ] {
            assert!(parse_compare_expectation(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn compare_scenes_run_on_every_side_and_need_inline_maintenance() {
        let script = "option maintenance=inline\noption memtable_bytes_max=1024\n\
            # compare: bloom_bits_per_key=0 | bloom_bits_per_key=10\n\
            load random 300 seed=3 keys=150 value_bytes=16\n\
            get key000010x\nget key000020x\nget key000030x\n\
            # expect compare: A blocks_per_get >= 2 B\n";
        let run = run_compare_scene(script).unwrap().unwrap();
        assert_eq!(run.figures.len(), 2);
        assert!(run.figures[0].blocks_per_get > run.figures[1].blocks_per_get);
        let wrong = script.replace(">= 2 B", "<= 1 B");
        assert!(run_compare_scene(&wrong).is_err());
        let manual = script.replace("maintenance=inline", "maintenance=manual");
        assert!(run_compare_scene(&manual).unwrap_err().contains("inline"));
        assert_eq!(run_compare_scene("put a 1\n"), Ok(None));
    }
}
