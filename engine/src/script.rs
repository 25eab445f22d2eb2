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
//! load sequential 100 [prefix=key] [value_bytes=16]
//! load random 100 [seed=7] [keys=1000] [value_bytes=16]
//! load skewed 100 [seed=7] [keys=1000] [value_bytes=16]
//! delete-range a m
//! ```
//!
//! Keys and values are bare words, `"quoted strings"` (escapes `\"`, `\\`,
//! `\n`, `\t`, `\xHH`) or `0x` hex. A malformed line gives a
//! [`ScriptError`] with its column; nothing panics.

use serde::{Deserialize, Serialize};

use crate::options::Options;
use crate::rng::SeededRng;
use crate::trace::{BatchEntry, TraceOp};

/// Most operations one `load` or `delete-range` may expand to.
pub const MAX_LOAD_COUNT: u64 = 10_000_000;
/// Most key and value bytes one `load` may generate (1 GiB), checked when
/// it is parsed, before anything is generated. A session with tighter
/// limits checks them with [`Command::check_load`].
pub const MAX_LOAD_BYTES: u64 = 1 << 30;
/// Largest `value_bytes` of a `load` (64 KiB).
pub const MAX_LOAD_VALUE_BYTES: u64 = 64 << 10;
/// Longest line accepted.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// A line that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("line {line}, column {column}: {message}")]
pub struct ScriptError {
    /// 1-based line number (1 for a single command).
    pub line: usize,
    /// 1-based character column where the problem starts.
    pub column: usize,
    /// What is wrong.
    pub message: String,
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
    /// Deletes every live key in `[start, end)` (expanded against the
    /// database when run).
    DeleteRange {
        /// First key.
        start: Vec<u8>,
        /// End (exclusive).
        end: Vec<u8>,
    },
}

impl Command {
    /// The key and value bytes a `load` generates (an upper bound),
    /// computed without generating anything; `None` for other commands.
    pub fn load_bytes(&self) -> Option<u64> {
        let Command::Load {
            pattern,
            count,
            keys,
            prefix,
            value_bytes,
            ..
        } = self
        else {
            return None;
        };
        let largest_n = match pattern {
            LoadPattern::Sequential => count.saturating_sub(1),
            LoadPattern::Random | LoadPattern::Skewed => keys.saturating_sub(1),
        };
        let digits = |n: u64| u64::from(n.checked_ilog10().unwrap_or(0) + 1);
        let key = prefix.len() as u64 + digits(largest_n).max(6);
        let value = (*value_bytes as u64).max(2 + digits(*count));
        Some(count.saturating_mul(key.saturating_add(value)))
    }

    /// Checks a `load` against a session's limits — at most `max_ops`
    /// puts and `max_bytes` key and value bytes — before anything is
    /// generated; the error says which limit and by how much. Other
    /// commands pass.
    pub fn check_load(&self, max_ops: u64, max_bytes: u64) -> Result<(), String> {
        let (Command::Load { count, .. }, Some(bytes)) = (self, self.load_bytes()) else {
            return Ok(());
        };
        if *count > max_ops {
            return Err(format!(
                "this load makes {count} puts; the limit here is {max_ops}"
            ));
        }
        if bytes > max_bytes {
            return Err(format!(
                "this load makes about {bytes} bytes of keys and values; the limit here \
                 is {max_bytes} bytes"
            ));
        }
        Ok(())
    }

    /// The puts of a `load`, generated deterministically from its seed;
    /// `None` for other commands.
    pub fn load_ops(&self) -> Option<Vec<TraceOp>> {
        let Command::Load {
            pattern,
            count,
            seed,
            keys,
            prefix,
            value_bytes,
        } = self
        else {
            return None;
        };
        let mut rng = SeededRng::new(*seed);
        let keys = (*keys).max(1);
        let ops = (0..*count)
            .map(|i| {
                let n = match pattern {
                    LoadPattern::Sequential => i,
                    LoadPattern::Random => rng.next_u64() % keys,
                    LoadPattern::Skewed => skewed(&mut rng, keys),
                };
                let mut value = format!("v{i}-").into_bytes();
                value.resize((*value_bytes).max(value.len()), b'.');
                TraceOp::Put {
                    key: format!("{prefix}{n:06}").into_bytes(),
                    value,
                }
            })
            .collect();
        Some(ops)
    }
}

