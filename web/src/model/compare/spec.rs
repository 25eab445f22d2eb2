//! What a link says about compare mode: a comparison preset or the sides
//! put on top of the scenario, and the cursor. Kept in the [`Setup`]
//! (`cs=`, `cmp=`, `at=` in the fragment), so share links and embeds
//! carry it like the rest of the view.

use super::presets::{compare_preset, ComparePreset};
use super::{Comparison, SideSpec};
use crate::model::lesson::SceneRef;
use crate::model::presets::visualizer_options;
use crate::model::setup::Setup;
use crate::model::url;
use strata_tutorials::scene::compare::parse_compare;

/// Compare mode, as a link holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompareSpec {
    /// The comparison preset whose script every side runs; `None`: the
    /// setup's scenario, scene or commands are the log.
    pub preset: Option<&'static ComparePreset>,
    /// Each side's option overrides; empty: the preset's sides.
    pub sides: Vec<SideSpec>,
    /// Operations done at the cursor (`None`: the end of the log).
    pub done: Option<usize>,
}

impl CompareSpec {
    /// The comparison preset `id`, at the end of its log.
    pub fn of_preset(id: &str) -> Option<CompareSpec> {
        Some(CompareSpec {
            preset: Some(compare_preset(id)?),
            ..CompareSpec::default()
        })
    }

    /// The scenario of `setup` on two sides: its own options (A) and the
    /// other family of compaction (B: size-tiered when A levels, leveled
    /// otherwise) — the first trade-off worth seeing.
    pub fn against_other_strategy(setup: &Setup) -> CompareSpec {
        let leveled = setup
            .options()
            .map(|o| o.compaction_strategy == strata_engine::CompactionStrategy::Leveled)
            .unwrap_or(true);
        let other = if leveled { "size_tiered" } else { "leveled" };
        CompareSpec {
            preset: None,
            sides: vec![
                SideSpec::default(),
                SideSpec::of(&[("compaction_strategy", other)]),
            ],
            done: None,
        }
    }

    /// The comparison a chapter scene asks for with its `# compare:` line
    /// (`None`: an ordinary scene).
    pub fn of_scene(scene: SceneRef) -> Option<CompareSpec> {
        let sides = scene
            .text()
            .lines()
            .find_map(|line| parse_compare(line).ok().flatten())?;
        Some(CompareSpec {
            preset: None,
            sides: sides
                .into_iter()
                .map(|overrides| SideSpec { overrides })
                .collect(),
            done: None,
        })
    }

    /// The same comparison at the end of its log.
    pub fn without_cursor(self) -> CompareSpec {
        CompareSpec { done: None, ..self }
    }

    /// The sides that run: the link's, or else the preset's.
    pub fn side_specs(&self) -> Vec<SideSpec> {
        match (self.sides.is_empty(), self.preset) {
            (true, Some(p)) => p.side_specs(),
            _ => self.sides.clone(),
        }
    }

    /// Builds the comparison `setup` describes (its `compare` is `self`).
    pub fn build(&self, setup: &Setup) -> Result<Comparison, String> {
        let sides = self.side_specs();
        match self.preset {
            Some(p) => Comparison::from_script(p.script, &visualizer_options(), &sides),
            None => Comparison::from_setup(
                &Setup {
                    compare: None,
                    pos: None,
                    ..setup.clone()
                },
                &sides,
            ),
        }
    }

    /// The single view to go back to: the same log with side A's options.
    pub fn leave(&self, setup: &Setup) -> Setup {
        let mut single = Setup {
            compare: None,
            pos: None,
            ..setup.clone()
        };
        if let Some(p) = self.preset {
            for line in p.script.lines().map(str::trim) {
                match line.strip_prefix("option ").and_then(|r| r.split_once('=')) {
                    Some((name, value)) => single.set_override(name.trim(), value.trim()),
                    None if !line.is_empty() && !line.starts_with('#') => {
                        single.commands.push(line.to_owned());
                    }
                    None => {}
                }
            }
        }
        if let Some(first) = self.side_specs().first() {
            for (name, value) in &first.overrides {
                single.set_override(name, value);
            }
        }
        single
    }

    /// Its fragment pairs.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(p) = self.preset {
            pairs.push(("cs".to_owned(), p.id.to_owned()));
        }
        if !self.sides.is_empty() || self.preset.is_none() {
            let sides: Vec<_> = self.sides.iter().map(|s| s.overrides.clone()).collect();
            pairs.push(("cmp".to_owned(), url::encode_sides(&sides)));
        }
        if let Some(done) = self.done {
            pairs.push(("at".to_owned(), done.to_string()));
        }
        pairs
    }

    /// Takes one fragment pair if it belongs to compare mode (`Ok(true)`).
    pub fn read_pair(
        spec: &mut Option<CompareSpec>,
        name: &str,
        value: &str,
    ) -> Result<bool, String> {
        let this = || CompareSpec::default();
        match name {
            "cs" => {
                spec.get_or_insert_with(this).preset = Some(
                    compare_preset(value)
                        .ok_or_else(|| format!("no comparison called {value:?}"))?,
                );
            }
            "cmp" => {
                spec.get_or_insert_with(this).sides = url::decode_sides(value)?
                    .into_iter()
                    .map(|overrides| SideSpec { overrides })
                    .collect();
            }
            "at" => {
                let done = value
                    .parse()
                    .map_err(|_| format!("at={value:?} is not a number of operations"))?;
                spec.get_or_insert_with(this).done = Some(done);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Checks the sides' options against the setup's (for a link read).
    pub fn check(&self, setup: &Setup) -> Result<(), String> {
        let base = match self.preset {
            Some(_) => visualizer_options(),
            None => setup.options()?,
        };
        let sides = self.side_specs();
        if !(2..=super::MAX_SIDES).contains(&sides.len()) {
            return Err(format!(
                "a comparison has two or three sides, not {}",
                sides.len()
            ));
        }
        for side in &sides {
            side.options(&base)?;
        }
        Ok(())
    }
}
