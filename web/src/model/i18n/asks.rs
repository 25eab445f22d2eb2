//! The chapters' questions (`# ask:` lines) in Chinese. A scene block is
//! the same in both editions of a chapter, so its questions are written
//! in English there; the question box shows them in the language chosen
//! through this table, and a test checks that every question of every
//! chapter has its Chinese.

use super::{shown, Lang};

/// The Chinese of an English question, if it has one.
fn chinese(question: &str) -> Option<&'static str> {
    Some(match question {
        "How many tables will this get consider before it gives up?" => {
            "这次 get 在放弃之前会考察几张表？"
        }
        "How many tables will this get consider?" => "这次 get 会考察几张表？",
        "How many data blocks will this get read?" => "这次 get 会读几个数据块？",
        "How many tables will L0 hold after this step?" => "这一步之后 L0 会有几张表？",
        "How many bloom probes will the get for zebra make?" => {
            "对 zebra 的 get 会做几次布隆过滤器探测？"
        }
        "What will the filter answer for key000100x, a key the table does not hold?" => {
            "对于表中没有的键 key000100x，过滤器会怎么回答？"
        }
        "What will the compaction do with apple's tombstone?" => "合并会怎样处理 apple 的墓碑？",
        "Where will the get find cherry?" => "get 会在哪里找到 cherry？",
        "How many records will compaction remove as expired?" => "合并会以过期为由移除多少条记录？",
        _ => return None,
    })
}

/// `question` in `lang` (as written when it has no translation).
pub fn question_in(lang: Lang, question: &str) -> String {
    match lang {
        Lang::En => question.to_owned(),
        Lang::Zh => chinese(question).unwrap_or(question).to_owned(),
    }
}

/// `question` in the language shown.
pub fn question_shown(question: &str) -> String {
    question_in(shown(), question)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chapter_question_has_its_chinese() {
        let mut asked = 0;
        for chapter in strata_tutorials::CHAPTERS {
            for line in chapter.markdown.lines() {
                let Some(ask) = line.trim_start().strip_prefix("# ask:") else {
                    continue;
                };
                let question = ask.split(" => ").next().unwrap_or_default().trim();
                asked += 1;
                assert!(
                    chinese(question).is_some(),
                    "{}: {question:?} has no Chinese",
                    chapter.slug
                );
                assert_ne!(question_in(Lang::Zh, question), question);
            }
        }
        assert!(asked >= 7, "only {asked} questions found");
    }
}
