//! Where blocks live in a table file, and how each is stored: optional LZ4
//! compression and a checksummed trailer.

use strata_storage::{ReadableFile, SharedBytes, WritableFile};

use crate::coding::{masked_crc_parts, put_u32, put_u64, Decoder};
use crate::error::{Error, IoContext, Result};
use crate::filename::table_name;
use crate::options::Compression;

/// Bytes of an encoded [`BlockHandle`].
pub const BLOCK_HANDLE_BYTES: usize = 16;
/// Bytes of the trailer after every stored block.
pub const BLOCK_TRAILER_BYTES: usize = 5;

/// Compression type byte: stored as built.
const TYPE_NONE: u8 = 0;
/// Compression type byte: LZ4 block format with a length prefix.
const TYPE_LZ4: u8 = 1;

/// The position of a stored block in a table file.
///
/// ## Format
/// - `offset`: u64, where the stored block starts
/// - `size_bytes`: u64, length of the stored block, trailer excluded
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BlockHandle {
    /// Offset of the block in the file.
    pub offset: u64,
    /// Stored length, trailer excluded.
    pub size_bytes: u64,
}

impl BlockHandle {
    /// Appends the encoding.
    pub fn encode_to(&self, out: &mut Vec<u8>) {
        put_u64(out, self.offset);
        put_u64(out, self.size_bytes);
    }

    /// The encoding as a vector.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BLOCK_HANDLE_BYTES);
        self.encode_to(&mut out);
        out
    }

    /// Reads a handle; `None` if the decoder runs out.
    pub fn decode(d: &mut Decoder<'_>) -> Option<Self> {
        Some(Self {
            offset: d.u64()?,
            size_bytes: d.u64()?,
        })
    }

    /// Offset just past the block's trailer (`None` on overflow).
    pub fn end_with_trailer(&self) -> Option<u64> {
        self.offset
            .checked_add(self.size_bytes)?
            .checked_add(BLOCK_TRAILER_BYTES as u64)
    }
}

/// A block as stored: contents (possibly compressed) and the trailer.
///
/// ## Format
/// - stored bytes: the block contents as built, or for LZ4
///   `uncompressed_len u32 | lz4 block bytes`
/// - trailer:
///   - `compression`: u8, 0 none, 1 LZ4
///   - `crc`: u32, masked CRC32C of the stored bytes followed by the
///     compression byte
#[derive(Debug)]
pub struct StoredBlock {
    /// Where it was written.
    pub handle: BlockHandle,
    /// Whether LZ4 was kept.
    pub compressed: bool,
}

impl StoredBlock {
    /// Bytes on storage, trailer included.
    pub fn stored_bytes(&self) -> u64 {
        self.handle.size_bytes + BLOCK_TRAILER_BYTES as u64
    }
}

/// The LZ4 form of `contents`, if it saves at least 1/8 of the bytes.
fn lz4_if_worth_it(contents: &[u8]) -> Option<Vec<u8>> {
    let len = u32::try_from(contents.len()).ok()?;
    let mut out = Vec::with_capacity(contents.len());
    put_u32(&mut out, len);
    out.extend_from_slice(&lz4_flex::block::compress(contents));
    (out.len() <= contents.len() - contents.len() / 8).then_some(out)
}

/// Appends `contents` as a block (compressed if `compression` asks and it
/// pays) to `file`, whose name is `name`.
pub fn write_block(
    file: &mut dyn WritableFile,
    name: &str,
    contents: &[u8],
    compression: Compression,
) -> Result<StoredBlock> {
    let compressed = match compression {
        Compression::None => None,
        Compression::Lz4 => lz4_if_worth_it(contents),
    };
    let (stored, type_byte) = match &compressed {
        Some(c) => (c.as_slice(), TYPE_LZ4),
        None => (contents, TYPE_NONE),
    };
    let offset = file.len();
    let mut trailer = [0u8; BLOCK_TRAILER_BYTES];
    let crc = masked_crc_parts(&[stored, &[type_byte]]);
    for (slot, byte) in trailer
        .iter_mut()
        .zip(std::iter::once(type_byte).chain(crc.to_le_bytes()))
    {
        *slot = byte;
    }
    file.append(stored).ctx(name)?;
    file.append(&trailer).ctx(name)?;
    Ok(StoredBlock {
        handle: BlockHandle {
            offset,
            size_bytes: stored.len() as u64,
        },
        compressed: compressed.is_some(),
    })
}

