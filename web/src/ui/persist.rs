//! IndexedDB: opening the database the page keeps, and starting over in
//! it. These steps are asynchronous; each ends by installing a session
//! through the reducer.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use strata_storage::{IdbError, IdbStorage, Storage};
use yew::UseReducerDispatcher;

use super::player::Player;
use crate::model::controller::{build, Action, Notice};
use crate::model::saving::{open_failed, AfterCommit, OpenFailure, Saver, Ticket};
use crate::model::session::Session;
use crate::model::setup::{overrides_for, Persistence, Setup};

/// The IndexedDB database the visualizer keeps its files in.
pub const IDB_NAME: &str = "strata-visualizer";

/// The storage handle of the session on IndexedDB, if any (to await
/// `persisted`).
pub type IdbHandle = Rc<RefCell<Option<IdbStorage>>>;

/// Where saving to IndexedDB stands (see [`Saver`]).
pub type SaverHandle = Rc<RefCell<Saver>>;

/// What the page keeps about its IndexedDB database between renders.
#[derive(Clone)]
pub struct Handles {
    /// The storage, while the session runs on it.
    pub idb: IdbHandle,
    /// Where saving stands.
    pub saver: SaverHandle,
}

impl Handles {
    /// The session moved to memory: nothing more to save.
    pub fn detach(&self) {
        self.idb.borrow_mut().take();
        self.saver.borrow_mut().detach();
    }

    /// `Err` with the message to show when writes are stopped because
    /// commits kept failing.
    pub fn writes_allowed(&self) -> Result<(), String> {
        self.saver.borrow().writes_allowed()
    }
}

/// Opens the page's IndexedDB database and installs a session on it. With
/// `fresh` (or when it holds no database yet) the database starts empty
/// and `setup` runs in it; otherwise the stored database is shown as it
/// is. On failure, falls back to memory and says why.
pub fn open(setup: Setup, fresh: bool, handles: Handles, dispatcher: UseReducerDispatcher<Player>) {
    dispatcher.dispatch(Action::Detach);
    handles.detach();
    let Handles { idb: handle, saver } = handles;
    wasm_bindgen_futures::spawn_local(async move {
        match open_async(&setup, fresh).await {
            Ok((storage, session, setup, focus)) => {
                let changed = fresh || session.ops() > 0;
                dispatcher.dispatch(Action::Install(Box::new(session), setup, focus));
                *handle.borrow_mut() = Some(storage.clone());
                let ticket = saver.borrow_mut().opened(changed);
                await_commits(storage, saver, ticket, dispatcher).await;
            }
            Err(e) => {
                let memory = Setup {
                    persistence: Persistence::Memory,
                    ..setup
                };
                dispatcher.dispatch(Action::Notify(Notice::error(open_failed(&e))));
                match build(&memory) {
                    Ok((session, focus)) => {
                        dispatcher.dispatch(Action::Install(Box::new(session), memory, focus))
                    }
                    Err(e) => dispatcher.dispatch(Action::Notify(Notice::error(e))),
                }
                dispatcher.dispatch(Action::Status(String::new()));
            }
        }
    });
}

/// Why opening failed: a second tab's lock gets its own message.
fn failure(e: IdbError) -> OpenFailure {
    match e {
        IdbError::Locked { .. } => OpenFailure::Locked,
        other => OpenFailure::Other(other.to_string()),
    }
}

async fn open_async(
    setup: &Setup,
    fresh: bool,
) -> Result<(IdbStorage, Session, Setup, Option<usize>), OpenFailure> {
    let options = setup.options().map_err(OpenFailure::Other)?;
    if fresh {
        IdbStorage::delete_database(IDB_NAME)
            .await
            .map_err(failure)?;
    }
    let storage = IdbStorage::open(IDB_NAME).await.map_err(failure)?;
    let listed = storage
        .list()
        .map_err(|e| OpenFailure::Other(e.to_string()))?;
    let existing = !listed.is_empty();
    let mut session = Session::open(Arc::new(storage.clone()), storage.memory(), options)
        .map_err(OpenFailure::Other)?;
    if existing && !fresh {
        // The stored database is the state: its history is not replayed.
        session.set_step_maintenance(true);
        let setup = Setup {
            overrides: overrides_for(session.options()),
            persistence: Persistence::IndexedDb,
            ..Setup::default()
        };
        return Ok((storage, session, setup, None));
    }
    let focus = setup.run(&mut session).map_err(OpenFailure::Other)?;
    let setup = Setup {
        persistence: Persistence::IndexedDb,
        ..setup.clone()
    };
    Ok((storage, session, setup, focus))
}

/// After a command ran on IndexedDB: reports when it is saved.
pub fn report_saved(handles: &Handles, dispatcher: UseReducerDispatcher<Player>) {
    let Some(storage) = handles.idb.borrow().clone() else {
        return;
    };
    let Some(ticket) = handles.saver.borrow_mut().changed() else {
        return;
    };
    let saver = handles.saver.clone();
    wasm_bindgen_futures::spawn_local(await_commits(storage, saver, ticket, dispatcher));
}

/// Awaits the commit of `ticket`, and again while the saver asks for a
/// retry, showing the saver's status before and after each.
async fn await_commits(
    storage: IdbStorage,
    saver: SaverHandle,
    mut ticket: Ticket,
    dispatcher: UseReducerDispatcher<Player>,
) {
    loop {
        dispatcher.dispatch(Action::Status(saver.borrow().status()));
        let outcome = storage.persisted().await.map_err(|e| e.to_string());
        let next = saver.borrow_mut().committed(ticket, outcome);
        match next {
            AfterCommit::Retry(next) => ticket = next,
            AfterCommit::Done => {
                dispatcher.dispatch(Action::Status(saver.borrow().status()));
                return;
            }
        }
    }
}
