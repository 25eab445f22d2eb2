//! The visualizer on a student's lab code (`build --labs`): probes the
//! labs natively first, then builds `strata-web` with its `labs` feature
//! and the probe's report baked in (`STRATA_LABS_PROBE`), so the page plugs
//! in only the labs that run and says why the others do not — a `todo!()`
//! reached in the browser would abort the page.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// Whose lab code the page runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Labs {
    /// The student files (`tutorials/labs/src/student/`).
    Student,
    /// The reference solutions (`--features reference`).
    Reference,
}

impl Labs {
    /// The `strata-web` features of this build.
    pub fn web_features(self) -> &'static str {
        match self {
            Labs::Student => "labs",
            Labs::Reference => "reference",
        }
    }
}

/// The build's cargo features and environment for `strata-web`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabsBuild {
    pub features: &'static str,
    /// The probe's report, for `STRATA_LABS_PROBE`.
    pub probe_report: String,
}

/// The variable the visualizer reads its baked-in probe report from.
pub const PROBE_VARIABLE: &str = "STRATA_LABS_PROBE";

/// Runs the labs' probe (`cargo run -p strata-labs --bin probe`), prints
/// what it found and returns the build's settings.
pub fn prepare(root: &Path, labs: Labs) -> Result<LabsBuild> {
    eprintln!("probing the labs (cargo run -p strata-labs --bin probe)");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        .args(["run", "--quiet", "-p", "strata-labs", "--bin", "probe"]);
    if labs == Labs::Reference {
        command.args(["--features", "reference"]);
    }
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("could not run `{cargo}`"))?;
    if !output.status.success() {
        bail!("the labs' probe did not run (see the errors above): the labs crate must build");
    }
    let report = String::from_utf8(output.stdout).context("the probe's report is not text")?;
    for line in summary(&report) {
        eprintln!("  {line}");
    }
    Ok(LabsBuild {
        features: labs.web_features(),
        probe_report: report,
    })
}

/// One line per lab for the terminal: what runs in the page.
fn summary(report: &str) -> Vec<String> {
    report
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(lab, status)| match status {
            "ok" => format!("{lab}: your code runs in the page"),
            why => format!("{lab}: the engine's own code runs instead ({why})"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_whose_code_each_lab_runs() {
        let lines = summary("bloom ok\nmerge it panicked: not yet implemented: merge lab: pick\n");
        assert_eq!(
            lines,
            [
                "bloom: your code runs in the page",
                "merge: the engine's own code runs instead (it panicked: not yet implemented: merge lab: pick)",
            ]
        );
    }

    #[test]
    fn the_reference_build_turns_on_the_reference_feature() {
        assert_eq!(Labs::Student.web_features(), "labs");
        assert_eq!(Labs::Reference.web_features(), "reference");
    }
}
