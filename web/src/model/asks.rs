//! A scene's questions in the player: where each stops the timeline, the
//! answer the trace gives, what the student answered, and what the
//! question box says at the frame shown.
//!
//! A question sits before the command it asks about: playing stops at that
//! command's first frame until the student answers (or steps on), and the
//! verdict shows once the command's last frame has played.

use strata_tutorials::scene::{run_scene, Answer};

use super::i18n::{tr, Msg};
use super::lesson::SceneRef;
use super::session::Session;

/// Frames after a question's command during which its verdict still shows
/// (at least; as long again as the command for longer ones).
pub const VERDICT_FRAMES_MIN: usize = 20;

/// One question of the scene loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The question.
    pub text: String,
    /// The choices; empty when the answer is a number.
    pub choices: Vec<String>,
    /// The first frame of the command asked about: playing stops here.
    pub frame: usize,
    /// The last frame of that command: the verdict shows from here on.
    pub last_frame: usize,
    /// The answer, from the trace.
    pub answer: Answer,
    /// What the student answered.
    pub given: Option<String>,
    /// Whether playing has stopped at the verdict.
    pub checked: bool,
}

/// What the question box shows.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionView {
    /// Which question (for [`Questions::give`]).
    pub index: usize,
    /// The question.
    pub text: String,
    /// The choices; empty for a number.
    pub choices: Vec<String>,
    /// Whether the student may still answer.
    pub open: bool,
    /// The line under the question (the verdict, or what happens next).
    pub status: Option<String>,
    /// Whether the answer given was right (`None` before the verdict).
    pub right: Option<bool>,
}

/// The questions of the scene loaded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Questions {
    /// In the scene's order.
    pub items: Vec<Question>,
}

impl Questions {
    /// The questions of `scene`, placed on `session`'s timeline (the scene's
    /// commands are the session's first), answered by running the scene
    /// as its chapter's tests do.
    pub fn of_scene(scene: SceneRef, session: &Session) -> Result<Questions, String> {
        let asks = scene.asks();
        if asks.is_empty() {
            return Ok(Questions::default());
        }
        let run = run_scene(&scene.text())?;
        let items = asks
            .into_iter()
            .zip(run.answers)
            .map(|((command, ask), (_, answer))| {
                let ops = session.command_ops(command);
                let frame = session.first_frame_of_op(ops.start);
                let last_frame = session
                    .first_frame_of_op(ops.end)
                    .saturating_sub(1)
                    .max(frame);
                Question {
                    text: ask.question,
                    choices: ask.choices,
                    frame,
                    last_frame,
                    answer,
                    given: None,
                    checked: false,
                }
            })
            .collect();
        Ok(Questions { items })
    }

    /// The frame where playing from `from` to `to` must stop: in
    /// `from + 1..=to`, the first unanswered question, or the last frame of
    /// an answered question's command (to show the verdict once).
    pub fn stop_between(&self, from: usize, to: usize) -> Option<usize> {
        self.items
            .iter()
            .filter_map(|q| match (&q.given, q.checked) {
                (None, _) => Some(q.frame),
                (Some(_), false) => Some(q.last_frame),
                (Some(_), true) => None,
            })
            .filter(|f| *f > from && *f <= to)
            .min()
    }

    /// Notes that playing stopped at frame `pos`: a verdict shown there is
    /// not stopped at again.
    pub fn stopped_at(&mut self, pos: usize) {
        for q in &mut self.items {
            if q.given.is_some() && q.last_frame == pos {
                q.checked = true;
            }
        }
    }

    /// Whether an unanswered question waits at `pos`.
    pub fn waiting_at(&self, pos: usize) -> bool {
        self.items
            .iter()
            .any(|q| q.given.is_none() && q.frame == pos)
    }

    /// Records the student's answer to question `index`; a number question
    /// refuses what is not a number (the error says so).
    pub fn give(&mut self, index: usize, given: &str) -> Result<(), String> {
        let Some(q) = self.items.get_mut(index) else {
            return Ok(());
        };
        let given = given.trim();
        if q.choices.is_empty() && given.parse::<u64>().is_err() {
            return Err(tr(&Msg::AskNotANumber { given }));
        }
        q.given = Some(given.to_owned());
        Ok(())
    }

