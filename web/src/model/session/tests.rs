#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use crate::model::views::structure::TableMark;
use strata_engine::event::{BloomVerdict, EntryFate, GetOutcome};
use strata_engine::Event;

use super::*;
use crate::model::presets::{preset, PRESETS};

/// Runs a preset's scene in a fresh session.
pub(crate) fn run_preset(id: &str) -> Session {
    let scene = preset(id).unwrap().scene().unwrap();
    let mut session = Session::in_memory(scene.options.clone()).unwrap();
    for line in preset(id).unwrap().script.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("option") {
            continue;
        }
        session.run(trimmed).unwrap();
    }
    session
}

fn all_events(session: &Session) -> impl Iterator<Item = &Event> {
    session.trace().steps.iter().flat_map(|s| &s.events)
}

fn has(session: &Session, f: impl Fn(&Event) -> bool) -> bool {
    all_events(session).any(f)
}

#[test]
fn each_preset_shows_what_it_promises() {
    let s = run_preset("first-flush");
    assert!(has(&s, |e| matches!(e, Event::FlushFinished { .. })));
    let s = run_preset("bloom-saves-a-read");
    assert!(has(&s, |e| matches!(
        e,
        Event::BloomProbe {
            verdict: BloomVerdict::DefinitelyAbsent,
            ..
        }
    )));
    let s = run_preset("false-positive");
    assert!(has(&s, |e| matches!(e, Event::BloomFalsePositive { .. })));
    let s = run_preset("l0-to-l1");
    assert!(has(&s, |e| matches!(
        e,
        Event::CompactionPicked {
            level: 0,
            output_level: 1,
            trivial_move: false,
            ..
        }
    )));
    let s = run_preset("tombstone-dropped");
    assert!(has(&s, |e| matches!(
        e,
        Event::CompactionEntry {
            fate: EntryFate::TombstoneDroppedAtBottom,
            ..
        }
    )));
    assert!(has(&s, |e| matches!(
        e,
        Event::GetFinished {
            outcome: GetOutcome::NotFound,
            ..
        }
    )));
    let s = run_preset("tombstone-kept");
    assert!(has(&s, |e| matches!(
        e,
        Event::CompactionEntry {
            fate: EntryFate::TombstoneKeptOlderDataBelow,
            ..
        }
    )));
    let s = run_preset("big-tree");
    let tables: usize = s.head_db().levels().iter().map(Vec::len).sum();
    assert!(tables >= 200, "{tables} tables");
    for p in PRESETS {
        assert!(p.focus < p.scene().unwrap().commands.len(), "{}", p.id);
    }
}

#[test]
fn tiered_and_leveled_presets_differ_in_write_amplification() {
    let leveled = run_preset("overwrites-leveled").head_db().stats();
    let tiered = run_preset("overwrites-tiered").head_db().stats();
    assert!(
        leveled.write_amplification() > tiered.write_amplification(),
        "leveled {} tiered {}",
        leveled.write_amplification(),
        tiered.write_amplification()
    );
}

/// Views reached by stepping one frame at a time equal the views rebuilt
/// from a checkpoint at the same frame.
fn stepping_matches_rebuilding(id: &str, stride: usize) {
    let mut walker = run_preset(id);
    let mut jumper = run_preset(id);
    walker.seek(0);
    let total = walker.total_frames();
    for pos in 0..total {
        let stepped = walker.seek(pos);
        if pos % stride == 0 || pos + 1 == total {
            jumper.seek(total - 1);
            let rebuilt = jumper.seek(pos);
            assert_eq!(*stepped, *rebuilt, "{id} frame {pos}");
        }
    }
    assert!(walker.take_problem().is_none());
    assert!(jumper.take_problem().is_none());
}

#[test]
fn stepping_forward_matches_seeking_back_through_checkpoints() {
    stepping_matches_rebuilding("l0-to-l1", 7);
    stepping_matches_rebuilding("tombstone-kept", 5);
    stepping_matches_rebuilding("false-positive", 3);
}

