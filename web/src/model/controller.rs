//! The controller: every user action on the visualizer, in plain Rust.
//! The yew app wraps it in one reducer and draws what it holds.

use std::rc::Rc;

use strata_engine::trace::Trace;
use strata_tutorials::Chapter;

use super::asks::{QuestionView, Questions};
use super::focus::{panel_of, Panel};
use super::i18n::errors::{error, Error};
use super::i18n::localized::Localized;
use super::i18n::{tr, Lang, Msg};
use super::lesson::{in_language, SceneRef};
pub use super::notice::Notice;
use super::playback::{Playback, MAX_SPEED, MIN_SPEED, SPEEDS};
use super::presets::visualizer_options;
use super::script_text;
use super::session::Session;
use super::setup::{check_panel_value, overrides_for, Embed, Persistence, Setup};
use super::table_detail::TableDetail;
use super::tour::{tour_frames, TOUR, TOUR_PRESET};
use super::views::Views;

/// Seconds a command's new frames should take to play at most (the speed
/// goes up to fit).
const PLAY_NEW_FRAMES_SECONDS: f64 = 12.0;
/// Longest fragment written into the address bar.
pub const MAX_FRAGMENT_CHARS: usize = 64 << 10;

/// What the user can do (the asynchronous IndexedDB steps excepted, which
/// end in [`Action::Install`]).
pub enum Action {
    /// Show frame n.
    Seek(usize),
    /// Move by n frames.
    Step(isize),
    /// To the start of the next (+1) or this/previous (−1) operation.
    StepOp(isize),
    /// Play or pause.
    TogglePlay,
    /// Pause.
    Pause,
    /// An animation frame at this time (ms).
    Tick(f64),
    /// Faster.
    Faster,
    /// Slower.
    Slower,
    /// Set the speed (frames per second).
    SetSpeed(f64),
    /// Run command lines at the end of the log.
    Run(String),
    /// Start a preset (in memory).
    LoadPreset(String),
    /// Show a chapter beside the visualizer (`None`: close the panel).
    ShowChapter(Option<&'static Chapter>),
    /// Show the visualizer's text and the chapters in a language.
    SetLang(Lang),
    /// Load a tutorial scene into the visualizer (in memory).
    RunScene(SceneRef),
    /// Change an option: restart the scenario with it (in memory).
    SetOption(String, String),
    /// Back to the preset's options (in memory).
    ResetOptions,
    /// Import a trace (JSON) (in memory).
    Import(String),
    /// Open what a link describes (in memory).
    Open(Setup),
    /// Replace the session (after opening IndexedDB).
    Install(Box<Session>, Setup, Option<usize>),
    /// Show a message.
    Notify(Notice),
    /// Set the storage status line.
    Status(String),
    /// Let go of the current database (before IndexedDB is reopened).
    Detach,
    /// Move the current setup to memory.
    UseMemory,
    /// Hide the message.
    Dismiss,
    /// Answer question n of the scene (the choice or the number typed),
    /// then play its command.
    Answer(usize, String),
    /// Stop playing at the start of every compaction (or not).
    SetPauseBeforeCompaction(bool),
    /// Start the guided tour (over its preset).
    StartTour,
    /// The tour's next step (the last one ends it).
    TourNext,
    /// Leave the tour.
    EndTour,
    /// Show a table key by key (`None`: close the detail view).
    ShowTable(Option<u64>),
}

/// What the tour box shows.
#[derive(Clone, Debug, PartialEq)]
pub struct TourView {
    /// The step, from 0.
    pub step: usize,
    /// Steps in the tour.
    pub steps: usize,
    /// The step's sentence.
    pub say: String,
    /// The panel it points at.
    pub panel: Panel,
    /// Whether the player stands at the step's frame (otherwise it is on
    /// its way there).
    pub arrived: bool,
}

/// The visualizer's state.
pub struct Controller {
    /// The engine and its trace.
    pub session: Session,
    /// What reproduces it.
    pub setup: Setup,
    /// Play state.
    pub playback: Playback,
    /// The views at the frame shown.
    pub views: Rc<Views>,
    /// The message shown, if any.
    pub notice: Option<Notice>,
    /// Embedding settings.
    pub embed: Embed,
    /// The user prefers reduced motion: nothing plays by itself.
    /// The browser's language (`navigator.language`), shown when the link
    /// chooses none.
    pub browser_lang: Lang,
    pub reduced_motion: bool,
    /// Bumped whenever the session is replaced.
    pub revision: u64,
    /// The storage status ("saved in IndexedDB", …).
    pub status: String,
    /// The questions of the scene loaded.
    pub questions: Questions,
    /// Playing stops at the start of every compaction.
    pub pause_before_compaction: bool,
    /// The tour's step and the frame of each step, while it runs.
    tour: Option<(usize, Vec<usize>)>,
    /// The table shown key by key, if any.
    pub table: Option<Rc<TableDetail>>,
    /// Typed commands that ran without an error (the command box clears
    /// itself when this changes, and keeps a failed command to fix).
    pub commands_ok: u64,
}

impl Controller {
    /// A controller for `setup` (in memory), showing its frame.
    pub fn new(setup: Setup, embed: Embed, reduced_motion: bool) -> Controller {
        let (session, setup, focus, notice) = match build(&setup) {
            Ok((session, focus)) => (session, setup, focus, None),
            Err(e) => {
                let fallback = Setup::default();
                let session = Session::in_memory(visualizer_options())
                    .unwrap_or_else(|_| unreachable_session());
                (
                    session,
                    fallback,
                    None,
                    Some(Notice::error(error(&Error::CouldNotStart { error: &e }))),
                )
            }
        };
        let mut controller = Controller {
            views: session.views(),
            session,
            setup: Setup::default(),
            playback: Playback::range(embed.start.unwrap_or(0), embed.end, embed.looped),
            notice,
            embed,
            reduced_motion,
            browser_lang: Lang::En,
            revision: 0,
            status: String::new(),
            questions: Questions::default(),
            pause_before_compaction: false,
            tour: None,
            table: None,
            commands_ok: 0,
        };
        controller.install(setup, focus);
        if embed.autoplay && !reduced_motion {
            controller.toggle_play();
        }
        controller
    }

