//! The compare page: its one reducer around the view-model's
//! `ComparePlayer`, the keyboard, the animation loop and the address bar;
//! the layout of the timeline, the differences and the sides.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::side::SideColumn;
use super::t;
use super::theory::TheoryPanel;
use super::timeline::CompareTimeline;
use crate::model::compare::player::{CompareAction, CompareFrame, ComparePlayer};
use crate::model::compare::presets::COMPARE_PRESETS;
use crate::model::compare::spec::CompareSpec;
use crate::model::controller::Action;
use crate::model::focus::Panel;
use crate::model::i18n::CompareText;
use crate::model::setup::{Embed, Setup};
use crate::ui::app::FrameLoop;
use crate::ui::{browser, Shared};

/// The page's state: the player (shared, mutable) and its frame.
pub struct CompareState {
    player: Option<Rc<RefCell<ComparePlayer>>>,
    frame: Option<Rc<CompareFrame>>,
    error: Option<String>,
}

impl CompareState {
    fn open(setup: &Setup) -> CompareState {
        match ComparePlayer::open(setup) {
            Ok(player) => CompareState {
                frame: Some(Rc::new(player.frame())),
                player: Some(Rc::new(RefCell::new(player))),
                error: None,
            },
            Err(e) => CompareState {
                player: None,
                frame: None,
                error: Some(e),
            },
        }
    }
}

impl PartialEq for CompareState {
    fn eq(&self, other: &Self) -> bool {
        self.frame == other.frame && self.error == other.error
    }
}

impl Reducible for CompareState {
    type Action = CompareAction;

    fn reduce(self: Rc<Self>, action: CompareAction) -> Rc<Self> {
        let Some(player) = self.player.clone() else {
            return self;
        };
        let Ok(mut p) = player.try_borrow_mut() else {
            return self;
        };
        let before = (p.comparison.done(), p.playing());
        let tick = matches!(action, CompareAction::Tick(_));
        p.apply(action);
        if tick && (p.comparison.done(), p.playing()) == before {
            return self;
        }
        let frame = p.frame();
        drop(p);
        if self.frame.as_deref() == Some(&frame) {
            return self;
        }
        Rc::new(CompareState {
            player: Some(player),
            frame: Some(Rc::new(frame)),
            error: None,
        })
    }
}

#[derive(Properties, PartialEq)]
pub struct ComparePageProps {
    /// What the page opened (its `compare` is set).
    pub setup: Setup,
    pub embed: Embed,
    /// The app's actions: leaving compare mode, another comparison.
    pub act: Callback<Action>,
}

/// Compare mode.
#[component]
pub fn ComparePage(props: &ComparePageProps) -> Html {
    let state = {
        let setup = props.setup.clone();
        use_reducer_eq(move || CompareState::open(&setup))
    };
    use_keyboard(
        state.dispatcher(),
        state.frame.as_ref().map_or(0, |f| f.ops),
    );
    use_frame_loop(&state);
    use_address(&state, props.act.clone());
    let embed = props.embed;
    let shows = |panel: Panel| !embed.enabled || embed.panels.shows(panel);
    let bar = (!embed.enabled).then(|| compare_bar(&props.setup, &props.act));
    let spec = props.setup.compare.clone().unwrap_or_default();
    let blurb = spec.preset.filter(|_| !embed.enabled).map(|p| {
        html! {
            <p class="blurb cmp-blurb">
                <strong>{ t(CompareText::PresetTitle { id: p.id }) }{ ": " }</strong>
                { t(CompareText::PresetBlurb { id: p.id }) }
            </p>
        }
    });
    let Some(frame) = state.frame.clone() else {
        let error = state.error.clone().unwrap_or_default();
        return html! {
            <div class="compare-page">
                { for bar }
                <div class="notice error" role="alert"><span>{ error }</span></div>
            </div>
        };
    };
    let act = Callback::from({
        let dispatcher = state.dispatcher();
        move |a: CompareAction| dispatcher.dispatch(a)
    });
    let timeline = (!embed.enabled || embed.controls).then(|| {
        html! {
            <CompareTimeline done={frame.done} ops={frame.ops} op_label={frame.op_label.clone()}
                playing={frame.playing} speed={frame.speed} act={act} />
        }
    });
    let stopped = frame.stopped.clone().map(
        |m| html! { <div class="notice error cmp-stopped" role="alert"><span>{ m }</span></div> },
    );
    let sides = frame.sides.len();
    html! {
        <div class="compare-page" data-sides={sides.to_string()}>
            { for bar }
            { for blurb }
            <div class="player-sticky cmp-sticky">{ for timeline }</div>
            { for stopped }
            if shows(Panel::Stats) {
                <section class="panel cmp-differences" aria-labelledby="cmp-diff-h">
                    <h2 id="cmp-diff-h">{ t(CompareText::Differences) }</h2>
                    <ul>{ for frame.differences.iter().map(|d| html! { <li>{ d.clone() }</li> }) }</ul>
                </section>
            }
            <div class="cmp-sides" style={format!("--sides:{sides}")}>
                { for frame.sides.iter().map(|s| html! {
                    <SideColumn key={s.letter.to_string()} side={s.clone()} structure={shows(Panel::Structure)} figures={shows(Panel::Stats)} />
                }) }
            </div>
            if shows(Panel::Stats) {
                <div class="cmp-sides cmp-theory" style={format!("--sides:{sides}")}>
                    { for frame.sides.iter().map(|s| html! {
                        <TheoryPanel key={s.letter.to_string()} id={s.letter.to_string()} theory={Shared(s.theory.clone())} sample={s.sample} />
                    }) }
                </div>
            }
        </div>
    }
}

