//! N replicas under a quorum, exactly as SPEC §3 says (Java: `Cluster`), on the representation
//! of docs/core-model.md: one mutable tip state at index L, frozen versions for the replicas a
//! partition leaves behind, catch-up by adopting a version, no log.

use super::op::Op;
use super::replica::{Replica, VersionRef};
use super::state_version::{FrozenState, StateVersion, TipState};
use crate::wire::fnv1a64;
use std::rc::Rc;

pub const MIN_SIZE: usize = 1;
pub const MAX_SIZE: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposeResult {
    Committed(u64),
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadResult {
    Value(Vec<u8>),
    Missing,
    Rejected,
}

#[derive(Debug)]
pub struct Cluster {
    // The state after every committed op; tip.index is L. Every replica at index L holds it.
    tip: TipState,
    // versions[id] is what replica id holds. Invariants: a Frozen version's index is < L;
    // replicas at one index hold one version object (a freeze is shared by all it is made for).
    versions: Vec<StateVersion>,
    // Invariant: partitioned_count == number of true entries in partitioned.
    partitioned: Vec<bool>,
    partitioned_count: usize,
    // The leader is replica view mod N. Invariant: its commit index is L after every call.
    view: u64,
    // Invariant: settled == (the leader is reachable, |R| >= quorum, every reachable replica
    // holds the tip and no partitioned one does). Then propose steps 1-3 and the freeze before
    // the apply have nothing to do, so a propose is one apply to the tip whatever N is.
    // Recomputed on partition, heal and after every slow-path propose.
    settled: bool,
}

impl Cluster {
    /// A cluster of `n` new replicas, view 0, no partition.
    pub fn new(n: usize) -> Result<Cluster, String> {
        if !(MIN_SIZE..=MAX_SIZE).contains(&n) {
            return Err(format!(
                "cluster size {} out of range {}..{}",
                n, MIN_SIZE, MAX_SIZE
            ));
        }
        Ok(Cluster {
            tip: TipState::default(),
            versions: vec![StateVersion::Tip; n],
            partitioned: vec![false; n],
            partitioned_count: 0,
            view: 0,
            settled: true,
        })
    }

    pub fn size(&self) -> usize {
        self.versions.len()
    }

    pub fn quorum(&self) -> usize {
        self.versions.len() / 2 + 1
    }

    pub fn view(&self) -> u64 {
        self.view
    }

    /// The leader's id, view mod N. Pure: runs no leader check.
    pub fn leader(&self) -> usize {
        (self.view % self.versions.len() as u64) as usize
    }

    /// A read-only view of replica `id`.
    ///
    /// # Panics
    /// If `id >= size()`: a caller bug (the script runner checks ids first).
    pub fn replica(&self, id: usize) -> Replica<'_> {
        self.assert_id(id);
        let version = match &self.versions[id] {
            StateVersion::Tip => VersionRef::Tip(&self.tip),
            StateVersion::Frozen(f) => VersionRef::Frozen(f),
        };
        Replica { id, version }
    }

    /// # Panics
    /// If `id >= size()`.
    pub fn is_partitioned(&self, id: usize) -> bool {
        self.assert_id(id);
        self.partitioned[id]
    }

    /// How many distinct state versions the replicas hold (the tip counts once): the memory the
    /// cluster keeps is the key space times this, whatever the number of ops.
    pub fn distinct_versions(&self) -> usize {
        let mut seen: Vec<*const FrozenState> = Vec::new();
        let mut tip = 0;
        for v in &self.versions {
            match v {
                StateVersion::Tip => tip = 1,
                StateVersion::Frozen(f) => {
                    if !seen.contains(&Rc::as_ptr(f)) {
                        seen.push(Rc::as_ptr(f));
                    }
                }
            }
        }
        tip + seen.len()
    }

    fn assert_id(&self, id: usize) {
        assert!(
            id < self.versions.len(),
            "replica id {} out of range 0..{}",
            id,
            self.versions.len() - 1
        );
    }

    fn commit_index(&self, id: usize) -> u64 {
        match &self.versions[id] {
            StateVersion::Tip => self.tip.index,
            StateVersion::Frozen(f) => f.index,
        }
    }

    /// The partitioned set becomes exactly `ids`; an id ≥ N is an error that changes nothing.
    pub fn partition(&mut self, ids: &[u64]) -> Result<(), String> {
        for &id in ids {
            if id >= self.versions.len() as u64 {
                return Err(format!(
                    "replica id {} out of range 0..{}",
                    id,
                    self.versions.len() - 1
                ));
            }
        }
        self.partitioned.iter_mut().for_each(|p| *p = false);
        for &id in ids {
            self.partitioned[id as usize] = true;
        }
        self.partitioned_count = self.partitioned.iter().filter(|&&p| p).count();
        self.settled = self.compute_settled();
        Ok(())
    }

    /// Empties P, then every replica whose commit index differs from the leader's adopts the
    /// leader's state (SPEC's truncate_and_replay, observably). No leader check (spec-notes N7).
    pub fn heal(&mut self) {
        self.partitioned.iter_mut().for_each(|p| *p = false);
        self.partitioned_count = 0;
        let leader = self.leader();
        let leader_commit = self.commit_index(leader);
        for id in 0..self.versions.len() {
            if self.commit_index(id) != leader_commit {
                self.versions[id] = self.versions[leader].clone();
            }
        }
        self.assert_leader_at_tip("heal");
        self.settled = self.compute_settled();
        debug_assert!(self.settled, "not settled after heal");
    }

    /// SPEC §3 propose.
    pub fn propose(&mut self, op: Op) -> ProposeResult {
        if self.settled {
            self.tip.apply(&op);
            return ProposeResult::Committed(self.tip.index);
        }
        if !self.leader_check() || self.reachable_count() < self.quorum() {
            return ProposeResult::Rejected;
        }
        let leader_commit = self.tip.index;
        // Step 3: a reachable replica below the leader (who is at the tip) adopts the tip.
        for id in 0..self.versions.len() {
            if !self.partitioned[id] && self.commit_index(id) < leader_commit {
                self.versions[id] = StateVersion::Tip;
            }
        }
        // Copy on diverge: the partitioned replicas still at the tip keep its present state,
        // one freeze shared by all of them.
        let mut frozen: Option<Rc<FrozenState>> = None;
        for id in 0..self.versions.len() {
            if self.partitioned[id] && matches!(self.versions[id], StateVersion::Tip) {
                let f = frozen.get_or_insert_with(|| Rc::new(self.tip.freeze()));
                self.versions[id] = StateVersion::Frozen(Rc::clone(f));
            }
        }
        self.tip.apply(&op);
        // Only a propose that finds the cluster unsettled gets here (in practice the first one
        // after a partition change), so an O(N) check costs nothing per op.
        for (id, v) in self.versions.iter().enumerate() {
            if let StateVersion::Frozen(f) = v {
                assert!(
                    f.index < self.tip.index && self.partitioned[id],
                    "replica {} frozen at {} (partitioned={}) with the tip at {}",
                    id,
                    f.index,
                    self.partitioned[id],
                    self.tip.index
                );
            }
        }
        self.settled = self.compute_settled();
        ProposeResult::Committed(self.tip.index)
    }

    /// SPEC §3 read.
    pub fn read(&mut self, key: &[u8]) -> ReadResult {
        if !self.settled && (!self.leader_check() || self.reachable_count() < self.quorum()) {
            return ReadResult::Rejected;
        }
        match self.replica(self.leader()).get(key) {
            Some(v) => ReadResult::Value(v.to_vec()),
            None => ReadResult::Missing,
        }
    }

    /// FNV-1a 64 over every replica's snapshot in id order (SPEC §5); each distinct state is
    /// encoded once, its bytes hashed once per replica that holds it.
    pub fn digest(&self) -> u64 {
        (0..self.versions.len()).fold(fnv1a64::OFFSET_BASIS, |h, id| {
            fnv1a64::update(h, self.replica(id).snapshot())
        })
    }

    /// The leader check of SPEC §3: false when the leader is cut off without a quorum.
    fn leader_check(&mut self) -> bool {
        if !self.partitioned[self.leader()] {
            self.assert_leader_at_tip("leader check");
            return true;
        }
        if self.reachable_count() < self.quorum() {
            return false;
        }
        loop {
            self.view = self.view.wrapping_add(1);
            if !self.partitioned[self.leader()] {
                break;
            }
        }
        let leader = self.leader();
        let mut best: Option<usize> = None;
        for id in 0..self.versions.len() {
            // Strictly greater: the lowest id wins a tie.
            if !self.partitioned[id]
                && best.is_none_or(|b| self.commit_index(id) > self.commit_index(b))
            {
                best = Some(id);
            }
        }
        let best = best.expect("a quorum is reachable");
        if self.commit_index(best) > self.commit_index(leader) {
            self.versions[leader] = self.versions[best].clone();
        }
        self.assert_leader_at_tip("view change");
        true
    }

    fn assert_leader_at_tip(&self, after: &str) {
        let leader = self.leader();
        assert!(
            self.commit_index(leader) == self.tip.index,
            "after {}: leader {} commit({}) != tip({})",
            after,
            leader,
            self.commit_index(leader),
            self.tip.index
        );
    }

    fn compute_settled(&self) -> bool {
        !self.partitioned[self.leader()]
            && self.reachable_count() >= self.quorum()
            && self
                .versions
                .iter()
                .zip(&self.partitioned)
                .all(|(v, &p)| matches!(v, StateVersion::Tip) != p)
    }

    fn reachable_count(&self) -> usize {
        self.versions.len() - self.partitioned_count
    }
}
