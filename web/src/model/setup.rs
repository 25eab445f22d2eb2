//! What reproduces a view: the scenario, the options, the commands typed,
//! the frame and where the database lives — and the embed settings. This
//! is what the link holds.

use crate::model::i18n::errors::{error, Error};
use crate::model::i18n::script_errors::script_problem;
use strata_engine::script::{set_option, ScriptProblem};
use strata_engine::{MaintenanceMode, Options};
use strata_tutorials::Chapter;

use super::compare::spec::CompareSpec;
use super::embed::PanelSet;
use super::i18n::Lang;
use super::i18n::{tr, Msg};
use super::lesson::{find_chapter, SceneRef};
use super::presets::{preset, visualizer_options, Preset};
use super::session::Session;
use super::url;

/// Where the database's files live.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Persistence {
    /// In memory: gone on reload.
    #[default]
    Memory,
    /// In IndexedDB: a reload shows the same database.
    IndexedDb,
}

/// An option the panel edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PanelOption {
    /// The `Options` field.
    pub name: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Choices for a select; empty for a number.
    pub choices: &'static [&'static str],
    /// Smallest and largest number accepted by the panel.
    pub range: (u64, u64),
}

/// The options panel, in order.
pub const PANEL_OPTIONS: &[PanelOption] = &[
    PanelOption {
        name: "memtable_bytes_max",
        label: "Memtable size (bytes)",
        choices: &[],
        range: (1024, 1 << 20),
    },
    PanelOption {
        name: "l0_compaction_trigger",
        label: "L0 trigger (tables)",
        choices: &[],
        range: (2, 16),
    },
    PanelOption {
        name: "level_size_ratio",
        label: "Level size ratio",
        choices: &[],
        range: (2, 20),
    },
    PanelOption {
        name: "level_base_bytes",
        label: "L1 target (bytes)",
        choices: &[],
        range: (1024, 16 << 20),
    },
    PanelOption {
        name: "target_file_size_bytes",
        label: "Table size (bytes)",
        choices: &[],
        range: (1024, 4 << 20),
    },
    PanelOption {
        name: "bloom_bits_per_key",
        label: "Bloom bits per key",
        choices: &[],
        range: (0, 32),
    },
    PanelOption {
        name: "compaction_strategy",
        label: "Strategy",
        choices: &["leveled", "size_tiered", "hybrid", "universal"],
        range: (0, 0),
    },
    PanelOption {
        name: "maintenance",
        label: "Maintenance",
        choices: &["manual", "inline"],
        range: (0, 0),
    },
    PanelOption {
        name: "seed",
        label: "Seed",
        choices: &[],
        range: (0, u32::MAX as u64),
    },
];

/// The current value of option `name` as text (`leveled`, `4096`).
pub fn option_text(options: &Options, name: &str) -> String {
    let value = serde_json::to_value(options).ok();
    match value.as_ref().and_then(|v| v.get(name)) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Checks a value typed into the panel against the panel's range.
pub fn check_panel_value(name: &str, value: &str) -> Result<(), String> {
    if let Some(panel) = PANEL_OPTIONS
        .iter()
        .find(|p| p.name == name && p.choices.is_empty())
    {
        let n: u64 = value.trim().parse().map_err(|_| {
            error(&Error::NotANumber {
                option: panel.name,
                value,
            })
        })?;
        if !(panel.range.0..=panel.range.1).contains(&n) {
            return Err(error(&Error::OutOfRange {
                option: panel.name,
                min: panel.range.0,
                max: panel.range.1,
            }));
        }
    }
    Ok(())
}

/// Sets `name` to `value`, keeping the dependent L0 limits consistent.
/// Maintenance is manual (the visualizer's step) or inline (a write that
/// fills the memtable does it); the visualizer runs no background thread.
/// On an error `options` are left as they were.
pub fn apply_option(options: &mut Options, name: &str, value: &str) -> Result<(), String> {
    let mut changed = options.clone();
    set_option(&mut changed, name, value.trim()).map_err(|e| script_problem(&e.problem))?;
    changed.l0_slowdown_trigger = changed
        .l0_slowdown_trigger
        .max(changed.l0_compaction_trigger);
    changed.l0_stop_trigger = changed.l0_stop_trigger.max(changed.l0_slowdown_trigger);
    if changed.maintenance == MaintenanceMode::Background {
        return Err(error(&Error::NoBackground));
    }
    changed
        .validate()
        .map_err(|e| script_problem(&ScriptProblem::from(e)))?;
    *options = changed;
    Ok(())
}

/// The overrides that turn the visualizer's default options into
/// `options` (background maintenance aside: the visualizer runs
/// maintenance itself).
pub fn overrides_for(options: &Options) -> Vec<(String, String)> {
    let base = serde_json::to_value(super::presets::visualizer_options()).ok();
    let theirs = serde_json::to_value(options).ok();
    let (Some(base), Some(theirs)) = (base, theirs) else {
        return Vec::new();
    };
    let (Some(base), Some(theirs)) = (base.as_object(), theirs.as_object()) else {
        return Vec::new();
    };
    theirs
        .iter()
        // Background maintenance has no meaning here (the session turns it
        // into manual); inline and manual replay as recorded.
        .filter(|(name, value)| {
            base.get(*name) != Some(*value)
                && !(*name == "maintenance" && value.as_str() == Some("background"))
        })
        .map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (name.clone(), text)
        })
        .collect()
}

