//! The yew app: function components that draw the view-model and send the
//! user's actions to it. No engine logic lives here — components read
//! [`crate::model`] state and dispatch [`crate::model::controller::Action`]s
//! through one reducer ([`player::Player`]).

pub mod app;
pub mod bloom;
mod browser;
pub mod chapter;
pub mod compaction;
pub mod compare;
pub mod console;
pub mod glossary;
pub mod labs;
pub mod legend;
pub mod markdown;
pub mod options;
mod persist;
pub mod player;
pub mod question;
pub mod read_path;
pub mod scan;
pub mod share;
mod shared;
pub mod stats;
pub mod structure;
pub mod table_detail;
pub mod timeline;
pub mod tour;

pub use app::App;
pub use shared::Shared;

/// Mounts the app on the page's `<main id="app">` (or the body).
pub fn start() {
    let root = gloo::utils::document().get_element_by_id("app");
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