/// A block read back: its uncompressed contents.
#[derive(Debug)]
pub struct ReadBlock {
    /// The contents as built: a buffer of their own, or a range of the
    /// file when its reader lends its bytes (a map, an in-memory file) and
    /// the block is stored uncompressed.
    pub contents: SharedBytes,
    /// Whether it was stored compressed.
    pub compressed: bool,
}

/// Reads the block at `handle` from table `file_number`, checking that it
/// lies inside the first `limit` bytes of the file, is at most `max_bytes`
/// long (stored and uncompressed), and matches its checksum.
pub fn read_block(
    file: &dyn ReadableFile,
    file_number: u64,
    handle: BlockHandle,
    limit: u64,
    max_bytes: usize,
) -> Result<ReadBlock> {
    read_block_into(
        file,
        file_number,
        handle,
        limit,
        max_bytes,
        Vec::new(),
        true,
    )
}

/// [`read_block`] without a copy when `file` lends its bytes
/// ([`ReadableFile::read_shared`]), else into `buf`, a spare buffer whose
/// old contents are overwritten (a block cache hands back the buffers of
/// evicted blocks, so a read does not allocate, zero and free a buffer
/// every time). With `verify` false the checksum is not computed: only for
/// bytes known to be those an earlier read verified (`sstable::verified`).
pub(crate) fn read_block_into(
    file: &dyn ReadableFile,
    file_number: u64,
    handle: BlockHandle,
    limit: u64,
    max_bytes: usize,
    mut buf: Vec<u8>,
    verify: bool,
) -> Result<ReadBlock> {
    let bad = |reason: String| Error::corruption(table_name(file_number), handle.offset, reason);
    let size = usize::try_from(handle.size_bytes)
        .ok()
        .filter(|&s| s <= max_bytes)
        .ok_or_else(|| bad(format!("block of {} bytes is too large", handle.size_bytes)))?;
    if handle.end_with_trailer().is_none_or(|end| end > limit) {
        return Err(bad(format!("block of {size} bytes runs past byte {limit}")));
    }
    let mut read = match file.read_shared(handle.offset, size + BLOCK_TRAILER_BYTES) {
        Some(lent) => lent,
        None => {
            // Only bytes beyond the buffer's current length are zeroed;
            // the read overwrites all of them.
            buf.resize(size + BLOCK_TRAILER_BYTES, 0);
            if let Err(e) = file.read_exact_at(handle.offset, &mut buf) {
                return Err(e).ctx(&table_name(file_number));
            }
            SharedBytes::from_vec(buf)
        }
    };
    let (stored, trailer) = read.split_at(size);
    let mut d = Decoder::new(trailer);
    let (type_byte, crc) = (d.u8().unwrap_or(0), d.u32().unwrap_or(0));
    if verify && masked_crc_parts(&[stored, &[type_byte]]) != crc {
        return Err(bad("block checksum mismatch".into()));
    }
    match type_byte {
        TYPE_NONE => {
            read.truncate(size);
            Ok(ReadBlock {
                contents: read,
                compressed: false,
            })
        }
        TYPE_LZ4 => Ok(ReadBlock {
            contents: SharedBytes::from_vec(decompress(stored, max_bytes).map_err(bad)?),
            compressed: true,
        }),
        other => Err(bad(format!("unknown compression type {other}"))),
    }
}

