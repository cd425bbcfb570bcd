//! N replicas under a quorum, exactly as SPEC §3 says (Java: `Cluster`), on the representation
//! of docs/core-model.md: one mutable tip state at index L, frozen versions for the replicas a
//! partition leaves behind, catch-up by adopting a version, no log.

use super::op::Op;
use super::replica::{Replica, VersionRef};
use super::state_version::{Frozen, StateVersion, Tip};
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
    // The state after every committed op; tip.index is L, the history's length. Invariants
    // (docs/core-model.md): the leader holds it after every call; a replica is at index L iff it
    // holds it; every other replica holds a Frozen version below L.
    tip: Tip,
    // states[id] is what replica id holds (a replica is its id and its version: Java's
    // `Replica.state`). Replicas at one index hold one version object.
    states: Vec<StateVersion>,
    // Invariant: partitioned_count == number of true entries in partitioned.
    partitioned: Vec<bool>,
    partitioned_count: usize,
    // The leader is replica view mod N.
    view: u64,
    // True when the leader is reachable, every reachable replica holds the tip and no
    // partitioned replica does: propose is then a quorum test and one apply, whatever N is.
    // Recomputed by every call that can change it.
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
            tip: Tip::default(),
            states: vec![StateVersion::Tip; n],
            partitioned: vec![false; n],
            partitioned_count: 0,
            view: 0,
            settled: true,
        })
    }

    /// N, the number of replicas.
    pub fn size(&self) -> usize {
        self.states.len()
    }

    /// N / 2 + 1.
    pub fn quorum(&self) -> usize {
        self.states.len() / 2 + 1
    }

    /// The current view; the leader is view mod N.
    pub fn view(&self) -> u64 {
        self.view
    }

    /// The leader's id, view mod N. Pure: runs no leader check.
    pub fn leader(&self) -> usize {
        (self.view % self.states.len() as u64) as usize
    }

    /// The number of committed ops: the length of the one history, and the leader's commit
    /// index.
    pub fn committed(&self) -> u64 {
        self.tip.index
    }

    /// A read-only view of replica `id`.
    ///
    /// # Panics
    /// If `id >= size()`: a caller bug (the script runner checks ids first).
    pub fn replica(&self, id: usize) -> Replica<'_> {
        self.check_id(id);
        let version = match &self.states[id] {
            StateVersion::Tip => VersionRef::Tip(&self.tip),
            StateVersion::Frozen(f) => VersionRef::Frozen(f),
        };
        Replica { id, version }
    }

    /// # Panics
    /// If `id >= size()`.
    pub fn is_partitioned(&self, id: usize) -> bool {
        self.check_id(id);
        self.partitioned[id]
    }

    /// Makes the partitioned set exactly `ids` (repeats are fine). Changes no replica. An id ≥ N
    /// is an error that changes nothing.
    pub fn partition(&mut self, ids: &[u64]) -> Result<(), String> {
        for &id in ids {
            if id >= self.states.len() as u64 {
                return Err(format!(
                    "replica id {} out of range 0..{}",
                    id,
                    self.states.len() - 1
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

    /// Empties P, then brings every replica whose commit index differs from the leader's to the
    /// leader's state (SPEC §3 truncate_and_replay, by adopting the leader's version). Runs no
    /// leader check (docs/spec-notes.md N7).
    pub fn heal(&mut self) {
        self.partitioned.iter_mut().for_each(|p| *p = false);
        self.partitioned_count = 0;
        let leader = self.leader();
        self.check_leader_at_tip(leader);
        let leader_commit = self.commit_index(leader);
        for id in 0..self.states.len() {
            if self.commit_index(id) != leader_commit {
                self.adopt(id, self.states[leader].clone());
            }
        }
        self.settled = self.compute_settled();
    }

    /// SPEC §3 propose: leader check, quorum, catch-up, append on every reachable replica.
    pub fn propose(&mut self, op: Op) -> ProposeResult {
        if !self.admit() {
            return ProposeResult::Rejected;
        }
        self.tip.apply(&op);
        ProposeResult::Committed(self.tip.index)
    }

    /// Propose's steps 1–3 (leader check, quorum, catch-up, copy on diverge): may the op commit?
    fn admit(&mut self) -> bool {
        debug_assert!(self.aliases_hold(), "{}", self.alias_state());
        (self.settled || self.prepare_unsettled()) && self.reachable_count() >= self.quorum()
    }

    /// The steps of propose before the append when the cluster is not settled: the leader check,
    /// the quorum, catch-up of reachable replicas, and copy on diverge. False if the op is
    /// rejected.
    fn prepare_unsettled(&mut self) -> bool {
        if !self.leader_check() || self.reachable_count() < self.quorum() {
            self.settled = self.compute_settled();
            return false;
        }
        // Step 3: a reachable replica behind the leader receives the missing entries; its state
        // becomes the leader's, which is the tip.
        for id in 0..self.states.len() {
            if !self.partitioned[id] && !self.holds_tip(id) {
                self.adopt(id, StateVersion::Tip);
            }
        }
        // Copy on diverge: a partitioned replica at the tip stays at this index while the tip
        // moves on, so it keeps one frozen copy, shared by every replica in the same position.
        let mut frozen: Option<Rc<Frozen>> = None;
        for id in 0..self.states.len() {
            if self.partitioned[id] && self.holds_tip(id) {
                let f = frozen.get_or_insert_with(|| Rc::new(self.tip.freeze()));
                let f = StateVersion::Frozen(Rc::clone(f));
                self.adopt(id, f);
            }
        }
        // Every reachable replica now holds the tip and no partitioned one does: the append
        // advances exactly the reachable replicas.
        self.settled = self.compute_settled();
        true
    }

    /// SPEC §3 read: leader check, quorum, then the leader's value. Changes nothing else.
    pub fn read(&mut self, key: &[u8]) -> ReadResult {
        debug_assert!(self.aliases_hold(), "{}", self.alias_state());
        if !self.settled {
            let ok = self.leader_check();
            self.settled = self.compute_settled();
            if !ok {
                return ReadResult::Rejected;
            }
        }
        if self.reachable_count() < self.quorum() {
            return ReadResult::Rejected;
        }
        match self.replica(self.leader()).get(key) {
            Some(v) => ReadResult::Value(v.to_vec()),
            None => ReadResult::Missing,
        }
    }

    /// The cluster digest of SPEC §5: FNV-1a 64 over every replica's snapshot, in id order. Each
    /// distinct state is encoded once (its version caches the bytes) and hashed once per holder.
    pub fn digest(&self) -> u64 {
        (0..self.states.len()).fold(fnv1a64::OFFSET_BASIS, |h, id| {
            fnv1a64::update(h, self.replica(id).snapshot())
        })
    }

    /// Checks every invariant of the model (docs/core-model.md) and returns the broken one with
    /// the state printed: the cached aliases (`settled`, `partitioned_count`, the tip's payload
    /// bytes); a replica at the tip's index holds the tip and every other one a frozen version
    /// below it; a reachable leader holds the tip; at most N distinct versions, each at a
    /// distinct index. O(N + keys); the property tests call it after every step (whatever the
    /// build profile: `debug_assert!` is off under `--release`).
    pub fn check(&self) -> Result<(), String> {
        if !self.aliases_hold() {
            return Err(self.alias_state());
        }
        if self.tip.state.payload_bytes() != self.tip.state.recount_payload_bytes() {
            return Err(format!(
                "tip payload_bytes {} != {} recounted: {}",
                self.tip.state.payload_bytes(),
                self.tip.state.recount_payload_bytes(),
                self.alias_state()
            ));
        }
        let mut by_index: Vec<(u64, &StateVersion)> = Vec::new();
        for (id, v) in self.states.iter().enumerate() {
            let index = self.commit_index(id);
            if let StateVersion::Frozen(f) = v {
                if f.index >= self.tip.index {
                    return Err(format!(
                        "replica {} holds Frozen at {} with the tip at {}: {}",
                        id,
                        f.index,
                        self.tip.index,
                        self.alias_state()
                    ));
                }
                f.check()
                    .map_err(|e| format!("replica {}: {}: {}", id, e, self.alias_state()))?;
            }
            match by_index.iter().find(|(i, _)| *i == index) {
                Some((_, other)) if !same_version(other, v) => {
                    return Err(format!(
                        "two versions at index {} (replicas share a version per index): {}",
                        index,
                        self.alias_state()
                    ));
                }
                Some(_) => {}
                None => by_index.push((index, v)),
            }
        }
        Ok(())
    }

    /// How many distinct state versions the replicas hold (at most N; memory is bounded by it).
    pub fn distinct_states(&self) -> usize {
        let mut seen: Vec<&StateVersion> = Vec::new();
        for v in &self.states {
            if !seen.iter().any(|s| same_version(s, v)) {
                seen.push(v);
            }
        }
        seen.len()
    }

    /// Catch-up as SPEC §2's truncate_and_replay defines its result: replica `id`'s state
    /// becomes exactly `source`. The source's version is handed over, not replayed.
    fn adopt(&mut self, id: usize, source: StateVersion) {
        self.states[id] = source;
    }

    /// The leader check of SPEC §3. Returns false when the leader is cut off and no quorum is
    /// reachable (nothing changes); otherwise makes sure the leader is reachable, changing the
    /// view and catching the new leader up from the most complete reachable replica when needed.
    fn leader_check(&mut self) -> bool {
        if !self.partitioned[self.leader()] {
            self.check_leader_at_tip(self.leader());
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
        for id in 0..self.states.len() {
            // Strictly greater: the lowest id wins a tie.
            if !self.partitioned[id]
                && best.is_none_or(|b| self.commit_index(id) > self.commit_index(b))
            {
                best = Some(id);
            }
        }
        let best = best.expect("a quorum is reachable");
        if self.commit_index(best) > self.commit_index(leader) {
            self.adopt(leader, self.states[best].clone());
        }
        // Quorum intersection puts the most complete reachable replica at the tip
        // (docs/core-model.md).
        self.check_leader_at_tip(leader);
        true
    }

    /// The cached aliases agree with what they cache: `partitioned_count` with `partitioned`,
    /// `settled` with `compute_settled`, and the model's invariants hold (the leader, when
    /// reachable, at the tip; every replica at the tip's index holds the tip). O(N), for
    /// assertions.
    fn aliases_hold(&self) -> bool {
        let count = self.partitioned.iter().filter(|&&p| p).count();
        let tip_iff_at_l = (0..self.states.len())
            .all(|id| (self.commit_index(id) == self.tip.index) == self.holds_tip(id));
        count == self.partitioned_count
            && self.settled == self.compute_settled()
            && tip_iff_at_l
            && (self.partitioned[self.leader()] || self.holds_tip(self.leader()))
    }

    /// The state an alias assertion prints.
    fn alias_state(&self) -> String {
        let mut s = format!(
            "cluster aliases broken: settled={} (computed {}), partitioned_count={}, view={}, tip={}, replicas",
            self.settled,
            self.compute_settled(),
            self.partitioned_count,
            self.view,
            self.tip.index
        );
        for id in 0..self.states.len() {
            s.push_str(&format!(
                " {}{}@{}{}",
                id,
                if self.partitioned[id] { "(cut)" } else { "" },
                self.commit_index(id),
                if self.holds_tip(id) { "=tip" } else { "" }
            ));
        }
        s
    }

    fn compute_settled(&self) -> bool {
        !self.partitioned[self.leader()]
            && (0..self.states.len()).all(|id| self.partitioned[id] != self.holds_tip(id))
    }

    fn check_leader_at_tip(&self, leader: usize) {
        assert!(
            self.holds_tip(leader),
            "leader {} commit({}) is not at the tip({})",
            leader,
            self.commit_index(leader),
            self.tip.index
        );
    }

    fn holds_tip(&self, id: usize) -> bool {
        matches!(self.states[id], StateVersion::Tip)
    }

    fn commit_index(&self, id: usize) -> u64 {
        match &self.states[id] {
            StateVersion::Tip => self.tip.index,
            StateVersion::Frozen(f) => f.index,
        }
    }

    fn reachable_count(&self) -> usize {
        self.states.len() - self.partitioned_count
    }

    fn check_id(&self, id: usize) {
        assert!(
            id < self.states.len(),
            "replica id {} out of range 0..{}",
            id,
            self.states.len() - 1
        );
    }
}

/// Whether two holders hold one version object (the tip is one object).
fn same_version(a: &StateVersion, b: &StateVersion) -> bool {
    match (a, b) {
        (StateVersion::Tip, StateVersion::Tip) => true,
        (StateVersion::Frozen(x), StateVersion::Frozen(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_a_broken_invariant() {
        // check() must be able to fail: a replica made to hold a version from elsewhere breaks
        // "a replica at the tip's index holds the tip".
        let mut c = Cluster::new(3).unwrap();
        c.propose(Op::put(b"a", b"1").unwrap());
        assert_eq!(c.check(), Ok(()));
        let stray = StateVersion::Frozen(Rc::new(c.tip.freeze()));
        c.adopt(2, stray);
        let e = c.check().unwrap_err();
        assert!(e.contains("replicas 0@1=tip 1@1=tip 2@1"), "{}", e);
    }

    #[test]
    fn check_names_two_versions_at_one_index() {
        let mut c = Cluster::new(5).unwrap();
        c.partition(&[3, 4]).unwrap();
        c.propose(Op::noop());
        assert_eq!(c.check(), Ok(()));
        let stray = StateVersion::Frozen(Rc::new(Cluster::new(1).unwrap().tip.freeze()));
        c.adopt(4, stray);
        let e = c.check().unwrap_err();
        assert!(e.starts_with("two versions at index 0"), "{}", e);
    }
}
