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
