//! The timeline: play/pause, steps, a scrub bar over the frames, speed;
//! and the narration line.

use yew::prelude::*;

use crate::model::controller::Action;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::playback::SPEEDS;
use crate::model::views::FrameInfo;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub frame: FrameInfo,
    pub playing: bool,
    pub speed: f64,
    pub act: Callback<Action>,
}

fn button(
    act: &Callback<Action>,
    label: &'static str,
    title: String,
    make: fn() -> Action,
) -> Html {
    let act = act.clone();
    let onclick = Callback::from(move |_| act.emit(make()));
    html! { <button type="button" class="tl-btn" aria-label={title.clone()} {title} {onclick}>{ label }</button> }
}

/// Play controls and the scrub bar.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let frame = &props.frame;
    let last = frame.total.saturating_sub(1);
    let act = props.act.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        if let Ok(pos) = input.value().parse::<usize>() {
            act.emit(Action::Seek(pos));
        }
    });
    let act = props.act.clone();
    let onspeed = Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        if let Ok(speed) = select.value().parse::<f64>() {
            act.emit(Action::SetSpeed(speed));
        }
    });
    let play = {
        let act = props.act.clone();
        let label = ui(if props.playing {
            &Ui::Pause
        } else {
            &Ui::PlayKey
        });
        let onclick = Callback::from(move |_| act.emit(Action::TogglePlay));
        html! {
            <button type="button" class="tl-btn play" aria-label={label.clone()} title={label} aria-pressed={props.playing.to_string()} {onclick}>
                { if props.playing { "❚❚".to_owned() } else { ui(&Ui::Play) } }
            </button>
        }
    };
    let total_frames = frame.total;
    let to_end = {
        let act = props.act.clone();
        let onclick =
            Callback::from(move |_| act.emit(Action::Seek(total_frames.saturating_sub(1))));
        html! { <button type="button" class="tl-btn" aria-label={ui(&Ui::ToEnd)} title={ui(&Ui::ToEnd)} {onclick}>{ "▶▶|" }</button> }
    };
    let op = match frame.op {
        Some(op) => ui(&Ui::OpOf {
            op: op + 1,
            ops: frame.ops,
        }),
        None => ui(&Ui::Opening),
    };
    html! {
        <section class="timeline" aria-label={ui(&Ui::Timeline)}>
            <div class="tl-buttons">
                { button(&props.act, "|◀◀", ui(&Ui::ToStart), || Action::Seek(0)) }
                { button(&props.act, "◀◀", ui(&Ui::PreviousOp), || Action::StepOp(-1)) }
                { button(&props.act, "◀", ui(&Ui::StepBack), || Action::Step(-1)) }
                { play }
                { button(&props.act, "▶", ui(&Ui::StepForward), || Action::Step(1)) }
                { button(&props.act, "▶▶", ui(&Ui::NextOp), || Action::StepOp(1)) }
                { to_end }
            </div>
            <input type="range" class="scrub" min="0" max={last.to_string()} value={frame.pos.to_string()}
                aria-label={ui(&Ui::Frame)} aria-valuetext={ui(&Ui::FrameOf { pos: frame.pos + 1, total: frame.total })} {oninput} />
            <div class="tl-where">
                <span class="tl-pos" data-pos={frame.pos.to_string()}>{ ui(&Ui::FrameShort { pos: frame.pos + 1, total: frame.total }) }</span>
                <span class="tl-op">{ op }</span>
            </div>
            <label class="tl-speed">
                <span>{ ui(&Ui::Speed) }</span>
                <select onchange={onspeed} aria-label={ui(&Ui::FramesPerSecond)}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ ui(&Ui::PerSecond { speed: &s.to_string() }) }</option>
                    }) }
                </select>
            </label>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub frame: FrameInfo,
    pub playing: bool,
    pub speed: f64,
}

/// The operation and the event in words. Screen readers hear the
/// sentence when the player is paused or slow (not 2000 per second).
#[component]
pub fn Narration(props: &NarrationProps) -> Html {
    let frame = &props.frame;
    let announce = !props.playing || props.speed <= 2.0;
    let step = match (frame.op, frame.event) {
        (Some(_), Some(e)) | (None, Some(e)) => ui(&Ui::EventOf {
            event: e + 1,
            events: frame.op_events,
        }),
        (Some(_), None) => ui(&Ui::NoEvents),
        (None, None) => String::new(),
    };
    html! {
        <section class="narration" aria-label={ui(&Ui::WhatHappens)}>
            <p class="op-line">
                <span class="op-label">{ frame.op_label.clone() }</span>
                if !frame.op_outcome.is_empty() { <span class="op-outcome">{ frame.op_outcome.clone() }</span> }
                <span class="op-step">{ step }</span>
            </p>
            <p class={classes!("say", format!("ev-{}", frame.event_kind))} aria-hidden="true" data-kind={frame.event_kind.clone()}>
                { frame.narration.clone() }
            </p>
            <p class="sr-only" aria-live="polite" aria-atomic="true">
                { if announce { frame.narration.clone() } else { String::new() } }
            </p>
        </section>
    }
}
