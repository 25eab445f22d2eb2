#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use strata_engine::event::ScanDecision::{self, Returned, Shadowed, Tombstone};
use strata_engine::{MaintenanceMode, Options};

use super::*;
use crate::model::session::Session;

fn session(lines: &[&str]) -> Session {
    let options = Options {
        maintenance: MaintenanceMode::Manual,
        ..Options::default()
    };
    let mut s = Session::in_memory(options).unwrap();
    for line in lines {
        s.run(line).unwrap();
    }
    s
}

fn steps(view: &ScanView) -> Vec<(&str, ScanDecision, u32)> {
    view.entries
        .iter()
        .map(|e| (std::str::from_utf8(&e.key).unwrap(), e.decision, e.source))
        .collect()
}

#[test]
fn a_scan_names_its_sources_and_where_each_entry_came_from() {
    let mut s = session(&[
        "put a 1", "put b 1", "put c 1", "flush", "put b 2", "delete c", "flush", "put a 3",
        "scan a z",
    ]);
    let views = s.seek(s.total_frames() - 1);
    let scan = &views.scan;
    assert!(scan.started);
    assert!(!scan.reverse);
    // L0 is tiered: each of its tables is a source, newest first.
    let l0: Vec<u64> = views.structure.levels.levels[0]
        .tables
        .iter()
        .map(|t| t.file_number)
        .collect();
    assert_eq!(l0.len(), 2);
    let kinds: Vec<SourceKind> = scan.sources.iter().map(|x| x.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            SourceKind::Memtable,
            SourceKind::Table {
                level: 0,
                file_number: l0[0]
            },
            SourceKind::Table {
                level: 0,
                file_number: l0[1]
            },
        ]
    );
    assert_eq!(
        steps(scan),
        vec![
            ("a", Returned, 0),
            ("a", Shadowed, 2),
            ("b", Returned, 1),
            ("b", Shadowed, 2),
            ("c", Tombstone, 1),
            ("c", Shadowed, 2),
        ]
    );
    assert_eq!(scan.totals(), (2, 3, 1, 0));
    assert_eq!(scan.sources[2].shadowed, 3);
    assert_eq!(
        scan.entries.iter().map(|e| e.order).collect::<Vec<_>>(),
        (1..=6).collect::<Vec<_>>()
    );
}

#[test]
fn a_leveled_level_is_one_source_read_across_its_tables() {
    // Five flushed tables over the same keys: L0 is due, and compacts
    // into the leveled L1.
    let mut owned = vec![];
    for round in 0..5 {
        owned.extend((0..40).map(|i| format!("put k{i:03} v{round}")));
        owned.push("flush".to_owned());
    }
    owned.extend(["compact", "put k005 new", "scan k000 k999"].map(str::to_owned));
    let lines: Vec<&str> = owned.iter().map(String::as_str).collect();
    let mut s = session(&lines);
    let views = s.seek(s.total_frames() - 1);
    let scan = &views.scan;
    let levels: Vec<&SourceKind> = scan
        .sources
        .iter()
        .map(|x| &x.kind)
        .filter(|k| matches!(k, SourceKind::Level { .. }))
        .collect();
    assert_eq!(levels.len(), 1, "{:?}", scan.sources);
    let level_index = scan
        .sources
        .iter()
        .position(|x| matches!(x.kind, SourceKind::Level { .. }))
        .unwrap() as u32;
    // Every key but the overwritten one comes from the level's cursor.
    let returned: Vec<&ScanEntry> = scan
        .entries
        .iter()
        .filter(|e| e.decision == Returned)
        .collect();
    assert_eq!(returned.len(), 40);
    for e in returned {
        let want = if e.key == b"k005" { 0 } else { level_index };
        assert_eq!(e.source, want, "{:?}", e);
    }
}

/// Random puts, deletes and flushes, then a scan: the keys the view marks
/// returned are the live keys of a `BTreeMap` model, in order, and every
/// entry's counts add up per source.
#[test]
fn the_returned_entries_are_the_live_keys_of_a_model() {
    let mut rng = strata_engine::rng::SeededRng::new(7);
    let mut model = BTreeMap::new();
    let mut lines = Vec::new();
    for i in 0..300u64 {
        let key = format!("k{:02}", rng.next_u64() % 40);
        match rng.next_u64() % 10 {
            0..=2 => {
                model.remove(&key);
                lines.push(format!("delete {key}"));
            }
            3 => lines.push("flush".to_owned()),
            _ => {
                model.insert(key.clone(), i);
                lines.push(format!("put {key} v{i}"));
            }
        }
    }
    lines.push("scan k00 k99".to_owned());
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut s = session(&refs);
    let views = s.seek(s.total_frames() - 1);
    let scan = &views.scan;
    // The list keeps the latest entries; the counts cover them all.
    let returned: Vec<String> = scan
        .entries
        .iter()
        .filter(|e| e.decision == Returned)
        .map(|e| String::from_utf8(e.key.clone()).unwrap())
        .collect();
    let live: Vec<String> = model.keys().cloned().collect();
    assert_eq!(scan.totals().0, live.len() as u64);
    assert!(
        !returned.is_empty() && live.ends_with(&returned),
        "{returned:?} vs {live:?}"
    );
    assert!(scan.sources.iter().all(|x| x.kind != SourceKind::Unknown));
    assert_eq!(
        scan.sources.iter().map(ScanSource::entries).sum::<u64>(),
        scan.met
    );
    let (_, shadowed, tombstones, _) = scan.totals();
    assert!(shadowed > 0 && tombstones > 0, "{:?}", scan.totals());
}
