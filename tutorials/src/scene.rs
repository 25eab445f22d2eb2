//! Scene blocks: the runnable examples of the chapters.
//!
//! A scene is a fenced code block whose info string is `scene`, holding a
//! script in the engine's command language (`strata_engine::script`):
//! `option name=value` lines, then commands. The visualizer shows each one
//! with a "run in the visualizer" control; the tests run each one on an
//! in-memory database and check its expectations.
//!
//! ## Expectations
//! A comment line of the form `# expect: CLAUSE` (or `# expect last:
//! CLAUSE`) states what the scene does, at that point of the script. Plain
//! `expect` looks at every event since the database was opened; `expect
//! last` only at the events of the command just before it. Clauses:
//!
//! ```text
//! event NAME [PATH=VALUE]...        at least one matching event
//! no event NAME [PATH=VALUE]...     no matching event
//! count NAME [PATH=VALUE]... OP N   the number of matching events; OP is = >= <= > <
//! value VALUE | value none          the answer of the last get
//! keys KEY...                       the keys the last scan returned, in order
//! tables LEVEL=N...                 tables per level now, e.g. tables L0=0 L1=2
//! ```
//!
//! `NAME` is an event's `event` tag as in the JSON trace (`bloom_probe`,
//! `compaction_entry`, …). `PATH` names a field, with dots for nested
//! fields (`source.in=table`, `trigger.kind=run_count`); an array on the
//! way matches when any element does (`inputs.level=2`: some input table is
//! in L2). `VALUE` matches a string field exactly, a number or boolean by
//! its text, `none` a null, and an array when any element matches.
//!
//! ## Questions
//! A comment line `# ask: QUESTION => ANSWER` asks the student to predict
//! what the next command will do; the visualizer stops before that command,
//! shows the question, and checks the student's answer once the command has
//! played. The answer is computed from the trace, never written down:
//!
//! ```text
//! count NAME [PATH=VALUE]...              a number: the next command's matching events
//! tables LEVEL                            a number: tables in LEVEL (L0, L1, …) after it
//! PATH of NAME [PATH=VALUE]... among A, B  a choice: PATH of its first matching event
//! ```
//!
//! The tests run every question like an expectation: the answer must
//! exist, and a choice must be one of the choices offered.
//!
//! ## Compare scenes
//! A line `# compare: SIDE | SIDE [| SIDE]` runs the scene on two or three
//! option sets, and `# expect compare:` lines state how the sides differ
//! ([`compare`]); the visualizer opens such a scene in compare mode.

mod ask;
pub mod compare;

use std::sync::Arc;

use serde_json::Value;
use strata_engine::script::{Command, Scene, parse_command};
use strata_engine::trace::{OpOutcome, TraceRunner};
use strata_engine::{Event, Options};
use strata_storage::MemStorage;

pub use ask::{Answer, Ask, parse_ask};

/// The info string that marks a scene block.
pub const SCENE_INFO: &str = "scene";

/// A scene block found in a chapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SceneBlock {
    /// 1-based line of the opening fence in the chapter.
    pub line: usize,
    /// The script between the fences.
    pub text: String,
}

/// Every ```` ```scene ```` block of `markdown`, in order. Fences may be
/// indented (inside lists or `<details>`); the info string's first word
/// must be `scene`.
pub fn scene_blocks(markdown: &str) -> Vec<SceneBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, bool)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let is_scene = info.split_whitespace().next() == Some(SCENE_INFO);
                    open = Some((i + 1, String::new(), is_scene));
                }
            }
            Some((start, text, is_scene)) => {
                if trimmed.starts_with("```") && trimmed.trim_end() == "```" {
                    if *is_scene {
                        blocks.push(SceneBlock {
                            line: *start,
                            text: std::mem::take(text),
                        });
                    }
                    open = None;
                } else {
                    text.push_str(line.trim_start());
                    text.push('\n');
                }
            }
        }
    }
    blocks
}

/// A scene split the way a driver runs it: the options its `option` lines
/// give over a base, and its command lines as written (comments,
/// expectations and blank lines left out).
#[derive(Clone, Debug, PartialEq)]
pub struct SceneScript {
    /// The base options after the scene's `option` lines.
    pub options: Options,
    /// The lines that are commands, trimmed, in order.
    pub command_lines: Vec<String>,
    /// The scene's questions, each with the index (in `command_lines`) of
    /// the command it asks about.
    pub asks: Vec<(usize, Ask)>,
}

