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
