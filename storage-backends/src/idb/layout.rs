//! How Strata's files are laid out in IndexedDB (the format is given on
//! [`crate::IdbStorage`]): loading them all, checking every key and length,
//! and the write operations that bring the stored copy up to date.
//!
//! Array keys sort by name, then index, so one key range covers a file's
//! blocks from any index on, and `getAll` returns each file's blocks in
//! order.

use std::collections::BTreeMap;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbKeyRange, IdbObjectStore, IdbTransaction};

use super::error::IdbError;
use super::js::Pending;

/// Name of the object store mapping file names to lengths.
pub const FILES_STORE: &str = "files";
/// Name of the object store holding file contents block by block.
pub const BLOCKS_STORE: &str = "blocks";
/// Size of every stored block but a file's last.
pub const BLOCK_SIZE_BYTES: usize = 16 * 1024;
/// The IndexedDB schema version this code creates and reads.
pub(super) const DB_VERSION: u32 = 1;
/// Longest file accepted when loading (wasm32 memory is 4 GiB at most).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

const BLOCK: u64 = BLOCK_SIZE_BYTES as u64;

/// Number of blocks a file of `len` bytes occupies.
pub(super) fn block_count(len: u64) -> u64 {
    len.div_ceil(BLOCK)
}

/// One write against the stored copy.
#[derive(Debug)]
pub(super) enum Op {
    /// Stores block `index` of `name`.
    PutBlock {
        name: String,
        index: u64,
        data: Vec<u8>,
    },
    /// Deletes the blocks of `name` from `index` on.
    DeleteBlocksFrom { name: String, index: u64 },
    /// Records `name`'s length.
    PutLen { name: String, len: u64 },
    /// Deletes `name` from the file table (its blocks separately).
    DeleteLen { name: String },
}

fn block_key(name: &str, index: f64) -> JsValue {
    Array::of2(&JsValue::from_str(name), &JsValue::from_f64(index)).into()
}

/// Issues every op in `tx` without waiting; the caller awaits the commit.
pub(super) fn issue(tx: &IdbTransaction, ops: Vec<Op>) -> Result<(), JsValue> {
    let files = tx.object_store(FILES_STORE)?;
    let blocks = tx.object_store(BLOCKS_STORE)?;
    for op in ops {
        match op {
            Op::PutBlock { name, index, data } => {
                let value = Uint8Array::from(data.as_slice());
                blocks.put_with_key(&value, &block_key(&name, index as f64))?;
            }
            Op::DeleteBlocksFrom { name, index } => delete_blocks(&blocks, &name, index)?,
            Op::PutLen { name, len } => {
                files.put_with_key(&JsValue::from_f64(len as f64), &JsValue::from_str(&name))?;
            }
            Op::DeleteLen { name } => {
                files.delete(&JsValue::from_str(&name))?;
            }
        }
    }
    Ok(())
}

fn delete_blocks(blocks: &IdbObjectStore, name: &str, from: u64) -> Result<(), JsValue> {
    let range = IdbKeyRange::bound(
        &block_key(name, from as f64),
        &block_key(name, f64::INFINITY),
    )?;
    blocks.delete(&range)?;
    Ok(())
}

/// Reads every file out of the database in one read-only transaction.
pub(super) async fn load(tx: &IdbTransaction) -> Result<BTreeMap<String, Vec<u8>>, IdbError> {
    let read = |e: JsValue| IdbError::from_js("read the stored files", &e);
    let files = tx.object_store(FILES_STORE).map_err(read)?;
    let blocks = tx.object_store(BLOCKS_STORE).map_err(read)?;
    // All four requests exist before the first await.
    let names = Pending::new(&files.get_all_keys().map_err(read)?);
    let lens = Pending::new(&files.get_all().map_err(read)?);
    let keys = Pending::new(&blocks.get_all_keys().map_err(read)?);
    let values = Pending::new(&blocks.get_all().map_err(read)?);
    let names = array(names.result("read the file table").await?);
    let lens = array(lens.result("read the file table").await?);
    let keys = array(keys.result("read the blocks").await?);
    let values = array(values.result("read the blocks").await?);
    let table = file_table(&names, &lens)?;
    assemble(table, &keys, &values)
}

fn array(value: JsValue) -> Array {
    value.dyn_into::<Array>().unwrap_or_else(|_| Array::new())
}

/// The file table: name → length, checked.
fn file_table(names: &Array, lens: &Array) -> Result<BTreeMap<String, u64>, IdbError> {
    let mut table = BTreeMap::new();
    for (key, len) in names.iter().zip(lens.iter()) {
        let name = key
            .as_string()
            .ok_or_else(|| IdbError::malformed(format!("{key:?}"), "file name is not a string"))?;
        let len = len
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=MAX_FILE_BYTES as f64).contains(n))
            .ok_or_else(|| {
                IdbError::malformed(
                    &name,
                    format!("length {len:?} is not an integer in 0..=2^30"),
                )
            })?;
        table.insert(name, len as u64);
    }
    Ok(table)
}

/// Concatenates each file's blocks, checking every key and length.
fn assemble(
    table: BTreeMap<String, u64>,
    keys: &Array,
    values: &Array,
) -> Result<BTreeMap<String, Vec<u8>>, IdbError> {
    let mut files: BTreeMap<String, Vec<u8>> = table
        .keys()
        .map(|name| (name.clone(), Vec::new()))
        .collect();
    for (key, value) in keys.iter().zip(values.iter()) {
        let (name, index) = parse_block_key(&key)?;
        let (Some(len), Some(data)) = (table.get(&name), files.get_mut(&name)) else {
            return Err(IdbError::malformed(
                name,
                "block of a file missing from the file table",
            ));
        };
        let at = data.len() as u64;
        if index.checked_mul(BLOCK) != Some(at) {
            return Err(IdbError::malformed(
                name,
                format!("block {index} found where block {} belongs", at / BLOCK),
            ));
        }
        let want = len.saturating_sub(at).min(BLOCK);
        let bytes = value
            .dyn_into::<Uint8Array>()
            .map_err(|_| IdbError::malformed(&name, format!("block {index} is not bytes")))?;
        if u64::from(bytes.length()) != want || want == 0 {
            return Err(IdbError::malformed(
                name,
                format!("block {index} holds {} bytes, not {want}", bytes.length()),
            ));
        }
        data.extend_from_slice(&bytes.to_vec());
    }
    for (name, data) in &files {
        let len = table.get(name).copied().unwrap_or_default();
        if data.len() as u64 != len {
            return Err(IdbError::malformed(
                name.clone(),
                format!("blocks hold {} of its {len} bytes", data.len()),
            ));
        }
    }
    Ok(files)
}

/// `[name, index]`, or an error naming whatever the key holds.
fn parse_block_key(key: &JsValue) -> Result<(String, u64), IdbError> {
    let parts = key
        .dyn_ref::<Array>()
        .filter(|parts| parts.length() == 2)
        .ok_or_else(|| IdbError::malformed(format!("{key:?}"), "block key is not [name, index]"))?;
    let name = parts
        .get(0)
        .as_string()
        .ok_or_else(|| IdbError::malformed(format!("{key:?}"), "block key has no file name"))?;
    let index = parts
        .get(1)
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=(MAX_FILE_BYTES / BLOCK) as f64).contains(n))
        .ok_or_else(|| IdbError::malformed(&name, format!("block index {key:?} is invalid")))?;
    Ok((name, index as u64))
}
