//! A message for the user, in every language it was made in.

use super::i18n::localized::Localized;

/// A message for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The text (shown as text, never as markup), in each language where
    /// it was made from the catalogues, so switching language rewords it.
    pub text: Localized,
    /// Whether something went wrong.
    pub error: bool,
}

impl Notice {
    /// An error message.
    pub fn error(text: impl Into<Localized>) -> Self {
        Self {
            text: text.into(),
            error: true,
        }
    }

    /// An informative message.
    pub fn info(text: impl Into<Localized>) -> Self {
        Self {
            text: text.into(),
            error: false,
        }
    }
}
