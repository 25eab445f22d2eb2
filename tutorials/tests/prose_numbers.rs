//! Numbers in the chapters' prose cannot drift from the engine unnoticed.
//!
//! Every number a chapter's prose states with a decimal point or with
//! thousands separators (`0.835 %`, `40,030`) — in both editions — must be
//! either asserted in one of the chapter's own code blocks (a doctest or a
//! scene's `# expect` line, which `cargo test` runs) or listed in
//! [`registry::QUOTES`] with where it comes from, and that source is checked
//! here:
//!
//! - [`Source::Engine`]: computed now from the engine's constants,
//!   formulas or a measurement;
//! - [`Source::Trace`]: present in an event of one of the chapter's scenes;
//! - [`Source::Report`]: quoted from a report a benchmark wrote
//!   (`BENCHMARKS.md`, `docs/compaction.md`): it must appear there, so the
//!   chapter and the report agree;
//! - [`Source::Input`]: a number the prose chooses (a workload's size, an
//!   exercise's own figure) or derives by arithmetic from other checked
//!   numbers, with the reason.
//!
//! Small integers ("4 tables", "L2") are left out: they are counts the
//! scenes' expectations check where they matter. A number found in a code
//! block counts as checked even when the match is incidental; the registry
//! is for everything else. Listing a number that the prose no longer
//! states fails too, so the registry stays true.

mod prose_numbers {
    pub mod registry;
}

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use prose_numbers::registry::{QUOTES, Quote, Source};
use strata_tutorials::scene::run_scene;
use strata_tutorials::{CHAPTERS, Chapter, Lang, chapters};

/// A number as the prose writes it, and the line it is on.
#[derive(Debug)]
struct Stated {
    number: String,
    line: usize,
    text: String,
}

/// The numbers `markdown`'s prose states (outside code blocks and inline
/// code), and the text of its code blocks with separators removed.
fn split(markdown: &str) -> (Vec<Stated>, String) {
    let mut stated = Vec::new();
    let mut code = String::new();
    let mut in_fence = false;
    for (i, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            code.extend(line.chars().filter(|c| !matches!(c, '_' | ',')));
            code.push('\n');
            continue;
        }
        for number in numbers_in(&without_inline_code(line)) {
            stated.push(Stated {
                number,
                line: i + 1,
                text: line.trim().to_string(),
            });
        }
    }
    (stated, code)
}

fn without_inline_code(line: &str) -> String {
    line.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// Decimals (`1.31`) and integers with thousands separators (`40,030`),
/// not parts of words, versions or longer dotted names.
fn numbers_in(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '.' | '_')));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len()
            && (chars[end].is_ascii_digit()
                || (matches!(chars[end], '.' | ',')
                    && chars.get(end + 1).is_some_and(char::is_ascii_digit)))
        {
            end += 1;
        }
        let token: String = chars[i..end].iter().collect();
        let glued = chars
            .get(end)
            .is_some_and(|c| c.is_alphabetic() || *c == '_');
        if !glued && is_stated_number(&token) {
            found.push(token);
        }
        i = end.max(i + 1);
    }
    found
}

fn is_stated_number(token: &str) -> bool {
    let grouped = token.contains(',')
        && token.split(',').skip(1).all(|g| g.len() == 3)
        && !token.contains('.');
    let decimal = token.matches('.').count() == 1 && !token.contains(',');
    grouped || decimal
}

/// The numbers each chapter's prose states that its code does not check,
/// by chapter slug, for one edition.
fn unchecked(lang: Lang) -> Vec<(&'static Chapter, Stated)> {
    let mut out = Vec::new();
    for chapter in chapters(lang) {
        let (stated, code) = split(chapter.markdown);
        for s in stated {
            if !code.contains(&s.number.replace(',', "")) {
                out.push((chapter, s));
            }
        }
    }
    out
}

fn registered(slug: &str, number: &str) -> Option<&'static Quote> {
    QUOTES
        .iter()
        .find(|q| q.chapter == slug && q.number == number)
}