fn decompress(stored: &[u8], max_bytes: usize) -> std::result::Result<Vec<u8>, String> {
    let mut d = Decoder::new(stored);
    let len = d.u32().ok_or("compressed block lacks its length")? as usize;
    if len > max_bytes {
        return Err(format!("compressed block claims {len} bytes"));
    }
    let mut out = vec![0u8; len];
    let lz4 = stored.get(4..).unwrap_or_default();
    match lz4_flex::block::decompress_into(lz4, &mut out) {
        Ok(n) if n == len => Ok(out),
        Ok(n) => Err(format!("block decompressed to {n} bytes, expected {len}")),
        Err(e) => Err(format!("LZ4 data is damaged: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sstable::MAX_BLOCK_BYTES;
    use strata_storage::{MemStorage, Storage};

    fn round_trip(contents: &[u8], compression: Compression) -> Result<(StoredBlock, ReadBlock)> {
        let storage = MemStorage::new();
        let name = table_name(1);
        let mut file = storage.create(&name).ctx(&name)?;
        let stored = write_block(file.as_mut(), &name, contents, compression)?;
        let reader = storage.open(&name).ctx(&name)?;
        let read = read_block(
            reader.as_ref(),
            1,
            stored.handle,
            reader.len(),
            MAX_BLOCK_BYTES,
        )?;
        Ok((stored, read))
    }

    #[test]
    fn compressible_blocks_are_stored_compressed() -> Result<()> {
        let contents = b"strata ".repeat(500);
        let (stored, read) = round_trip(&contents, Compression::Lz4)?;
        assert!(stored.compressed && read.compressed);
        assert!(stored.handle.size_bytes < contents.len() as u64 / 4);
        assert_eq!(&*read.contents, &contents[..]);
        Ok(())
    }

    #[test]
    fn incompressible_blocks_stay_plain() -> Result<()> {
        let mut rng = crate::rng::SeededRng::new(7);
        let contents: Vec<u8> = (0..4096).map(|_| rng.next_u64() as u8).collect();
        let (stored, read) = round_trip(&contents, Compression::Lz4)?;
        assert!(!stored.compressed && !read.compressed);
        assert_eq!(&*read.contents, &contents[..]);
        Ok(())
    }

    #[test]
    fn oversized_handles_are_corruption_not_allocation() -> Result<()> {
        let storage = MemStorage::new();
        let name = table_name(3);
        storage
            .create(&name)
            .ctx(&name)?
            .append(&[0; 64])
            .ctx(&name)?;
        let reader = storage.open(&name).ctx(&name)?;
        for handle in [
            BlockHandle {
                offset: 0,
                size_bytes: u64::MAX,
            },
            BlockHandle {
                offset: u64::MAX - 2,
                size_bytes: 1,
            },
            BlockHandle {
                offset: 10,
                size_bytes: 60,
            },
        ] {
            let err = read_block(reader.as_ref(), 3, handle, reader.len(), MAX_BLOCK_BYTES);
            assert!(matches!(err, Err(Error::Corruption { ref file, .. }) if *file == name));
        }
        Ok(())
    }

    #[test]
    fn reading_into_a_used_buffer_yields_exactly_the_block() -> Result<()> {
        let storage = MemStorage::new();
        let name = table_name(4);
        let mut file = storage.create(&name).ctx(&name)?;
        let short = write_block(file.as_mut(), &name, b"short block", Compression::None)?;
        let long = write_block(file.as_mut(), &name, &[9u8; 300], Compression::None)?;
        let reader = storage.open(&name).ctx(&name)?;
        let read = |handle, buf| {
            read_block_into(
                reader.as_ref(),
                4,
                handle,
                reader.len(),
                MAX_BLOCK_BYTES,
                buf,
                true,
            )
        };
        // A longer buffer full of other bytes, then a shorter one.
        assert_eq!(
            &*read(short.handle, vec![0xee; 1000])?.contents,
            b"short block"
        );
        assert_eq!(
            &*read(long.handle, vec![0xee; 3])?.contents,
            &[9u8; 300][..]
        );
        Ok(())
    }

    #[test]
    fn lz4_length_prefix_is_bounded() {
        let mut stored = Vec::new();
        put_u32(&mut stored, u32::MAX);
        assert!(decompress(&stored, MAX_BLOCK_BYTES).is_err());
        assert!(decompress(&[1, 0], MAX_BLOCK_BYTES).is_err());
    }
}
