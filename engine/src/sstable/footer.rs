//! The footer at the end of every table file: where the index, the filter
//! and the range-deletion block are, and the table's counts.

use strata_storage::ReadableFile;

use crate::coding::{masked_crc, put_u32, put_u64, Decoder};
use crate::error::{Error, IoContext, Result};

use super::handle::BlockHandle;

/// Bytes of a version-1 footer (a table without range tombstones).
pub const FOOTER_BYTES: usize = 60;
/// Bytes of a version-2 footer (a table with a range-deletion block).
pub const FOOTER_V2_BYTES: usize = FOOTER_BYTES + 16;
/// The format of tables without range tombstones.
pub const FORMAT_VERSION: u32 = 1;
/// The format of tables with a range-deletion block.
pub const FORMAT_VERSION_RANGE_DELS: u32 = 2;
/// Last eight bytes of every table: the ASCII text `STRATSST`.
pub const TABLE_MAGIC: u64 = u64::from_le_bytes(*b"STRATSST");
/// Bytes from the format version to the end of the file: version, crc and
/// magic, at the same place in both footer versions.
const VERSION_TO_END_BYTES: usize = 16;

/// The footer of a table. A table without range tombstones has the
/// version-1 footer (tables written before range tombstones existed are
/// such tables); one with them has the version-2 footer, which adds the
/// range-deletion block's handle. Readers tell them apart by the version,
/// which sits 16 bytes before the end in both.
///
/// ## Format (version 1: 60 bytes; version 2: 76 bytes)
/// - `index`: block handle (u64 offset, u64 size) of the index block
/// - `filter`: block handle of the filter block; size 0 = no filter
/// - version 2 only: `range_del`: block handle of the range-deletion block
///   ([`super::RangeDelBlock`])
/// - `data_block_count`: u32
/// - `entry_count`: u64
/// - `format_version`: u32, [`FORMAT_VERSION`] (1) or
///   [`FORMAT_VERSION_RANGE_DELS`] (2)
/// - `crc`: u32, masked CRC32C of the bytes above
/// - `magic`: u64, [`TABLE_MAGIC`]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footer {
    /// The index block.
    pub index: BlockHandle,
    /// The filter block, if the table has one.
    pub filter: Option<BlockHandle>,
    /// The range-deletion block, if the table has range tombstones.
    pub range_del: Option<BlockHandle>,
    /// Data blocks in the table.
    pub data_block_count: u32,
    /// Entries in the table (range tombstones not included).
    pub entry_count: u64,
}

impl Footer {
    /// Length of the encoding: 60 bytes, 76 with a range-deletion block.
    pub fn encoded_bytes(&self) -> usize {
        if self.range_del.is_some() {
            FOOTER_V2_BYTES
        } else {
            FOOTER_BYTES
        }
    }

