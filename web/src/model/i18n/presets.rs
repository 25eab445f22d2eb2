//! The scenario presets' titles and blurbs in both languages. The English
//! lives with each preset (`model::presets`); the Chinese is here, by the
//! preset's id, and a test checks that every preset has it and that it
//! states the same numbers as the English.

use super::{shown, Lang};
use crate::model::presets::Preset;

/// The Chinese title and blurb of the preset `id`.
fn chinese(id: &str) -> Option<(&'static str, &'static str)> {
    Some(match id {
        "first-flush" => (
            "第一次刷写",
            "写入先进入预写日志（WAL）和内存表；内存表写满后被冻结，再刷写成 L0 的第一张表。",
        ),
        "bloom-saves-a-read" => (
            "布隆过滤器省下一次读",
            "点查一个不存在的键，而表的键范围覆盖它：过滤器回答“一定不存在”，一个数据块也不用读。",
        ),
        "false-positive" => (
            "一次假阳性",
            "每键位数很少时，过滤器有时会对表中没有的键说“可能存在”：白读了一个数据块。",
        ),
        "l0-to-l1" => (
            "L0 → L1 合并",
            "四张相互重叠的 L0 表触发一次合并，把它们与 L1 中与之重叠的表归并成有序且互不重叠的新表。",
        ),
        "tombstone-dropped" => (
            "墓碑到达最底层",
            "删除会写入一个墓碑。当它被合并进最底层、下面再没有更旧的数据时，它就被丢弃：这个键彻底消失了。",
        ),
        "tombstone-kept" => (
            "必须保留的墓碑",
            "这个键的旧值还在更深的一层。把墓碑合并进它上面的一层时必须保留它：丢掉它会让旧值重新出现。",
        ),
        "overwrites-leveled" => (
            "分层合并下的覆盖写",
            "对 1,000 个键做 2,000 次随机覆盖写：分层合并在某层超过目标大小时立即把它合并进下一层——数据被频繁重写（写放大约为分级合并的两倍），但每层只有一个有序段。",
        ),
        "overwrites-tiered" => (
            "分级合并下的覆盖写",
            "同样的覆盖写改用分级合并：有序段先在一层中堆积（有时多达三个）再合并——重写量至多是分层合并的一半，但要查找的有序段更多，保留的过期数据也更多。",
        ),
        "big-tree" => (
            "200 张表的树",
            "分布在多层中的许多小表：大规模下的结构视图。",
        ),
        _ => return None,
    })
}

impl Preset {
    /// Its title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.title,
            Lang::Zh => chinese(self.id).map_or(self.title, |(title, _)| title),
        }
    }

    /// Its blurb in `lang`.
    pub fn blurb_in(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.blurb,
            Lang::Zh => chinese(self.id).map_or(self.blurb, |(_, blurb)| blurb),
        }
    }

    /// Its title in the language shown.
    pub fn title_shown(&self) -> &'static str {
        self.title_in(shown())
    }

    /// Its blurb in the language shown.
    pub fn blurb_shown(&self) -> &'static str {
        self.blurb_in(shown())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::presets::PRESETS;

    /// The numbers a text states, thousands separators dropped.
    fn numbers(text: &str) -> Vec<String> {
        let mut found: Vec<String> = text
            .replace(',', "")
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_preset_has_a_chinese_title_and_blurb() {
        for p in PRESETS {
            assert!(chinese(p.id).is_some(), "{} has no Chinese", p.id);
            assert_ne!(p.title_in(Lang::Zh), p.title, "{}", p.id);
            assert_ne!(p.blurb_in(Lang::Zh), p.blurb, "{}", p.id);
            assert_eq!(p.title_in(Lang::En), p.title);
        }
    }

    #[test]
    fn chinese_blurbs_state_the_numbers_the_english_ones_do() {
        for p in PRESETS {
            for (en, zh) in [
                (p.title, p.title_in(Lang::Zh)),
                (p.blurb, p.blurb_in(Lang::Zh)),
            ] {
                assert_eq!(numbers(en), numbers(zh), "{}: {en} / {zh}", p.id);
            }
        }
    }
}
