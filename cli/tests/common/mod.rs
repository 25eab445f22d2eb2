//! Running the `strata` binary as a subprocess.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

/// Runs `strata` with `args` (stdin empty unless `stdin` is given).
pub fn strata(args: &[&str], stdin: Option<&str>) -> anyhow::Result<Run> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.unwrap_or("").as_bytes())?;
    }
    let output = child.wait_with_output()?;
    Ok(Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Runs `strata DIR -c c1 -c c2 …` plus `flags`.
pub fn commands(dir: &Path, flags: &[&str], commands: &[&str]) -> anyhow::Result<Run> {
    let dir = dir.to_string_lossy().into_owned();
    let mut args: Vec<&str> = vec![dir.as_str()];
    args.extend_from_slice(flags);
    for c in commands {
        args.push("-c");
        args.push(c);
    }
    strata(&args, None)
}

/// Every file in `dir` with its bytes, sorted by name.
pub fn snapshot_dir(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        files.push((
            entry.file_name().to_string_lossy().into_owned(),
            std::fs::read(entry.path())?,
        ));
    }
    files.sort();
    Ok(files)
}