fn skewed(rng: &mut SeededRng, keys: u64) -> u64 {
    let hot = (keys / 5).max(1);
    if rng.next_u64() % 10 < 8 {
        rng.next_u64() % hot
    } else {
        hot + rng.next_u64() % (keys - hot).max(1)
    }
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
                        return Err(at(error(1, "option lines must come before the commands")));
                    }
                    set_option(&mut options, &name, &value).map_err(at)?;
                }
                Some(command) => commands.push(command),
            }
        }
        options.validate().map_err(|e| error(1, e.to_string()))?;
        Ok(Scene { options, commands })
    }
}

/// Sets one option by name (the field names of [`Options`]).
pub fn set_option(options: &mut Options, name: &str, value: &str) -> Result<(), ScriptError> {
    let mut json = serde_json::to_value(&*options).map_err(|e| error(1, e.to_string()))?;
    let slot = json
        .get_mut(name)
        .ok_or_else(|| error(1, format!("unknown option {name:?}")))?;
    *slot =
        serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
    *options = serde_json::from_value(json)
        .map_err(|e| error(1, format!("bad value {value:?} for {name}: {e}")))?;
    Ok(())
}

fn error(column: usize, message: impl Into<String>) -> ScriptError {
    ScriptError {
        line: 1,
        column,
        message: message.into(),
    }
}

/// Parses one line; `None` for blank lines and comments.
pub fn parse_command(line: &str) -> Result<Option<Command>, ScriptError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(error(1, format!("line longer than {MAX_LINE_BYTES} bytes")));
    }
    let words = tokenize(line)?;
    let Some((first, rest)) = words.split_first() else {
        return Ok(None);
    };
    let name = String::from_utf8_lossy(&first.bytes).to_lowercase();
    let mut args = Args {
        words: rest,
        column: first.column,
        pos: 0,
    };
    let command = match name.as_str() {
        "batch" => {
            args.pos = rest.len();
            batch(rest)?
        }
        "option" | "set" => {
            let arg = args.text("name=value")?;
            let (name, value) = arg
                .split_once('=')
                .ok_or_else(|| error(args.column, "expected name=value"))?;
            Command::SetOption {
                name: name.to_owned(),
                value: value.to_owned(),
            }
        }
        "load" => load(&mut args)?,
        "delete-range" | "delete_range" => Command::DeleteRange {
            start: args.bytes("start key")?,
            end: args.bytes("end key")?,
        },
        _ => Command::Op {
            op: simple_op(&name, &mut args)?,
        },
    };
    args.finish()?;
    Ok(Some(command))
}

fn simple_op(name: &str, args: &mut Args<'_>) -> Result<TraceOp, ScriptError> {
    Ok(match name {
        "put" => TraceOp::Put {
            key: args.bytes("key")?,
            value: args.bytes("value")?,
        },
        "get" => {
            let key = args.bytes("key")?;
            let snapshot = match args.peek_text() {
                Some(w) if w.starts_with('@') => {
                    let id = args.text("@snapshot")?;
                    Some(number(id.get(1..).unwrap_or(""), args.column)? as u32)
                }
                _ => None,
            };
            TraceOp::Get { key, snapshot }
        }
        "delete" | "del" => TraceOp::Delete {
            key: args.bytes("key")?,
        },
        "scan" => scan(args)?,
        "snapshot" => TraceOp::Snapshot,
        "release" => TraceOp::ReleaseSnapshot {
            id: number(&args.text("snapshot id")?, args.column)? as u32,
        },
        "flush" => TraceOp::Flush,
        "step" => TraceOp::Step,
        "compact" => TraceOp::Compact,
        other => return Err(error(1, format!("unknown command {other:?} (try help)"))),
    })
}

