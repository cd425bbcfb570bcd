//! One operation of SPEC §1 (Java: `Op`) and its record of SPEC §4.1 (Java: `OpRecord`).
//!
//! An `Op` can only be made through the checked constructors, so every op that exists is within
//! the limits: the variants are private, and the accessors hand out borrowed, immutable bytes.
//! Keys and values are `Rc<[u8]>`: immutable, and shared (not copied) by the state machine and
//! every frozen state version that holds them.

use crate::wire::le::{get_u32_le, put_u32_le};
use crate::wire::snapshot_format::{MAX_KEY_LEN, MAX_VALUE_LEN, MIN_KEY_LEN, SIZE_LENGTH_PREFIX};
use std::fmt;
use std::rc::Rc;

/// Immutable shared bytes.
pub type Bytes = Rc<[u8]>;

pub const TAG_NOOP: u8 = 0;
pub const TAG_PUT: u8 = 1;
pub const TAG_DEL: u8 = 2;
pub const SIZE_TAG: usize = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    NoOp,
    Put,
    Del,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OpInner {
    NoOp,
    Put { key: Bytes, value: Bytes },
    Del { key: Bytes },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op(pub(crate) OpInner);

/// An op outside SPEC §1's limits; the message names the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError(pub String);

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpError {}

fn check_key(len: usize) -> Result<(), OpError> {
    if len < MIN_KEY_LEN {
        return Err(OpError(
            "key length 0 is below the minimum of 1 byte".into(),
        ));
    }
    if len > MAX_KEY_LEN {
        return Err(OpError(format!(
            "key length {} exceeds the limit of {} bytes",
            len, MAX_KEY_LEN
        )));
    }
    Ok(())
}

fn check_value(len: usize) -> Result<(), OpError> {
    if len > MAX_VALUE_LEN {
        return Err(OpError(format!(
            "value length {} exceeds the limit of {} bytes",
            len, MAX_VALUE_LEN
        )));
    }
    Ok(())
}

impl Op {
    pub fn noop() -> Op {
        Op(OpInner::NoOp)
    }

    /// `Put`, with the limits checked; copies the bytes.
    pub fn put(key: &[u8], value: &[u8]) -> Result<Op, OpError> {
        // Checked before copying, so an over-limit token costs no allocation.
        check_key(key.len())?;
        check_value(value.len())?;
        Op::put_shared(Rc::from(key), Rc::from(value))
    }

    /// `Put` of bytes already shared (the workload's caches), with the limits checked.
    pub fn put_shared(key: Bytes, value: Bytes) -> Result<Op, OpError> {
        check_key(key.len())?;
        check_value(value.len())?;
        Ok(Op(OpInner::Put { key, value }))
    }

    /// `Del`, with the limits checked; copies the key.
    pub fn del(key: &[u8]) -> Result<Op, OpError> {
        check_key(key.len())?;
        Op::del_shared(Rc::from(key))
    }

    /// `Del` of a key already shared, with the limits checked.
    pub fn del_shared(key: Bytes) -> Result<Op, OpError> {
        check_key(key.len())?;
        Ok(Op(OpInner::Del { key }))
    }

    pub fn kind(&self) -> OpKind {
        match self.0 {
            OpInner::NoOp => OpKind::NoOp,
            OpInner::Put { .. } => OpKind::Put,
            OpInner::Del { .. } => OpKind::Del,
        }
    }

    /// The tag of SPEC §4.1.
    pub fn tag(&self) -> u8 {
        match self.0 {
            OpInner::NoOp => TAG_NOOP,
            OpInner::Put { .. } => TAG_PUT,
            OpInner::Del { .. } => TAG_DEL,
        }
    }

    pub fn key(&self) -> Option<&[u8]> {
        match &self.0 {
            OpInner::NoOp => None,
            OpInner::Put { key, .. } | OpInner::Del { key } => Some(key),
        }
    }

    pub fn value(&self) -> Option<&[u8]> {
        match &self.0 {
            OpInner::Put { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The op record of SPEC §4.1.
    pub fn encode_record(&self) -> Vec<u8> {
        match &self.0 {
            OpInner::NoOp => vec![TAG_NOOP],
            OpInner::Put { key, value } => {
                let mut out =
                    vec![0u8; SIZE_TAG + 2 * SIZE_LENGTH_PREFIX + key.len() + value.len()];
                out[0] = TAG_PUT;
                let at = put_bytes(&mut out, SIZE_TAG, key);
                put_bytes(&mut out, at, value);
                out
            }
            OpInner::Del { key } => {
                let mut out = vec![0u8; SIZE_TAG + SIZE_LENGTH_PREFIX + key.len()];
                out[0] = TAG_DEL;
                put_bytes(&mut out, SIZE_TAG, key);
                out
            }
        }
    }

    /// Decodes one record that fills `bytes` exactly; refuses an unknown tag, a record that ends
    /// early, trailing bytes, and a key or value outside SPEC §1's limits, naming the offset.
    /// Allocates only the key and value bytes the input holds.
    pub fn decode_record(bytes: &[u8]) -> Result<Op, OpRecordError> {
        let Some(&tag) = bytes.first() else {
            return refuse(0, "record ends early: no tag byte".into());
        };
        let (op, end) = match tag {
            TAG_NOOP => (Op::noop(), SIZE_TAG),
            TAG_PUT => {
                let key = read_bytes(bytes, SIZE_TAG, MIN_KEY_LEN, MAX_KEY_LEN, "key")?;
                let value_at = SIZE_TAG + SIZE_LENGTH_PREFIX + key.len();
                let value = read_bytes(bytes, value_at, 0, MAX_VALUE_LEN, "value")?;
                let end = value_at + SIZE_LENGTH_PREFIX + value.len();
                let op = Op::put(key, value).expect("limits checked while reading");
                (op, end)
            }
            TAG_DEL => {
                let key = read_bytes(bytes, SIZE_TAG, MIN_KEY_LEN, MAX_KEY_LEN, "key")?;
                let end = SIZE_TAG + SIZE_LENGTH_PREFIX + key.len();
                (Op::del(key).expect("limits checked while reading"), end)
            }
            _ => return refuse(0, format!("unknown tag {} (0 NoOp, 1 Put, 2 Del)", tag)),
        };
        if end != bytes.len() {
            return refuse(
                end,
                format!("{} trailing bytes after the record", bytes.len() - end),
            );
        }
        Ok(op)
    }
}

/// The op record reader refused its input: the offset and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpRecordError {
    pub offset: usize,
    pub detail: String,
}

impl fmt::Display for OpRecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "op record offset {}: {}", self.offset, self.detail)
    }
}