/// Embedding settings, from the query (`?embed=1&controls=1&start=…`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Embed {
    /// Embedded: only the views (and, with `controls`, the timeline).
    pub enabled: bool,
    /// Show the timeline controls.
    pub controls: bool,
    /// First frame played.
    pub start: Option<usize>,
    /// Last frame played.
    pub end: Option<usize>,
    /// Play on load.
    pub autoplay: bool,
    /// Start again after the end.
    pub looped: bool,
    /// The panels shown (`panels=structure,bloom`; all by default).
    pub panels: PanelSet,
}

impl Embed {
    /// Reads the query; unknown names are ignored, bad numbers are errors.
    pub fn from_query(query: &str) -> Result<Embed, String> {
        let mut embed = Embed::default();
        let flag = |v: &str| !matches!(v, "0" | "false" | "no");
        for (name, value) in url::pairs(query)? {
            match name.as_str() {
                "embed" => embed.enabled = flag(&value),
                "controls" => embed.controls = flag(&value),
                "start" => embed.start = Some(frame_number(&name, &value)?),
                "end" => embed.end = Some(frame_number(&name, &value)?),
                "autoplay" => embed.autoplay = flag(&value),
                "loop" => embed.looped = flag(&value),
                "panels" => embed.panels = PanelSet::parse(&value)?,
                _ => {}
            }
        }
        Ok(embed)
    }
}

/// A frame number of a link (`p=`, `start=`, `end=`): counted from 1, as
/// the screen counts them; the 0-based position.
fn frame_number(name: &str, value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err(error(&Error::FrameZero { name })),
        Ok(n) => Ok(n - 1),
        Err(_) => Err(error(&Error::NotAFrame { name, value })),
    }
}

/// What reproduces a view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Setup {
    /// The scenario preset, if any.
    pub preset: Option<&'static Preset>,
    /// The tutorial scene loaded instead of a preset, if any.
    pub scene: Option<SceneRef>,
    /// The chapter shown beside the visualizer (`None`: the panel is
    /// closed).
    pub chapter: Option<&'static Chapter>,
    /// Options set in the panel, on top of the preset's: (name, value).
    pub overrides: Vec<(String, String)>,
    /// Commands run after the preset's (or all of them, without one).
    pub commands: Vec<String>,
    /// The frame shown.
    pub pos: Option<usize>,
    /// Where the database lives.
    pub persistence: Persistence,
    /// The commands are an imported log, replayed as recorded: no
    /// maintenance steps are added after them.
    pub as_recorded: bool,
    /// The language chosen in the link (`lang=zh`); `None`: the browser's.
    pub lang: Option<Lang>,
    /// Compare mode (`cs=`, `cmp=`, `at=`); `None`: one database.
    pub compare: Option<CompareSpec>,
}

impl Setup {
    /// A preset with nothing added.
    pub fn of_preset(id: &str) -> Option<Setup> {
        Some(Setup {
            preset: Some(preset(id)?),
            ..Setup::default()
        })
    }

