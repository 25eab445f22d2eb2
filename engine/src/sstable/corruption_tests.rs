//! Damaged table files: every failure is a `Corruption` error naming the
//! file and an offset inside it, never a panic and never a wrong answer.

use strata_storage::{MemStorage, Storage};

use crate::error::{Error, Result};
use crate::event::Tracer;
use crate::iter::InternalIterator;
use crate::options::Compression;
use crate::record::user_key;

use super::table_tests::{build, numbered, options};
use super::{Footer, Table, FOOTER_BYTES};

const NAME: &str = "000001.sst";

/// Opens the table, scans it both ways and looks up every key.
fn read_everything(storage: &MemStorage) -> Result<()> {
    let table = Table::open(storage, 1)?;
    let mut keys = Vec::new();
    let mut it = table.iter();
    it.seek_to_first()?;
    while it.valid() {
        keys.push(it.key().to_vec());
        it.next()?;
    }
    it.seek_to_last()?;
    while it.valid() {
        it.prev()?;
    }
    for key in &keys {
        table.get(user_key(key), u64::MAX, &Tracer::off())?;
    }
    Ok(())
}

fn assert_corruption_in_file(result: Result<()>, file_len: u64, what: &str) {
    match result {
        Err(Error::Corruption { file, offset, .. }) => {
            assert_eq!(file, NAME, "{what}");
            assert!(offset <= file_len, "{what}: offset {offset} past the file");
        }
        other => panic!("{what}: expected corruption, got {other:?}"),
    }
}

fn small_table(compression: Compression) -> Result<(MemStorage, u64)> {
    let storage = MemStorage::new();
    let meta = build(&storage, 1, &numbered(30), &options(200, compression))?;
    read_everything(&storage)?;
    Ok((storage, meta.size_bytes))
}

#[test]
fn every_flipped_byte_is_reported_as_corruption() -> Result<()> {
    for compression in [Compression::None, Compression::Lz4] {
        let (storage, len) = small_table(compression)?;
        for offset in 0..len as usize {
            let damaged = storage.snapshot();
            damaged
                .corrupt_byte(NAME, offset, 0x20)
                .map_err(|e| Error::Io {
                    file: NAME.into(),
                    source: e,
                })?;
            let what = format!("{compression:?} byte {offset}");
            assert_corruption_in_file(read_everything(&damaged), len, &what);
        }
    }
    Ok(())
}

#[test]
fn every_truncation_is_reported_as_corruption() -> Result<()> {
    let (storage, len) = small_table(Compression::Lz4)?;
    for cut in 0..len {
        let damaged = storage.snapshot();
        damaged.truncate(NAME, cut).map_err(|e| Error::Io {
            file: NAME.into(),
            source: e,
        })?;
        assert_corruption_in_file(read_everything(&damaged), len, &format!("cut at {cut}"));
    }
    Ok(())
}

#[test]
fn flipped_footer_bytes_point_into_the_footer() -> Result<()> {
    let (storage, len) = small_table(Compression::None)?;
    let footer_offset = len - FOOTER_BYTES as u64;
    for offset in footer_offset..len {
        let damaged = storage.snapshot();
        damaged
            .corrupt_byte(NAME, offset as usize, 0x01)
            .map_err(|e| Error::Io {
                file: NAME.into(),
                source: e,
            })?;
        match Table::open(&damaged, 1) {
            Err(Error::Corruption { offset: at, .. }) => assert!(at >= footer_offset),
            other => panic!("byte {offset}: {other:?}"),
        }
    }
    Ok(())
}

/// Rewrites the footer with `edit` applied and a valid checksum.
fn rewrite_footer(storage: &MemStorage, edit: impl FnOnce(&mut Footer)) -> Result<()> {
    let io = |e| Error::Io {
        file: NAME.into(),
        source: e,
    };
    let mut bytes = strata_storage::read_all(storage, NAME).map_err(io)?;
    let footer_offset = bytes.len() - FOOTER_BYTES;
    let mut footer = Footer::decode(bytes.get(footer_offset..).unwrap_or_default(), NAME, 0)?;
    edit(&mut footer);
    bytes.truncate(footer_offset);
    bytes.extend(footer.encode());
    let mut file = storage.create(NAME).map_err(io)?;
    file.append(&bytes).map_err(io)?;
    Ok(())
}

#[test]
fn footers_that_disagree_with_the_blocks_are_caught() -> Result<()> {
    let (storage, _) = small_table(Compression::None)?;
    let edits: [fn(&mut Footer); 6] = [
        |f| f.data_block_count += 1,
        |f| f.index.offset += 1,
        |f| f.index.size_bytes = u64::MAX,
        |f| f.index.offset = u64::MAX - 3,
        |f| f.filter = None,
        |f| {
            if let Some(filter) = f.filter.as_mut() {
                filter.size_bytes -= 1;
            }
        },
    ];
    for (i, edit) in edits.iter().enumerate() {
        let damaged = storage.snapshot();
        rewrite_footer(&damaged, *edit)?;
        assert_corruption_in_file(read_everything(&damaged), u64::MAX, &format!("edit {i}"));
    }
    Ok(())
}

#[test]
fn missing_tables_are_io_errors_not_corruption() {
    let storage = MemStorage::new();
    assert!(
        matches!(Table::open(&storage, 42), Err(Error::Io { ref file, .. }) if file == "000042.sst")
    );
}
