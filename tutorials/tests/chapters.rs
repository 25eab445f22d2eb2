//! The chapters keep the shape the issue asks for: a title that matches the
//! export, learning goals, a live scene, a worked example, predict-then-run
//! prompts and exercises with hidden answers.

use strata_tutorials::{CHAPTERS, chapter};

#[test]
fn there_are_at_least_twelve_chapters_with_unique_slugs() {
    assert!(CHAPTERS.len() >= 12);
    for (i, c) in CHAPTERS.iter().enumerate() {
        assert_eq!(chapter(c.slug).map(|(j, _)| j), Some(i), "{}", c.slug);
    }
}

#[test]
fn every_chapter_has_the_required_parts() {
    for c in CHAPTERS {
        let first = c.markdown.lines().next().unwrap_or_default();
        assert_eq!(first, format!("# {}", c.title), "{}: title", c.slug);
        for heading in [
            "## Learning goals",
            "## Worked example",
            "## Predict, then run",
            "## Exercises",
        ] {
            assert!(c.markdown.contains(heading), "{}: no {heading:?}", c.slug);
        }
        assert!(!c.scenes().is_empty(), "{}: no scene", c.slug);
        assert!(
            c.markdown.contains("```rust"),
            "{}: no Rust code block",
            c.slug
        );
        let opened = c.markdown.matches("<details>").count();
        let closed = c.markdown.matches("</details>").count();
        assert!(opened >= 2, "{}: fewer than two hidden answers", c.slug);
        assert_eq!(opened, closed, "{}: unbalanced <details>", c.slug);
        assert!(
            c.markdown.contains("<summary>Answer</summary>"),
            "{}: answers need a summary",
            c.slug
        );
    }
}

#[test]
fn the_book_summary_lists_every_chapter_in_order() {
    let summary = include_str!("../chapters/SUMMARY.md");
    let listed: Vec<&str> = summary
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- ["))
        .collect();
    assert_eq!(listed.len(), CHAPTERS.len());
    for (line, chapter) in listed.iter().zip(CHAPTERS) {
        let (title, link) = line.split_once("](").unwrap_or_default();
        assert_eq!(title, chapter.title);
        let file = link.trim_end_matches(')');
        assert!(
            file.ends_with(&format!("-{}.md", chapter.slug)),
            "{file} for {}",
            chapter.slug
        );
    }
}

#[test]
fn links_between_chapters_name_their_chapter() {
    for (i, c) in strata_tutorials::CHAPTERS.iter().enumerate() {
        assert_eq!(strata_tutorials::chapter_by_file(c.file), Some((i, c)));
        let with_anchor = format!("./{}#learning-goals", c.file);
        assert_eq!(
            strata_tutorials::chapter_by_file(&with_anchor),
            Some((i, c))
        );
        assert!(c.file.ends_with(&format!("{}.md", c.slug)), "{}", c.file);
    }
    assert_eq!(strata_tutorials::chapter_by_file("README.md"), None);
}