impl SceneBlock {
    /// Splits the scene into options (over `base`) and command lines; the
    /// error names the line that does not parse.
    pub fn script(&self, base: &Options) -> Result<SceneScript, String> {
        let scene = Scene::parse(&self.text, base).map_err(|e| e.to_string())?;
        let mut command_lines = Vec::with_capacity(scene.commands.len());
        let mut asks = Vec::new();
        for (i, line) in self.text.lines().enumerate() {
            if let Some(ask) = parse_ask(line).map_err(|e| format!("line {}: {e}", i + 1))? {
                asks.push((command_lines.len(), ask));
                continue;
            }
            match parse_command(line).map_err(|e| format!("line {}: {e}", i + 1))? {
                None | Some(Command::SetOption { .. }) => {}
                Some(_) => command_lines.push(line.trim().to_owned()),
            }
        }
        if let Some((_, ask)) = asks.iter().find(|(at, _)| *at >= command_lines.len()) {
            return Err(format!(
                "{:?} asks about no command: none follows",
                ask.question
            ));
        }
        Ok(SceneScript {
            options: scene.options,
            command_lines,
            asks,
        })
    }
}

/// Which events a clause looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// Everything since the database was opened.
    All,
    /// The events of the last command.
    Last,
}

/// A comparison of a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ge,
    Le,
    Gt,
    Lt,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" | "==" => Op::Eq,
            ">=" => Op::Ge,
            "<=" => Op::Le,
            ">" => Op::Gt,
            "<" => Op::Lt,
            _ => return None,
        })
    }

    fn holds(self, a: usize, b: usize) -> bool {
        match self {
            Op::Eq => a == b,
            Op::Ge => a >= b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Lt => a < b,
        }
    }
}

/// Selects events by name and field values.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Filter {
    name: String,
    fields: Vec<(String, String)>,
}

impl Filter {
    fn parse(words: &[&str]) -> Result<Filter, String> {
        let (name, rest) = words.split_first().ok_or("missing event name")?;
        let fields = rest
            .iter()
            .map(|w| {
                w.split_once('=')
                    .map(|(p, v)| (p.to_owned(), v.to_owned()))
                    .ok_or_else(|| format!("expected PATH=VALUE, got {w:?}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Filter {
            name: (*name).to_owned(),
            fields,
        })
    }

    fn matches(&self, event: &Value) -> bool {
        event.get("event").and_then(Value::as_str) == Some(self.name.as_str())
            && self.fields.iter().all(|(path, want)| {
                let parts: Vec<&str> = path.split('.').collect();
                path_matches(event, &parts, want)
            })
    }
}

/// Whether the field at `path` below `value` matches `want`; an array on
/// the way matches when any of its elements does (`inputs.level=2`).
fn path_matches(value: &Value, path: &[&str], want: &str) -> bool {
    match (value, path.split_first()) {
        (Value::Array(items), Some(_)) => items.iter().any(|v| path_matches(v, path, want)),
        (_, Some((first, rest))) => value
            .get(*first)
            .is_some_and(|v| path_matches(v, rest, want)),
        (_, None) => value_matches(value, want),
    }
}

fn value_matches(value: &Value, want: &str) -> bool {
    match value {
        Value::String(s) => s == want,
        Value::Array(items) => items.iter().any(|v| value_matches(v, want)),
        Value::Null => want == "none" || want == "null",
        other => serde_json::to_string(other).is_ok_and(|text| text == want),
    }
}

/// One checkable statement about a scene.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Clause {
    Count(Filter, Op, usize),
    Value(Option<String>),
    Keys(Vec<String>),
    Tables(Vec<(usize, usize)>),
}

/// A parsed `# expect:` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    scope: Scope,
    clause: Clause,
    /// The line as written, for messages.
    text: String,
}

