//! The canonical snapshot writer and the strict reader `load_state` (SPEC §4; Java:
//! `SnapshotWriter`, `SnapshotReader`).

use super::crc32c::crc32c;
use super::le::{get_u16_le, get_u32_le, get_u64_le, put_u16_le, put_u32_le, put_u64_le};
use super::snapshot_format::*;
use std::fmt;

/// A decoded snapshot: commit index and entries in key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotState {
    pub commit_index: u64,
    pub entries: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Every reason SPEC §4 gives a reader to refuse a snapshot (Java: `SnapshotFormatException.Rule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    BadMagic,
    UnknownVersion,
    NonzeroFlags,
    Truncated,
    LengthPastEnd,
    EmptyKey,
    KeyTooLong,
    ValueTooLong,
    KeysOutOfOrder,
    DuplicateKey,
    TrailingBytes,
    CrcMismatch,
}

impl Rule {
    fn text(self) -> &'static str {
        match self {
            Rule::BadMagic => "bad magic",
            Rule::UnknownVersion => "unknown version",
            Rule::NonzeroFlags => "nonzero flags",
            Rule::Truncated => "truncated",
            Rule::LengthPastEnd => "length past end",
            Rule::EmptyKey => "empty key",
            Rule::KeyTooLong => "key too long",
            Rule::ValueTooLong => "value too long",
            Rule::KeysOutOfOrder => "keys out of order",
            Rule::DuplicateKey => "duplicate key",
            Rule::TrailingBytes => "trailing bytes",
            Rule::CrcMismatch => "crc mismatch",
        }
    }
}

/// The strict reader refused a snapshot: the byte offset and the rule broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotFormatError {
    pub offset: usize,
    pub rule: Rule,
    pub detail: String,
}

impl fmt::Display for SnapshotFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "offset {}: {}: {}",
            self.offset,
            self.rule.text(),
            self.detail
        )
    }
}

impl std::error::Error for SnapshotFormatError {}

fn refuse<T>(offset: usize, rule: Rule, detail: String) -> Result<T, SnapshotFormatError> {
    Err(SnapshotFormatError {
        offset,
        rule,
        detail,
    })
}

/// Writes the canonical snapshot. `entries` must be in strictly increasing unsigned bytewise key
/// order, with keys and values within SPEC §1's limits; `payload` is the sum over entries of
/// `8 + key.len() + value.len()`, so the one buffer is sized before any byte is written.
///
/// # Panics
/// If the entries break the order or the limits, or `payload` is wrong: a caller bug.
pub fn encode_snapshot<'a, I>(
    commit_index: u64,
    count: usize,
    payload: usize,
    entries: I,
) -> Vec<u8>
where
    I: IntoIterator<Item = (&'a [u8], &'a [u8])>,
{
    let size = MIN_SNAPSHOT_SIZE + payload;
    let mut buf = vec![0u8; size];
    buf[OFFSET_MAGIC..OFFSET_MAGIC + SIZE_MAGIC].copy_from_slice(&MAGIC);
    put_u16_le(&mut buf, OFFSET_VERSION, VERSION);
    put_u16_le(&mut buf, OFFSET_FLAGS, FLAGS);
    put_u64_le(&mut buf, OFFSET_COMMIT_INDEX, commit_index);
    put_u32_le(
        &mut buf,
        OFFSET_ENTRY_COUNT,
        u32::try_from(count).expect("entry count fits u32"),
    );
    let mut at = HEADER_SIZE;
    let mut written = 0usize;
    let mut previous: Option<&[u8]> = None;
    for (key, value) in entries {
        assert!(
            (MIN_KEY_LEN..=MAX_KEY_LEN).contains(&key.len()),
            "key length {} outside limits",
            key.len()
        );
        assert!(
            value.len() <= MAX_VALUE_LEN,
            "value length {} over the limit",
            value.len()
        );
        if let Some(p) = previous {
            assert!(p < key, "keys not strictly increasing");
        }
        previous = Some(key);
        at = write_bytes(&mut buf, at, key);
        at = write_bytes(&mut buf, at, value);
        written += 1;
    }
    assert_eq!(
        written, count,
        "entry count({}) != entries written({})",
        count, written
    );
    assert_eq!(
        at,
        size - SIZE_CRC,
        "crc offset({}) != size({}) - 4",
        at,
        size
    );
    let crc = crc32c(&buf[..at]);
    put_u32_le(&mut buf, at, crc);
    buf
}

fn write_bytes(buf: &mut [u8], at: usize, bytes: &[u8]) -> usize {
    put_u32_le(buf, at, bytes.len() as u32);
    buf[at + SIZE_LENGTH_PREFIX..at + SIZE_LENGTH_PREFIX + bytes.len()].copy_from_slice(bytes);
    at + SIZE_LENGTH_PREFIX + bytes.len()
}

/// A read position over untrusted bytes; every read checks the bytes remaining first.
struct Cursor<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn need(&self, size: usize, field: &str) -> Result<(), SnapshotFormatError> {
        let remain = self.buf.len() - self.at;
        if remain < size {
            return refuse(
                self.at,
                Rule::Truncated,
                format!(
                    "buffer ends early: {} needs {} bytes, {} remain",
                    field, size, remain
                ),
            );
        }
        Ok(())
    }

    fn u16(&mut self, field: &str) -> Result<u16, SnapshotFormatError> {
        self.need(2, field)?;
        let v = get_u16_le(self.buf, self.at);
        self.at += 2;
        Ok(v)
    }

    fn u32(&mut self, field: &str) -> Result<u32, SnapshotFormatError> {
        self.need(4, field)?;
        let v = get_u32_le(self.buf, self.at);
        self.at += 4;
        Ok(v)
    }

    fn u64(&mut self, field: &str) -> Result<u64, SnapshotFormatError> {
        self.need(8, field)?;
        let v = get_u64_le(self.buf, self.at);
        self.at += 8;
        Ok(v)
    }

    /// The `len` bytes at the cursor; `len_at` is where that length was read.
    fn bytes(
        &mut self,
        len_at: usize,
        len: u32,
        field: &str,
    ) -> Result<&'a [u8], SnapshotFormatError> {
        let remain = self.buf.len() - self.at;
        if len as usize > remain {
            return refuse(
                len_at,
                Rule::LengthPastEnd,
                format!(
                    "{} of length {} runs past the end: {} bytes remain",
                    field, len, remain
                ),
            );
        }
        let out = &self.buf[self.at..self.at + len as usize];
        self.at += len as usize;
        Ok(out)
    }
}

/// The strict reader: accepts exactly the bytes `encode_snapshot` writes, refuses everything
/// else naming the offset and the rule. Reads front to back; the CRC is checked last.
pub fn load_state(bytes: &[u8]) -> Result<SnapshotState, SnapshotFormatError> {
    let mut c = Cursor { buf: bytes, at: 0 };
    c.need(SIZE_MAGIC, "magic")?;
    if bytes[..SIZE_MAGIC] != MAGIC {
        return refuse(
            OFFSET_MAGIC,
            Rule::BadMagic,
            format!(
                "expected 44423230 (\"DB20\"), found {}",
                super::hex(&bytes[..SIZE_MAGIC])
            ),
        );
    }
    c.at = OFFSET_VERSION;
    let version = c.u16("format version")?;
    if version != VERSION {
        return refuse(
            OFFSET_VERSION,
            Rule::UnknownVersion,
            format!(
                "format version {}, this reader knows only {}",
                version, VERSION
            ),
        );
    }
    let flags = c.u16("flags")?;
    if flags != FLAGS {
        return refuse(
            OFFSET_FLAGS,
            Rule::NonzeroFlags,
            format!("flags 0x{:x}, must be 0 (reserved)", flags),
        );
    }
    let commit_index = c.u64("commit_index")?;
    let count = c.u32("entry count")? as usize;
    let room = bytes.len().saturating_sub(c.at + SIZE_CRC);
    if count > room / MIN_ENTRY_SIZE {
        return refuse(
            OFFSET_ENTRY_COUNT,
            Rule::LengthPastEnd,
            format!(
                "entry count {} needs at least {} bytes of entries, {} remain before the CRC",
                count,
                count as u64 * MIN_ENTRY_SIZE as u64,
                room
            ),
        );
    }
    let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(count);
    for i in 0..count {
        let key_at = c.at;
        let key_len = c.u32(&format!("key length of entry {}", i))?;
        if key_len == 0 {
            return refuse(
                key_at,
                Rule::EmptyKey,
                format!("entry {} has a key of length 0", i),
            );
        }
        if key_len as usize > MAX_KEY_LEN {
            return refuse(
                key_at,
                Rule::KeyTooLong,
                format!(
                    "entry {} key length {} exceeds the limit of {} bytes",
                    i, key_len, MAX_KEY_LEN
                ),
            );
        }
        let key = c.bytes(key_at, key_len, &format!("key of entry {}", i))?;
        if let Some((previous, _)) = entries.last() {
            match previous.as_slice().cmp(key) {
                std::cmp::Ordering::Equal => {
                    return refuse(
                        key_at,
                        Rule::DuplicateKey,
                        format!("entry {} repeats key {}", i, super::hex(key)),
                    )
                }
                std::cmp::Ordering::Greater => {
                    return refuse(
                        key_at,
                        Rule::KeysOutOfOrder,
                        format!(
                            "entry {} key {} sorts before the previous key {}",
                            i,
                            super::hex(key),
                            super::hex(previous)
                        ),
                    )
                }
                std::cmp::Ordering::Less => {}
            }
        }
        let value_at = c.at;
        let value_len = c.u32(&format!("value length of entry {}", i))?;
        if value_len as usize > MAX_VALUE_LEN {
            return refuse(
                value_at,
                Rule::ValueTooLong,
                format!(
                    "entry {} value length {} exceeds the limit of {} bytes",
                    i, value_len, MAX_VALUE_LEN
                ),
            );
        }
        let value = c.bytes(value_at, value_len, &format!("value of entry {}", i))?;
        entries.push((key.to_vec(), value.to_vec()));
    }
    let crc_at = c.at;
    let stored = c.u32("CRC")?;
    if c.at != bytes.len() {
        return refuse(
            c.at,
            Rule::TrailingBytes,
            format!("{} bytes after the CRC", bytes.len() - c.at),
        );
    }
    let computed = crc32c(&bytes[..crc_at]);
    if stored != computed {
        return refuse(
            crc_at,
            Rule::CrcMismatch,
            format!(
                "stored CRC-32C 0x{:08x}, computed 0x{:08x}",
                stored, computed
            ),
        );
    }
    Ok(SnapshotState {
        commit_index,
        entries,
    })
}

impl SnapshotState {
    /// The canonical bytes of this state; `load_state(s.encode())` gives `s` back.
    pub fn encode(&self) -> Vec<u8> {
        let payload = self
            .entries
            .iter()
            .map(|(k, v)| 2 * SIZE_LENGTH_PREFIX + k.len() + v.len())
            .sum();
        encode_snapshot(
            self.commit_index,
            self.entries.len(),
            payload,
            self.entries
                .iter()
                .map(|(k, v)| (k.as_slice(), v.as_slice())),
        )
    }
}
