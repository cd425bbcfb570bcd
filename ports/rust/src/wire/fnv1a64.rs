//! FNV-1a 64 (SPEC §5; Java: `Fnv1a64`).

pub const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
pub const PRIME: u64 = 0x0000_0100_0000_01b3;

/// Continues digest `h` over `bytes`.
pub fn update(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// The digest of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    update(OFFSET_BASIS, bytes)
}

/// 16 lowercase hex digits.
pub fn to_hex(h: u64) -> String {
    format!("{:016x}", h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vectors() {
        assert_eq!(to_hex(fnv1a64(b"")), "cbf29ce484222325");
        assert_eq!(to_hex(fnv1a64(b"a")), "af63dc4c8601ec8c");
    }
}
