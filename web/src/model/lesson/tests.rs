#![allow(clippy::unwrap_used)]

use strata_tutorials::scene::run_scene;

use super::*;
use crate::model::controller::tests::controller;
use crate::model::controller::{build, Action};
use crate::model::setup::Setup;

#[test]
fn scene_links_name_a_scene_of_a_chapter() {
    let bloom = find_chapter("bloom").unwrap();
    let wal = find_chapter("wal").unwrap();
    let second = SceneRef::new(bloom, 1).unwrap();
    assert_eq!(second.link_value(Some(bloom)), "1");
    assert_eq!(second.link_value(Some(wal)), "bloom:1");
    assert_eq!(second.link_value(None), "bloom:1");
    assert_eq!(SceneRef::from_link("1", Some(bloom)), Ok(second));
    assert_eq!(SceneRef::from_link("bloom:1", Some(wal)), Ok(second));
    for (bad, shown) in [
        ("1", None),
        ("9", Some(bloom)),
        ("x", Some(bloom)),
        ("nope:0", None),
        ("-1", Some(bloom)),
    ] {
        let err = SceneRef::from_link(bad, shown);
        assert!(err.is_err(), "{bad} accepted");
    }
    assert!(find_chapter("nope").unwrap_err().contains("why-lsm"));
}

#[test]
fn neighbours_follow_the_reading_order() {
    let first = CHAPTERS.first().unwrap();
    let last = CHAPTERS.last().unwrap();
    assert_eq!(neighbours(first), (None, CHAPTERS.get(1)));
    assert_eq!(neighbours(last), (CHAPTERS.get(CHAPTERS.len() - 2), None));
}

#[test]
fn a_chapter_body_leaves_out_the_title_heading() {
    for chapter in CHAPTERS {
        let body = chapter_body(chapter);
        let title_again = body.iter().any(|n| {
            matches!(n, Node::Element(Tag::Heading { level: 1, .. }, _))
                && n.plain_text() == chapter.title
        });
        assert!(!title_again, "{} repeats its title", chapter.slug);
        assert!(body.len() > 10, "{} is nearly empty", chapter.slug);
    }
}

fn every_scene() -> Vec<SceneRef> {
    CHAPTERS
        .iter()
        .flat_map(|c| {
            (0..c.scenes().len()).map(move |i| SceneRef {
                chapter: c,
                index: i,
            })
        })
        .collect()
}

