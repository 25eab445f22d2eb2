//! The one error type of the engine.

use std::io;

/// Everything that can go wrong in Strata.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The storage backend failed.
    #[error("I/O error on {file}: {source}")]
    Io {
        /// The file being accessed (empty for directory operations).
        file: String,
        /// What the backend reported.
        source: io::Error,
    },
    /// Bytes read from storage are not what Strata wrote.
    #[error("corruption in {file} at byte {offset}: {reason}")]
    Corruption {
        /// The file holding the bad bytes.
        file: String,
        /// Byte offset of the bad record, block or field.
        offset: u64,
        /// What check failed.
        reason: String,
    },
    /// A key longer than [`crate::MAX_KEY_BYTES`].
    #[error("key of {len} bytes exceeds the maximum of {max} bytes")]
    KeyTooLarge {
        /// Length of the refused key.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A value longer than [`crate::MAX_VALUE_BYTES`].
    #[error("value of {len} bytes exceeds the maximum of {max} bytes")]
    ValueTooLarge {
        /// Length of the refused value.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A write batch larger than [`crate::MAX_BATCH_BYTES`] when encoded.
    #[error("write batch of {len} bytes exceeds the maximum of {max} bytes")]
    BatchTooLarge {
        /// Encoded length of the refused batch.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Options that cannot work together.
    #[error("invalid options: {0}")]
    InvalidOptions(String),
    /// `open` found no database and `create_if_missing` is off.
    #[error("no Strata database here (CURRENT is missing)")]
    NotFound,
    /// `open` found Strata's tables or logs but no `CURRENT`: opening would
    /// start an empty database over them. Nothing was changed;
    /// `strata repair` rebuilds a manifest from the files.
    #[error(
        "CURRENT is missing, but the directory holds Strata files ({}): refusing to \
         open it as a new database; nothing was changed (`strata repair` rebuilds \
         the manifest from these files)",
        .found.join(", ")
    )]
    CurrentMissing {
        /// The Strata files found (at most 20 named; then how many more).
        found: Vec<String>,
    },
    /// `open` found a database and `error_if_exists` is on.
    #[error("a database already exists here")]
    AlreadyExists,
    /// [`crate::Db::set_time`] was given a time before the current one.
    #[error("time cannot go back: it is {now_ms} ms, not {requested_ms} ms")]
    TimeWentBack {
        /// The database's time.
        now_ms: u64,
        /// The refused time.
        requested_ms: u64,
    },
    /// An earlier write or sync failed; the database refuses writes until it
    /// is reopened, because what reached the disk is unknown.
    #[error("writes are refused after an earlier failure ({0}); reopen the database")]
    WritesStopped(String),
}

/// Result with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A corruption error.
    pub fn corruption(file: impl Into<String>, offset: u64, reason: impl Into<String>) -> Self {
        Error::Corruption {
            file: file.into(),
            offset,
            reason: reason.into(),
        }
    }

    /// Whether this is a corruption error.
    pub fn is_corruption(&self) -> bool {
        matches!(self, Error::Corruption { .. })
    }
}

/// Attaches a file name to I/O errors: `storage.open(name).ctx(name)?`.
pub(crate) trait IoContext<T> {
    fn ctx(self, file: &str) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn ctx(self, file: &str) -> Result<T> {
        self.map_err(|source| Error::Io {
            file: file.to_owned(),
            source,
        })
    }
}