    /// Replaces the session, showing the setup's frame, the focus, or the
    /// end.
    fn install(&mut self, setup: Setup, focus: Option<usize>) {
        let pos = setup
            .pos
            .or(self.embed.start)
            .or(focus)
            .unwrap_or_else(|| self.session.total_frames().saturating_sub(1));
        self.setup = setup;
        self.playback.pause();
        self.revision += 1;
        self.tour = None;
        self.table = None;
        self.questions = match self.setup.scene {
            Some(scene) => Questions::of_scene(scene, &self.session).unwrap_or_else(|e| {
                self.notice = Some(Notice::error(e));
                Questions::default()
            }),
            None => Questions::default(),
        };
        self.seek(pos);
    }

    /// The question box at the frame shown, if the scene asks one.
    pub fn question(&self) -> Option<QuestionView> {
        self.questions.view(self.session.pos())
    }

    /// The tour box, while the tour runs.
    pub fn tour_view(&self) -> Option<TourView> {
        let (step, frames) = self.tour.as_ref()?;
        let at = TOUR.get(*step)?;
        Some(TourView {
            step: *step,
            steps: TOUR.len(),
            say: tr(&at.say),
            panel: at.panel,
            arrived: frames.get(*step) == Some(&self.session.pos()),
        })
    }

    /// The panel to highlight: the tour step's, or the one the current
    /// event changes.
    pub fn focus_panel(&self) -> Option<Panel> {
        match self.tour_view() {
            Some(t) => Some(t.panel),
            None => panel_of(&self.views.frame.event_kind),
        }
    }

    fn start_tour(&mut self) {
        self.rebuild(Setup::of_preset(TOUR_PRESET).unwrap_or_default(), None);
        let frames: Vec<usize> = tour_frames(&self.session).into_iter().flatten().collect();
        if let Some(first) = frames.first().copied() {
            self.seek(first);
            self.tour = Some((0, frames));
        }
    }

    fn tour_next(&mut self) {
        let Some((step, frames)) = self.tour.as_mut() else {
            return;
        };
        let next = *step + 1;
        match frames.get(next).copied() {
            Some(frame) => {
                *step = next;
                if frame > self.session.pos() {
                    if !self.playback.playing {
                        self.toggle_play();
                    }
                } else {
                    self.seek(frame);
                }
            }
            None => self.tour = None,
        }
    }

    /// Where playing from `pos` to `next` must stop first: an unanswered
    /// question, the tour's next step, or (when asked for) the start of a
    /// compaction.
    fn stop_between(&self, pos: usize, next: usize) -> Option<(usize, bool)> {
        let tour = self
            .tour
            .as_ref()
            .and_then(|(step, frames)| frames.get(*step).copied())
            .filter(|f| *f > pos && *f <= next);
        let question = self
            .questions
            .stop_between(pos, next)
            .into_iter()
            .chain(tour)
            .min()
            .map(|f| (f, false));
        let compaction = self
            .pause_before_compaction
            .then(|| {
                self.session
                    .compaction_ops()
                    .iter()
                    .map(|op| self.session.first_frame_of_op(*op))
                    .find(|f| *f > pos && *f <= next)
            })
            .flatten()
            .map(|f| (f, true));
        match (question, compaction) {
            (Some(q), Some(c)) => Some(if c.0 < q.0 { c } else { q }),
            (q, c) => q.or(c),
        }
    }

