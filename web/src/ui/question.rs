//! The question box: a scene's question before the command it asks about,
//! with its choices (or a number field), then the verdict.

use yew::prelude::*;

use crate::model::asks::QuestionView;
use crate::model::controller::Action;
use crate::model::i18n::{tr, Msg};

/// The box's properties.
#[derive(Properties, PartialEq)]
pub struct QuestionBoxProps {
    /// What the box shows.
    pub question: QuestionView,
    /// Where actions go.
    pub act: Callback<Action>,
}

/// A scene's question.
#[component]
pub fn QuestionBox(props: &QuestionBoxProps) -> Html {
    let q = &props.question;
    let number = use_node_ref();
    let answer = |given: String| {
        let act = props.act.clone();
        let index = q.index;
        Callback::from(move |_: MouseEvent| act.emit(Action::Answer(index, given.clone())))
    };
    let form = q.open.then(|| {
        if q.choices.is_empty() {
            let onsubmit = {
                let act = props.act.clone();
                let (number, index) = (number.clone(), q.index);
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    if let Some(input) = number.cast::<web_sys::HtmlInputElement>() {
                        act.emit(Action::Answer(index, input.value()));
                    }
                })
            };
            html! {
                <form class="answer" {onsubmit}>
                    <label for="answer-number">{ tr(&Msg::AskNumberLabel) }</label>
                    <input id="answer-number" ref={number} type="number" min="0" inputmode="numeric" />
                    <button type="submit">{ tr(&Msg::AskCheckAndPlay) }</button>
                </form>
            }
        } else {
            html! {
                <div class="answer choices" role="group" aria-label={q.text.clone()}>
                    { for q.choices.iter().map(|c| html! {
                        <button type="button" class="choice" onclick={answer(c.clone())}>{ c.clone() }</button>
                    }) }
                </div>
            }
        }
    });
    let verdict = match q.right {
        Some(true) => Some("right"),
        Some(false) => Some("wrong"),
        None => None,
    };
    html! {
        <section class={classes!("question", verdict, q.open.then_some("open"))} aria-labelledby="question-h">
            <h2 id="question-h">{ tr(&Msg::AskHeading) }</h2>
            <p class="question-text">{ q.text.clone() }</p>
            { for form }
            if let Some(status) = &q.status {
                <p class="question-status" role="status">{ status.clone() }</p>
            }
        </section>
    }
}
