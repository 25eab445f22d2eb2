//! The options panel: changing an option restarts the scenario from its
//! seed; where the database lives.

use strata_engine::Options;
use yew::prelude::*;

use super::Shared;
use crate::model::controller::Action;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::setup::{option_text, Persistence, PANEL_OPTIONS};

#[derive(Properties, PartialEq)]
pub struct OptionsProps {
    pub options: Shared<Options>,
    pub persistence: Persistence,
    pub status: String,
    pub overridden: bool,
    pub act: Callback<Action>,
    pub set_persistence: Callback<Persistence>,
}

/// The options panel.
#[component]
pub fn OptionsPanel(props: &OptionsProps) -> Html {
    let fields = PANEL_OPTIONS.iter().map(|o| {
        let id = format!("opt-{}", o.name);
        let current = option_text(&props.options, o.name);
        let act = props.act.clone();
        let name = o.name;
        let onchange = Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default();
            act.emit(Action::SetOption(name.to_owned(), value));
            // The player's keys (space, arrows) work again at once: the
            // change is made, the field lets go of them.
            if let Some(el) = e.target_dyn_into::<web_sys::HtmlElement>() {
                let _ = el.blur();
            }
        });
        let input = if o.choices.is_empty() {
            html! {
                <input id={id.clone()} type="number" min={o.range.0.to_string()} max={o.range.1.to_string()}
                    value={current} {onchange} />
            }
        } else {
            html! {
                <select id={id.clone()} {onchange}>
                    { for o.choices.iter().map(|c| html! { <option value={*c} selected={current == *c}>{ c.replace('_', "-") }</option> }) }
                </select>
            }
        };
        html! { <div class="field"><label for={id} title={o.name}>{ ui(&Ui::OptionLabel { name: o.name }) }</label>{ input }</div> }
    });
    let reset = {
        let act = props.act.clone();
        Callback::from(move |_| act.emit(Action::ResetOptions))
    };
    let on_store = {
        let set = props.set_persistence.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            set.emit(if select.value() == "idb" {
                Persistence::IndexedDb
            } else {
                Persistence::Memory
            });
        })
    };
    html! {
        <section class="panel options" aria-labelledby="options-h">
            <h2 id="options-h">{ ui(&Ui::Options) }</h2>
            <p class="meta">{ ui(&Ui::OptionsRestart) }</p>
            <div class="fields">{ for fields }</div>
            if props.overridden {
                <button type="button" class="op" onclick={reset}>{ ui(&Ui::BackToPreset) }</button>
            }
            <div class="field store">
                <label for="store">{ ui(&Ui::DatabaseFiles) }</label>
                <select id="store" onchange={on_store}>
                    <option value="mem" selected={props.persistence == Persistence::Memory}>{ ui(&Ui::InMemory) }</option>
                    <option value="idb" selected={props.persistence == Persistence::IndexedDb}>{ ui(&Ui::InIndexedDb) }</option>
                </select>
            </div>
            if !props.status.is_empty() { <p class="status" role="status">{ props.status.clone() }</p> }
        </section>
    }
}
