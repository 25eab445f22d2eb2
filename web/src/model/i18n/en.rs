//! The English catalogue.

use super::Msg;

/// The English text of `msg`.
pub fn text(msg: &Msg) -> String {
    match msg {
        Msg::AskHeading => "Predict, then play".to_owned(),
        Msg::AskNumberLabel => "Your answer (a number)".to_owned(),
        Msg::AskCheckAndPlay => "Check and play".to_owned(),
        Msg::AskGiven { given } => {
            format!("You said {given}. Play on: the answer shows once the command has run.")
        }
        Msg::AskRight { answer } => format!("Right: {answer}, as the trace shows."),
        Msg::AskWrong { given, answer } => {
            format!("Not quite: you said {given}, the trace says {answer}.")
        }
        Msg::AskSkipped { answer } => format!("Played on without an answer: it was {answer}."),
        Msg::AskNotANumber { given } => format!("{given:?} is not a number."),
        Msg::PauseBeforeCompaction => "Pause before each compaction".to_owned(),
        Msg::PauseBeforeCompactionHint => {
            "Typed commands run due flushes and compactions as their own steps; with this on, playing stops at each compaction so you can look first."
                .to_owned()
        }
        Msg::PausedBeforeCompaction => {
            "Paused before a compaction: look at the levels, then play on.".to_owned()
        }
        Msg::Tables { count: 1 } => "1 table".to_owned(),
        Msg::Tables { count } => format!("{count} tables"),
    }
}
