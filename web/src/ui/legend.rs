//! The legend: level colours, table marks, record fates.

use yew::prelude::*;

use super::glossary::TermLink;
use crate::model::glossary::Term;
use crate::model::i18n::{tr, Msg};
use crate::model::views::compaction::{fate_label, fate_name, FATES};

const MARKS: [(&str, &str); 9] = [
    ("new", "just added by a manifest edit"),
    ("input", "compaction input"),
    ("fading", "removed, fading out"),
    ("skipped", "get: key outside the range"),
    ("filtered", "get: bloom said absent"),
    ("read", "get: block read"),
    ("false-positive", "get: bloom false positive"),
    ("answer", "get: answer found here"),
    ("keeps-tombstone", "older data below: keeps a tombstone"),
];

/// What the colours mean.
#[component]
pub fn Legend() -> Html {
    html! {
        <section class="panel legend" aria-labelledby="legend-h">
            <h2 id="legend-h">{ "Legend" }</h2>
            <div class="legend-groups">
                <ul aria-label="Levels">
                    { for (0..7).map(|l| html! { <li class={format!("lvl-{l}")}><span class="swatch"></span>{ format!("L{l}") }</li> }) }
                </ul>
                <ul aria-label="Tables">
                    { for MARKS.iter().map(|(m, words)| html! {
                        <li><span class={classes!("sst", "sample", format!("mark-{m}"))}></span>{ *words }</li>
                    }) }
                </ul>
                <ul aria-label="Record fates in a compaction">
                    { for FATES.iter().map(|f| html! {
                        <li class={format!("fate-{}", fate_name(*f))}><span class="swatch"></span>{ fate_label(*f) }</li>
                    }) }
                </ul>
            </div>
            <p class="terms">{ tr(&Msg::TableHint) }</p>
            <p class="terms">
                <span>{ tr(&Msg::Glossary) }{ ": " }</span>
                { for Term::ALL.iter().map(|t| html! { <TermLink term={*t} named=true /> }) }
            </p>
        </section>
    }
}
