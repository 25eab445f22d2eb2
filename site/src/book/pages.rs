//! The HTML around the chapters: a chapter page, an edition's table of
//! contents with the search, and the list of editions. All links are
//! relative: `book/index.html`, `book/<lang>/index.html`,
//! `book/<lang>/<slug>.html`, with the visualizer at the site's root.

use super::editions::{ChapterSource, Edition};
use super::labels::labels;
use super::render::app_link;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn head(lang: &str, title: &str, css: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n</head>\n",
        lang = escape(lang),
        title = escape(title),
    )
}

/// The bar at the top of an edition's pages: visualizer, contents, search,
/// and the same page in the other editions.
fn bar(edition: &Edition, others: &[(String, String, String)]) -> String {
    let l = labels(&edition.lang);
    let mut html = format!(
        "<header class=\"book-bar\">\n<a href=\"{}\">{}</a>\n<a href=\"index.html\">{}</a>\n\
         <form class=\"book-search-form\" action=\"index.html\" method=\"get\" role=\"search\">\
         <input type=\"search\" name=\"q\" placeholder=\"{}\" aria-label=\"{}\"></form>\n",
        escape(&app_link(&edition.lang, "")),
        escape(l.visualizer),
        escape(l.contents),
        escape(l.search_placeholder),
        escape(l.search_label),
    );
    if !others.is_empty() {
        html.push_str(&format!("<span class=\"editions\">{}:", escape(l.editions)));
        for (lang, label, href) in others {
            html.push_str(&format!(
                " <a class=\"edition-link\" hreflang=\"{}\" lang=\"{}\" href=\"{}\">{}</a>",
                escape(lang),
                escape(lang),
                escape(href),
                escape(label)
            ));
        }
        html.push_str("</span>\n");
    }
    html.push_str("</header>\n");
    html
}

/// The other editions' version of chapter `slug` (or their contents when
/// they lack it): `(lang, label, href)`.
pub fn other_editions(
    editions: &[Edition],
    current: &Edition,
    slug: Option<&str>,
) -> Vec<(String, String, String)> {
    editions
        .iter()
        .filter(|e| e.lang != current.lang)
        .map(|e| {
            let page = match slug.and_then(|s| e.chapter(s)) {
                Some(chapter) => format!("{}.html", chapter.slug),
                None => "index.html".to_string(),
            };
            (
                e.lang.clone(),
                e.label().to_string(),
                format!("../{}/{page}", e.lang),
            )
        })
        .collect()
}

/// An appendix's page (the glossary, the labs): no pager, and no link into
/// the visualizer, which has no such chapter.
pub fn appendix_page(
    editions: &[Edition],
    edition: &Edition,
    page: &ChapterSource,
    body: &str,
) -> String {
    format!(
        "{head}<body class=\"book\">\n{bar}<main class=\"chapter\">\n{body}</main>\n\
         <script src=\"../book.js\"></script>\n</body>\n</html>\n",
        head = head(
            &edition.lang,
            &format!("{} — Strata", page.title),
            "../book.css"
        ),
        bar = bar(
            edition,
            &other_editions(editions, edition, Some(&page.slug))
        ),
    )
}

/// One chapter's page; `body` is its rendered Markdown.
pub fn chapter_page(editions: &[Edition], edition: &Edition, index: usize, body: &str) -> String {
    let l = labels(&edition.lang);
    let chapters = &edition.chapters;
    let chapter = chapters.get(index);
    let slug = chapter.map(|c| c.slug.as_str()).unwrap_or_default();
    let title = chapter.map(|c| c.title.as_str()).unwrap_or_default();
    let pager = pager(
        l.previous,
        l.next,
        index.checked_sub(1).and_then(|i| chapters.get(i)),
        chapters.get(index + 1),
    );
    format!(
        "{head}<body class=\"book\">\n{bar}{pager}<main class=\"chapter\">\n{body}</main>\n\
         <p class=\"open-beside\"><a href=\"{app}\">{open}</a></p>\n{pager}\
         <script src=\"../book.js\"></script>\n</body>\n</html>\n",
        head = head(&edition.lang, &format!("{title} — Strata"), "../book.css"),
        bar = bar(edition, &other_editions(editions, edition, Some(slug))),
        app = escape(&app_link(&edition.lang, &format!("ch={slug}"))),
        open = escape(l.open_beside),
    )
}

