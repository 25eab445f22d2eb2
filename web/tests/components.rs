//! The yew components in headless Chromium: each renders the view-model
//! it is given, sends the actions it should, and shows keys as text.
//!
//! Runs with `cargo test -p strata-web --target wasm32-unknown-unknown`
//! (see `.ci/web-tests.sh`); natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::cell::RefCell;
use std::rc::Rc;

use strata_web::model::controller::Action;
use strata_web::model::lesson::{find_chapter, SceneRef};
use strata_web::model::session::Session;
use strata_web::model::setup::Setup;
use strata_web::model::views::Views;
use strata_web::ui::bloom::{BloomPanel, BloomProps};
use strata_web::ui::chapter::{ChapterPanel, ChapterPanelProps};
use strata_web::ui::read_path::{ReadPathPanel, ReadPathProps};
use strata_web::ui::structure::{StructurePanel, StructureProps};
use strata_web::ui::timeline::{Narration, NarrationProps, Timeline, TimelineProps};
use strata_web::ui::{App, Shared};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::{Callback, Renderer};

wasm_bindgen_test_configure!(run_in_browser);

fn root() -> Element {
    let document = gloo::utils::document();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn session(preset: &str) -> Session {
    let setup = Setup::of_preset(preset).unwrap();
    let mut session = Session::in_memory(setup.options().unwrap()).unwrap();
    setup.run(&mut session).unwrap();
    session
}

/// The first frame whose event is of `kind`, and the views there.
fn views_at(session: &mut Session, kind: &str) -> Rc<Views> {
    for pos in 0..session.total_frames() {
        let views = session.seek(pos);
        if views.frame.event_kind == kind {
            return views;
        }
    }
    panic!("no {kind} frame");
}

#[wasm_bindgen_test]
async fn the_app_renders_and_steps_with_the_keyboard() {
    // The app starts from the address: show a preset, at its first frame.
    let history = gloo::utils::window().history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#s=first-flush&p=1"))
        .unwrap();
    let root = root();
    let _app = Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert_eq!(count(&root, ".structure .levels"), 1);
    let pos = |root: &Element| -> usize {
        root.query_selector(".tl-pos")
            .unwrap()
            .unwrap()
            .get_attribute("data-pos")
            .unwrap()
            .parse()
            .unwrap()
    };
    let before = pos(&root);
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowRight");
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    gloo::utils::document().dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
    let hash = gloo::utils::window().location().hash().unwrap();
    let total = root
        .query_selector(".tl-pos")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(pos(&root), before + 1, "{hash} {total}");
    let say = root
        .query_selector(".say")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(!say.is_empty(), "every frame is narrated");
}

#[wasm_bindgen_test]
async fn the_structure_draws_every_table_of_every_level() {
    let mut s = session("tombstone-kept");
    let views = s.seek(s.total_frames() - 1);
    let tables: usize = views
        .structure
        .levels
        .levels
        .iter()
        .map(|l| l.tables.len())
        .sum();
    let root = root();
    let props = StructureProps {
        wal: Shared(views.structure.wal.clone()),
        memtable: Shared(views.structure.memtable.clone()),
        immutable: views.structure.immutable.clone(),
        levels: Shared(views.structure.levels.clone()),
        activity: Shared(views.structure.activity.clone()),
    };
    let _app = Renderer::<StructurePanel>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    assert!(tables > 5);
    assert_eq!(count(&root, ".sst") as usize, tables);
    for level in [0, 1, 2, 3] {
        let live = views.structure.levels.levels[level].live_tables();
        assert_eq!(
            count(
                &root,
                &format!(".level[data-level=\"{level}\"] .sst:not([data-mark=\"fading\"])")
            ) as usize,
            live
        );
    }
}

#[wasm_bindgen_test]
async fn the_bloom_panel_draws_the_tested_bits_and_the_verdict() {
    let mut s = session("false-positive");
    let views = views_at(&mut s, "bloom_false_positive");
    let root = root();
    let props = BloomProps {
        bloom: Shared(views.bloom.clone()),
    };
    let _app = Renderer::<BloomPanel>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let probe = views.bloom.probe.as_ref().unwrap();
    assert_eq!(count(&root, "rect.tested") as usize, probe.tested.len());
    assert_eq!(count(&root, "rect.tested.set") as usize, probe.tested.len());
    assert_eq!(count(&root, "[data-verdict=\"false-positive\"]"), 1);
}

#[wasm_bindgen_test]
async fn the_timeline_buttons_send_their_actions() {
    let mut s = session("first-flush");
    let views = s.seek(5);
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = seen.clone();
    let act = Callback::from(move |a: Action| {
        let name = match a {
            Action::Step(d) => format!("step {d}"),
            Action::StepOp(d) => format!("op {d}"),
            Action::TogglePlay => "play".to_owned(),
            Action::Seek(p) => format!("seek {p}"),
            _ => "other".to_owned(),
        };
        log.borrow_mut().push(name);
    });
    let root = root();
    let props = TimelineProps {
        frame: views.frame.clone(),
        playing: false,
        speed: 4.0,
        act,
    };
    let _app = Renderer::<Timeline>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let buttons = root.query_selector_all(".tl-btn").unwrap();
    for i in 0..buttons.length() {
        buttons
            .item(i)
            .unwrap()
            .dyn_into::<HtmlElement>()
            .unwrap()
            .click();
    }
    let last = views.frame.total - 1;
    assert_eq!(
        *seen.borrow(),
        [
            "seek 0",
            "op -1",
            "step -1",
            "play",
            "step 1",
            "op 1",
            &format!("seek {last}")
        ]
    );
}

#[wasm_bindgen_test]
async fn narration_is_announced_when_paused_and_not_at_speed() {
    let mut s = session("first-flush");
    let views = s.seek(10);
    for (playing, speed, announced) in [(false, 4.0, true), (true, 1000.0, false)] {
        let root = root();
        let props = NarrationProps {
            frame: views.frame.clone(),
            playing,
            speed,
        };
        let _app = Renderer::<Narration>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        let live = root
            .query_selector("[aria-live=\"polite\"]")
            .unwrap()
            .unwrap();
        assert_eq!(
            live.text_content().unwrap() == views.frame.narration,
            announced
        );
        assert_eq!(live.text_content().unwrap().is_empty(), !announced);
    }
}

#[wasm_bindgen_test]
async fn keys_with_markup_are_shown_as_text() {
    let mut s = Session::in_memory(strata_web::model::presets::visualizer_options()).unwrap();
    s.run(r#"get "<img src=x onerror=alert(1)>""#).unwrap();
    let views = s.seek(s.total_frames() - 1);
    let root = root();
    let props = ReadPathProps {
        read: Shared(views.read.clone()),
    };
    let _app = Renderer::<ReadPathPanel>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    assert_eq!(count(&root, "img"), 0);
    assert!(root.text_content().unwrap().contains("<img src=x"));
}

#[wasm_bindgen_test]
async fn the_chapter_panel_draws_the_chapter_and_sends_its_actions() {
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = seen.clone();
    let act = Callback::from(move |a: Action| {
        let name = match a {
            Action::ShowChapter(Some(c)) => format!("show {}", c.slug),
            Action::ShowChapter(None) => "close".to_owned(),
            Action::RunScene(s) => format!("run {} {}", s.chapter.slug, s.index),
            _ => "other".to_owned(),
        };
        log.borrow_mut().push(name);
    });
    let bloom = find_chapter("bloom").unwrap();
    let root = root();
    let props = ChapterPanelProps {
        chapter: bloom,
        scene: SceneRef::new(bloom, 1).ok(),
        act,
    };
    let _panel = Renderer::<ChapterPanel>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let text = |selector: &str| {
        root.query_selector(selector)
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(text("#chapter-title"), "Bloom filters");
    assert_eq!(
        root.query_selector("aside#chapter-panel")
            .unwrap()
            .unwrap()
            .get_attribute("aria-labelledby")
            .as_deref(),
        Some("chapter-title"),
        "the panel is a landmark named by its heading"
    );
    assert_eq!(
        count(&root, ".toc li"),
        strata_tutorials::CHAPTERS.len() as u32
    );
    assert!(count(&root, "details.answer") >= 2);
    assert_eq!(
        count(&root, "details.answer[open]"),
        0,
        "answers start hidden"
    );
    assert_eq!(
        count(&root, "details.answer > summary"),
        count(&root, "details.answer")
    );
    assert_eq!(count(&root, "script, img, iframe"), 0);
    assert_eq!(count(&root, "figure.scene"), 3);
    assert_eq!(
        count(&root, "figure.scene.loaded"),
        1,
        "the loaded scene is marked"
    );
    assert_eq!(count(&root, "table th"), count(&root, "table thead th"));
    assert!(text("figure.scene .line.comment").starts_with("# expect"));
    let click = |selector: &str| {
        root.query_selector(selector)
            .unwrap()
            .unwrap()
            .dyn_into::<HtmlElement>()
            .unwrap()
            .click()
    };
    click("figure.scene[data-scene=\"1\"] .run-scene");
    click(".chapter-steps .next");
    click(".chapter-steps .prev");
    click(".close-chapter");
    let seen = seen.borrow();
    assert_eq!(
        seen.get(..3),
        Some(
            &[
                "run bloom 1".to_owned(),
                "show read-path".to_owned(),
                "show sstable".to_owned()
            ][..]
        )
    );
    assert_eq!(seen.last().map(String::as_str), Some("close"));
}

/// A scene's question offers its choices and answers with the one clicked;
/// a verdict replaces the choices.
#[wasm_bindgen_test]
async fn the_question_box_sends_the_choice_and_shows_the_verdict() {
    use strata_web::model::asks::QuestionView;
    use strata_web::ui::question::{QuestionBox, QuestionBoxProps};

    let sent: Rc<RefCell<Vec<(usize, String)>>> = Rc::default();
    let act = {
        let sent = sent.clone();
        Callback::from(move |a: Action| {
            if let Action::Answer(i, given) = a {
                sent.borrow_mut().push((i, given));
            }
        })
    };
    let open = QuestionView {
        index: 1,
        text: "Where will the get find cherry?".to_owned(),
        choices: vec!["memtable".to_owned(), "table".to_owned()],
        open: true,
        status: None,
        right: None,
    };
    let root = root();
    let _box = Renderer::<QuestionBox>::with_root_and_props(
        root.clone(),
        QuestionBoxProps {
            question: open,
            act: act.clone(),
        },
    )
    .render();
    yew::scheduler::flush().await;
    assert_eq!(count(&root, ".question.open .choice"), 2);
    let table: HtmlElement = root
        .query_selector_all(".choice")
        .unwrap()
        .item(1)
        .unwrap()
        .dyn_into()
        .unwrap();
    table.click();
    assert_eq!(*sent.borrow(), [(1, "table".to_owned())]);

    let verdict = QuestionView {
        index: 1,
        text: "Where will the get find cherry?".to_owned(),
        choices: vec!["memtable".to_owned(), "table".to_owned()],
        open: false,
        status: Some("Right: table, as the trace shows.".to_owned()),
        right: Some(true),
    };
    let root = self::root();
    let _box = Renderer::<QuestionBox>::with_root_and_props(
        root.clone(),
        QuestionBoxProps {
            question: verdict,
            act,
        },
    )
    .render();
    yew::scheduler::flush().await;
    assert_eq!(count(&root, ".choice"), 0);
    assert_eq!(count(&root, ".question.right [role=status]"), 1);
}
