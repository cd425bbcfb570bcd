//! N replicas under a quorum, exactly as SPEC §3 says (Java: `Cluster`).

use super::op::Op;
use super::replica::Replica;
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
    replicas: Vec<Replica>,
    // Invariant: partitioned_count == number of true entries in partitioned.
    partitioned: Vec<bool>,
    partitioned_count: usize,
    // The leader is replica view mod N.
    view: u64,
}

/// `(&mut replicas[a], &replicas[b])` for a != b.
fn pair(replicas: &mut [Replica], a: usize, b: usize) -> (&mut Replica, &Replica) {
    assert_ne!(a, b);
    if a < b {
        let (lo, hi) = replicas.split_at_mut(b);
        (&mut lo[a], &hi[0])
    } else {
        let (lo, hi) = replicas.split_at_mut(a);
        (&mut hi[0], &lo[b])
    }
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
            replicas: (0..n).map(Replica::new).collect(),
            partitioned: vec![false; n],
            partitioned_count: 0,
            view: 0,
        })
    }

    pub fn size(&self) -> usize {
        self.replicas.len()
    }

    pub fn quorum(&self) -> usize {
        self.replicas.len() / 2 + 1
    }

    pub fn view(&self) -> u64 {
        self.view
    }

    /// The leader's id, view mod N. Pure: runs no leader check.
    pub fn leader(&self) -> usize {
        (self.view % self.replicas.len() as u64) as usize
    }

    pub fn replica(&self, id: usize) -> &Replica {
        &self.replicas[id]
    }

    pub fn is_partitioned(&self, id: usize) -> bool {
        self.partitioned[id]
    }

    fn check_id(&self, id: u64) -> Result<usize, String> {
        if id >= self.replicas.len() as u64 {
            return Err(format!(
                "replica id {} out of range 0..{}",
                id,
                self.replicas.len() - 1
            ));
        }
        Ok(id as usize)
    }

    /// The partitioned set becomes exactly `ids`; an id ≥ N is an error that changes nothing.
    pub fn partition(&mut self, ids: &[u64]) -> Result<(), String> {
        for &id in ids {
            self.check_id(id)?;
        }
        self.partitioned.iter_mut().for_each(|p| *p = false);
        for &id in ids {
            self.partitioned[id as usize] = true;
        }
        self.partitioned_count = self.partitioned.iter().filter(|&&p| p).count();
        Ok(())
    }

    /// Empties P, then catches every replica whose commit index differs from the leader's up
    /// with truncate_and_replay. No leader check (spec-notes N7).
    pub fn heal(&mut self) {
        self.partitioned.iter_mut().for_each(|p| *p = false);
        self.partitioned_count = 0;
        let leader = self.leader();
        for id in 0..self.replicas.len() {
            if id != leader
                && self.replicas[id].commit_index() != self.replicas[leader].commit_index()
            {
                let (r, l) = pair(&mut self.replicas, id, leader);
                r.truncate_and_replay(l.log(), l.commit_index());
            }
        }
    }

    /// SPEC §3 propose.
    pub fn propose(&mut self, op: Op) -> ProposeResult {
        if !self.leader_check() || self.reachable_count() < self.quorum() {
            return ProposeResult::Rejected;
        }
        let leader = self.leader();
        let leader_commit = self.replicas[leader].commit_index();
        for id in 0..self.replicas.len() {
            if !self.partitioned[id]
                && id != leader
                && self.replicas[id].commit_index() < leader_commit
            {
                let (r, l) = pair(&mut self.replicas, id, leader);
                r.catch_up_from(l.log(), leader_commit);
            }
        }
        let op = Rc::new(op);
        for id in 0..self.replicas.len() {
            if !self.partitioned[id] {
                assert_eq!(
                    self.replicas[id].commit_index(),
                    leader_commit,
                    "replica {} commit != leader {} commit before append",
                    id,
                    leader
                );
                self.replicas[id].append(Rc::clone(&op));
            }
        }
        ProposeResult::Committed(leader_commit + 1)
    }

    /// SPEC §3 read.
    pub fn read(&mut self, key: &[u8]) -> ReadResult {
        if !self.leader_check() || self.reachable_count() < self.quorum() {
            return ReadResult::Rejected;
        }
        match self.replicas[self.leader()].get(key) {
            Some(v) => ReadResult::Value(v.to_vec()),
            None => ReadResult::Missing,
        }
    }

    /// FNV-1a 64 over every replica's snapshot in id order (SPEC §5).
    pub fn digest(&self) -> u64 {
        self.replicas.iter().fold(fnv1a64::OFFSET_BASIS, |h, r| {
            fnv1a64::update(h, &r.dump_state())
        })
    }

    /// The leader check of SPEC §3: false when the leader is cut off without a quorum.
    fn leader_check(&mut self) -> bool {
        if !self.partitioned[self.leader()] {
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
        for id in 0..self.replicas.len() {
            // Strictly greater: the lowest id wins a tie.
            let better = match best {
                None => true,
                Some(b) => self.replicas[id].commit_index() > self.replicas[b].commit_index(),
            };
            if !self.partitioned[id] && better {
                best = Some(id);
            }
        }
        let best = best.expect("a quorum is reachable");
        if self.replicas[best].commit_index() > self.replicas[leader].commit_index() {
            let (l, b) = pair(&mut self.replicas, leader, best);
            l.truncate_and_replay(b.log(), b.commit_index());
        }
        true
    }

    fn reachable_count(&self) -> usize {
        self.replicas.len() - self.partitioned_count
    }
}
