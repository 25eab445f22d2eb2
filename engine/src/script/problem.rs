//! Why a line of the command language was refused, as a value: the shell
//! prints its English [`Display`](std::fmt::Display), the visualizer
//! renders each variant in the language it shows.

use crate::key_text::HexError;

/// The argument a command was missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Argument {
    /// `name=value` of `option`.
    NameValue,
    /// A key.
    Key,
    /// A value.
    Value,
    /// The first key of a range.
    StartKey,
    /// The end key of a range.
    EndKey,
    /// A range bound.
    Bound,
    /// `@n` after `get`.
    AtSnapshot,
    /// The id after `release`.
    SnapshotId,
    /// The pattern of a `load`.
    Pattern,
    /// The count of a `load`.
    Count,
    /// The milliseconds of `time` or `advance`.
    Milliseconds,
}

impl Argument {
    /// Every argument, for catalogues that render them.
    pub const ALL: [Argument; 11] = [
        Argument::NameValue,
        Argument::Key,
        Argument::Value,
        Argument::StartKey,
        Argument::EndKey,
        Argument::Bound,
        Argument::AtSnapshot,
        Argument::SnapshotId,
        Argument::Pattern,
        Argument::Count,
        Argument::Milliseconds,
    ];

    /// How the English messages name it.
    pub fn english(self) -> &'static str {
        match self {
            Argument::NameValue => "name=value",
            Argument::Key => "key",
            Argument::Value => "value",
            Argument::StartKey => "start key",
            Argument::EndKey => "end key",
            Argument::Bound => "bound",
            Argument::AtSnapshot => "@snapshot",
            Argument::SnapshotId => "snapshot id",
            Argument::Pattern => "pattern",
            Argument::Count => "count",
            Argument::Milliseconds => "milliseconds",
        }
    }
}

/// What is wrong with a line; its `Display` is the English message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptProblem {
    /// A line over the length limit.
    #[error("line longer than {max} bytes")]
    LineTooLong {
        /// The limit in bytes.
        max: usize,
    },
    /// The first word names no command.
    #[error("unknown command {word:?} (try help)")]
    UnknownCommand {
        /// The word.
        word: String,
    },
    /// A command ended before one of its arguments.
    #[error("missing {}", what.english())]
    Missing {
        /// The argument.
        what: Argument,
    },
    /// A word after a command's last argument.
    #[error("unexpected extra words")]
    ExtraWords,
    /// A word `scan` does not take.
    #[error("unexpected {word:?}")]
    Unexpected {
        /// The word.
        word: String,
    },
    /// A word that should be a number.
    #[error("{text:?} is not a number")]
    NotANumber {
        /// The word.
        text: String,
    },
    /// `option` without `=`.
    #[error("expected name=value")]
    ExpectedNameValue,
    /// A `load` setting without `=`.
    #[error("expected name=value, got {word:?}")]
    ExpectedNameValueGot {
        /// The word.
        word: String,
    },
    /// A batch entry other than put and delete.
    #[error("a batch holds put and delete, separated by |")]
    BatchEntry,
    /// A `load` pattern there is not.
    #[error("unknown load pattern {word:?}")]
    UnknownLoadPattern {
        /// The word.
        word: String,
    },
    /// A `load` setting there is not.
    #[error("unknown load setting {name:?}")]
    UnknownLoadSetting {
        /// The setting's name.
        name: String,
    },
    /// A `load` count over the language's limit.
    #[error("at most {max} operations per load")]
    LoadCountTooLarge {
        /// The limit.
        max: u64,
    },
    /// A `load` `value_bytes` over its limit.
    #[error("value_bytes is at most {max}, not {got}")]
    ValueBytesTooLarge {
        /// The limit.
        max: u64,
        /// The value asked for.
        got: u64,
    },
    /// A `load` of more puts than the limit here.
    #[error("this load makes {count} puts; the limit here is {max}")]
    LoadOverOps {
        /// The puts it makes.
        count: u64,
        /// The limit.
        max: u64,
    },
    /// A `load` of more bytes than the limit here.
    #[error(
        "this load makes about {bytes} bytes of keys and values; the limit here is {max} bytes"
    )]
    LoadOverBytes {
        /// About how many bytes it makes.
        bytes: u64,
        /// The limit.
        max: u64,
    },
    /// A `0x` word that is not hex.
    #[error("{0}")]
    BadHex(HexError),
    /// A quoted string without its closing quote.
    #[error("unterminated quoted string")]
    UnterminatedQuote,
    /// `\x` not followed by two hex digits.
    #[error("bad escape \\x{hex}")]
    BadHexEscape {
        /// What followed `\x`.
        hex: String,
    },
    /// A backslash escape there is not.
    #[error("unknown escape \\{escape}")]
    UnknownEscape {
        /// The character after the backslash.
        escape: char,
    },
    /// An `option` line after a command in a scene.
    #[error("option lines must come before the commands")]
    OptionAfterCommands,
    /// An option name there is not.
    #[error("unknown option {name:?}")]
    UnknownOption {
        /// The name.
        name: String,
    },
    /// An option value of the wrong kind.
    #[error("bad value {value:?} for {name}: {detail}")]
    BadOptionValue {
        /// The option.
        name: String,
        /// The value, as written.
        value: String,
        /// What the reader said (English).
        detail: String,
    },
    /// Options that cannot work together.
    #[error("invalid options: {reason}")]
    InvalidOptions {
        /// Why (English, from [`Options::validate`](crate::options::Options::validate)).
        reason: String,
    },
    /// A `time` or `advance` past the language's limit on times.
    #[error("times are at most {max} ms, not {got}")]
    TimeTooLarge {
        /// The limit.
        max: u64,
        /// The time asked for.
        got: u64,
    },
    /// Anything else, as English text (an error read back from JSON, an
    /// internal failure).
    #[error("{message}")]
    Other {
        /// The text.
        message: String,
    },
}

