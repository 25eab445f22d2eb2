//! Saving to IndexedDB: what the page says about it, and when writes stop.
//!
//! In the browser a synced write is durable only once IndexedDB has
//! committed it (`Db::persisted`). [`Saver`] follows each change from
//! "saving…" to "saved", retries a commit that failed, and after
//! [`COMMIT_FAILURES_MAX`] failures in a row stops further writes with a
//! message, so that a student does not go on typing into a database that
//! is no longer kept. The components only await the commits it asks for
//! and show [`Saver::status`].

use super::i18n::{tr, Msg};

/// Commits that may fail in a row before writes stop.
pub const COMMIT_FAILURES_MAX: u32 = 3;

/// Where saving stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// The database is not on IndexedDB: nothing to say.
    Off,
    /// The stored database was reopened and nothing has changed since.
    Reopened,
    /// A change waits for its commit.
    Saving,
    /// Everything synced so far is committed.
    Saved,
    /// The latest commit failed (`failures` in a row); another is tried.
    Retrying {
        /// Failures in a row so far.
        failures: u32,
        /// What the latest failure said.
        reason: String,
    },
    /// Commits failed [`COMMIT_FAILURES_MAX`] times in a row: writes are
    /// stopped until the database is opened again.
    Stopped {
        /// What the latest failure said.
        reason: String,
    },
}

/// Names one wait for a commit; only the newest one changes the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

/// What to do once a commit has been awaited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterCommit {
    /// Nothing: show the status.
    Done,
    /// Await the commit again under this ticket.
    Retry(Ticket),
}

/// Why IndexedDB could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenFailure {
    /// Another tab holds the database's lock.
    Locked,
    /// Anything else, in the browser's words.
    Other(String),
}

/// The saving state of the session on IndexedDB.
#[derive(Clone, Debug)]
pub struct Saver {
    state: SaveState,
    ticket: u64,
}

impl Default for Saver {
    fn default() -> Self {
        Self::new()
    }
}

impl Saver {
    /// A saver with nothing on IndexedDB.
    pub fn new() -> Self {
        Self {
            state: SaveState::Off,
            ticket: 0,
        }
    }

    /// Where saving stands.
    pub fn state(&self) -> &SaveState {
        &self.state
    }

    /// The database was opened on IndexedDB; `changed` if opening wrote to
    /// it (a fresh start, or a setup that ran commands). Clears a stop.
    /// Returns the commit to await.
    pub fn opened(&mut self, changed: bool) -> Ticket {
        self.state = if changed {
            SaveState::Saving
        } else {
            SaveState::Reopened
        };
        self.next_ticket()
    }

    /// A command ran on the database: the commit to await, or `None` when
    /// nothing is saved (in memory, or writes are stopped).
    pub fn changed(&mut self) -> Option<Ticket> {
        match self.state {
            SaveState::Off | SaveState::Stopped { .. } => None,
            _ => {
                self.state = SaveState::Saving;
                Some(self.next_ticket())
            }
        }
    }

    /// The commit awaited under `ticket` ended with `outcome`. A result for
    /// an older ticket is ignored: a newer wait covers its changes too.
    pub fn committed(&mut self, ticket: Ticket, outcome: Result<(), String>) -> AfterCommit {
        if ticket.0 != self.ticket || self.state == SaveState::Off {
            return AfterCommit::Done;
        }
        match outcome {
            Ok(()) => {
                if self.state != SaveState::Reopened {
                    self.state = SaveState::Saved;
                }
                AfterCommit::Done
            }
            Err(reason) => {
                let failures = match self.state {
                    SaveState::Retrying { failures, .. } => failures + 1,
                    _ => 1,
                };
                if failures >= COMMIT_FAILURES_MAX {
                    self.state = SaveState::Stopped { reason };
                    return AfterCommit::Done;
                }
                self.state = SaveState::Retrying { failures, reason };
                AfterCommit::Retry(self.next_ticket())
            }
        }
    }

    /// The database moved to memory (or is being reopened).
    pub fn detach(&mut self) {
        self.state = SaveState::Off;
        self.next_ticket();
    }

    /// `Err` with the message to show when writes are stopped.
    pub fn writes_allowed(&self) -> Result<(), String> {
        match &self.state {
            SaveState::Stopped { reason } => Err(stopped_message(reason)),
            _ => Ok(()),
        }
    }

    /// The status line for the state, in the language shown.
    pub fn status(&self) -> String {
        match &self.state {
            SaveState::Off => String::new(),
            SaveState::Reopened => tr(&Msg::SaveReopened),
            SaveState::Saving => tr(&Msg::SaveSaving),
            SaveState::Saved => tr(&Msg::SaveSaved),
            SaveState::Retrying { failures, reason } => tr(&Msg::SaveRetrying {
                failures: *failures,
                max: COMMIT_FAILURES_MAX,
                reason,
            }),
            SaveState::Stopped { reason } => stopped_message(reason),
        }
    }