impl std::error::Error for OpRecordError {}

fn refuse<T>(offset: usize, detail: String) -> Result<T, OpRecordError> {
    Err(OpRecordError { offset, detail })
}

fn put_bytes(out: &mut [u8], at: usize, b: &[u8]) -> usize {
    put_u32_le(out, at, b.len() as u32);
    out[at + SIZE_LENGTH_PREFIX..at + SIZE_LENGTH_PREFIX + b.len()].copy_from_slice(b);
    at + SIZE_LENGTH_PREFIX + b.len()
}

fn read_bytes<'a>(
    input: &'a [u8],
    length_at: usize,
    min: usize,
    max: usize,
    what: &str,
) -> Result<&'a [u8], OpRecordError> {
    let remain = input.len().saturating_sub(length_at);
    if remain < SIZE_LENGTH_PREFIX {
        return refuse(
            length_at,
            format!(
                "record ends early: {} length needs 4 bytes, {} remain",
                what, remain
            ),
        );
    }
    let len = get_u32_le(input, length_at) as usize;
    if len < min || len > max {
        return refuse(
            length_at,
            format!("{} length {} outside {}..{}", what, len, min, max),
        );
    }
    let from = length_at + SIZE_LENGTH_PREFIX;
    if len > input.len() - from {
        return refuse(
            length_at,
            format!(
                "record ends early: {} of length {}, {} bytes remain",
                what,
                len,
                input.len() - from
            ),
        );
    }
    Ok(&input[from..from + len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::hex;

    #[test]
    fn record_vectors_of_spec_4_1() {
        assert_eq!(hex(&Op::noop().encode_record()), "00");
        let put = Op::put(b"a", b"v").unwrap();
        assert_eq!(hex(&put.encode_record()), "0101000000610100000076");
        let del = Op::del(b"a").unwrap();
        assert_eq!(hex(&del.encode_record()), "020100000061");
        for op in [Op::noop(), put, del] {
            assert_eq!(Op::decode_record(&op.encode_record()).unwrap(), op);
        }
    }

    #[test]
    fn record_refusals_name_the_offset() {
        let cases: [(&[u8], usize, &str); 7] = [
            (b"", 0, "no tag"),
            (b"\x03", 0, "unknown tag 3"),
            (b"\x00\x00", 1, "1 trailing bytes"),
            (b"\x02\x01\x00", 1, "length needs 4 bytes, 2 remain"),
            (b"\x02\x00\x00\x00\x00", 1, "key length 0 outside 1..65535"),
            (
                b"\x02\x05\x00\x00\x00ab",
                1,
                "key of length 5, 2 bytes remain",
            ),
            (
                b"\x01\x01\x00\x00\x00a\x01\x00\x10\x00",
                6,
                "value length 1048577 outside",
            ),
        ];
        for (bytes, offset, text) in cases {
            let e = Op::decode_record(bytes).unwrap_err();
            assert_eq!(e.offset, offset, "{}", e);
            assert!(e.to_string().contains(text), "{}", e);
        }
    }
}
