//! Embedding in course pages: which panels an embed shows, what it is
//! called, and the iframe snippet that fits it.

use super::focus::Panel;
use super::i18n::{shown, tr, Msg};
use super::lesson::in_language;
use super::setup::Setup;
use crate::model::i18n::errors::{error, Error};

/// A set of panels (`panels=structure,bloom`); empty means all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PanelSet(u8);

impl PanelSet {
    /// Every panel.
    pub const ALL: PanelSet = PanelSet(0);

    /// Reads `structure,bloom`; an unknown name is an error naming the
    /// ones there are.
    pub fn parse(value: &str) -> Result<PanelSet, String> {
        let mut bits = 0u8;
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let panel = Panel::from_id(name).ok_or_else(|| {
                let known: Vec<&str> = Panel::ALL.iter().map(|p| p.id()).collect();
                error(&Error::NoPanel {
                    name,
                    panels: &known.join(", "),
                })
            })?;
            bits |= Self::bit(panel);
        }
        Ok(PanelSet(bits))
    }

    fn bit(panel: Panel) -> u8 {
        1 << Panel::ALL.iter().position(|p| *p == panel).unwrap_or(0)
    }

    /// Whether `panel` is shown.
    pub fn shows(self, panel: Panel) -> bool {
        self.0 == 0 || self.0 & Self::bit(panel) != 0
    }

    /// The `panels=` value (empty for all).
    pub fn to_query(self) -> String {
        if self.0 == 0 {
            return String::new();
        }
        let names: Vec<&str> = Panel::ALL
            .iter()
            .filter(|p| self.shows(**p))
            .map(|p| p.id())
            .collect();
        names.join(",")
    }

    /// The height in CSS pixels an embed of these panels needs at
    /// [`EMBED_WIDTH_PX`], with or without the player's controls (the
    /// end-to-end test measures that the page fits).
    pub fn height_px(self, controls: bool) -> u32 {
        let mut h = 24 + 96; // padding, narration
        if controls {
            h += 56;
        }
        if self.shows(Panel::Structure) {
            h += 380;
        }
        let row = [Panel::ReadPath, Panel::Bloom, Panel::Compaction];
        if row.iter().any(|p| self.shows(*p)) {
            h += 400;
        }
        if self.shows(Panel::Stats) {
            // The statistics, and the theory drawn beside them.
            h += 330 + 300;
        }
        h
    }
}

/// The width of the iframe the embed code gives.
pub const EMBED_WIDTH_PX: u32 = 960;

/// What the view shows, in a few words: the preset's title, the scene and
/// its chapter (titled in the language shown), or "your own operations".
pub fn scene_title(setup: &Setup) -> String {
    if let Some(scene) = setup.scene {
        return tr(&Msg::SceneTitle {
            number: scene.index + 1,
            chapter: in_language(scene.chapter, shown()).title,
        });
    }
    match setup.preset {
        Some(p) => p.title_shown().to_owned(),
        None => tr(&Msg::OwnOperations),
    }
}

/// The page title: "Strata: " and the scene.
pub fn page_title(setup: &Setup) -> String {
    format!("Strata: {}", scene_title(setup))
}

/// The iframe snippet that embeds `fragment` (the view's link) from the
/// page at `base`, showing `panels`, with the player's controls, not
/// playing by itself, sized to fit.
pub fn embed_code(base: &str, fragment: &str, setup: &Setup, panels: PanelSet) -> String {
    let mut query = "embed=1&controls=1".to_owned();
    let named = panels.to_query();
    if !named.is_empty() {
        query.push_str("&panels=");
        query.push_str(&named);
    }
    let src = format!("{base}?{query}#{fragment}").replace('"', "%22");
    let src = src.replace('&', "&amp;");
    let title = page_title(setup)
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    format!(
        "<iframe src=\"{src}\" title=\"{title}\" width=\"{EMBED_WIDTH_PX}\" height=\"{}\" style=\"border:0;max-width:100%\" loading=\"lazy\"></iframe>",
        panels.height_px(true)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::lesson::{find_chapter, SceneRef};

    #[test]
    fn panel_sets_parse_and_say_what_exists() {
        let set = PanelSet::parse("structure,bloom").unwrap();
        assert!(set.shows(Panel::Structure) && set.shows(Panel::Bloom));
        assert!(!set.shows(Panel::Compaction));
        assert_eq!(set.to_query(), "structure,bloom");
        assert!(PanelSet::ALL.shows(Panel::Stats));
        let err = PanelSet::parse("structure,nope").unwrap_err();
        assert!(err.contains("read-path"), "{err}");
        assert!(set.height_px(true) < PanelSet::ALL.height_px(true));
    }

    #[test]
    fn the_title_names_the_scene() {
        assert_eq!(
            page_title(&Setup::of_preset("l0-to-l1").unwrap()),
            "Strata: L0 → L1 compaction"
        );
        let scene = SceneRef::new(find_chapter("bloom").unwrap(), 1).unwrap();
        let setup = Setup {
            scene: Some(scene),
            ..Setup::default()
        };
        assert_eq!(page_title(&setup), "Strata: Scene 2 of “Bloom filters”");
    }

    #[test]
    fn a_chinese_page_titles_the_scene_with_the_chinese_chapter() {
        let scene = SceneRef::new(find_chapter("bloom").unwrap(), 1).unwrap();
        let setup = Setup {
            scene: Some(scene),
            ..Setup::default()
        };
        crate::model::i18n::show_in(crate::model::i18n::Lang::Zh);
        let title = scene_title(&setup);
        crate::model::i18n::show_in(crate::model::i18n::Lang::En);
        assert_eq!(title, "《布隆过滤器》的场景 2");
    }

    #[test]
    fn the_embed_code_does_not_autoplay_and_fits_its_panels() {
        let setup = Setup::of_preset("l0-to-l1").unwrap();
        let panels = PanelSet::parse("structure,bloom").unwrap();
        let code = embed_code("https://x.org/strata/", "s=l0-to-l1", &setup, panels);
        assert!(code.starts_with("<iframe src=\"https://x.org/strata/?embed=1&amp;controls=1&amp;panels=structure,bloom#s=l0-to-l1\""), "{code}");
        assert!(!code.contains("autoplay"));
        assert!(code.contains("title=\"Strata: L0 → L1 compaction\""));
        assert!(code.contains(&format!("height=\"{}\"", panels.height_px(true))));
    }
}
