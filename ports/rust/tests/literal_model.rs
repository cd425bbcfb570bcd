//! The model against SPEC §2–3 read literally, step by step (Java: `LiteralModelTest`).
//! [`Literal`] keeps a log per replica and a state machine per replica, catches a replica up by
//! copying the missing entries and applying them, and heals with truncate_and_replay (clear,
//! copy the log, replay it): none of the model's shared versions, frozen copies or cached flags.
//! Random schedules of puts, deletes, no-ops, reads, partitions of any subset (invalid ids
//! included) and heals drive both; after every step every result, every replica's commit index
//! and snapshot bytes, the view and the leader must agree, and `Cluster::check` must pass (it
//! runs in every profile, unlike the `debug_assert!`s). The same test exists in every port
//! (ports/README.md).

use db20::core::{Cluster, Op, OpKind, ProposeResult, ReadResult};
use db20::wire::SnapshotState;
use db20::workload::SplitMix64;
use std::collections::BTreeMap;

/// `DB20_LITERAL_SCHEDULES` overrides the number of schedules (Java: `db20.literal.schedules`).
fn schedules() -> u64 {
    std::env::var("DB20_LITERAL_SCHEDULES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3_000)
}

/// SPEC §2–3 as written: replicas with logs and state machines, a partitioned set, a view.
struct Literal {
    logs: Vec<Vec<Op>>,
    sms: Vec<BTreeMap<Vec<u8>, Vec<u8>>>,
    partitioned: Vec<bool>,
    view: u64,
}

impl Literal {
    fn new(n: usize) -> Literal {
        Literal {
            logs: vec![Vec::new(); n],
            sms: vec![BTreeMap::new(); n],
            partitioned: vec![false; n],
            view: 0,
        }
    }

    fn n(&self) -> usize {
        self.partitioned.len()
    }

    fn leader(&self) -> usize {
        (self.view % self.n() as u64) as usize
    }

    fn quorum(&self) -> bool {
        self.partitioned.iter().filter(|&&p| !p).count() > self.n() / 2
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

    /// Appends the entries `to` lacks from `from`'s log and applies them.
    fn catch_up(&mut self, to: usize, from: usize) {
        for i in self.logs[to].len()..self.logs[from].len() {
            let op = self.logs[from][i].clone();
            Literal::apply(&mut self.sms[to], &op);
            self.logs[to].push(op);
        }
    }

    fn leader_check(&mut self) -> bool {
        if !self.partitioned[self.leader()] {
            return true;
        }
        if !self.quorum() {
            return false;
        }
        loop {
            self.view = self.view.wrapping_add(1);
            if !self.partitioned[self.leader()] {
                break;
            }
        }
        let mut best: Option<usize> = None;
        for id in 0..self.n() {
            if !self.partitioned[id]
                && best.is_none_or(|b| self.logs[id].len() > self.logs[b].len())
            {
                best = Some(id);
            }
        }
        self.catch_up(self.leader(), best.unwrap());
        true
    }

    fn propose(&mut self, op: Op) -> ProposeResult {
        if !self.leader_check() || !self.quorum() {
            return ProposeResult::Rejected;
        }
        let l = self.leader();
        for id in 0..self.n() {
            if !self.partitioned[id] {
                self.catch_up(id, l);
            }
        }
        for id in 0..self.n() {
            if !self.partitioned[id] {
                Literal::apply(&mut self.sms[id], &op);
                self.logs[id].push(op.clone());
            }
        }
        ProposeResult::Committed(self.logs[l].len() as u64)
    }

    fn read(&mut self, key: &[u8]) -> ReadResult {
        if !self.leader_check() || !self.quorum() {
            return ReadResult::Rejected;
        }
        match self.sms[self.leader()].get(key) {
            Some(v) => ReadResult::Value(v.clone()),
            None => ReadResult::Missing,
        }
    }

    fn partition(&mut self, ids: &[u64]) {
        self.partitioned.iter_mut().for_each(|p| *p = false);
        ids.iter()
            .for_each(|&i| self.partitioned[i as usize] = true);
    }

    /// Heal: clear the set; every replica whose commit differs truncates and replays the
    /// leader's log.
    fn heal(&mut self) {
        self.partitioned.iter_mut().for_each(|p| *p = false);
        let source = self.logs[self.leader()].clone();
        for id in 0..self.n() {
            if self.logs[id].len() != source.len() {
                let mut sm = BTreeMap::new();
                for op in &source {
                    Literal::apply(&mut sm, op);
                }
                self.sms[id] = sm;
                self.logs[id] = source.clone();
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

/// Uniform in `0..bound` (bound > 0) from one draw; the bias is irrelevant to a test schedule.
fn below(r: &mut SplitMix64, bound: u64) -> u64 {
    r.next() % bound
}

#[test]
fn every_step_agrees_with_spec_sections_two_and_three_read_literally() {
    let mut seeds = SplitMix64::new(0xdb20_1173);
    let (mut commits, mut rejections, mut view_changes) = (0u64, 0u64, 0u64);
    let schedules = schedules();
    for s in 0..schedules {
        let seed = seeds.next();
        let mut r = SplitMix64::new(seed);
        let n = 1 + below(&mut r, 7) as usize;
        let mut model = Cluster::new(n).unwrap();
        let mut literal = Literal::new(n);
        let mut steps: Vec<String> = Vec::new();
        let context = |steps: &[String]| {
            format!(
                "schedule {} (seed {}, {} replicas) after {:?}",
                s, seed, n, steps
            )
        };
        for step in 0..40 {
            let what = below(&mut r, 10);
            let key = format!("k{}", below(&mut r, 4));
            if what < 4 {
                let value = format!("v{}", step);
                let op = match what {
                    0 | 1 => Op::put(key.as_bytes(), value.as_bytes()).unwrap(),
                    2 => Op::del(key.as_bytes()).unwrap(),
                    _ => Op::noop(),
                };
                steps.push(format!("propose {:?}", op));
                let view_before = literal.view;
                let expected = literal.propose(op.clone());
                assert_eq!(model.propose(op), expected, "propose: {}", context(&steps));
                match expected {
                    ProposeResult::Committed(_) => commits += 1,
                    ProposeResult::Rejected => rejections += 1,
                }
                view_changes += u64::from(literal.view != view_before);
            } else if what < 6 {
                steps.push(format!("read {}", key));
                let expected = literal.read(key.as_bytes());
                assert_eq!(
                    model.read(key.as_bytes()),
                    expected,
                    "read: {}",
                    context(&steps)
                );
            } else if what < 9 {
                let count = below(&mut r, n as u64 + 1);
                let bound = if below(&mut r, 10) == 0 { n + 2 } else { n } as u64;
                let ids: Vec<u64> = (0..count).map(|_| below(&mut r, bound)).collect();
                steps.push(format!("partition {:?}", ids));
                if ids.iter().any(|&id| id >= n as u64) {
                    assert!(model.partition(&ids).is_err(), "{}", context(&steps));
                } else {
                    literal.partition(&ids);
                    model.partition(&ids).unwrap();
                }
            } else {
                steps.push("heal".to_string());
                literal.heal();
                model.heal();
            }
            if let Err(e) = model.check() {
                panic!("check: {}: {}", e, context(&steps));
            }
            assert_eq!(model.view(), literal.view, "view: {}", context(&steps));
            assert_eq!(
                model.leader(),
                literal.leader(),
                "leader: {}",
                context(&steps)
            );
            for id in 0..n {
                let rep = model.replica(id);
                assert_eq!(
                    rep.commit_index(),
                    literal.logs[id].len() as u64,
                    "replica {} commit: {}",
                    id,
                    context(&steps)
                );
                assert_eq!(
                    model.is_partitioned(id),
                    literal.partitioned[id],
                    "replica {} partitioned: {}",
                    id,
                    context(&steps)
                );
                assert!(
                    rep.dump_state()[..] == literal.snapshot(id)[..],
                    "replica {} snapshot: {}",
                    id,
                    context(&steps)
                );
            }
        }
    }
    // The schedules must reach the interesting cases, or agreement proves little.
    assert!(commits > schedules * 5, "commits {}", commits);
    assert!(rejections > schedules / 5, "rejections {}", rejections);
    assert!(
        view_changes > schedules / 10,
        "view changes {}",
        view_changes
    );
}
