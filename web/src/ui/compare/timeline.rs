//! The one timeline of compare mode: every button and the scrub bar move
//! all sides by the same operations.

use yew::prelude::*;

use super::t;
use crate::model::compare::player::CompareAction;
use crate::model::i18n::CompareText;
use crate::model::playback::SPEEDS;

#[derive(Properties, PartialEq)]
pub struct CompareTimelineProps {
    pub done: usize,
    pub ops: usize,
    pub op_label: String,
    pub playing: bool,
    pub speed: f64,
    pub act: Callback<CompareAction>,
}

fn button(
    act: &Callback<CompareAction>,
    label: &'static str,
    title: CompareText,
    class: &'static str,
    action: CompareAction,
) -> Html {
    let act = act.clone();
    let title = t(title);
    let onclick = Callback::from(move |_| act.emit(action.clone()));
    html! { <button type="button" class={classes!("tl-btn", class)} aria-label={title.clone()} {title} {onclick}>{ label }</button> }
}

/// Play controls and the scrub bar over operations.
#[component]
pub fn CompareTimeline(props: &CompareTimelineProps) -> Html {
    let act = props.act.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        if let Ok(done) = input.value().parse::<usize>() {
            act.emit(CompareAction::Seek(done));
        }
    });
    let act = props.act.clone();
    let onspeed = Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        if let Ok(speed) = select.value().parse::<f64>() {
            act.emit(CompareAction::SetSpeed(speed));
        }
    });
    let (play_label, play_title) = if props.playing {
        ("❚❚", CompareText::Pause)
    } else {
        ("▶", CompareText::Play)
    };
    let cursor = t(CompareText::Cursor {
        done: props.done,
        ops: props.ops,
    });
    html! {
        <section class="timeline compare-timeline" aria-label={t(CompareText::Timeline)}>
            <div class="tl-buttons">
                { button(&props.act, "|◀◀", CompareText::ToStart, "to-start", CompareAction::Seek(0)) }
                { button(&props.act, "◀", CompareText::Back, "back", CompareAction::Step(-1)) }
                { button(&props.act, play_label, play_title, "play", CompareAction::TogglePlay) }
                { button(&props.act, "▶|", CompareText::Forward, "forward", CompareAction::Step(1)) }
                { button(&props.act, "▶▶|", CompareText::ToEnd, "to-end", CompareAction::Seek(props.ops)) }
            </div>
            <input type="range" class="scrub" min="0" max={props.ops.to_string()} value={props.done.to_string()}
                aria-label={t(CompareText::Scrub)} aria-valuetext={cursor.clone()} {oninput} />
            <div class="tl-where">
                <span class="tl-pos cmp-done" data-done={props.done.to_string()} data-ops={props.ops.to_string()}>{ cursor }</span>
                <span class="tl-op">{ props.op_label.clone() }</span>
            </div>
            <label class="tl-speed">
                <span>{ t(CompareText::Speed) }</span>
                <select onchange={onspeed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ t(CompareText::PerSecond { speed: &s.to_string() }) }</option>
                    }) }
                </select>
            </label>
        </section>
    }
}