    /// The options: the tutorial scene's, the preset's (or the
    /// visualizer's defaults), then the overrides.
    pub fn options(&self) -> Result<Options, String> {
        let mut options = match (self.scene, self.preset) {
            (Some(scene), _) => scene.options()?,
            (None, Some(p)) => p.scene().map_err(|e| e.to_string())?.options,
            (None, None) => visualizer_options(),
        };
        for (name, value) in &self.overrides {
            apply_option(&mut options, name, value)?;
        }
        if options.maintenance == MaintenanceMode::Background {
            options.maintenance = MaintenanceMode::Manual;
        }
        Ok(options)
    }

    /// What the scenario's blurb adds once commands were typed on top of
    /// it (the blurb describes the scenario before them).
    pub fn blurb_note(&self) -> Option<String> {
        let scripted = self.preset.is_some() || self.scene.is_some();
        (scripted && !self.commands.is_empty()).then(|| {
            tr(&Msg::BlurbThenYours {
                commands: self.commands.len(),
            })
        })
    }

    /// The scenario menu's entry for what runs: the preset's title alone
    /// is chosen only while nothing was typed on top of it.
    pub fn menu_entry(&self) -> (Option<&'static str>, String) {
        match self.preset {
            Some(p) if self.commands.is_empty() => (Some(p.id), p.title_shown().to_owned()),
            Some(p) => (
                None,
                tr(&Msg::MenuWithYours {
                    title: p.title_shown(),
                    commands: self.commands.len(),
                }),
            ),
            None => (None, tr(&Msg::MenuOwn)),
        }
    }

    /// Sets an override (replacing an earlier one for the same option).
    pub fn set_override(&mut self, name: &str, value: &str) {
        self.overrides.retain(|(n, _)| n != name);
        self.overrides.push((name.to_owned(), value.to_owned()));
    }

