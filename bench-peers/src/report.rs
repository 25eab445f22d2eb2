//! Markdown tables of the measurements: one per workload, one row per
//! engine, with Strata's speed relative to each peer.

use std::fmt::Write;

use crate::engine::Kind;
use crate::measure::Measurement;
use crate::qlsm;

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.digits$}"))
}

fn mib(v: Option<u64>) -> String {
    v.map_or_else(|| "–".into(), |b| format!("{:.1}", b as f64 / 1_048_576.0))
}

/// Workloads in the order they first appear.
fn workloads(ms: &[Measurement]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for m in ms {
        if !names.contains(&m.workload) {
            names.push(m.workload.clone());
        }
    }
    names
}

/// One table per workload: micros/op, ops/s, MB/s, Strata/engine speed,
/// write amplification (process and engine-reported), disk space.
pub fn dbbench(ms: &[Measurement]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| workload | engine | micros/op | ops/s | MB/s | Strata/engine | CPU micros/op | WA (process) | WA (engine) | disk MiB | peak RSS MiB |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for w in workloads(ms) {
        let rows: Vec<&Measurement> = ms.iter().filter(|m| m.workload == w).collect();
        let strata = rows.iter().find(|m| m.engine == Kind::Strata);
        for m in &rows {
            let ratio = strata.map(|st| m.micros_per_op() / st.micros_per_op().max(1e-12));
            let _ = writeln!(
                s,
                "| {} | {} | {:.3} | {:.0} | {:.1} | {} | {} | {} | {} | {} | {} |",
                m.workload,
                m.engine.name(),
                m.micros_per_op(),
                m.ops_per_sec(),
                m.mb_per_sec(),
                opt(ratio, 2),
                opt(m.cpu_micros_per_op(), 2),
                opt(m.process_write_amp, 2),
                opt(m.engine_write_amp, 2),
                mib(m.disk_bytes),
                mib(m.peak_rss_bytes),
            );
        }
    }
    s
}

/// The qlsm steps: seconds and micros/op per engine, qlsm's published
/// time (scaled to the fraction run), and how many times faster each
/// engine was than qlsm.
pub fn qlsm(ms: &[Measurement], scale: f64) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| step | engine | ops | seconds | micros/op | CPU seconds | Strata/engine | qlsm seconds (×{scale}) | × faster than qlsm | disk MiB |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for w in workloads(ms) {
        let step = w.trim_start_matches("qlsm ");
        let published = qlsm::QLSM_SECS
            .iter()
            .find(|(name, _)| *name == step)
            .map(|(_, secs)| {
                if step == "reopen" {
                    *secs
                } else {
                    secs * scale
                }
            });
        let rows: Vec<&Measurement> = ms.iter().filter(|m| m.workload == w).collect();
        let strata = rows.iter().find(|m| m.engine == Kind::Strata);
        for m in &rows {
            let ratio = strata.map(|st| m.secs / st.secs.max(1e-12));
            let _ = writeln!(
                s,
                "| {} | {} | {} | {:.3} | {:.3} | {} | {} | {} | {} | {} |",
                step,
                m.engine.name(),
                m.ops,
                m.secs,
                m.micros_per_op(),
                opt(m.cpu_secs, 2),
                opt(ratio, 2),
                opt(published, 3),
                opt(published.map(|p| p / m.secs.max(1e-12)), 1),
                mib(m.disk_bytes),
            );
        }
    }
    s
}

/// A workload's name without its thread count: `readrandom (2 threads)`
/// → `readrandom`.
fn family(workload: &str) -> String {
    match (workload.find(" ("), workload.find(')')) {
        (Some(open), Some(close)) if open < close => {
            format!("{}{}", &workload[..open], &workload[close + 1..])
        }
        _ => workload.to_owned(),
    }
}

/// The many-thread workloads: aggregate micros/op, Strata/engine, and
/// each engine's throughput over its own one-thread figure.
pub fn threads(ms: &[Measurement]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| workload | engine | threads | micros/op | ops/s | Strata/engine | × 1 thread | CPU micros/op | peak RSS MiB |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for w in workloads(ms) {
        let rows: Vec<&Measurement> = ms.iter().filter(|m| m.workload == w).collect();
        let strata = rows.iter().find(|m| m.engine == Kind::Strata);
        for m in &rows {
            let ratio = strata.map(|st| m.micros_per_op() / st.micros_per_op().max(1e-12));
            let base = ms.iter().find(|b| {
                b.engine == m.engine && b.threads == 1 && family(&b.workload) == family(&w)
            });
            let scaling = base.map(|b| m.ops_per_sec() / b.ops_per_sec().max(1e-12));
            let _ = writeln!(
                s,
                "| {} | {} | {} | {:.3} | {:.0} | {} | {} | {} | {} |",
                m.workload,
                m.engine.name(),
                m.threads,
                m.micros_per_op(),
                m.ops_per_sec(),
                opt(ratio, 2),
                opt(scaling, 2),
                opt(m.cpu_micros_per_op(), 2),
                mib(m.peak_rss_bytes),
            );
        }
    }
    s
}