/// Parses a line if it is an expectation (`Ok(None)` for any other line).
pub fn parse_expectation(line: &str) -> Result<Option<Expectation>, String> {
    let Some(comment) = line.trim().strip_prefix('#') else {
        return Ok(None);
    };
    let comment = comment.trim_start();
    let (scope, rest) = if let Some(rest) = comment.strip_prefix("expect last:") {
        (Scope::Last, rest)
    } else if let Some(rest) = comment.strip_prefix("expect:") {
        (Scope::All, rest)
    } else {
        return Ok(None);
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    let clause = match words.as_slice() {
        ["event", filter @ ..] => Clause::Count(Filter::parse(filter)?, Op::Ge, 1),
        ["no", "event", filter @ ..] => Clause::Count(Filter::parse(filter)?, Op::Eq, 0),
        ["count", filter @ .., op, n] => {
            let op = Op::parse(op).ok_or_else(|| format!("bad comparison {op:?}"))?;
            let n = n.parse().map_err(|_| format!("{n:?} is not a number"))?;
            Clause::Count(Filter::parse(filter)?, op, n)
        }
        ["value", "none"] => Clause::Value(None),
        ["value", v] => Clause::Value(Some((*v).to_owned())),
        ["keys", keys @ ..] => Clause::Keys(keys.iter().map(|k| (*k).to_owned()).collect()),
        ["tables", counts @ ..] => Clause::Tables(parse_table_counts(counts)?),
        _ => return Err(format!("unknown expectation {:?}", rest.trim())),
    };
    Ok(Some(Expectation {
        scope,
        clause,
        text: line.trim().to_owned(),
    }))
}

fn parse_table_counts(words: &[&str]) -> Result<Vec<(usize, usize)>, String> {
    words
        .iter()
        .map(|w| {
            let (level, n) = w
                .split_once('=')
                .ok_or_else(|| format!("expected L<level>=<count>, got {w:?}"))?;
            let level = level
                .strip_prefix('L')
                .and_then(|l| l.parse().ok())
                .ok_or_else(|| format!("bad level {level:?}"))?;
            let n = n.parse().map_err(|_| format!("bad count {n:?}"))?;
            Ok((level, n))
        })
        .collect()
}

/// What running a scene produced.
pub struct SceneRun {
    /// The options the scene ran with.
    pub options: Options,
    /// Every event, opening included.
    pub events: Vec<Event>,
    /// Expectations checked.
    pub expectations: usize,
    /// Every question with its answer, in order.
    pub answers: Vec<(Ask, Answer)>,
    /// The database, as the scene left it.
    pub runner: TraceRunner,
}

/// Parses `text` with `Scene::parse`, runs its commands one by one with a
/// `TraceRunner` on a fresh `MemStorage`, and checks every expectation at
/// its place, that no operation failed, and that the tree's invariants hold
/// at the end. The error names the scene line.
pub fn run_scene(text: &str) -> Result<SceneRun, String> {
    let scene = Scene::parse(text, &Options::deterministic()).map_err(|e| e.to_string())?;
    let storage = Arc::new(MemStorage::new());
    let mut runner =
        TraceRunner::open(storage, scene.options.clone()).map_err(|e| format!("open: {e}"))?;
    let mut commands = scene.commands.iter();
    // Trace steps before the last command, to scope `expect last`.
    let mut last_start = 0;
    let mut checked = 0;
    let mut pending: Vec<(usize, Ask)> = Vec::new();
    let mut answers = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}", i + 1);
        if let Some(ask) = parse_ask(line).map_err(at)? {
            pending.push((i + 1, ask));
            continue;
        }
        if let Some(expectation) = parse_expectation(line).map_err(at)? {
            check(&expectation, &runner, last_start).map_err(at)?;
            checked += 1;
            continue;
        }
        match parse_command(line).map_err(|e| at(e.to_string()))? {
            None | Some(Command::SetOption { .. }) => {}
            Some(command) => {
                if commands.next() != Some(&command) {
                    return Err(at("scene commands out of step with the script".into()));
                }
                last_start = runner.trace().steps.len();
                runner.execute(&command).map_err(|e| at(e.to_string()))?;
                if let Some(failed) = runner.trace().steps.get(last_start..).and_then(|steps| {
                    steps.iter().find_map(|s| match &s.outcome {
                        OpOutcome::Failed { message } => Some(message.clone()),
                        _ => None,
                    })
                }) {
                    return Err(at(format!("operation failed: {failed}")));
                }
                for (line, ask) in pending.drain(..) {
                    let answer = answer_after(&ask, &runner, last_start)
                        .map_err(|e| format!("line {line}: {e}"))?;
                    answers.push((ask, answer));
                }
            }
        }
    }
    if let Some((line, _)) = pending.first() {
        return Err(format!("line {line}: a question with no command after it"));
    }
    runner
        .db()
        .check_invariants()
        .map_err(|e| format!("after the scene: {e}"))?;
    let trace = runner.trace();
    let events = trace
        .open_events
        .iter()
        .chain(trace.steps.iter().flat_map(|s| &s.events))
        .cloned()
        .collect();
    Ok(SceneRun {
        options: scene.options,
        events,
        expectations: checked,
        answers,
        runner,
    })
}