    fn seek(&mut self, pos: usize) {
        self.views = self.session.seek(pos);
        self.setup.pos = Some(self.session.pos());
        if let Some(problem) = self.session.take_problem() {
            self.notice = Some(Notice::error(problem));
        }
    }

    fn toggle_play(&mut self) {
        if self.playback.playing {
            self.playback.pause();
        } else if let Some(pos) = self
            .playback
            .play(self.session.pos(), self.session.total_frames())
        {
            self.seek(pos);
        }
    }

    /// The language chosen (in the link or the top bar), if any.
    pub fn lang_chosen(&self) -> Option<Lang> {
        self.setup.lang
    }

    /// The language shown: the one chosen, or else the browser's.
    pub fn lang(&self) -> Lang {
        self.setup.lang.unwrap_or(self.browser_lang)
    }

    /// The chapter shown beside the visualizer, in the language shown.
    pub fn chapter_shown(&self) -> Option<&'static Chapter> {
        self.setup.chapter.map(|c| in_language(c, self.lang()))
    }

    /// The fragment for the address bar, if it is not too long.
    pub fn fragment(&self) -> Option<String> {
        Some(self.setup.to_fragment()).filter(|f| f.len() <= MAX_FRAGMENT_CHARS)
    }

    /// The setup an action would rebuild with, for the asynchronous
    /// (IndexedDB) path; `None` for actions that do not rebuild.
    pub fn next_setup(&self, action: &Action) -> Option<Result<Setup, String>> {
        match action {
            Action::LoadPreset(id) => Some(
                Setup::of_preset(id)
                    .ok_or_else(|| error(&Error::NoScenario { id }))
                    .map(|s| Setup {
                        persistence: self.setup.persistence,
                        chapter: self.setup.chapter,
                        lang: self.setup.lang,
                        ..s
                    }),
            ),
            Action::RunScene(scene) => {
                // Scenes are the same in both editions: the English one
                // is the one links name.
                let scene = SceneRef {
                    chapter: in_language(scene.chapter, Lang::En),
                    ..*scene
                };
                let setup = Setup {
                    scene: Some(scene),
                    chapter: Some(scene.chapter),
                    persistence: self.setup.persistence,
                    lang: self.setup.lang,
                    // A `# compare:` scene opens in compare mode.
                    compare: super::compare::spec::CompareSpec::of_scene(scene),
                    ..Setup::default()
                };
                Some(setup.options().map(|_| setup))
            }
            Action::SetOption(name, value) => {
                if let Err(e) = check_panel_value(name, value) {
                    return Some(Err(e));
                }
                let mut setup = self.setup.clone();
                setup.set_override(name, value);
                setup.pos = None;
                Some(setup.options().map(|_| setup))
            }
            Action::ResetOptions => Some(Ok(Setup {
                overrides: Vec::new(),
                pos: None,
                ..self.setup.clone()
            })),
            Action::Import(text) => Some(import_setup(text, self.setup.persistence).map(
                |(setup, _)| Setup {
                    chapter: self.setup.chapter,
                    lang: self.setup.lang,
                    ..setup
                },
            )),
            _ => None,
        }
    }

    /// Does `action`.
    pub fn apply(&mut self, action: Action) {
        let lang = self.lang();
        super::i18n::show_in(lang);
        self.apply_in_language(action);
        if self.lang() != lang {
            self.show_language();
        }
    }

    /// Shows the page in the language chosen from now on and words the
    /// current frame (narration, labels) in it again. The link stays as it
    /// was: a link without a frame number does not get one.
    pub fn show_language(&mut self) {
        super::i18n::show_in(self.lang());
        let pos = self.setup.pos;
        self.seek(self.session.pos());
        self.setup.pos = pos;
    }

