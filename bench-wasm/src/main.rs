//! The native side of the browser benchmark: the same workload as the
//! wasm build, over `MemStorage`, one JSON line per run.
//!
//! ```text
//! cargo run --release -p strata-bench-wasm -- [--ops N] [--runs R] [--seed S]
//! ```

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut ops = 200_000u64;
    let mut runs = 3u32;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (flag.as_str(), value) {
            ("--ops", Some(v)) => ops = v,
            ("--runs", Some(v)) => runs = u32::try_from(v).unwrap_or(u32::MAX),
            ("--seed", Some(v)) => seed = v,
            _ => {
                eprintln!("usage: strata-bench-wasm [--ops N] [--runs R] [--seed S]");
                return ExitCode::from(2);
            }
        }
    }
    let epoch = Instant::now();
    let now_ms = || epoch.elapsed().as_secs_f64() * 1e3;
    for _ in 0..runs {
        match strata_bench_wasm::run_in_memory(ops, seed, &now_ms) {
            Ok(phases) => println!("{}", phases.to_json("native")),
            Err(e) => {
                eprintln!("the workload failed: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