/// The answer to `ask` about the command whose steps start at `start`.
fn answer_after(ask: &Ask, runner: &TraceRunner, start: usize) -> Result<Answer, String> {
    let trace = runner.trace();
    let events: Vec<Event> = trace
        .steps
        .get(start..)
        .unwrap_or_default()
        .iter()
        .flat_map(|s| s.events.iter().cloned())
        .collect();
    let tables: Vec<usize> = runner.db().levels().iter().map(Vec::len).collect();
    ask.answer(&events, &tables)
}

impl std::fmt::Debug for SceneRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SceneRun")
            .field("events", &self.events.len())
            .field("expectations", &self.expectations)
            .field("answers", &self.answers.len())
            .finish_non_exhaustive()
    }
}

/// Checks one expectation against the run so far.
fn check(expectation: &Expectation, runner: &TraceRunner, last_start: usize) -> Result<(), String> {
    let tables: Vec<usize> = runner.db().levels().iter().map(Vec::len).collect();
    expectation.check_trace(runner.trace(), &tables, last_start)
}

impl Expectation {
    /// Checks the expectation against `trace` (whose last command's steps
    /// start at `last_start`), with `tables_per_level` as the tree holds
    /// now: what a driver other than [`run_scene`] (the visualizer's
    /// presets) uses to check its claims.
    pub fn check_trace(
        &self,
        trace: &strata_engine::trace::Trace,
        tables_per_level: &[usize],
        last_start: usize,
    ) -> Result<(), String> {
        check_on(self, trace, tables_per_level, last_start)
    }
}

