//! Prints a score per lab: runs each lab's tests (`tests/<lab>.rs`) with
//! cargo and counts what passed.
//!
//! ```text
//! cargo run -p strata-labs --bin grade                 # the student files
//! cargo run -p strata-labs --bin grade -- --reference  # the reference
//! cargo run -p strata-labs --bin grade -- bloom merge  # some labs only
//! cargo run -p strata-labs --bin grade -- --verbose    # every test
//! ```
//!
//! Exits with 0 when every graded test passed, 1 otherwise.

use std::process::{Command, ExitCode};

use strata_labs::grading::{parse_harness_output, TestOutcome, LABS};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reference = args.iter().any(|a| a == "--reference");
    let verbose = args.iter().any(|a| a == "--verbose");
    let chosen: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if let Some(unknown) = chosen
        .iter()
        .find(|name| !LABS.iter().any(|l| l.name == name.as_str()))
    {
        let names: Vec<&str> = LABS.iter().map(|l| l.name).collect();
        eprintln!("no lab named {unknown}; the labs are {}", names.join(", "));
        return ExitCode::from(2);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut total = (0, 0);
    println!(
        "grading the {} files\n",
        if reference { "reference" } else { "student" }
    );
    for lab in LABS
        .iter()
        .filter(|l| chosen.is_empty() || chosen.iter().any(|c| c.as_str() == l.name))
    {
        let mut command = Command::new(&cargo);
        command.args(["test", "-p", "strata-labs", "--test", lab.name]);
        if reference {
            command.args(["--features", "reference"]);
        }
        command.args(["--", "--test-threads=1"]);
        let outcomes = match command.output() {
            Ok(out) => parse_harness_output(&String::from_utf8_lossy(&out.stdout)),
            Err(e) => {
                eprintln!("could not run {cargo}: {e}");
                return ExitCode::from(2);
            }
        };
        report(lab.name, lab.chapter, &outcomes, verbose);
        total.0 += outcomes.iter().filter(|o| o.passed).count();
        total.1 += outcomes.len();
    }
    println!("\ntotal: {}/{} tests pass", total.0, total.1);
    if total.1 > 0 && total.0 == total.1 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn report(name: &str, chapter: &str, outcomes: &[TestOutcome], verbose: bool) {
    let passed = outcomes.iter().filter(|o| o.passed).count();
    if outcomes.is_empty() {
        println!("{name:<10} did not build or ran no tests (chapter {chapter})");
        return;
    }
    println!(
        "{name:<10} {passed:>2}/{:<2} {}",
        outcomes.len(),
        if passed == outcomes.len() { "done" } else { "" }
    );
    for outcome in outcomes.iter().filter(|o| verbose || !o.passed) {
        let mark = if outcome.passed { "ok  " } else { "FAIL" };
        let why = outcome.reason.as_deref().unwrap_or("");
        println!("    {mark} {}  {why}", outcome.name);
    }
}
