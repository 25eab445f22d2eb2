//! Every ```scene block of every chapter, in both editions, runs on an
//! in-memory database without errors, and its `# expect:` lines hold.

use std::collections::HashSet;

use strata_tutorials::scene::run_scene;
use strata_tutorials::{CHAPTERS, Lang, chapters};

#[test]
fn every_scene_runs_and_meets_its_expectations() {
    // The Chinese edition's scenes are byte-identical to the English ones
    // (`tests/editions.rs`), so a text already queued is not run twice;
    // one that differs would run here on its own.
    let mut seen = HashSet::new();
    let scenes: Vec<(String, usize, String)> = Lang::ALL
        .into_iter()
        .flat_map(|lang| {
            chapters(lang).iter().flat_map(move |c| {
                let name = format!("{}{}", lang.dir(), c.file);
                c.scenes()
                    .into_iter()
                    .map(move |b| (name.clone(), b.line, b.text))
            })
        })
        .filter(|(_, _, text)| seen.insert(text.clone()))
        .collect();
    assert!(
        scenes.len() >= CHAPTERS.len(),
        "only {} scenes",
        scenes.len()
    );
    // Scenes are independent: run them side by side.
    let failures: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = scenes
            .iter()
            .map(|(file, line, text)| {
                s.spawn(move || {
                    run_scene(text)
                        .err()
                        .map(|e| format!("chapters/{file} scene at line {line}: {e}"))
                })
            })
            .collect();
        runs.into_iter()
            .filter_map(|r| r.join().unwrap_or_else(|_| Some("a scene panicked".into())))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The chapters ask the student to predict: several scenes carry `# ask:`
/// lines, and each is answered by the trace (an unanswerable or unfair
/// question fails `every_scene_runs_and_meets_its_expectations`).
#[test]
fn scenes_ask_questions_the_trace_answers() {
    let mut asked_in = Vec::new();
    let mut answers = Vec::new();
    for chapter in CHAPTERS {
        for block in chapter.scenes() {
            let Ok(run) = run_scene(&block.text) else {
                continue;
            };
            if !run.answers.is_empty() {
                asked_in.push(chapter.slug);
            }
            answers.extend(
                run.answers
                    .iter()
                    .map(|(ask, answer)| (chapter.slug, ask.question.clone(), answer.to_string())),
            );
        }
    }
    asked_in.dedup();
    assert!(asked_in.len() >= 5, "questions only in {asked_in:?}");
    let find = |slug: &str, start: &str| {
        answers
            .iter()
            .find(|(s, q, _)| *s == slug && q.starts_with(start))
            .map(|(_, _, a)| a.as_str())
    };
    // The answers the chapters' prose gives, as the trace gives them.
    assert_eq!(find("bloom", "How many bloom probes"), Some("0"));
    assert_eq!(
        find("read-path", "Where will the get find cherry"),
        Some("table")
    );
    assert_eq!(find("flush", "How many tables will L0 hold"), Some("1"));
    assert_eq!(
        find("tombstones", "What will the compaction do"),
        Some("tombstone_dropped_at_bottom")
    );
}

/// A scene's meters move: every scene sets a memtable and an L1 target of
/// kilobytes, not the engine's defaults of megabytes (under which every
/// fill meter of the visualizer reads "0 B of 10.0 MiB").
#[test]
fn every_scene_is_scaled_so_its_meters_move() {
    use strata_engine::Options;
    for chapter in CHAPTERS {
        for block in chapter.scenes() {
            let Ok(script) = block.script(&Options::deterministic()) else {
                panic!(
                    "chapters/{} scene at line {} does not parse",
                    chapter.slug, block.line
                );
            };
            let o = &script.options;
            assert!(
                o.memtable_bytes_max <= 128 << 10 && o.level_base_bytes <= 256 << 10,
                "chapters/{} scene at line {}: memtable {} B, L1 target {} B",
                chapter.slug,
                block.line,
                o.memtable_bytes_max,
                o.level_base_bytes
            );
        }
    }
}

/// Scenes with a `# compare:` line run on every side, and their `# expect
/// compare:` lines hold; the bloom and strategy chapters compare.
#[test]
fn compare_scenes_meet_their_claims_on_every_side() {
    let mut compared_in = Vec::new();
    let mut claims = 0;
    for chapter in CHAPTERS {
        for block in chapter.scenes() {
            let run = strata_tutorials::scene::compare::run_compare_scene(&block.text)
                .unwrap_or_else(|e| panic!("{} scene at line {}: {e}", chapter.file, block.line));
            if let Some(run) = run {
                assert!(run.figures.len() >= 2);
                claims += run.expectations.len();
                compared_in.push(chapter.slug);
            }
        }
    }
    assert!(compared_in.contains(&"bloom"), "{compared_in:?}");
    assert!(compared_in.contains(&"strategies"), "{compared_in:?}");
    assert!(claims >= 8, "{claims} compare claims");
}
