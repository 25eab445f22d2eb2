//! `help`: every command with a one-line description and an example.

use std::io::Write;

use anyhow::Result;

/// (usage, what it does, example).
const COMMANDS: &[(&str, &str, &str)] = &[
    ("put KEY VALUE", "store a value", "put apple red"),
    (
        "get KEY [@SNAPSHOT]",
        "read a value (through a snapshot)",
        "get apple @0",
    ),
    (
        "delete KEY",
        "delete a key (writes a tombstone)",
        "delete apple",
    ),
    (
        "batch OP | OP …",
        "apply puts and deletes atomically",
        "batch put a 1 | delete b",
    ),
    (
        "scan [START [END]] [rev] [limit=N]",
        "list live keys in [START, END)",
        "scan a m rev limit=5",
    ),
    (
        "snapshot",
        "pin the current state; numbered 0, 1, …",
        "snapshot",
    ),
    ("release ID", "drop snapshot ID", "release 0"),
    ("flush", "write the memtable to an L0 table", "flush"),
    (
        "step",
        "run one unit of maintenance (a flush or one compaction)",
        "step",
    ),
    ("compact", "run maintenance until nothing is due", "compact"),
    (
        "compact-range [START|..] [END]",
        "compact everything in [START, END) down to the deepest level",
        "compact-range a m",
    ),
    (
        "time MS | advance MS",
        "set or move the time a TTL expires records by (otherwise the system clock)",
        "advance 1000",
    ),
    (
        "load sequential|random|skewed N [seed=S] [keys=K] [prefix=P] [value_bytes=B]",
        "bulk puts",
        "load random 10000 seed=7 keys=2000",
    ),
    (
        "delete-range START END",
        "delete every key in [START, END) with one range tombstone",
        "delete-range key000100 key000200",
    ),
    (
        "stats",
        "amplification figures and a per-level table",
        "stats",
    ),
    (
        "tables",
        "live tables per level: file, size, entries, key range",
        "tables",
    ),
    (
        "dump-table FILE [limit=N|all]",
        "a table's footer, blocks, bloom filter and entries",
        "dump-table 7 limit=5",
    ),
    (
        "dump-manifest",
        "every version edit of the live manifest",
        "dump-manifest",
    ),
    (
        "verify",
        "read and check every block of every table, and the tree's invariants",
        "verify",
    ),
    ("options", "the options the database runs with", "options"),
    ("help", "this list", "help"),
    (
        "quit",
        "close the database and leave (also exit, Ctrl-D)",
        "quit",
    ),
];

/// Writes the command list.
pub fn write(out: &mut dyn Write) -> Result<()> {
    writeln!(out, "Commands (keys and values: bare words, \"quoted strings\" with \\n \\t \\\" \\\\ \\xHH escapes, or 0x hex):")?;
    for (usage, what, example) in COMMANDS {
        writeln!(out, "  {usage}\n      {what}.  e.g. {example}")?;
    }
    writeln!(out, "Lines starting with # are comments. Options are set when opening: strata DIR --option name=value.")?;
    Ok(())
}
