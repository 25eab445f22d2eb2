//! The chapter panel beside the visualizer: a table of contents, previous
//! and next, and the chapter drawn from its Markdown with a run button on
//! every scene.

use std::rc::Rc;

use strata_tutorials::{chapters, Chapter, CHAPTERS};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::markdown::{for_the_browser, render, Context};
use crate::model::controller::Action;
use crate::model::i18n::{tr, Msg};
use crate::model::lesson::{chapter_body, neighbours, SceneRef};

/// The chapter panel's properties.
#[derive(Properties, PartialEq)]
pub struct ChapterPanelProps {
    /// The chapter shown.
    pub chapter: &'static Chapter,
    /// The scene loaded in the visualizer, if any.
    pub scene: Option<SceneRef>,
    /// Where actions go.
    pub act: Callback<Action>,
}

/// The panel showing one chapter.
#[component]
pub fn ChapterPanel(props: &ChapterPanelProps) -> Html {
    let chapter = props.chapter;
    let body = use_memo(chapter.slug, |_| Rc::new(chapter_body(chapter)));
    let panel = use_node_ref();
    let title = use_node_ref();
    // A new chapter starts at its top, with the focus on its title (not
    // on the first drawing, which would take the focus from the page).
    {
        let (panel, title) = (panel.clone(), title.clone());
        let shown = use_mut_ref(|| chapter.slug);
        use_effect_with(chapter.slug, move |slug| {
            if *shown.borrow() != *slug {
                *shown.borrow_mut() = slug;
                if let Some(p) = panel.cast::<web_sys::Element>() {
                    p.set_scroll_top(0);
                }
                if let Some(t) = title.cast::<web_sys::HtmlElement>() {
                    let _ = t.focus();
                }
            }
        });
    }
    let show = |c: Option<&'static Chapter>| {
        let act = props.act.clone();
        Callback::from(move |_: MouseEvent| act.emit(Action::ShowChapter(c)))
    };
    let (previous, next) = neighbours(chapter);
    let edition = chapters(chapter.lang);
    let position = edition
        .iter()
        .position(|c| c.slug == chapter.slug)
        .map_or(0, |i| i + 1);
    let loaded = props
        .scene
        .filter(|s| s.chapter.slug == chapter.slug)
        .map(|s| s.index);
    let cx = Context {
        chapter,
        loaded,
        act: props.act.clone(),
    };
    let step_links = |bottom: bool| {
        html! {
            <nav class="chapter-steps" aria-label={tr(&Msg::ChapterSteps { bottom })}>
                if let Some(p) = previous {
                    <button type="button" class="prev" onclick={show(Some(p))}
                        aria-label={tr(&Msg::ChapterPrevious { title: p.title })}>{ "← " }{ p.title }</button>
                }
                if let Some(n) = next {
                    <button type="button" class="next" onclick={show(Some(n))}
                        aria-label={tr(&Msg::ChapterNext { title: n.title })}>{ n.title }{ " →" }</button>
                }
            </nav>
        }
    };
    html! {
        <aside id="chapter-panel" class="panel chapter" aria-labelledby="chapter-title" ref={panel}>
            <div class="chapter-head">
                <p class="chapter-number">{ tr(&Msg::ChapterNumber { position, chapters: edition.len() }) }</p>
                <button type="button" class="dismiss close-chapter" aria-label={tr(&Msg::ChapterClose)} onclick={show(None)}>{ "×" }</button>
            </div>
            <h2 id="chapter-title" tabindex="-1" ref={title}>{ chapter.title }</h2>
            <Contents current={chapter.slug} edition={chapter.lang} act={props.act.clone()} />
            { step_links(false) }
            <article class="chapter-body">{ render(&body, &cx) }</article>
            { step_links(true) }
        </aside>
    }
}

#[derive(Properties, PartialEq)]
struct ContentsProps {
    current: &'static str,
    edition: strata_tutorials::Lang,
    act: Callback<Action>,
}

/// The table of contents: every chapter, the current one marked.
#[component]
fn Contents(props: &ContentsProps) -> Html {
    let edition = chapters(props.edition);
    let items = edition.iter().map(|c| {
        let current = c.slug == props.current;
        let onclick = {
            let act = props.act.clone();
            Callback::from(move |e: MouseEvent| {
                if for_the_browser(&e) {
                    return;
                }
                e.prevent_default();
                close_contents(&e);
                act.emit(Action::ShowChapter(Some(c)));
            })
        };
        html! {
            <li>
                <a href={format!("#ch={}", c.slug)} aria-current={current.then_some("page")} {onclick}>{ c.title }</a>
            </li>
        }
    });
    html! {
        <nav class="toc" aria-label={tr(&Msg::ChapterList)}>
            <details>
                <summary>{ tr(&Msg::ChapterContents { chapters: edition.len() }) }</summary>
                <ol>{ for items }</ol>
            </details>
        </nav>
    }
}

/// Folds the contents after a choice.
fn close_contents(e: &MouseEvent) {
    let details = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten());
    if let Some(d) = details {
        let _ = d.remove_attribute("open");
    }
}

/// The toggle's properties.
#[derive(Properties, PartialEq)]
pub struct ChapterToggleProps {
    /// The chapter shown, if the panel is open.
    pub open: Option<&'static Chapter>,
    /// The chapter to open on: the loaded scene's, else the first.
    pub reopen: Option<&'static Chapter>,
    /// Where actions go.
    pub act: Callback<Action>,
}

/// Opens and closes the chapter panel.
#[component]
pub fn ChapterToggle(props: &ChapterToggleProps) -> Html {
    let open = props.open.is_some();
    let onclick = {
        let act = props.act.clone();
        let target = (!open).then(|| props.reopen.or(CHAPTERS.first())).flatten();
        Callback::from(move |_| act.emit(Action::ShowChapter(target)))
    };
    html! {
        <button type="button" class="chapter-toggle" aria-expanded={open.to_string()}
            aria-controls="chapter-panel" {onclick}>
            { tr(if open { &Msg::TutorialHide } else { &Msg::TutorialOpen }) }
        </button>
    }
}
