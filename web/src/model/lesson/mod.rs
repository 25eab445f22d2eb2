//! The tutorial chapters beside the visualizer: which chapter the panel
//! shows, the scene loaded into the visualizer, and how a scene becomes
//! the visualizer's options and commands.
//!
//! A scene runs as the chapter's tests run it: from the engine's default
//! options (not the visualizer's small ones), with its `option` lines on
//! top, in inline maintenance unless it asks for `manual` — so the
//! visualizer shows exactly what the chapter predicts.

use strata_engine::{MaintenanceMode, Options};
use strata_tutorials::{chapter, chapters, Chapter, CHAPTERS};

use super::i18n::Lang;
use super::markdown::{self, Node, Tag};

/// A scene of a chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SceneRef {
    /// The chapter.
    pub chapter: &'static Chapter,
    /// Which of its scenes, from 0.
    pub index: usize,
}

impl SceneRef {
    /// Scene `index` of `chapter`, or an error that says what exists.
    pub fn new(chapter: &'static Chapter, index: usize) -> Result<SceneRef, String> {
        let count = chapter.scenes().len();
        if index < count {
            Ok(SceneRef { chapter, index })
        } else {
            Err(format!(
                "chapter {:?} has no scene {index} (it has {count}, numbered from 0)",
                chapter.slug
            ))
        }
    }

    /// The scene's script as written.
    pub fn text(&self) -> String {
        self.chapter
            .scenes()
            .into_iter()
            .nth(self.index)
            .map(|b| b.text)
            .unwrap_or_default()
    }

    /// The scene's options and command lines.
    fn script(&self) -> Result<strata_tutorials::scene::SceneScript, String> {
        let block = self
            .chapter
            .scenes()
            .into_iter()
            .nth(self.index)
            .ok_or_else(|| {
                format!(
                    "chapter {:?} has no scene {}",
                    self.chapter.slug, self.index
                )
            })?;
        block
            .script(&Options::deterministic())
            .map_err(|e| format!("scene {} of {:?}: {e}", self.index, self.chapter.slug))
    }

    /// The options the scene runs with: the engine's defaults and its
    /// `option` lines; maintenance inline or manual (the visualizer drives
    /// no background thread).
    pub fn options(&self) -> Result<Options, String> {
        let mut options = self.script()?.options;
        if options.maintenance == MaintenanceMode::Background {
            options.maintenance = MaintenanceMode::Manual;
        }
        Ok(options)
    }

    /// The scene's questions, each with the index of the command (among
    /// [`SceneRef::command_lines`]) it asks about.
    pub fn asks(&self) -> Vec<(usize, strata_tutorials::scene::Ask)> {
        self.script().map(|s| s.asks).unwrap_or_default()
    }

    /// The scene's command lines: no options, comments or expectations.
    pub fn command_lines(&self) -> Vec<String> {
        self.script().map(|s| s.command_lines).unwrap_or_default()
    }

    /// The `sc=` value: the number alone when `shown` is the scene's
    /// chapter, `slug:n` otherwise.
    pub fn link_value(&self, shown: Option<&Chapter>) -> String {
        if shown.is_some_and(|c| c.slug == self.chapter.slug) {
            self.index.to_string()
        } else {
            format!("{}:{}", self.chapter.slug, self.index)
        }
    }

    /// Reads an `sc=` value: `n` (a scene of `shown`) or `slug:n`.
    pub fn from_link(value: &str, shown: Option<&'static Chapter>) -> Result<SceneRef, String> {
        let (chapter, number) = match value.split_once(':') {
            Some((slug, n)) => (find_chapter(slug)?, n),
            None => (
                shown.ok_or_else(|| format!("sc={value:?} needs a chapter: add ch=<chapter>"))?,
                value,
            ),
        };
        let index = number
            .parse()
            .map_err(|_| format!("sc={value:?} is not a scene number"))?;
        SceneRef::new(chapter, index)
    }
}

/// The chapter with `slug`, or an error listing the ones there are.
pub fn find_chapter(slug: &str) -> Result<&'static Chapter, String> {
    chapter(slug).map(|(_, c)| c).ok_or_else(|| {
        let known: Vec<&str> = CHAPTERS.iter().map(|c| c.slug).collect();
        format!(
            "no chapter called {slug:?} (there are {})",
            known.join(", ")
        )
    })
}

/// `chapter` in `lang`'s edition (the chapter with the same slug).
pub fn in_language(chapter: &'static Chapter, lang: Lang) -> &'static Chapter {
    chapters(lang.edition())
        .iter()
        .find(|c| c.slug == chapter.slug)
        .unwrap_or(chapter)
}

/// The chapters before and after `chapter` in its own edition, for the
/// panel's links.
pub fn neighbours(chapter: &Chapter) -> (Option<&'static Chapter>, Option<&'static Chapter>) {
    let edition = chapters(chapter.lang);
    let Some(i) = edition.iter().position(|c| c.slug == chapter.slug) else {
        return (None, None);
    };
    let previous = i.checked_sub(1).and_then(|p| edition.get(p));
    (previous, edition.get(i + 1))
}

/// The chapter's document tree without its title heading (the panel shows
/// the title itself).
pub fn chapter_body(chapter: &Chapter) -> Vec<Node> {
    let mut nodes = markdown::parse(chapter.markdown);
    if matches!(
        nodes.first(),
        Some(Node::Element(Tag::Heading { level: 1, .. }, _))
    ) {
        nodes.remove(0);
    }
    nodes
}

#[cfg(test)]
mod language_tests;
#[cfg(test)]
mod tests;
