//! The controller's tests (also the lesson tests' way to open a link).
#![allow(clippy::unwrap_used)]
use super::*;

/// A controller opened on the link `fragment` (also used by the lesson
/// tests).
pub(crate) fn controller(fragment: &str) -> Controller {
    Controller::new(
        Setup::from_fragment(fragment).unwrap(),
        Embed::default(),
        true,
    )
}

#[test]
fn a_link_reopens_the_same_frame() {
    let mut c = controller("s=tombstone-dropped");
    c.apply(Action::Run("put extra 1\nget extra".to_owned()));
    c.apply(Action::Seek(150));
    let fragment = c.fragment().unwrap();
    let again = controller(&fragment);
    assert_eq!(again.session.pos(), 150);
    assert_eq!(*again.views, *c.views);
    assert_eq!(again.setup.commands, ["put extra 1", "get extra"]);
}

#[test]
fn an_option_change_restarts_the_scenario_with_it() {
    let mut c = controller("s=l0-to-l1");
    c.apply(Action::SetOption(
        "l0_compaction_trigger".to_owned(),
        "5".to_owned(),
    ));
    assert!(c.notice.is_none(), "{:?}", c.notice);
    assert_eq!(c.session.options().l0_compaction_trigger, 5);
    assert_eq!(c.setup.preset.map(|p| p.id), Some("l0-to-l1"));
    c.apply(Action::SetOption(
        "l0_compaction_trigger".to_owned(),
        "nope".to_owned(),
    ));
    assert!(c.notice.as_ref().is_some_and(|n| n.error));
    assert_eq!(
        c.session.options().l0_compaction_trigger,
        5,
        "a bad value changes nothing"
    );
}

/// The message bar keeps a command's error in both languages, so
/// switching language rewords it.
#[test]
fn a_command_error_is_reworded_when_the_language_changes() {
    let mut c = controller("lang=zh");
    c.apply(Action::Run("put".to_owned()));
    let notice = c.notice.clone();
    let shown = |c: &Controller| {
        c.notice
            .as_ref()
            .map(|n| n.text.shown().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(shown(&c), "put: 缺少键");
    c.apply(Action::SetLang(Lang::En));
    assert_eq!(c.notice, notice, "the notice stays");
    assert_eq!(shown(&c), "put: missing key");
}

#[test]
fn a_trace_round_trips_through_export_and_import() {
    let mut c = controller("s=false-positive");
    let json = c.session.trace().to_json();
    c.apply(Action::Import(json.clone()));
    assert!(c.notice.is_none(), "{:?}", c.notice);
    assert_eq!(c.session.trace().to_json(), json);
    c.apply(Action::Import(
        "{\"format_version\": 1, \"steps\": [".to_owned(),
    ));
    assert!(c
        .notice
        .as_ref()
        .is_some_and(|n| n.error && n.text.contains("import")));
    c.apply(Action::Import("<script>alert(1)</script>".to_owned()));
    assert!(c.notice.as_ref().is_some_and(|n| n.error));
}

#[test]
fn stepping_by_operation_lands_on_operation_starts() {
    let mut c = controller("s=first-flush");
    c.apply(Action::Seek(0));
    c.apply(Action::StepOp(1));
    assert_eq!(c.views.frame.op, Some(0));
    assert_eq!(c.views.frame.event, Some(0));
    c.apply(Action::StepOp(1));
    c.apply(Action::Step(1));
    c.apply(Action::StepOp(-1));
    assert_eq!(c.views.frame.op, Some(1));
    assert_eq!(c.views.frame.event, Some(0));
    c.apply(Action::StepOp(-1));
    assert_eq!(c.views.frame.op, Some(0));
}

#[test]
fn a_command_plays_its_new_frames() {
    let mut c = Controller::new(Setup::default(), Embed::default(), false);
    c.apply(Action::Run("load sequential 500".to_owned()));
    assert!(c.playback.playing);
    assert!(
        c.playback.speed >= 60.0,
        "fast enough to play 1000 frames in a few seconds"
    );
    assert_eq!(c.views.frame.op, Some(0));
    c.apply(Action::Run("bogus".to_owned()));
    assert!(c.notice.as_ref().is_some_and(|n| n.error));
}
