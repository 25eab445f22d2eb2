//! Questions in scenes: `# ask: QUESTION => ANSWER` lines (see the
//! [module documentation](super)), and their answers computed from the
//! events of the command they ask about.

use serde_json::Value;
use strata_engine::Event;

use super::Filter;

/// How an answer is computed from the next command's events.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Rule {
    /// The number of matching events.
    Count(Filter),
    /// Tables in a level after the command.
    Tables(usize),
    /// The field at a path of the first matching event.
    Field { path: String, filter: Filter },
}

/// A question a scene asks before one of its commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ask {
    /// The question, as the student reads it.
    pub question: String,
    /// The choices offered; empty when the answer is a number.
    pub choices: Vec<String>,
    rule: Rule,
}

/// The answer to an [`Ask`], as the trace gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A count.
    Number(u64),
    /// One of the choices.
    Choice(String),
}

impl Answer {
    /// Whether `given` (what the student typed or chose) is this answer;
    /// numbers ignore surrounding spaces.
    pub fn accepts(&self, given: &str) -> bool {
        match self {
            Answer::Number(n) => given.trim().parse::<u64>().ok() == Some(*n),
            Answer::Choice(c) => given.trim() == c,
        }
    }
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Number(n) => write!(f, "{n}"),
            Answer::Choice(c) => f.write_str(c),
        }
    }
}

/// Parses a line if it is a question (`Ok(None)` for any other line).
pub fn parse_ask(line: &str) -> Result<Option<Ask>, String> {
    let Some(comment) = line.trim().strip_prefix('#') else {
        return Ok(None);
    };
    let Some(rest) = comment.trim_start().strip_prefix("ask:") else {
        return Ok(None);
    };
    let (question, answer) = rest
        .split_once("=>")
        .ok_or("a question needs `=> ANSWER` after it")?;
    let question = question.trim();
    if question.is_empty() {
        return Err("the question is empty".to_owned());
    }
    let (rule, choices) = parse_rule(answer.trim())?;
    Ok(Some(Ask {
        question: question.to_owned(),
        choices,
        rule,
    }))
}

fn parse_rule(answer: &str) -> Result<(Rule, Vec<String>), String> {
    let words: Vec<&str> = answer.split_whitespace().collect();
    match words.as_slice() {
        ["count", filter @ ..] => Ok((Rule::Count(Filter::parse(filter)?), Vec::new())),
        ["tables", level] => {
            let level = level
                .strip_prefix('L')
                .and_then(|l| l.parse().ok())
                .ok_or_else(|| format!("bad level {level:?}"))?;
            Ok((Rule::Tables(level), Vec::new()))
        }
        [path, "of", ..] => {
            let (filter, choices) = answer
                .split_once(" among ")
                .ok_or("a choice needs `among A, B, …`")?;
            let filter_words: Vec<&str> = filter.split_whitespace().skip(2).collect();
            let choices: Vec<String> = choices
                .split(',')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect();
            if choices.len() < 2 {
                return Err("a choice needs at least two choices".to_owned());
            }
            let rule = Rule::Field {
                path: (*path).to_owned(),
                filter: Filter::parse(&filter_words)?,
            };
            Ok((rule, choices))
        }
        _ => Err(format!("unknown answer {answer:?}")),
    }
}

impl Ask {
    /// The answer, from `events` (those of the command asked about) and
    /// `tables_per_level` (after it). A choice the trace gives that is not
    /// among the choices offered is an error: the question would be unfair.
    pub fn answer(&self, events: &[Event], tables_per_level: &[usize]) -> Result<Answer, String> {
        let values = events.iter().filter_map(|e| serde_json::to_value(e).ok());
        match &self.rule {
            Rule::Count(filter) => Ok(Answer::Number(
                values.filter(|v| filter.matches(v)).count() as u64
            )),
            Rule::Tables(level) => Ok(Answer::Number(
                tables_per_level.get(*level).copied().unwrap_or(0) as u64,
            )),
            Rule::Field { path, filter } => {
                let parts: Vec<&str> = path.split('.').collect();
                let found = values
                    .filter(|v| filter.matches(v))
                    .find_map(|v| field_text(&v, &parts))
                    .ok_or_else(|| format!("{:?}: no matching event has {path}", self.question))?;
                if self.choices.contains(&found) {
                    Ok(Answer::Choice(found))
                } else {
                    Err(format!(
                        "{:?}: the answer {found:?} is not among the choices",
                        self.question
                    ))
                }
            }
        }
    }
}

/// The text of the field at `path` (the first element of an array on the
/// way).
fn field_text(value: &Value, path: &[&str]) -> Option<String> {
    match (value, path.split_first()) {
        (Value::Array(items), _) => items.iter().find_map(|v| field_text(v, path)),
        (_, Some((first, rest))) => field_text(value.get(*first)?, rest),
        (Value::String(s), None) => Some(s.clone()),
        (Value::Null, None) => Some("none".to_owned()),
        (other, None) => serde_json::to_string(other).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_parse_and_reject_nonsense() {
        assert_eq!(parse_ask("# expect: value 1"), Ok(None));
        assert_eq!(parse_ask("put a 1"), Ok(None));
        let count = parse_ask("# ask: How many blocks? => count block_read");
        assert!(
            matches!(&count, Ok(Some(a)) if a.question == "How many blocks?" && a.choices.is_empty()),
            "{count:?}"
        );
        let choice =
            parse_ask("# ask: Where? => source.in of get_finished among memtable, table").ok();
        assert_eq!(
            choice.flatten().map(|a| a.choices),
            Some(vec!["memtable".to_owned(), "table".to_owned()])
        );
        for bad in [
            "# ask: no answer",
            "# ask: => count block_read",
            "# ask: Q? => frobnicate",
            "# ask: Q? => tables X1",
            "# ask: Q? => verdict of bloom_probe among maybe_present",
            "# ask: Q? => verdict of bloom_probe",
        ] {
            assert!(parse_ask(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn answers_accept_the_number_or_the_choice() {
        assert!(Answer::Number(3).accepts(" 3 "));
        assert!(!Answer::Number(3).accepts("three"));
        assert!(Answer::Choice("table".into()).accepts("table"));
        assert!(!Answer::Choice("table".into()).accepts("memtable"));
        assert_eq!(Answer::Number(2).to_string(), "2");
    }
}
