//! Prints which labs are ready to run inside the engine (see
//! `strata_labs::probe`): one line per lab with an engine seam, `<lab> ok`
//! or `<lab> <why not>`. The site tool runs it before building the
//! visualizer with `--features labs`.
//!
//! ```text
//! cargo run -p strata-labs --bin probe                         # the student files
//! cargo run -p strata-labs --bin probe --features reference    # the reference
//! ```

use strata_labs::probe::probe_all;

fn main() {
    // An unwritten lab panics in its probe; the report says so, and the
    // default hook's message on stderr would only repeat it.
    std::panic::set_hook(Box::new(|_| {}));
    print!("{}", probe_all().to_text());
}
