use super::*;
use crate::book::editions::{ChapterSource, Edition};

fn edition() -> Edition {
    let chapter = |file: &str, slug: &str| ChapterSource {
        file: file.to_string(),
        slug: slug.to_string(),
        title: slug.to_string(),
        markdown: String::new(),
    };
    Edition {
        lang: "en".to_string(),
        chapters: vec![chapter("01-why.md", "why"), chapter("06-bloom.md", "bloom")],
        appendices: vec![chapter("glossary.md", "glossary")],
    }
}

#[test]
fn links_between_chapters_point_at_chapter_pages() {
    let html = render(
        "See [bloom](06-bloom.md#goals) and [why](./01-why.md).",
        "why",
        &edition(),
    )
    .html;
    assert!(
        html.contains(r##"<a href="bloom.html#goals">bloom</a>"##),
        "{html}"
    );
    assert!(html.contains(r#"<a href="why.html">why</a>"#), "{html}");
}

#[test]
fn links_to_the_glossary_point_at_its_page() {
    let html = render("A [tombstone](glossary.md#tombstone).", "why", &edition()).html;
    assert!(
        html.contains(r##"<a href="glossary.html#tombstone">tombstone</a>"##),
        "{html}"
    );
}

#[test]
fn links_to_repository_files_become_text_and_web_links_stay() {
    let md = "[`bloom.rs`](../../engine/src/bloom.rs) and [paper](https://example.org/p.pdf)";
    let html = render(md, "why", &edition()).html;
    assert!(!html.contains("engine/src"), "{html}");
    assert!(html.contains("<code>bloom.rs</code>"), "{html}");
    assert!(
        html.contains(r#"<a href="https://example.org/p.pdf">paper</a>"#),
        "{html}"
    );
}

#[test]
fn headings_get_unique_ids_and_sections() {
    let md = "# Title\n\nintro text\n\n## Learning goals\n\nfirst\n\n## Learning goals\n\nsecond\n";
    let rendered = render(md, "why", &edition());
    assert!(
        rendered.html.contains(r#"<h2 id="learning-goals">"#),
        "{}",
        rendered.html
    );
    assert!(
        rendered.html.contains(r#"<h2 id="learning-goals-1">"#),
        "{}",
        rendered.html
    );
    let sections: Vec<(&str, &str, &str)> = rendered
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.heading.as_str(), s.text.trim()))
        .collect();
    assert_eq!(
        sections,
        vec![
            ("", "Title", "intro text"),
            ("learning-goals", "Learning goals", "first"),
            ("learning-goals-1", "Learning goals", "second"),
        ]
    );
}

#[test]
fn heading_ids_keep_letters_of_any_script() {
    assert_eq!(
        heading_id("How Strata's filter works (`bloom.rs`)"),
        "how-strata-s-filter-works-bloom-rs"
    );
    assert_eq!(heading_id("布隆过滤器"), "布隆过滤器");
    assert_eq!(heading_id("!!!"), "section");
}

#[test]
fn rust_blocks_lose_hidden_lines_and_scenes_get_numbered_run_links() {
    let md = "```rust\n# use x;\nlet a = 1;\n#\n#[derive(Debug)]\n# Ok::<(), E>(())\n```\n\n\
              ```scene\nput a 1\n# expect: event x\n```\n\n```scene\nget a\n```\n";
    let html = render(md, "bloom", &edition()).html;
    assert!(
        html.contains("let a = 1;\n#[derive(Debug)]\n</code>"),
        "{html}"
    );
    assert!(!html.contains("use x"), "{html}");
    assert!(html.contains("# expect: event x"), "{html}");
    assert!(
        html.contains(r##"href="../../index.html#sc=bloom:0""##),
        "{html}"
    );
    assert!(
        html.contains(r##"href="../../index.html#sc=bloom:1""##),
        "{html}"
    );
}
