//! The app: layout, the reducer, keyboard, the animation loop and the
//! address bar.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::bloom::BloomPanel;
use super::browser;
use super::chapter::{ChapterPanel, ChapterToggle};
use super::compaction::CompactionPanel;
use super::compare::{CompareEntry, ComparePage, TheoryPanel};
use super::console::{CommandBar, Console};
use super::glossary::{Glossary, OpenGlossary};
use super::legend::Legend;
use super::options::OptionsPanel;
use super::persist::{self, Handles};
use super::player::Player;
use super::question::QuestionBox;
use super::read_path::ReadPathPanel;
use super::scan::ScanPanel;
use super::share::{ImportExport, SharePanel};
use super::stats::StatsPanel;
use super::structure::StructurePanel;
use super::table_detail::TableDetailPanel;
use super::timeline::{Narration, Timeline};
use super::tour::{TourBox, TourOffer};
use super::Shared;
use crate::model::controller::{Action, Controller, Notice};
use crate::model::embed::scene_title;
use crate::model::focus::Panel;
use crate::model::glossary::Term;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::{tr, Lang, Msg};
use crate::model::presets::PRESETS;
use crate::model::saving::Saver;
use crate::model::setup::{Embed, Persistence, Setup};
use crate::model::theory::theory_view;

/// The controller the page starts with, from its address.
fn initial_controller() -> Controller {
    let (query, fragment) = browser::location_parts();
    // Until the link is read, notices follow the browser's language.
    crate::model::i18n::show_in(browser::preferred_lang());
    let mut notices = Vec::new();
    let embed = Embed::from_query(&query).unwrap_or_else(|e| {
        notices.push(ui(&Ui::IgnoredQuery {
            error: &e.to_string(),
        }));
        Embed::default()
    });
    let setup = if fragment.is_empty() {
        Setup::of_preset("first-flush").unwrap_or_default()
    } else {
        Setup::from_fragment(&fragment).unwrap_or_else(|e| {
            notices.push(ui(&Ui::LinkUnreadableFallback {
                error: &e.to_string(),
            }));
            Setup::of_preset("first-flush").unwrap_or_default()
        })
    };
    // IndexedDB opens asynchronously; start empty and let it install.
    let start = match setup.persistence {
        Persistence::IndexedDb => Setup {
            persistence: Persistence::IndexedDb,
            overrides: setup.overrides.clone(),
            ..Setup::default()
        },
        Persistence::Memory => setup,
    };
    let mut controller = Controller::new(start, embed, browser::prefers_reduced_motion());
    controller.browser_lang = browser::preferred_lang();
    controller.show_language();
    if let Some(text) = notices.into_iter().reduce(|a, b| format!("{a} {b}")) {
        controller.apply(Action::Notify(Notice::error(text)));
    }
    controller
}

thread_local! {
    /// Milliseconds each animation frame spent in the app (the last 1024).
    static FRAME_WORK_MS: RefCell<std::collections::VecDeque<f64>> = const { RefCell::new(std::collections::VecDeque::new()) };
}

/// The time the app spent in each of the last animation frames while
/// playing, in milliseconds (for the browser test and for profiling:
/// `wasmBindings.frame_work_ms()`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn frame_work_ms() -> Vec<f64> {
    FRAME_WORK_MS.with(|w| w.borrow().iter().copied().collect())
}

fn now_ms() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

/// Runs `tick` on every animation frame until dropped (compare mode's
/// page runs one too, measured alike).
pub(crate) struct FrameLoop {
    alive: Rc<Cell<bool>>,
    frame: Rc<RefCell<Option<AnimationFrame>>>,
}

impl FrameLoop {
    pub(crate) fn start(tick: Rc<dyn Fn(f64)>) -> Self {
        let alive = Rc::new(Cell::new(true));
        let frame = Rc::new(RefCell::new(None));
        schedule(alive.clone(), frame.clone(), tick);
        Self { alive, frame }
    }
}

fn schedule(
    alive: Rc<Cell<bool>>,
    slot: Rc<RefCell<Option<AnimationFrame>>>,
    tick: Rc<dyn Fn(f64)>,
) {
    let next_slot = slot.clone();
    let handle = request_animation_frame(move |time| {
        if !alive.get() {
            return;
        }
        let started = now_ms();
        tick(time);
        let spent = now_ms() - started;
        FRAME_WORK_MS.with(|w| {
            let mut w = w.borrow_mut();
            if w.len() >= 1024 {
                w.pop_front();
            }
            w.push_back(spent);
        });
        if alive.get() {
            schedule(alive, next_slot, tick);
        }
    });
    *slot.borrow_mut() = Some(handle);
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        self.alive.set(false);
        self.frame.borrow_mut().take();
    }
}

