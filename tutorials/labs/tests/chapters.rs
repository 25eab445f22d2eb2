//! The chapters' "Lab" sections name labs and tests that exist: every
//! chapter ends with one, each lab's chapter sends students to its tests,
//! and every `cargo test … --test <lab> <name>`, `--bin grade -- <lab>`
//! or `--example engine_tests -- --lab <lab>` a chapter shows names a real
//! lab and a real test.

use strata_labs::grading::LABS;
use strata_labs::plug::Lab;
use strata_tutorials::CHAPTERS;

/// The source of a lab's test file.
fn test_source(lab: &str) -> Option<&'static str> {
    Some(match lab {
        "skiplist" => include_str!("skiplist.rs"),
        "wal" => include_str!("wal.rs"),
        "block" => include_str!("block.rs"),
        "bloom" => include_str!("bloom.rs"),
        "merge" => include_str!("merge.rs"),
        "picking" => include_str!("picking.rs"),
        "fates" => include_str!("fates.rs"),
        "snapshots" => include_str!("snapshots.rs"),
        _ => return None,
    })
}

/// The chapter's last section, from its last `## ` heading.
fn last_section(markdown: &str) -> &str {
    markdown.rfind("\n## ").map_or("", |at| &markdown[at + 1..])
}

#[test]
fn every_chapter_ends_with_a_lab_section() {
    // The English chapters (translations live in subdirectories).
    for chapter in CHAPTERS.iter().filter(|c| !c.file.contains('/')) {
        assert!(
            last_section(chapter.markdown).starts_with("## Lab"),
            "{}: the last section is not the lab",
            chapter.file
        );
    }
}

#[test]
fn each_labs_chapter_sends_students_to_its_tests() {
    for lab in LABS {
        let chapter = CHAPTERS
            .iter()
            .find(|c| c.file == lab.chapter)
            .unwrap_or_else(|| panic!("no chapter {} for lab {}", lab.chapter, lab.name));
        let section = last_section(chapter.markdown);
        let file = format!("src/student/{}.rs", lab.name);
        assert!(
            section.contains(&format!("--test {}", lab.name)) && section.contains(&file),
            "{}: the lab section must name `--test {}` and `{file}`",
            lab.chapter,
            lab.name
        );
    }
}

#[test]
fn commands_in_the_chapters_name_real_labs_and_tests() {
    let mut commands = 0;
    for chapter in CHAPTERS {
        // Commands: code spans and code lines, each before a shell comment.
        let section = last_section(chapter.markdown);
        for piece in section.lines().flat_map(|l| l.split('`')) {
            let command = piece.split('#').next().unwrap_or_default();
            if let Some(rest) = command.split("--test ").nth(1) {
                let mut words = rest.split_whitespace();
                let lab = words.next().unwrap_or_default();
                let source =
                    test_source(lab).unwrap_or_else(|| panic!("{}: no lab {lab:?}", chapter.file));
                if let Some(test) = words.next().filter(|w| !w.starts_with('-')) {
                    assert!(
                        source.contains(&format!("fn {test}(")),
                        "{}: no test {test} in tests/{lab}.rs",
                        chapter.file
                    );
                }
                commands += 1;
            }
            if let Some(rest) = command.split("--example engine_tests").nth(1) {
                let mut words = rest.split_whitespace().skip_while(|w| *w != "--lab");
                if words.next().is_some() {
                    let lab = words.next().unwrap_or_default();
                    assert!(
                        Lab::from_name(lab).is_some(),
                        "{}: no lab {lab:?} runs inside the engine",
                        chapter.file
                    );
                }
            }
            if let Some(rest) = command.split("--bin grade -- ").nth(1) {
                for lab in rest.split_whitespace().filter(|w| !w.starts_with("--")) {
                    assert!(
                        LABS.iter().any(|l| l.name == lab),
                        "{}: the grader has no lab {lab:?}",
                        chapter.file
                    );
                }
                commands += 1;
            }
        }
    }
    assert!(commands >= 2 * LABS.len(), "only {commands} commands found");
}
