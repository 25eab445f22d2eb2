//! `strata-site`: builds the visualizer and the tutorial chapters into one
//! static folder, and serves it.
//!
//! ```text
//! cargo run -p strata-site -- serve [--port N] [--out DIR] [--profile P] [--no-build] [--wasm-opt]
//! cargo run -p strata-site -- build [--out DIR] [--profile P] [--no-wasm-opt]
//! cargo run -p strata-site -- build --labs            # the visualizer on the labs' student code
//! cargo run -p strata-site -- serve --labs-reference  # … on the labs' reference solutions
//! ```
//!
//! The build compiles `strata-web` for `wasm32-unknown-unknown`, writes its
//! JavaScript glue with the wasm-bindgen library (no CLI to install),
//! shrinks the module with `wasm-opt` when a recent one is on `PATH` (for
//! `build`; `serve` skips that pass, which adds seconds to every start), and
//! renders every chapter of every edition as a printable page with a table
//! of contents and a search. Every URL in the output is relative, so the
//! folder works from any static host under any sub-path.

mod app_page;
mod args;
mod bindgen;
mod book;
mod http;
mod labs;
mod output;
mod wasm_build;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use args::{Command, Options};

fn main() {
    if let Err(error) = run() {
        eprintln!("strata-site: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let options = args::parse(std::env::args().skip(1))?;
    let root = repository_root();
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join(output::DEFAULT_DIR));
    match options.command {
        Command::Help => {
            print!("{}", args::USAGE);
            Ok(())
        }
        Command::Build => build(&root, &out, &options),
        Command::Serve => {
            if !options.no_build {
                build(&root, &out, &options)?;
            }
            http::serve(&out, options.port)
        }
    }
}

/// The repository this binary was built from: the site is made of its files.
fn repository_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn build(root: &Path, out: &Path, options: &Options) -> Result<()> {
    let started = Instant::now();
    let labs = options
        .labs
        .map(|labs| labs::prepare(root, labs))
        .transpose()?;
    let wasm = wasm_build::build(root, &options.profile, labs.as_ref())?;
    let staging = output::prepare(out)?;
    bindgen::generate(&wasm, &staging, options.optimise_wasm())?;
    app_page::write(root, &staging)?;
    let editions = book::write(root, &staging)?;
    output::finish(&staging, out)?;
    let wasm_bytes = std::fs::metadata(out.join(bindgen::WASM_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!(
        "site written to {} in {:.1} s: the visualizer ({} KiB of wasm) and {} edition(s) of the chapters",
        out.display(),
        started.elapsed().as_secs_f64(),
        wasm_bytes / 1024,
        editions
    );
    Ok(())
}
