//! Compare mode and the theory panel: their text in every language, in
//! one place (`Msg::Compare` carries these).

use super::Lang;

/// A sentence of compare mode or of the theory panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareText<'a> {
    /// The entry in the top bar that opens compare mode.
    Enter,
    /// Its first choice: the scenario shown, on the other strategy.
    EnterThisScenario,
    /// Leaving compare mode for one database.
    Leave,
    /// The heading of compare mode.
    Heading,
    /// The menu of comparison presets.
    PresetsLabel,
    /// A comparison preset's title.
    PresetTitle { id: &'a str },
    /// A comparison preset's blurb.
    PresetBlurb { id: &'a str },
    /// A side's heading.
    Side { letter: char },
    /// A side that keeps the log's own options.
    SideOwnOptions,
    /// The shared timeline, to a screen reader.
    Timeline,
    /// The cursor: after `done` of `ops` operations.
    Cursor { done: usize, ops: usize },
    /// The cursor before any operation.
    Opening,
    /// Timeline buttons.
    ToStart,
    /// Back one operation.
    Back,
    /// Play.
    Play,
    /// Pause.
    Pause,
    /// Forward one operation.
    Forward,
    /// To the end.
    ToEnd,
    /// The speed menu.
    Speed,
    /// A speed choice.
    PerSecond { speed: &'a str },
    /// The scrub bar, to a screen reader.
    Scrub,
    /// The differences strip's heading.
    Differences,
    /// Figures: bytes written over user bytes.
    WriteAmp,
    /// Tables probed per get.
    ReadAmp,
    /// Table bytes over live bytes.
    SpaceAmp,
    /// Data blocks read per get.
    BlocksPerGet,
    /// Observed bloom false-positive rate.
    BloomFpRate,
    /// Bytes of tables.
    TableBytes,
    /// The theory panel's heading.
    TheoryHeading,
    /// What the prediction is for.
    TheoryShape {
        strategy: &'a str,
        levels: usize,
        ratio: u32,
        runs: usize,
    },
    /// Column heads.
    Measured,
    /// Predicted column.
    Predicted,
    /// Runs an absent get probes.
    RunsPerAbsentGet,
    /// Blocks an absent get reads.
    BlocksPerAbsentGet,
    /// The bloom curve's caption.
    BloomCurve { bits: u32 },
    /// The observed point on it.
    BloomObserved { rate: &'a str },
    /// No get yet: no observed point.
    BloomNoPoint,
    /// Measurement and theory agree within the margin.
    TheoryAgrees,
    /// The chart of WA and SA over levels, for both families.
    TheoryCurves { ratio: u32 },
    /// Legend entries of that chart.
    CurveLeveled,
    /// Tiered curves.
    CurveTiered,
    /// The measured point.
    CurveMeasured,
}

/// The English text.
pub fn en(text: &CompareText) -> String {
    use CompareText as T;
    match text {
        T::Enter => "Compare".to_owned(),
        T::EnterThisScenario => "This scenario on the other strategy".to_owned(),
        T::Leave => "One database".to_owned(),
        T::Heading => "Compare: one workload, two configurations".to_owned(),
        T::PresetsLabel => "Comparison".to_owned(),
        T::PresetTitle { id } => preset_field(id, |p| p.title),
        T::PresetBlurb { id } => preset_field(id, |p| p.blurb),
        T::Side { letter } => format!("Side {letter}"),
        T::SideOwnOptions => "the log's own options".to_owned(),
        T::Timeline => "Shared timeline".to_owned(),
        T::Cursor { done, ops } => format!("after {done} of {ops} operations"),
        T::Opening => "the databases open".to_owned(),
        T::ToStart => "To the start (Home)".to_owned(),
        T::Back => "Back one operation (←)".to_owned(),
        T::Play => "Play (space)".to_owned(),
        T::Pause => "Pause (space)".to_owned(),
        T::Forward => "Forward one operation (→)".to_owned(),
        T::ToEnd => "To the end (End)".to_owned(),
        T::Speed => "Speed".to_owned(),
        T::PerSecond { speed } => format!("{speed} ops/s"),
        T::Scrub => "Operations done, on every side".to_owned(),
        T::Differences => "Differences".to_owned(),
        T::WriteAmp => "write amplification".to_owned(),
        T::ReadAmp => "tables probed per get".to_owned(),
        T::SpaceAmp => "space amplification".to_owned(),
        T::BlocksPerGet => "blocks read per get".to_owned(),
        T::BloomFpRate => "bloom false-positive rate".to_owned(),
        T::TableBytes => "bytes in tables".to_owned(),
        T::TheoryHeading => "Theory beside measurement".to_owned(),
        T::TheoryShape {
            strategy,
            levels,
            ratio,
            runs,
        } => format!("{strategy}, {levels} levels in use (L0 included), size ratio T = {ratio}, {runs} runs per tiered level"),
        T::Measured => "measured".to_owned(),
        T::Predicted => "predicted".to_owned(),
        T::RunsPerAbsentGet => "tables probed per get (theory: an absent key)".to_owned(),
        T::BlocksPerAbsentGet => "blocks read per get (theory: an absent key)".to_owned(),
        T::BloomCurve { bits } => format!("Bloom false-positive rate (1 − e^(−kn/m))^k over 0…{bits} bits per key"),
        T::BloomObserved { rate } => format!("observed: {rate}"),
        T::BloomNoPoint => "no get has tested a filter yet".to_owned(),
        T::TheoryAgrees => "Measurement is within a quarter of the prediction.".to_owned(),
        T::TheoryCurves { ratio } => format!("Predicted WA and SA over the number of levels, T = {ratio}"),
        T::CurveLeveled => "leveled".to_owned(),
        T::CurveTiered => "tiered".to_owned(),
        T::CurveMeasured => "this side, measured".to_owned(),
    }
}

/// The Chinese text.
pub fn zh(text: &CompareText) -> String {
    use CompareText as T;
    match text {
        T::Enter => "对比".to_owned(),
        T::EnterThisScenario => "本场景换另一种合并策略".to_owned(),
        T::Leave => "回到单个数据库".to_owned(),
        T::Heading => "对比：同一负载，两套配置".to_owned(),
        T::PresetsLabel => "对比场景".to_owned(),
        T::PresetTitle { id } => zh_preset(id).0.to_owned(),
        T::PresetBlurb { id } => zh_preset(id).1.to_owned(),
        T::Side { letter } => format!("{letter} 侧"),
        T::SideOwnOptions => "日志自带的选项".to_owned(),
        T::Timeline => "共用的时间线".to_owned(),
        T::Cursor { done, ops } => format!("已执行 {done} 个操作，共 {ops} 个"),
        T::Opening => "数据库正在打开".to_owned(),
        T::ToStart => "回到开头（Home）".to_owned(),
        T::Back => "后退一个操作（←）".to_owned(),
        T::Play => "播放（空格）".to_owned(),
        T::Pause => "暂停（空格）".to_owned(),
        T::Forward => "前进一个操作（→）".to_owned(),
        T::ToEnd => "跳到结尾（End）".to_owned(),
        T::Speed => "速度".to_owned(),
        T::PerSecond { speed } => format!("每秒 {speed} 个操作"),
        T::Scrub => "各侧已执行的操作数".to_owned(),
        T::Differences => "差异".to_owned(),
        T::WriteAmp => "写放大（WA）".to_owned(),
        T::ReadAmp => "每次点查探测的表数".to_owned(),
        T::SpaceAmp => "空间放大（SA）".to_owned(),
        T::BlocksPerGet => "每次点查读取的数据块数".to_owned(),
        T::BloomFpRate => "布隆过滤器误判率".to_owned(),
        T::TableBytes => "表的字节数".to_owned(),
        T::TheoryHeading => "理论与测量并列".to_owned(),
        T::TheoryShape {
            strategy,
            levels,
            ratio,
            runs,
        } => format!("{strategy}，使用中的层数 {levels}（含 L0），大小比 T = {ratio}，每个分级层 {runs} 个有序段"),
        T::Measured => "测量值".to_owned(),
        T::Predicted => "预测值".to_owned(),
        T::RunsPerAbsentGet => "每次点查探测的表数（理论值：键不存在时）".to_owned(),
        T::BlocksPerAbsentGet => "每次点查读取的数据块数（理论值：键不存在时）".to_owned(),
        T::BloomCurve { bits } => format!("布隆过滤器误判率 (1 − e^(−kn/m))^k，每键位数 0…{bits}"),
        T::BloomObserved { rate } => format!("观测值：{rate}"),
        T::BloomNoPoint => "还没有点查测试过过滤器".to_owned(),
        T::TheoryAgrees => "测量值与预测值相差不到四分之一。".to_owned(),
        T::TheoryCurves { ratio } => format!("预测的写放大与空间放大随层数的变化，T = {ratio}"),
        T::CurveLeveled => "分层合并".to_owned(),
        T::CurveTiered => "分级合并".to_owned(),
        T::CurveMeasured => "本侧的测量值".to_owned(),
    }
}

/// The text in `lang`.
pub fn text(lang: Lang, t: &CompareText) -> String {
    match lang {
        Lang::En => en(t),
        Lang::Zh => zh(t),
    }
}

fn preset_field(
    id: &str,
    field: fn(&'static crate::model::compare::presets::ComparePreset) -> &'static str,
) -> String {
    crate::model::compare::presets::compare_preset(id)
        .map(field)
        .unwrap_or(id)
        .to_owned()
}

/// The Chinese title and blurb of each comparison preset (their numbers
/// are the English blurb's, which the presets' claims check).
fn zh_preset(id: &str) -> (&str, &str) {
    match id {
        "cmp-leveled-tiered" => (
            "分层合并对比分级合并",
            "同样是对 1,000 个键的 3,000 次均匀覆盖写。分级合并（B）写入的字节数至多是分层合并（A）的 0.6 倍，而存储的字节数至少是它的 1.5 倍：旧版本组成的有序段在一层里等待，直到这一层合并。",
        ),
        "cmp-strategies-skewed" => (
            "倾斜覆盖写下的分层、分级与混合策略",
            "3,000 次覆盖写，其中 80% 落在 1,000 个键中的五分之一上。分级合并（B）写入的字节数至多是分层合并（A）的 0.6 倍，存储的字节数至少是它的 1.5 倍；混合策略（C）只对 L0 和 L1 分级：它写入的字节数至多是分层合并的 0.8 倍，存储的字节数至多是 1.1 倍。",
        ),
        "cmp-bloom-bits" => (
            "每键 0、5、10 位的布隆过滤器",
            "点查夹在已有键之间、并不存在的键。没有过滤器时（A），每张键范围覆盖该键的表都要读一个数据块；每键 5 位（B）能排除其中大部分，10 位（C）几乎全部排除：A 读取的数据块数至少是 C 的 5 倍，至少是 B 的 3 倍。",
        ),
        "cmp-size-ratio" => (
            "大小比 4 对比 10",
            "对同样的覆盖写做分层合并，每层是上一层的 4 倍（A）或 10 倍（B）。较小的大小比需要更多层；较大的大小比写入的字节数至少是 1.1 倍，因为一张表下移时会遇到下一层更多的数据，而存储的字节数至多是 0.9 倍，因为在最后一层之上等待的过期数据更少。",
        ),
        other => (other, other),
    }
}

/// One of every message, for the completeness test.
#[cfg(test)]
pub fn samples() -> Vec<CompareText<'static>> {
    use CompareText as T;
    let mut all = vec![
        T::Enter,
        T::EnterThisScenario,
        T::Leave,
        T::Heading,
        T::PresetsLabel,
        T::Side { letter: 'B' },
        T::SideOwnOptions,
        T::Timeline,
        T::Cursor { done: 3, ops: 9 },
        T::Opening,
        T::ToStart,
        T::Back,
        T::Play,
        T::Pause,
        T::Forward,
        T::ToEnd,
        T::Speed,
        T::PerSecond { speed: "4" },
        T::Scrub,
        T::Differences,
        T::WriteAmp,
        T::ReadAmp,
        T::SpaceAmp,
        T::BlocksPerGet,
        T::BloomFpRate,
        T::TableBytes,
        T::TheoryHeading,
        T::TheoryShape {
            strategy: "leveled",
            levels: 3,
            ratio: 4,
            runs: 4,
        },
        T::Measured,
        T::Predicted,
        T::RunsPerAbsentGet,
        T::BlocksPerAbsentGet,
        T::BloomCurve { bits: 20 },
        T::BloomObserved { rate: "1.0%" },
        T::BloomNoPoint,
        T::TheoryAgrees,
        T::TheoryCurves { ratio: 4 },
        T::CurveLeveled,
        T::CurveTiered,
        T::CurveMeasured,
    ];
    for p in crate::model::compare::presets::COMPARE_PRESETS {
        all.push(T::PresetTitle { id: p.id });
        all.push(T::PresetBlurb { id: p.id });
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compare_preset_has_a_chinese_title_and_blurb() {
        for p in crate::model::compare::presets::COMPARE_PRESETS {
            let (title, blurb) = zh_preset(p.id);
            assert_ne!(title, p.id, "{}", p.id);
            assert_ne!(blurb, p.id, "{}", p.id);
            assert_eq!(en(&CompareText::PresetTitle { id: p.id }), p.title);
        }
    }

    /// The Chinese blurbs state the same bounds as the English ones, which
    /// the presets' claims check on the real runs.
    #[test]
    fn chinese_blurbs_keep_the_checked_numbers() {
        for p in crate::model::compare::presets::COMPARE_PRESETS {
            let numbers = |s: &str| -> Vec<String> {
                s.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                    .map(|n| n.trim_matches(|c| c == '.' || c == ','))
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            let mut en_numbers = numbers(p.blurb);
            let mut zh_numbers = numbers(zh_preset(p.id).1);
            en_numbers.sort();
            zh_numbers.sort();
            assert_eq!(en_numbers, zh_numbers, "{}", p.id);
        }
    }
}
