#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;

#[cfg(feature = "labs")]
use crate::model::controller;
#[cfg(feature = "labs")]
use crate::model::lesson::SceneRef;
#[cfg(feature = "labs")]
use crate::model::session::Session;
#[cfg(feature = "labs")]
use crate::model::setup::Setup;

const PANELS: [LabPanel; 3] = [LabPanel::Bloom, LabPanel::ReadPath, LabPanel::Compaction];

#[test]
fn every_lab_with_an_engine_seam_is_shown_by_one_panel() {
    let shown: Vec<LabPart> = PANELS.iter().flat_map(|p| p.parts().to_vec()).collect();
    assert_eq!(shown, LabPart::ALL.to_vec());
}

#[cfg(not(feature = "labs"))]
#[test]
fn without_the_labs_feature_no_panel_has_a_badge_and_nothing_is_plugged() {
    plug_into_engine();
    for panel in PANELS {
        assert!(badges(panel).is_empty(), "{panel:?}");
    }
}

/// The sessions of every scene of the chapters whose panels show a lab.
#[cfg(feature = "labs")]
fn lab_chapter_sessions() -> Vec<(String, Session)> {
    let mut sessions = Vec::new();
    for slug in ["bloom", "read-path", "leveled-compaction", "tombstones"] {
        let (_, chapter) = strata_tutorials::chapter(slug).unwrap();
        for index in 0..chapter.scenes().len() {
            let setup = Setup {
                scene: Some(SceneRef::new(chapter, index).unwrap()),
                ..Setup::default()
            };
            let (session, _) = controller::build(&setup).unwrap();
            sessions.push((format!("{slug}:{index}"), session));
        }
    }
    sessions
}

#[cfg(all(feature = "labs", feature = "reference"))]
#[test]
fn the_reference_runs_the_chapters_scenes_and_every_panel_says_it_is_yours() {
    use strata_engine::trace::replay;

    for (name, session) in lab_chapter_sessions() {
        let table = strata_engine::labs::current();
        assert!(
            table.bloom.is_some()
                && table.merge_pick.is_some()
                && table.picking.is_some()
                && table.fate.is_some(),
            "{name}: the session did not plug every lab in"
        );
        // The same scene on the engine's own code gives the same trace:
        // the panels show what the engine would.
        let engine = strata_labs::plug::without_labs(|| replay(session.trace()).unwrap());
        assert!(engine == *session.trace(), "{name}: the traces differ");
    }
    let compaction = badges(LabPanel::Compaction);
    assert!(compaction.iter().all(|b| b.yours), "{compaction:?}");
    let bloom = badges(LabPanel::Bloom);
    assert_eq!(bloom.len(), 1);
    assert_eq!(bloom[0].text, "your bloom filter");
    assert!(bloom[0].hint.contains("src/student/bloom.rs"), "{bloom:?}");
    assert_eq!(badges(LabPanel::ReadPath)[0].text, "your merging iterator");
}

#[cfg(all(feature = "labs", not(feature = "reference")))]
#[test]
fn an_unsolved_lab_falls_back_to_the_engine_and_its_panel_says_why() {
    // The untouched starter: every lab is `todo!()`. The scenes must still
    // run (on the engine's code), and each panel names the unwritten part.
    let sessions = lab_chapter_sessions();
    assert!(!sessions.is_empty());
    let table = strata_engine::labs::current();
    assert!(table.bloom.is_none() && table.merge_pick.is_none());
    assert!(table.picking.is_none() && table.fate.is_none());
    for panel in PANELS {
        for badge in badges(panel) {
            assert!(!badge.yours, "{badge:?}");
            assert!(
                badge.text.contains("not ready") && badge.hint.contains("not yet implemented"),
                "{badge:?}"
            );
            assert!(
                badge.hint.contains(&format!("{} lab", badge.part.lab())),
                "{badge:?}"
            );
        }
    }
}
