//! The tutorial chapters beside the visualizer: which chapter the panel
//! shows, the scene loaded into the visualizer, and how a scene becomes
//! the visualizer's options and commands.
//!
//! A scene runs as the chapter's tests run it: from the engine's default
//! options (not the visualizer's small ones), with its `option` lines on
//! top, in inline maintenance unless it asks for `manual` — so the
//! visualizer shows exactly what the chapter predicts.

use strata_engine::{MaintenanceMode, Options};
use strata_tutorials::{chapter, Chapter, CHAPTERS};

use super::markdown::{self, Node, Tag};

/// A scene of a chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SceneRef {
    /// The chapter.
    pub chapter: &'static Chapter,
    /// Which of its scenes, from 0.
    pub index: usize,
}

impl SceneRef {
    /// Scene `index` of `chapter`, or an error that says what exists.
    pub fn new(chapter: &'static Chapter, index: usize) -> Result<SceneRef, String> {
        let count = chapter.scenes().len();
        if index < count {
            Ok(SceneRef { chapter, index })
        } else {
            Err(format!(
                "chapter {:?} has no scene {index} (it has {count}, numbered from 0)",
                chapter.slug
            ))
        }
    }

    /// The scene's script as written.
    pub fn text(&self) -> String {
        self.chapter
            .scenes()
            .into_iter()
            .nth(self.index)
            .map(|b| b.text)
            .unwrap_or_default()
    }

    /// The scene's options and command lines.
    fn script(&self) -> Result<strata_tutorials::scene::SceneScript, String> {
        let block = self
            .chapter
            .scenes()
            .into_iter()
            .nth(self.index)
            .ok_or_else(|| {
                format!(
                    "chapter {:?} has no scene {}",
                    self.chapter.slug, self.index
                )
            })?;
        block
            .script(&Options::default())
            .map_err(|e| format!("scene {} of {:?}: {e}", self.index, self.chapter.slug))
    }

    /// The options the scene runs with: the engine's defaults and its
    /// `option` lines; maintenance inline or manual (the visualizer drives
    /// no background thread).
    pub fn options(&self) -> Result<Options, String> {
        let mut options = self.script()?.options;
        if options.maintenance == MaintenanceMode::Background {
            options.maintenance = MaintenanceMode::Manual;
        }
        Ok(options)
    }

    /// The scene's command lines: no options, comments or expectations.
    pub fn command_lines(&self) -> Vec<String> {
        self.script().map(|s| s.command_lines).unwrap_or_default()
    }

    /// The `sc=` value: the number alone when `shown` is the scene's
    /// chapter, `slug:n` otherwise.
    pub fn link_value(&self, shown: Option<&Chapter>) -> String {
        if shown.is_some_and(|c| c.slug == self.chapter.slug) {
            self.index.to_string()
        } else {
            format!("{}:{}", self.chapter.slug, self.index)
        }
    }

    /// Reads an `sc=` value: `n` (a scene of `shown`) or `slug:n`.
    pub fn from_link(value: &str, shown: Option<&'static Chapter>) -> Result<SceneRef, String> {
        let (chapter, number) = match value.split_once(':') {
            Some((slug, n)) => (find_chapter(slug)?, n),
            None => (
                shown.ok_or_else(|| format!("sc={value:?} needs a chapter: add ch=<chapter>"))?,
                value,
            ),
        };
        let index = number
            .parse()
            .map_err(|_| format!("sc={value:?} is not a scene number"))?;
        SceneRef::new(chapter, index)
    }
}

/// The chapter with `slug`, or an error listing the ones there are.
pub fn find_chapter(slug: &str) -> Result<&'static Chapter, String> {
    chapter(slug).map(|(_, c)| c).ok_or_else(|| {
        let known: Vec<&str> = CHAPTERS.iter().map(|c| c.slug).collect();
        format!(
            "no chapter called {slug:?} (there are {})",
            known.join(", ")
        )
    })
}

/// The chapters before and after `chapter`, for the panel's links.
pub fn neighbours(chapter: &Chapter) -> (Option<&'static Chapter>, Option<&'static Chapter>) {
    let Some((i, _)) = strata_tutorials::chapter(chapter.slug) else {
        return (None, None);
    };
    let previous = i.checked_sub(1).and_then(|p| CHAPTERS.get(p));
    (previous, CHAPTERS.get(i + 1))
}

/// The chapter's document tree without its title heading (the panel shows
/// the title itself).
pub fn chapter_body(chapter: &Chapter) -> Vec<Node> {
    let mut nodes = markdown::parse(chapter.markdown);
    if matches!(
        nodes.first(),
        Some(Node::Element(Tag::Heading { level: 1, .. }, _))
    ) {
        nodes.remove(0);
    }
    nodes
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

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
}

#[cfg(test)]
mod scene_tests {
    #![allow(clippy::unwrap_used)]
    use strata_tutorials::scene::run_scene;

    use super::*;
    use crate::model::controller::build;
    use crate::model::setup::Setup;

    /// The events but file deletions: the visualizer's checkpoints
    /// (`Db::fork`) share the head's current version, which keeps its
    /// obsolete tables a while longer, so `FileDeleted` may come later.
    fn kept(events: &[strata_engine::Event]) -> Vec<&strata_engine::Event> {
        events
            .iter()
            .filter(|e| !matches!(e, strata_engine::Event::FileDeleted { .. }))
            .collect()
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
    /// options, operations, outcomes and events (file deletions aside).
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
                        let checked =
                            run_scene(&scene.text()).map_err(|e| format!("{name}: {e}"))?;
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
                            if a.op != b.op
                                || a.outcome != b.outcome
                                || kept(&a.events) != kept(&b.events)
                            {
                                return Err(format!("{name}: operation {i} differs"));
                            }
                        }
                        if focus != Some(ours.open_events.len()) {
                            return Err(format!(
                                "{name}: focus {focus:?} is not the first command"
                            ));
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
}
