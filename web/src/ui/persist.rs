//! IndexedDB: opening the database the page keeps, and starting over in
//! it. These steps are asynchronous; each ends by installing a session
//! through the reducer.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use strata_storage::{IdbStorage, Storage};
use yew::UseReducerDispatcher;

use super::player::Player;
use crate::model::controller::{build, Action, Notice};
use crate::model::i18n::ui::{ui, Ui};
use crate::model::session::Session;
use crate::model::setup::{overrides_for, Persistence, Setup};

/// The IndexedDB database the visualizer keeps its files in.
pub const IDB_NAME: &str = "strata-visualizer";

/// The storage handle of the session on IndexedDB, if any (to await
/// `persisted`).
pub type IdbHandle = Rc<RefCell<Option<IdbStorage>>>;

/// Opens the page's IndexedDB database and installs a session on it. With
/// `fresh` (or when it holds no database yet) the database starts empty
/// and `setup` runs in it; otherwise the stored database is shown as it
/// is. On failure, falls back to memory and says why.
pub fn open(
    setup: Setup,
    fresh: bool,
    handle: IdbHandle,
    dispatcher: UseReducerDispatcher<Player>,
) {
    dispatcher.dispatch(Action::Detach);
    handle.borrow_mut().take();
    wasm_bindgen_futures::spawn_local(async move {
        match open_async(&setup, fresh).await {
            Ok((storage, session, setup, focus)) => {
                let status = ui(if fresh || session.ops() > 0 {
                    &Ui::Saving
                } else {
                    &Ui::Reopened
                });
                dispatcher.dispatch(Action::Install(Box::new(session), setup, focus));
                dispatcher.dispatch(Action::Status(status));
                *handle.borrow_mut() = Some(storage.clone());
                let outcome = storage.persisted().await;
                dispatcher.dispatch(Action::Status(match outcome {
                    Ok(()) => ui(&Ui::Saved),
                    Err(e) => ui(&Ui::NotSaved {
                        error: &e.to_string(),
                    }),
                }));
            }
            Err(e) => {
                let memory = Setup {
                    persistence: Persistence::Memory,
                    ..setup
                };
                dispatcher.dispatch(Action::Notify(Notice::error(ui(&Ui::NoIndexedDb {
                    error: &e.to_string(),
                }))));
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

async fn open_async(
    setup: &Setup,
    fresh: bool,
) -> Result<(IdbStorage, Session, Setup, Option<usize>), String> {
    let options = setup.options()?;
    if fresh {
        IdbStorage::delete_database(IDB_NAME)
            .await
            .map_err(|e| e.to_string())?;
    }
    let storage = IdbStorage::open(IDB_NAME)
        .await
        .map_err(|e| e.to_string())?;
    let existing = !storage.list().map_err(|e| e.to_string())?.is_empty();
    let mut session = Session::open(Arc::new(storage.clone()), storage.memory(), options)?;
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
    let focus = setup.run(&mut session)?;
    let setup = Setup {
        persistence: Persistence::IndexedDb,
        ..setup.clone()
    };
    Ok((storage, session, setup, focus))
}

/// After a command ran on IndexedDB: reports when it is saved.
pub fn report_saved(handle: &IdbHandle, dispatcher: UseReducerDispatcher<Player>) {
    let Some(storage) = handle.borrow().clone() else {
        return;
    };
    dispatcher.dispatch(Action::Status(ui(&Ui::Saving)));
    wasm_bindgen_futures::spawn_local(async move {
        let status = match storage.persisted().await {
            Ok(()) => ui(&Ui::Saved),
            Err(e) => ui(&Ui::NotSaved {
                error: &e.to_string(),
            }),
        };
        dispatcher.dispatch(Action::Status(status));
    });
}
