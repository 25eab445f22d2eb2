//! Every English chapter has a Chinese edition in `chapters/zh/` with the
//! same file name and the same shape: as many headings of each level, as
//! many prompts, exercises and hidden answers, and byte-identical `scene`
//! and Rust blocks, so a scene or an example never says one thing in one
//! language and another in the other. Each chapter has its own test
//! (`cargo test -p strata-tutorials --test editions 06_bloom`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use strata_tutorials::edition::shared_blocks;
use strata_tutorials::{CHAPTERS, CHAPTERS_ZH, Chapter, Lang, chapters};

/// The parts of a chapter's Markdown that both editions must share.
#[derive(Debug, Default, PartialEq, Eq)]
struct Shape {
    /// Number of headings per level (`#` = 1), outside code blocks.
    headings: BTreeMap<usize, usize>,
    /// Numbered list items outside `<details>`: prompts and exercises.
    questions: usize,
    /// Numbered list items inside `<details>`: the answers.
    answers: usize,
    /// `<details>` blocks opened and closed.
    details: (usize, usize),
    /// Every `scene` and `rust` code block, fences and indentation
    /// included, in order ([`shared_blocks`]).
    code: Vec<String>,
}

fn shape(markdown: &str) -> Shape {
    let mut shape = Shape::default();
    let mut in_fence = false;
    let mut in_details = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes > 0 && line[hashes..].starts_with(' ') {
            *shape.headings.entry(hashes).or_default() += 1;
        }
        if line.starts_with("<details>") {
            shape.details.0 += 1;
            in_details = true;
        }
        if line.starts_with("</details>") {
            shape.details.1 += 1;
            in_details = false;
        }
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && line[digits..].starts_with(". ") {
            if in_details {
                shape.answers += 1;
            } else {
                shape.questions += 1;
            }
        }
    }
    assert!(!in_fence, "an unclosed code block");
    shape.code = shared_blocks(markdown)
        .into_iter()
        .map(|b| b.text.to_owned())
        .collect();
    shape
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The chapter's file in `lang`'s folder, read from disk so that a missing
/// edition fails its own test rather than the build.
fn read_edition(lang: Lang, file: &str) -> String {
    let path = manifest_dir().join("chapters").join(lang.dir()).join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no {lang:?} edition {}: {e}", path.display()))
}

/// The line under each chapter's title that links to its other edition.
fn edition_link(lang: Lang, file: &str) -> String {
    match lang {
        Lang::En => format!("[中文](zh/{file})"),
        Lang::Zh => format!("[English](../{file})"),
    }
}

fn check_edition(slug: &str) {
    let (i, en) = strata_tutorials::chapter(slug).unwrap_or_else(|| panic!("no chapter {slug}"));
    let zh_markdown = read_edition(Lang::Zh, en.file);
    let (en_shape, zh_shape) = (shape(en.markdown), shape(&zh_markdown));
    assert_eq!(zh_shape.headings, en_shape.headings, "{slug}: headings");
    assert_eq!(zh_shape.questions, en_shape.questions, "{slug}: questions");
    assert_eq!(zh_shape.answers, en_shape.answers, "{slug}: answers");
    assert_eq!(zh_shape.details, en_shape.details, "{slug}: <details>");
    assert_eq!(zh_shape.code.len(), en_shape.code.len(), "{slug}: blocks");
    for (n, (zh, en)) in zh_shape.code.iter().zip(&en_shape.code).enumerate() {
        assert_eq!(zh, en, "{slug}: scene or Rust block {} differs", n + 1);
    }
    let zh = CHAPTERS_ZH
        .get(i)
        .unwrap_or_else(|| panic!("CHAPTERS_ZH has no chapter {} ({slug})", i + 1));
    assert_eq!((zh.slug, zh.file, zh.lang), (en.slug, en.file, Lang::Zh));
    assert_eq!(zh.markdown, zh_markdown, "{slug}: CHAPTERS_ZH is stale");
    for c in [en, zh] {
        let mut lines = c.markdown.lines();
        assert_eq!(lines.next(), Some(format!("# {}", c.title).as_str()));
        assert_eq!(
            lines.next(),
            Some(""),
            "{slug}: a blank line after the title"
        );
        let link = edition_link(c.lang, c.file);
        assert_eq!(lines.next(), Some(link.as_str()), "{slug}: edition link");
    }
    assert!(
        zh.title
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    );
    // Every hidden block is an answer or a lab's hint, in the same number.
    for (en_summary, zh_summary) in [
        ("<summary>Answer", "<summary>答案"),
        ("<summary>Hint", "<summary>提示"),
    ] {
        let count = |markdown: &str, summary: &str| markdown.matches(summary).count();
        assert_eq!(
            count(zh.markdown, zh_summary),
            count(en.markdown, en_summary),
            "{slug}: {zh_summary}…"
        );
        assert!(!zh.markdown.contains(en_summary), "{slug}: English summary");
    }
    let summaries = zh.markdown.matches("<summary>").count();
    assert_eq!(
        summaries, zh_shape.details.0,
        "{slug}: a <summary> per <details>"
    );
}

