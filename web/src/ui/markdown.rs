//! Draws a chapter's document tree ([`crate::model::markdown`]) as yew
//! nodes: text is always text, links between chapters and scene buttons
//! send actions, external links open in a new tab without access to this
//! page.

use strata_tutorials::Chapter;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::model::controller::Action;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::lesson::SceneRef;
use crate::model::markdown::{Align, LinkTarget, Node, Tag};

/// What links and scene buttons need.
#[derive(Clone, PartialEq)]
pub struct Context {
    /// The chapter drawn.
    pub chapter: &'static Chapter,
    /// The scene of this chapter loaded in the visualizer, if any.
    pub loaded: Option<usize>,
    /// Where actions go.
    pub act: Callback<Action>,
}

/// The id a heading of the chapter gets in the page (prefixed so that it
/// cannot clash with the app's own ids).
pub fn heading_dom_id(id: &str) -> String {
    format!("ch-{id}")
}

/// Draws `nodes`.
pub fn render(nodes: &[Node], cx: &Context) -> Html {
    nodes.iter().map(|n| node(n, cx)).collect()
}

fn node(n: &Node, cx: &Context) -> Html {
    match n {
        Node::Text(text) => html! { { text.clone() } },
        Node::Code(code) => html! { <code>{ code.clone() }</code> },
        Node::Break => html! { <br /> },
        Node::Rule => html! { <hr /> },
        Node::CodeBlock { lang, text } => html! {
            <pre class={classes!("code", format!("lang-{lang}"))} tabindex="0"><code>{ text.clone() }</code></pre>
        },
        Node::Scene { index, text } => scene(*index, text, cx),
        Node::Element(tag, children) => element(tag, children, cx),
    }
}

fn element(tag: &Tag, children: &[Node], cx: &Context) -> Html {
    let inner = render(children, cx);
    match tag {
        Tag::Paragraph => html! { <p>{ inner }</p> },
        Tag::Heading { level, id } => {
            // The panel's title is an h2: chapter headings sit below it.
            let name = format!("h{}", (level + 1).min(6));
            html! { <@{name} id={heading_dom_id(id)}>{ inner }</@> }
        }
        Tag::Quote => html! { <blockquote>{ inner }</blockquote> },
        Tag::List(Some(start)) => html! { <ol start={start.to_string()}>{ inner }</ol> },
        Tag::List(None) => html! { <ul>{ inner }</ul> },
        Tag::Item => html! { <li>{ inner }</li> },
        Tag::Table(_) => table(children, cx),
        Tag::TableHead | Tag::TableRow => html! { <tr>{ inner }</tr> },
        Tag::TableCell(align) => html! { <td style={align_style(*align)}>{ inner }</td> },
        Tag::Emphasis => html! { <em>{ inner }</em> },
        Tag::Strong => html! { <strong>{ inner }</strong> },
        Tag::Strikethrough => html! { <del>{ inner }</del> },
        Tag::Link(target) => link(target, inner, cx),
        Tag::Details => html! { <details class="answer">{ inner }</details> },
        Tag::Summary => html! { <summary>{ inner }</summary> },
    }
}

fn align_style(align: Align) -> Option<&'static str> {
    match align {
        Align::None => None,
        Align::Left => Some("text-align: left"),
        Align::Center => Some("text-align: center"),
        Align::Right => Some("text-align: right"),
    }
}

/// A table: the head row's cells become `<th>`.
fn table(children: &[Node], cx: &Context) -> Html {
    let head = children.iter().find_map(|c| match c {
        Node::Element(Tag::TableHead, cells) => Some(cells),
        _ => None,
    });
    let head_cells = head.map(|cells| {
        cells
            .iter()
            .map(|cell| match cell {
                Node::Element(Tag::TableCell(align), inner) => html! {
                    <th scope="col" style={align_style(*align)}>{ render(inner, cx) }</th>
                },
                other => node(other, cx),
            })
            .collect::<Html>()
    });
    let rows = children
        .iter()
        .filter(|c| !matches!(c, Node::Element(Tag::TableHead, _)))
        .map(|c| node(c, cx))
        .collect::<Html>();
    html! {
        <div class="table-wrap">
            <table>
                if let Some(cells) = head_cells { <thead><tr>{ cells }</tr></thead> }
                <tbody>{ rows }</tbody>
            </table>
        </div>
    }
}

