//! The legend: level colours, table marks, record fates.

use yew::prelude::*;

use super::glossary::TermLink;
use crate::model::glossary::Term;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::{tr, Msg};
use crate::model::views::compaction::{fate_label, fate_name, FATES};
use crate::model::views::structure::TableMark;

const MARKS: [TableMark; 10] = [
    TableMark::New,
    TableMark::Input,
    TableMark::Fading,
    TableMark::SkippedRange,
    TableMark::FilteredOut,
    TableMark::Read,
    TableMark::FalsePositive,
    TableMark::Answer,
    TableMark::KeepsTombstone,
    TableMark::HiddenByRange,
];

/// What the colours mean.
#[component]
pub fn Legend() -> Html {
    html! {
        <section class="panel legend" aria-labelledby="legend-h">
            <h2 id="legend-h">{ ui(&Ui::Legend) }</h2>
            <div class="legend-groups">
                <ul aria-label={ui(&Ui::Levels)}>
                    { for (0..7).map(|l| html! { <li class={format!("lvl-{l}")}><span class="swatch"></span>{ format!("L{l}") }</li> }) }
                </ul>
                <ul aria-label={ui(&Ui::Tables)}>
                    { for MARKS.iter().map(|m| html! {
                        <li><span class={classes!("sst", "sample", format!("mark-{}", m.name()))}></span>{ ui(&Ui::LegendMark(*m)) }</li>
                    }) }
                </ul>
                <ul aria-label={ui(&Ui::Fates)}>
                    { for FATES.iter().map(|f| html! {
                        <li class={format!("fate-{}", fate_name(*f))}><span class="swatch"></span>{ fate_label(*f) }</li>
                    }) }
                </ul>
            </div>
            <p class="terms">{ tr(&Msg::TableHint) }</p>
            <p class="terms">
                <span>{ tr(&Msg::Glossary) }{ ui(&Ui::Colon) }</span>
                { for Term::ALL.iter().map(|t| html! { <TermLink term={*t} named=true /> }) }
            </p>
        </section>
    }
}