/// Links between Chinese chapters point at Chinese chapters: every relative
/// `.md` link names a file that exists beside the chapter (or, for the
/// edition link, in the English folder).
fn check_links(lang: Lang, c: &Chapter) {
    let folder = manifest_dir().join("chapters").join(lang.dir());
    for (at, _) in c.markdown.match_indices("](") {
        let rest = c.markdown.get(at + 2..).unwrap_or_default();
        let dest = rest.split(')').next().unwrap_or_default();
        let file = dest.split('#').next().unwrap_or_default();
        if dest.contains("://") || !file.ends_with(".md") {
            continue;
        }
        let path = folder.join(file);
        assert!(path.is_file(), "{}{}: link to {dest}", lang.dir(), c.file);
        if lang == Lang::Zh && !file.starts_with("../") {
            assert!(
                !file.contains('/'),
                "zh/{}: {dest} leaves the Chinese edition",
                c.file
            );
        }
    }
}

macro_rules! editions {
    ($($test:ident $slug:literal;)*) => {
        $(
            #[test]
            fn $test() {
                check_edition($slug);
            }
        )*

        #[test]
        fn every_chapter_has_a_test_here() {
            let tested = [$($slug),*];
            let slugs: Vec<&str> = CHAPTERS.iter().map(|c| c.slug).collect();
            assert_eq!(slugs, tested);
        }
    };
}

editions! {
    chapter_01_why_lsm_has_a_matching_zh_edition "why-lsm";
    chapter_02_records_has_a_matching_zh_edition "records";
    chapter_03_memtable_has_a_matching_zh_edition "memtable";
    chapter_04_wal_has_a_matching_zh_edition "wal";
    chapter_05_sstable_has_a_matching_zh_edition "sstable";
    chapter_06_bloom_has_a_matching_zh_edition "bloom";
    chapter_07_read_path_has_a_matching_zh_edition "read-path";
    chapter_08_flush_has_a_matching_zh_edition "flush";
    chapter_09_leveled_compaction_has_a_matching_zh_edition "leveled-compaction";
    chapter_10_tombstones_has_a_matching_zh_edition "tombstones";
    chapter_11_strategies_has_a_matching_zh_edition "strategies";
    chapter_12_manifest_has_a_matching_zh_edition "manifest";
    chapter_13_snapshots_has_a_matching_zh_edition "snapshots";
    chapter_14_measuring_has_a_matching_zh_edition "measuring";
    chapter_15_ttl_has_a_matching_zh_edition "ttl";
    chapter_16_case_study_qlsm_has_a_matching_zh_edition "case-study-qlsm";
}

#[test]
fn both_editions_list_the_same_chapters_in_the_same_order() {
    let en: Vec<(&str, &str)> = CHAPTERS.iter().map(|c| (c.slug, c.file)).collect();
    let zh: Vec<(&str, &str)> = CHAPTERS_ZH.iter().map(|c| (c.slug, c.file)).collect();
    assert_eq!(zh, en);
    for lang in Lang::ALL {
        assert!(chapters(lang).iter().all(|c| c.lang == lang));
    }
}

#[test]
fn the_zh_folder_holds_no_chapter_the_english_edition_lacks() {
    let folder = manifest_dir().join("chapters/zh");
    let entries = std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{folder:?}: {e}"));
    for entry in entries {
        let name = entry.map(|e| e.file_name()).unwrap_or_default();
        let name = name.to_string_lossy();
        let numbered = name.starts_with(|c: char| c.is_ascii_digit());
        if numbered {
            assert!(
                CHAPTERS.iter().any(|c| c.file == name),
                "zh/{name} has no English original"
            );
        }
    }
}

#[test]
fn links_between_chapters_stay_in_their_edition() {
    for lang in Lang::ALL {
        for c in chapters(lang) {
            check_links(lang, c);
        }
    }
}

#[test]
fn the_chinese_book_summary_lists_every_chapter_in_order() {
    let summary = include_str!("../chapters/zh/SUMMARY.md");
    let listed: Vec<&str> = summary
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- ["))
        .collect();
    assert_eq!(listed.len(), CHAPTERS_ZH.len());
    for (line, c) in listed.iter().zip(CHAPTERS_ZH) {
        assert_eq!(*line, format!("{}]({})", c.title, c.file));
    }
}

/// The Chinese book builds into the English book's output, at the place
/// the English chapters' `zh/…` links point to.
#[test]
fn the_chinese_book_builds_beside_the_english_one() {
    let en = include_str!("../book.toml");
    let zh = include_str!("../book-zh/book.toml");
    let settings = |toml: &'static str| -> Vec<&'static str> {
        toml.lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
            .collect()
    };
    assert!(settings(en).contains(&r#"src = "chapters""#));
    assert!(settings(en).contains(&r#"language = "en""#));
    let zh = settings(zh);
    assert!(zh.contains(&r#"src = "../chapters/zh""#), "{zh:?}");
    assert!(zh.contains(&r#"language = "zh-CN""#), "{zh:?}");
    assert!(zh.contains(&r#"build-dir = "../book/zh""#), "{zh:?}");
}

/// Both READMEs list every chapter of their edition, in order, by title
/// and file, and link to each other.
#[test]
fn both_readmes_list_their_editions_chapters() {
    let readmes = [
        (Lang::En, include_str!("../chapters/README.md")),
        (Lang::Zh, include_str!("../chapters/zh/README.md")),
    ];
    for (lang, readme) in readmes {
        let mut rest = readme;
        for c in chapters(lang) {
            let link = format!("[{}]({})", c.title, c.file);
            let at = rest
                .find(&link)
                .unwrap_or_else(|| panic!("{lang:?} README: no {link} after the previous chapter"));
            rest = rest.get(at + link.len()..).unwrap_or_default();
        }
        let other = match lang {
            Lang::En => "[中文](zh/README.md)",
            Lang::Zh => "[English](../README.md)",
        };
        assert!(
            readme.lines().nth(2) == Some(other),
            "{lang:?} README: {other}"
        );
    }
}
