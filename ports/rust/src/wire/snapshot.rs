//! The canonical snapshot writer and the strict reader `load_state` (SPEC §4; Java:
//! `SnapshotWriter`, `SnapshotReader`).

use super::crc32c::{crc32c, Crc32c};
use super::le::{get_u16_le, get_u32_le, get_u64_le, put_u16_le, put_u32_le, put_u64_le};
use super::snapshot_format::*;
use std::fmt;
use std::io::{self, Read};

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

/// Where the strict reader's bytes come from: a slice held whole, or a stream of known size
/// read front to back (Java: `SnapshotInput`). Positions are absolute offsets.
trait Source {
    /// The input's size in bytes.
    fn size(&self) -> usize;
    /// Makes the `n` bytes at `at` available; `at` is where the previous load ended and the
    /// caller has checked that `n` bytes remain.
    fn load(&mut self, at: usize, n: usize) -> io::Result<()>;
    /// The `n` bytes at `at`, loaded and not released.
    fn get(&self, at: usize, n: usize) -> &[u8];
    /// The bytes before `at` are not asked for again.
    fn release(&mut self, at: usize);
    /// The CRC-32C of the bytes before `at` (everything up to `at` was loaded).
    fn crc_before(&mut self, at: usize) -> u32;
}

impl Source for &[u8] {
    fn size(&self) -> usize {
        self.len()
    }
    fn load(&mut self, _at: usize, _n: usize) -> io::Result<()> {
        Ok(())
    }
    fn get(&self, at: usize, n: usize) -> &[u8] {
        &self[at..at + n]
    }
    fn release(&mut self, _at: usize) {}
    fn crc_before(&mut self, at: usize) -> u32 {
        crc32c(&self[..at])
    }
}

/// A stream of known size: holds the bytes from the previous entry's key on, at most two
/// entries (each bounded by the limits), and the CRC of the bytes released before them.
struct Stream<R: Read> {
    input: R,
    size: usize,
    held: Vec<u8>,
    base: usize,
    crc: Crc32c,
}

impl<R: Read> Source for Stream<R> {
    fn size(&self) -> usize {
        self.size
    }
    fn load(&mut self, at: usize, n: usize) -> io::Result<()> {
        debug_assert_eq!(at, self.base + self.held.len(), "loads are sequential");
        let from = self.held.len();
        self.held.resize(from + n, 0);
        self.input.read_exact(&mut self.held[from..])
    }
    fn get(&self, at: usize, n: usize) -> &[u8] {
        &self.held[at - self.base..at - self.base + n]
    }
    fn release(&mut self, at: usize) {
        let n = at - self.base;
        self.crc.update(&self.held[..n]);
        self.held.drain(..n);
        self.base = at;
    }
    fn crc_before(&mut self, at: usize) -> u32 {
        self.release(at);
        self.crc.value()
    }
}

/// Why a read stopped: the bytes broke a rule, or the input could not be read.
enum Stop {
    Format(SnapshotFormatError),
    Io(io::Error),
}