/// Every scene of every chapter loads into the visualizer, and the
/// visualizer's run is the run the chapter's tests check: the same
/// options, operations, outcomes and events.
#[test]
fn every_scene_runs_in_the_visualizer_as_in_the_chapter() {
    let scenes = every_scene();
    assert!(scenes.len() >= CHAPTERS.len());
    let failures: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = scenes
            .iter()
            .map(|scene| {
                s.spawn(move || {
                    let name = format!("{} scene {}", scene.chapter.slug, scene.index);
                    let setup = Setup {
                        scene: Some(*scene),
                        chapter: Some(scene.chapter),
                        ..Setup::default()
                    };
                    let (session, focus) = build(&setup).map_err(|e| format!("{name}: {e}"))?;
                    let checked = run_scene(&scene.text()).map_err(|e| format!("{name}: {e}"))?;
                    let ours = session.trace();
                    let theirs = checked.runner.trace();
                    if ours.options != theirs.options {
                        return Err(format!("{name}: other options"));
                    }
                    if ours.open_events != theirs.open_events {
                        return Err(format!("{name}: other events of opening"));
                    }
                    if ours.steps.len() != theirs.steps.len() {
                        return Err(format!(
                            "{name}: {} operations, not {}",
                            ours.steps.len(),
                            theirs.steps.len()
                        ));
                    }
                    for (i, (a, b)) in ours.steps.iter().zip(&theirs.steps).enumerate() {
                        if a.op != b.op || a.outcome != b.outcome || a.events != b.events {
                            return Err(format!("{name}: operation {i} differs"));
                        }
                    }
                    if focus != Some(ours.open_events.len()) {
                        return Err(format!("{name}: focus {focus:?} is not the first command"));
                    }
                    Ok(())
                })
            })
            .collect();
        runs.into_iter()
            .filter_map(|r| {
                r.join()
                    .unwrap_or_else(|_| Err("a scene panicked".into()))
                    .err()
            })
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_scene_link_survives_its_fragment() {
    for scene in every_scene() {
        let setup = Setup {
            scene: Some(scene),
            chapter: Some(scene.chapter),
            pos: Some(12),
            ..Setup::default()
        };
        let fragment = setup.to_fragment();
        assert!(
            fragment.starts_with(&format!("ch={}&sc={}", scene.chapter.slug, scene.index)),
            "{fragment}"
        );
        assert_eq!(Setup::from_fragment(&fragment), Ok(setup));
    }
    let closed = Setup {
        scene: SceneRef::new(find_chapter("wal").unwrap(), 0).ok(),
        ..Setup::default()
    };
    assert_eq!(closed.to_fragment(), "sc=wal%3A0");
    assert_eq!(Setup::from_fragment(&closed.to_fragment()), Ok(closed));
    let reading = Setup::from_fragment("s=first-flush&ch=bloom&p=3").unwrap();
    assert_eq!(reading.chapter.map(|c| c.slug), Some("bloom"));
    assert_eq!(Setup::from_fragment(&reading.to_fragment()), Ok(reading));
}

#[test]
fn bad_chapter_links_say_what_is_wrong() {
    for (bad, says) in [
        ("ch=nope", "no chapter called \"nope\""),
        ("ch=bloom&sc=7", "has no scene 7"),
        ("ch=bloom&sc=x", "not a scene number"),
        ("sc=1", "needs a chapter"),
        ("sc=nope:1", "no chapter called"),
        ("s=first-flush&ch=bloom&sc=0", "not both"),
        ("ch=%zz", "bad escape"),
    ] {
        let err = Setup::from_fragment(bad).err().unwrap_or_default();
        assert!(err.contains(says), "{bad}: {err:?}");
    }
}

#[test]
fn a_scene_loads_at_its_first_command_and_keeps_the_chapter_in_the_link() {
    let mut c = controller("s=first-flush&ch=bloom");
    let bloom = c.setup.chapter.unwrap();
    c.apply(Action::RunScene(SceneRef::new(bloom, 1).unwrap()));
    assert!(c.notice.is_none(), "{:?}", c.notice);
    assert_eq!(c.session.options().bloom_bits_per_key, 0);
    assert_eq!(c.setup.preset, None);
    assert_eq!(c.views.frame.op, Some(0), "at the scene's first command");
    assert_eq!(c.views.frame.event, Some(0));
    let fragment = c.fragment().unwrap();
    assert!(fragment.starts_with("ch=bloom&sc=1&p="), "{fragment}");
    let again = controller(&fragment);
    assert_eq!(again.session.pos(), c.session.pos());
    assert_eq!(*again.views, *c.views);
    // Reading on keeps the scene; the link then names its chapter.
    let (_, next) = neighbours(bloom);
    c.apply(Action::ShowChapter(next));
    assert!(c
        .fragment()
        .unwrap()
        .starts_with("ch=read-path&sc=bloom%3A1&p="));
    c.apply(Action::ShowChapter(None));
    assert!(c.fragment().unwrap().starts_with("sc=bloom%3A1&p="));
}

#[test]
fn a_link_that_changes_only_the_chapter_keeps_the_session() {
    let mut c = controller("s=first-flush");
    c.apply(Action::Seek(5));
    let revision = c.revision;
    c.apply(Action::Open(
        Setup::from_fragment("s=first-flush&ch=wal&p=6").unwrap(),
    ));
    assert_eq!(c.revision, revision, "not rebuilt");
    assert_eq!(c.setup.chapter.map(|ch| ch.slug), Some("wal"));
    c.apply(Action::Open(
        Setup::from_fragment("s=first-flush&p=7").unwrap(),
    ));
    assert_eq!(
        (c.revision, c.session.pos()),
        (revision, 6),
        "p=7 is the seventh frame"
    );
    assert_eq!(c.setup.chapter, None);
    c.apply(Action::Open(
        Setup::from_fragment("s=l0-to-l1&ch=wal").unwrap(),
    ));
    assert!(c.revision > revision, "another scenario is rebuilt");
    assert_eq!(c.setup.preset.map(|p| p.id), Some("l0-to-l1"));
    c.apply(Action::LoadPreset("first-flush".to_owned()));
    assert_eq!(
        c.setup.chapter.map(|ch| ch.slug),
        Some("wal"),
        "a preset keeps the chapter open"
    );
}

/// In inline maintenance a put can flush and compact: the views still
/// show, at every operation's end, the tables the engine has, and stepping
/// forward equals seeking back through checkpoints.
#[test]
fn inline_scenes_draw_what_the_engine_holds() {
    use crate::model::runner::Runner;
    use crate::model::views::structure::TableMark;

    for (slug, index) in [("why-lsm", 0), ("tombstones", 0)] {
        let scene = SceneRef::new(find_chapter(slug).unwrap(), index).unwrap();
        let setup = Setup {
            scene: Some(scene),
            ..Setup::default()
        };
        assert_eq!(
            setup.options().unwrap().maintenance,
            strata_engine::MaintenanceMode::Inline
        );
        let (mut s, _) = build(&setup).unwrap();
        let (mut jumper, _) = build(&setup).unwrap();
        let mut replay = Runner::open_in_memory(s.options().clone()).unwrap().0;
        let total = s.total_frames();
        assert!(s.ops() >= 5, "{slug}");
        for op in 0..s.ops() {
            let last = s.first_frame_of_op(op + 1) - 1;
            let views = s.seek(last);
            if op % 5 == 0 {
                jumper.seek(total - 1);
                assert_eq!(*jumper.seek(last), *views, "{slug} op {op}");
            }
            replay.apply(s.trace().steps.get(op).unwrap().op.clone());
            for (level, tables) in replay.db().levels().iter().enumerate() {
                let mut want: Vec<u64> = tables.iter().map(|t| t.file_number).collect();
                let mut got: Vec<u64> = views
                    .structure
                    .levels
                    .levels
                    .get(level)
                    .map(|l| {
                        l.tables
                            .iter()
                            .filter(|t| t.mark != TableMark::Fading)
                            .map(|t| t.file_number)
                            .collect()
                    })
                    .unwrap_or_default();
                want.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, want, "{slug} op {op} level {level}");
            }
        }
        assert!(s.take_problem().is_none() && jumper.take_problem().is_none());
    }
}