/// The visualizer.
#[component]
pub fn App() -> Html {
    let player = use_reducer(|| Player::new(initial_controller()));
    let idb = Handles {
        idb: use_mut_ref(|| None),
        saver: use_mut_ref(Saver::new),
    };
    let snap = player.snap.clone();
    let glossary = use_state(|| None::<Option<Term>>);
    let open_glossary: OpenGlossary = {
        let glossary = glossary.clone();
        Callback::from(move |term: Option<Term>| glossary.set(Some(term)))
    };
    let offer = use_state(|| !snap.embed.enabled && browser::first_visit());

    // Every action goes through here: on IndexedDB, the ones that rebuild
    // the database reopen it asynchronously.
    let act: Callback<Action> = {
        let dispatcher = player.dispatcher();
        let controller = player.controller.clone();
        let idb = idb.clone();
        Callback::from(move |action: Action| {
            let (persistence, next) = match controller.try_borrow() {
                Ok(c) => (c.setup.persistence, c.next_setup(&action)),
                Err(_) => return,
            };
            if persistence == Persistence::IndexedDb {
                match next {
                    Some(Ok(setup)) => {
                        return persist::open(setup, true, idb.clone(), dispatcher.clone())
                    }
                    Some(Err(e)) => return dispatcher.dispatch(Action::Notify(Notice::error(e))),
                    None => {}
                }
            }
            let ran = matches!(action, Action::Run(_));
            if ran && persistence == Persistence::IndexedDb {
                if let Err(stopped) = idb.writes_allowed() {
                    return dispatcher.dispatch(Action::Notify(Notice::error(stopped)));
                }
            }
            dispatcher.dispatch(action);
            if ran && persistence == Persistence::IndexedDb {
                persist::report_saved(&idb, dispatcher.clone());
            }
        })
    };

    let set_persistence: Callback<Persistence> = {
        let dispatcher = player.dispatcher();
        let controller = player.controller.clone();
        let idb = idb.clone();
        Callback::from(move |p: Persistence| {
            let Ok(setup) = controller.try_borrow().map(|c| c.setup.clone()) else {
                return;
            };
            match p {
                Persistence::IndexedDb => persist::open(
                    Setup { pos: None, ..setup },
                    true,
                    idb.clone(),
                    dispatcher.clone(),
                ),
                Persistence::Memory => {
                    idb.detach();
                    dispatcher.dispatch(Action::UseMemory);
                }
            }
        })
    };

    // Opening on IndexedDB.
    {
        let controller = player.controller.clone();
        let dispatcher = player.dispatcher();
        let idb = idb.clone();
        use_effect_with((), move |_| {
            let persistence = controller.try_borrow().map(|c| c.setup.persistence).ok();
            if persistence == Some(Persistence::IndexedDb) {
                // The address still holds what the page was opened with.
                let setup = Setup::from_fragment(&browser::location_parts().1).unwrap_or_default();
                persist::open(setup, false, idb, dispatcher);
            }
        });
    }

    // Keyboard: space, ←/→ (with shift: by operation), +/−, Home/End.
    {
        let dispatcher = player.dispatcher();
        let controller = player.controller.clone();
        use_effect_with((), move |_| {
            let listener = browser::player_keys(move |event| {
                // Compare mode's page has keys of its own.
                let comparing = controller
                    .try_borrow()
                    .is_ok_and(|c| c.setup.compare.is_some());
                if comparing {
                    return false;
                }
                let total = controller
                    .try_borrow()
                    .map(|c| c.session.total_frames())
                    .unwrap_or(0);
                let action = match event.key().as_str() {
                    " " => Action::TogglePlay,
                    "ArrowRight" if event.shift_key() => Action::StepOp(1),
                    "ArrowLeft" if event.shift_key() => Action::StepOp(-1),
                    "ArrowRight" => Action::Step(1),
                    "ArrowLeft" => Action::Step(-1),
                    "+" | "=" => Action::Faster,
                    "-" | "_" => Action::Slower,
                    "Home" => Action::Seek(0),
                    "End" => Action::Seek(total.saturating_sub(1)),
                    _ => return false,
                };
                dispatcher.dispatch(action);
                true
            });
            move || drop(listener)
        });
    }

    // A link edited in the address bar (or opened by a link on the page)
    // opens what it describes.
    {
        let controller = player.controller.clone();
        let dispatcher = player.dispatcher();
        let idb = idb.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let fragment = browser::location_parts().1;
                let ours = controller.try_borrow().ok().and_then(|c| c.fragment());
                if ours.as_deref() == Some(fragment.as_str()) {
                    return;
                }
                let keeps = |setup: &Setup| {
                    controller
                        .try_borrow()
                        .is_ok_and(|c| c.keeps_session(setup))
                };
                match Setup::from_fragment(&fragment) {
                    // Back and forward between chapters: no reopening.
                    Ok(setup) if keeps(&setup) => dispatcher.dispatch(Action::Open(setup)),
                    Ok(setup) if setup.persistence == Persistence::IndexedDb => {
                        persist::open(setup, false, idb.clone(), dispatcher.clone());
                    }
                    Ok(setup) => dispatcher.dispatch(Action::Open(setup)),
                    Err(e) => dispatcher.dispatch(Action::Notify(Notice::error(ui(
                        &Ui::LinkUnreadable {
                            error: &e.to_string(),
                        },
                    )))),
                }
            });
            move || drop(listener)
        });
    }

    // The animation loop, while playing.
    {
        let dispatcher = player.dispatcher();
        use_effect_with(snap.playing, move |playing| {
            let running = playing.then(|| {
                FrameLoop::start(Rc::new(move |time| dispatcher.dispatch(Action::Tick(time))))
            });
            move || drop(running)
        });
    }

    // The address bar holds what reproduces the view (while paused). A
    // move to another chapter is a new history entry, so that Back
    // returns to the chapter before.
    {
        let controller = player.controller.clone();
        let chapter_in_address = use_mut_ref(|| snap.chapter.map(|c| c.slug));
        let key = (
            snap.views.frame.pos,
            snap.revision,
            snap.commands,
            snap.playing,
            snap.persistence,
            snap.overridden,
            snap.chapter.map(|c| c.slug),
            snap.lang,
        );
        let comparing = snap.compare.is_some();
        use_effect_with(key, move |(_, _, _, playing, _, _, chapter, _)| {
            // Compare mode's page keeps the address itself.
            if comparing {
                return;
            }
            let chapter_moved = *chapter_in_address.borrow() != *chapter;
            if !*playing || chapter_moved {
                if let Some(fragment) = controller.try_borrow().ok().and_then(|c| c.fragment()) {
                    if chapter_moved {
                        browser::push_fragment(&fragment);
                    } else {
                        browser::replace_fragment(&fragment);
                    }
                    *chapter_in_address.borrow_mut() = *chapter;
                }
            }
        });
    }

    // The panel of the current event (or tour step) is highlighted and,
    // when it changes, brought into view. A scan takes the read path's
    // place with a panel of its own, which is highlighted afresh.
    use_effect_with(
        (snap.focus.map(|p| p.id()), snap.views.scan.started),
        |(focus, _)| browser::highlight_panel(*focus),
    );

    // The page's title names what it shows (an embed's too).
    use_effect_with(snap.title.clone(), |title| {
        gloo::utils::document().set_title(title)
    });

    let views = &snap.views;
    let embed = snap.embed;
    let shows = |panel: Panel| !embed.enabled || embed.panels.shows(panel);
    let show_controls = !embed.enabled || embed.controls;
    let dismiss = {
        let act = act.clone();
        Callback::from(move |_| act.emit(Action::Dismiss))
    };
    let notice = snap.notice.as_ref().map(|n| {
        html! {
            <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}>
                <span>{ n.text.shown().to_owned() }</span>
                <button type="button" class="dismiss" aria-label={tr(&Msg::DismissMessage)} onclick={dismiss}>{ "×" }</button>
            </div>
        }
    });
    let note = snap.blurb_note.clone().unwrap_or_default();
    let preset_blurb = snap
        .preset
        .and_then(|id| PRESETS.iter().find(|p| p.id == id))
        .map(|p| html! { <p class="blurb"><strong>{ p.title_shown() }{ ui(&Ui::Colon) }</strong>{ p.blurb_shown() }{ note.clone() }</p> })
        .or_else(|| {
            snap.scene.map(|s| {
                html! {
                    <p class="blurb scene-blurb">
                        <strong>{ scene_title(&Setup { scene: Some(s), ..Setup::default() }) }</strong>
                        { tr(&Msg::SceneBlurb) }{ note.clone() }
                    </p>
                }
            })
        });

    let start_tour = {
        let (act, offer) = (act.clone(), offer.clone());
        Callback::from(move |_: MouseEvent| {
            browser::remember_visit();
            offer.set(false);
            act.emit(Action::StartTour);
        })
    };
    let decline_tour = {
        let offer = offer.clone();
        Callback::from(move |_: MouseEvent| {
            browser::remember_visit();
            offer.set(false);
        })
    };
    let show_glossary = {
        let open = open_glossary.clone();
        Callback::from(move |_: MouseEvent| open.emit(None))
    };
    let close_glossary = {
        let glossary = glossary.clone();
        Callback::from(move |_: MouseEvent| glossary.set(None))
    };
    // A click on a table opens it key by key.
    let open_table = {
        let act = act.clone();
        Callback::from(move |e: MouseEvent| {
            let file = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest(".sst[data-file]").ok().flatten())
                .and_then(|el| el.get_attribute("data-file"))
                .and_then(|f| f.parse::<u64>().ok());
            if let Some(file) = file {
                act.emit(Action::ShowTable(Some(file)));
            }
        })
    };
    let table_panel = snap
        .table
        .clone()
        .map(|d| html! { <TableDetailPanel detail={d.0.clone()} read={Shared(views.read.clone())} act={act.clone()} /> });
    let guide = match (&snap.tour, *offer) {
        (Some(t), _) => Some(html! { <TourBox tour={t.clone()} act={act.clone()} /> }),
        (None, true) => {
            Some(html! { <TourOffer start={start_tour.clone()} decline={decline_tour} /> })
        }
        (None, false) => None,
    };
    let glossary_panel = (*glossary)
        .filter(|_| !embed.enabled)
        .map(|term| html! { <Glossary {term} close={close_glossary} /> });
    // Optional parts sit in containers that are always there, so that a
    // message appearing never shifts (and remounts) the components after
    // it.
    let header = (!embed.enabled).then(|| {
        html! {
            <header class="top">
                <div class="brand">
                    <h1>{ "Strata" }</h1>
                    <p class="tagline">{ tr(&Msg::Tagline) }</p>
                </div>
                <button type="button" class="start-here" onclick={start_tour.clone()}>{ tr(&Msg::StartHere) }</button>
                <button type="button" class="glossary-open" onclick={show_glossary}>{ tr(&Msg::GlossaryOpen) }</button>
                <ChapterToggle open={snap.chapter} reopen={snap.scene.map(|s| s.chapter)} act={act.clone()} />
                <PresetPicker entry={snap.menu_entry.clone()} act={act.clone()} />
                <CompareEntry setup={snap.compare.clone().unwrap_or_else(|| player.controller.try_borrow().map(|c| c.setup.clone()).unwrap_or_default())} act={act.clone()} />
                <LangSwitch lang={snap.lang} act={act.clone()} />
                <SharePanel controller={Shared(player.controller.clone())} revision={snap.revision} act={act.clone()} />
            </header>
        }
    });
    let side = (!embed.enabled && snap.compare.is_none()).then(|| {
        html! {
            <aside class="side">
                <Console act={act.clone()} pause_before_compaction={snap.pause_before_compaction} commands_ok={snap.commands_ok} />
                <OptionsPanel options={snap.options.clone()} persistence={snap.persistence} status={snap.status.clone()}
                    overridden={snap.overridden} act={act.clone()} set_persistence={set_persistence.clone()} />
                <ImportExport controller={Shared(player.controller.clone())} act={act.clone()} />
            </aside>
        }
    });
    let chapter = snap.chapter.filter(|_| !embed.enabled).map(|c| {
        html! { <ChapterPanel chapter={c} scene={snap.scene} act={act.clone()} /> }
    });
    let reading = chapter.is_some();
    let timeline = show_controls.then(|| {
        html! { <Timeline frame={views.frame.clone()} playing={snap.playing} speed={snap.speed} act={act.clone()} /> }
    });
    let question = snap
        .question
        .clone()
        .map(|q| html! { <QuestionBox question={q} act={act.clone()} /> });
    // Components draw their text with `tr` in the language shown; a new
    // language redraws them all (the key replaces the whole tree).
    html! {
        <ContextProvider<OpenGlossary> context={open_glossary}>
        <div key={snap.lang.code()} lang={snap.lang.code()} class={classes!("app", embed.enabled.then_some("embedded"), reading.then_some("reading"), snap.scene.is_some().then_some("scene-loaded"))}>
            <div class="top-slot">{ for header }</div>
            <div class="notice-slot">{ for notice }</div>
            <div class="layout">
                <div class="chapter-slot">{ for chapter }</div>
                <div class="side-slot">{ for side }</div>
                if let Some(setup) = snap.compare.clone() {
                <main class="stage compare-stage">
                    <ComparePage key={snap.revision.to_string()} {setup} {embed} act={act.clone()} />
                </main>
                } else {
                <main class="stage">
                    <div class="blurb-slot">{ for preset_blurb.filter(|_| !embed.enabled) }</div>
                    <div class="player-sticky">
                        <div class="timeline-slot">{ for timeline }</div>
                        <Narration frame={views.frame.clone()} playing={snap.playing} speed={snap.speed} />
                        <div class="question-slot">{ for question }{ for guide }</div>
                        if reading {
                            <CommandBar act={act.clone()} commands_ok={snap.commands_ok} />
                        }
                    </div>
                    if shows(Panel::Structure) {
                    <div class="structure-slot" onclick={open_table}>
                    <StructurePanel
                        wal={Shared(views.structure.wal.clone())}
                        memtable={Shared(views.structure.memtable.clone())}
                        immutable={views.structure.immutable.clone()}
                        levels={Shared(views.structure.levels.clone())}
                        activity={Shared(views.structure.activity.clone())} />
                    { for table_panel }
                    </div>
                    }
                    <div class="panels" tabindex="0" role="region" aria-label={tr(&Msg::PanelsRegion)}>
                        if shows(Panel::ReadPath) {
                            if views.scan.started { <ScanPanel scan={Shared(views.scan.clone())} /> }
                            else { <ReadPathPanel read={Shared(views.read.clone())} /> }
                        }
                        if shows(Panel::Bloom) { <BloomPanel bloom={Shared(views.bloom.clone())} /> }
                        if shows(Panel::Compaction) { <CompactionPanel compaction={Shared(views.compaction.clone())} /> }
                        if shows(Panel::Stats) { <StatsPanel stats={Shared(views.stats.clone())} levels={Shared(views.structure.levels.clone())} /> }
                        if shows(Panel::Stats) { <TheoryPanel theory={Shared(std::rc::Rc::new(theory_view(&snap.options, &views.stats.current)))} sample={views.stats.current} /> }
                    </div>
                    if !embed.enabled { <Legend /> }
                </main>
                }
            </div>
            <div class="glossary-slot">{ for glossary_panel }</div>
        </div>
        </ContextProvider<OpenGlossary>>
    }
}

