//! Chapter scenes with a `# compare:` line open in compare mode, and the
//! visualizer's own run of each meets the scene's `# expect compare:`
//! lines with the figures the tutorials' tests measure: the chapters'
//! numbers hold on the comparison the student sees.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use strata_tutorials::scene::compare::{parse_compare_expectation, run_compare_scene, Figures};
use strata_tutorials::CHAPTERS;

use super::player::ComparePlayer;
use super::presets::levels_used;
use super::spec::CompareSpec;
use crate::model::controller::{Action, Controller};
use crate::model::lesson::SceneRef;
use crate::model::setup::{Embed, Setup};

/// Every compare scene of the English chapters.
fn compare_scenes() -> Vec<SceneRef> {
    CHAPTERS
        .iter()
        .flat_map(|c| (0..c.scenes().len()).map(move |i| SceneRef::new(c, i).unwrap()))
        .filter(|s| CompareSpec::of_scene(*s).is_some())
        .collect()
}

#[test]
fn the_bloom_and_strategy_chapters_compare() {
    let slugs: Vec<&str> = compare_scenes().iter().map(|s| s.chapter.slug).collect();
    assert!(slugs.contains(&"bloom"), "{slugs:?}");
    assert!(slugs.contains(&"strategies"), "{slugs:?}");
}

#[test]
fn running_a_compare_scene_opens_compare_mode() {
    let scene = compare_scenes()[0];
    let mut c = Controller::new(Setup::default(), Embed::default(), true);
    c.apply(Action::RunScene(scene));
    let spec = c.setup.compare.clone().unwrap();
    assert!(spec.sides.len() >= 2);
    let fragment = c.fragment().unwrap();
    assert!(
        fragment.contains("sc=") && fragment.contains("cmp="),
        "{fragment}"
    );
    assert_eq!(Setup::from_fragment(&fragment).unwrap().compare, Some(spec));
}

#[test]
fn the_visualizer_meets_every_compare_expectation_with_the_tests_figures() {
    for scene in compare_scenes() {
        let text = scene.text();
        let name = format!("{} scene {}", scene.chapter.slug, scene.index);
        let setup = Setup {
            scene: Some(scene),
            compare: CompareSpec::of_scene(scene),
            ..Setup::default()
        };
        let player = ComparePlayer::open(&setup).unwrap();
        let figures: Vec<Figures> = player
            .comparison
            .sides()
            .iter()
            .map(|side| {
                let s = side.session.samples().last().copied().unwrap();
                Figures {
                    write_amp: f64::from(s.write_amp),
                    table_bytes: s.table_bytes as f64,
                    tables_per_get: f64::from(s.read_amp),
                    blocks_per_get: f64::from(s.blocks_per_get),
                    levels: levels_used(&s) as f64,
                }
            })
            .collect();
        let tests = run_compare_scene(&text).unwrap().unwrap();
        let expectations: Vec<_> = text
            .lines()
            .filter_map(|l| parse_compare_expectation(l).unwrap())
            .collect();
        assert!(
            expectations.len() >= 2,
            "{name}: {} claims",
            expectations.len()
        );
        for e in &expectations {
            e.check(&figures)
                .unwrap_or_else(|err| panic!("{name}: {err}"));
            let (ours, theirs) = (e.ratio(&figures), e.ratio(&tests.figures));
            if let (Some(a), Some(b)) = (ours, theirs) {
                assert!(
                    (a - b).abs() <= 1e-3 * b.abs().max(1.0),
                    "{name}: {} measured {a} here, {b} in the tests",
                    e.text
                );
            }
        }
    }
}

/// Compare mode's page moves its cursor itself and tells the app, so that
/// share links and embed code carry it: the app keeps its session.
#[test]
fn a_new_compare_cursor_keeps_the_app_session() {
    let setup = Setup {
        compare: CompareSpec::of_preset("cmp-size-ratio"),
        ..Setup::default()
    };
    let mut c = Controller::new(setup.clone(), Embed::default(), true);
    let revision = c.revision;
    let mut moved = setup.clone();
    moved.compare.as_mut().unwrap().done = Some(12);
    assert!(c.keeps_session(&moved));
    c.apply(Action::Open(moved));
    assert_eq!(c.revision, revision, "no rebuild");
    assert!(c.fragment().unwrap().ends_with("at=12"));
    let other = Setup {
        compare: CompareSpec::of_preset("cmp-bloom-bits"),
        ..Setup::default()
    };
    assert!(!c.keeps_session(&other));
}