fn check_on(
    expectation: &Expectation,
    trace: &strata_engine::trace::Trace,
    tables_per_level: &[usize],
    last_start: usize,
) -> Result<(), String> {
    let steps = match expectation.scope {
        Scope::All => trace.steps.as_slice(),
        Scope::Last => trace.steps.get(last_start..).unwrap_or_default(),
    };
    let fail = |detail: String| Err(format!("{} failed: {detail}", expectation.text));
    match &expectation.clause {
        Clause::Count(filter, op, n) => {
            let open = match expectation.scope {
                Scope::All => trace.open_events.as_slice(),
                Scope::Last => &[],
            };
            let count = open
                .iter()
                .chain(steps.iter().flat_map(|s| &s.events))
                .filter_map(|e| serde_json::to_value(e).ok())
                .filter(|v| filter.matches(v))
                .count();
            if op.holds(count, *n) {
                Ok(())
            } else {
                fail(format!("{count} matching events"))
            }
        }
        Clause::Value(want) => {
            let got = steps.iter().rev().find_map(|s| match &s.outcome {
                OpOutcome::Value { value } => Some(value.clone()),
                _ => None,
            });
            let got = got.ok_or("no get ran")?;
            let got = got.map(|v| String::from_utf8_lossy(&v).into_owned());
            if &got == want {
                Ok(())
            } else {
                fail(format!("the get returned {got:?}"))
            }
        }
        Clause::Keys(want) => {
            let got = steps.iter().rev().find_map(|s| match &s.outcome {
                OpOutcome::Entries { entries } => Some(
                    entries
                        .iter()
                        .map(|e| String::from_utf8_lossy(&e.key).into_owned())
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            });
            let got = got.ok_or("no scan ran")?;
            if &got == want {
                Ok(())
            } else {
                fail(format!("the scan returned {got:?}"))
            }
        }
        Clause::Tables(counts) => {
            for &(level, n) in counts {
                let have = tables_per_level.get(level).copied().unwrap_or(0);
                if have != n {
                    return fail(format!("L{level} holds {have} tables"));
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scene_blocks_are_found_by_their_info_string() {
        let md =
            "text\n```scene\nput a 1\n```\n```rust\nlet x = 1;\n```\n  ```scene\n  get a\n  ```\n";
        let blocks = scene_blocks(md);
        assert_eq!(
            blocks,
            vec![
                SceneBlock {
                    line: 2,
                    text: "put a 1\n".into()
                },
                SceneBlock {
                    line: 8,
                    text: "get a\n".into()
                },
            ]
        );
    }

    #[test]
    fn a_scene_splits_into_options_and_command_lines() {
        let block = SceneBlock {
            line: 1,
            text: "# a comment\noption memtable_bytes_max=4096\n\nput a 1\n# expect: value 1\n  get a\n"
                .into(),
        };
        let script = block.script(&Options::deterministic());
        assert_eq!(
            script
                .as_ref()
                .map(|s| (s.options.memtable_bytes_max, s.command_lines.clone())),
            Ok((4096, vec!["put a 1".to_owned(), "get a".to_owned()]))
        );
        let bad = SceneBlock {
            line: 1,
            text: "option nonsense=1\n".into(),
        };
        assert!(bad.script(&Options::deterministic()).is_err());
    }

    #[test]
    fn expectations_parse_and_reject_nonsense() {
        assert_eq!(parse_expectation("put a 1"), Ok(None));
        assert_eq!(parse_expectation("# just a comment"), Ok(None));
        assert!(matches!(
            parse_expectation("# expect: event bloom_probe verdict=definitely_absent"),
            Ok(Some(_))
        ));
        assert!(matches!(
            parse_expectation("# expect last: count block_read >= 2"),
            Ok(Some(Expectation {
                scope: Scope::Last,
                ..
            }))
        ));
        assert!(parse_expectation("# expect: frobnicate").is_err());
        assert!(parse_expectation("# expect: count block_read ~ 2").is_err());
        assert!(parse_expectation("# expect: tables X0=1").is_err());
    }

    #[test]
    fn a_scene_runs_and_checks_its_expectations() {
        let scene = "option memtable_bytes_max=4096\nput a 1\nget a\n# expect last: event get_finished outcome=found source.in=memtable\n# expect: value 1\nflush\n# expect: tables L0=1\n";
        let run = run_scene(scene).map_err(|e| e.to_string());
        assert_eq!(
            run.as_ref().map(|r| r.expectations).ok(),
            Some(3),
            "{run:?}"
        );
    }

    #[test]
    fn questions_are_answered_from_the_next_commands_events() {
        let scene = "option bloom_bits_per_key=10\nload sequential 50 prefix=k\nflush\n\
                     # ask: How many tables will L0 hold? => tables L0\nput z 1\n\
                     # ask: Where is k000007 found? => source.in of get_finished among memtable, table\n\
                     # ask: How many blocks are read? => count block_read\nget k000007\n";
        let run = run_scene(scene).map_err(|e| e.to_string());
        let answers: Vec<String> = run
            .as_ref()
            .map(|r| r.answers.iter().map(|(_, a)| a.to_string()).collect())
            .unwrap_or_default();
        assert_eq!(answers, ["1", "table", "1"], "{run:?}");
        let unfair =
            run_scene("put a 1\n# ask: Where? => source.in of get_finished among x, y\nget a\n");
        assert!(unfair.is_err_and(|e| e.contains("not among the choices")));
        let dangling = run_scene("put a 1\n# ask: How many? => count block_read\n");
        assert!(dangling.is_err_and(|e| e.contains("no command after it")));
    }

    #[test]
    fn a_false_expectation_names_its_line() {
        let err = run_scene("put a 1\nget a\n# expect: value 2\n").err();
        assert!(
            err.as_deref().is_some_and(|e| e.starts_with("line 3:")),
            "{err:?}"
        );
        let err = run_scene("get a @0\n").err();
        assert!(err.is_some_and(|e| e.contains("operation failed")));
    }
}
