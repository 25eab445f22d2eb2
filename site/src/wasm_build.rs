//! Compiles the visualizer (`strata-web`) for the browser with cargo.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::labs::{LabsBuild, PROBE_VARIABLE};

/// The target the browser runs.
pub const TARGET: &str = "wasm32-unknown-unknown";
const PACKAGE: &str = "strata-web";

/// Builds `strata-web` for [`TARGET`] with cargo `profile` (and the lab
/// code, when `labs` says so) and returns the path of the `.wasm` file
/// cargo wrote. Installs the target with rustup first when it is missing.
pub fn build(root: &Path, profile: &str, labs: Option<&LabsBuild>) -> Result<PathBuf> {
    ensure_target()?;
    eprintln!("building {PACKAGE} for {TARGET} (profile {profile})");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        .args(["build", "-p", PACKAGE, "--bin", PACKAGE, "--target", TARGET]);
    if let Some(labs) = labs {
        command
            .args(["--features", labs.features])
            .env(PROBE_VARIABLE, &labs.probe_report);
    }
    let mut child = command
        .args([
            "--profile",
            profile,
            "--message-format=json-render-diagnostics",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("could not run `{cargo}`"))?;
    let stdout = child
        .stdout
        .take()
        .context("cargo's output was not captured")?;
    let mut wasm = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading cargo's output")?;
        if let Some(path) = wasm_artifact(&line) {
            wasm = Some(path);
        }
    }
    let status = child.wait().context("waiting for cargo")?;
    if !status.success() {
        bail!("cargo could not build {PACKAGE} for {TARGET} (see the errors above)");
    }
    wasm.with_context(|| format!("cargo built {PACKAGE} but reported no .wasm file"))
}

/// The `.wasm` file named by one line of cargo's JSON messages, when the
/// line reports the `strata-web` binary.
fn wasm_artifact(line: &str) -> Option<PathBuf> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    if message.get("reason")?.as_str()? != "compiler-artifact" {
        return None;
    }
    let target = message.get("target")?;
    let is_bin = target
        .get("kind")?
        .as_array()?
        .iter()
        .any(|kind| kind.as_str() == Some("bin"));
    if !is_bin || target.get("name")?.as_str()? != PACKAGE {
        return None;
    }
    message
        .get("filenames")?
        .as_array()?
        .iter()
        .filter_map(|f| f.as_str())
        .find(|f| f.ends_with(".wasm"))
        .map(PathBuf::from)
}

/// Adds the wasm32 target with rustup when the toolchain lacks it. Without
/// rustup (a toolchain from elsewhere), cargo's own error says what is
/// missing.
fn ensure_target() -> Result<()> {
    let Ok(installed) = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
    else {
        return Ok(());
    };
    let listed = String::from_utf8_lossy(&installed.stdout);
    if listed.lines().any(|line| line.trim() == TARGET) {
        return Ok(());
    }
    eprintln!("installing the {TARGET} target (rustup target add {TARGET})");
    let status = Command::new("rustup")
        .args(["target", "add", TARGET])
        .status()
        .context("could not run rustup")?;
    if !status.success() {
        bail!("`rustup target add {TARGET}` failed: the browser build needs that target");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wasm_file_of_the_strata_web_binary_is_picked_from_cargo_messages() {
        let bin = r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"strata-web"},"filenames":["/t/wasm32-unknown-unknown/wasm-release/strata-web.wasm"]}"#;
        let lib = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"strata_web"},"filenames":["/t/libstrata_web.rlib"]}"#;
        let other = r#"{"reason":"build-finished","success":true}"#;
        assert_eq!(
            wasm_artifact(bin),
            Some(PathBuf::from(
                "/t/wasm32-unknown-unknown/wasm-release/strata-web.wasm"
            ))
        );
        assert_eq!(wasm_artifact(lib), None);
        assert_eq!(wasm_artifact(other), None);
        assert_eq!(wasm_artifact("not json"), None);
    }
}
