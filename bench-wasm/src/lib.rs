//! One workload, timed the same way natively and in the browser, so the
//! cost of running Strata as WebAssembly is a ratio of two numbers from the
//! same code.
//!
//! The workload: `n` puts of 16-byte keys in a seeded random order with
//! 100-byte values, then `n` gets of the same keys in another random order.
//! Both sides use [`Options::deterministic`] (maintenance inline in the
//! writer, as the browser must: it has no threads), over
//! [`MemStorage`], so what differs is only the compiled code.
//!
//! `bench-wasm/run.sh` builds both sides, runs the browser side in headless
//! Chromium and prints the table; `BENCHMARKS.md` quotes it.

use std::sync::Arc;

use strata_engine::{Db, Options, Result};
use strata_storage::{MemStorage, Storage};

#[cfg(target_arch = "wasm32")]
mod browser;

/// Key length of the workload, as in the native peer benchmarks.
pub const KEY_BYTES: usize = 16;
/// Value length of the workload.
pub const VALUE_BYTES: usize = 100;

/// How long each phase took.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Phases {
    /// Operations per phase.
    pub ops: u64,
    /// Time for all puts, in milliseconds.
    pub puts_ms: f64,
    /// Time for all gets, in milliseconds.
    pub gets_ms: f64,
    /// Gets that found their key (must equal `ops`).
    pub found: u64,
}

impl Phases {
    /// One line of JSON, the format the runner script reads.
    pub fn to_json(&self, side: &str) -> String {
        format!(
            "{{\"side\":\"{side}\",\"ops\":{},\"puts_ms\":{:.3},\"gets_ms\":{:.3},\"found\":{}}}",
            self.ops, self.puts_ms, self.gets_ms, self.found
        )
    }
}

/// A step of the splitmix64 generator: the workload's only randomness.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `0..n` in a random order fixed by `seed`.
pub fn shuffled(n: u64, seed: u64) -> Vec<u64> {
    let mut order: Vec<u64> = (0..n).collect();
    let mut state = seed;
    for i in (1..order.len()).rev() {
        let j = (next_random(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// The key of entry `i`: 16 decimal digits, so keys sort like numbers.
pub fn key(i: u64) -> [u8; KEY_BYTES] {
    let mut out = [b'0'; KEY_BYTES];
    let mut rest = i;
    for byte in out.iter_mut().rev() {
        *byte = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out
}

/// The value of entry `i`: its key, then filler, so a get can be checked
/// (cheap to build: the benchmark times the engine, not this).
pub fn value(i: u64) -> [u8; VALUE_BYTES] {
    let mut out = [b'v'; VALUE_BYTES];
    if let Some(head) = out.get_mut(..KEY_BYTES) {
        head.copy_from_slice(&key(i));
    }
    out
}

/// Opens a database on `storage` with the workload's options.
pub fn open(storage: Arc<dyn Storage>) -> Result<Db> {
    Db::open(storage, Options::deterministic())
}

/// Runs the puts, then the gets, on `db`, reading the time (in
/// milliseconds) with `now_ms` around each phase.
pub fn run(db: &Db, n: u64, seed: u64, now_ms: &dyn Fn() -> f64) -> Result<Phases> {
    let puts = shuffled(n, seed);
    let gets = shuffled(n, seed ^ 0x5eed);
    let start = now_ms();
    for &i in &puts {
        db.put(key(i), value(i))?;
    }
    let puts_done = now_ms();
    let mut found = 0;
    for &i in &gets {
        if db.get(key(i))?.as_deref() == Some(&value(i)[..]) {
            found += 1;
        }
    }
    let gets_done = now_ms();
    Ok(Phases {
        ops: n,
        puts_ms: puts_done - start,
        gets_ms: gets_done - puts_done,
        found,
    })
}

/// The workload over a fresh [`MemStorage`].
pub fn run_in_memory(n: u64, seed: u64, now_ms: &dyn Fn() -> f64) -> Result<Phases> {
    let db = open(Arc::new(MemStorage::new()))?;
    run(&db, n, seed, now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_like_their_numbers() {
        assert!(key(9) < key(10));
        assert_eq!(&key(42)[..], b"0000000000000042");
    }

    #[test]
    fn the_order_is_a_permutation_fixed_by_the_seed() {
        let order = shuffled(1000, 7);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
        assert_eq!(order, shuffled(1000, 7));
        assert_ne!(order, shuffled(1000, 8));
    }

    #[test]
    fn every_get_finds_the_value_it_put() -> Result<()> {
        let phases = run_in_memory(3000, 1, &|| 0.0)?;
        assert_eq!(phases.found, 3000);
        Ok(())
    }
}
