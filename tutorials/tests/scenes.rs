//! Every ```scene block of every chapter runs on an in-memory database
//! without errors, and its `# expect:` lines hold.

use strata_tutorials::CHAPTERS;
use strata_tutorials::scene::run_scene;

#[test]
fn every_scene_runs_and_meets_its_expectations() {
    let scenes: Vec<(&str, usize, String)> = CHAPTERS
        .iter()
        .flat_map(|c| c.scenes().into_iter().map(|b| (c.slug, b.line, b.text)))
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
            .map(|(slug, line, text)| {
                s.spawn(move || {
                    run_scene(text)
                        .err()
                        .map(|e| format!("chapters/{slug} scene at line {line}: {e}"))
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
            let Ok(script) = block.script(&Options::default()) else {
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