#[test]
fn the_structure_at_an_operations_end_is_what_the_engine_reports() {
    let mut s = run_preset("tombstone-kept");
    for op in 0..s.ops() {
        let last = s.first_frame_of_op(op + 1) - 1;
        let views = s.seek(last);
        let expected = {
            let mut replay = Runner::open_in_memory(s.options().clone()).unwrap().0;
            for step in s.trace().steps.iter().take(op + 1) {
                replay.apply(step.op.clone());
            }
            replay.db().levels()
        };
        for (level, tables) in expected.iter().enumerate() {
            let mut want: Vec<u64> = tables.iter().map(|t| t.file_number).collect();
            let mut got: Vec<u64> = views.structure.levels.levels[level]
                .tables
                .iter()
                .filter(|t| t.mark != TableMark::Fading)
                .map(|t| t.file_number)
                .collect();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "op {op} level {level}");
        }
        if op > 40 {
            break;
        }
    }
}

#[test]
fn a_compaction_marks_inputs_and_fades_them_at_the_manifest_edit() {
    let mut s = run_preset("l0-to-l1");
    let total = s.total_frames();
    let picked = (0..total)
        .find(|&p| s.seek(p).frame.event_kind == "compaction_picked")
        .unwrap();
    let views = s.seek(picked);
    let inputs = views.structure.levels.levels[0]
        .tables
        .iter()
        .filter(|t| t.mark == TableMark::Input)
        .count();
    assert_eq!(inputs, 4);
    let edit = (picked..total)
        .find(|&p| s.seek(p).frame.event_kind == "manifest_edit")
        .unwrap();
    let views = s.seek(edit);
    assert!(views.structure.levels.levels[0]
        .tables
        .iter()
        .all(|t| t.mark == TableMark::Fading));
    assert!(views.structure.levels.levels[1]
        .tables
        .iter()
        .any(|t| t.mark == TableMark::New));
    assert!(views.compaction.count(EntryFate::Shadowed) > 0);
    assert!(
        views.compaction.finished.is_none(),
        "installed after the edit"
    );
    // Step back one frame: the inputs are inputs again.
    let back = s.step(-1);
    assert!(back.structure.levels.levels[0]
        .tables
        .iter()
        .all(|t| t.mark == TableMark::Input));
}

#[test]
fn the_bloom_view_shows_the_tested_bits_of_the_real_filter() {
    let mut s = run_preset("false-positive");
    let total = s.total_frames();
    let fp = (0..total)
        .find(|&p| s.seek(p).frame.event_kind == "bloom_false_positive")
        .unwrap();
    let views = s.seek(fp);
    let probe = views.bloom.probe.as_ref().unwrap();
    assert!(probe.false_positive);
    assert!(probe.filter.is_some());
    assert!(
        probe.tested.iter().all(|b| b.set == Some(true)),
        "a maybe has every tested bit set"
    );
    assert!(views.frame.narration.contains("False positive"));
    let absent = (0..total)
        .find(|&p| {
            let v = s.seek(p);
            v.frame.event_kind == "bloom_probe"
                && v.bloom
                    .probe
                    .as_ref()
                    .is_some_and(|p| p.verdict == BloomVerdict::DefinitelyAbsent)
        })
        .unwrap();
    let views = s.seek(absent);
    let probe = views.bloom.probe.as_ref().unwrap();
    assert!(
        probe.tested.iter().any(|b| b.set == Some(false)),
        "absent: some bit is clear"
    );
    assert!(views.bloom.counters.theoretical_rate().unwrap() > 0.1);
}

#[test]
fn the_read_path_lists_each_table_and_where_the_get_stopped() {
    let mut s = run_preset("bloom-saves-a-read");
    let views = s.seek(s.total_frames() - 1);
    let read = &views.read;
    assert_eq!(read.key.as_deref(), Some(b"user000030x".as_slice()));
    assert!(matches!(read.outcome, Some((GetOutcome::NotFound, _))));
    use crate::model::views::read_path::{ReadStop, TableVisit};
    assert!(read.stops.iter().any(|s| matches!(
        s,
        ReadStop::Table {
            visit: TableVisit::FilteredOut,
            ..
        }
    )));
    assert!(read
        .stops
        .iter()
        .any(|s| matches!(s, ReadStop::Memtable { .. })));
}

