//! The timeline: play/pause, steps, a scrub bar over the frames, speed;
//! and the narration line.

use yew::prelude::*;

use crate::model::controller::Action;
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
    title: &'static str,
    make: fn() -> Action,
) -> Html {
    let act = act.clone();
    let onclick = Callback::from(move |_| act.emit(make()));
    html! { <button type="button" class="tl-btn" aria-label={title} {title} {onclick}>{ label }</button> }
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
        let label = if props.playing {
            "Pause (space)"
        } else {
            "Play (space)"
        };
        let onclick = Callback::from(move |_| act.emit(Action::TogglePlay));
        html! {
            <button type="button" class="tl-btn play" aria-label={label} title={label} aria-pressed={props.playing.to_string()} {onclick}>
                { if props.playing { "❚❚" } else { "Play" } }
            </button>
        }
    };
    let total_frames = frame.total;
    let to_end = {
        let act = props.act.clone();
        let onclick =
            Callback::from(move |_| act.emit(Action::Seek(total_frames.saturating_sub(1))));
        html! { <button type="button" class="tl-btn" aria-label="To the end (End)" title="To the end (End)" {onclick}>{ "▶▶|" }</button> }
    };
    let op = match frame.op {
        Some(op) => format!("op {} / {}", op + 1, frame.ops),
        None => "opening".to_owned(),
    };
    html! {
        <section class="timeline" aria-label="Timeline">
            <div class="tl-buttons">
                { button(&props.act, "|◀◀", "To the start (Home)", || Action::Seek(0)) }
                { button(&props.act, "◀◀", "Previous operation (shift+←)", || Action::StepOp(-1)) }
                { button(&props.act, "◀", "Step back (←)", || Action::Step(-1)) }
                { play }
                { button(&props.act, "▶", "Step forward (→)", || Action::Step(1)) }
                { button(&props.act, "▶▶", "Next operation (shift+→)", || Action::StepOp(1)) }
                { to_end }
            </div>
            <input type="range" class="scrub" min="0" max={last.to_string()} value={frame.pos.to_string()}
                aria-label="Frame" aria-valuetext={format!("frame {} of {}", frame.pos + 1, frame.total)} {oninput} />
            <div class="tl-where">
                <span class="tl-pos" data-pos={frame.pos.to_string()}>{ format!("frame {} / {}", frame.pos + 1, frame.total) }</span>
                <span class="tl-op">{ op }</span>
            </div>
            <label class="tl-speed">
                <span>{ "Speed" }</span>
                <select onchange={onspeed} aria-label="Frames per second">
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ format!("{s} /s") }</option>
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
        (Some(_), Some(e)) => format!("event {} of {}", e + 1, frame.op_events),
        (Some(_), None) => "no events".to_owned(),
        (None, Some(e)) => format!("event {} of {}", e + 1, frame.op_events),
        (None, None) => String::new(),
    };
    html! {
        <section class="narration" aria-label="What happens">
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