fn scan(args: &mut Args<'_>) -> Result<TraceOp, ScriptError> {
    let (mut start, mut end, mut reverse, mut limit) = (None, None, false, None);
    let mut positional = 0;
    while let Some(word) = args.peek_text() {
        if word == "rev" || word == "reverse" {
            reverse = true;
        } else if let Some(n) = word.strip_prefix("limit=") {
            limit = Some(number(n, args.column)? as u32);
        } else if positional < 2 {
            let bound = Some(args.bytes("bound")?).filter(|s| s.as_slice() != b"..");
            if positional == 0 {
                start = bound;
            } else {
                end = bound;
            }
            positional += 1;
            continue;
        } else {
            return Err(error(args.column, format!("unexpected {word:?}")));
        }
        args.pos += 1;
    }
    Ok(TraceOp::Scan {
        start,
        end,
        reverse,
        limit,
    })
}

fn batch(words: &[Word]) -> Result<Command, ScriptError> {
    let mut entries = Vec::new();
    for part in words.split(|w| w.bytes == b"|" && !w.quoted) {
        let Some((op, rest)) = part.split_first() else {
            continue;
        };
        let mut args = Args {
            words: rest,
            column: op.column,
            pos: 0,
        };
        let entry = match op.bytes.as_slice() {
            b"put" => BatchEntry {
                key: args.bytes("key")?,
                value: Some(args.bytes("value")?),
            },
            b"delete" | b"del" => BatchEntry {
                key: args.bytes("key")?,
                value: None,
            },
            _ => {
                return Err(error(
                    op.column,
                    "a batch holds put and delete, separated by |",
                ))
            }
        };
        args.finish()?;
        entries.push(entry);
    }
    Ok(Command::Op {
        op: TraceOp::Batch { entries },
    })
}

fn load(args: &mut Args<'_>) -> Result<Command, ScriptError> {
    let pattern = match args.text("pattern")?.as_str() {
        "sequential" | "seq" => LoadPattern::Sequential,
        "random" => LoadPattern::Random,
        "skewed" => LoadPattern::Skewed,
        other => {
            return Err(error(
                args.column,
                format!("unknown load pattern {other:?}"),
            ))
        }
    };
    let count = number(&args.text("count")?, args.column)?;
    if count > MAX_LOAD_COUNT {
        return Err(error(
            args.column,
            format!("at most {MAX_LOAD_COUNT} operations per load"),
        ));
    }
    let (mut seed, mut keys, mut prefix, mut value_bytes) = (1, count.max(1), "key".to_owned(), 16);
    while let Some(word) = args.peek_text() {
        let (name, value) = word
            .split_once('=')
            .ok_or_else(|| error(args.column, format!("expected name=value, got {word:?}")))?;
        match name {
            "seed" => seed = number(value, args.column)?,
            "keys" => keys = number(value, args.column)?.max(1),
            "prefix" => prefix = value.to_owned(),
            "value_bytes" => {
                let n = number(value, args.column)?;
                if n > MAX_LOAD_VALUE_BYTES {
                    return Err(error(
                        args.column,
                        format!("value_bytes is at most {MAX_LOAD_VALUE_BYTES}, not {n}"),
                    ));
                }
                value_bytes = n as usize;
            }
            _ => return Err(error(args.column, format!("unknown load setting {name:?}"))),
        }
        args.pos += 1;
    }
    let load = Command::Load {
        pattern,
        count,
        seed,
        keys,
        prefix,
        value_bytes,
    };
    load.check_load(MAX_LOAD_COUNT, MAX_LOAD_BYTES)
        .map_err(|message| error(args.column, message))?;
    Ok(load)
}

fn number(text: &str, column: usize) -> Result<u64, ScriptError> {
    text.replace('_', "")
        .parse()
        .map_err(|_| error(column, format!("{text:?} is not a number")))
}

/// A word of a line, with where it starts.
#[derive(Debug)]
struct Word {
    bytes: Vec<u8>,
    column: usize,
    quoted: bool,
}

struct Args<'a> {
    words: &'a [Word],
    column: usize,
    pos: usize,
}

