//! The Strata visualizer: a yew app that animates the real engine,
//! compiled to WebAssembly, one event at a time.
//!
//! - [`model`]: the view-model — the engine driven by an operation log,
//!   checkpoints for stepping back, and one reducer per view fed by the
//!   engine's events. Plain Rust, tested natively.
//! - `ui` (wasm32 only): yew function components that draw the model.

pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod ui;
