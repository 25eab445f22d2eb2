//! What can go wrong between Strata and IndexedDB.

use std::fmt;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::DomException;

/// Why the IndexedDB backend could not open, load or persist.
///
/// None of these lose data IndexedDB had already committed: a failed
/// transaction is rolled back whole, and the in-memory image the engine runs
/// on is untouched.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdbError {
    /// IndexedDB cannot be used in this context: private browsing in some
    /// browsers, a sandboxed frame, a page opened from `file://`, or a
    /// JavaScript host without `indexedDB`.
    Unavailable {
        /// What the browser said.
        reason: String,
    },
    /// Another tab keeps an older version of the database open and did not
    /// close it when asked to.
    Blocked {
        /// The database being opened.
        db_name: String,
    },
    /// The browser refused to store more data for this site.
    QuotaExceeded {
        /// What the browser said.
        message: String,
    },
    /// Stored data is not in the format [`crate::IdbStorage`] writes.
    Malformed {
        /// The file whose entries are damaged.
        file: String,
        /// Which check failed.
        reason: String,
    },
    /// Another tab (or another handle in this page) has the database open:
    /// its Web Lock was not released within `LOCK_WAIT_MS`.
    Locked {
        /// The database being opened.
        db_name: String,
    },
    /// The connection was closed under us: another tab deleted or upgraded
    /// the database, or the browser closed it.
    Closed {
        /// The database that was closed.
        db_name: String,
    },
    /// Any other failure IndexedDB reported.
    Failed {
        /// What the backend was doing.
        operation: &'static str,
        /// The `DOMException` name, when there was one.
        name: String,
        /// What the browser said.
        message: String,
    },
}

impl fmt::Display for IdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdbError::Unavailable { reason } => {
                write!(f, "IndexedDB is not available here ({reason}); data can only be kept in memory")
            }
            IdbError::Blocked { db_name } => write!(
                f,
                "IndexedDB database {db_name:?} is held open by another tab; close it and reload"
            ),
            IdbError::QuotaExceeded { message } => write!(
                f,
                "the browser's storage quota is exhausted ({message}); newer changes are kept in memory only"
            ),
            IdbError::Malformed { file, reason } => {
                write!(f, "stored data of file {file:?} is malformed: {reason}")
            }
            IdbError::Locked { db_name } => write!(
                f,
                "database {db_name:?} is open in another tab; close it there (or use that tab) \
                 so that two tabs never write the same files"
            ),
            IdbError::Closed { db_name } => write!(
                f,
                "IndexedDB database {db_name:?} was closed by the browser or another tab"
            ),
            IdbError::Failed {
                operation,
                name,
                message,
            } => write!(f, "IndexedDB failed to {operation}: {name}: {message}"),
        }
    }
}

impl std::error::Error for IdbError {}

impl IdbError {
    /// Classifies an exception IndexedDB threw or a request's error.
    pub(crate) fn from_js(operation: &'static str, error: &JsValue) -> IdbError {
        let (name, message) = describe(error);
        if name == "QuotaExceededError" {
            IdbError::QuotaExceeded { message }
        } else {
            IdbError::Failed {
                operation,
                name,
                message,
            }
        }
    }

    pub(crate) fn malformed(file: impl Into<String>, reason: impl Into<String>) -> IdbError {
        IdbError::Malformed {
            file: file.into(),
            reason: reason.into(),
        }
    }
}

/// A `DOMException`'s name and message, or the best text a thrown value has.
pub(crate) fn describe(error: &JsValue) -> (String, String) {
    if let Some(exception) = error.dyn_ref::<DomException>() {
        return (exception.name(), exception.message());
    }
    if let Some(js_error) = error.dyn_ref::<js_sys::Error>() {
        return (
            String::from(js_error.name()),
            String::from(js_error.message()),
        );
    }
    let text = error.as_string().unwrap_or_else(|| format!("{error:?}"));
    (String::from("Error"), text)
}
