//! One replica of SPEC §2 as the outside sees it (Java: `Replica`). A replica is `(id, state
//! version)` and its commit index is its version's index; there is no log (docs/core-model.md:
//! every catch-up goes to the tip, so no entry is needed after it is applied once).
//!
//! `Replica` is a read-only view lent by [`Cluster::replica`](super::Cluster::replica): it has
//! no mutators, and what it hands out is immutable (`Rc<[u8]>`) or a copy.

use super::op::Bytes;
use super::state_version::{Frozen, Tip};

#[derive(Debug, Clone, Copy)]
pub(crate) enum VersionRef<'a> {
    Tip(&'a Tip),
    Frozen(&'a Frozen),
}

#[derive(Debug, Clone, Copy)]
pub struct Replica<'a> {
    pub(crate) id: usize,
    pub(crate) version: VersionRef<'a>,
}

impl<'a> Replica<'a> {
    pub fn id(&self) -> usize {
        self.id
    }

    pub fn commit_index(&self) -> u64 {
        match self.version {
            VersionRef::Tip(t) => t.index,
            VersionRef::Frozen(f) => f.index,
        }
    }

    /// The number of keys in the state machine.
    pub fn key_count(&self) -> usize {
        match self.version {
            VersionRef::Tip(t) => t.state.len(),
            VersionRef::Frozen(f) => f.len(),
        }
    }

    /// The value of `key` in this replica's state machine (immutable, shared).
    pub fn get(&self, key: &[u8]) -> Option<Bytes> {
        match self.version {
            VersionRef::Tip(t) => t.state.get(key),
            VersionRef::Frozen(f) => f.get(key),
        }
        .cloned()
    }

    /// The canonical snapshot of SPEC §4. Immutable: the cluster caches it per state version
    /// and drops its own reference when that state changes; nobody can write through it.
    pub fn dump_state(&self) -> Bytes {
        Bytes::clone(self.snapshot())
    }

    pub(crate) fn snapshot(&self) -> &'a Bytes {
        match self.version {
            VersionRef::Tip(t) => t.snapshot(),
            VersionRef::Frozen(f) => f.snapshot(),
        }
    }

    /// Whether the two replicas hold the same state version object (not merely equal states).
    pub fn shares_state_with(&self, other: &Replica<'_>) -> bool {
        match (self.version, other.version) {
            (VersionRef::Tip(a), VersionRef::Tip(b)) => std::ptr::eq(a, b),
            (VersionRef::Frozen(a), VersionRef::Frozen(b)) => std::ptr::eq(a, b),
            _ => false,
        }
    }
}
