//! The chapters as static pages: `book/<lang>/<slug>.html` per chapter,
//! `book/<lang>/index.html` with the table of contents and the search,
//! `book/index.html` listing the editions.

mod editions;
mod labels;
mod pages;
mod render;
mod search;

use std::path::Path;

use anyhow::{bail, Result};

use crate::output;

const CSS: &str = include_str!("../../assets/book.css");
const JS: &str = include_str!("../../assets/book.js");

/// Writes every edition's pages under `out/book/` and returns how many
/// editions there are.
pub fn write(root: &Path, out: &Path) -> Result<usize> {
    let editions = editions::discover(root)?;
    if editions.iter().all(|e| e.chapters.is_empty()) {
        bail!(
            "no chapters found in {}",
            root.join(editions::CHAPTERS_DIR).display()
        );
    }
    let book = out.join("book");
    output::write(&book, "book.css", CSS)?;
    output::write(&book, "book.js", JS)?;
    output::write(&book, "index.html", pages::editions_page(&editions))?;
    for edition in &editions {
        let dir = book.join(&edition.lang);
        let mut index = Vec::new();
        for (i, chapter) in edition.chapters.iter().enumerate() {
            let rendered = render::render(&chapter.markdown, &chapter.slug, edition);
            index.extend(search::entries(chapter, &rendered.sections));
            let page = pages::chapter_page(&editions, edition, i, &rendered.html);
            output::write(&dir, &format!("{}.html", chapter.slug), page)?;
        }
        for page in &edition.appendices {
            let rendered = render::render(&page.markdown, &page.slug, edition);
            index.extend(search::entries(page, &rendered.sections));
            let html = pages::appendix_page(&editions, edition, page, &rendered.html);
            output::write(&dir, &format!("{}.html", page.slug), html)?;
        }
        output::write(&dir, "search-index.js", search::script(&index))?;
        output::write(&dir, "index.html", pages::contents_page(&editions, edition))?;
    }
    Ok(editions.len())
}

#[cfg(test)]
mod tests;
