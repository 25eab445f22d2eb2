//! `strata-bench`: throughput of puts and gets with and without a trace
//! observer attached.
//!
//! ```text
//! cargo run --release -p strata-bench -- [--entries N] [--backend mem|fs]
//! ```
//!
//! The observer case uses an observer that only counts events, so what is
//! measured is the engine's cost of building and delivering them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use strata_engine::{Db, Event, Observer, Options, Tracer};
use strata_storage::{FsStorage, MemStorage, Storage};

#[derive(Default)]
struct CountingObserver {
    events: AtomicU64,
}

impl Observer for CountingObserver {
    fn on_event(&self, _event: &Event) {
        self.events.fetch_add(1, Ordering::Relaxed);
    }
}

struct Config {
    entries: u64,
    backend: String,
}

fn parse_args() -> Result<Config> {
    let mut config = Config {
        entries: 200_000,
        backend: "mem".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--entries" => {
                config.entries = args.next().context("--entries needs a number")?.parse()?;
            }
            "--backend" => config.backend = args.next().context("--backend needs mem or fs")?,
            "--help" | "-h" => {
                println!("strata-bench [--entries N] [--backend mem|fs]");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(config)
}

/// A 16-byte key, spread over the key space by a multiplicative hash.
fn key(i: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    let spread = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    k[..8].copy_from_slice(&spread.to_be_bytes());
    k[8..].copy_from_slice(&i.to_be_bytes());
    k
}

fn storage(backend: &str, dir: &tempfile::TempDir) -> Result<Arc<dyn Storage>> {
    Ok(match backend {
        "mem" => Arc::new(MemStorage::new()),
        "fs" => Arc::new(FsStorage::open(dir.path())?),
        other => bail!("unknown backend {other:?}"),
    })
}

fn run(config: &Config, observed: bool) -> Result<(f64, f64, u64)> {
    let dir = tempfile::tempdir()?;
    let storage = storage(&config.backend, &dir)?;
    let counter = Arc::new(CountingObserver::default());
    let options = Options::deterministic();
    let db = if observed {
        Db::open_observed(storage, options, counter.clone())?
    } else {
        Db::open(storage, options)?
    };
    let value = [b'v'; 100];
    let start = Instant::now();
    for i in 0..config.entries {
        db.put(key(i), value)?;
    }
    let put_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut found = 0u64;
    for i in 0..config.entries {
        let i = i.wrapping_mul(7919) % config.entries;
        found += u64::from(db.get(key(i))?.is_some());
    }
    let get_secs = start.elapsed().as_secs_f64();
    if found != config.entries {
        bail!("lost keys: found {found} of {}", config.entries);
    }
    let n = config.entries as f64;
    Ok((
        n / put_secs,
        n / get_secs,
        counter.events.load(Ordering::Relaxed),
    ))
}

/// Nanoseconds one `Tracer::emit` costs when no observer is attached.
fn idle_emit_ns() -> f64 {
    let tracer = Tracer::off();
    let calls = 50_000_000u64;
    let start = Instant::now();
    for i in 0..calls {
        std::hint::black_box(&tracer).emit(|| Event::WalSynced {
            file_number: std::hint::black_box(i),
        });
    }
    start.elapsed().as_secs_f64() * 1e9 / calls as f64
}

fn main() -> Result<()> {
    let config = parse_args()?;
    println!(
        "strata-bench: {} puts then {} gets, 16-byte keys, 100-byte values, backend {}",
        config.entries, config.entries, config.backend
    );
    println!(
        "{:<22} {:>14} {:>14} {:>12}",
        "observer", "puts/s", "gets/s", "events"
    );
    let mut results = Vec::new();
    for observed in [false, true] {
        let (puts, gets, events) = run(&config, observed)?;
        let name = if observed {
            "counting observer"
        } else {
            "none"
        };
        println!("{name:<22} {puts:>14.0} {gets:>14.0} {events:>12}");
        results.push((puts, gets, events));
    }
    if let [(p0, g0, _), (p1, g1, events)] = results[..] {
        println!(
            "attaching an observer costs: puts {:+.1}%, gets {:+.1}%",
            (p0 / p1 - 1.0) * 100.0,
            (g0 / g1 - 1.0) * 100.0
        );
        // Without an observer each event is one untaken branch.
        let per_op = events as f64 / (2 * config.entries) as f64;
        let emit_ns = idle_emit_ns();
        let op_ns = 1e9 / ((p0 + g0) / 2.0);
        println!(
            "no observer: {per_op:.1} events/op x {emit_ns:.2} ns/emit = {:.1} ns of {op_ns:.0} ns per op ({:.2}%)",
            per_op * emit_ns,
            per_op * emit_ns / op_ns * 100.0
        );
    }
    Ok(())
}
