//! The output folder: written in full beside the old one, then swapped in,
//! so a failed build leaves the last good site in place.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The default output folder, relative to the repository.
pub const DEFAULT_DIR: &str = "dist";
/// A file that marks a folder as written by this tool (safe to replace).
const MARKER: &str = ".strata-site";

/// How to serve the folder, for whoever unpacks it.
const README: &str = "\
Strata — the visualizer and the tutorial chapters as a static site.

  index.html          the visualizer (the Strata engine compiled to WebAssembly)
  book/index.html     the chapters as printable pages, with a table of contents and search

Every link is relative: copy the folder to any static web host, under any path.

The visualizer needs a web server (browsers refuse to load WebAssembly modules
from a local file). In this folder, run for example

    python3 -m http.server 8000 --bind 127.0.0.1

and open http://127.0.0.1:8000/ . The chapter pages (book/) also open
directly from the folder, search included.
";

/// Makes an empty staging folder next to `out` and returns it.
pub fn prepare(out: &Path) -> Result<PathBuf> {
    let staging = staging_path(out)?;
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("could not remove {}", staging.display()))?;
    }
    fs::create_dir_all(&staging)
        .with_context(|| format!("could not create {}", staging.display()))?;
    Ok(staging)
}

/// Finishes the staging folder and moves it to `out`, replacing a previous
/// build there. A non-empty folder that is not a build of the site is left
/// alone and reported.
pub fn finish(staging: &Path, out: &Path) -> Result<()> {
    write(staging, "README.txt", README)?;
    write(
        staging,
        MARKER,
        "written by strata-site; replaced by every build\n",
    )?;
    if out.exists() {
        if !replaceable(out)? {
            bail!(
                "{} exists and is not a build of the site: choose another --out or remove it",
                out.display()
            );
        }
        fs::remove_dir_all(out).with_context(|| format!("could not remove {}", out.display()))?;
    }
    fs::rename(staging, out)
        .with_context(|| format!("could not move {} to {}", staging.display(), out.display()))
}

/// Writes `contents` to `dir/name`, creating parent folders.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> Result<()> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    fs::write(&path, contents).with_context(|| format!("could not write {}", path.display()))
}

fn staging_path(out: &Path) -> Result<PathBuf> {
    let name = out
        .file_name()
        .with_context(|| format!("{} is not a folder name", out.display()))?;
    let mut staging = name.to_os_string();
    staging.push(".partial");
    Ok(out.with_file_name(staging))
}

/// Whether `dir` may be replaced: it is empty, carries the marker, or holds
/// an earlier build of the visualizer (an `index.html` beside a `.wasm`).
fn replaceable(dir: &Path) -> Result<bool> {
    if !dir.is_dir() {
        return Ok(false);
    }
    let names: Vec<String> = fs::read_dir(dir)
        .with_context(|| format!("could not read {}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    let has_app =
        names.iter().any(|n| n == "index.html") && names.iter().any(|n| n.ends_with(".wasm"));
    Ok(names.is_empty() || names.iter().any(|n| n == MARKER) || has_app)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_replaces_the_previous_build() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let out = tmp.path().join("site");
        for round in ["first", "second"] {
            let staging = prepare(&out)?;
            write(&staging, "index.html", round)?;
            finish(&staging, &out)?;
            assert_eq!(fs::read_to_string(out.join("index.html"))?, round);
        }
        assert!(!tmp.path().join("site.partial").exists());
        Ok(())
    }

    #[test]
    fn a_folder_of_other_files_is_never_replaced() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let out = tmp.path().join("notes");
        write(&out, "thesis.tex", "precious")?;
        let staging = prepare(&out)?;
        let error = finish(&staging, &out)
            .err()
            .context("replaced a foreign folder")?;
        assert!(format!("{error}").contains("is not a build of the site"));
        assert_eq!(fs::read_to_string(out.join("thesis.tex"))?, "precious");
        Ok(())
    }
}
