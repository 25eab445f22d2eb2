//! One chapter's Markdown as HTML for a static page, with the plain text of
//! each section for the search index.
//!
//! On top of CommonMark (and tables): headings get `id`s for links and
//! search results; links between chapters (`06-bloom.md#goals`) point at
//! the chapter pages; links to other repository files, which do not exist
//! on the site, become plain text; Rust blocks lose rustdoc's hidden `# `
//! lines; every `scene` block gets a link that runs it in the visualizer.
//! The chapters' own HTML (`<details>` around exercise answers) passes
//! through: the chapters are the repository's own text.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::editions::Edition;
use super::labels::labels;

/// A rendered chapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The chapter's sections (the text before its first `##` is the first).
    pub sections: Vec<Section>,
}

/// A heading and the text under it, for search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading's `id` (empty for the chapter's top).
    pub id: String,
    pub heading: String,
    pub text: String,
}

/// Where the visualizer is, relative to a chapter page.
pub const APP_FROM_CHAPTER: &str = "../../index.html";

/// A link from a chapter page of the edition in `lang` into the
/// visualizer at `fragment` (`ch=bloom`, `sc=bloom:0`; empty for its start
/// page). The visualizer speaks English and Chinese: a Chinese edition's
/// links open it in Chinese (`lang=zh`); the other editions' links leave
/// the choice to the link's reader (the browser's language, or the last
/// choice made), as the English ones always have.
pub fn app_link(lang: &str, fragment: &str) -> String {
    let primary = lang.split(['-', '_']).next().unwrap_or_default();
    match (primary.eq_ignore_ascii_case("zh"), fragment.is_empty()) {
        (false, true) => APP_FROM_CHAPTER.to_owned(),
        (false, false) => format!("{APP_FROM_CHAPTER}#{fragment}"),
        (true, true) => format!("{APP_FROM_CHAPTER}#s=first-flush&lang=zh"),
        (true, false) => format!("{APP_FROM_CHAPTER}#{fragment}&lang=zh"),
    }
}

/// Renders chapter `slug` of `edition`.
pub fn render(markdown: &str, slug: &str, edition: &Edition) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut state = State {
        slug,
        edition,
        events: Vec::new(),
        sections: vec![Section {
            id: String::new(),
            heading: String::new(),
            text: String::new(),
        }],
        ids: Vec::new(),
        heading: None,
        code: None,
        scenes: 0,
        dropped_links: 0,
    };
    for event in Parser::new_ext(markdown, options) {
        state.push(event);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, state.events.into_iter());
    let sections = state
        .sections
        .into_iter()
        .filter(|s| !s.text.trim().is_empty() || !s.heading.is_empty());
    Rendered {
        html,
        sections: sections.collect(),
    }
}

struct State<'a, 'm> {
    slug: &'a str,
    edition: &'a Edition,
    events: Vec<Event<'m>>,
    sections: Vec<Section>,
    ids: Vec<String>,
    /// An open heading: its position in `events`, level and text so far.
    heading: Option<(usize, HeadingLevel, String)>,
    /// An open fenced block's info word.
    code: Option<String>,
    scenes: usize,
    /// Open links that were dropped (their end must be dropped too).
    dropped_links: usize,
}

impl<'m> State<'_, 'm> {
    fn push(&mut self, event: Event<'m>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((self.events.len(), level, String::new()));
                self.events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                self.close_heading();
                self.events.push(event);
            }
            Event::Start(Tag::CodeBlock(ref kind)) => {
                self.code = Some(match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                });
                self.events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.events.push(event);
                if self.code.take().as_deref() == Some("scene") {
                    self.push_scene_link();
                }
            }
            Event::Text(text) => self.push_text(text),
            Event::Code(ref code) => {
                self.note_text(code);
                self.events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match self.link_target(&dest_url) {
                Some(dest_url) => self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })),
                None => self.dropped_links += 1,
            },
            Event::End(TagEnd::Link) if self.dropped_links > 0 => self.dropped_links -= 1,
            Event::SoftBreak | Event::HardBreak => {
                self.note_text(" ");
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    fn push_text(&mut self, text: CowStr<'m>) {
        let text = match self.code.as_deref() {
            Some("rust") => CowStr::from(without_hidden_lines(&text)),
            _ => text,
        };
        self.note_text(&text);
        self.events.push(Event::Text(text));
    }

    /// Adds text to the open heading or to the current section.
    fn note_text(&mut self, text: &str) {
        if let Some((_, _, heading)) = &mut self.heading {
            heading.push_str(text);
        } else if let Some(section) = self.sections.last_mut() {
            section.text.push_str(text);
            if self.code.is_some() || !text.ends_with(' ') {
                section.text.push(' ');
            }
        }
    }

    fn close_heading(&mut self) {
        let Some((start, level, text)) = self.heading.take() else {
            return;
        };
        let id = unique_id(&heading_id(&text), &mut self.ids);
        if let Some(Event::Start(Tag::Heading { id: slot, .. })) = self.events.get_mut(start) {
            *slot = Some(CowStr::from(id.clone()));
        }
        if level == HeadingLevel::H1 {
            if let Some(first) = self.sections.first_mut() {
                first.heading = text;
            }
        } else {
            self.sections.push(Section {
                id,
                heading: text,
                text: String::new(),
            });
        }
    }

    fn push_scene_link(&mut self) {
        let href = app_link(
            &self.edition.lang,
            &format!("sc={}:{}", self.slug, self.scenes),
        );
        self.scenes += 1;
        let text = super::pages::escape(labels(&self.edition.lang).run_scene);
        self.events.push(Event::Html(CowStr::from(format!(
            "<p class=\"run-scene\"><a href=\"{}\">▶ {text}</a></p>\n",
            super::pages::escape(&href)
        ))));
    }

    /// Where a link should go on the site; `None` drops it (its text stays).
    fn link_target(&self, dest: &str) -> Option<CowStr<'m>> {
        if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
            return Some(CowStr::from(dest.to_string()));
        }
        let (file, fragment) = match dest.split_once('#') {
            Some((file, fragment)) => (file, Some(fragment)),
            None => (dest, None),
        };
        let chapter = self.edition.chapter_by_file(file)?;
        Some(CowStr::from(match fragment {
            Some(fragment) => format!("{}.html#{fragment}", chapter.slug),
            None => format!("{}.html", chapter.slug),
        }))
    }
}

/// A Rust block without rustdoc's hidden lines (`# …` and a lone `#`).
fn without_hidden_lines(code: &str) -> String {
    code.split_inclusive('\n')
        .filter(|line| {
            let trimmed = line.trim_start();
            let body = trimmed.trim_end_matches(['\n', '\r']);
            !(body == "#" || trimmed.starts_with("# "))
        })
        .collect()
}

/// A heading's `id`: lower case, letters and digits (any script) kept,
/// runs of anything else one `-`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

fn unique_id(id: &str, taken: &mut Vec<String>) -> String {
    let mut candidate = id.to_string();
    let mut n = 1;
    while taken.contains(&candidate) {
        candidate = format!("{id}-{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests;