/// The bar above a comparison: its heading, the comparison presets, and
/// the way back to one database.
fn compare_bar(setup: &Setup, act: &Callback<Action>) -> Html {
    let spec = setup.compare.clone().unwrap_or_default();
    let onchange = {
        let (act, setup) = (act.clone(), setup.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(spec) = CompareSpec::of_preset(&select.value()) {
                act.emit(Action::Open(Setup {
                    compare: Some(spec),
                    chapter: setup.chapter,
                    lang: setup.lang,
                    ..Setup::default()
                }));
            }
        })
    };
    let leave = {
        let (act, setup, spec) = (act.clone(), setup.clone(), spec.clone());
        Callback::from(move |_: MouseEvent| act.emit(Action::Open(spec.leave(&setup))))
    };
    let current = spec.preset.map(|p| p.id);
    html! {
        <div class="cmp-bar">
            <h2 class="cmp-heading">{ t(CompareText::Heading) }</h2>
            <label for="cmp-preset">{ t(CompareText::PresetsLabel) }</label>
            <select id="cmp-preset" {onchange}>
                <option value="" selected={current.is_none()}>{ "—" }</option>
                { for COMPARE_PRESETS.iter().map(|p| html! {
                    <option value={p.id} selected={current == Some(p.id)}>{ t(CompareText::PresetTitle { id: p.id }) }</option>
                }) }
            </select>
            <button type="button" class="cmp-leave" onclick={leave}>{ t(CompareText::Leave) }</button>
        </div>
    }
}

/// Ticks the player on every animation frame while it plays.
#[hook]
fn use_frame_loop(state: &UseReducerHandle<CompareState>) {
    let dispatcher = state.dispatcher();
    let playing = state.frame.as_ref().is_some_and(|f| f.playing);
    use_effect_with(playing, move |playing| {
        let running = playing.then(|| {
            FrameLoop::start(Rc::new(move |time| {
                dispatcher.dispatch(CompareAction::Tick(time))
            }))
        });
        move || drop(running)
    });
}

/// While paused, the address bar holds the cursor, and so does the app's
/// setup, which share links and embed code read.
#[hook]
fn use_address(state: &UseReducerHandle<CompareState>, app: Callback<Action>) {
    let player = state.player.clone();
    let key = state.frame.as_ref().map(|f| (f.done, f.playing));
    use_effect_with(key, move |key| {
        if let (Some(player), Some((_, false))) = (player, key) {
            if let Ok(p) = player.try_borrow() {
                browser::replace_fragment(&p.fragment());
                app.emit(Action::Open(p.setup.clone()));
            }
        }
    });
}

/// Space plays or pauses; ← and → step by one operation; Home and End.
#[hook]
fn use_keyboard(dispatcher: UseReducerDispatcher<CompareState>, ops: usize) {
    use_effect_with(ops, move |&ops| {
        let listener = browser::player_keys(move |event| {
            let action = match event.key().as_str() {
                " " => CompareAction::TogglePlay,
                "ArrowRight" => CompareAction::Step(1),
                "ArrowLeft" => CompareAction::Step(-1),
                "Home" => CompareAction::Seek(0),
                "End" => CompareAction::Seek(ops),
                _ => return false,
            };
            dispatcher.dispatch(action);
            true
        });
        move || drop(listener)
    });
}
