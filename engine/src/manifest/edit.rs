//! Version edits: the records of the manifest.

use crate::coding::{put_u32, put_u64, Decoder};
use crate::manifest::version::NUM_LEVELS;
use crate::record::{SeqNo, MAX_INTERNAL_KEY_BYTES};
use crate::table_meta::TableMeta;

const TAG_LOG_NUMBER: u8 = 1;
const TAG_NEXT_FILE_NUMBER: u8 = 2;
const TAG_LAST_SEQ: u8 = 3;
const TAG_ADDED: u8 = 4;
const TAG_REMOVED: u8 = 5;
const TAG_COMPACT_POINTER: u8 = 6;
const TAG_TIERED_LEVELS: u8 = 7;
const TAG_WRITE_TIMES: u8 = 8;

/// One change to the set of live tables, plus the counters that must move
/// with it. The manifest is a log of edits; applying them in order to an
/// empty [`crate::manifest::Version`] rebuilds the current one.
///
/// ## Format
/// A sequence of tagged fields, each a tag byte followed by:
/// - 1 log number: u64 LE (at most once)
/// - 2 next file number: u64 LE (at most once)
/// - 3 last sequence number: u64 LE (at most once)
/// - 4 added table: level u32 LE | file number u64 LE | size_bytes u64 LE |
///   entries u64 LE | smallest len u32 LE | smallest internal key |
///   largest len u32 LE | largest internal key | smallest_seq u64 LE |
///   largest_seq u64 LE
/// - 5 removed table: level u32 LE | file number u64 LE
/// - 6 compaction pointer: level u32 LE | key len u32 LE | internal key
/// - 7 tiered levels: u32 LE, 1..=[`NUM_LEVELS`] (at most once): how many
///   levels from L0 hold overlapping runs, fixed by the compaction strategy
///   that created the database
/// - 8 write times: u8, 0 or 1 (at most once): 1 when every put's value
///   begins with its write time ([`crate::ttl::TimedValue`]), fixed by
///   [`crate::Options::ttl_ms`] when the database was created; absent
///   means 0
///
/// Tags 4 to 6 repeat once per entry, in list order. Levels are below
/// [`NUM_LEVELS`]; keys are at most [`MAX_INTERNAL_KEY_BYTES`] long; file
/// numbers (and the next file number) at most
/// [`crate::filename::MAX_FILE_NUMBER`]; sequence numbers at most
/// [`crate::record::MAX_SEQNO`]. A value past its limit does not decode, so
/// no counter read from a manifest can wrap.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VersionEdit {
    /// Logs numbered below this hold nothing that is not in tables.
    pub log_number: Option<u64>,
    /// The next file number to hand out.
    pub next_file_number: Option<u64>,
    /// The last sequence number used.
    pub last_seq: Option<SeqNo>,
    /// Tables added: (level, table).
    pub added: Vec<(u32, TableMeta)>,
    /// Tables removed: (level, file number).
    pub removed: Vec<(u32, u64)>,
    /// Round-robin compaction pointers: (level, internal key).
    pub compact_pointers: Vec<(u32, Vec<u8>)>,
    /// How many levels from L0 hold overlapping runs.
    pub tiered_levels: Option<u32>,
    /// Whether every put's value begins with its write time.
    pub write_times: Option<bool>,
}

