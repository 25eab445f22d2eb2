//! The search index of one edition: one entry per section of every
//! chapter, written as JSON inside one script assignment
//! (`search-index.js`) so that it also loads from a local folder, where
//! browsers refuse `fetch`.

use super::editions::ChapterSource;
use super::render::Section;

/// The global the index script sets; `book.js` reads it.
pub const GLOBAL: &str = "strataSearchIndex";

/// One entry: the page and anchor, the chapter, the heading and the text.
pub fn entries(chapter: &ChapterSource, sections: &[Section]) -> Vec<serde_json::Value> {
    sections
        .iter()
        .map(|section| {
            let url = if section.id.is_empty() {
                format!("{}.html", chapter.slug)
            } else {
                format!("{}.html#{}", chapter.slug, section.id)
            };
            serde_json::json!({
                "u": url,
                "c": chapter.title,
                "h": section.heading,
                "t": collapse_spaces(&section.text),
            })
        })
        .collect()
}

/// The script that defines the index.
pub fn script(entries: &[serde_json::Value]) -> String {
    let json = serde_json::Value::Array(entries.to_vec()).to_string();
    format!("window.{GLOBAL} = {json};\n")
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
