//! Compare mode: two or three configurations on one workload under one
//! timeline. [`page::ComparePage`] holds the one reducer (around the
//! view-model's `ComparePlayer`); the other components draw parts of its
//! frame.

pub mod entry;
pub mod page;
mod side;
pub mod theory;
mod timeline;

pub use entry::CompareEntry;
pub use page::ComparePage;
pub use theory::TheoryPanel;

use crate::model::i18n::{tr, CompareText, Msg};

/// The text of a compare-mode message in the language shown.
fn t(text: CompareText) -> String {
    tr(&Msg::Compare(text))
}
