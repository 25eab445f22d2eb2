//! Names of the files in a database directory.
//!
//! | file | name |
//! |---|---|
//! | write-ahead log | `000012.log` |
//! | table | `000013.sst` |
//! | manifest | `MANIFEST-000002` |
//! | pointer to the live manifest | `CURRENT` |
//! | lock held while a database is open (real files) | `LOCK` |

/// The kinds of file Strata creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A write-ahead log.
    Wal(u64),
    /// A sorted table.
    Table(u64),
    /// A manifest log.
    Manifest(u64),
    /// The CURRENT pointer.
    Current,
    /// The directory lock (`Storage::lock`).
    Lock,
    /// A temporary file from an interrupted atomic write.
    Temp,
}

/// The largest file number Strata uses (2^48 − 1: a database making a
/// million files a second would need nine years to reach it). A number
/// read from a manifest above it is corruption; a file name with a larger
/// number is not Strata's. Counters bounded this way never wrap.
pub const MAX_FILE_NUMBER: u64 = (1 << 48) - 1;

/// Name of write-ahead log `n`.
pub fn wal_name(n: u64) -> String {
    format!("{n:06}.log")
}

/// Name of table `n`.
pub fn table_name(n: u64) -> String {
    format!("{n:06}.sst")
}

/// Name of manifest `n`.
pub fn manifest_name(n: u64) -> String {
    format!("MANIFEST-{n:06}")
}

/// The CURRENT file's name.
pub const CURRENT: &str = "CURRENT";

/// The directory lock's name (the file `FsStorage::lock` locks).
pub const LOCK: &str = "LOCK";

/// Classifies a file name; `None` for files Strata did not create: only
/// the exact names the functions above make count (`0000012.log` is not
/// log 12, so no two names mean one file), with numbers at most
/// [`MAX_FILE_NUMBER`].
pub fn parse(name: &str) -> Option<FileKind> {
    let kind = parse_loose(name)?;
    let canonical = match kind {
        FileKind::Wal(n) => wal_name(n),
        FileKind::Table(n) => table_name(n),
        FileKind::Manifest(n) => manifest_name(n),
        FileKind::Current | FileKind::Lock | FileKind::Temp => return Some(kind),
    };
    (canonical == name).then_some(kind)
}

fn parse_loose(name: &str) -> Option<FileKind> {
    if name == CURRENT {
        return Some(FileKind::Current);
    }
    if name == LOCK {
        return Some(FileKind::Lock);
    }
    if name.ends_with(".tmp") {
        return Some(FileKind::Temp);
    }
    if let Some(n) = name.strip_prefix("MANIFEST-") {
        return number(n).map(FileKind::Manifest);
    }
    if let Some(n) = name.strip_suffix(".log") {
        return number(n).map(FileKind::Wal);
    }
    if let Some(n) = name.strip_suffix(".sst") {
        return number(n).map(FileKind::Table);
    }
    None
}

/// The numbers of the files among `names` that `pick` selects, in numeric
/// order without repeats.
///
/// `Storage::list` sorts names as strings, which is numeric order only
/// while numbers have at most six digits: `1000000.log` sorts before
/// `999999.log`. Whatever depends on the order of logs, tables or
/// manifests goes through this.
pub fn sorted_numbers<'a>(
    names: impl IntoIterator<Item = &'a String>,
    pick: impl Fn(FileKind) -> Option<u64>,
) -> Vec<u64> {
    let mut numbers: Vec<u64> = names
        .into_iter()
        .filter_map(|name| pick(parse(name)?))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

fn number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|&n| n <= MAX_FILE_NUMBER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(parse(&wal_name(7)), Some(FileKind::Wal(7)));
        assert_eq!(
            parse(&table_name(123_456_789)),
            Some(FileKind::Table(123_456_789))
        );
        assert_eq!(parse(&manifest_name(2)), Some(FileKind::Manifest(2)));
        assert_eq!(parse("CURRENT"), Some(FileKind::Current));
        assert_eq!(parse("LOCK"), Some(FileKind::Lock));
        assert_eq!(parse("notes.txt"), None);
        assert_eq!(parse("+1.log"), None);
    }

    #[test]
    fn sorted_numbers_are_numeric_across_a_million() {
        let names: Vec<String> = [1_000_001, 999_999, 1_000_000, 12]
            .into_iter()
            .map(wal_name)
            .chain([table_name(5), "CURRENT".to_owned()])
            .collect();
        let mut as_text = names.clone();
        as_text.sort();
        let logs = sorted_numbers(&as_text, |k| match k {
            FileKind::Wal(n) => Some(n),
            _ => None,
        });
        assert_eq!(logs, vec![12, 999_999, 1_000_000, 1_000_001]);
    }
}