fn link(target: &LinkTarget, inner: Html, cx: &Context) -> Html {
    match target {
        LinkTarget::External(url) => html! {
            <a href={url.clone()} target="_blank" rel="noopener noreferrer external">{ inner }</a>
        },
        LinkTarget::Chapter { slug, anchor } => {
            let chapter = strata_tutorials::chapter(slug).map(|(_, c)| c);
            let onclick = {
                let act = cx.act.clone();
                let anchor = anchor.clone();
                Callback::from(move |e: MouseEvent| {
                    if for_the_browser(&e) {
                        return;
                    }
                    e.prevent_default();
                    act.emit(Action::ShowChapter(chapter));
                    if let Some(anchor) = &anchor {
                        scroll_to(anchor);
                    }
                })
            };
            html! { <a class="chapter-link" href={format!("#ch={slug}")} {onclick}>{ inner }</a> }
        }
        LinkTarget::Heading(id) => {
            let onclick = {
                let id = id.clone();
                Callback::from(move |e: MouseEvent| {
                    e.prevent_default();
                    scroll_to(&id);
                })
            };
            html! { <a href={format!("#ch={}", cx.chapter.slug)} {onclick}>{ inner }</a> }
        }
        LinkTarget::Other(dest) => {
            html! { <span class="file-ref" title={dest.clone()}>{ inner }</span> }
        }
    }
}

/// Whether a click asks the browser for something of its own (a new tab
/// or window): then the link is left to the browser.
pub fn for_the_browser(e: &MouseEvent) -> bool {
    e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() || e.button() != 0
}

/// Scrolls the chapter's heading `id` into view (after the panel redraws).
fn scroll_to(id: &str) {
    let dom_id = heading_dom_id(id);
    gloo::timers::callback::Timeout::new(0, move || {
        let target = gloo::utils::document().get_element_by_id(&dom_id);
        if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            el.scroll_into_view();
        }
    })
    .forget();
}

/// A scene: its script (comments dimmed) and the button that loads it.
fn scene(index: usize, text: &str, cx: &Context) -> Html {
    let number = index + 1;
    let onclick = {
        let act = cx.act.clone();
        let chapter = cx.chapter;
        Callback::from(move |_| {
            if let Ok(scene) = SceneRef::new(chapter, index) {
                act.emit(Action::RunScene(scene));
                // On a narrow screen the visualizer sits above the chapter:
                // bring the scene, waiting at its first command, into view.
                let narrow = gloo::utils::window()
                    .inner_width()
                    .ok()
                    .and_then(|w| w.as_f64())
                    .is_some_and(|w| w <= 900.0);
                if narrow {
                    if let Ok(Some(stage)) = gloo::utils::document().query_selector(".stage") {
                        stage.scroll_into_view_with_bool(true);
                    }
                }
            }
        })
    };
    let lines = text.lines().map(|line| {
        let comment = line.trim_start().starts_with('#');
        // A question shows without the rule that computes its answer.
        let line = match line.split_once(" => ") {
            Some((question, _)) if line.trim_start().starts_with("# ask:") => question,
            _ => line,
        };
        html! { <span class={classes!("line", comment.then_some("comment"))}>{ line }{ "\n" }</span> }
    });
    let loaded = cx.loaded == Some(index);
    html! {
        <figure class={classes!("scene", loaded.then_some("loaded"))} data-scene={index.to_string()}>
            <figcaption>{ ui(&Ui::Scene { number }) }</figcaption>
            <pre class="code lang-scene" tabindex="0"><code>{ for lines }</code></pre>
            <div class="scene-actions">
                <button type="button" class="run-scene" {onclick}
                    aria-label={ui(&Ui::RunSceneLabel { number })}>
                    { ui(&Ui::RunScene) }
                </button>
                if loaded {
                    <span class="scene-status" role="status">
                        { ui(&Ui::SceneLoaded) }
                    </span>
                }
            </div>
        </figure>
    }
}
