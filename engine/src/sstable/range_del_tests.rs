//! Tables with range tombstones: the range-deletion block round trips, the
//! table's key range covers it, and damage to it is `Corruption`, never a
//! panic.

use strata_storage::{MemStorage, Storage};

use crate::error::{Error, Result};
use crate::event::Tracer;
use crate::options::Compression;
use crate::range_tombstone::RangeTombstone;
use crate::record::parse_internal_key;
use crate::table_meta::TableMeta;

use super::table_tests::{numbered, options};
use super::{Footer, Table, TableBuilder, FOOTER_V2_BYTES};

const NAME: &str = "000001.sst";

fn tombstones() -> Vec<RangeTombstone> {
    vec![
        RangeTombstone::new(b"a".to_vec(), b"key00010".to_vec(), 2000),
        RangeTombstone::new(b"key00020".to_vec(), b"zz".to_vec(), 2001),
        RangeTombstone::new(b"key00005".to_vec(), b"key00007".to_vec(), 900),
    ]
}

fn build_with(storage: &MemStorage, points: u32, compression: Compression) -> Result<TableMeta> {
    let mut builder = TableBuilder::new(storage, 1, 0, &options(200, compression), Tracer::off())?;
    for (k, v) in numbered(points) {
        builder.add(&k, &v)?;
    }
    for t in tombstones() {
        builder.add_range_tombstone(&t)?;
    }
    builder.finish()
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        file: NAME.into(),
        source: e,
    }
}

/// Opens the table and asks it about every tombstone.
fn read_range_dels(storage: &MemStorage) -> Result<Vec<RangeTombstone>> {
    let table = Table::open(storage, 1)?;
    let _ = table.range_tombstone_covering(b"key00006", u64::MAX);
    Ok(table.range_tombstones().to_vec())
}

#[test]
fn range_tombstones_round_trip_and_answer_lookups() -> Result<()> {
    for compression in [Compression::None, Compression::Lz4] {
        let storage = MemStorage::new();
        build_with(&storage, 30, compression)?;
        let mut want = tombstones();
        want.sort();
        assert_eq!(read_range_dels(&storage)?, want);
        let table = Table::open(&storage, 1)?;
        assert_eq!(
            table.range_tombstone_covering(b"key00006", u64::MAX),
            Some(2000)
        );
        assert_eq!(table.range_tombstone_covering(b"key00006", 1999), Some(900));
        assert_eq!(table.range_tombstone_covering(b"key00006", 899), None);
        assert_eq!(table.range_tombstone_covering(b"key00015", u64::MAX), None);
        assert_eq!(table.range_tombstone_covering(b"zz", u64::MAX), None);
        assert_eq!(table.entries(), 30, "tombstones are not entries");
    }
    Ok(())
}

#[test]
fn the_key_range_and_sequence_numbers_cover_the_tombstones() -> Result<()> {
    let storage = MemStorage::new();
    let meta = build_with(&storage, 30, Compression::None)?;
    assert_eq!(meta.smallest_user_key(), b"a");
    assert_eq!(meta.largest_user_key(), b"zz");
    assert_eq!((meta.smallest_seq, meta.largest_seq), (900, 2001));
    assert_eq!(parse_internal_key(&meta.largest).map(|p| p.seq), Some(0));
    Ok(())
}

#[test]
fn a_table_of_only_range_tombstones_opens_and_iterates_empty() -> Result<()> {
    let storage = MemStorage::new();
    let meta = build_with(&storage, 0, Compression::None)?;
    assert_eq!(meta.entries, 0);
    assert_eq!(meta.smallest_user_key(), b"a");
    let table = Table::open(&storage, 1)?;
    let mut it = table.iter();
    crate::iter::InternalIterator::seek_to_first(&mut it)?;
    assert!(!crate::iter::InternalIterator::valid(&it));
    assert_eq!(table.range_tombstones().len(), 3);
    Ok(())
}