    fn apply_in_language(&mut self, action: Action) {
        let total = self.session.total_frames();
        let pos = self.session.pos();
        match action {
            Action::Seek(p) => self.seek(p),
            Action::Step(d) => {
                self.playback.pause();
                self.seek(pos.saturating_add_signed(d));
            }
            Action::StepOp(d) => {
                self.playback.pause();
                self.seek(self.op_step(pos, d));
            }
            Action::TogglePlay => self.toggle_play(),
            Action::Pause => self.playback.pause(),
            Action::Tick(now) => {
                if let Some(next) = self.playback.tick(now, pos, total) {
                    match self.stop_between(pos, next) {
                        Some((stop, compaction)) => {
                            self.playback.pause();
                            self.questions.stopped_at(stop);
                            self.seek(stop);
                            if compaction {
                                self.notice = Some(Notice::info(Localized::new(|lang| {
                                    super::i18n::text(lang, &Msg::PausedBeforeCompaction)
                                })));
                            }
                        }
                        None => self.seek(next),
                    }
                }
            }
            Action::Answer(index, given) => match self.questions.give(index, &given) {
                Ok(()) => {
                    if !self.playback.playing {
                        self.toggle_play();
                    }
                }
                Err(e) => self.notice = Some(Notice::error(e)),
            },
            Action::SetPauseBeforeCompaction(on) => self.pause_before_compaction = on,
            Action::StartTour => self.start_tour(),
            Action::TourNext => self.tour_next(),
            Action::EndTour => self.tour = None,
            Action::ShowTable(None) => self.table = None,
            Action::ShowTable(Some(file)) => match self.session.table_detail(file) {
                Ok(detail) => self.table = Some(Rc::new(detail)),
                Err(e) => self.notice = Some(Notice::error(e)),
            },
            Action::Faster => self.playback.faster(),
            Action::Slower => self.playback.slower(),
            Action::SetSpeed(s) => self.playback.speed = s.clamp(MIN_SPEED, MAX_SPEED),
            Action::Run(text) => self.run(&text),
            Action::Notify(n) => self.notice = Some(n),
            Action::Dismiss => self.notice = None,
            Action::Status(s) => self.status = s,
            Action::ShowChapter(chapter) => {
                self.setup.chapter = chapter.map(|c| in_language(c, Lang::En))
            }
            Action::SetLang(lang) => self.setup.lang = Some(lang),
            Action::Open(setup) => self.open(setup),
            Action::UseMemory => {
                let setup = Setup {
                    pos: None,
                    ..self.setup.clone()
                };
                self.rebuild(setup, None);
                self.status = String::new();
            }
            Action::Detach => {
                self.playback.pause();
                if let Ok(empty) = Session::in_memory(visualizer_options()) {
                    self.session = empty;
                    self.revision += 1;
                    self.views = self.session.views();
                }
                self.status = tr(&Msg::SaveOpening);
            }
            Action::Install(session, setup, focus) => {
                self.session = *session;
                self.install(setup, focus);
            }
            Action::Import(ref text) => match import_setup(text, Persistence::Memory) {
                Ok((setup, trace)) => {
                    let setup = Setup {
                        chapter: self.setup.chapter,
                        lang: self.setup.lang,
                        ..setup
                    };
                    self.rebuild(setup, Some(trace))
                }
                Err(e) => {
                    self.notice = Some(Notice::error(error(&Error::CouldNotImport { error: &e })))
                }
            },
            other => match self.next_setup(&other) {
                Some(Ok(setup)) => self.rebuild(setup, None),
                Some(Err(e)) => self.notice = Some(Notice::error(e)),
                None => {}
            },
        }
    }

    fn op_step(&self, pos: usize, d: isize) -> usize {
        let frame = self.session.frame(pos);
        let op = frame.op();
        match (op, d >= 0) {
            (None, true) => self.session.first_frame_of_op(0),
            (None, false) => 0,
            (Some(op), true) => self.session.first_frame_of_op(op + 1),
            (Some(op), false) => {
                let start = self.session.first_frame_of_op(op);
                if pos > start || op == 0 {
                    start
                } else {
                    self.session.first_frame_of_op(op - 1)
                }
            }
        }
    }

    /// Rebuilds in memory from `setup`; with `trace`, checks the replay
    /// against the imported events.
    fn rebuild(&mut self, setup: Setup, trace: Option<Trace>) {
        let setup = Setup {
            persistence: Persistence::Memory,
            ..setup
        };
        match build(&setup) {
            Ok((session, focus)) => {
                let differs = trace.is_some_and(|t| {
                    t.steps.iter().map(|s| &s.events).ne(session
                        .trace()
                        .steps
                        .iter()
                        .map(|s| &s.events))
                });
                self.session = session;
                self.notice = differs.then(|| {
                    Notice::info(Localized::new(|lang| {
                        super::i18n::errors::text(lang, &Error::ImportedDiffers)
                    }))
                });
                let scripted = setup.preset.is_some() || setup.scene.is_some();
                let start_at_focus = focus
                    .or(Some(0))
                    .filter(|_| scripted || !setup.commands.is_empty());
                // A scene or preset waits at its first command, whatever
                // opened it: predict, then play.
                self.install(setup, start_at_focus);
                if self.setup.scene.is_some() {
                    let total = self.session.total_frames();
                    self.fit_speed(total.saturating_sub(self.session.pos()));
                }
            }
            Err(e) => self.notice = Some(Notice::error(e)),
        }
    }

