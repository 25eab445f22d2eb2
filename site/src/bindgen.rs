//! The JavaScript glue for the wasm module, written by the wasm-bindgen
//! library itself (pinned to Cargo.lock's wasm-bindgen), and the optional
//! size pass with `wasm-opt`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

/// The module's name in the output: `strata-web.js` loads `strata-web_bg.wasm`.
pub const STEM: &str = "strata-web";
/// The wasm file in the output folder.
pub const WASM_FILE: &str = "strata-web_bg.wasm";
/// The oldest binaryen whose `wasm-opt` reads what current rustc emits.
const WASM_OPT_VERSION_MIN: u32 = 132;
/// The WebAssembly features rustc enables by default for the target; the
/// browsers the visualizer supports all have them.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Writes `strata-web.js` and `strata-web_bg.wasm` (an ES module for the
/// web) into `out`, then, when `optimise_wasm` is set, runs `wasm-opt -Oz`
/// on the wasm if a recent enough one is on `PATH`.
pub fn generate(wasm: &Path, out: &Path, optimise_wasm: bool) -> Result<()> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .out_name(STEM)
        .typescript(false)
        .web(true)
        .context("wasm-bindgen: the web target")?;
    let mut output = bindgen
        .generate_output()
        .with_context(|| format!("wasm-bindgen could not process {}", wasm.display()))?;
    output
        .emit(out)
        .with_context(|| format!("wasm-bindgen could not write into {}", out.display()))?;
    if optimise_wasm {
        optimise(&out.join(WASM_FILE));
    }
    Ok(())
}

/// Runs `wasm-opt -Oz` in place when a usable one exists; says why not
/// otherwise. The unoptimised module works, it is only larger.
fn optimise(wasm: &Path) {
    match wasm_opt_version() {
        Some(version) if version >= WASM_OPT_VERSION_MIN => {}
        Some(version) => {
            eprintln!(
                "skipping wasm-opt: version {version} is older than {WASM_OPT_VERSION_MIN} \
                 and cannot read current rustc output (npm install binaryen@132 for a newer one)"
            );
            return;
        }
        None => {
            eprintln!("no wasm-opt on PATH: the wasm stays unoptimised (still works, larger)");
            return;
        }
    }
    let before = file_len(wasm);
    let status = Command::new("wasm-opt")
        .arg("-Oz")
        .args(WASM_OPT_FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        .status();
    match status {
        Ok(status) if status.success() => {
            eprintln!(
                "wasm-opt -Oz: {} KiB → {} KiB",
                before / 1024,
                file_len(wasm) / 1024
            );
        }
        Ok(status) => eprintln!("wasm-opt failed ({status}): the wasm stays unoptimised"),
        Err(error) => eprintln!("could not run wasm-opt ({error}): the wasm stays unoptimised"),
    }
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The major version `wasm-opt --version` reports (`wasm-opt version 132
/// (version_132)`), or `None` when there is none.
fn wasm_opt_version() -> Option<u32> {
    let output = Command::new("wasm-opt").arg("--version").output().ok()?;
    if !output.status.success() {
        return None;
    }
    parse_wasm_opt_version(&String::from_utf8_lossy(&output.stdout))
}

fn parse_wasm_opt_version(text: &str) -> Option<u32> {
    let rest = text.split("version").nth(1)?;
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_opt_versions_are_read_from_its_banner() {
        assert_eq!(
            parse_wasm_opt_version("wasm-opt version 132 (version_132)\n"),
            Some(132)
        );
        assert_eq!(parse_wasm_opt_version("wasm-opt version 108\n"), Some(108));
        assert_eq!(parse_wasm_opt_version("something else"), None);
    }
}
