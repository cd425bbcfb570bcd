//! What a replica points at (docs/core-model.md): the tip, the one mutable state at index L
//! shared by every replica at L, or a frozen version left behind by a partition.

use super::kv_state::KvState;
use super::op::{Bytes, Op};
use crate::wire::encode_snapshot;
use crate::wire::snapshot_format::{MIN_SNAPSHOT_SIZE, SIZE_LENGTH_PREFIX};
use std::cell::OnceCell;
use std::rc::Rc;

/// The state after the whole history `H[1..L]`.
#[derive(Debug, Default)]
pub(crate) struct Tip {
    pub(crate) state: KvState,
    // L: the number of committed ops in the cluster.
    pub(crate) index: u64,
    // The canonical snapshot of (index, state), made on first demand and dropped by apply,
    // so a digest encodes the tip once however many replicas hold it.
    snapshot: OnceCell<Bytes>,
}

impl Tip {
    pub(crate) fn apply(&mut self, op: &Op) {
        self.snapshot.take();
        self.state.apply(op);
        self.index += 1;
    }

    pub(crate) fn snapshot(&self) -> &Bytes {
        self.snapshot.get_or_init(|| {
            let mut entries: Vec<(&Bytes, &Bytes)> = self.state_entries();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            Bytes::from(encode_snapshot(
                self.index,
                entries.len(),
                self.state.payload_bytes(),
                entries.into_iter().map(|(k, v)| (&k[..], &v[..])),
            ))
        })
    }

    fn state_entries(&self) -> Vec<(&Bytes, &Bytes)> {
        self.state.iter().collect()
    }

    /// An immutable copy of the tip as it stands: one sort, two references per entry. The
    /// snapshot, when already made, is the same bytes and is shared.
    pub(crate) fn freeze(&self) -> Frozen {
        let snapshot = OnceCell::new();
        if let Some(s) = self.snapshot.get() {
            let _ = snapshot.set(Bytes::clone(s));
        }
        Frozen {
            index: self.index,
            entries: self.state.sorted_entries(),
            payload_bytes: self.state.payload_bytes(),
            snapshot,
        }
    }
}

/// The state after `H[1..index]`, kept for the replicas a partition left behind.
#[derive(Debug)]
pub(crate) struct Frozen {
    // Invariant: index < the tip's index for as long as a replica holds this version.
    pub(crate) index: u64,
    // Invariant: strictly increasing keys (snapshot order); bytes shared with the tip.
    entries: Vec<(Bytes, Bytes)>,
    payload_bytes: usize,
    snapshot: OnceCell<Bytes>,
}

impl Frozen {
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Bytes> {
        self.entries
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The version's own invariants: keys strictly increasing, `payload_bytes` their sum, the
    /// cached snapshot (if made) of that size. O(keys), for `Cluster::check`.
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(w) = self.entries.windows(2).find(|w| w[0].0 >= w[1].0) {
            return Err(format!("frozen keys out of order at {:?}", &w[1].0[..]));
        }
        let sum: usize = self
            .entries
            .iter()
            .map(|(k, v)| 2 * SIZE_LENGTH_PREFIX + k.len() + v.len())
            .sum();
        if sum != self.payload_bytes {
            return Err(format!(
                "frozen payload_bytes {} != {} recounted",
                self.payload_bytes, sum
            ));
        }
        match self.snapshot.get() {
            Some(s) if s.len() != MIN_SNAPSHOT_SIZE + sum => Err(format!(
                "frozen snapshot of {} bytes for payload {}",
                s.len(),
                sum
            )),
            _ => Ok(()),
        }
    }

    pub(crate) fn snapshot(&self) -> &Bytes {
        self.snapshot.get_or_init(|| {
            Bytes::from(encode_snapshot(
                self.index,
                self.entries.len(),
                self.payload_bytes,
                self.entries.iter().map(|(k, v)| (&k[..], &v[..])),
            ))
        })
    }
}

/// What one replica holds. Adopting another replica's state is a clone of this: no replay.
#[derive(Debug, Clone)]
pub(crate) enum StateVersion {
    Tip,
    Frozen(Rc<Frozen>),
}