    fn run(&mut self, text: &str) {
        let mut first = None;
        let mut new_frames = 0;
        // A message from an earlier command is stale once another runs.
        if self.notice.as_ref().is_some_and(|n| n.error) {
            self.notice = None;
        }
        let mut failed = false;
        for line in text.lines() {
            match self.session.run_localized(line) {
                Ok(report) => {
                    if !line.trim().is_empty() && !line.trim().starts_with('#') {
                        self.setup.commands.push(line.trim().to_owned());
                    }
                    first = first.or(report.first_frame);
                    new_frames =
                        self.session.total_frames() - first.unwrap_or(self.session.total_frames());
                    if let Some(f) = report.failures.first() {
                        self.notice = Some(Notice::error(format!("{}: {f}", line.trim())));
                        failed = true;
                    }
                }
                Err(e) => {
                    let line = line.trim();
                    self.notice = Some(Notice::error(e.map(|_, e| format!("{line}: {e}"))));
                    failed = true;
                    break;
                }
            }
        }
        if !failed {
            self.commands_ok += 1;
        }
        if let Some(first) = first {
            self.seek(first);
            self.fit_speed(new_frames);
            if !self.reduced_motion {
                self.playback
                    .play(self.session.pos(), self.session.total_frames());
            }
        }
    }
}

impl Controller {
    /// Whether `setup` shows this session (it differs at most in the
    /// chapter shown, the language, the frame and a comparison's cursor).
    pub fn keeps_session(&self, setup: &Setup) -> bool {
        let session_part = |s: &Setup| Setup {
            chapter: None,
            pos: None,
            lang: None,
            compare: s.compare.clone().map(|c| c.without_cursor()),
            ..s.clone()
        };
        session_part(setup) == session_part(&self.setup)
    }

    /// Opens what a link describes: a link that differs only in the
    /// chapter shown or the frame (back and forward between chapters)
    /// keeps the session; any other is rebuilt.
    fn open(&mut self, setup: Setup) {
        if self.keeps_session(&setup) {
            self.setup.chapter = setup.chapter;
            self.setup.lang = setup.lang;
            // Compare mode's page moves its own cursor; links carry it.
            self.setup.compare = setup.compare;
            if let Some(pos) = setup.pos.filter(|p| *p != self.session.pos()) {
                self.playback.pause();
                self.seek(pos);
            }
        } else {
            self.rebuild(setup, None);
        }
    }

    /// Raises the speed so that `new_frames` play within
    /// [`PLAY_NEW_FRAMES_SECONDS`].
    fn fit_speed(&mut self, new_frames: usize) {
        let wanted = new_frames as f64 / PLAY_NEW_FRAMES_SECONDS;
        if wanted > self.playback.speed {
            self.playback.speed = SPEEDS
                .iter()
                .copied()
                .find(|s| *s >= wanted)
                .unwrap_or(MAX_SPEED);
        }
    }
}

/// A session for `setup` in memory, and its focus frame.
pub fn build(setup: &Setup) -> Result<(Session, Option<usize>), String> {
    let mut session = Session::in_memory(setup.options()?)?;
    let focus = setup.run(&mut session)?;
    Ok((session, focus))
}

/// The setup that replays an imported trace: its options as overrides,
/// its operations as command lines.
pub fn import_setup(text: &str, persistence: Persistence) -> Result<(Setup, Trace), String> {
    let trace = Trace::from_json(text)?;
    let mut setup = Setup {
        persistence,
        overrides: overrides_for(&trace.options),
        as_recorded: true,
        ..Setup::default()
    };
    setup.commands = trace.ops().map(script_text::line).collect();
    setup.options()?;
    Ok((setup, trace))
}

#[expect(
    clippy::panic,
    reason = "the default options are valid; a test checks it"
)]
fn unreachable_session() -> Session {
    panic!("the visualizer's default options do not open")
}

#[cfg(test)]
#[path = "controller_tests.rs"]
pub(crate) mod tests;
