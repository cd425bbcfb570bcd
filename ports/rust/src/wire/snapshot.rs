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
    /// The rule's name as `check` prints it (spec-notes N16).
    pub fn text(self) -> &'static str {
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

/// What a read was for, named in a refusal; formatted only when a refusal is made.
#[derive(Debug, Clone, Copy)]
enum Field {
    Magic,
    Version,
    Flags,
    CommitIndex,
    EntryCount,
    KeyLength(usize),
    Key(usize),
    ValueLength(usize),
    Value(usize),
    Crc,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Magic => f.write_str("magic"),
            Field::Version => f.write_str("format version"),
            Field::Flags => f.write_str("flags"),
            Field::CommitIndex => f.write_str("commit_index"),
            Field::EntryCount => f.write_str("entry count"),
            Field::KeyLength(i) => write!(f, "key length of entry {}", i),
            Field::Key(i) => write!(f, "key of entry {}", i),
            Field::ValueLength(i) => write!(f, "value length of entry {}", i),
            Field::Value(i) => write!(f, "value of entry {}", i),
            Field::Crc => f.write_str("CRC"),
        }
    }
}

/// Hex of at most the first 16 bytes, so a refusal's text stays short whatever the input.
fn hex_cut(bytes: &[u8]) -> String {
    const SHOWN: usize = 16;
    if bytes.len() <= SHOWN {
        return super::hex(bytes);
    }
    format!("{}...({} bytes)", super::hex(&bytes[..SHOWN]), bytes.len())
}

/// A read position over untrusted bytes; every read checks the bytes remaining first.
struct Cursor<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn need(&self, size: usize, field: Field) -> Result<(), SnapshotFormatError> {
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

    fn u16(&mut self, field: Field) -> Result<u16, SnapshotFormatError> {
        self.need(2, field)?;
        let v = get_u16_le(self.buf, self.at);
        self.at += 2;
        Ok(v)
    }

    fn u32(&mut self, field: Field) -> Result<u32, SnapshotFormatError> {
        self.need(4, field)?;
        let v = get_u32_le(self.buf, self.at);
        self.at += 4;
        Ok(v)
    }

    fn u64(&mut self, field: Field) -> Result<u64, SnapshotFormatError> {
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
        field: Field,
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

/// What the strict reader learns from a snapshot it accepts, without holding its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub commit_index: u64,
    pub entry_count: usize,
    /// The stored CRC-32C (equal to the computed one).
    pub crc: u32,
}

/// The strict reader of SPEC §4, one pass front to back with the CRC checked last. It accepts
/// exactly the bytes `encode_snapshot` writes and refuses everything else, naming the offset and
/// the rule. It allocates nothing but a refusal's short text; `on_entry` sees each entry in order.
fn read_snapshot<'a>(
    bytes: &'a [u8],
    mut on_entry: impl FnMut(&'a [u8], &'a [u8]),
) -> Result<SnapshotSummary, SnapshotFormatError> {
    let mut c = Cursor { buf: bytes, at: 0 };
    c.need(SIZE_MAGIC, Field::Magic)?;
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
    let version = c.u16(Field::Version)?;
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
    let flags = c.u16(Field::Flags)?;
    if flags != FLAGS {
        return refuse(
            OFFSET_FLAGS,
            Rule::NonzeroFlags,
            format!("flags 0x{:x}, must be 0 (reserved)", flags),
        );
    }
    let commit_index = c.u64(Field::CommitIndex)?;
    let count = c.u32(Field::EntryCount)? as usize;
    // SPEC §4.0: the file must hold 24 + 9n bytes, n = 0 included (a 20-23-byte file fails here).
    let room = bytes.len().saturating_sub(c.at + SIZE_CRC);
    if (bytes.len() as u64) < MIN_SNAPSHOT_SIZE as u64 + count as u64 * MIN_ENTRY_SIZE as u64 {
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
    let mut previous: Option<&[u8]> = None;
    for i in 0..count {
        let key_at = c.at;
        let key_len = c.u32(Field::KeyLength(i))?;
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
        let key = c.bytes(key_at, key_len, Field::Key(i))?;
        if let Some(previous) = previous {
            match previous.cmp(key) {
                std::cmp::Ordering::Equal => {
                    return refuse(
                        key_at,
                        Rule::DuplicateKey,
                        format!("entry {} repeats key {}", i, hex_cut(key)),
                    )
                }
                std::cmp::Ordering::Greater => {
                    return refuse(
                        key_at,
                        Rule::KeysOutOfOrder,
                        format!(
                            "entry {} key {} sorts before the previous key {}",
                            i,
                            hex_cut(key),
                            hex_cut(previous)
                        ),
                    )
                }
                std::cmp::Ordering::Less => {}
            }
        }
        previous = Some(key);
        let value_at = c.at;
        let value_len = c.u32(Field::ValueLength(i))?;
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
        let value = c.bytes(value_at, value_len, Field::Value(i))?;
        on_entry(key, value);
    }
    let crc_at = c.at;
    let stored = c.u32(Field::Crc)?;
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
    Ok(SnapshotSummary {
        commit_index,
        entry_count: count,
        crc: stored,
    })
}

/// The strict reader without decoding: accepts or refuses exactly as [`load_state`] does, and
/// allocates nothing on the way (a refusal's text is short whatever the input).
pub fn validate_snapshot(bytes: &[u8]) -> Result<SnapshotSummary, SnapshotFormatError> {
    read_snapshot(bytes, |_, _| {})
}

/// The strict reader: the snapshot is validated whole first, so nothing is allocated for input
/// that will be refused; then the entries are copied out, sized by a count already checked
/// against the bytes present.
pub fn load_state(bytes: &[u8]) -> Result<SnapshotState, SnapshotFormatError> {
    let summary = validate_snapshot(bytes)?;
    let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(summary.entry_count);
    read_snapshot(bytes, |k, v| entries.push((k.to_vec(), v.to_vec()))).expect("validated above");
    Ok(SnapshotState {
        commit_index: summary.commit_index,
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
