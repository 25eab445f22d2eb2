//! Copies the English chapters' scene and Rust blocks into the Chinese
//! edition, so a change to a scene or an example reaches both languages
//! without retyping it:
//!
//! ```text
//! cargo run -p strata-tutorials --example sync_editions
//! ```
//! A chapter whose two editions have different numbers of such blocks is
//! left alone and reported: a translator places the new block in the prose.
//! Then `cargo test -p strata-tutorials --test editions` says whether the
//! editions match.

use std::path::Path;

use strata_tutorials::edition::with_blocks_of;
use strata_tutorials::{CHAPTERS, Lang};

fn main() {
    let chapters = Path::new(env!("CARGO_MANIFEST_DIR")).join("chapters");
    let mut failed = false;
    for c in CHAPTERS {
        let en_path = chapters.join(c.file);
        let zh_path = chapters.join(Lang::Zh.dir()).join(c.file);
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let result = read(&en_path).and_then(|en| {
            let zh = read(&zh_path)?;
            let synced = with_blocks_of(&en, &zh)?;
            if synced == zh {
                return Ok(false);
            }
            std::fs::write(&zh_path, synced).map_err(|e| format!("{}: {e}", zh_path.display()))?;
            Ok(true)
        });
        match result {
            Ok(true) => println!("updated zh/{}", c.file),
            Ok(false) => {}
            Err(e) => {
                eprintln!("zh/{}: {e}", c.file);
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
