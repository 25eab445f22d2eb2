//! The visualizer's own errors and notices in both languages: links that
//! do not read, option values out of range, sessions that grow too big.
//! A command that does not parse or an option the engine rejects is
//! rendered by [`script_errors`](super::script_errors); other engine
//! errors are passed through as `error`.

use super::ui::{text as ui_text, Ui};
use super::{shown, Lang};

/// An error or notice, with its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error<'a> {
    /// An option's value is not a number.
    NotANumber { option: &'a str, value: &'a str },
    /// An option's value is out of its range.
    OutOfRange { option: &'a str, min: u64, max: u64 },
    /// Background maintenance was asked for.
    NoBackground,
    /// A frame number of 0 in a link.
    FrameZero { name: &'a str },
    /// A frame number that is not a number.
    NotAFrame { name: &'a str, value: &'a str },
    /// No preset with this id.
    NoScenario { id: &'a str },
    /// A link's option that is not `name:value`.
    OptionNotPair { item: &'a str },
    /// A link's store that is neither `idb` nor `mem`.
    UnknownStore { store: &'a str },
    /// A link with both `s=` and `sc=`.
    ScenarioAndScene,
    /// A preset's line failed.
    PresetLine { line: usize, error: &'a str },
    /// The view could not start.
    CouldNotStart { error: &'a str },
    /// An imported trace could not be used.
    CouldNotImport { error: &'a str },
    /// An imported trace differs from this engine's replay.
    ImportedDiffers,
    /// A command would make the session too long.
    TooManyOps { ops: usize, max: usize },
    /// A frame could not be shown.
    CouldNotShowFrame { pos: usize, error: &'a str },
    /// A checkpoint could not be taken.
    CouldNotCheckpoint { error: &'a str },
    /// A link's percent-escape is broken.
    BadEscape { escape: &'a str },
    /// A link's text is not UTF-8.
    NotUtf8,
    /// A link is too long.
    LinkTooLong { max: usize },
    /// An embed names a panel there is not.
    NoPanel { name: &'a str, panels: &'a str },
}

/// The English text of `error`.
fn en(error: &Error) -> String {
    let label = |option| ui_text(Lang::En, &Ui::OptionLabel { name: option });
    match *error {
        Error::NotANumber { option, value } => format!("{}: {value:?} is not a number", label(option)),
        Error::OutOfRange { option, min, max } => format!("{} must be within {min}..={max}", label(option)),
        Error::NoBackground => {
            "the visualizer runs maintenance itself: choose manual or inline, not background".to_owned()
        }
        Error::FrameZero { name } => format!("{name}=0: frames are counted from 1"),
        Error::NotAFrame { name, value } => format!("{name}={value:?} is not a frame number"),
        Error::NoScenario { id } => format!("no scenario called {id:?}"),
        Error::OptionNotPair { item } => format!("option {item:?} is not name:value"),
        Error::UnknownStore { store } => format!("unknown store {store:?}"),
        Error::ScenarioAndScene => "a link holds a scenario (s=) or a scene (sc=), not both".to_owned(),
        Error::PresetLine { line, error } => format!("preset line {line}: {error}"),
        Error::CouldNotStart { error } => format!("Could not start that view: {error}"),
        Error::CouldNotImport { error } => format!("Could not import that trace: {error}"),
        Error::ImportedDiffers => "The imported events differ from what this engine does (another version recorded them?): showing this engine's replay.".to_owned(),
        Error::TooManyOps { ops, max } => {
            format!("that would make {ops} operations; a session holds at most {max}")
        }
        Error::CouldNotShowFrame { pos, error } => format!("could not show frame {pos}: {error}"),
        Error::CouldNotCheckpoint { error } => format!("could not take a checkpoint: {error}"),
        Error::BadEscape { escape } => format!("bad escape %{escape}"),
        Error::NotUtf8 => "the link is not UTF-8".to_owned(),
        Error::LinkTooLong { max } => format!("the link is longer than {max} characters"),
        Error::NoPanel { name, panels } => {
            format!("panels: no panel called {name:?} (there are {panels})")
        }
    }
}

/// The Chinese text of `error`.
fn zh(error: &Error) -> String {
    let label = |option| ui_text(Lang::Zh, &Ui::OptionLabel { name: option });
    match *error {
        Error::NotANumber { option, value } => format!("{}：{value:?} 不是数字", label(option)),
        Error::OutOfRange { option, min, max } => {
            format!("{} 必须在 {min}..={max} 之间", label(option))
        }
        Error::NoBackground => {
            "可视化器自己执行维护：请选择 manual 或 inline，而不是 background".to_owned()
        }
        Error::FrameZero { name } => format!("{name}=0：帧从 1 开始计数"),
        Error::NotAFrame { name, value } => format!("{name}={value:?} 不是帧号"),
        Error::NoScenario { id } => format!("没有名为 {id:?} 的场景"),
        Error::OptionNotPair { item } => format!("选项 {item:?} 不是 名称:值 的形式"),
        Error::UnknownStore { store } => format!("未知的存储位置 {store:?}"),
        Error::ScenarioAndScene => {
            "一个链接只能包含场景预设（s=）或章节场景（sc=）之一，不能两者都有".to_owned()
        }
        Error::PresetLine { line, error } => format!("预设第 {line} 行：{error}"),
        Error::CouldNotStart { error } => format!("无法打开这个视图：{error}"),
        Error::CouldNotImport { error } => format!("无法导入这个 trace：{error}"),
        Error::ImportedDiffers => {
            "导入的事件与本引擎的行为不同（也许是另一个版本记录的？）：显示的是本引擎的重放结果。"
                .to_owned()
        }
        Error::TooManyOps { ops, max } => {
            format!("这样会有 {ops} 个操作；一个会话最多容纳 {max} 个")
        }
        Error::CouldNotShowFrame { pos, error } => format!("无法显示第 {pos} 帧：{error}"),
        Error::CouldNotCheckpoint { error } => format!("无法建立检查点：{error}"),
        Error::BadEscape { escape } => format!("错误的转义序列 %{escape}"),
        Error::NotUtf8 => "链接不是 UTF-8 编码".to_owned(),
        Error::LinkTooLong { max } => format!("链接超过了 {max} 个字符"),
        Error::NoPanel { name, panels } => {
            format!("panels：没有名为 {name:?} 的面板（可选的有 {panels}）")
        }
    }
}

/// The text of `error` in `lang`.
pub fn text(lang: Lang, error: &Error) -> String {
    match lang {
        Lang::En => en(error),
        Lang::Zh => zh(error),
    }
}

/// The text of `error` in the language shown.
pub fn error(error: &Error) -> String {
    text(shown(), error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::i18n::narration::coverage::english_words;

    fn samples() -> Vec<Error<'static>> {
        vec![
            Error::NotANumber {
                option: "seed",
                value: "abc",
            },
            Error::OutOfRange {
                option: "level_size_ratio",
                min: 2,
                max: 20,
            },
            Error::NoBackground,
            Error::FrameZero { name: "p" },
            Error::NotAFrame {
                name: "p",
                value: "x",
            },
            Error::NoScenario { id: "nope" },
            Error::OptionNotPair { item: "seed" },
            Error::UnknownStore { store: "disk" },
            Error::ScenarioAndScene,
            Error::PresetLine {
                line: 2,
                error: "“e”",
            },
            Error::CouldNotStart { error: "“e”" },
            Error::CouldNotImport { error: "“e”" },
            Error::ImportedDiffers,
            Error::TooManyOps { ops: 9, max: 8 },
            Error::CouldNotShowFrame {
                pos: 3,
                error: "“e”",
            },
            Error::CouldNotCheckpoint { error: "“e”" },
            Error::BadEscape { escape: "zz" },
            Error::NotUtf8,
            Error::LinkTooLong { max: 9 },
            Error::NoPanel {
                name: "nope",
                panels: "bloom",
            },
        ]
    }

    /// `variant_index` has no wildcard arm: a new error must be named
    /// here, and then sampled.
    fn variant_index(error: &Error) -> usize {
        match error {
            Error::NotANumber { .. } => 0,
            Error::OutOfRange { .. } => 1,
            Error::NoBackground => 2,
            Error::FrameZero { .. } => 3,
            Error::NotAFrame { .. } => 4,
            Error::NoScenario { .. } => 5,
            Error::OptionNotPair { .. } => 6,
            Error::UnknownStore { .. } => 7,
            Error::ScenarioAndScene => 8,
            Error::PresetLine { .. } => 9,
            Error::CouldNotStart { .. } => 10,
            Error::CouldNotImport { .. } => 11,
            Error::ImportedDiffers => 12,
            Error::TooManyOps { .. } => 13,
            Error::CouldNotShowFrame { .. } => 14,
            Error::CouldNotCheckpoint { .. } => 15,
            Error::BadEscape { .. } => 16,
            Error::NotUtf8 => 17,
            Error::LinkTooLong { .. } => 18,
            Error::NoPanel { .. } => 19,
        }
    }

    #[test]
    fn every_error_reads_in_both_languages_and_the_chinese_has_no_english() {
        let mut seen = [false; 20];
        for e in samples() {
            if let Some(slot) = seen.get_mut(variant_index(&e)) {
                *slot = true;
            }
            let (en, zh) = (text(Lang::En, &e), text(Lang::Zh, &e));
            assert_ne!(en, zh);
            let kept = [
                "zz",
                "UTF",
                "panels",
                "bloom",
                "IndexedDB",
                "manual",
                "inline",
                "background",
                "abc",
                "nope",
                "seed",
                "disk",
                "sc",
                "trace",
            ];
            let words: Vec<String> = english_words(&zh)
                .into_iter()
                .filter(|w| !kept.contains(&w.as_str()))
                .collect();
            assert!(words.is_empty(), "{words:?} left in {zh}");
        }
        assert!(seen.iter().all(|s| *s), "{seen:?}");
    }

    #[test]
    fn option_errors_name_the_option_in_the_language_shown() {
        let e = Error::OutOfRange {
            option: "level_size_ratio",
            min: 2,
            max: 20,
        };
        assert!(text(Lang::En, &e).starts_with("Level size ratio"));
        assert!(text(Lang::Zh, &e).starts_with("层间大小比"));
    }
}
