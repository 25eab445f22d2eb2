//! The labs as a teacher grades them: one integration test file per lab,
//! and a parser for the test harness's output (used by the `grade`
//! binary).

/// One lab: its name (the test file `tests/<name>.rs`), its chapter and
/// what the student writes.
#[derive(Clone, Copy, Debug)]
pub struct LabInfo {
    /// The lab's name, also its module and its test file.
    pub name: &'static str,
    /// The chapter file it belongs to.
    pub chapter: &'static str,
    /// What the student writes.
    pub writes: &'static str,
}

/// Every lab, in course order.
pub const LABS: [LabInfo; 8] = [
    LabInfo {
        name: "skiplist",
        chapter: "03-memtable.md",
        writes: "insert / seek / iterate of an arena skiplist, seeded heights",
    },
    LabInfo {
        name: "wal",
        chapter: "04-wal.md",
        writes: "the 32 KiB block log: writer, reader, torn tail vs damage",
    },
    LabInfo {
        name: "block",
        chapter: "05-sstable.md",
        writes: "block builder with prefix compression and restarts; seek",
    },
    LabInfo {
        name: "bloom",
        chapter: "06-bloom.md",
        writes: "bloom filter: k from bits per key, double hashing",
    },
    LabInfo {
        name: "merge",
        chapter: "07-read-path.md",
        writes: "k-way merging iterator, newest first, forward and backward",
    },
    LabInfo {
        name: "picking",
        chapter: "09-leveled-compaction.md",
        writes: "level choice, round-robin pointer, level-0 overlap",
    },
    LabInfo {
        name: "fates",
        chapter: "10-tombstones.md",
        writes: "the fate of a record given stripes and older data below",
    },
    LabInfo {
        name: "snapshots",
        chapter: "13-snapshots.md",
        writes: "the version a reader at a sequence number sees",
    },
];

/// The outcome of one test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestOutcome {
    /// The test's name.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// For a failure, the first line of its panic message.
    pub reason: Option<String>,
}

/// The tests of one run of the test harness, from its text output
/// (`test <name> ... ok|FAILED` lines, and the `---- <name> stdout ----`
/// sections of failures).
pub fn parse_harness_output(output: &str) -> Vec<TestOutcome> {
    let mut outcomes: Vec<TestOutcome> = output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, result) = rest.rsplit_once(" ... ")?;
            let passed = match result.trim() {
                "ok" => true,
                "FAILED" => false,
                _ => return None,
            };
            Some(TestOutcome {
                name: name.to_string(),
                passed,
                reason: None,
            })
        })
        .collect();
    let mut lines = output.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        else {
            continue;
        };
        // The panic message follows "thread '…' panicked at <place>:".
        let reason = lines
            .by_ref()
            .skip_while(|l| !l.contains("panicked at"))
            .nth(1)
            .map(str::to_string);
        if let Some(outcome) = outcomes.iter_mut().find(|o| o.name == name) {
            outcome.reason = reason;
        }
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harness_output_gives_each_test_and_the_reason_it_failed() {
        let output = "\nrunning 2 tests\ntest a_passes ... ok\ntest b_fails ... FAILED\n\n\
            failures:\n\n---- b_fails stdout ----\n\nthread 'b_fails' panicked at src/x.rs:3:5:\n\
            not yet implemented: bloom lab: build\nnote: run with RUST_BACKTRACE=1\n";
        let outcomes = parse_harness_output(output);
        assert_eq!(outcomes.len(), 2);
        assert!(outcomes[0].passed && outcomes[0].reason.is_none());
        assert!(!outcomes[1].passed);
        assert_eq!(
            outcomes[1].reason.as_deref(),
            Some("not yet implemented: bloom lab: build")
        );
    }
}
