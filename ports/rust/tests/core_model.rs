//! The shared-state representation's own promises (docs/core-model.md): one version per index,
//! frozen snapshots that do not move, memory bounded by the number of distinct states. Its
//! agreement with SPEC §2–3 read literally is tests/literal_model.rs.

use db20::core::{Cluster, KvState, Op};
use db20::workload::{SplitMix64, Workload};
use std::collections::BTreeSet;

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
            c.distinct_states() <= indexes.len(),
            "round {}: {} versions for {} indexes",
            round,
            c.distinct_states(),
            indexes.len()
        );
        if round % 10 == 9 {
            c.heal();
            assert_eq!(c.distinct_states(), 1, "round {}", round);
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
