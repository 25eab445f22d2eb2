//! `strata`: a shell over a Strata database in a directory of real files,
//! and `strata trace`, which records a script's run as an event trace for
//! the visualizer. See `docs/cli.md`.

mod args;
mod bulk;
mod clock;
mod dump;
mod help;
mod inspect;
mod open;
mod repair_cmd;
mod run;
mod shell;
mod show;
mod trace_cmd;
mod verify;

use std::process::ExitCode;

use args::{Invocation, USAGE};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let result = match args::parse(&args) {
        Err(e) => {
            eprintln!("strata: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
        Ok(Invocation::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Invocation::Version) => {
            println!("strata {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Ok(Invocation::Shell(shell)) => run::shell(shell),
        Ok(Invocation::Trace(trace)) => trace_cmd::run(&trace),
        Ok(Invocation::Repair(repair)) => repair_cmd::run(&repair),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("strata: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