#[derive(Properties, PartialEq)]
struct LangSwitchProps {
    lang: Lang,
    act: Callback<Action>,
}

/// The language switch: each language named in itself.
#[component]
fn LangSwitch(props: &LangSwitchProps) -> Html {
    let onchange = {
        let act = props.act.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(lang) = Lang::from_code(&select.value()) {
                browser::remember_lang(lang);
                act.emit(Action::SetLang(lang));
            }
        })
    };
    html! {
        <div class="lang-switch">
            <label for="lang">{ tr(&Msg::LanguageChoice) }</label>
            <select id="lang" {onchange}>
                { for Lang::ALL.iter().map(|l| html! {
                    <option value={l.code()} lang={l.code()} selected={*l == props.lang}>{ l.endonym() }</option>
                }) }
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PresetPickerProps {
    /// The preset chosen (none once commands were typed) and the text of
    /// the "your own" entry.
    entry: (Option<&'static str>, String),
    act: Callback<Action>,
}

/// The scenario menu.
#[component]
fn PresetPicker(props: &PresetPickerProps) -> Html {
    let onchange = {
        let act = props.act.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let id = select.value();
            if !id.is_empty() {
                act.emit(Action::LoadPreset(id));
            }
        })
    };
    let (current, own) = &props.entry;
    let current = *current;
    html! {
        <div class="preset-picker">
            <label for="preset">{ tr(&Msg::ScenarioLabel) }</label>
            <select id="preset" {onchange}>
                <option value="" selected={current.is_none()}>{ own.clone() }</option>
                { for PRESETS.iter().map(|p| html! {
                    <option value={p.id} selected={current == Some(p.id)}>{ p.title_shown() }</option>
                }) }
            </select>
        </div>
    }
}