#[test]
fn bad_commands_are_refused_with_a_message_and_change_nothing() {
    let mut s = Session::in_memory(crate::model::presets::visualizer_options()).unwrap();
    let before = s.total_frames();
    assert!(s.run("frobnicate").unwrap_err().contains("unknown command"));
    assert!(s.run("option seed=3").unwrap_err().contains("option"));
    assert!(s.run("put onlykey").is_err());
    assert_eq!(s.total_frames(), before);
    let report = s.run("get nothing-here").unwrap();
    assert_eq!(report.ops, 1);
    assert_eq!(report.first_frame, Some(before));
    assert_eq!(s.commands(), ["get nothing-here"]);
    let report = s.run("release 5").unwrap();
    assert_eq!(
        report.failures.len(),
        1,
        "a failing operation is recorded, not fatal"
    );
}

/// A Chinese page shows the command box's errors in Chinese: nothing
/// English is left but the command and its words.
#[test]
fn bad_commands_are_refused_in_the_language_shown() {
    use crate::model::i18n::narration::coverage::english_words;
    use crate::model::i18n::{show_in, Lang};
    let mut s = Session::in_memory(crate::model::presets::visualizer_options()).unwrap();
    // Each test runs on its own thread, so the language is this test's.
    show_in(Lang::Zh);
    let cases = [
        ("frob", "未知命令 \"frob\"（输入 help 查看命令）"),
        ("put", "缺少键"),
        ("load random x", "第 13 个字符处：\"x\" 不是数字"),
        (
            "load wavy 3",
            "第 6 个字符处：未知的 load 模式 \"wavy\"（可用 sequential、random 或 skewed）",
        ),
    ];
    let kept = [
        "frob",
        "help",
        "load",
        "sequential",
        "random",
        "skewed",
        "wavy",
    ];
    for (line, shown) in cases {
        let err = s.run(line).unwrap_err();
        assert_eq!(err, shown, "{line}");
        let words: Vec<String> = english_words(&err)
            .into_iter()
            .filter(|w| !kept.contains(&w.as_str()))
            .collect();
        assert!(words.is_empty(), "{words:?} left in {err}");
    }
    let err = s.run("load random 10000000").unwrap_err();
    assert!(err.starts_with("这次 load 会写入 10000000 个 put"), "{err}");
    show_in(Lang::En);
    assert_eq!(
        s.run("load random x").unwrap_err(),
        "at character 13: \"x\" is not a number"
    );
}

#[test]
fn a_load_past_the_sessions_limits_is_refused_before_anything_is_generated() {
    let mut s = Session::in_memory(crate::model::presets::visualizer_options()).unwrap();
    let before = s.total_frames();
    // 10 million puts: more operations than a session holds.
    let err = s.run("load random 10000000").unwrap_err();
    assert!(err.contains("limit"), "{err}");
    // 200,000 puts of 64 KiB values: about 13 GB, past what any load makes.
    assert!(s.run("load random 200000 value_bytes=65536").is_err());
    // 2,000 of them: 131 MB, within the engine's limit but not a tab's.
    let err = s.run("load random 2000 value_bytes=65536").unwrap_err();
    assert!(err.contains("bytes"), "{err}");
    assert_eq!(s.total_frames(), before);
    assert!(s.commands().is_empty());
}

#[test]
fn checkpoints_thin_out_but_still_cover_the_log() {
    let mut s = Session::in_memory(crate::model::presets::visualizer_options()).unwrap();
    s.run("load random 20000 seed=3 keys=500 value_bytes=4")
        .unwrap();
    assert!(s.checkpoint_count() <= MAX_CHECKPOINTS);
    assert!(s.checkpoint_count() > 100);
    let mid = s.first_frame_of_op(12_345);
    let views = s.seek(mid);
    assert_eq!(views.frame.op, Some(12_345));
    assert!(s.take_problem().is_none());
}

