//! The guided tour's box (step n of m, the sentence, Next) and the offer
//! of the tour on a first visit.

use yew::prelude::*;

use crate::model::controller::{Action, TourView};
use crate::model::i18n::{tr, Msg};

/// The tour box's properties.
#[derive(Properties, PartialEq)]
pub struct TourBoxProps {
    /// What it shows.
    pub tour: TourView,
    /// Where actions go.
    pub act: Callback<Action>,
}

/// The current tour step.
#[component]
pub fn TourBox(props: &TourBoxProps) -> Html {
    let t = &props.tour;
    let emit = |make: fn() -> Action| {
        let act = props.act.clone();
        Callback::from(move |_: MouseEvent| act.emit(make()))
    };
    let last = t.step + 1 == t.steps;
    let next_label = if last {
        tr(&Msg::TourFinish)
    } else {
        tr(&Msg::TourNext)
    };
    html! {
        <section class="tour" aria-labelledby="tour-h" data-panel={t.panel.id()}>
            <h2 id="tour-h">{ tr(&Msg::TourHeading { step: t.step, steps: t.steps }) }</h2>
            <p class="tour-say" aria-live="polite">{ t.say.clone() }</p>
            <div class="tour-actions">
                <button type="button" class="tour-next" disabled={!t.arrived} onclick={emit(|| Action::TourNext)}>{ next_label }</button>
                <button type="button" class="tour-close" onclick={emit(|| Action::EndTour)}>{ tr(&Msg::TourClose) }</button>
            </div>
        </section>
    }
}

/// The offer's properties.
#[derive(Properties, PartialEq)]
pub struct TourOfferProps {
    /// Start the tour.
    pub start: Callback<MouseEvent>,
    /// Decline.
    pub decline: Callback<MouseEvent>,
}

/// The tour offered on a first visit.
#[component]
pub fn TourOffer(props: &TourOfferProps) -> Html {
    html! {
        <section class="tour offer" aria-label={tr(&Msg::StartHere)}>
            <p>{ tr(&Msg::TourOffer) }</p>
            <div class="tour-actions">
                <button type="button" class="tour-start" onclick={props.start.clone()}>{ tr(&Msg::StartHere) }</button>
                <button type="button" class="tour-close" onclick={props.decline.clone()}>{ tr(&Msg::TourNoThanks) }</button>
            </div>
        </section>
    }
}
