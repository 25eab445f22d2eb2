//! The operations console: a command line in the engine's script
//! language, buttons for single operations and bulk loaders.

use yew::prelude::*;

use crate::model::controller::Action;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::{tr, Msg};
use crate::model::script_text::word;

const HELP: &str = "put apple red          get apple        delete apple
batch put a 1 | delete b
scan   scan a m   scan a m rev limit=5
snapshot   get apple @0   release 0
flush   step   compact
load sequential 100 [prefix=key] [value_bytes=16]
load random 100 [seed=7] [keys=1000]
load skewed 100 [seed=7] [keys=1000]
delete-range a m
";

/// The console's properties.
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// Where actions go.
    pub act: Callback<Action>,
    /// Playing stops before every compaction.
    pub pause_before_compaction: bool,
    /// Typed commands that succeeded: the command line clears when this
    /// changes (a failed command stays, to be fixed).
    pub commands_ok: u64,
}

fn input_value(node: &NodeRef) -> String {
    node.cast::<web_sys::HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The console.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let command = use_node_ref();
    let key = use_node_ref();
    let value = use_node_ref();
    let count = use_node_ref();
    let seed = use_node_ref();
    let keys = use_node_ref();
    let range_start = use_node_ref();
    let range_end = use_node_ref();

    {
        let command = command.clone();
        use_effect_with(props.commands_ok, move |_| {
            if let Some(input) = command.cast::<web_sys::HtmlInputElement>() {
                input.set_value("");
            }
        });
    }
    let onsubmit = {
        let act = props.act.clone();
        let command = command.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = command.cast::<web_sys::HtmlInputElement>() {
                let text = input.value();
                if !text.trim().is_empty() {
                    act.emit(Action::Run(text));
                }
            }
        })
    };
    let op = |label: &'static str, make: fn(&str, &str) -> String| {
        let act = props.act.clone();
        let (key, value) = (key.clone(), value.clone());
        let onclick = Callback::from(move |_| {
            let k = input_value(&key);
            let v = input_value(&value);
            act.emit(Action::Run(make(&word(k.as_bytes()), &word(v.as_bytes()))));
        });
        html! { <button type="button" class="op" {onclick}>{ label }</button> }
    };
    let load = |label: &'static str, pattern: &'static str| {
        let act = props.act.clone();
        let (count, seed, keys) = (count.clone(), seed.clone(), keys.clone());
        let onclick = Callback::from(move |_| {
            let n = input_value(&count);
            let line = match pattern {
                "sequential" => format!("load sequential {n}"),
                _ => format!(
                    "load {pattern} {n} seed={} keys={}",
                    input_value(&seed),
                    input_value(&keys)
                ),
            };
            act.emit(Action::Run(line));
        });
        html! { <button type="button" class="op" {onclick}>{ label }</button> }
    };
    let delete_range = {
        let act = props.act.clone();
        let (a, b) = (range_start.clone(), range_end.clone());
        Callback::from(move |_| {
            let line = format!(
                "delete-range {} {}",
                word(input_value(&a).as_bytes()),
                word(input_value(&b).as_bytes())
            );
            act.emit(Action::Run(line));
        })
    };
    let pause_toggle = {
        let act = props.act.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            act.emit(Action::SetPauseBeforeCompaction(input.checked()));
        })
    };
    html! {
        <section class="panel console" aria-labelledby="console-h">
            <h2 id="console-h">{ ui(&Ui::Operations) }</h2>
            <form class="command" {onsubmit}>
                <label for="command">{ ui(&Ui::Command) }</label>
                <input id="command" ref={command.clone()} type="text" placeholder="put apple red" autocomplete="off" spellcheck="false" />
                <button type="submit">{ ui(&Ui::Run) }</button>
            </form>
            <div class="quick">
                <label>{ ui(&Ui::KeyField) }<input ref={key.clone()} type="text" value="apple" /></label>
                <label>{ ui(&Ui::ValueField) }<input ref={value.clone()} type="text" value="red" /></label>
                <div class="ops">
                    { op("put", |k, v| format!("put {k} {v}")) }
                    { op("get", |k, _| format!("get {k}")) }
                    { op("delete", |k, _| format!("delete {k}")) }
                    { op("scan", |_, _| "scan limit=20".to_owned()) }
                    { op("flush", |_, _| "flush".to_owned()) }
                    { op("step", |_, _| "step".to_owned()) }
                    { op("compact", |_, _| "compact".to_owned()) }
                </div>
            </div>
            <label class="toggle" title={tr(&Msg::PauseBeforeCompactionHint)}>
                <input type="checkbox" checked={props.pause_before_compaction} onchange={pause_toggle} />
                { tr(&Msg::PauseBeforeCompaction) }
            </label>
            <details class="loaders">
                <summary>{ ui(&Ui::BulkLoad) }</summary>
                <div class="row">
                    <label>{ ui(&Ui::Count) }<input ref={count.clone()} type="number" min="1" max="50000" value="200" /></label>
                    <label>{ ui(&Ui::Seed) }<input ref={seed.clone()} type="number" min="0" value="1" /></label>
                    <label>{ ui(&Ui::Keys) }<input ref={keys.clone()} type="number" min="1" value="500" /></label>
                </div>
                <div class="ops">
                    { load("random", "random") }
                    { load("sequential", "sequential") }
                    { load("skewed", "skewed") }
                </div>
                <div class="row">
                    <label>{ ui(&Ui::From) }<input ref={range_start.clone()} type="text" value="key000100" /></label>
                    <label>{ ui(&Ui::To) }<input ref={range_end.clone()} type="text" value="key000200" /></label>
                    <button type="button" class="op" onclick={delete_range}>{ ui(&Ui::DeleteRange) }</button>
                </div>
            </details>
            <details class="help">
                <summary>{ ui(&Ui::CommandLanguage) }</summary>
                <pre>{ HELP }{ ui(&Ui::KeysHelp) }</pre>
            </details>
        </section>
    }
}

/// The command bar's properties.
#[derive(Properties, PartialEq)]
pub struct CommandBarProps {
    /// Where actions go.
    pub act: Callback<Action>,
    /// Typed commands that succeeded: the line clears when this changes.
    pub commands_ok: u64,
}

/// The console folded into one line, for when the chapter is open and the
/// full console sits below the visualizer.
#[component]
pub fn CommandBar(props: &CommandBarProps) -> Html {
    let command = use_node_ref();
    {
        let command = command.clone();
        use_effect_with(props.commands_ok, move |_| {
            if let Some(input) = command.cast::<web_sys::HtmlInputElement>() {
                input.set_value("");
            }
        });
    }
    let onsubmit = {
        let act = props.act.clone();
        let command = command.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = command.cast::<web_sys::HtmlInputElement>() {
                let text = input.value();
                if !text.trim().is_empty() {
                    act.emit(Action::Run(text));
                }
            }
        })
    };
    html! {
        <form class="command command-bar" {onsubmit}>
            <label for="command-bar">{ tr(&Msg::CommandBarLabel) }</label>
            <input id="command-bar" ref={command} type="text" placeholder="put apple red" autocomplete="off" spellcheck="false" />
            <button type="submit">{ ui(&Ui::Run) }</button>
        </form>
    }
}
