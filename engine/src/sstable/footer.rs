//! The fixed-size footer at the end of every table file: where the index
//! and the filter are, and the table's counts.

use crate::coding::{masked_crc, put_u32, put_u64, Decoder};
use crate::error::{Error, Result};

use super::handle::BlockHandle;

/// Bytes of the footer.
pub const FOOTER_BYTES: usize = 60;
/// The table format this code writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Last eight bytes of every table: the ASCII text `STRATSST`.
pub const TABLE_MAGIC: u64 = u64::from_le_bytes(*b"STRATSST");

/// The footer of a table.
///
/// ## Format (60 bytes)
/// - `index`: block handle (u64 offset, u64 size) of the index block
/// - `filter`: block handle of the filter block; size 0 = no filter
/// - `data_block_count`: u32
/// - `entry_count`: u64
/// - `format_version`: u32, [`FORMAT_VERSION`]
/// - `crc`: u32, masked CRC32C of the 48 bytes above
/// - `magic`: u64, [`TABLE_MAGIC`]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footer {
    /// The index block.
    pub index: BlockHandle,
    /// The filter block, if the table has one.
    pub filter: Option<BlockHandle>,
    /// Data blocks in the table.
    pub data_block_count: u32,
    /// Entries in the table.
    pub entry_count: u64,
}

impl Footer {
    /// The encoding described on [`Footer`].
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(FOOTER_BYTES);
        self.index.encode_to(&mut out);
        self.filter.unwrap_or_default().encode_to(&mut out);
        put_u32(&mut out, self.data_block_count);
        put_u64(&mut out, self.entry_count);
        put_u32(&mut out, FORMAT_VERSION);
        let crc = masked_crc(&out);
        put_u32(&mut out, crc);
        put_u64(&mut out, TABLE_MAGIC);
        out
    }

    /// Decodes the footer `bytes` found at `offset` of file `file`.
    pub fn decode(bytes: &[u8], file: &str, offset: u64) -> Result<Self> {
        let bad = |at: usize, reason: &str| Error::corruption(file, offset + at as u64, reason);
        if bytes.len() != FOOTER_BYTES {
            return Err(bad(0, "footer has the wrong length"));
        }
        let (body, rest) = bytes.split_at(FOOTER_BYTES - 12);
        let mut tail = Decoder::new(rest);
        let (crc, magic) = (tail.u32(), tail.u64());
        if magic != Some(TABLE_MAGIC) {
            return Err(bad(FOOTER_BYTES - 8, "bad table magic: not a Strata table"));
        }
        if crc != Some(masked_crc(body)) {
            return Err(bad(FOOTER_BYTES - 12, "footer checksum mismatch"));
        }
        let mut d = Decoder::new(body);
        let parsed = (|| {
            let index = BlockHandle::decode(&mut d)?;
            let filter = BlockHandle::decode(&mut d)?;
            Some((index, filter, d.u32()?, d.u64()?, d.u32()?))
        })();
        let Some((index, filter, data_block_count, entry_count, version)) = parsed else {
            return Err(bad(0, "footer is truncated"));
        };
        if version != FORMAT_VERSION {
            return Err(bad(
                44,
                &format!("unsupported table format version {version}"),
            ));
        }
        Ok(Self {
            index,
            filter: (filter.size_bytes != 0).then_some(filter),
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
            data_block_count: 3,
            entry_count: 77,
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
