//! Why a line of the command language was refused, in both languages:
//! the engine's [`ScriptProblem`] (its `Display` is the shell's English),
//! rendered for the command box, the options panel and compare mode.
//! Commands, options and settings keep their script names.
//!
//! `ScriptProblem` is `#[non_exhaustive]`, so these matches need a last
//! arm (the engine's English); the tests render every one of
//! [`ScriptProblem::examples`] and fail when a variant reaches that arm.

use strata_engine::key_text::HexError;
use strata_engine::script::{Argument, ScriptError, ScriptProblem};

use super::{shown, Lang};

/// The English text of `problem` (the engine's own).
fn en(problem: &ScriptProblem) -> String {
    problem.to_string()
}

/// How the Chinese messages name a missing argument.
fn zh_argument(what: Argument) -> String {
    match what {
        Argument::NameValue => "名称=值".to_owned(),
        Argument::Key => "键".to_owned(),
        Argument::Value => "值".to_owned(),
        Argument::StartKey => "起始键".to_owned(),
        Argument::EndKey => "结束键".to_owned(),
        Argument::Bound => "范围边界".to_owned(),
        Argument::AtSnapshot => "快照（@编号）".to_owned(),
        Argument::SnapshotId => "快照编号".to_owned(),
        Argument::Pattern => "load 模式（sequential、random 或 skewed）".to_owned(),
        Argument::Count => "数量".to_owned(),
        Argument::Milliseconds => "毫秒数".to_owned(),
        _ => what.english().to_owned(),
    }
}

/// The Chinese text of a `0x` word that is not hex.
fn zh_hex(error: &HexError) -> String {
    match error {
        HexError::TooLong { max } => format!("十六进制串超过 {max} 个字符"),
        HexError::OddLength => "十六进制串的长度是奇数".to_owned(),
        HexError::NotADigit { digit } => format!("{digit:?} 不是十六进制数字"),
        _ => error.to_string(),
    }
}

/// The Chinese text of `problem`.
fn zh(problem: &ScriptProblem) -> String {
    match problem {
        ScriptProblem::LineTooLong { max } => format!("一行不能超过 {max} 字节"),
        ScriptProblem::UnknownCommand { word } => {
            format!("未知命令 {word:?}（输入 help 查看命令）")
        }
        ScriptProblem::Missing { what } => format!("缺少{}", zh_argument(*what)),
        ScriptProblem::ExtraWords => "命令末尾有多余的内容".to_owned(),
        ScriptProblem::Unexpected { word } => format!("无法识别 {word:?}"),
        ScriptProblem::NotANumber { text } => format!("{text:?} 不是数字"),
        ScriptProblem::ExpectedNameValue => "应写成 名称=值 的形式".to_owned(),
        ScriptProblem::ExpectedNameValueGot { word } => {
            format!("应写成 名称=值 的形式，而不是 {word:?}")
        }
        ScriptProblem::BatchEntry => "batch 只能包含 put 和 delete，用 | 分隔".to_owned(),
        ScriptProblem::UnknownLoadPattern { word } => {
            format!("未知的 load 模式 {word:?}（可用 sequential、random 或 skewed）")
        }
        ScriptProblem::UnknownLoadSetting { name } => format!("未知的 load 设置 {name:?}"),
        ScriptProblem::LoadCountTooLarge { max } => format!("每次 load 最多 {max} 个操作"),
        ScriptProblem::ValueBytesTooLarge { max, got } => {
            format!("value_bytes 最大为 {max}，不能是 {got}")
        }
        ScriptProblem::LoadOverOps { count, max } => {
            format!("这次 load 会写入 {count} 个 put；这里的上限是 {max}")
        }
        ScriptProblem::LoadOverBytes { bytes, max } => {
            format!("这次 load 会生成约 {bytes} 字节的键和值；这里的上限是 {max} 字节")
        }
        ScriptProblem::BadHex(error) => zh_hex(error),
        ScriptProblem::UnterminatedQuote => "引号字符串缺少结尾的引号".to_owned(),
        ScriptProblem::BadHexEscape { hex } => format!("错误的转义序列 \\x{hex}"),
        ScriptProblem::UnknownEscape { escape } => format!("未知的转义序列 \\{escape}"),
        ScriptProblem::OptionAfterCommands => "option 行必须写在所有命令之前".to_owned(),
        ScriptProblem::UnknownOption { name } => format!("未知选项 {name:?}"),
        // The reader's own explanation is English; the name and the value
        // say enough.
        ScriptProblem::BadOptionValue { name, value, .. } => {
            format!("选项 {name} 不能取值 {value:?}")
        }
        ScriptProblem::InvalidOptions { reason } => format!("选项组合无效：{reason}"),
        ScriptProblem::TimeTooLarge { max, got } => {
            format!("时间最大为 {max} 毫秒，不能是 {got}")
        }
        ScriptProblem::Other { message } => message.clone(),
        _ => problem.to_string(),
    }
}

/// The text of `problem` in `lang`.
pub fn text(lang: Lang, problem: &ScriptProblem) -> String {
    match lang {
        Lang::En => en(problem),
        Lang::Zh => zh(problem),
    }
}

/// The text of `problem` in the language shown.
pub fn script_problem(problem: &ScriptProblem) -> String {
    text(shown(), problem)
}

/// A script's error with its line and column, in `lang`.
pub fn located_text(lang: Lang, error: &ScriptError) -> String {
    let (line, column) = (error.line, error.column);
    let problem = text(lang, &error.problem);
    match lang {
        Lang::En => format!("line {line}, column {column}: {problem}"),
        Lang::Zh => format!("第 {line} 行第 {column} 列：{problem}"),
    }
}

/// A script's error with its line and column, in the language shown.
pub fn script_error(error: &ScriptError) -> String {
    located_text(shown(), error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::i18n::narration::coverage::english_words;

    /// Words the Chinese keeps: commands, settings and the examples'
    /// arguments.
    const KEPT: &[&str] = &[
        "help",
        "load",
        "sequential",
        "random",
        "skewed",
        "batch",
        "put",
        "delete",
        "option",
        "value_bytes",
        "seed",
        "xzz",
        "oops",
    ];

    #[test]
    fn every_problem_reads_in_both_languages_and_the_chinese_has_no_english() {
        for problem in ScriptProblem::examples() {
            let (en, zh) = (text(Lang::En, &problem), text(Lang::Zh, &problem));
            assert_eq!(en, problem.to_string());
            if matches!(problem, ScriptProblem::Other { .. }) {
                continue;
            }
            // Reaching the last arm would give the English.
            assert_ne!(en, zh, "{problem:?} has no Chinese");
            let words: Vec<String> = english_words(&zh)
                .into_iter()
                .filter(|w| !KEPT.contains(&w.as_str()))
                .collect();
            assert!(words.is_empty(), "{words:?} left in {zh}");
        }
    }

    #[test]
    fn a_located_error_says_line_and_column() {
        let error = ScriptError {
            line: 2,
            ..ScriptError::new(5, ScriptProblem::ExtraWords)
        };
        assert_eq!(
            located_text(Lang::En, &error),
            "line 2, column 5: unexpected extra words"
        );
        assert_eq!(
            located_text(Lang::Zh, &error),
            "第 2 行第 5 列：命令末尾有多余的内容"
        );
    }
}
