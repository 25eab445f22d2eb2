//! The badges of the visualizer built with `--features labs`: whose code a
//! panel shows ("your bloom filter", or the engine's own and why). Empty
//! in the normal build.

use yew::prelude::*;

use crate::model::i18n::Lang;
use crate::model::labs::{badges, LabPanel};

#[derive(Properties, PartialEq)]
pub struct LabBadgesProps {
    pub panel: LabPanel,
    /// The language shown (the badges are redrawn when it changes).
    pub lang: Lang,
}

/// The panel's lab badges, if any.
#[component]
pub fn LabBadges(props: &LabBadgesProps) -> Html {
    let badges = badges(props.panel);
    if badges.is_empty() {
        return Html::default();
    }
    html! {
        <p class="lab-badges">
            { for badges.into_iter().map(|b| html! {
                <span
                    class={classes!("lab-badge", if b.yours { "yours" } else { "engine" })}
                    data-lab={b.part.lab()}
                    title={b.hint}
                >{ b.text }</span>
            }) }
        </p>
    }
}
