//! The visualizer on a student's code (cargo feature `labs`).
//!
//! Built with `--features labs`, every [`super::session::Session`] plugs
//! the labs of `tutorials/labs` (the student files; the reference with
//! `--features reference`) into the engine's seams before it opens its
//! database, and the bloom, read-path and compaction panels say whose code
//! they show: "your bloom filter", or the engine's own with the reason.
//!
//! A lab is plugged in only when its probe passed
//! ([`strata_labs::probe`]): in the browser a panic aborts the page, so an
//! unwritten `todo!()` must never be reached there. Native builds probe at
//! the first session; the wasm build reads the report the site tool baked
//! in (`STRATA_LABS_PROBE`, from `cargo run -p strata-labs --bin probe`),
//! and without one plugs nothing and says how to build it.
//!
//! Without the feature nothing is plugged and no panel shows a badge.

use super::i18n::{tr, Msg};

/// An engine part a lab rewrites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabPart {
    /// Every table's bloom filter (lab `bloom`).
    Bloom,
    /// The merging iterator's step (lab `merge`).
    Merge,
    /// Compaction picking (lab `picking`).
    Picking,
    /// The fate of each record in a compaction (lab `fates`).
    Fates,
}

impl LabPart {
    /// Every part, in the labs' order.
    pub const ALL: [LabPart; 4] = [
        LabPart::Bloom,
        LabPart::Merge,
        LabPart::Picking,
        LabPart::Fates,
    ];

    /// The lab's name (`tests/<lab>.rs`, `src/student/<lab>.rs`).
    pub fn lab(self) -> &'static str {
        match self {
            LabPart::Bloom => "bloom",
            LabPart::Merge => "merge",
            LabPart::Picking => "picking",
            LabPart::Fates => "fates",
        }
    }
}

/// A panel showing an engine part a lab rewrites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabPanel {
    /// The bloom panel: the filter.
    Bloom,
    /// The read-path panel: the merging iterator (scans, and gets over
    /// several sources).
    ReadPath,
    /// The compaction panel: the picker and the fates.
    Compaction,
}

impl LabPanel {
    /// The parts the panel shows.
    pub fn parts(self) -> &'static [LabPart] {
        match self {
            LabPanel::Bloom => &[LabPart::Bloom],
            LabPanel::ReadPath => &[LabPart::Merge],
            LabPanel::Compaction => &[LabPart::Picking, LabPart::Fates],
        }
    }
}

/// What a panel says about one part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabBadge {
    /// The part.
    pub part: LabPart,
    /// Whether the student's code runs (else the engine's own).
    pub yours: bool,
    /// The badge: "your bloom filter", or the engine's.
    pub text: String,
    /// The longer explanation (a tooltip): where the code is, or why the
    /// engine's own runs.
    pub hint: String,
}

/// The badges of `panel` in the language shown: none without the `labs`
/// feature.
pub fn badges(panel: LabPanel) -> Vec<LabBadge> {
    panel
        .parts()
        .iter()
        .filter_map(|part| status(*part).map(|s| badge(*part, s)))
        .collect()
}

fn badge(part: LabPart, status: Result<(), String>) -> LabBadge {
    let file = format!("tutorials/labs/src/student/{}.rs", part.lab());
    match status {
        Ok(()) => LabBadge {
            part,
            yours: true,
            text: tr(&Msg::LabYours { part }),
            hint: tr(&Msg::LabYoursHint { part, file: &file }),
        },
        Err(reason) => LabBadge {
            part,
            yours: false,
            text: tr(&Msg::LabNotYours { part }),
            hint: tr(&Msg::LabNotYoursHint {
                part,
                reason: &reason,
            }),
        },
    }
}

/// Plugs the ready labs into the engine's seams (the table is
/// process-wide; sessions call this before opening their database).
/// Nothing without the `labs` feature.
pub fn plug_into_engine() {
    #[cfg(feature = "labs")]
    plugged::install();
}

/// `None` without the feature; else `Ok` when the student's `part` runs,
/// or why the engine's own does.
fn status(part: LabPart) -> Option<Result<(), String>> {
    #[cfg(feature = "labs")]
    return Some(plugged::status(part));
    #[cfg(not(feature = "labs"))]
    {
        let _ = part;
        None
    }
}

#[cfg(feature = "labs")]
mod plugged {
    use std::sync::OnceLock;

    use strata_labs::plug::{hooks, Lab};
    use strata_labs::probe::Report;

    use super::LabPart;
    use crate::model::i18n::{tr, Msg};

    static REPORT: OnceLock<Report> = OnceLock::new();

    fn lab(part: LabPart) -> Lab {
        match part {
            LabPart::Bloom => Lab::Bloom,
            LabPart::Merge => Lab::Merge,
            LabPart::Picking => Lab::Picking,
            LabPart::Fates => Lab::Fates,
        }
    }

    /// The probe's report: baked in by the site tool, else probed here
    /// (natively, once); `None` in a wasm build made without the site tool.
    fn report() -> Option<&'static Report> {
        let baked = option_env!("STRATA_LABS_PROBE");
        if baked.is_none() && cfg!(target_arch = "wasm32") {
            return None;
        }
        Some(REPORT.get_or_init(|| match baked {
            Some(text) => Report::parse(text),
            None => probe_here(),
        }))
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn probe_here() -> Report {
        strata_labs::probe::probe_all()
    }

    /// Never called: a wasm build without a baked-in report plugs nothing.
    #[cfg(target_arch = "wasm32")]
    fn probe_here() -> Report {
        Report::parse("")
    }

    pub(super) fn status(part: LabPart) -> Result<(), String> {
        match report() {
            Some(report) => report.status(lab(part)),
            None => Err(tr(&Msg::LabsNotProbed)),
        }
    }

    pub(super) fn install() {
        let ready = report().map(Report::ready).unwrap_or_default();
        strata_engine::labs::install(hooks(&ready));
    }
}

#[cfg(test)]
mod tests;
