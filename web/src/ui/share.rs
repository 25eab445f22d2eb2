//! Sharing: the link, the embed code, and trace export and import.

use std::cell::RefCell;

use yew::prelude::*;

use super::browser;
use super::Shared;
use crate::model::controller::{Action, Controller, Notice};
use crate::model::i18n::ui::{ui, Ui};
use crate::model::presets::PRESETS;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub controller: Shared<RefCell<Controller>>,
    pub revision: u64,
    pub act: Callback<Action>,
}

fn fragment(controller: &RefCell<Controller>) -> Option<String> {
    controller.try_borrow().ok().and_then(|c| c.fragment())
}

/// The iframe snippet that embeds this view (every panel, sized to fit).
fn embed_code(controller: &RefCell<Controller>) -> Option<String> {
    let fragment = fragment(controller)?;
    let c = controller.try_borrow().ok()?;
    Some(crate::model::embed::embed_code(
        &browser::page_base(),
        &fragment,
        &c.setup,
        crate::model::embed::PanelSet::ALL,
    ))
}

/// Copy link, copy embed code.
#[component]
pub fn SharePanel(props: &ShareProps) -> Html {
    let code = use_state(|| None::<String>);
    let copy_link = {
        let controller = props.controller.clone();
        let act = props.act.clone();
        Callback::from(move |_| {
            let Some(f) = fragment(&controller) else {
                return act.emit(Action::Notify(Notice::error(ui(&Ui::TooLongForLink))));
            };
            let link = format!("{}#{f}", browser::page_address());
            let act = act.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let notice = match browser::copy_text(&link).await {
                    Ok(()) => Notice::info(ui(&Ui::LinkCopied)),
                    Err(e) => Notice::error(ui(&Ui::CouldNotCopy {
                        error: &e.to_string(),
                    })),
                };
                act.emit(Action::Notify(notice));
            });
        })
    };
    let copy_embed = {
        let controller = props.controller.clone();
        let act = props.act.clone();
        let code = code.clone();
        Callback::from(move |_| {
            let Some(snippet) = embed_code(&controller) else {
                return act.emit(Action::Notify(Notice::error(ui(&Ui::TooLongToEmbed))));
            };
            code.set(Some(snippet.clone()));
            let act = act.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let notice = match browser::copy_text(&snippet).await {
                    Ok(()) => Notice::info(ui(&Ui::EmbedCopied)),
                    Err(_) => Notice::info(ui(&Ui::CopyEmbedByHand)),
                };
                act.emit(Action::Notify(notice));
            });
        })
    };
    let _ = PRESETS;
    html! {
        <div class="share">
            <button type="button" onclick={copy_link}>{ ui(&Ui::CopyLink) }</button>
            <button type="button" onclick={copy_embed}>{ ui(&Ui::CopyEmbed) }</button>
            if let Some(snippet) = (*code).clone() {
                <label class="embed-code">
                    <span class="sr-only">{ ui(&Ui::EmbedCode) }</span>
                    <textarea readonly=true rows="3" value={snippet} />
                </label>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ImportExportProps {
    pub controller: Shared<RefCell<Controller>>,
    pub act: Callback<Action>,
}

/// Trace export and import.
#[component]
pub fn ImportExport(props: &ImportExportProps) -> Html {
    let export = {
        let controller = props.controller.clone();
        let act = props.act.clone();
        Callback::from(move |_| {
            let json = controller.try_borrow().map(|c| c.session.trace().to_json());
            if let Ok(json) = json {
                if let Err(e) = browser::download("strata-trace.json", &json, "application/json") {
                    act.emit(Action::Notify(Notice::error(ui(&Ui::CouldNotExport {
                        error: &e.to_string(),
                    }))));
                }
            }
        })
    };
    let import = {
        let act = props.act.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let act = act.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match browser::file_text(file).await {
                    Ok(text) => act.emit(Action::Import(text)),
                    Err(e) => act.emit(Action::Notify(Notice::error(ui(&Ui::CouldNotReadFile {
                        error: &e.to_string(),
                    })))),
                }
            });
        })
    };
    html! {
        <section class="panel trace-io" aria-labelledby="trace-h">
            <h2 id="trace-h">{ ui(&Ui::Trace) }</h2>
            <p class="meta">{ ui(&Ui::TraceHolds) }</p>
            <div class="ops">
                <button type="button" class="op" onclick={export}>{ ui(&Ui::ExportTrace) }</button>
                <label class="op file">
                    { ui(&Ui::ImportTrace) }
                    <input type="file" accept=".json,application/json" onchange={import} class="sr-only" id="import-trace" />
                </label>
            </div>
        </section>
    }
}