impl VersionEdit {
    /// The edit's bytes, as described on the type.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let counters = [
            (TAG_LOG_NUMBER, self.log_number),
            (TAG_NEXT_FILE_NUMBER, self.next_file_number),
            (TAG_LAST_SEQ, self.last_seq),
        ];
        for (tag, value) in counters {
            if let Some(v) = value {
                out.push(tag);
                put_u64(&mut out, v);
            }
        }
        if let Some(n) = self.tiered_levels {
            out.push(TAG_TIERED_LEVELS);
            put_u32(&mut out, n);
        }
        if let Some(timed) = self.write_times {
            out.push(TAG_WRITE_TIMES);
            out.push(u8::from(timed));
        }
        for (level, t) in &self.added {
            out.push(TAG_ADDED);
            put_u32(&mut out, *level);
            put_u64(&mut out, t.file_number);
            put_u64(&mut out, t.size_bytes);
            put_u64(&mut out, t.entries);
            put_key(&mut out, &t.smallest);
            put_key(&mut out, &t.largest);
            put_u64(&mut out, t.smallest_seq);
            put_u64(&mut out, t.largest_seq);
        }
        for (level, file_number) in &self.removed {
            out.push(TAG_REMOVED);
            put_u32(&mut out, *level);
            put_u64(&mut out, *file_number);
        }
        for (level, key) in &self.compact_pointers {
            out.push(TAG_COMPACT_POINTER);
            put_u32(&mut out, *level);
            put_key(&mut out, key);
        }
        out
    }

    /// Parses an edit; the error says what is wrong and at which byte.
    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        let mut d = Decoder::new(bytes);
        let mut edit = VersionEdit::default();
        while let Some(tag) = d.u8() {
            let at = d.position() - 1;
            edit.decode_field(tag, &mut d)
                .map_err(|e| format!("field with tag {tag} at byte {at}: {e}"))?;
        }
        Ok(edit)
    }

    fn decode_field(&mut self, tag: u8, d: &mut Decoder<'_>) -> Result<(), String> {
        match tag {
            TAG_LOG_NUMBER => set_once(&mut self.log_number, file_number_field(d)?),
            TAG_NEXT_FILE_NUMBER => set_once(&mut self.next_file_number, file_number_field(d)?),
            TAG_LAST_SEQ => set_once(&mut self.last_seq, seq_field(d)?),
            TAG_TIERED_LEVELS => {
                let n = d.u32().ok_or("truncated tiered level count")?;
                if n == 0 || n as usize > NUM_LEVELS {
                    return Err(format!("tiered level count {n} outside 1..={NUM_LEVELS}"));
                }
                set_once(&mut self.tiered_levels, n)
            }
            TAG_WRITE_TIMES => {
                let timed = match d.u8().ok_or("truncated write-times flag")? {
                    0 => false,
                    1 => true,
                    b => return Err(format!("write-times flag {b} is neither 0 nor 1")),
                };
                set_once(&mut self.write_times, timed)
            }
            TAG_ADDED => {
                let level = level_field(d)?;
                let table = TableMeta {
                    file_number: file_number_field(d)?,
                    size_bytes: u64_field(d)?,
                    entries: u64_field(d)?,
                    smallest: key_field(d)?,
                    largest: key_field(d)?,
                    smallest_seq: seq_field(d)?,
                    largest_seq: seq_field(d)?,
                };
                self.added.push((level, table));
                Ok(())
            }
            TAG_REMOVED => {
                let level = level_field(d)?;
                self.removed.push((level, file_number_field(d)?));
                Ok(())
            }
            TAG_COMPACT_POINTER => {
                let level = level_field(d)?;
                self.compact_pointers.push((level, key_field(d)?));
                Ok(())
            }
            _ => Err("unknown tag".to_owned()),
        }
    }

    /// Whether the edit changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == VersionEdit::default()
    }

    /// Adds `table` at `level`.
    pub fn add_table(&mut self, level: u32, table: TableMeta) -> &mut Self {
        self.added.push((level, table));
        self
    }

    /// Removes table `file_number` from `level`.
    pub fn remove_table(&mut self, level: u32, file_number: u64) -> &mut Self {
        self.removed.push((level, file_number));
        self
    }
}

fn put_key(out: &mut Vec<u8>, key: &[u8]) {
    put_u32(out, u32::try_from(key.len()).unwrap_or(u32::MAX));
    out.extend_from_slice(key);
}

fn set_once<T>(slot: &mut Option<T>, value: T) -> Result<(), String> {
    if slot.replace(value).is_some() {
        return Err("repeated".to_owned());
    }
    Ok(())
}

fn u64_field(d: &mut Decoder<'_>) -> Result<u64, String> {
    d.u64().ok_or_else(|| "cut short".to_owned())
}

fn file_number_field(d: &mut Decoder<'_>) -> Result<u64, String> {
    let n = u64_field(d)?;
    if n > crate::filename::MAX_FILE_NUMBER {
        return Err(format!(
            "file number {n} exceeds the maximum of {}",
            crate::filename::MAX_FILE_NUMBER
        ));
    }
    Ok(n)
}

fn seq_field(d: &mut Decoder<'_>) -> Result<SeqNo, String> {
    let seq = u64_field(d)?;
    if seq > crate::record::MAX_SEQNO {
        return Err(format!(
            "sequence number {seq} exceeds the maximum of {}",
            crate::record::MAX_SEQNO
        ));
    }
    Ok(seq)
}

fn level_field(d: &mut Decoder<'_>) -> Result<u32, String> {
    let level = d.u32().ok_or("cut short before the level")?;
    if level as usize >= NUM_LEVELS {
        return Err(format!("level {level} is not below {NUM_LEVELS}"));
    }
    Ok(level)
}

fn key_field(d: &mut Decoder<'_>) -> Result<Vec<u8>, String> {
    let len = d.u32().ok_or("cut short before a key length")? as usize;
    if len > MAX_INTERNAL_KEY_BYTES {
        return Err(format!(
            "key of {len} bytes exceeds {MAX_INTERNAL_KEY_BYTES}"
        ));
    }
    let key = d
        .bytes(len)
        .ok_or_else(|| format!("key of {len} bytes cut short"))?;
    Ok(key.to_vec())
}
