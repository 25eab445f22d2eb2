//! The top bar's way into compare mode: the scenario shown on the other
//! compaction strategy, or a comparison preset.

use yew::prelude::*;

use super::t;
use crate::model::compare::presets::COMPARE_PRESETS;
use crate::model::compare::spec::CompareSpec;
use crate::model::controller::Action;
use crate::model::i18n::CompareText;
use crate::model::setup::{Persistence, Setup};

#[derive(Properties, PartialEq)]
pub struct CompareEntryProps {
    /// What the page shows now.
    pub setup: Setup,
    pub act: Callback<Action>,
}

/// The value of the "this scenario" choice.
const THIS: &str = "this";

/// A menu that opens compare mode.
#[component]
pub fn CompareEntry(props: &CompareEntryProps) -> Html {
    let onchange = {
        let (act, setup) = (props.act.clone(), props.setup.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let choice = select.value();
            select.set_value("");
            let spec = match choice.as_str() {
                "" => return,
                THIS => Some(CompareSpec::against_other_strategy(&setup)),
                id => CompareSpec::of_preset(id),
            };
            let Some(spec) = spec else { return };
            let base = if spec.preset.is_some() {
                Setup {
                    chapter: setup.chapter,
                    lang: setup.lang,
                    ..Setup::default()
                }
            } else {
                Setup {
                    pos: None,
                    persistence: Persistence::Memory,
                    ..setup.clone()
                }
            };
            act.emit(Action::Open(Setup {
                compare: Some(spec),
                ..base
            }));
        })
    };
    html! {
        <div class="compare-entry">
            <label for="compare-entry">{ t(CompareText::Enter) }</label>
            <select id="compare-entry" {onchange}>
                <option value="" selected=true>{ format!("{}…", t(CompareText::Enter)) }</option>
                <option value={THIS}>{ t(CompareText::EnterThisScenario) }</option>
                { for COMPARE_PRESETS.iter().map(|p| html! {
                    <option value={p.id}>{ t(CompareText::PresetTitle { id: p.id }) }</option>
                }) }
            </select>
        </div>
    }
}
