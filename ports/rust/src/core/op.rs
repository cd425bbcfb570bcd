//! One operation of SPEC §1 (Java: `Op`). Ops are immutable and shared: the same `Rc<Op>` sits in
//! every replica's log, and the state machines hold its `Rc<[u8]>` key and value.

use crate::wire::snapshot_format::{MAX_KEY_LEN, MAX_VALUE_LEN};
use std::fmt;
use std::rc::Rc;

pub type Bytes = Rc<[u8]>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    NoOp,
    Put { key: Bytes, value: Bytes },
    Del { key: Bytes },
}

/// An op outside SPEC §1's limits; the message names the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError(pub String);

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpError {}

fn check_key(key: &[u8]) -> Result<(), OpError> {
    if key.is_empty() {
        return Err(OpError(
            "key length 0 is below the minimum of 1 byte".into(),
        ));
    }
    if key.len() > MAX_KEY_LEN {
        return Err(OpError(format!(
            "key length {} exceeds the limit of {} bytes",
            key.len(),
            MAX_KEY_LEN
        )));
    }
    Ok(())
}

impl Op {
    /// `Put`, with the limits checked.
    pub fn put(key: &[u8], value: &[u8]) -> Result<Op, OpError> {
        check_key(key)?;
        if value.len() > MAX_VALUE_LEN {
            return Err(OpError(format!(
                "value length {} exceeds the limit of {} bytes",
                value.len(),
                MAX_VALUE_LEN
            )));
        }
        Ok(Op::Put {
            key: Rc::from(key),
            value: Rc::from(value),
        })
    }

    /// `Del`, with the limits checked.
    pub fn del(key: &[u8]) -> Result<Op, OpError> {
        check_key(key)?;
        Ok(Op::Del { key: Rc::from(key) })
    }

    /// The tag of SPEC §4.1.
    pub fn tag(&self) -> u8 {
        match self {
            Op::NoOp => 0,
            Op::Put { .. } => 1,
            Op::Del { .. } => 2,
        }
    }
}
