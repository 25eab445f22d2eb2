//! Where each prose number that no code block asserts comes from.

use strata_engine::Options;
use strata_engine::bloom::{BloomFilter, optimal_hash_count, theoretical_false_positive_rate};
use strata_engine::memtable::skiplist::{BRANCHING, LINK_BYTES, NODE_OVERHEAD_BYTES};
use strata_engine::record::{MAX_SEQNO, TRAILER_BYTES};
use strata_engine::wal::{BLOCK_SIZE_BYTES, HEADER_BYTES};

pub enum Source {
    /// Computed from the engine now; one of the strings must equal the
    /// number as the prose writes it.
    Engine(fn() -> Vec<String>),
    /// Some event of the chapter's scenes has this field with this value
    /// (rounded to the prose's decimals).
    Trace { field: &'static str },
    /// Quoted from a report a benchmark wrote: `file` (from the repository
    /// root) has it on a line containing `row` (anywhere when `row` is
    /// empty).
    Report {
        file: &'static str,
        row: &'static str,
    },
    /// Chosen by the prose, or derived by arithmetic the prose shows; why.
    Input(&'static str),
}

pub struct Quote {
    pub chapter: &'static str,
    pub number: &'static str,
    pub source: Source,
}

const fn q(chapter: &'static str, number: &'static str, source: Source) -> Quote {
    Quote {
        chapter,
        number,
        source,
    }
}

const fn input(chapter: &'static str, number: &'static str, why: &'static str) -> Quote {
    q(chapter, number, Source::Input(why))
}

const fn engine(
    chapter: &'static str,
    number: &'static str,
    compute: fn() -> Vec<String>,
) -> Quote {
    q(chapter, number, Source::Engine(compute))
}

const fn trace(chapter: &'static str, number: &'static str, field: &'static str) -> Quote {
    q(chapter, number, Source::Trace { field })
}

const fn report(
    chapter: &'static str,
    number: &'static str,
    file: &'static str,
    row: &'static str,
) -> Quote {
    q(chapter, number, Source::Report { file, row })
}

const COMPACTION: &str = "docs/compaction.md";
const BENCHMARKS: &str = "BENCHMARKS.md";
// Rows of the full-scale qlsm table (Strata's steps) and of the before and
// after table of "Reads without the state mutex".
const QLSM_INSERT: &str = "| insert | strata | 11881376 |";
const QLSM_QUERY_ALL: &str = "| query all | strata | 11881376 |";
const QLSM_DELETE_ALL: &str = "| delete all | strata | 11881376 |";
const QLSM_QUERY_ABSENT: &str = "| query absent | strata | 11881376 |";
const QLSM_REOPEN: &str = "| reopen | strata | 1 | 0.040 |";
const RWW_1: &str = "| readwhilewriting (1 reader) |";
const RWW_2: &str = "| readwhilewriting (2 readers) |";
const RWW_4: &str = "| readwhilewriting (4 readers) |";
const RWW_WRITER: &str = "| readwhilewriting writer, beside 1 / 2 / 4 readers |";
// Rows of the amplification tables: default options (chapter 14) and small
// options (chapter 11) differ in the number of levels used.
const LEVELED_DEFAULT: &str = "| Uniform | Leveled | 2 |";
const TIERED_DEFAULT: &str = "| Uniform | SizeTiered | 3 |";
const HYBRID_DEFAULT: &str = "| Uniform | Hybrid | 4 |";
const LEVELED_SMALL: &str = "| Uniform | Leveled | 4 |";
const TIERED_SMALL: &str = "| Uniform | SizeTiered | 5 |";
const HYBRID_SMALL: &str = "| Uniform | Hybrid | 5 |";

/// `n` with thousands separators, as the prose writes integers.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The false-positive rate in percent of `bits` bits per key at the best
/// number of probes, in theory and measured as chapter 6 measures it
/// (100,000 keys in, 100,000 other keys probed), each with 2–4 decimals.
fn bloom_rates_percent(bits: u32) -> Vec<String> {
    let k = optimal_hash_count(bits);
    let theory = 100.0 * theoretical_false_positive_rate(f64::from(bits), k);
    let n = 100_000;
    let filter = BloomFilter::build((0..n).map(|i| format!("present-{i:08}")), bits);
    let positives = (0..n)
        .filter(|i| filter.may_contain(format!("absent-{i:08}").as_bytes()))
        .count();
    let measured = 100.0 * positives as f64 / f64::from(n);
    [theory, measured]
        .into_iter()
        .flat_map(|v| [format!("{v:.2}"), format!("{v:.3}"), format!("{v:.4}")])
        .chain([k.to_string()])
        .collect()
}

/// The ten-bit filter's false-positive rate, as a fraction and in percent.
fn ten_bit_rate() -> Vec<String> {
    let rate = theoretical_false_positive_rate(10.0, optimal_hash_count(10));
    vec![format!("{rate:.4}"), format!("{:.2}", 100.0 * rate)]
}

/// Bytes of one skip-list record of the chapter 3 example (16-byte key,
/// 100-byte value) with the average 4/3 links of a branching factor of 4.
fn memtable_record_bytes() -> f64 {
    let links = BRANCHING as f64 / (BRANCHING as f64 - 1.0);
    (16 + TRAILER_BYTES as u64 + 100 + NODE_OVERHEAD_BYTES) as f64 + LINK_BYTES as f64 * links
}

pub static QUOTES: &[Quote] = &[
    // 01 — a B-tree page per insert against Strata's bytes.
    input(
        "why-lsm",
        "0.22",
        "2,000 × 110 bytes, the sum the sentence shows",
    ),
    input(
        "why-lsm",
        "8.2",
        "2,000 × 4,096 bytes, the sum the sentence shows",
    ),
    engine("why-lsm", "37.6", || {
        let record = 9 + TRAILER_BYTES as u64 + 16 + NODE_OVERHEAD_BYTES + LINK_BYTES;
        vec![format!("{:.1}", 4096.0 / record as f64)]
    }),
    // 02 — record encoding and sequence numbers.
    input(
        "records",
        "76,800",
        "300 << 8, the arithmetic the answer shows",
    ),
    engine("records", "7.2", || {
        vec![format!("{:.1}", MAX_SEQNO as f64 / 1e6 / 1e10)]
    }),
    engine("records", "2,283", || {
        let years = MAX_SEQNO as f64 / 1e6 / (365.25 * 86_400.0);
        vec![grouped(years as u64)]
    }),
    // 03 — the memtable's size accounting.
    input(
        "memtable",
        "2,012",
        "the worked example's sum: 20 records of 95 bytes plus their links",
    ),
    input("memtable", "4,096", "the memtable limit the exercise sets"),
    engine("memtable", "4,194,304", || {
        vec![grouped(Options::default().memtable_bytes_max as u64)]
    }),
    engine("memtable", "20,900", || {
        let records =
            Options::default().memtable_bytes_max as f64 / memtable_record_bytes().round();
        vec![grouped(((records / 100.0).round() * 100.0) as u64)]
    }),
    engine("memtable", "5.3", || {
        let links = BRANCHING as f64 / (BRANCHING as f64 - 1.0);
        vec![format!("{:.1}", LINK_BYTES as f64 * links)]
    }),
    // 04 — fragments of a 40,000-byte record after a 115-byte one.
    engine("wal", "32,768", || vec![grouped(BLOCK_SIZE_BYTES as u64)]),
    engine("wal", "32,753", || {
        vec![grouped((BLOCK_SIZE_BYTES - HEADER_BYTES) as u64)]
    }),
    engine("wal", "32,638", || {
        vec![grouped((BLOCK_SIZE_BYTES - 115 - HEADER_BYTES) as u64)]
    }),
    engine("wal", "7,362", || {
        vec![grouped(
            (40_000 - (BLOCK_SIZE_BYTES - 115 - HEADER_BYTES)) as u64,
        )]
    }),
    input("wal", "1,000", "the exercise's number of unsynced puts"),
    input(
        "wal",
        "1,001",
        "the exercise's 1,000 unsynced puts and one synced",
    ),
    // 05 — index size of a 1M-entry table.
    input(
        "sstable",
        "32,000",
        "1,000,000 entries / 31 per block, the answer's sum",
    ),
    input(
        "sstable",
        "1.7",
        "32,000 index entries × 52 bytes, the answer's sum",
    ),
    input(
        "sstable",
        "1.3",
        "1.7 MB of index over 132 MB of entries, the answer's sum",
    ),
    // 06 — bloom filters: the table of rates, in theory and measured.
    engine("bloom", "9.18", || bloom_rates_percent(5)),
    engine("bloom", "9.26", || bloom_rates_percent(5)),
    engine("bloom", "2.16", || bloom_rates_percent(8)),
    engine("bloom", "2.18", || bloom_rates_percent(8)),
    engine("bloom", "0.82", ten_bit_rate),
    engine("bloom", "0.0082", ten_bit_rate),
    engine("bloom", "0.31", || bloom_rates_percent(12)),
    engine("bloom", "0.29", || bloom_rates_percent(12)),
    engine("bloom", "0.046", || bloom_rates_percent(16)),
    engine("bloom", "0.038", || bloom_rates_percent(16)),
    engine("bloom", "0.0067", || bloom_rates_percent(20)),
    engine("bloom", "0.69", || {
        vec![format!("{:.2}", std::f64::consts::LN_2)]
    }),
    engine("bloom", "0.6185", || {
        vec![format!(
            "{:.4}",
            (-std::f64::consts::LN_2 * std::f64::consts::LN_2).exp()
        )]
    }),
    engine("bloom", "1.74", || {
        vec![format!(
            "{:.2}",
            100.0 * theoretical_false_positive_rate(10.0, 3)
        )]
    }),
    input("bloom", "1.25", "ten bits per key are 10 / 8 bytes"),
    input(
        "bloom",
        "10,000,000",
        "the exercise's 1,000,000 keys × 10 bits",
    ),
    input("bloom", "0.057", "7 × 0.0082, the answer's sum"),
    input(
        "bloom",
        "0.01",
        "the order of magnitude of the ten-bit rate, 0.0082",
    ),
    // 07 — absent gets across seven tables.
    engine("read-path", "0.0082", ten_bit_rate),
    engine("read-path", "0.82", ten_bit_rate),
    input("read-path", "0.06", "7 × 0.0082, the answer's sum"),
    // 08 — flush and L0's score.
    input(
        "flush",
        "1.0",
        "the score at which compaction is due, by definition",
    ),
    trace("flush", "1.5", "score"),
    input(
        "flush",
        "2,033",
        "the answer's sum over the scene's 19 records before tower links",
    ),
    // 09 — level scores in the scenes.
    trace("leveled-compaction", "1.197", "score"),
    input(
        "leveled-compaction",
        "1.2",
        "5 KiB / 4 KiB, the answer's estimate of the 1.197 the event states",
    ),
    input(
        "leveled-compaction",
        "2.5",
        "the exercise's sizes: L1 holds 25 MiB of a 10 MiB target",
    ),
    input(
        "leveled-compaction",
        "0.9",
        "the exercise's sizes: L2 holds 90 MiB of a 100 MiB target",
    ),
    // 11 — the amplification table with small options.
    report("strategies", "10.12", COMPACTION, LEVELED_SMALL),
    report("strategies", "17.5", COMPACTION, LEVELED_SMALL),
    report("strategies", "2.18", COMPACTION, LEVELED_SMALL),
    report("strategies", "4.61", COMPACTION, LEVELED_SMALL),
    report("strategies", "1.02", COMPACTION, LEVELED_SMALL),
    report("strategies", "5.62", COMPACTION, LEVELED_SMALL),
    report("strategies", "0.048", COMPACTION, LEVELED_SMALL),
    report("strategies", "4.25", COMPACTION, TIERED_SMALL),
    report("strategies", "5.0", COMPACTION, TIERED_SMALL),
    report("strategies", "5.07", COMPACTION, TIERED_SMALL),
    report("strategies", "8.38", COMPACTION, TIERED_SMALL),
    report("strategies", "1.05", COMPACTION, TIERED_SMALL),
    report("strategies", "13.99", COMPACTION, TIERED_SMALL),
    report("strategies", "0.113", COMPACTION, TIERED_SMALL),
    report("strategies", "7.37", COMPACTION, HYBRID_SMALL),
    report("strategies", "18.5", COMPACTION, HYBRID_SMALL),
    report("strategies", "2.35", COMPACTION, HYBRID_SMALL),
    report("strategies", "6.80", COMPACTION, HYBRID_SMALL),
    report("strategies", "1.04", COMPACTION, HYBRID_SMALL),
    report("strategies", "8.28", COMPACTION, HYBRID_SMALL),
    report("strategies", "0.069", COMPACTION, HYBRID_SMALL),
    input(
        "strategies",
        "1.5",
        "L0 run size in the size-tiered scene, rounded, as its events show",
    ),
    input(
        "strategies",
        "4.2",
        "the L1 run sizes the events showed, given as a range with a date",
    ),
    input(
        "strategies",
        "4.5",
        "the L1 run sizes the events showed, given as a range with a date",
    ),
    input(
        "strategies",
        "5.5",
        "(T + 1) / 2 for T = 10, the formula the answer uses",
    ),
    // 14 — measuring.
    report("measuring", "477,773", BENCHMARKS, "| strata-bench run 2 |"),
    report("measuring", "592,613", BENCHMARKS, "| strata-bench run 3 |"),
    report("measuring", "644,156", BENCHMARKS, "| strata-bench run 3 |"),
    report("measuring", "648,379", BENCHMARKS, "| strata-bench run 2 |"),
    report("measuring", "0.41", BENCHMARKS, "| strata-bench run 2 |"),
    report("measuring", "0.72", BENCHMARKS, "| strata-bench run 1 |"),
    report("measuring", "6.1", BENCHMARKS, "| strata-bench run 1 |"),
    report("measuring", "0.14", BENCHMARKS, "| strata-bench run 2 |"),
    report("measuring", "0.25", BENCHMARKS, "| strata-bench run 1 |"),
    input(
        "measuring",
        "1,000,000",
        "the amplification workload's size, an input of the benchmark",
    ),
    input(
        "measuring",
        "100,000",
        "the amplification workload's key count, an input of the benchmark",
    ),
    report("measuring", "2.62", COMPACTION, LEVELED_DEFAULT),
    report("measuring", "1.70", COMPACTION, LEVELED_DEFAULT),
    report("measuring", "1.12", COMPACTION, LEVELED_DEFAULT),
    report("measuring", "1.00", COMPACTION, LEVELED_DEFAULT),
    report("measuring", "1.59", COMPACTION, LEVELED_DEFAULT),
    report("measuring", "0.013", COMPACTION, LEVELED_DEFAULT),
    report("measuring", "2.06", COMPACTION, TIERED_DEFAULT),
    report("measuring", "4.91", COMPACTION, TIERED_DEFAULT),
    report("measuring", "2.73", COMPACTION, TIERED_DEFAULT),
    report("measuring", "8.00", COMPACTION, TIERED_DEFAULT),
    report("measuring", "0.068", COMPACTION, TIERED_DEFAULT),
    report("measuring", "2.09", COMPACTION, HYBRID_DEFAULT),
    report("measuring", "4.01", COMPACTION, HYBRID_DEFAULT),
    report("measuring", "0.83", COMPACTION, HYBRID_DEFAULT),
    report("measuring", "7.16", COMPACTION, HYBRID_DEFAULT),
    report("measuring", "0.060", COMPACTION, HYBRID_DEFAULT),
    report("measuring", "11.6", COMPACTION, ""),
    input(
        "measuring",
        "0.01",
        "the order of magnitude of the table's 0.013, 0.068 and 0.060",
    ),
    engine("measuring", "0.62", || {
        vec![format!(
            "{:.2}",
            (-std::f64::consts::LN_2 * std::f64::consts::LN_2).exp()
        )]
    }),
    engine("measuring", "0.82", ten_bit_rate),
    engine("measuring", "0.0067", || bloom_rates_percent(20)),
    input(
        "measuring",
        "1.25",
        "ten more bits per key are 10 / 8 bytes",
    ),
    input(
        "measuring",
        "0.014",
        "the scene's blocks per absent get, rounded, with ten bits per key",
    ),
    input(
        "measuring",
        "0.0001",
        "the direction the answer predicts at twenty bits",
    ),
    input(
        "measuring",
        "1.55",
        "bytes the ratio-10 scene wrote, in MB, dated in the answer",
    ),
    input(
        "measuring",
        "1.36",
        "bytes the ratio-4 scene wrote, in MB, dated in the answer",
    ),
    input(
        "measuring",
        "5.5",
        "(T + 1) / 2 for T = 10, the formula the answer uses",
    ),
    input(
        "measuring",
        "2.5",
        "(T + 1) / 2 for T = 4, the formula the answer uses",
    ),
    engine("measuring", "1.31", || {
        // A batch of one put of a 16-byte key and 100-byte value: the
        // batch header, the kind and lengths, and one fragment header.
        let user = 16 + 100;
        let logged = 12 + 9 + HEADER_BYTES + user;
        vec![format!("{:.2}", logged as f64 / user as f64)]
    }),
    // 16 — the qlsm case study: the full-scale table of BENCHMARKS.md.
    report("case-study-qlsm", "408.954", BENCHMARKS, QLSM_INSERT),
    report("case-study-qlsm", "15.320", BENCHMARKS, QLSM_INSERT),
    report("case-study-qlsm", "26.7", BENCHMARKS, QLSM_INSERT),
    report("case-study-qlsm", "52.913", BENCHMARKS, QLSM_QUERY_ALL),
    report("case-study-qlsm", "4.059", BENCHMARKS, QLSM_QUERY_ALL),
    report("case-study-qlsm", "13.0", BENCHMARKS, QLSM_QUERY_ALL),
    report("case-study-qlsm", "213.146", BENCHMARKS, QLSM_DELETE_ALL),
    report("case-study-qlsm", "12.874", BENCHMARKS, QLSM_DELETE_ALL),
    report("case-study-qlsm", "16.6", BENCHMARKS, QLSM_DELETE_ALL),
    report("case-study-qlsm", "31.214", BENCHMARKS, QLSM_QUERY_ABSENT),
    report("case-study-qlsm", "2.457", BENCHMARKS, QLSM_QUERY_ABSENT),
    report("case-study-qlsm", "12.7", BENCHMARKS, QLSM_QUERY_ABSENT),
    report("case-study-qlsm", "41.691", BENCHMARKS, QLSM_REOPEN),
    input(
        "case-study-qlsm",
        "4.45",
        "qlsm's 52.913 s for query all over 11,881,376 gets, in µs, the sum the answer shows",
    ),
    report("case-study-qlsm", "0.040", BENCHMARKS, QLSM_REOPEN),
    engine("case-study-qlsm", "0.82", ten_bit_rate),
    // Readers beside a writer, before and after reads stopped taking the
    // state mutex.
    report("case-study-qlsm", "15.659", BENCHMARKS, RWW_1),
    report("case-study-qlsm", "8.000", BENCHMARKS, RWW_1),
    report("case-study-qlsm", "1.96", BENCHMARKS, RWW_1),
    report("case-study-qlsm", "12.615", BENCHMARKS, RWW_2),
    report("case-study-qlsm", "7.364", BENCHMARKS, RWW_2),
    report("case-study-qlsm", "1.71", BENCHMARKS, RWW_2),
    report("case-study-qlsm", "9.456", BENCHMARKS, RWW_4),
    report("case-study-qlsm", "5.159", BENCHMARKS, RWW_4),
    report("case-study-qlsm", "1.83", BENCHMARKS, RWW_4),
    report("case-study-qlsm", "0.76", BENCHMARKS, RWW_WRITER),
    report("case-study-qlsm", "0.75", BENCHMARKS, RWW_WRITER),
    report("case-study-qlsm", "0.96", BENCHMARKS, RWW_WRITER),
    report(
        "case-study-qlsm",
        "1.7",
        BENCHMARKS,
        "Readers beside a writer get",
    ),
];