    fn next_ticket(&mut self) -> Ticket {
        self.ticket += 1;
        Ticket(self.ticket)
    }
}

fn stopped_message(reason: &str) -> String {
    tr(&Msg::SaveStopped {
        max: COMMIT_FAILURES_MAX,
        reason,
    })
}

/// The message shown when IndexedDB could not be opened and the database
/// stays in memory.
pub fn open_failed(failure: &OpenFailure) -> String {
    match failure {
        OpenFailure::Locked => tr(&Msg::SaveLocked),
        OpenFailure::Other(reason) => tr(&Msg::SaveUnavailable { reason }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saving() -> (Saver, Ticket) {
        let mut saver = Saver::new();
        let ticket = saver.opened(true);
        (saver, ticket)
    }

    #[test]
    fn a_change_is_saving_until_its_commit_then_saved() {
        let (mut saver, opened) = saving();
        assert_eq!(saver.status(), "Saving to IndexedDB…");
        assert_eq!(saver.committed(opened, Ok(())), AfterCommit::Done);
        assert_eq!(saver.status(), "Saved in IndexedDB");
        let ticket = saver.changed().expect("saving");
        assert_eq!(saver.state(), &SaveState::Saving);
        saver.committed(ticket, Ok(()));
        assert_eq!(saver.state(), &SaveState::Saved);
    }

    #[test]
    fn an_older_commit_does_not_say_saved_while_a_newer_change_waits() {
        let (mut saver, _) = saving();
        let first = saver.changed().expect("saving");
        let second = saver.changed().expect("saving");
        saver.committed(first, Ok(()));
        assert_eq!(saver.state(), &SaveState::Saving);
        saver.committed(second, Ok(()));
        assert_eq!(saver.state(), &SaveState::Saved);
    }

    #[test]
    fn a_reopened_database_says_so_until_it_changes() {
        let mut saver = Saver::new();
        let ticket = saver.opened(false);
        saver.committed(ticket, Ok(()));
        assert_eq!(saver.status(), "Reopened from IndexedDB");
        assert!(saver.changed().is_some());
        assert_eq!(saver.state(), &SaveState::Saving);
    }

    #[test]
    fn failed_commits_are_retried_then_stop_writes_with_a_message() {
        let (mut saver, mut ticket) = saving();
        for failures in 1..COMMIT_FAILURES_MAX {
            match saver.committed(ticket, Err("quota exceeded".into())) {
                AfterCommit::Retry(next) => ticket = next,
                AfterCommit::Done => panic!("failure {failures} is retried"),
            }
            assert!(saver.writes_allowed().is_ok());
            let status = saver.status();
            assert!(status.contains("quota exceeded"), "{status}");
            assert!(status.contains(&format!("{failures} of {COMMIT_FAILURES_MAX}")));
        }
        assert_eq!(
            saver.committed(ticket, Err("quota exceeded".into())),
            AfterCommit::Done
        );
        let stopped = saver.writes_allowed().expect_err("writes stop");
        assert!(stopped.contains("quota exceeded"), "{stopped}");
        assert!(stopped.contains("stopped"), "{stopped}");
        assert_eq!(saver.status(), stopped);
        assert_eq!(saver.changed(), None, "nothing more is saved");
    }

    #[test]
    fn a_successful_commit_resets_the_failure_count() {
        let (mut saver, ticket) = saving();
        let AfterCommit::Retry(ticket) = saver.committed(ticket, Err("busy".into())) else {
            panic!("retried");
        };
        let AfterCommit::Retry(ticket) = saver.committed(ticket, Err("busy".into())) else {
            panic!("retried");
        };
        saver.committed(ticket, Ok(()));
        assert_eq!(saver.state(), &SaveState::Saved);
        let ticket = saver.changed().expect("saving");
        assert!(matches!(
            saver.committed(ticket, Err("busy".into())),
            AfterCommit::Retry(_)
        ));
        assert!(saver.writes_allowed().is_ok());
    }

    #[test]
    fn opening_again_clears_a_stop_and_memory_says_nothing() {
        let (mut saver, mut ticket) = saving();
        while let AfterCommit::Retry(next) = saver.committed(ticket, Err("x".into())) {
            ticket = next;
        }
        assert!(saver.writes_allowed().is_err());
        let reopened = saver.opened(false);
        assert!(saver.writes_allowed().is_ok());
        saver.detach();
        assert_eq!(saver.status(), "");
        assert_eq!(
            saver.committed(reopened, Err("late".into())),
            AfterCommit::Done
        );
        assert_eq!(saver.state(), &SaveState::Off);
        assert_eq!(saver.changed(), None);
    }

    #[test]
    fn a_second_tab_is_told_the_database_is_open_elsewhere() {
        let locked = open_failed(&OpenFailure::Locked);
        assert!(locked.contains("another tab"), "{locked}");
        let other = open_failed(&OpenFailure::Other("private browsing".into()));
        assert!(other.contains("private browsing"), "{other}");
    }
}
