//! The workload of SPEC §6 (Java: `Workload`): three draws per op, always.

use super::splitmix64::SplitMix64;
use crate::core::Op;

pub const DEFAULT_KEY_SPACE: u64 = 16;
pub const VALUE_MODULUS: u64 = 10_000;

#[derive(Debug, Clone)]
pub struct Workload {
    generator: SplitMix64,
    // Invariant: key_space >= 1.
    key_space: u64,
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
        }
    }

    pub fn set_seed(&mut self, seed: u64) {
        self.generator = SplitMix64::new(seed);
    }

    pub fn set_key_space(&mut self, key_space: u64) {
        assert!(key_space >= 1, "key space 0 out of range (must be >= 1)");
        self.key_space = key_space;
    }

    pub fn next_op(&mut self) -> Op {
        let r1 = self.generator.next();
        let r2 = self.generator.next();
        let r3 = self.generator.next();
        Workload::decode(r1, r2, r3, self.key_space)
    }

    pub fn decode(r1: u64, r2: u64, r3: u64, key_space: u64) -> Op {
        let key = format!("k{}", r2 % key_space).into_bytes();
        if r1 >> 62 == 3 {
            return Op::del(&key).expect("workload keys are short");
        }
        let value = (r3 % VALUE_MODULUS).to_le_bytes();
        Op::put(&key, &value).expect("workload ops are within the limits")
    }
}