/// Typed commands in manual maintenance run the flushes and compactions
/// they make due as steps of their own: L0 never piles up beyond its
/// trigger, and each step is an operation of the log.
#[test]
fn typed_commands_step_through_due_maintenance() {
    use crate::model::controller::{Action, Controller};
    use crate::model::setup::{Embed, Setup};
    use strata_engine::trace::TraceOp;

    let mut c = Controller::new(Setup::default(), Embed::default(), true);
    assert_eq!(c.session.options().maintenance, MaintenanceMode::Manual);
    c.apply(Action::Run("load random 1000".to_owned()));
    let trigger = c.session.options().l0_compaction_trigger;
    let levels = c.session.head_db().levels();
    let l0 = levels.first().map_or(0, Vec::len);
    assert!(l0 <= trigger, "L0 holds {l0} tables, trigger {trigger}");
    assert!(
        levels.get(1).is_some_and(|l| !l.is_empty()),
        "L1 was filled"
    );
    let steps = c
        .session
        .trace()
        .steps
        .iter()
        .filter(|s| s.op == TraceOp::Step)
        .count();
    assert!(steps >= 5, "{steps} maintenance steps");
    assert!(c.session.compaction_ops().len() >= 2);
    // The link replays the same log.
    let again = Controller::new(
        Setup::from_fragment(&c.fragment().unwrap()).unwrap(),
        Embed::default(),
        true,
    );
    assert_eq!(again.session.trace().to_json(), c.session.trace().to_json());
}

/// With "pause before each compaction", playing stops at the first frame
/// of every compaction.
#[test]
fn playing_can_pause_before_each_compaction() {
    use crate::model::controller::{Action, Controller};
    use crate::model::setup::{Embed, Setup};

    let mut c = Controller::new(Setup::default(), Embed::default(), false);
    c.apply(Action::SetPauseBeforeCompaction(true));
    c.apply(Action::Run("load random 1000".to_owned()));
    assert!(c.playback.playing);
    let first = c
        .session
        .first_frame_of_op(*c.session.compaction_ops().first().unwrap());
    let mut now = 0.0;
    while c.playback.playing {
        now += 50.0;
        c.apply(Action::Tick(now));
    }
    assert_eq!(c.session.pos(), first);
    assert!(c.notice.as_ref().is_some_and(|n| !n.error));
}

/// The bloom panel never shows an older get's probe beside the read path
/// of a newer get: a get answered by the memtable clears it.
#[test]
fn the_bloom_view_belongs_to_the_get_the_read_path_shows() {
    let mut s = Session::in_memory(crate::model::presets::visualizer_options()).unwrap();
    for line in [
        "load sequential 60",
        "flush",
        "get key000030x",
        "put fresh 1",
        "get fresh",
    ] {
        s.run(line).unwrap();
    }
    let end = s.total_frames() - 1;
    let views = s.seek(end);
    assert_eq!(views.read.key.as_deref(), Some(b"fresh".as_slice()));
    assert!(views.bloom.probe.is_none(), "an older get's probe is shown");
    assert_eq!(views.bloom.get_key(), Some(b"fresh".as_slice()));
    // The same from a jump back and forth (the looking-back path).
    s.seek(0);
    assert_eq!(*s.seek(end), *views);
}

/// Tables a manifest edit removed fade out until the next edit or
/// compaction, not for the rest of a long operation.
#[test]
fn removed_tables_fade_only_until_the_next_edit() {
    let mut options = crate::model::presets::visualizer_options();
    options.level_base_bytes = 2048;
    let mut s = Session::in_memory(options).unwrap();
    s.run("load random 400 seed=3 keys=400").unwrap();
    s.run("compact").unwrap();
    let op = s.ops() - 1;
    let (first, end) = (s.first_frame_of_op(op), s.total_frames());
    let mut picks = 0;
    for pos in first..end {
        if s.frame_kind(pos) == Some("compaction_picked") {
            picks += 1;
            let views = s.seek(pos);
            let fading = views
                .structure
                .levels
                .levels
                .iter()
                .flat_map(|l| &l.tables)
                .filter(|t| t.mark == TableMark::Fading)
                .count();
            assert_eq!(fading, 0, "frame {pos}: removed tables still drawn");
        }
    }
    assert!(picks >= 2, "{picks} compactions in one operation");
}