#[test]
fn every_number_in_the_prose_is_checked_or_registered() {
    let mut missing = Vec::new();
    for lang in Lang::ALL {
        for (chapter, s) in unchecked(lang) {
            if registered(chapter.slug, &s.number).is_none() {
                missing.push(format!(
                    "{}{} line {}: {}   | {}",
                    lang.dir(),
                    chapter.file,
                    s.line,
                    s.number,
                    s.text
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} prose numbers are neither asserted in the chapter's code nor listed in \
         tests/prose_numbers/registry.rs:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_registered_number_is_still_stated() {
    let stated: BTreeSet<(&str, String)> = Lang::ALL
        .into_iter()
        .flat_map(unchecked)
        .map(|(c, s)| (c.slug, s.number))
        .collect();
    let stale: Vec<String> = QUOTES
        .iter()
        .filter(|q| !stated.contains(&(q.chapter, q.number.to_string())))
        .map(|q| format!("{} {}", q.chapter, q.number))
        .collect();
    assert!(
        stale.is_empty(),
        "registered but no longer stated (or now in code): {stale:?}"
    );
    let mut seen = BTreeSet::new();
    for q in QUOTES {
        assert!(
            seen.insert((q.chapter, q.number)),
            "{} {} listed twice",
            q.chapter,
            q.number
        );
        assert!(
            CHAPTERS.iter().any(|c| c.slug == q.chapter),
            "no chapter {}",
            q.chapter
        );
    }
}

#[test]
fn every_registered_number_holds_at_its_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut reports: HashMap<&str, String> = HashMap::new();
    let mut traces: HashMap<&str, Vec<serde_json::Value>> = HashMap::new();
    let mut wrong = Vec::new();
    for q in QUOTES {
        let holds = match &q.source {
            Source::Engine(compute) => {
                let values = compute();
                values
                    .iter()
                    .any(|v| v == q.number)
                    .then_some(())
                    .ok_or(format!("computed {values:?}"))
            }
            Source::Report { file, row } => {
                let text = reports.entry(file).or_insert_with(|| {
                    std::fs::read_to_string(root.join(file))
                        .unwrap_or_else(|e| panic!("{file}: {e}"))
                });
                text.lines()
                    .any(|line| line.contains(row) && contains_number(line, q.number))
                    .then_some(())
                    .ok_or(format!("not in {file} on a line with {row:?}"))
            }
            Source::Trace { field } => {
                let events = traces
                    .entry(q.chapter)
                    .or_insert_with(|| scene_events(q.chapter));
                let decimals = q.number.split('.').nth(1).map_or(0, str::len);
                events
                    .iter()
                    .any(|event| {
                        field_values(event, field).any(|v| format!("{v:.decimals$}") == q.number)
                    })
                    .then_some(())
                    .ok_or(format!(
                        "no event of the chapter's scenes has {field} = {}",
                        q.number
                    ))
            }
            Source::Input(why) => (!why.trim().is_empty())
                .then_some(())
                .ok_or("no reason given".to_string()),
        };
        if let Err(why) = holds {
            wrong.push(format!("{} {}: {why}", q.chapter, q.number));
        }
    }
    assert!(
        wrong.is_empty(),
        "prose numbers that no longer hold:\n{}",
        wrong.join("\n")
    );
}

/// Whether `text` states `number` (as a whole number, not inside a longer
/// one; a decimal may be followed by more digits, as a float in JSON is).
fn contains_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        let clean_before = !before.is_some_and(|c| c.is_ascii_digit() || c == '.');
        let clean_after = number.contains('.') || !after.is_some_and(|c| c.is_ascii_digit());
        clean_before && clean_after
    })
}

/// Every event of every scene of chapter `slug`, as JSON values.
fn scene_events(slug: &str) -> Vec<serde_json::Value> {
    let chapter = CHAPTERS.iter().find(|c| c.slug == slug).expect("chapter");
    let mut out = Vec::new();
    for block in chapter.scenes() {
        let run = run_scene(&block.text).unwrap_or_else(|e| panic!("{slug}: {e}"));
        out.extend(
            run.events
                .iter()
                .map(|e| serde_json::to_value(e).expect("events serialise")),
        );
    }
    out
}

/// The numbers held by fields named `field` anywhere in `value`.
fn field_values<'a>(
    value: &'a serde_json::Value,
    field: &'a str,
) -> Box<dyn Iterator<Item = f64> + 'a> {
    match value {
        serde_json::Value::Object(map) => Box::new(map.iter().flat_map(move |(k, v)| {
            let own = (k == field).then(|| v.as_f64()).flatten();
            own.into_iter().chain(field_values(v, field))
        })),
        serde_json::Value::Array(items) => {
            Box::new(items.iter().flat_map(move |v| field_values(v, field)))
        }
        _ => Box::new(std::iter::empty()),
    }
}

#[test]
fn numbers_are_found_as_the_prose_writes_them() {
    assert_eq!(
        numbers_in("rate of 0.82 % in theory, 0.835 % measured;"),
        ["0.82", "0.835"]
    );
    assert_eq!(
        numbers_in("offsets 115 / 40,030 / 40,145."),
        ["40,030", "40,145"]
    );
    assert_eq!(
        numbers_in("v0.2.130, x1.5, 3 tables, l2.5x, 1,00"),
        Vec::<String>::new()
    );
    assert!(!contains_number("21.5", "1.5"));
    assert!(!contains_number("40,0301", "40,030"));
}
