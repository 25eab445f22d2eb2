//! Parsing, load sizing and scenes, line by line.

use super::*;
use crate::trace::BatchEntry;

fn op(line: &str) -> Option<TraceOp> {
    match parse_command(line) {
        Ok(Some(Command::Op { op })) => Some(op),
        _ => None,
    }
}

#[test]
fn commands_parse_into_operations() {
    assert_eq!(
        op("put apple red"),
        Some(TraceOp::Put {
            key: b"apple".to_vec(),
            value: b"red".to_vec()
        })
    );
    assert_eq!(
        op(r#"put "two words" 0x00ff"#),
        Some(TraceOp::Put {
            key: b"two words".to_vec(),
            value: vec![0, 255]
        })
    );
    assert_eq!(
        op("compact-range"),
        Some(TraceOp::CompactRange {
            start: None,
            end: None
        })
    );
    assert_eq!(
        op("compact-range .. m"),
        Some(TraceOp::CompactRange {
            start: None,
            end: Some(b"m".to_vec())
        })
    );
    assert_eq!(
        op("compact-range a"),
        Some(TraceOp::CompactRange {
            start: Some(b"a".to_vec()),
            end: None
        })
    );
    assert!(parse_command("compact-range a m z").is_err());
    assert_eq!(
        op("get k @2"),
        Some(TraceOp::Get {
            key: b"k".to_vec(),
            snapshot: Some(2)
        })
    );
    assert_eq!(
        op("scan a m rev limit=5"),
        Some(TraceOp::Scan {
            start: Some(b"a".to_vec()),
            end: Some(b"m".to_vec()),
            reverse: true,
            limit: Some(5)
        })
    );
    assert_eq!(
        op("scan"),
        Some(TraceOp::Scan {
            start: None,
            end: None,
            reverse: false,
            limit: None
        })
    );
    assert_eq!(
        op("scan .. m"),
        Some(TraceOp::Scan {
            start: None,
            end: Some(b"m".to_vec()),
            reverse: false,
            limit: None
        })
    );
    assert_eq!(
        op("batch put a 1 | delete b"),
        Some(TraceOp::Batch {
            entries: vec![
                BatchEntry {
                    key: b"a".to_vec(),
                    value: Some(b"1".to_vec())
                },
                BatchEntry {
                    key: b"b".to_vec(),
                    value: None
                },
            ]
        })
    );
    assert_eq!(
        op(r#"put "a\"b\x41\n" v # comment"#),
        Some(TraceOp::Put {
            key: b"a\"bA\n".to_vec(),
            value: b"v".to_vec()
        })
    );
    assert_eq!(parse_command("   # only a comment"), Ok(None));
}

/// `load 10000000 value_bytes=…` once parsed, silently capping the
/// value at 64 KiB, and then generated 650 GB of puts: a shared link
/// could kill the tab. The size is checked before anything is built.
#[test]
fn a_load_too_large_to_generate_is_refused_before_generating() {
    for line in [
        "load sequential 10000000 value_bytes=65536",
        "load random 9000000 value_bytes=200",
        "load sequential 10 value_bytes=1000000",
    ] {
        let parsed = parse_command(line);
        assert!(parsed.is_err(), "{line} parsed as {parsed:?}");
    }
    let Ok(Some(fits)) = parse_command("load sequential 2000 value_bytes=50") else {
        panic!("a small load must parse");
    };
    assert_eq!(fits.load_bytes(), Some(2000 * (3 + 6 + 50)));
    assert!(fits.check_load(2000, 1 << 20).is_ok());
    let over_ops = fits
        .check_load(1999, 1 << 20)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(over_ops.contains("2000"), "{over_ops}");
    let over_bytes = fits
        .check_load(2000, 1000)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(over_bytes.contains("bytes"), "{over_bytes}");
}

#[test]
fn bad_lines_name_the_column_and_never_panic() {
    let cases = [
        ("frobnicate x", 1),
        ("put onlykey", 5),
        ("put k v extra", 9),
        (r#"put "unterminated"#, 5),
        ("put 0xzz v", 5),
        ("get k @x", 7),
        ("load wavy 10", 6),
        ("load random 99999999999", 13),
        (r#"put "\q" v"#, 5),
        ("batch put a", 11),
    ];
    for (line, column) in cases {
        match parse_command(line) {
            Err(e) => assert_eq!(e.column, column, "{line}: {e}"),
            Ok(c) => panic!("{line} parsed as {c:?}"),
        }
    }
}

#[test]
fn scenes_set_options_then_run_commands() -> Result<(), ScriptError> {
    let scene = Scene::parse(
        "option memtable_bytes_max=2048\noption compaction_strategy=size_tiered\nload random 10 seed=3 keys=5\nflush\n",
        &Options::deterministic(),
    )?;
    assert_eq!(scene.options.memtable_bytes_max, 2048);
    assert_eq!(
        scene.options.compaction_strategy,
        crate::options::CompactionStrategy::SizeTiered
    );
    assert_eq!(scene.commands.len(), 2);
    let ops = scene
        .commands
        .first()
        .and_then(Command::load_ops)
        .unwrap_or_default();
    assert_eq!(ops.len(), 10);
    assert!(Scene::parse("flush\noption seed=1", &Options::deterministic()).is_err());
    assert!(Scene::parse("option memtable_bytes_max=1", &Options::deterministic()).is_err());
    assert!(Scene::parse("option no_such=1", &Options::deterministic()).is_err());
    Ok(())
}

#[test]
fn loads_are_deterministic_from_their_seed() {
    let parse = |l: &str| parse_command(l).ok().flatten().and_then(|c| c.load_ops());
    assert_eq!(
        parse("load skewed 50 seed=9"),
        parse("load skewed 50 seed=9")
    );
    assert_ne!(
        parse("load random 50 seed=9"),
        parse("load random 50 seed=10")
    );
    let seq = parse("load sequential 3 prefix=user value_bytes=4").unwrap_or_default();
    assert_eq!(
        seq.first(),
        Some(&TraceOp::Put {
            key: b"user000000".to_vec(),
            value: b"v0-.".to_vec()
        })
    );
}

/// The typed problem's `Display` is the English message the shell and the
/// chapters' `# expect` lines have always shown.
#[test]
fn problems_read_as_the_english_messages() {
    let cases = [
        ("frob", "unknown command \"frob\" (try help)"),
        ("put", "missing key"),
        ("put k", "missing value"),
        ("put k v w", "unexpected extra words"),
        ("load random x", "\"x\" is not a number"),
        ("load wavy 1", "unknown load pattern \"wavy\""),
        ("load random 5 seed", "expected name=value, got \"seed\""),
        (
            "load random 5 colour=red",
            "unknown load setting \"colour\"",
        ),
        (
            "load random 5 value_bytes=70000",
            "value_bytes is at most 65536, not 70000",
        ),
        ("option seed", "expected name=value"),
        ("scan a b c", "unexpected \"c\""),
        (
            "batch get a",
            "a batch holds put and delete, separated by |",
        ),
        ("put 0xabc v", "hex string of odd length"),
        ("put 0xzz v", "'z' is not a hex digit"),
        (r#"put "ab"#, "unterminated quoted string"),
        (r#"put "\xg" v"#, "bad escape \\xg\""),
        (r#"put "\q" v"#, "unknown escape \\q"),
        ("delete-range a", "missing end key"),
    ];
    for (line, message) in cases {
        match parse_command(line) {
            Err(e) => {
                assert_eq!(e.message, message, "{line}");
                assert_eq!(e.problem.to_string(), message, "{line}");
            }
            Ok(c) => panic!("{line} parsed as {c:?}"),
        }
    }
    let scene = Scene::parse("flush\noption seed=1", &Options::deterministic());
    let e = scene.err().map(|e| (e.line, e.problem));
    assert_eq!(e, Some((2, ScriptProblem::OptionAfterCommands)));
    let mut options = Options::deterministic();
    let e = set_option(&mut options, "no_such", "1")
        .err()
        .map(|e| e.message);
    assert_eq!(e.as_deref(), Some("unknown option \"no_such\""));
}

/// The JSON form stays `{line, column, message}`.
#[test]
fn script_errors_serialize_as_before() -> Result<(), serde_json::Error> {
    let e = ScriptError::new(3, ScriptProblem::ExtraWords);
    let json = serde_json::to_string(&e)?;
    assert_eq!(
        json,
        r#"{"line":1,"column":3,"message":"unexpected extra words"}"#
    );
    let back: ScriptError = serde_json::from_str(&json)?;
    assert_eq!(back.message, e.message);
    Ok(())
}

#[test]
fn time_commands_set_and_advance_the_time() {
    assert_eq!(op("time 5000"), Some(TraceOp::SetTime { now_ms: 5000 }));
    assert_eq!(op("time 1_000"), Some(TraceOp::SetTime { now_ms: 1000 }));
    assert_eq!(op("advance 250"), Some(TraceOp::AdvanceTime { by_ms: 250 }));
    let problem = |line: &str| parse_command(line).err().map(|e| (e.column, e.problem));
    assert_eq!(
        problem("time"),
        Some((
            1,
            ScriptProblem::Missing {
                what: Argument::Milliseconds
            }
        ))
    );
    assert_eq!(
        problem("advance soon"),
        Some((
            9,
            ScriptProblem::NotANumber {
                text: "soon".to_owned()
            }
        ))
    );
    let too_late = MAX_TIME_MS + 1;
    assert_eq!(
        problem(&format!("time {too_late}")),
        Some((
            6,
            ScriptProblem::TimeTooLarge {
                max: MAX_TIME_MS,
                got: too_late
            }
        ))
    );
    assert_eq!(
        problem("time 5 6").map(|(_, p)| p),
        Some(ScriptProblem::ExtraWords)
    );
}

#[test]
fn a_scene_sets_the_ttl_option() -> Result<(), ScriptError> {
    let scene = Scene::parse(
        "option ttl_ms=3000\ntime 10\nput a 1\n",
        &Options::deterministic(),
    )?;
    assert_eq!(scene.options.ttl_ms, Some(3000));
    assert_eq!(scene.commands.len(), 2);
    assert_eq!(Options::deterministic().ttl_ms, None);
    let zero = Scene::parse("option ttl_ms=0", &Options::deterministic()).err();
    assert!(
        matches!(
            zero.map(|e| e.problem),
            Some(ScriptProblem::InvalidOptions { .. })
        ),
        "a zero ttl is refused"
    );
    let word = Scene::parse("option ttl_ms=soon", &Options::deterministic()).err();
    assert!(
        matches!(
            word.map(|e| e.problem),
            Some(ScriptProblem::BadOptionValue { .. })
        ),
        "a ttl must be a number"
    );
    let mut options = Options::deterministic();
    set_option(&mut options, "ttl_ms", "null")?;
    assert_eq!(options.ttl_ms, None);
    Ok(())
}
