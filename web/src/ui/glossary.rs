//! The glossary: a panel with every term and its definition, opened from
//! the term buttons next to the panels' headings.

use yew::prelude::*;

use crate::model::glossary::Term;
use crate::model::i18n::{tr, Msg};

/// Opens the glossary at a term: provided by the app to every panel.
pub type OpenGlossary = Callback<Option<Term>>;

/// A term button's properties.
#[derive(Properties, PartialEq)]
pub struct TermLinkProps {
    /// The term.
    pub term: Term,
    /// Show the term's name instead of "?".
    #[prop_or_default]
    pub named: bool,
}

/// A small "?" after a term that opens its definition.
#[component]
pub fn TermLink(props: &TermLinkProps) -> Html {
    let open = use_context::<OpenGlossary>();
    let term = props.term;
    let onclick = Callback::from(move |_: MouseEvent| {
        if let Some(open) = &open {
            open.emit(Some(term));
        }
    });
    if props.named {
        return html! {
            <button type="button" class="term named" data-term={term.id()} title={tr(&term.definition())} {onclick}>{ tr(&term.name()) }</button>
        };
    }
    html! {
        <button type="button" class="term" data-term={term.id()} aria-label={tr(&Msg::TermExplain(term))} title={tr(&term.definition())} {onclick}>{ "?" }</button>
    }
}

/// The glossary's properties.
#[derive(Properties, PartialEq)]
pub struct GlossaryProps {
    /// The term asked about.
    pub term: Option<Term>,
    /// Closes it.
    pub close: Callback<MouseEvent>,
}

/// Every term with its definition; the one asked about is marked and
/// scrolled to.
#[component]
pub fn Glossary(props: &GlossaryProps) -> Html {
    let list = use_node_ref();
    {
        let list = list.clone();
        use_effect_with(props.term, move |term| {
            let target = term.and_then(|t| {
                list.cast::<web_sys::Element>()
                    .and_then(|l| {
                        l.query_selector(&format!("[data-term=\"{}\"]", t.id()))
                            .ok()
                    })
                    .flatten()
            });
            if let Some(el) = target {
                el.scroll_into_view_with_bool(false);
            }
        });
    }
    html! {
        <aside class="panel glossary" aria-labelledby="glossary-h">
            <div class="glossary-head">
                <h2 id="glossary-h">{ tr(&Msg::Glossary) }</h2>
                <button type="button" class="dismiss" aria-label={tr(&Msg::GlossaryClose)} onclick={props.close.clone()}>{ "×" }</button>
            </div>
            <dl ref={list}>
                { for Term::ALL.iter().map(|t| html! {
                    <div class={classes!("entry", (props.term == Some(*t)).then_some("asked"))} data-term={t.id()}>
                        <dt>{ tr(&t.name()) }</dt>
                        <dd>{ tr(&t.definition()) }</dd>
                    </div>
                }) }
            </dl>
        </aside>
    }
}
