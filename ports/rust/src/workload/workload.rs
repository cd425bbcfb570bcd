//! The workload of SPEC §6 (Java: `Workload`): three draws per op, always.
//!
//! The hot path makes nothing but the op: key `k<i>` and value `r3 mod 10000` bytes are cached
//! as shared immutable bytes (keys up to index 2^20, beyond that made per op; values all 10,000),
//! and the digits are formatted into a reused buffer.

use super::splitmix64::SplitMix64;
use crate::core::{Bytes, Op};

pub const DEFAULT_KEY_SPACE: u64 = 16;
pub const VALUE_MODULUS: u64 = 10_000;
/// Key indexes below this are cached; the cache never holds more keys than this.
pub const MAX_CACHED_KEYS: u64 = 1 << 20;

#[derive(Debug, Clone)]
pub struct Workload {
    generator: SplitMix64,
    // Invariant: key_space >= 1.
    key_space: u64,
    // key_cache[i] is `k<i>` once drawn; the key of an index does not depend on the key space,
    // so the cache survives `keys`. Invariant: key_cache.len() <= MAX_CACHED_KEYS.
    key_cache: Vec<Option<Bytes>>,
    // value_cache[v] is the 8 little-endian bytes of v once drawn; len == VALUE_MODULUS.
    value_cache: Vec<Option<Bytes>>,
    // "k" and up to 20 digits.
    key_buf: [u8; 21],
}

impl Default for Workload {
    fn default() -> Self {
        Workload::new(0, DEFAULT_KEY_SPACE)
    }
}

impl Workload {
    pub fn new(seed: u64, key_space: u64) -> Workload {
        assert!(key_space >= 1, "key space 0 out of range (must be >= 1)");
        Workload {
            generator: SplitMix64::new(seed),
            key_space,
            key_cache: Vec::new(),
            value_cache: vec![None; VALUE_MODULUS as usize],
            key_buf: [0; 21],
        }
    }

    pub fn set_seed(&mut self, seed: u64) {
        self.generator = SplitMix64::new(seed);
    }

    pub fn key_space(&self) -> u64 {
        self.key_space
    }

    pub fn set_key_space(&mut self, key_space: u64) {
        assert!(key_space >= 1, "key space 0 out of range (must be >= 1)");
        self.key_space = key_space;
    }

    /// How many keys are cached now (at most `MAX_CACHED_KEYS`).
    pub fn cached_keys(&self) -> usize {
        self.key_cache.iter().filter(|k| k.is_some()).count()
    }

    pub fn next_op(&mut self) -> Op {
        let r1 = self.generator.next();
        let r2 = self.generator.next();
        let r3 = self.generator.next();
        let key = self.key(r2 % self.key_space);
        if r1 >> 62 == 3 {
            return Op::del_shared(key).expect("workload keys are short");
        }
        let value = self.value(r3 % VALUE_MODULUS);
        Op::put_shared(key, value).expect("workload ops are within the limits")
    }

    /// The op SPEC §6 decodes from three draws (uncached; for tests and one-off use).
    pub fn decode(r1: u64, r2: u64, r3: u64, key_space: u64) -> Op {
        let key = format!("k{}", r2 % key_space).into_bytes();
        if r1 >> 62 == 3 {
            return Op::del(&key).expect("workload keys are short");
        }
        let value = (r3 % VALUE_MODULUS).to_le_bytes();
        Op::put(&key, &value).expect("workload ops are within the limits")
    }

    fn key(&mut self, index: u64) -> Bytes {
        if index >= MAX_CACHED_KEYS {
            return Bytes::from(self.format_key(index));
        }
        let i = index as usize;
        if i >= self.key_cache.len() {
            // Grows by doubling up to the bound, so a key space of 2^20 costs O(log) resizes.
            let want = (i + 1).next_power_of_two().min(MAX_CACHED_KEYS as usize);
            self.key_cache.resize(want, None);
        }
        if let Some(k) = &self.key_cache[i] {
            return Bytes::clone(k);
        }
        let k = Bytes::from(self.format_key(index));
        self.key_cache[i] = Some(Bytes::clone(&k));
        k
    }

    /// `k` and the decimal digits of `index`, in the reused buffer.
    fn format_key(&mut self, mut index: u64) -> &[u8] {
        let mut at = self.key_buf.len();
        loop {
            at -= 1;
            self.key_buf[at] = b'0' + (index % 10) as u8;
            index /= 10;
            if index == 0 {
                break;
            }
        }
        at -= 1;
        self.key_buf[at] = b'k';
        &self.key_buf[at..]
    }

    fn value(&mut self, v: u64) -> Bytes {
        let slot = &mut self.value_cache[v as usize];
        Bytes::clone(slot.get_or_insert_with(|| Bytes::from(v.to_le_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_ops_equal_the_uncached_decode() {
        for key_space in [1, 7, 16, 100_000, MAX_CACHED_KEYS + 5, u64::MAX] {
            let mut w = Workload::new(99, key_space);
            let mut g = SplitMix64::new(99);
            for _ in 0..2000 {
                let (r1, r2, r3) = (g.next(), g.next(), g.next());
                assert_eq!(w.next_op(), Workload::decode(r1, r2, r3, key_space));
            }
            assert!(w.key_cache.len() <= MAX_CACHED_KEYS as usize);
        }
    }

    #[test]
    fn key_formatting_covers_the_widest_index() {
        let mut w = Workload::default();
        assert_eq!(w.format_key(0), b"k0");
        assert_eq!(w.format_key(u64::MAX), b"k18446744073709551615");
    }
}