#[test]
fn a_table_with_range_tombstones_has_the_version_two_footer() -> Result<()> {
    let storage = MemStorage::new();
    let meta = build_with(&storage, 30, Compression::None)?;
    let bytes = strata_storage::read_all(&storage, NAME).map_err(io)?;
    let footer_at = bytes.len() - FOOTER_V2_BYTES;
    let footer = Footer::decode(bytes.get(footer_at..).unwrap_or_default(), NAME, 0)?;
    assert!(footer.range_del.is_some());
    assert_eq!(meta.size_bytes, bytes.len() as u64);
    Ok(())
}

#[test]
fn every_damaged_byte_of_the_range_deletion_block_is_corruption() -> Result<()> {
    for compression in [Compression::None, Compression::Lz4] {
        let storage = MemStorage::new();
        let meta = build_with(&storage, 30, compression)?;
        let bytes = strata_storage::read_all(&storage, NAME).map_err(io)?;
        let footer_at = bytes.len() - FOOTER_V2_BYTES;
        let footer = Footer::decode(bytes.get(footer_at..).unwrap_or_default(), NAME, 0)?;
        let Some(block) = footer.range_del else {
            panic!("no range-deletion block");
        };
        let end = block.offset + block.size_bytes + super::BLOCK_TRAILER_BYTES as u64;
        for offset in block.offset..end {
            for flip in [0x01u8, 0x80] {
                let damaged = storage.snapshot();
                damaged
                    .corrupt_byte(NAME, offset as usize, flip)
                    .map_err(io)?;
                match read_range_dels(&damaged) {
                    Err(Error::Corruption {
                        file, offset: at, ..
                    }) => {
                        assert_eq!(file, NAME);
                        assert!(at <= meta.size_bytes, "byte {offset}: offset {at}");
                    }
                    other => panic!("{compression:?} byte {offset}: {other:?}"),
                }
            }
        }
    }
    Ok(())
}

#[test]
fn a_footer_that_misplaces_the_range_deletion_block_is_corruption() -> Result<()> {
    let storage = MemStorage::new();
    build_with(&storage, 30, Compression::None)?;
    let edits: [fn(&mut Footer); 4] = [
        |f| f.range_del = None,
        |f| {
            if let Some(b) = f.range_del.as_mut() {
                b.size_bytes += 1;
            }
        },
        |f| {
            if let Some(b) = f.range_del.as_mut() {
                b.size_bytes = u64::MAX;
            }
        },
        |f| {
            if let Some(b) = f.range_del.as_mut() {
                b.offset -= 1;
            }
        },
    ];
    for (i, edit) in edits.iter().enumerate() {
        let damaged = storage.snapshot();
        let mut bytes = strata_storage::read_all(&damaged, NAME).map_err(io)?;
        let footer_at = bytes.len() - FOOTER_V2_BYTES;
        let mut footer = Footer::decode(bytes.get(footer_at..).unwrap_or_default(), NAME, 0)?;
        edit(&mut footer);
        bytes.truncate(footer_at);
        bytes.extend(footer.encode());
        damaged
            .create(NAME)
            .map_err(io)?
            .append(&bytes)
            .map_err(io)?;
        let got = read_range_dels(&damaged);
        assert!(
            matches!(got, Err(Error::Corruption { .. })),
            "edit {i}: {got:?}"
        );
    }
    Ok(())
}

#[test]
fn every_truncation_of_a_table_with_range_tombstones_is_corruption() -> Result<()> {
    let storage = MemStorage::new();
    let meta = build_with(&storage, 10, Compression::Lz4)?;
    for cut in 0..meta.size_bytes {
        let damaged = storage.snapshot();
        damaged.truncate(NAME, cut).map_err(io)?;
        let got = read_range_dels(&damaged).map(|_| ());
        assert!(
            matches!(got, Err(Error::Corruption { .. })),
            "cut at {cut}: {got:?}"
        );
    }
    Ok(())
}