/// While a write's inline flush or compaction is shown, the write is not
/// reported "done".
#[test]
fn a_write_running_maintenance_inline_says_so() {
    let mut options = crate::model::presets::visualizer_options();
    options.maintenance = MaintenanceMode::Inline;
    let mut s = Session::in_memory(options).unwrap();
    s.run("load sequential 200").unwrap();
    let pos = (0..s.total_frames())
        .find(|p| s.frame_kind(*p) == Some("flush_started"))
        .unwrap();
    let frame = s.seek(pos).frame.clone();
    assert!(frame.op_label.starts_with("put"), "{}", frame.op_label);
    assert!(frame.op_outcome.contains("flush"), "{}", frame.op_outcome);
}

/// The command line says where a command is wrong (not "line 1"), and an
/// empty scan range is refused instead of silently finding nothing.
#[test]
fn commands_are_refused_with_clear_messages() {
    let mut s = Session::in_memory(crate::model::presets::visualizer_options()).unwrap();
    let err = s.run("frobnicate the tree").unwrap_err();
    assert!(!err.contains("line 1"), "{err}");
    assert!(err.contains("unknown command"), "{err}");
    let err = s.run("scan z a").unwrap_err();
    assert!(err.contains("scan a z"), "{err}");
    assert_eq!(s.ops(), 0);
    assert!(s.run("scan a z").is_ok());
}

/// A command that fails keeps its message until the next one succeeds,
/// which clears it; the command box clears only after a success.
#[test]
fn a_success_clears_the_error_of_a_failed_command() {
    use crate::model::controller::{Action, Controller};
    use crate::model::setup::{Embed, Setup};
    let mut c = Controller::new(Setup::default(), Embed::default(), true);
    c.apply(Action::Run("scan z a".to_owned()));
    assert!(c.notice.as_ref().is_some_and(|n| n.error));
    assert_eq!(c.commands_ok, 0, "the box keeps the failed command");
    c.apply(Action::Run("put a 1".to_owned()));
    assert!(c.notice.is_none(), "{:?}", c.notice);
    assert_eq!(c.commands_ok, 1);
}

/// When a compaction must keep a tombstone, the deeper table whose range
/// covers its key — the reason — is marked, and named in the activity.
#[test]
fn the_table_that_keeps_a_tombstone_alive_is_marked() {
    let mut s = run_preset("tombstone-kept");
    let pos = (0..s.total_frames())
        .find(|p| {
            s.frame_kind(*p) == Some("compaction_entry") && {
                let v = s.seek(*p);
                v.compaction
                    .entries
                    .last()
                    .is_some_and(|e| e.fate == EntryFate::TombstoneKeptOlderDataBelow)
            }
        })
        .unwrap();
    let views = s.seek(pos);
    let kept = views.structure.activity.kept_tombstone.clone().unwrap();
    assert_eq!(kept.key, b"k000007");
    assert!(!kept.below.is_empty());
    let output = views.compaction.picked.as_ref().unwrap().output_level;
    for (level, file) in &kept.below {
        assert!(*level > output);
        let marked = views
            .structure
            .levels
            .levels
            .iter()
            .flat_map(|l| &l.tables)
            .find(|t| t.file_number == *file)
            .unwrap();
        assert_eq!(marked.mark, TableMark::KeepsTombstone);
    }
}

