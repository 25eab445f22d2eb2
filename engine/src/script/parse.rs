//! Parsing one line of the command language: words (bare, quoted or
//! hex), then the command they name.

use super::{
    error, Argument, Command, LoadPattern, ScriptError, ScriptProblem, MAX_LINE_BYTES,
    MAX_LOAD_BYTES, MAX_LOAD_COUNT, MAX_LOAD_VALUE_BYTES, MAX_TIME_MS,
};
use crate::trace::{BatchEntry, TraceOp};

/// Parses one line; `None` for blank lines and comments.
pub fn parse_command(line: &str) -> Result<Option<Command>, ScriptError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(error(
            1,
            ScriptProblem::LineTooLong {
                max: MAX_LINE_BYTES,
            },
        ));
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
            let arg = args.text(Argument::NameValue)?;
            let (name, value) = arg
                .split_once('=')
                .ok_or_else(|| error(args.column, ScriptProblem::ExpectedNameValue))?;
            Command::SetOption {
                name: name.to_owned(),
                value: value.to_owned(),
            }
        }
        "load" => load(&mut args)?,
        "delete-range" | "delete_range" => Command::DeleteRange {
            start: args.bytes(Argument::StartKey)?,
            end: args.bytes(Argument::EndKey)?,
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
            key: args.bytes(Argument::Key)?,
            value: args.bytes(Argument::Value)?,
        },
        "get" => {
            let key = args.bytes(Argument::Key)?;
            let snapshot = match args.peek_text() {
                Some(w) if w.starts_with('@') => {
                    let id = args.text(Argument::AtSnapshot)?;
                    Some(number(id.get(1..).unwrap_or(""), args.column)? as u32)
                }
                _ => None,
            };
            TraceOp::Get { key, snapshot }
        }
        "delete" | "del" => TraceOp::Delete {
            key: args.bytes(Argument::Key)?,
        },
        "scan" => scan(args)?,
        "snapshot" => TraceOp::Snapshot,
        "release" => TraceOp::ReleaseSnapshot {
            id: number(&args.text(Argument::SnapshotId)?, args.column)? as u32,
        },
        "flush" => TraceOp::Flush,
        "step" => TraceOp::Step,
        "compact" => TraceOp::Compact,
        "compact-range" | "compact_range" => {
            let (start, end) = bounds(args)?;
            TraceOp::CompactRange { start, end }
        }
        "time" => TraceOp::SetTime {
            now_ms: milliseconds(args)?,
        },
        "advance" => TraceOp::AdvanceTime {
            by_ms: milliseconds(args)?,
        },
        other => {
            return Err(error(
                1,
                ScriptProblem::UnknownCommand {
                    word: other.to_owned(),
                },
            ))
        }
    })
}

/// A range's two optional bounds.
type Bounds = (Option<Vec<u8>>, Option<Vec<u8>>);

/// Up to two optional keys, `..` for an open start: `[a [b]]`, `.. b`.
fn bounds(args: &mut Args<'_>) -> Result<Bounds, ScriptError> {
    let bound = |args: &mut Args<'_>| -> Result<Option<Vec<u8>>, ScriptError> {
        if args.peek_text().is_none() {
            return Ok(None);
        }
        Ok(Some(args.bytes(Argument::Bound)?).filter(|s| s.as_slice() != b".."))
    };
    let start = bound(args)?;
    let end = bound(args)?;
    Ok((start, end))
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
            let bound = Some(args.bytes(Argument::Bound)?).filter(|s| s.as_slice() != b"..");
            if positional == 0 {
                start = bound;
            } else {
                end = bound;
            }
            positional += 1;
            continue;
        } else {
            return Err(error(args.column, ScriptProblem::Unexpected { word }));
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
                key: args.bytes(Argument::Key)?,
                value: Some(args.bytes(Argument::Value)?),
            },
            b"delete" | b"del" => BatchEntry {
                key: args.bytes(Argument::Key)?,
                value: None,
            },
            _ => return Err(error(op.column, ScriptProblem::BatchEntry)),
        };
        args.finish()?;
        entries.push(entry);
    }
    Ok(Command::Op {
        op: TraceOp::Batch { entries },
    })
}