fn pager(
    previous: &str,
    next: &str,
    before: Option<&ChapterSource>,
    after: Option<&ChapterSource>,
) -> String {
    let link = |rel: &str, text: String, chapter: &ChapterSource| {
        format!(
            "<a rel=\"{rel}\" href=\"{}.html\">{text}</a>",
            escape(&chapter.slug)
        )
    };
    let before = before.map_or_else(String::new, |c| {
        link(
            "prev",
            format!("← {}: {}", escape(previous), escape(&c.title)),
            c,
        )
    });
    let after = after.map_or_else(String::new, |c| {
        link(
            "next",
            format!("{}: {} →", escape(next), escape(&c.title)),
            c,
        )
    });
    format!("<nav class=\"pager\"><span>{before}</span><span>{after}</span></nav>\n")
}

/// Links to `pages` as an `<ol>` or `<ul>` table of contents.
fn toc_list(tag: &str, pages: &[ChapterSource]) -> String {
    let mut list = format!("<{tag} class=\"toc\">\n");
    for page in pages {
        list.push_str(&format!(
            "<li><a href=\"{}.html\">{}</a></li>\n",
            escape(&page.slug),
            escape(&page.title)
        ));
    }
    list.push_str(&format!("</{tag}>\n"));
    list
}

/// An edition's table of contents, with the search box and its results.
pub fn contents_page(editions: &[Edition], edition: &Edition) -> String {
    let l = labels(&edition.lang);
    let mut list = toc_list("ol", &edition.chapters);
    if !edition.appendices.is_empty() {
        list.push_str(&format!("<h2>{}</h2>\n", escape(l.appendices)));
        list.push_str(&toc_list("ul", &edition.appendices));
    }
    format!(
        "{head}<body class=\"book\">\n{bar}<main class=\"contents\">\n<h1>{title}</h1>\n\
         <section class=\"search\">\n<label for=\"search\">{search}</label>\n\
         <input id=\"search\" type=\"search\" placeholder=\"{placeholder}\" autocomplete=\"off\">\n\
         <ol id=\"search-results\" aria-live=\"polite\"></ol>\n</section>\n\
         <h2>{contents}</h2>\n{list}<p class=\"note\">{note}</p>\n</main>\n\
         <script src=\"search-index.js\"></script>\n<script src=\"../book.js\"></script>\n</body>\n</html>\n",
        head = head(&edition.lang, l.book_title, "../book.css"),
        bar = bar(edition, &other_editions(editions, edition, None)),
        title = escape(l.book_title),
        search = escape(l.search_label),
        placeholder = escape(l.search_placeholder),
        contents = escape(l.contents),
        note = l.serving_note,
    )
}

/// `book/index.html`: the editions.
pub fn editions_page(editions: &[Edition]) -> String {
    let mut list = String::from("<ul class=\"toc\">\n");
    for edition in editions {
        list.push_str(&format!(
            "<li><a lang=\"{lang}\" hreflang=\"{lang}\" href=\"{lang}/index.html\">{} — {}</a></li>\n",
            escape(edition.label()),
            escape(labels(&edition.lang).book_title),
            lang = escape(&edition.lang),
        ));
    }
    list.push_str("</ul>\n");
    format!(
        "{head}<body class=\"book\">\n<header class=\"book-bar\"><a href=\"../index.html\">Visualizer</a></header>\n\
         <main class=\"contents\">\n<h1>Strata — the chapters</h1>\n{list}</main>\n</body>\n</html>\n",
        head = head("en", "Strata — the chapters", "book.css"),
    )
}