impl From<SnapshotFormatError> for Stop {
    fn from(e: SnapshotFormatError) -> Self {
        Stop::Format(e)
    }
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

/// A read position over untrusted bytes; every read checks the bytes remaining first.
struct Cursor<S: Source> {
    src: S,
    at: usize,
}

impl<S: Source> Cursor<S> {
    fn need(&self, size: usize, field: Field) -> Result<(), SnapshotFormatError> {
        let remain = self.src.size() - self.at;
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

    /// The `n` fixed bytes of `field` at the cursor, read and passed.
    fn take(&mut self, n: usize, field: Field) -> Result<usize, Stop> {
        self.need(n, field)?;
        self.src.load(self.at, n)?;
        let at = self.at;
        self.at += n;
        Ok(at)
    }

    fn u16(&mut self, field: Field) -> Result<u16, Stop> {
        let at = self.take(2, field)?;
        Ok(get_u16_le(self.src.get(at, 2), 0))
    }

    fn u32(&mut self, field: Field) -> Result<u32, Stop> {
        let at = self.take(4, field)?;
        Ok(get_u32_le(self.src.get(at, 4), 0))
    }

    fn u64(&mut self, field: Field) -> Result<u64, Stop> {
        let at = self.take(8, field)?;
        Ok(get_u64_le(self.src.get(at, 8), 0))
    }

    /// The position of the `len` bytes at the cursor; `len_at` is where that length was read.
    fn bytes(&mut self, len_at: usize, len: u32, field: Field) -> Result<usize, Stop> {
        let remain = self.src.size() - self.at;
        if len as usize > remain {
            return Err(Stop::Format(SnapshotFormatError {
                offset: len_at,
                rule: Rule::LengthPastEnd,
                detail: format!(
                    "{} of length {} runs past the end: {} bytes remain",
                    field, len, remain
                ),
            }));
        }
        self.src.load(self.at, len as usize)?;
        let at = self.at;
        self.at += len as usize;
        Ok(at)
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
/// the rule. Over a slice it allocates nothing but a refusal's short text; over a stream it holds
/// at most two entries. `on_entry` sees each entry in order.
fn read_snapshot<S: Source>(
    src: S,
    mut on_entry: impl FnMut(&[u8], &[u8]),
) -> Result<SnapshotSummary, Stop> {
    let mut c = Cursor { src, at: 0 };
    let magic_at = c.take(SIZE_MAGIC, Field::Magic)?;
    let magic = c.src.get(magic_at, SIZE_MAGIC);
    if magic != MAGIC {
        return Err(Stop::Format(SnapshotFormatError {
            offset: OFFSET_MAGIC,
            rule: Rule::BadMagic,
            detail: format!("expected 44423230 (\"DB20\"), found {}", super::hex(magic)),
        }));
    }
    let version = c.u16(Field::Version)?;
    if version != VERSION {
        return Ok(refuse(
            OFFSET_VERSION,
            Rule::UnknownVersion,
            format!(
                "format version {}, this reader knows only {}",
                version, VERSION
            ),
        )?);
    }
    let flags = c.u16(Field::Flags)?;
    if flags != FLAGS {
        return Ok(refuse(
            OFFSET_FLAGS,
            Rule::NonzeroFlags,
            format!("flags 0x{:x}, must be 0 (reserved)", flags),
        )?);
    }
    let commit_index = c.u64(Field::CommitIndex)?;
    let count = c.u32(Field::EntryCount)? as usize;
    // SPEC §4.0: the file must hold 24 + 9n bytes, n = 0 included (a 20-23-byte file fails here).
    let room = c.src.size().saturating_sub(c.at + SIZE_CRC);
    if (c.src.size() as u64) < MIN_SNAPSHOT_SIZE as u64 + count as u64 * MIN_ENTRY_SIZE as u64 {
        return Ok(refuse(
            OFFSET_ENTRY_COUNT,
            Rule::LengthPastEnd,
            format!(
                "entry count {} needs at least {} bytes of entries, {} remain before the CRC",
                count,
                count as u64 * MIN_ENTRY_SIZE as u64,
                room
            ),
        )?);
    }
    // The previous entry's key, as (position, length) in the source.
    let mut previous: Option<(usize, usize)> = None;
    for i in 0..count {
        let key_at = c.at;
        c.src
            .release(previous.map_or(key_at, |(at, _)| at - SIZE_LENGTH_PREFIX));
        let key_len = c.u32(Field::KeyLength(i))?;
        if key_len == 0 {
            return Ok(refuse(
                key_at,
                Rule::EmptyKey,
                format!("entry {} has a key of length 0", i),
            )?);
        }
        if key_len as usize > MAX_KEY_LEN {
            return Ok(refuse(
                key_at,
                Rule::KeyTooLong,
                format!(
                    "entry {} key length {} exceeds the limit of {} bytes",
                    i, key_len, MAX_KEY_LEN
                ),
            )?);
        }
        let key_pos = c.bytes(key_at, key_len, Field::Key(i))?;
        let key = c.src.get(key_pos, key_len as usize);
        if let Some((p_at, p_len)) = previous {
            let previous = c.src.get(p_at, p_len);
            match previous.cmp(key) {
                std::cmp::Ordering::Equal => {
                    return Ok(refuse(
                        key_at,
                        Rule::DuplicateKey,
                        format!("entry {} repeats key {}", i, hex_cut(key)),
                    )?)
                }
                std::cmp::Ordering::Greater => {
                    return Ok(refuse(
                        key_at,
                        Rule::KeysOutOfOrder,
                        format!(
                            "entry {} key {} sorts before the previous key {}",
                            i,
                            hex_cut(key),
                            hex_cut(previous)
                        ),
                    )?)
                }
                std::cmp::Ordering::Less => {}
            }
        }
        previous = Some((key_pos, key_len as usize));
        let value_at = c.at;
        let value_len = c.u32(Field::ValueLength(i))?;
        if value_len as usize > MAX_VALUE_LEN {
            return Ok(refuse(
                value_at,
                Rule::ValueTooLong,
                format!(
                    "entry {} value length {} exceeds the limit of {} bytes",
                    i, value_len, MAX_VALUE_LEN
                ),
            )?);
        }
        let value_pos = c.bytes(value_at, value_len, Field::Value(i))?;
        on_entry(
            c.src.get(key_pos, key_len as usize),
            c.src.get(value_pos, value_len as usize),
        );
    }
    let crc_at = c.at;
    let stored = c.u32(Field::Crc)?;
    if c.at != c.src.size() {
        return Ok(refuse(
            c.at,
            Rule::TrailingBytes,
            format!("{} bytes after the CRC", c.src.size() - c.at),
        )?);
    }
    let computed = c.src.crc_before(crc_at);
    if stored != computed {
        return Ok(refuse(
            crc_at,
            Rule::CrcMismatch,
            format!(
                "stored CRC-32C 0x{:08x}, computed 0x{:08x}",
                stored, computed
            ),
        )?);
    }
    Ok(SnapshotSummary {
        commit_index,
        entry_count: count,
        crc: stored,
    })
}

/// [`read_snapshot`] over a slice, which cannot fail to read.
fn read_slice(
    bytes: &[u8],
    on_entry: impl FnMut(&[u8], &[u8]),
) -> Result<SnapshotSummary, SnapshotFormatError> {
    match read_snapshot(bytes, on_entry) {
        Ok(s) => Ok(s),
        Err(Stop::Format(e)) => Err(e),
        Err(Stop::Io(e)) => unreachable!("a slice never fails to read: {}", e),
    }
}

/// The strict reader over a stream of `size` bytes (a regular file's length), read front to
/// back in memory bounded by two entries, whatever `size` is: a bad magic is refused after 4
/// bytes. It refuses exactly what [`validate_snapshot`] refuses for the same bytes, at the same
/// offset; the outer error is a failure to read (the stream ended before `size` bytes, too).
pub fn validate_snapshot_stream<R: Read>(
    input: R,
    size: u64,
) -> io::Result<Result<SnapshotSummary, SnapshotFormatError>> {
    let size = usize::try_from(size).map_err(|_| io::Error::other("file too large"))?;
    let stream = Stream {
        input,
        size,
        held: Vec::new(),
        base: 0,
        crc: Crc32c::new(),
    };
    match read_snapshot(stream, |_, _| {}) {
        Ok(s) => Ok(Ok(s)),
        Err(Stop::Format(e)) => Ok(Err(e)),
        Err(Stop::Io(e)) => Err(e),
    }
}

/// The strict reader without decoding: accepts or refuses exactly as [`load_state`] does, and
/// allocates nothing on the way (a refusal's text is short whatever the input).
pub fn validate_snapshot(bytes: &[u8]) -> Result<SnapshotSummary, SnapshotFormatError> {
    read_slice(bytes, |_, _| {})
}

/// The strict reader: the snapshot is validated whole first, so nothing is allocated for input
/// that will be refused; then the entries are copied out, sized by a count already checked
/// against the bytes present.
pub fn load_state(bytes: &[u8]) -> Result<SnapshotState, SnapshotFormatError> {
    let summary = validate_snapshot(bytes)?;
    let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(summary.entry_count);
    read_slice(bytes, |k, v| entries.push((k.to_vec(), v.to_vec()))).expect("validated above");
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