fn load(args: &mut Args<'_>) -> Result<Command, ScriptError> {
    let pattern = match args.text(Argument::Pattern)?.as_str() {
        "sequential" | "seq" => LoadPattern::Sequential,
        "random" => LoadPattern::Random,
        "skewed" => LoadPattern::Skewed,
        other => {
            return Err(error(
                args.column,
                ScriptProblem::UnknownLoadPattern {
                    word: other.to_owned(),
                },
            ))
        }
    };
    let count = number(&args.text(Argument::Count)?, args.column)?;
    if count > MAX_LOAD_COUNT {
        return Err(error(
            args.column,
            ScriptProblem::LoadCountTooLarge {
                max: MAX_LOAD_COUNT,
            },
        ));
    }
    let (mut seed, mut keys, mut prefix, mut value_bytes) = (1, count.max(1), "key".to_owned(), 16);
    while let Some(word) = args.peek_text() {
        let Some((name, value)) = word.split_once('=') else {
            let word = word.clone();
            return Err(error(
                args.column,
                ScriptProblem::ExpectedNameValueGot { word },
            ));
        };
        match name {
            "seed" => seed = number(value, args.column)?,
            "keys" => keys = number(value, args.column)?.max(1),
            "prefix" => prefix = value.to_owned(),
            "value_bytes" => {
                let n = number(value, args.column)?;
                if n > MAX_LOAD_VALUE_BYTES {
                    return Err(error(
                        args.column,
                        ScriptProblem::ValueBytesTooLarge {
                            max: MAX_LOAD_VALUE_BYTES,
                            got: n,
                        },
                    ));
                }
                value_bytes = n as usize;
            }
            _ => {
                let name = name.to_owned();
                return Err(error(
                    args.column,
                    ScriptProblem::UnknownLoadSetting { name },
                ));
            }
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
        .map_err(|problem| error(args.column, problem))?;
    Ok(load)
}

/// The milliseconds of `time` and `advance`, at most [`MAX_TIME_MS`].
fn milliseconds(args: &mut Args<'_>) -> Result<u64, ScriptError> {
    let ms = number(&args.text(Argument::Milliseconds)?, args.column)?;
    if ms > MAX_TIME_MS {
        return Err(error(
            args.column,
            ScriptProblem::TimeTooLarge {
                max: MAX_TIME_MS,
                got: ms,
            },
        ));
    }
    Ok(ms)
}

fn number(text: &str, column: usize) -> Result<u64, ScriptError> {
    text.replace('_', "").parse().map_err(|_| {
        let text = text.to_owned();
        error(column, ScriptProblem::NotANumber { text })
    })
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
    fn next(&mut self, what: Argument) -> Result<&Word, ScriptError> {
        let word = self
            .words
            .get(self.pos)
            .ok_or_else(|| error(self.column, ScriptProblem::Missing { what }))?;
        self.pos += 1;
        self.column = word.column;
        Ok(word)
    }

    fn bytes(&mut self, what: Argument) -> Result<Vec<u8>, ScriptError> {
        let word = self.next(what)?;
        if !word.quoted {
            if let Some(hex) = word.bytes.strip_prefix(b"0x") {
                let hex = String::from_utf8_lossy(hex);
                return crate::key_text::from_hex(&hex)
                    .map_err(|e| error(word.column, ScriptProblem::BadHex(e)));
            }
        }
        Ok(word.bytes.clone())
    }

    fn text(&mut self, what: Argument) -> Result<String, ScriptError> {
        Ok(String::from_utf8_lossy(&self.next(what)?.bytes).into_owned())
    }

    fn peek_text(&self) -> Option<String> {
        self.words
            .get(self.pos)
            .map(|w| String::from_utf8_lossy(&w.bytes).into_owned())
    }

    fn finish(&self) -> Result<(), ScriptError> {
        match self.words.get(self.pos) {
            Some(extra) => Err(error(extra.column, ScriptProblem::ExtraWords)),
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
            return Err(error(column, ScriptProblem::UnterminatedQuote));
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
                        .ok_or_else(|| error(column, ScriptProblem::BadHexEscape { hex }))?;
                    out.push(byte);
                }
                other => {
                    return Err(error(
                        column,
                        ScriptProblem::UnknownEscape {
                            escape: other.unwrap_or(' '),
                        },
                    ))
                }
            },
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
}