/// A table opens key by key: its records with sequence numbers, its
/// tombstones counted and listed, its blocks and filter.
#[test]
fn a_table_opens_key_by_key_with_its_tombstones() {
    use crate::model::controller::{Action, Controller};
    use crate::model::setup::{Embed, Setup};
    let mut c = Controller::new(
        Setup::from_fragment("s=tombstone-kept").unwrap(),
        Embed::default(),
        true,
    );
    // After the delete of k000007 is flushed, some L0 table holds it.
    let flushes: Vec<usize> = (0..c.session.total_frames())
        .filter(|p| c.session.frame_kind(*p) == Some("flush_finished"))
        .collect();
    let mut with_tombstone = None;
    for pos in flushes {
        c.apply(Action::Seek(pos));
        let l0 = c.views.structure.levels.levels.first().unwrap().clone();
        with_tombstone = l0.tables.iter().find_map(|t| {
            c.apply(Action::ShowTable(Some(t.file_number)));
            c.table.clone().filter(|d| d.tombstones > 0)
        });
        if with_tombstone.is_some() {
            break;
        }
    }
    let detail = with_tombstone.expect("an L0 table holds the tombstone");
    let row = detail.records.iter().find(|r| r.tombstone).unwrap();
    assert_eq!(row.key, b"k000007");
    assert_eq!(row.value_bytes, 0);
    assert_eq!(
        detail
            .blocks
            .iter()
            .map(|b| u64::from(b.entries))
            .sum::<u64>(),
        detail.record_count
    );
    assert!(detail
        .bloom
        .is_some_and(|(bits, set, k)| set <= bits && k >= 1));
    c.apply(Action::ShowTable(Some(999_999)));
    assert!(
        c.notice.as_ref().is_some_and(|n| n.error),
        "a missing table says so"
    );
    c.apply(Action::ShowTable(None));
    assert!(c.table.is_none());
}

/// During a compaction the output table grows along the key axis block by
/// block, in the output level, before its manifest edit installs it.
#[test]
fn compaction_outputs_grow_as_their_blocks_are_written() {
    let mut s = run_preset("l0-to-l1");
    let picked = (0..s.total_frames())
        .rev()
        .find(|p| s.frame_kind(*p) == Some("compaction_picked"))
        .unwrap();
    let mut spans = Vec::new();
    for pos in picked..s.total_frames() {
        match s.frame_kind(pos) {
            Some("block_written") => {
                let v = s.seek(pos);
                let w = v.structure.activity.writing.last().unwrap().clone();
                assert_eq!(w.level, 1, "outputs grow in L1");
                spans.push((w.file_number, w.span.unwrap()));
            }
            Some("manifest_edit") => break,
            _ => {}
        }
    }
    assert!(spans.len() >= 2, "{spans:?}");
    let first = spans.first().unwrap();
    let same: Vec<_> = spans.iter().filter(|(f, _)| *f == first.0).collect();
    assert!(
        same.windows(2)
            .all(|w| w[1].1 .1 >= w[0].1 .1 && w[1].1 .0 <= w[0].1 .0),
        "a table only grows: {same:?}"
    );
    assert!(same.last().unwrap().1 .1 > first.1 .1, "it grew: {spans:?}");
}

/// A table knows its tombstones' keys, however the frame was reached: the
/// flushed delete shows as a mark inside its L0 table.
#[test]
fn tables_carry_their_tombstones() {
    let mut s = run_preset("tombstone-dropped");
    let with_tombstones = |v: &Views| -> Vec<(u64, Vec<Vec<u8>>)> {
        v.structure
            .levels
            .levels
            .iter()
            .flat_map(|l| &l.tables)
            .filter_map(|t| {
                let keys = t.tombstones.as_ref()?;
                (!keys.is_empty()).then(|| (t.file_number, keys.as_ref().clone()))
            })
            .collect()
    };
    let edits: Vec<usize> = (0..s.total_frames())
        .filter(|p| s.frame_kind(*p) == Some("manifest_edit"))
        .collect();
    let mut seen = false;
    for pos in edits {
        let stepped = s.seek(pos);
        let found = with_tombstones(&stepped);
        if found
            .iter()
            .any(|(_, keys)| keys.iter().any(|k| k.as_slice() == b"k000007"))
        {
            seen = true;
            s.seek(0);
            assert_eq!(
                with_tombstones(&s.seek(pos)),
                found,
                "the same after a jump"
            );
            break;
        }
    }
    assert!(seen, "no table shows the tombstone of k000007");
}
