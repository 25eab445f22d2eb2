//! The command language shared by the shell, the visualizer's console and
//! tutorial scenes: one command per line, turned into [`TraceOp`]s.
//!
//! ```text
//! # a comment
//! option memtable_bytes_max=4096      (scenes and scripts: before any op)
//! put apple red                       put "two words" 0x00ff
//! get apple                           get apple @0   (through snapshot 0)
//! delete apple
//! batch put a 1 | delete b | put c 3
//! scan                                scan a m   scan a m rev limit=5
//! snapshot                            release 0
//! flush                               step       compact
//! compact-range                       compact-range a m   compact-range .. m
//! load sequential 100 [prefix=key] [value_bytes=16]
//! load random 100 [seed=7] [keys=1000] [value_bytes=16]
//! load skewed 100 [seed=7] [keys=1000] [value_bytes=16]
//! delete-range a m
//! time 5000                           advance 1000   (milliseconds)
//! option ttl_ms=3000                  (records expire 3000 ms after their put)
//! ```
//!
//! Keys and values are bare words, `"quoted strings"` (escapes `\"`, `\\`,
//! `\n`, `\t`, `\xHH`) or `0x` hex. A malformed line gives a
//! [`ScriptError`] with its column; nothing panics.

use serde::{Deserialize, Serialize};

use crate::options::Options;
use crate::trace::TraceOp;

mod load;
mod parse;
mod problem;
#[cfg(test)]
mod tests;

pub use parse::parse_command;
pub use problem::{Argument, ScriptProblem};

/// Most operations one `load` may expand to.
pub const MAX_LOAD_COUNT: u64 = 10_000_000;
/// Most key and value bytes one `load` may generate (1 GiB), checked when
/// it is parsed, before anything is generated. A session with tighter
/// limits checks them with [`Command::check_load`].
pub const MAX_LOAD_BYTES: u64 = 1 << 30;
/// Largest `value_bytes` of a `load` (64 KiB).
pub const MAX_LOAD_VALUE_BYTES: u64 = 64 << 10;
/// Largest time `time` and `advance` accept: 2^53 ms (about 285,000
/// years), the largest integer a JSON number holds exactly in the browser.
pub const MAX_TIME_MS: u64 = 1 << 53;
/// Longest line accepted.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// A line that could not be understood.
///
/// Its JSON form is `{line, column, message}` (the English message); the
/// typed [`problem`](ScriptError::problem) is not written, and reads back
/// as [`ScriptProblem::Other`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(from = "ScriptErrorJson")]
#[error("line {line}, column {column}: {message}")]
pub struct ScriptError {
    /// 1-based line number (1 for a single command).
    pub line: usize,
    /// 1-based character column where the problem starts.
    pub column: usize,
    /// What is wrong, in English (the `Display` of `problem`).
    pub message: String,
    /// What is wrong, as a value to render in any language.
    #[serde(skip_serializing)]
    pub problem: ScriptProblem,
}

/// The serialized form of a [`ScriptError`].
#[derive(Deserialize)]
struct ScriptErrorJson {
    line: usize,
    column: usize,
    message: String,
}

impl From<ScriptErrorJson> for ScriptError {
    fn from(json: ScriptErrorJson) -> Self {
        ScriptError {
            line: json.line,
            column: json.column,
            problem: ScriptProblem::Other {
                message: json.message.clone(),
            },
            message: json.message,
        }
    }
}

impl ScriptError {
    /// `problem` at `column` of line 1.
    pub fn new(column: usize, problem: ScriptProblem) -> Self {
        ScriptError {
            line: 1,
            column,
            message: problem.to_string(),
            problem,
        }
    }
}

/// How a bulk loader chooses keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadPattern {
    /// `prefix000000`, `prefix000001`, …
    Sequential,
    /// Uniformly random among `keys` keys.
    Random,
    /// 80 % of writes to the hottest 20 % of `keys` keys.
    Skewed,
}

/// One parsed line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// An operation that maps one to one onto a trace operation.
    Op {
        /// The operation.
        op: TraceOp,
    },
    /// `option name=value`: sets an [`Options`] field.
    SetOption {
        /// Field name.
        name: String,
        /// Its value, as written.
        value: String,
    },
    /// A bulk load of `count` puts.
    Load {
        /// How keys are chosen.
        pattern: LoadPattern,
        /// Number of puts.
        count: u64,
        /// Seed of the key choice (random and skewed).
        seed: u64,
        /// Distinct keys to choose from (random and skewed).
        keys: u64,
        /// Key prefix.
        prefix: String,
        /// Bytes per value.
        value_bytes: usize,
    },
    /// Deletes every key in `[start, end)` with one range tombstone
    /// ([`TraceOp::DeleteRange`]).
    DeleteRange {
        /// First key.
        start: Vec<u8>,
        /// End (exclusive).
        end: Vec<u8>,
    },
}

/// A scene: options, then commands (a tutorial's runnable example, a
/// scenario preset, a script file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    /// Options after the scene's `option` lines.
    pub options: Options,
    /// The commands other than `option`, in order.
    pub commands: Vec<Command>,
}

impl Scene {
    /// Parses a whole script: `option` lines (which must come before any
    /// other command) applied to `base`, then commands.
    pub fn parse(text: &str, base: &Options) -> Result<Scene, ScriptError> {
        let mut options = base.clone();
        let mut commands = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let at = |e: ScriptError| ScriptError { line: i + 1, ..e };
            match parse_command(line).map_err(at)? {
                None => {}
                Some(Command::SetOption { name, value }) => {
                    if !commands.is_empty() {
                        return Err(at(error(1, ScriptProblem::OptionAfterCommands)));
                    }
                    set_option(&mut options, &name, &value).map_err(at)?;
                }
                Some(command) => commands.push(command),
            }
        }
        options.validate().map_err(|e| error(1, e.into()))?;
        Ok(Scene { options, commands })
    }
}

/// Options left out of the serialised form while unset.
const OPTIONAL_OPTIONS: [&str; 1] = ["ttl_ms"];

/// Sets one option by name (the field names of [`Options`]).
pub fn set_option(options: &mut Options, name: &str, value: &str) -> Result<(), ScriptError> {
    let other = |e: serde_json::Error| {
        error(
            1,
            ScriptProblem::Other {
                message: e.to_string(),
            },
        )
    };
    let mut json = serde_json::to_value(&*options).map_err(other)?;
    if OPTIONAL_OPTIONS.contains(&name) {
        if let Some(fields) = json.as_object_mut() {
            fields.entry(name).or_insert(serde_json::Value::Null);
        }
    }
    let slot = json.get_mut(name).ok_or_else(|| {
        error(
            1,
            ScriptProblem::UnknownOption {
                name: name.to_owned(),
            },
        )
    })?;
    *slot =
        serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
    *options = serde_json::from_value(json).map_err(|e| {
        error(
            1,
            ScriptProblem::BadOptionValue {
                name: name.to_owned(),
                value: value.to_owned(),
                detail: e.to_string(),
            },
        )
    })?;
    Ok(())
}

fn error(column: usize, problem: ScriptProblem) -> ScriptError {
    ScriptError::new(column, problem)
}