    /// The question box at frame `pos`: the last question at or before it,
    /// while its command is shown or its verdict is fresh (until the next
    /// question's frame).
    pub fn view(&self, pos: usize) -> Option<QuestionView> {
        let (index, q) = self
            .items
            .iter()
            .enumerate()
            .rev()
            .find(|(_, q)| q.frame <= pos)?;
        // The verdict stays a while after the command, then goes stale.
        let fresh = VERDICT_FRAMES_MIN.max(q.last_frame - q.frame);
        if pos > q.last_frame.saturating_add(fresh) {
            return None;
        }
        let answer = q.answer.to_string();
        let played = pos >= q.last_frame;
        let (open, status, right) = match (&q.given, played) {
            (None, false) => (pos == q.frame, None, None),
            (None, true) => (false, Some(tr(&Msg::AskSkipped { answer: &answer })), None),
            (Some(given), false) => (false, Some(tr(&Msg::AskGiven { given })), None),
            (Some(given), true) => {
                let right = q.answer.accepts(given);
                let status = if right {
                    tr(&Msg::AskRight { answer: &answer })
                } else {
                    tr(&Msg::AskWrong {
                        given,
                        answer: &answer,
                    })
                };
                (false, Some(status), Some(right))
            }
        };
        Some(QuestionView {
            index,
            text: super::i18n::asks::question_shown(&q.text),
            choices: q.choices.clone(),
            open,
            status,
            right,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::controller::{Action, Controller};
    use crate::model::lesson::find_chapter;
    use crate::model::setup::{Embed, Setup};

    /// A controller that plays (no reduced motion), on the chapter `slug`.
    fn playing_controller(slug: &str) -> Controller {
        Controller::new(
            Setup::from_fragment(&format!("ch={slug}")).unwrap(),
            Embed::default(),
            false,
        )
    }

    fn play_until_paused(c: &mut Controller) {
        let mut now = 0.0;
        for _ in 0..100_000 {
            if !c.playback.playing {
                return;
            }
            now += 50.0;
            c.apply(Action::Tick(now));
        }
        panic!("still playing");
    }

    #[test]
    fn a_scene_run_from_the_chapter_waits_at_its_first_command() {
        for (slug, index) in [("why-lsm", 0), ("bloom", 0), ("flush", 0), ("read-path", 1)] {
            let mut c = playing_controller(slug);
            let scene = SceneRef::new(find_chapter(slug).unwrap(), index).unwrap();
            c.apply(Action::RunScene(scene));
            assert!(!c.playback.playing, "{slug} plays at once");
            assert_eq!(c.views.frame.op, Some(0), "{slug}");
            assert_eq!(c.views.frame.event, Some(0), "{slug}");
        }
    }

    #[test]
    fn a_question_stops_the_player_and_is_checked_after_its_command() {
        let mut c = playing_controller("bloom");
        let scene = SceneRef::new(find_chapter("bloom").unwrap(), 0).unwrap();
        c.apply(Action::RunScene(scene));
        assert_eq!(c.questions.items.len(), 2);
        let first = c.questions.items.first().unwrap().clone();
        c.apply(Action::TogglePlay);
        play_until_paused(&mut c);
        assert_eq!(c.session.pos(), first.frame, "stopped at the question");
        let view = c.question().unwrap();
        assert!(view.open && view.status.is_none());
        assert_eq!(view.choices, ["maybe_present", "definitely_absent"]);
        assert_eq!(first.answer.to_string(), "definitely_absent");
        c.apply(Action::Answer(view.index, "maybe_present".to_owned()));
        assert!(c.playback.playing, "answering plays the command");
        let waiting = c.question().unwrap();
        assert!(!waiting.open && waiting.right.is_none());
        play_until_paused(&mut c);
        assert_eq!(c.session.pos(), first.last_frame, "stopped at the verdict");
        assert_eq!(c.question().unwrap().right, Some(false));
        c.apply(Action::TogglePlay);
        play_until_paused(&mut c);
        let second = c.questions.items.get(1).unwrap();
        assert_eq!(
            c.session.pos(),
            second.frame,
            "the next question stops again"
        );
        c.apply(Action::Seek(first.last_frame));
        let verdict = c.question().unwrap();
        assert_eq!(verdict.right, Some(false));
        assert!(verdict
            .status
            .unwrap()
            .contains("the trace says definitely_absent"));
    }

    #[test]
    fn a_number_question_refuses_words_and_accepts_the_count() {
        let mut c = playing_controller("read-path");
        let scene = SceneRef::new(find_chapter("read-path").unwrap(), 1).unwrap();
        c.apply(Action::RunScene(scene));
        let q = c.questions.items.first().unwrap().clone();
        assert_eq!(q.answer.to_string(), "4", "three L0 tables and one of L1");
        c.apply(Action::Seek(q.frame));
        c.apply(Action::Answer(0, "four".to_owned()));
        assert!(c.notice.as_ref().is_some_and(|n| n.error));
        assert!(c.question().unwrap().open, "still waiting");
        c.apply(Action::Answer(0, " 4 ".to_owned()));
        c.apply(Action::Seek(q.last_frame));
        assert_eq!(c.question().unwrap().right, Some(true));
    }

    #[test]
    fn stepping_past_a_question_reveals_its_answer() {
        let mut c = playing_controller("flush");
        let scene = SceneRef::new(find_chapter("flush").unwrap(), 0).unwrap();
        c.apply(Action::RunScene(scene));
        let q = c.questions.items.first().unwrap().clone();
        assert!(q.frame > 0);
        c.apply(Action::Seek(q.last_frame + 1));
        let view = c.question().unwrap();
        assert!(!view.open);
        assert!(view.status.unwrap().contains("it was 1"));
        let total = c.session.total_frames();
        c.apply(Action::Seek(total - 1));
        assert!(
            total - 1 > q.last_frame + VERDICT_FRAMES_MIN.max(q.last_frame - q.frame),
            "the scene goes on long enough"
        );
        assert!(c.question().is_none(), "a stale verdict is gone");
    }
}
