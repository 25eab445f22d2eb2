//! Timing, the process's write counter, and the disk space of a directory.

use std::path::Path;
use std::time::Instant;

use crate::engine::Kind;

/// One workload on one engine.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub workload: String,
    pub engine: Kind,
    pub ops: u64,
    pub secs: f64,
    /// CPU seconds of the whole process (all threads) meanwhile.
    pub cpu_secs: Option<f64>,
    /// Key + value bytes the operations moved (for MB/s).
    pub bytes: u64,
    /// Bytes the process wrote (write syscalls) / user bytes written.
    pub process_write_amp: Option<f64>,
    /// The engine's own write-amplification figure, cumulative.
    pub engine_write_amp: Option<f64>,
    /// Size of the database directory afterwards.
    pub disk_bytes: Option<u64>,
    /// The process's peak resident memory during the workload (`VmHWM`,
    /// reset when the workload starts).
    pub peak_rss_bytes: Option<u64>,
    /// Threads that ran the operations (1 for the single-thread suites).
    pub threads: usize,
}

impl Measurement {
    pub fn micros_per_op(&self) -> f64 {
        self.secs * 1e6 / self.ops.max(1) as f64
    }

    pub fn cpu_micros_per_op(&self) -> Option<f64> {
        Some(self.cpu_secs? * 1e6 / self.ops.max(1) as f64)
    }

    pub fn ops_per_sec(&self) -> f64 {
        self.ops as f64 / self.secs.max(1e-9)
    }

    pub fn mb_per_sec(&self) -> f64 {
        self.bytes as f64 / 1_048_576.0 / self.secs.max(1e-9)
    }
}

/// Of repeated measurements of one workload on one engine, the fastest
/// (the one least disturbed by whatever else ran on the machine); order
/// of first appearance kept.
pub fn fastest(all: Vec<Measurement>) -> Vec<Measurement> {
    let mut best: Vec<Measurement> = Vec::new();
    for m in all {
        match best
            .iter_mut()
            .find(|b| b.workload == m.workload && b.engine == m.engine)
        {
            Some(b) if m.secs < b.secs => *b = m,
            Some(_) => {}
            None => best.push(m),
        }
    }
    best
}

/// Bytes this process has handed to `write`-family syscalls (all threads),
/// from `/proc/self/io`; `None` where that file does not exist.
pub fn process_write_bytes() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines()
        .find_map(|l| l.strip_prefix("wchar:"))
        .and_then(|v| v.trim().parse().ok())
}

/// CPU seconds (user + system, all threads) this process has used, from
/// `/proc/self/stat` (10 ms resolution); `None` where that file does not
/// exist.
pub fn process_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are
    // the 14th and 15th fields of the line.
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Resets the process's peak resident set size to its current one
/// (`/proc/self/clear_refs`, Linux ≥ 4.0); false where that is refused.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The process's peak resident set size since the last reset (`VmHWM` of
/// `/proc/self/status`); `None` where that file does not exist.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Total size of the files under `dir`.
pub fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Times `f`, which returns (operations, bytes moved, user bytes written).
pub struct Timer {
    start: Instant,
    written_at_start: Option<u64>,
    cpu_at_start: Option<f64>,
    peak_rss_reset: bool,
}

impl Timer {
    pub fn start() -> Self {
        Timer {
            peak_rss_reset: reset_peak_rss(),
            written_at_start: process_write_bytes(),
            cpu_at_start: process_cpu_secs(),
            start: Instant::now(),
        }
    }

    pub fn secs(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Peak resident memory since the start, where it could be reset then.
    pub fn peak_rss_bytes(&self) -> Option<u64> {
        self.peak_rss_reset.then(peak_rss_bytes).flatten()
    }

    /// CPU seconds the process used since the start.
    pub fn cpu_secs(&self) -> Option<f64> {
        Some(process_cpu_secs()? - self.cpu_at_start?)
    }

    /// Process write bytes since the start over `user_bytes`.
    pub fn write_amp(&self, user_bytes: u64) -> Option<f64> {
        let now = process_write_bytes()?;
        let start = self.written_at_start?;
        (user_bytes > 0).then(|| (now - start) as f64 / user_bytes as f64)
    }
}