    /// The encoding described on [`Footer`].
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_bytes());
        self.index.encode_to(&mut out);
        self.filter.unwrap_or_default().encode_to(&mut out);
        if let Some(range_del) = self.range_del {
            range_del.encode_to(&mut out);
        }
        put_u32(&mut out, self.data_block_count);
        put_u64(&mut out, self.entry_count);
        let version = match self.range_del {
            Some(_) => FORMAT_VERSION_RANGE_DELS,
            None => FORMAT_VERSION,
        };
        put_u32(&mut out, version);
        let crc = masked_crc(&out);
        put_u32(&mut out, crc);
        put_u64(&mut out, TABLE_MAGIC);
        out
    }

    /// Reads the footer at the end of `file` (named `name`): its version
    /// decides its length. Returns the footer and its offset.
    pub fn read(file: &dyn ReadableFile, name: &str) -> Result<(Self, u64)> {
        let size_bytes = file.len();
        let too_short = || {
            Error::corruption(
                name,
                0,
                format!("{size_bytes} bytes is too short for a table"),
            )
        };
        let version_offset = size_bytes
            .checked_sub(VERSION_TO_END_BYTES as u64)
            .ok_or_else(too_short)?;
        let mut version = [0u8; 4];
        file.read_exact_at(version_offset, &mut version).ctx(name)?;
        // The version only picks the length; the checksum then vouches for
        // it (a damaged version fails the check of the length it picked).
        let len = match u32::from_le_bytes(version) {
            FORMAT_VERSION_RANGE_DELS => FOOTER_V2_BYTES,
            _ => FOOTER_BYTES,
        };
        let offset = size_bytes.checked_sub(len as u64).ok_or_else(too_short)?;
        let mut bytes = vec![0u8; len];
        file.read_exact_at(offset, &mut bytes).ctx(name)?;
        Ok((Self::decode(&bytes, name, offset)?, offset))
    }

    /// Decodes the footer `bytes` found at `offset` of file `file`: 60
    /// bytes of version 1 or 76 bytes of version 2.
    pub fn decode(bytes: &[u8], file: &str, offset: u64) -> Result<Self> {
        let bad = |at: usize, reason: &str| Error::corruption(file, offset + at as u64, reason);
        let len = bytes.len();
        if len != FOOTER_BYTES && len != FOOTER_V2_BYTES {
            return Err(bad(0, "footer has the wrong length"));
        }
        let (body, rest) = bytes.split_at(len - 12);
        let mut tail = Decoder::new(rest);
        let (crc, magic) = (tail.u32(), tail.u64());
        if magic != Some(TABLE_MAGIC) {
            return Err(bad(len - 8, "bad table magic: not a Strata table"));
        }
        if crc != Some(masked_crc(body)) {
            return Err(bad(len - 12, "footer checksum mismatch"));
        }
        let with_range_del = len == FOOTER_V2_BYTES;
        let mut d = Decoder::new(body);
        let parsed = (|| {
            let index = BlockHandle::decode(&mut d)?;
            let filter = BlockHandle::decode(&mut d)?;
            let range_del = if with_range_del {
                Some(BlockHandle::decode(&mut d)?)
            } else {
                None
            };
            Some((index, filter, range_del, d.u32()?, d.u64()?, d.u32()?))
        })();
        let Some((index, filter, range_del, data_block_count, entry_count, version)) = parsed
        else {
            return Err(bad(0, "footer is truncated"));
        };
        let expected = if with_range_del {
            FORMAT_VERSION_RANGE_DELS
        } else {
            FORMAT_VERSION
        };
        if version != expected {
            return Err(bad(
                len - VERSION_TO_END_BYTES,
                &format!("unsupported table format version {version} in a {len}-byte footer"),
            ));
        }
        Ok(Self {
            index,
            filter: (filter.size_bytes != 0).then_some(filter),
            range_del,
            data_block_count,
            entry_count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Footer {
        Footer {
            index: BlockHandle {
                offset: 900,
                size_bytes: 40,
            },
            filter: Some(BlockHandle {
                offset: 700,
                size_bytes: 195,
            }),
            range_del: None,
            data_block_count: 3,
            entry_count: 77,
        }
    }

    fn with_range_del() -> Footer {
        Footer {
            range_del: Some(BlockHandle {
                offset: 895,
                size_bytes: 0,
            }),
            ..sample()
        }
    }

    #[test]
    fn a_footer_with_a_range_deletion_block_is_version_two() -> Result<()> {
        let footer = with_range_del();
        let bytes = footer.encode();
        assert_eq!(bytes.len(), FOOTER_V2_BYTES);
        assert_eq!(bytes.get(60..64), Some(&2u32.to_le_bytes()[..]));
        assert_eq!(Footer::decode(&bytes, "000001.sst", 0)?, footer);
        // A version-1 footer keeps its 60 bytes, as tables always had.
        assert_eq!(sample().encode().len(), FOOTER_BYTES);
        Ok(())
    }

    #[test]
    fn every_flipped_byte_of_a_version_two_footer_is_caught() {
        let bytes = with_range_del().encode();
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            if let Some(b) = damaged.get_mut(i) {
                *b ^= 0x10;
            }
            let err = Footer::decode(&damaged, "000001.sst", 1000);
            assert!(matches!(err, Err(Error::Corruption { .. })), "byte {i}");
        }
    }

    #[test]
    fn footer_round_trips_with_and_without_filter() -> Result<()> {
        let with = sample();
        let without = Footer {
            filter: None,
            ..sample()
        };
        for footer in [with, without] {
            let bytes = footer.encode();
            assert_eq!(bytes.len(), FOOTER_BYTES);
            assert!(bytes.ends_with(b"STRATSST"));
            assert_eq!(Footer::decode(&bytes, "000001.sst", 0)?, footer);
        }
        Ok(())
    }

    #[test]
    fn every_flipped_footer_byte_is_caught() {
        let bytes = sample().encode();
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            if let Some(b) = damaged.get_mut(i) {
                *b ^= 0x10;
            }
            let err = Footer::decode(&damaged, "000001.sst", 1000);
            assert!(
                matches!(err, Err(Error::Corruption { offset, .. }) if offset >= 1000),
                "byte {i}"
            );
        }
    }
}
