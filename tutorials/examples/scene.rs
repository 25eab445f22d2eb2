//! Runs a scene script and prints its events, one line each: the
//! visualizer's trace, as text.
//!
//! ```text
//! cargo run -p strata-tutorials --example scene -- path/to/scene.txt
//! cargo run -p strata-tutorials --example scene -- --chapter tombstones 1
//! ```
//! The second form runs the first scene of a chapter (scenes count from 1).

use strata_tutorials::chapter;
use strata_tutorials::scene::run_scene;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = match args.as_slice() {
        [flag, slug, n] if flag == "--chapter" => {
            let n: usize = n.parse().unwrap_or(1);
            let scene =
                chapter(slug).and_then(|(_, c)| c.scenes().into_iter().nth(n.saturating_sub(1)));
            match scene {
                Some(s) => s.text,
                None => return eprintln!("no scene {n} in chapter {slug:?}"),
            }
        }
        [path] => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => return eprintln!("{path}: {e}"),
        },
        _ => return eprintln!("usage: scene FILE | scene --chapter SLUG N"),
    };
    match run_scene(&text) {
        Ok(run) => {
            for event in &run.events {
                println!("{}", serde_json::to_string(event).unwrap_or_default());
            }
            eprintln!(
                "{} events, {} expectations met",
                run.events.len(),
                run.expectations
            );
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
