//! One replica of SPEC §2 (Java: `Replica`, `ReplicaLog`).

use super::op::{Bytes, Op};
use crate::wire::encode_snapshot;
use crate::wire::snapshot_format::SIZE_LENGTH_PREFIX;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Entries at indexes 1, 2, 3, …; the ops are shared, not copied. A type of its own so that it
/// can later be compacted behind a snapshot (SPEC §2 allows it).
#[derive(Debug, Clone, Default)]
pub struct ReplicaLog {
    // Invariant: entries[i] is the op at log index i + 1.
    entries: Vec<Rc<Op>>,
}

impl ReplicaLog {
    pub fn size(&self) -> u64 {
        self.entries.len() as u64
    }

    /// The op at `index`, 1 ≤ index ≤ size().
    pub fn get(&self, index: u64) -> &Rc<Op> {
        assert!(
            index >= 1 && index <= self.size(),
            "log index {} outside 1..{}",
            index,
            self.size()
        );
        &self.entries[(index - 1) as usize]
    }

    pub fn append(&mut self, op: Rc<Op>) {
        self.entries.push(op);
    }

    /// A new log of the first `count` entries.
    pub fn prefix(&self, count: u64) -> ReplicaLog {
        assert!(
            count <= self.size(),
            "prefix of {} entries from a log of {}",
            count,
            self.size()
        );
        ReplicaLog {
            entries: self.entries[..count as usize].to_vec(),
        }
    }
}

#[derive(Debug)]
pub struct Replica {
    id: usize,
    // Invariant: log.size() == commit_index; every entry is applied to sm.
    log: ReplicaLog,
    commit_index: u64,
    // BTreeMap over [u8]: unsigned bytewise order, the snapshot order.
    sm: BTreeMap<Bytes, Bytes>,
    // Invariant: sm_payload_bytes == sum over sm of 8 + key.len() + value.len().
    sm_payload_bytes: usize,
}

impl Replica {
    pub fn new(id: usize) -> Replica {
        Replica {
            id,
            log: ReplicaLog::default(),
            commit_index: 0,
            sm: BTreeMap::new(),
            sm_payload_bytes: 0,
        }
    }

    pub fn id(&self) -> usize {
        self.id
    }

    pub fn commit_index(&self) -> u64 {
        self.commit_index
    }

    pub fn key_count(&self) -> usize {
        self.sm.len()
    }

    pub fn get(&self, key: &[u8]) -> Option<&[u8]> {
        self.sm.get(key).map(|v| &v[..])
    }

    pub fn log(&self) -> &ReplicaLog {
        &self.log
    }

    /// The canonical snapshot of SPEC §4, written once into one buffer of the right size.
    pub fn dump_state(&self) -> Vec<u8> {
        encode_snapshot(
            self.commit_index,
            self.sm.len(),
            self.sm_payload_bytes,
            self.sm.iter().map(|(k, v)| (&k[..], &v[..])),
        )
    }

    /// Appends `op` at commit_index + 1, commits and applies it.
    pub fn append(&mut self, op: Rc<Op>) {
        self.apply(&op);
        self.log.append(op);
        self.commit_index += 1;
        self.check_invariant();
    }

    /// Receives the leader's entries after this replica's commit index (SPEC §3 propose step 3).
    pub fn catch_up_from(&mut self, leader_log: &ReplicaLog, leader_commit: u64) {
        assert!(
            self.commit_index <= leader_commit,
            "replica {} commit({}) > leader commit({})",
            self.id,
            self.commit_index,
            leader_commit
        );
        for i in self.commit_index + 1..=leader_commit {
            self.append(Rc::clone(leader_log.get(i)));
        }
    }

    /// SPEC §2: clears sm, takes the first `source_commit` entries of `source`, replays them.
    pub fn truncate_and_replay(&mut self, source: &ReplicaLog, source_commit: u64) {
        self.sm.clear();
        self.sm_payload_bytes = 0;
        self.log = source.prefix(source_commit);
        self.commit_index = source_commit;
        for i in 1..=source_commit {
            let op = Rc::clone(self.log.get(i));
            self.apply(&op);
        }
        self.check_invariant();
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::NoOp => {}
            Op::Put { key, value } => match self.sm.insert(Rc::clone(key), Rc::clone(value)) {
                Some(old) => {
                    self.sm_payload_bytes = self.sm_payload_bytes - old.len() + value.len()
                }
                None => self.sm_payload_bytes += 2 * SIZE_LENGTH_PREFIX + key.len() + value.len(),
            },
            Op::Del { key } => {
                if let Some(old) = self.sm.remove(&key[..]) {
                    self.sm_payload_bytes -= 2 * SIZE_LENGTH_PREFIX + key.len() + old.len();
                }
            }
        }
    }

    fn check_invariant(&self) {
        assert_eq!(
            self.log.size(),
            self.commit_index,
            "replica {}: log.size({}) != commit_index({})",
            self.id,
            self.log.size(),
            self.commit_index
        );
    }
}