impl From<crate::Error> for ScriptProblem {
    fn from(error: crate::Error) -> Self {
        match error {
            crate::Error::InvalidOptions(reason) => ScriptProblem::InvalidOptions { reason },
            other => ScriptProblem::Other {
                message: other.to_string(),
            },
        }
    }
}

impl ScriptProblem {
    /// One example of every variant (and of every [`Argument`] and
    /// [`HexError`] inside one), so a catalogue in another crate, which
    /// cannot match this `#[non_exhaustive]` enum exhaustively, can test
    /// that it renders them all.
    pub fn examples() -> Vec<ScriptProblem> {
        let word = || "x".to_owned();
        let mut all = vec![
            ScriptProblem::LineTooLong { max: 9 },
            ScriptProblem::UnknownCommand { word: word() },
            ScriptProblem::ExtraWords,
            ScriptProblem::Unexpected { word: word() },
            ScriptProblem::NotANumber { text: word() },
            ScriptProblem::ExpectedNameValue,
            ScriptProblem::ExpectedNameValueGot { word: word() },
            ScriptProblem::BatchEntry,
            ScriptProblem::UnknownLoadPattern { word: word() },
            ScriptProblem::UnknownLoadSetting { name: word() },
            ScriptProblem::LoadCountTooLarge { max: 9 },
            ScriptProblem::ValueBytesTooLarge { max: 9, got: 10 },
            ScriptProblem::LoadOverOps { count: 10, max: 9 },
            ScriptProblem::LoadOverBytes { bytes: 10, max: 9 },
            ScriptProblem::BadHex(HexError::TooLong { max: 9 }),
            ScriptProblem::BadHex(HexError::OddLength),
            ScriptProblem::BadHex(HexError::NotADigit { digit: 'z' }),
            ScriptProblem::UnterminatedQuote,
            ScriptProblem::BadHexEscape {
                hex: "zz".to_owned(),
            },
            ScriptProblem::UnknownEscape { escape: 'q' },
            ScriptProblem::OptionAfterCommands,
            ScriptProblem::UnknownOption { name: word() },
            ScriptProblem::BadOptionValue {
                name: "seed".to_owned(),
                value: word(),
                detail: word(),
            },
            ScriptProblem::InvalidOptions { reason: word() },
            ScriptProblem::TimeTooLarge { max: 9, got: 10 },
            ScriptProblem::Other {
                message: "oops".to_owned(),
            },
        ];
        all.extend(Argument::ALL.map(|what| ScriptProblem::Missing { what }));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No wildcard arms: a new variant does not compile until it is named
    /// here, and the test fails until [`ScriptProblem::examples`] has it.
    fn index(problem: &ScriptProblem) -> usize {
        match problem {
            ScriptProblem::LineTooLong { .. } => 0,
            ScriptProblem::UnknownCommand { .. } => 1,
            ScriptProblem::Missing { what } => 2 + argument_index(*what),
            ScriptProblem::ExtraWords => 13,
            ScriptProblem::Unexpected { .. } => 14,
            ScriptProblem::NotANumber { .. } => 15,
            ScriptProblem::ExpectedNameValue => 16,
            ScriptProblem::ExpectedNameValueGot { .. } => 17,
            ScriptProblem::BatchEntry => 18,
            ScriptProblem::UnknownLoadPattern { .. } => 19,
            ScriptProblem::UnknownLoadSetting { .. } => 20,
            ScriptProblem::LoadCountTooLarge { .. } => 21,
            ScriptProblem::ValueBytesTooLarge { .. } => 22,
            ScriptProblem::LoadOverOps { .. } => 23,
            ScriptProblem::LoadOverBytes { .. } => 24,
            ScriptProblem::BadHex(HexError::TooLong { .. }) => 25,
            ScriptProblem::BadHex(HexError::OddLength) => 26,
            ScriptProblem::BadHex(HexError::NotADigit { .. }) => 27,
            ScriptProblem::UnterminatedQuote => 28,
            ScriptProblem::BadHexEscape { .. } => 29,
            ScriptProblem::UnknownEscape { .. } => 30,
            ScriptProblem::OptionAfterCommands => 31,
            ScriptProblem::UnknownOption { .. } => 32,
            ScriptProblem::BadOptionValue { .. } => 33,
            ScriptProblem::InvalidOptions { .. } => 34,
            ScriptProblem::TimeTooLarge { .. } => 35,
            ScriptProblem::Other { .. } => 36,
        }
    }

    fn argument_index(what: Argument) -> usize {
        match what {
            Argument::NameValue => 0,
            Argument::Key => 1,
            Argument::Value => 2,
            Argument::StartKey => 3,
            Argument::EndKey => 4,
            Argument::Bound => 5,
            Argument::AtSnapshot => 6,
            Argument::SnapshotId => 7,
            Argument::Pattern => 8,
            Argument::Count => 9,
            Argument::Milliseconds => 10,
        }
    }

    #[test]
    fn the_examples_hold_every_variant() {
        let mut seen = [false; 37];
        for problem in ScriptProblem::examples() {
            if let Some(slot) = seen.get_mut(index(&problem)) {
                *slot = true;
            }
        }
        assert!(seen.iter().all(|s| *s), "{seen:?}");
    }
}
