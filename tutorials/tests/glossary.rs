//! The glossary is one list (`strata_tutorials::glossary::GLOSSARY`) shown
//! in two places: `chapters/glossary.md` and `chapters/zh/glossary.md` must
//! list exactly its terms, definitions and chapters, in its order, and each
//! term must be one its chapter actually uses, in both editions.

use std::collections::HashSet;

use strata_tutorials::glossary::{GLOSSARY, term};
use strata_tutorials::{CHAPTERS, Lang, chapter};

/// The cells of every row of the Markdown table in `markdown`, header and
/// separator left out.
fn table_rows(markdown: &str) -> Vec<Vec<String>> {
    markdown
        .lines()
        .filter(|l| l.starts_with("| "))
        .skip(1)
        .map(|l| {
            let inner = l.trim_start_matches("| ").trim_end_matches(" |");
            inner.split(" | ").map(str::to_owned).collect()
        })
        .collect()
}

fn expected_rows(lang: Lang) -> Vec<Vec<String>> {
    GLOSSARY
        .iter()
        .map(|t| {
            let c = t.chapter(lang).expect("the term's chapter exists");
            let other = match lang {
                Lang::En => Lang::Zh,
                Lang::Zh => Lang::En,
            };
            vec![
                t.name(lang).to_owned(),
                t.name(other).to_owned(),
                t.definition(lang).to_owned(),
                format!("[{}]({})", c.title, c.file),
            ]
        })
        .collect()
}

#[test]
fn both_glossary_pages_list_exactly_the_glossary_data() {
    let pages = [
        (Lang::En, include_str!("../chapters/glossary.md")),
        (Lang::Zh, include_str!("../chapters/zh/glossary.md")),
    ];
    for (lang, page) in pages {
        let rows = table_rows(page);
        let expected = expected_rows(lang);
        assert_eq!(rows.len(), expected.len(), "{lang:?}: number of terms");
        for (row, want) in rows.iter().zip(&expected) {
            assert_eq!(row, want, "{lang:?} glossary row");
        }
    }
}

#[test]
fn every_term_is_unique_and_named_by_a_real_chapter() {
    let mut en = HashSet::new();
    let mut zh = HashSet::new();
    for t in GLOSSARY {
        assert!(en.insert(t.en.to_lowercase()), "{} twice", t.en);
        assert!(zh.insert(t.zh), "{} twice", t.zh);
        assert!(
            chapter(t.chapter).is_some(),
            "{}: no chapter {}",
            t.en,
            t.chapter
        );
        for d in [t.en_definition, t.zh_definition] {
            assert!(!d.contains('\n') && !d.contains('|'), "{}: {d:?}", t.en);
        }
        assert!(t.en_definition.ends_with('.'), "{}", t.en);
        assert!(t.zh_definition.ends_with('。'), "{}", t.zh);
    }
    assert!(GLOSSARY.len() >= 40, "only {} terms", GLOSSARY.len());
}

#[test]
fn the_chapter_named_for_a_term_uses_it_in_both_editions() {
    for t in GLOSSARY {
        let en = t.chapter(Lang::En).expect("English chapter").markdown;
        let zh = t.chapter(Lang::Zh).expect("Chinese chapter").markdown;
        let lower = en.to_lowercase();
        // Every word of the English term; the Chinese term verbatim.
        for word in t.en.to_lowercase().split(' ') {
            assert!(
                lower.contains(word),
                "{}: {word:?} not in {}",
                t.en,
                t.chapter
            );
        }
        assert!(zh.contains(t.zh), "{}: not in zh/{}", t.zh, t.chapter);
    }
}

#[test]
fn the_chapters_appear_in_the_glossary_in_reading_order() {
    let positions: Vec<usize> = GLOSSARY
        .iter()
        .filter_map(|t| chapter(t.chapter).map(|(i, _)| i))
        .collect();
    assert!(positions.is_sorted(), "{positions:?}");
    assert!(positions.len() == GLOSSARY.len() && CHAPTERS.len() >= 14);
}

#[test]
fn a_tooltip_finds_a_term_by_either_name() {
    let bloom = term("Bloom Filter").expect("by English name, any case");
    assert_eq!(term("布隆过滤器"), Some(bloom));
    assert_eq!(bloom.chapter(Lang::Zh).map(|c| c.file), Some("06-bloom.md"));
    assert_eq!(term("compaction").map(|t| t.zh), Some("合并"));
    assert_eq!(term("no such term"), None);
}

#[test]
fn both_readmes_link_the_glossary() {
    let en = include_str!("../chapters/README.md");
    let zh = include_str!("../chapters/zh/README.md");
    assert!(en.contains("](glossary.md)"), "README.md");
    assert!(zh.contains("](glossary.md)"), "zh/README.md");
}
