//! The snapshot byte format of SPEC §4, CRC-32C and FNV-1a 64 (Java: `db20-wire`).

pub mod crc32c;
pub mod fnv1a64;
pub mod le;
pub mod snapshot;
pub mod snapshot_format;

pub use snapshot::{
    encode_snapshot, load_state, validate_snapshot, validate_snapshot_stream, Rule,
    SnapshotFormatError, SnapshotState, SnapshotSummary,
};

/// Lowercase hex of `bytes`, `-` for no bytes (SPEC §7).
pub fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "-".to_string();
    }
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize]);
        out.push(DIGITS[(b & 0xf) as usize]);
    }
    String::from_utf8(out).expect("hex digits are ASCII")
}
