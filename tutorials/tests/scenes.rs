//! Every ```scene block of every chapter runs on an in-memory database
//! without errors, and its `# expect:` lines hold.

use strata_tutorials::CHAPTERS;
use strata_tutorials::scene::run_scene;

#[test]
fn every_scene_runs_and_meets_its_expectations() {
    let mut failures = Vec::new();
    let mut scenes = 0;
    for chapter in CHAPTERS {
        for block in chapter.scenes() {
            scenes += 1;
            if let Err(e) = run_scene(&block.text) {
                failures.push(format!(
                    "chapters/{} scene at line {}: {e}",
                    chapter.slug, block.line
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(scenes >= CHAPTERS.len(), "only {scenes} scenes");
}