impl Args<'_> {
    fn next(&mut self, what: &str) -> Result<&Word, ScriptError> {
        let word = self
            .words
            .get(self.pos)
            .ok_or_else(|| error(self.column, format!("missing {what}")))?;
        self.pos += 1;
        self.column = word.column;
        Ok(word)
    }

    fn bytes(&mut self, what: &str) -> Result<Vec<u8>, ScriptError> {
        let word = self.next(what)?;
        if !word.quoted {
            if let Some(hex) = word.bytes.strip_prefix(b"0x") {
                let hex = String::from_utf8_lossy(hex);
                return crate::key_text::from_hex(&hex).map_err(|e| error(word.column, e));
            }
        }
        Ok(word.bytes.clone())
    }

    fn text(&mut self, what: &str) -> Result<String, ScriptError> {
        Ok(String::from_utf8_lossy(&self.next(what)?.bytes).into_owned())
    }

    fn peek_text(&self) -> Option<String> {
        self.words
            .get(self.pos)
            .map(|w| String::from_utf8_lossy(&w.bytes).into_owned())
    }

    fn finish(&self) -> Result<(), ScriptError> {
        match self.words.get(self.pos) {
            Some(extra) => Err(error(extra.column, "unexpected extra words")),
            None => Ok(()),
        }
    }
}

/// Splits a line into words: whitespace-separated, `"quoted"` with escapes,
/// `#` starting a comment outside quotes.
fn tokenize(line: &str) -> Result<Vec<Word>, ScriptError> {
    let mut words = Vec::new();
    let mut chars = line.char_indices().peekable();
    let column_of = |i: usize| line.get(..i).map_or(1, |s| s.chars().count() + 1);
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '#' {
            break;
        } else if c == '"' {
            chars.next();
            let bytes = quoted(&mut chars, column_of(i))?;
            words.push(Word {
                bytes,
                column: column_of(i),
                quoted: true,
            });
        } else {
            let mut word = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            words.push(Word {
                bytes: word.into_bytes(),
                column: column_of(i),
                quoted: false,
            });
        }
    }
    Ok(words)
}

