//! The engine's own tests with the lab code inside the engine: its model
//! test against a `BTreeMap`, its crash loop and its compaction tests,
//! run on the student's bloom filter, merge step, picker and fates.
//!
//! ```text
//! cargo run -p strata-labs --example engine_tests                  # your ready labs
//! cargo run -p strata-labs --example engine_tests -- --lab bloom  # only this lab, ready or not
//! cargo run -p strata-labs --example engine_tests -- crash_loop    # tests whose name has this
//! cargo run -p strata-labs --example engine_tests --features reference     # the reference
//! STRATA_CRASH_ITERATIONS=100 cargo run -p strata-labs --example engine_tests   # a shorter crash loop
//! ```
//!
//! This is not a copy: the engine's test files are included as they are
//! (`engine/tests/model.rs`, `crash_loop.rs`, `compaction.rs`). Their tests
//! are marked `#[cfg_attr(test, test)] pub fn`, so in this example (an
//! example is built without `cfg(test)`, unlike every test target, and
//! may use the dev-dependencies the engine's tests need) they are plain
//! functions that [`main`] calls inside [`with_labs`]. Without `--lab`,
//! the labs whose probe passes are plugged in (a lab that is still
//! `todo!()` would only fail every test); with none ready, the run fails
//! and says so. The output has the
//! standard harness's `test <name> ... ok` lines.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use std::time::Instant;

use strata_labs::plug::{with_labs, Lab};
use strata_labs::probe::probe;

#[allow(dead_code, unused_imports, clippy::all)]
#[path = "../../../engine/tests/model.rs"]
mod model;

#[allow(dead_code, unused_imports, clippy::all)]
#[path = "../../../engine/tests/crash_loop.rs"]
mod crash_loop;

#[allow(dead_code, unused_imports, clippy::all)]
#[path = "../../../engine/tests/compaction.rs"]
mod compaction;

/// What an engine test returns: nothing (it panics on failure) or a result.
trait Outcome {
    fn into_result(self) -> Result<(), String>;
}

impl Outcome for () {
    fn into_result(self) -> Result<(), String> {
        Ok(())
    }
}

impl Outcome for anyhow::Result<()> {
    fn into_result(self) -> Result<(), String> {
        self.map_err(|e| format!("{e:#}"))
    }
}

type Test = (&'static str, fn() -> Result<(), String>);

macro_rules! engine_tests {
    ($($module:ident :: $name:ident),* $(,)?) => {
        [$((concat!(stringify!($module), "::", stringify!($name)),
            (|| $module::$name().into_result()) as fn() -> Result<(), String>)),*]
    };
}

/// The engine tests this binary runs.
fn tests() -> Vec<Test> {
    engine_tests![
        model::long_mixed_workload_matches_a_btreemap,
        crash_loop::every_synced_write_survives_random_crashes,
        crash_loop::reordered_unsynced_writes_reopen_with_a_prefix,
        crash_loop::range_deletes_survive_random_crashes_without_resurrection,
        compaction::every_strategy_matches_a_model_with_snapshots_held_across_compactions,
        compaction::inline_and_background_maintenance_give_the_same_results,
        compaction::a_tombstone_over_deeper_data_is_kept_until_it_reaches_the_bottom,
        compaction::a_tombstone_at_the_bottom_is_dropped_and_the_key_stays_deleted,
        compaction::a_snapshot_taken_before_a_delete_sees_the_value_after_compaction,
        compaction::a_crash_at_any_point_of_a_compaction_loses_no_key,
        compaction::opening_with_another_strategy_is_refused_and_loses_nothing,
        compaction::compaction_inputs_are_deleted_once_no_reader_holds_them,
    ]
    .to_vec()
}

/// The command line: `--lab <name>` (repeatable) and name filters.
struct Args {
    labs: Vec<Lab>,
    filters: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        labs: Vec::new(),
        filters: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        if arg == "--lab" {
            let name = it.next().ok_or("--lab needs a lab's name")?;
            let lab = Lab::from_name(&name).ok_or_else(|| {
                let names: Vec<&str> = Lab::ALL.iter().map(|l| l.name()).collect();
                format!(
                    "no lab {name} runs in the engine; these do: {}",
                    names.join(", ")
                )
            })?;
            args.labs.push(lab);
        } else if !arg.starts_with('-') {
            args.filters.push(arg);
        }
        // Other flags of the standard harness (`--nocapture`, …) mean
        // nothing here and are left alone.
    }
    Ok(args)
}

/// The labs whose probe passes, after saying which do and which do not.
fn ready_labs() -> Vec<Lab> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut ready = Vec::new();
    for lab in Lab::ALL {
        match probe(lab) {
            Ok(()) => ready.push(lab),
            Err(why) => println!("{}: not plugged in, its probe failed: {why}", lab.name()),
        }
    }
    std::panic::set_hook(hook);
    ready
}

fn run(test: Test, labs: &[Lab]) -> Result<(), String> {
    let (_, body) = test;
    match catch_unwind(AssertUnwindSafe(|| with_labs(labs, body))) {
        Ok(result) => result,
        Err(_) => Err("it panicked (the message is above)".to_string()),
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let labs = if args.labs.is_empty() {
        ready_labs()
    } else {
        args.labs
    };
    if labs.is_empty() {
        println!("\nno lab is ready to run inside the engine: the engine's tests would only test the engine's own code");
        println!("test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
        return ExitCode::FAILURE;
    }
    let names: Vec<&str> = labs.iter().map(|l| l.name()).collect();
    println!(
        "the engine's tests with these labs plugged in: {}",
        names.join(", ")
    );
    let all = tests();
    let chosen: Vec<Test> = all
        .iter()
        .copied()
        .filter(|(name, _)| {
            args.filters.is_empty() || args.filters.iter().any(|f| name.contains(f.as_str()))
        })
        .collect();
    println!("\nrunning {} tests", chosen.len());
    let started = Instant::now();
    let mut failed = Vec::new();
    for test in &chosen {
        let result = run(*test, &labs);
        println!(
            "test {} ... {}",
            test.0,
            if result.is_ok() { "ok" } else { "FAILED" }
        );
        if let Err(why) = result {
            failed.push((test.0, why));
        }
    }
    if !failed.is_empty() {
        println!("\nfailures:");
        for (name, why) in &failed {
            println!("    {name}: {why}");
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed; 0 ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        chosen.len() - failed.len(),
        failed.len(),
        all.len() - chosen.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
