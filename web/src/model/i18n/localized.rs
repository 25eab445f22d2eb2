//! A message kept in every language, for what is shown after the reader
//! may have switched language (the message bar): it is rendered once per
//! language when made, and picked when shown.

use super::{shown, Lang};

/// A text in each language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Localized {
    en: String,
    zh: String,
}

impl Localized {
    /// Renders `render` in every language.
    pub fn new(render: impl Fn(Lang) -> String) -> Self {
        Localized {
            en: render(Lang::En),
            zh: render(Lang::Zh),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The text in the language shown.
    pub fn shown(&self) -> &str {
        self.get(shown())
    }

    /// The same text with `f` applied in each language.
    pub fn map(self, f: impl Fn(Lang, String) -> String) -> Self {
        Localized {
            en: f(Lang::En, self.en),
            zh: f(Lang::Zh, self.zh),
        }
    }

    /// Whether the text contains `pattern` in some language.
    pub fn contains(&self, pattern: &str) -> bool {
        self.en.contains(pattern) || self.zh.contains(pattern)
    }
}

/// A text already rendered (in the language shown when it was made, or
/// the same in all): every language shows it as it is.
impl From<String> for Localized {
    fn from(text: String) -> Self {
        Localized {
            en: text.clone(),
            zh: text,
        }
    }
}

impl From<&str> for Localized {
    fn from(text: &str) -> Self {
        Localized::from(text.to_owned())
    }
}