fn quoted(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    column: usize,
) -> Result<Vec<u8>, ScriptError> {
    let mut out = Vec::new();
    loop {
        let Some((_, c)) = chars.next() else {
            return Err(error(column, "unterminated quoted string"));
        };
        match c {
            '"' => return Ok(out),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => out.push(b'\n'),
                Some('t') => out.push(b'\t'),
                Some('"') => out.push(b'"'),
                Some('\\') => out.push(b'\\'),
                Some('x') => {
                    let hex: String = [chars.next(), chars.next()]
                        .iter()
                        .flatten()
                        .map(|(_, c)| *c)
                        .collect();
                    let byte = crate::key_text::from_hex(&hex)
                        .ok()
                        .and_then(|b| b.first().copied())
                        .filter(|_| hex.len() == 2)
                        .ok_or_else(|| error(column, format!("bad escape \\x{hex}")))?;
                    out.push(byte);
                }
                other => {
                    return Err(error(
                        column,
                        format!("unknown escape \\{}", other.unwrap_or(' ')),
                    ))
                }
            },
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(line: &str) -> Option<TraceOp> {
        match parse_command(line) {
            Ok(Some(Command::Op { op })) => Some(op),
            _ => None,
        }
    }

    #[test]
    fn commands_parse_into_operations() {
        assert_eq!(
            op("put apple red"),
            Some(TraceOp::Put {
                key: b"apple".to_vec(),
                value: b"red".to_vec()
            })
        );
        assert_eq!(
            op(r#"put "two words" 0x00ff"#),
            Some(TraceOp::Put {
                key: b"two words".to_vec(),
                value: vec![0, 255]
            })
        );
        assert_eq!(
            op("get k @2"),
            Some(TraceOp::Get {
                key: b"k".to_vec(),
                snapshot: Some(2)
            })
        );
        assert_eq!(
            op("scan a m rev limit=5"),
            Some(TraceOp::Scan {
                start: Some(b"a".to_vec()),
                end: Some(b"m".to_vec()),
                reverse: true,
                limit: Some(5)
            })
        );
        assert_eq!(
            op("scan"),
            Some(TraceOp::Scan {
                start: None,
                end: None,
                reverse: false,
                limit: None
            })
        );
        assert_eq!(
            op("scan .. m"),
            Some(TraceOp::Scan {
                start: None,
                end: Some(b"m".to_vec()),
                reverse: false,
                limit: None
            })
        );
        assert_eq!(
            op("batch put a 1 | delete b"),
            Some(TraceOp::Batch {
                entries: vec![
                    BatchEntry {
                        key: b"a".to_vec(),
                        value: Some(b"1".to_vec())
                    },
                    BatchEntry {
                        key: b"b".to_vec(),
                        value: None
                    },
                ]
            })
        );
        assert_eq!(
            op(r#"put "a\"b\x41\n" v # comment"#),
            Some(TraceOp::Put {
                key: b"a\"bA\n".to_vec(),
                value: b"v".to_vec()
            })
        );
        assert_eq!(parse_command("   # only a comment"), Ok(None));
    }

    /// `load 10000000 value_bytes=…` once parsed, silently capping the
    /// value at 64 KiB, and then generated 650 GB of puts: a shared link
    /// could kill the tab. The size is checked before anything is built.
    #[test]
    fn a_load_too_large_to_generate_is_refused_before_generating() {
        for line in [
            "load sequential 10000000 value_bytes=65536",
            "load random 9000000 value_bytes=200",
            "load sequential 10 value_bytes=1000000",
        ] {
            let parsed = parse_command(line);
            assert!(parsed.is_err(), "{line} parsed as {parsed:?}");
        }
        let Ok(Some(fits)) = parse_command("load sequential 2000 value_bytes=50") else {
            panic!("a small load must parse");
        };
        assert_eq!(fits.load_bytes(), Some(2000 * (3 + 6 + 50)));
        assert!(fits.check_load(2000, 1 << 20).is_ok());
        let over_ops = fits.check_load(1999, 1 << 20).err().unwrap_or_default();
        assert!(over_ops.contains("2000"), "{over_ops}");
        let over_bytes = fits.check_load(2000, 1000).err().unwrap_or_default();
        assert!(over_bytes.contains("bytes"), "{over_bytes}");
    }

    #[test]
    fn bad_lines_name_the_column_and_never_panic() {
        let cases = [
            ("frobnicate x", 1),
            ("put onlykey", 5),
            ("put k v extra", 9),
            (r#"put "unterminated"#, 5),
            ("put 0xzz v", 5),
            ("get k @x", 7),
            ("load wavy 10", 6),
            ("load random 99999999999", 13),
            (r#"put "\q" v"#, 5),
            ("batch put a", 11),
        ];
        for (line, column) in cases {
            match parse_command(line) {
                Err(e) => assert_eq!(e.column, column, "{line}: {e}"),
                Ok(c) => panic!("{line} parsed as {c:?}"),
            }
        }
    }

    #[test]
    fn scenes_set_options_then_run_commands() -> Result<(), ScriptError> {
        let scene = Scene::parse(
            "option memtable_bytes_max=2048\noption compaction_strategy=size_tiered\nload random 10 seed=3 keys=5\nflush\n",
            &Options::deterministic(),
        )?;
        assert_eq!(scene.options.memtable_bytes_max, 2048);
        assert_eq!(
            scene.options.compaction_strategy,
            crate::options::CompactionStrategy::SizeTiered
        );
        assert_eq!(scene.commands.len(), 2);
        let ops = scene
            .commands
            .first()
            .and_then(Command::load_ops)
            .unwrap_or_default();
        assert_eq!(ops.len(), 10);
        assert!(Scene::parse("flush\noption seed=1", &Options::deterministic()).is_err());
        assert!(Scene::parse("option memtable_bytes_max=1", &Options::deterministic()).is_err());
        assert!(Scene::parse("option no_such=1", &Options::deterministic()).is_err());
        Ok(())
    }

    #[test]
    fn loads_are_deterministic_from_their_seed() {
        let parse = |l: &str| parse_command(l).ok().flatten().and_then(|c| c.load_ops());
        assert_eq!(
            parse("load skewed 50 seed=9"),
            parse("load skewed 50 seed=9")
        );
        assert_ne!(
            parse("load random 50 seed=9"),
            parse("load random 50 seed=10")
        );
        let seq = parse("load sequential 3 prefix=user value_bytes=4").unwrap_or_default();
        assert_eq!(
            seq.first(),
            Some(&TraceOp::Put {
                key: b"user000000".to_vec(),
                value: b"v0-.".to_vec()
            })
        );
    }
}