    /// The command lines of the tutorial scene or the preset (options and
    /// comments left out).
    pub fn preset_lines(&self) -> Vec<String> {
        if let Some(scene) = self.scene {
            return scene.command_lines();
        }
        self.preset
            .map(|p| {
                p.script
                    .lines()
                    .map(str::trim)
                    .filter(|l| {
                        !l.is_empty()
                            && !l.starts_with('#')
                            && !l.starts_with("option ")
                            && !l.starts_with("set ")
                    })
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Runs the scene's or preset's commands, then the typed ones, in
    /// `session`; returns the frame where the interesting part starts (a
    /// scene's first command).
    pub fn run(&self, session: &mut Session) -> Result<Option<usize>, String> {
        let mut focus = None;
        let focus_line = match (self.scene, self.preset) {
            (Some(_), _) => Some(0),
            (None, p) => p.map(|p| p.focus),
        };
        for (i, line) in self.preset_lines().iter().enumerate() {
            let report = session.run(line).map_err(|e| {
                error(&Error::PresetLine {
                    line: i + 1,
                    error: &e,
                })
            })?;
            if focus_line == Some(i) {
                focus = report.first_frame;
            }
        }
        // Typed commands run due maintenance as steps of their own; a
        // chapter scene keeps the mode it declares.
        session.set_step_maintenance(self.scene.is_none() && !self.as_recorded);
        for line in &self.commands {
            session.run(line)?;
        }
        Ok(focus)
    }

    /// The fragment that reproduces this setup (without `#`).
    pub fn to_fragment(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(p) = self.preset {
            pairs.push(("s".to_owned(), p.id.to_owned()));
        }
        if let Some(c) = self.chapter {
            pairs.push(("ch".to_owned(), c.slug.to_owned()));
        }
        if let Some(scene) = self.scene {
            pairs.push(("sc".to_owned(), scene.link_value(self.chapter)));
        }
        if !self.overrides.is_empty() {
            let o: Vec<String> = self
                .overrides
                .iter()
                .map(|(n, v)| format!("{n}:{v}"))
                .collect();
            pairs.push(("o".to_owned(), o.join(",")));
        }
        if !self.commands.is_empty() {
            pairs.push(("c".to_owned(), self.commands.join("\n")));
        }
        if let Some(pos) = self.pos {
            // Frames count from 1 in links, as on the screen.
            pairs.push(("p".to_owned(), (pos + 1).to_string()));
        }
        if self.persistence == Persistence::IndexedDb {
            pairs.push(("store".to_owned(), "idb".to_owned()));
        }
        if self.as_recorded {
            pairs.push(("r".to_owned(), "1".to_owned()));
        }
        if let Some(lang) = self.lang {
            pairs.push(("lang".to_owned(), lang.code().to_owned()));
        }
        pairs.extend(self.compare.iter().flat_map(CompareSpec::pairs));
        url::join(&pairs)
    }

    /// Reads a fragment; anything malformed is an error that says what.
    pub fn from_fragment(fragment: &str) -> Result<Setup, String> {
        let mut setup = Setup::default();
        let mut scene = None;
        for (name, value) in url::pairs(fragment)? {
            if CompareSpec::read_pair(&mut setup.compare, &name, &value)? {
                continue;
            }
            match name.as_str() {
                "ch" => setup.chapter = Some(find_chapter(&value)?),
                "sc" => scene = Some(value),
                "s" => {
                    setup.preset = Some(
                        preset(&value).ok_or_else(|| error(&Error::NoScenario { id: &value }))?,
                    )
                }
                "o" => {
                    for item in value.split(',').filter(|i| !i.is_empty()) {
                        let (n, v) = item
                            .split_once(':')
                            .ok_or_else(|| error(&Error::OptionNotPair { item }))?;
                        setup.set_override(n, v);
                    }
                }
                "c" => {
                    setup.commands = value
                        .lines()
                        .map(str::to_owned)
                        .filter(|l| !l.trim().is_empty())
                        .collect()
                }
                "p" => setup.pos = Some(frame_number("p", &value)?),
                "r" => setup.as_recorded = value == "1",
                "lang" => setup.lang = Some(Lang::from_code(&value)?),
                "store" => {
                    setup.persistence = match value.as_str() {
                        "idb" => Persistence::IndexedDb,
                        "mem" => Persistence::Memory,
                        other => return Err(error(&Error::UnknownStore { store: other })),
                    }
                }
                _ => {}
            }
        }
        if let Some(value) = scene {
            if setup.preset.is_some() {
                return Err(error(&Error::ScenarioAndScene));
            }
            setup.scene = Some(SceneRef::from_link(&value, setup.chapter)?);
        }
        setup.options()?;
        if let Some(spec) = &setup.compare {
            spec.check(&setup)?;
        }
        Ok(setup)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn overrides_keep_inline_maintenance_and_drop_background() {
        let mut options = crate::model::presets::visualizer_options();
        options.maintenance = MaintenanceMode::Inline;
        let overrides = overrides_for(&options);
        assert!(overrides.contains(&("maintenance".to_owned(), "inline".to_owned())));
        let mut setup = Setup::default();
        for (name, value) in &overrides {
            setup.set_override(name, value);
        }
        assert_eq!(
            setup.options().unwrap().maintenance,
            MaintenanceMode::Inline
        );
        options.maintenance = MaintenanceMode::Background;
        assert!(overrides_for(&options)
            .iter()
            .all(|(name, _)| name != "maintenance"));
    }

    #[test]
    fn a_setup_survives_its_fragment() {
        let mut setup = Setup::of_preset("l0-to-l1").unwrap();
        setup.set_override("bloom_bits_per_key", "4");
        setup.set_override("compaction_strategy", "size_tiered");
        setup.commands = vec!["put \"a b\" 1".to_owned(), "get x&y=z".to_owned()];
        setup.pos = Some(42);
        setup.persistence = Persistence::IndexedDb;
        let fragment = setup.to_fragment();
        assert_eq!(Setup::from_fragment(&fragment), Ok(setup.clone()));
        let options = setup.options().unwrap();
        assert_eq!(options.bloom_bits_per_key, 4);
        assert_eq!(options.maintenance, MaintenanceMode::Manual);
    }

    #[test]
    fn malformed_fragments_say_what_is_wrong() {
        for bad in [
            "s=nope",
            "o=memtable_bytes_max",
            "o=memtable_bytes_max:1",
            "o=nope:1",
            "p=-1",
            "store=disk",
            "c=%zz",
        ] {
            assert!(Setup::from_fragment(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(Setup::from_fragment(""), Ok(Setup::default()));
    }

    #[test]
    fn the_panel_keeps_l0_limits_consistent() {
        let mut options = visualizer_options();
        apply_option(&mut options, "l0_compaction_trigger", "16").unwrap();
        assert!(options.l0_slowdown_trigger >= 16 && options.l0_stop_trigger >= 16);
        assert!(apply_option(&mut options, "l0_compaction_trigger", "99").is_err());
        assert!(apply_option(&mut options, "memtable_bytes_max", "lots").is_err());
        assert!(check_panel_value("l0_compaction_trigger", "17").is_err());
        assert!(check_panel_value("memtable_bytes_max", "4096").is_ok());
        assert_eq!(option_text(&options, "compaction_strategy"), "leveled");
        assert_eq!(option_text(&options, "l0_compaction_trigger"), "16");
    }

    /// An option the engine refuses reads in the language shown.
    #[test]
    fn option_errors_from_the_engine_read_in_the_language_shown() {
        use crate::model::i18n::show_in;
        let mut options = visualizer_options();
        // Each test runs on its own thread, so the language is this test's.
        show_in(Lang::Zh);
        let unknown = apply_option(&mut options, "no_such", "1");
        let bad = apply_option(&mut options, "memtable_bytes_max", "lots");
        show_in(Lang::En);
        assert_eq!(unknown, Err("未知选项 \"no_such\"".to_owned()));
        assert_eq!(
            bad,
            Err("选项 memtable_bytes_max 不能取值 \"lots\"".to_owned())
        );
        let unknown = apply_option(&mut options, "no_such", "1");
        assert_eq!(unknown, Err("unknown option \"no_such\"".to_owned()));
    }

    /// A link's frame is the number the screen shows ("frame 5 / …" is
    /// `p=5`), not an index from 0.
    #[test]
    fn links_count_frames_from_one_like_the_screen() {
        let setup = Setup::from_fragment("s=first-flush&p=5").unwrap();
        assert_eq!(setup.pos, Some(4));
        assert!(setup.to_fragment().ends_with("p=5"));
        let err = Setup::from_fragment("s=first-flush&p=0").unwrap_err();
        assert!(err.contains("counted from 1"), "{err}");
    }

    #[test]
    fn typed_commands_mark_the_blurb_and_the_menu() {
        let mut setup = Setup::of_preset("first-flush").unwrap();
        assert_eq!(setup.blurb_note(), None);
        assert_eq!(
            setup.menu_entry(),
            (Some("first-flush"), "The first flush".to_owned())
        );
        setup.commands = vec!["put a 1".to_owned()];
        assert!(setup.blurb_note().unwrap().contains("1 command of yours"));
        assert_eq!(
            setup.menu_entry(),
            (None, "The first flush, then 1 typed command".to_owned())
        );
        setup.commands.push("get a".to_owned());
        assert!(setup.blurb_note().unwrap().contains("2 commands of yours"));
        assert_eq!(Setup::default().menu_entry().0, None);
    }

    #[test]
    fn embed_settings_come_from_the_query() {
        let e = Embed::from_query("?embed=1&controls=0&start=10&end=20&autoplay=1&loop=1").unwrap();
        assert_eq!(
            e,
            Embed {
                enabled: true,
                controls: false,
                start: Some(9),
                end: Some(19),
                autoplay: true,
                looped: true,
                panels: PanelSet::ALL,
            }
        );
        assert!(Embed::from_query("start=x").is_err());
        assert!(Embed::from_query("start=0").is_err(), "frames count from 1");
    }

    #[test]
    fn a_preset_runs_and_points_at_its_focus() {
        let setup = Setup::of_preset("l0-to-l1").unwrap();
        let mut session = Session::in_memory(setup.options().unwrap()).unwrap();
        let focus = setup.run(&mut session).unwrap().unwrap();
        assert_eq!(
            session.frame(focus).op(),
            Some(129),
            "the second step, after eight loads of 15, each flushed, and the first step"
        );
    }
}
