//! The shared-state representation (docs/core-model.md) against SPEC §2–3 followed literally:
//! a reference model with a log and a sorted map per replica, replaying on every catch-up.
//! Plus the representation's own promises: one version per index, frozen snapshots that do not
//! move, memory bounded by the number of distinct states.

use db20::core::{Cluster, KvState, Op, OpKind, ProposeResult, ReadResult};
use db20::wire::SnapshotState;
use db20::workload::{SplitMix64, Workload};
use std::collections::{BTreeMap, BTreeSet};

/// SPEC §2–3 word for word: every replica has its own log and map.
struct Reference {
    logs: Vec<Vec<Op>>,
    sms: Vec<BTreeMap<Vec<u8>, Vec<u8>>>,
    partitioned: Vec<bool>,
    view: u64,
}

impl Reference {
    fn new(n: usize) -> Reference {
        Reference {
            logs: vec![Vec::new(); n],
            sms: vec![BTreeMap::new(); n],
            partitioned: vec![false; n],
            view: 0,
        }
    }
    fn n(&self) -> usize {
        self.logs.len()
    }
    fn leader(&self) -> usize {
        (self.view % self.n() as u64) as usize
    }
    fn reachable(&self) -> usize {
        self.partitioned.iter().filter(|&&p| !p).count()
    }
    fn quorum(&self) -> usize {
        self.n() / 2 + 1
    }
    fn apply(sm: &mut BTreeMap<Vec<u8>, Vec<u8>>, op: &Op) {
        match op.kind() {
            OpKind::NoOp => {}
            OpKind::Put => {
                sm.insert(op.key().unwrap().to_vec(), op.value().unwrap().to_vec());
            }
            OpKind::Del => {
                sm.remove(op.key().unwrap());
            }
        }
    }
    fn truncate_and_replay(&mut self, id: usize, source: usize) {
        let log = self.logs[source].clone();
        self.sms[id].clear();
        for op in &log {
            Reference::apply(&mut self.sms[id], op);
        }
        self.logs[id] = log;
    }
    fn leader_check(&mut self) -> bool {
        if !self.partitioned[self.leader()] {
            return true;
        }
        if self.reachable() < self.quorum() {
            return false;
        }
        loop {
            self.view += 1;
            if !self.partitioned[self.leader()] {
                break;
            }
        }
        let best = (0..self.n())
            .filter(|&i| !self.partitioned[i])
            .fold(None, |b: Option<usize>, i| match b {
                Some(b) if self.logs[i].len() <= self.logs[b].len() => Some(b),
                _ => Some(i),
            })
            .unwrap();
        let l = self.leader();
        if self.logs[best].len() > self.logs[l].len() {
            self.truncate_and_replay(l, best);
        }
        true
    }
    fn propose(&mut self, op: Op) -> ProposeResult {
        if !self.leader_check() || self.reachable() < self.quorum() {
            return ProposeResult::Rejected;
        }
        let l = self.leader();
        for id in 0..self.n() {
            if !self.partitioned[id] && self.logs[id].len() < self.logs[l].len() {
                let missing = self.logs[l][self.logs[id].len()..].to_vec();
                for op in missing {
                    Reference::apply(&mut self.sms[id], &op);
                    self.logs[id].push(op);
                }
            }
        }
        for id in 0..self.n() {
            if !self.partitioned[id] {
                Reference::apply(&mut self.sms[id], &op);
                self.logs[id].push(op.clone());
            }
        }
        ProposeResult::Committed(self.logs[l].len() as u64)
    }
    fn read(&mut self, key: &[u8]) -> ReadResult {
        if !self.leader_check() || self.reachable() < self.quorum() {
            return ReadResult::Rejected;
        }
        match self.sms[self.leader()].get(key) {
            Some(v) => ReadResult::Value(v.clone()),
            None => ReadResult::Missing,
        }
    }
    fn heal(&mut self) {
        self.partitioned.iter_mut().for_each(|p| *p = false);
        let l = self.leader();
        for id in 0..self.n() {
            if self.logs[id].len() != self.logs[l].len() {
                self.truncate_and_replay(id, l);
            }
        }
    }
    fn snapshot(&self, id: usize) -> Vec<u8> {
        SnapshotState {
            commit_index: self.logs[id].len() as u64,
            entries: self.sms[id]
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
        .encode()
    }
}

fn assert_same(c: &Cluster, r: &Reference, step: usize) {
    assert_eq!(
        (c.view(), c.leader()),
        (r.view, r.leader()),
        "step {}",
        step
    );
    let mut indexes = BTreeSet::new();
    for id in 0..c.size() {
        let rep = c.replica(id);
        assert_eq!(
            rep.commit_index(),
            r.logs[id].len() as u64,
            "step {} replica {}",
            step,
            id
        );
        assert_eq!(
            rep.key_count(),
            r.sms[id].len(),
            "step {} replica {}",
            step,
            id
        );
        assert_eq!(
            &rep.dump_state()[..],
            &r.snapshot(id)[..],
            "step {} replica {}",
            step,
            id
        );
        assert_eq!(c.is_partitioned(id), r.partitioned[id]);
        indexes.insert(rep.commit_index());
        for other in 0..c.size() {
            let same_index = rep.commit_index() == c.replica(other).commit_index();
            assert_eq!(
                rep.shares_state_with(&c.replica(other)),
                same_index,
                "step {}: replicas {} and {} at one index must share one version",
                step,
                id,
                other
            );
        }
    }
    assert_eq!(c.distinct_versions(), indexes.len(), "step {}", step);
}

#[test]
fn random_histories_match_the_literal_reference_model() {
    let mut g = SplitMix64::new(0xdb20);
    for round in 0..60 {
        let n = 1 + (g.next() % 7) as usize;
        let mut c = Cluster::new(n).unwrap();
        let mut r = Reference::new(n);
        let mut w = Workload::new(round, 1 + g.next() % 12);
        for step in 0..150 {
            match g.next() % 10 {
                0 => {
                    let ids: Vec<u64> = (0..g.next() % (n as u64 + 1))
                        .map(|_| g.next() % n as u64)
                        .collect();
                    c.partition(&ids).unwrap();
                    r.partitioned.iter_mut().for_each(|p| *p = false);
                    ids.iter().for_each(|&i| r.partitioned[i as usize] = true);
                }
                1 => {
                    c.heal();
                    r.heal();
                }
                2 => {
                    let key = format!("k{}", g.next() % 12);
                    assert_eq!(
                        c.read(key.as_bytes()),
                        r.read(key.as_bytes()),
                        "step {}",
                        step
                    );
                }
                3 => assert_eq!(c.propose(Op::noop()), r.propose(Op::noop())),
                _ => {
                    let op = w.next_op();
                    assert_eq!(c.propose(op.clone()), r.propose(op), "step {}", step);
                }
            }
            assert_same(&c, &r, step);
        }
    }
}

#[test]
fn a_partitioned_replica_keeps_its_snapshot_while_the_tip_moves_on() {
    let mut c = Cluster::new(5).unwrap();
    let mut w = Workload::new(3, 50);
    for _ in 0..200 {
        c.propose(w.next_op());
    }
    let before = c.replica(4).dump_state().to_vec();
    c.partition(&[3, 4]).unwrap();
    for _ in 0..500 {
        c.propose(w.next_op());
        assert_eq!(&c.replica(4).dump_state()[..], &before[..]);
    }
    assert_eq!(c.replica(0).commit_index(), 700);
    assert_ne!(&c.replica(0).dump_state()[..], &before[..]);
    assert!(c.replica(3).shares_state_with(&c.replica(4)));
    assert!(!c.replica(0).shares_state_with(&c.replica(4)));
    c.heal();
    assert_eq!(c.replica(4).dump_state(), c.replica(0).dump_state());
    assert!(c.replica(0).shares_state_with(&c.replica(4)));
}

#[test]
fn memory_does_not_grow_with_ops() {
    let mut c = Cluster::new(7).unwrap();
    let mut w = Workload::new(11, 64);
    let mut g = SplitMix64::new(5);
    for round in 0..200 {
        let ids: Vec<u64> = (0..g.next() % 4).map(|_| g.next() % 7).collect();
        c.partition(&ids).unwrap();
        for _ in 0..50 {
            c.propose(w.next_op());
        }
        let indexes: BTreeSet<u64> = (0..7).map(|id| c.replica(id).commit_index()).collect();
        assert!(
            c.distinct_versions() <= indexes.len(),
            "round {}: {} versions for {} indexes",
            round,
            c.distinct_versions(),
            indexes.len()
        );
        if round % 10 == 9 {
            c.heal();
            assert_eq!(c.distinct_versions(), 1, "round {}", round);
        }
    }
}

#[test]
fn kv_state_payload_bytes_track_every_apply() {
    let mut s = KvState::new();
    let mut w = Workload::new(1, 40);
    for i in 0..3000 {
        s.apply(&w.next_op());
        if i % 7 == 0 {
            s.apply(&Op::put(b"long-key", &[7u8; 300]).unwrap());
        }
        assert_eq!(s.payload_bytes(), s.recount_payload_bytes(), "op {}", i);
    }
    s.apply(&Op::del(b"long-key").unwrap());
    assert_eq!(s.payload_bytes(), s.recount_payload_bytes());
    assert_eq!(s.get(b"long-key"), None);
}

#[test]
fn a_huge_op_count_runs_through_the_fast_path_in_constant_memory() {
    // Settled: no partition, everyone at the tip; each propose is one apply.
    let mut c = Cluster::new(255).unwrap();
    let mut w = Workload::new(0, 16);
    for _ in 0..200_000 {
        c.propose(w.next_op());
    }
    assert_eq!(c.replica(254).commit_index(), 200_000);
    assert_eq!(c.distinct_versions(), 1);
    assert!(w.cached_keys() <= 16);
}
