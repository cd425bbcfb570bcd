//! The thirteen numbered tests, named as in Java's NumberedTest / NumberedWorkloadTest.

mod common;

use db20::core::{Bytes, Cluster, Op, ProposeResult, ReadResult};
use db20::wire::{hex, load_state, snapshot_format::*};
use db20::workload::{SplitMix64, Workload};

fn put(k: &str, v: &str) -> Op {
    Op::put(k.as_bytes(), v.as_bytes()).unwrap()
}

fn del(k: &str) -> Op {
    Op::del(k.as_bytes()).unwrap()
}

/// Every replica's snapshot is the canonical snapshot of `pairs` at `commit`, built here from
/// the expected state (Java: `assertEverySnapshotIs`), not compared replica with replica.
fn assert_every_snapshot_is(c: &Cluster, commit: u64, pairs: &[(&str, &str)]) {
    let mut sorted = pairs.to_vec();
    sorted.sort();
    let expected = hex(&common::snapshot(commit, &sorted));
    for id in 0..c.size() {
        assert_eq!(hex(&c.replica(id).dump_state()), expected, "replica {}", id);
    }
}

#[test]
fn test01_single_replica_put() {
    let mut c = Cluster::new(1).unwrap();
    assert_eq!(c.quorum(), 1);
    assert_eq!(c.propose(put("a", "v")), ProposeResult::Committed(1));
    assert_eq!(c.read(b"a"), ReadResult::Value(b"v".to_vec()));
    assert_eq!(
        hex(&c.replica(0).dump_state()),
        "444232300100000001000000000000000100000001000000610100000076fdcf62bd"
    );
}

#[test]
fn test02_five_replica_put_reaches_all_five() {
    let mut c = Cluster::new(5).unwrap();
    assert_eq!(c.propose(put("a", "v")), ProposeResult::Committed(1));
    for id in 0..5 {
        assert_eq!(c.replica(id).commit_index(), 1);
        assert_eq!(c.replica(id).get(b"a").as_deref(), Some(&b"v"[..]));
    }
}

#[test]
fn test03_two_of_five_reachable_rejected_nothing_changes() {
    let mut c = Cluster::new(5).unwrap();
    c.propose(put("a", "1"));
    let before: Vec<Bytes> = (0..5).map(|id| c.replica(id).dump_state()).collect();
    c.partition(&[2, 3, 4]).unwrap();
    assert_eq!(c.propose(put("b", "2")), ProposeResult::Rejected);
    assert_eq!(c.read(b"a"), ReadResult::Rejected);
    for (id, snapshot) in before.iter().enumerate() {
        assert_eq!(&c.replica(id).dump_state(), snapshot, "replica {}", id);
    }
    assert_eq!(c.view(), 0);
}

#[test]
fn test04_three_of_five_reachable_commits_partitioned_followers_keep_zero() {
    let mut c = Cluster::new(5).unwrap();
    c.partition(&[3, 4]).unwrap();
    assert_eq!(c.propose(put("a", "v")), ProposeResult::Committed(1));
    for id in 0..3 {
        assert_eq!(c.replica(id).commit_index(), 1);
    }
    assert_eq!(c.replica(3).commit_index(), 0);
    assert_eq!(c.replica(4).commit_index(), 0);
    assert!(c.is_partitioned(3));
    assert!(!c.is_partitioned(2));
}

#[test]
fn test05_heal_after_mutations_five_identical_snapshots() {
    let mut c = Cluster::new(5).unwrap();
    c.partition(&[1, 4]).unwrap();
    c.propose(put("a", "1"));
    c.propose(put("b", "2"));
    c.propose(del("a"));
    assert_ne!(c.replica(0).dump_state(), c.replica(4).dump_state());
    c.heal();
    assert_every_snapshot_is(&c, 3, &[("b", "2")]);
    assert_eq!(c.replica(4).commit_index(), 3);
}

#[test]
fn test06_ordered_apply_on_all_five() {
    let mut c = Cluster::new(5).unwrap();
    assert_eq!(c.propose(put("a", "1")), ProposeResult::Committed(1));
    assert_eq!(c.propose(put("b", "1")), ProposeResult::Committed(2));
    assert_eq!(c.propose(del("a")), ProposeResult::Committed(3));
    assert_eq!(c.propose(put("b", "2")), ProposeResult::Committed(4));
    for id in 0..5 {
        let r = c.replica(id);
        assert_eq!(r.commit_index(), 4);
        assert_eq!(r.key_count(), 1);
        assert_eq!(r.get(b"a"), None);
        assert_eq!(r.get(b"b").as_deref(), Some(&b"2"[..]));
    }
}

#[test]
fn test07_noop_and_absent_del_commit_without_changing_map() {
    let mut c = Cluster::new(3).unwrap();
    c.propose(put("a", "v"));
    assert_eq!(c.propose(Op::noop()), ProposeResult::Committed(2));
    assert_eq!(c.propose(del("absent")), ProposeResult::Committed(3));
    for id in 0..3 {
        let s = load_state(&c.replica(id).dump_state()).unwrap();
        assert_eq!(s.commit_index, 3);
        assert_eq!(s.entries, vec![(b"a".to_vec(), b"v".to_vec())]);
    }
}

#[test]
fn test08_byte_format_offsets_and_spec_vectors() {
    let mut c = Cluster::new(1).unwrap();
    assert_eq!(
        hex(&c.replica(0).dump_state()),
        "444232300100000000000000000000000000000071239af8"
    );
    c.propose(put("a", "v"));
    let s = c.replica(0).dump_state();
    assert_eq!(s.len(), 34);
    assert_eq!(hex(&s[OFFSET_MAGIC..OFFSET_VERSION]), "44423230");
    assert_eq!(hex(&s[OFFSET_VERSION..OFFSET_FLAGS]), "0100");
    assert_eq!(hex(&s[OFFSET_FLAGS..OFFSET_COMMIT_INDEX]), "0000");
    assert_eq!(
        hex(&s[OFFSET_COMMIT_INDEX..OFFSET_ENTRY_COUNT]),
        "0100000000000000"
    );
    assert_eq!(hex(&s[OFFSET_ENTRY_COUNT..HEADER_SIZE]), "01000000");
    assert_eq!(hex(&s[HEADER_SIZE..30]), "01000000610100000076");
    assert_eq!(hex(&s[30..]), "fdcf62bd");
    // Big-endian would put the 1 last.
    assert_ne!(hex(&s[8..16]), "0000000000000001");
}

#[test]
fn test09_splitmix64_vectors() {
    let mut g = SplitMix64::new(0);
    assert_eq!(g.next(), 0xe220a8397b1dcdaf);
    assert_eq!(g.next(), 0x6e789e6aa1b965f4);
    assert_eq!(g.next(), 0x06c45d188009454f);
}

#[test]
fn test10_workload_decode_pinned() {
    let mut w = Workload::new(0, 16);
    assert_eq!(w.next_op(), del("k4"));
    assert_eq!(w.next_op(), del("k11"));
    assert_eq!(
        w.next_op(),
        Op::put(b"k12", &[0xe3, 0x0c, 0, 0, 0, 0, 0, 0]).unwrap()
    );
    assert_eq!(w.next_op(), del("k9"));
    assert_eq!(
        w.next_op(),
        Op::put(b"k15", &[0xe9, 0x0e, 0, 0, 0, 0, 0, 0]).unwrap()
    );
}

#[test]
fn test11_leader_cut_off_view_change_old_leader_lags_until_heal() {
    let mut c = Cluster::new(5).unwrap();
    c.propose(put("a", "1"));
    c.partition(&[0]).unwrap();
    assert_eq!(c.propose(put("b", "2")), ProposeResult::Committed(2));
    assert_eq!((c.view(), c.leader()), (1, 1));
    assert_eq!(c.replica(0).commit_index(), 1);
    assert_eq!(c.replica(1).commit_index(), 2);
    c.heal();
    assert_eq!(c.replica(0).commit_index(), 2);
    assert_every_snapshot_is(&c, 2, &[("a", "1"), ("b", "2")]);
}

#[test]
fn test11b_new_leader_catches_up_from_most_complete_reachable() {
    let mut c = Cluster::new(5).unwrap();
    c.partition(&[1, 2]).unwrap();
    c.propose(put("a", "1"));
    c.partition(&[0]).unwrap();
    assert_eq!(c.propose(put("b", "2")), ProposeResult::Committed(2));
    assert_eq!(c.leader(), 1);
    for id in 1..5 {
        assert_eq!(c.replica(id).commit_index(), 2, "replica {}", id);
    }
}

#[test]
fn test12_leader_cut_off_without_quorum_rejected_view_unchanged() {
    let mut c = Cluster::new(5).unwrap();
    c.propose(put("a", "1"));
    c.partition(&[0, 1, 2]).unwrap();
    assert_eq!(c.propose(put("b", "2")), ProposeResult::Rejected);
    assert_eq!(c.read(b"a"), ReadResult::Rejected);
    assert_eq!((c.view(), c.leader()), (0, 0));
    for id in 0..5 {
        assert_eq!(c.replica(id).commit_index(), 1);
    }
}

#[test]
fn test13_truncate_and_replay_clears_state_and_repeated_rounds_identical() {
    // Replica 4 holds a key the history deletes while it is cut off; catching up must clear
    // it, not merge into it.
    let mut c = Cluster::new(5).unwrap();
    c.propose(put("stale", "x"));
    c.propose(put("a", "0"));
    c.partition(&[4]).unwrap();
    c.propose(del("stale"));
    c.propose(put("a", "1"));
    c.propose(put("b", "2"));
    assert_eq!(c.replica(4).get(b"stale").as_deref(), Some(&b"x"[..]));
    c.heal();
    assert_eq!(c.replica(4).get(b"stale"), None);
    assert_eq!(c.replica(4).commit_index(), 5);
    assert_eq!(c.replica(4).key_count(), 2);
    assert_eq!(c.replica(4).dump_state(), c.replica(0).dump_state());
    let s = load_state(&c.replica(4).dump_state()).unwrap();
    assert_eq!(
        s.entries,
        vec![
            (b"a".to_vec(), b"1".to_vec()),
            (b"b".to_vec(), b"2".to_vec())
        ]
    );

    let mut c = Cluster::new(5).unwrap();
    let rounds: [&[u64]; 5] = [&[3, 4], &[0], &[1, 2], &[4], &[0, 1]];
    let mut index = 0;
    for p in rounds {
        c.partition(p).unwrap();
        for i in 0..7 {
            let r = c.propose(put(&format!("k{}", i % 3), &format!("r{}", index)));
            assert!(matches!(r, ProposeResult::Committed(_)));
            index += 1;
        }
        c.heal();
        // The round's last three puts, to k0, k1, k2 in turn, are what every replica holds.
        let (r0, r1, r2) = (
            format!("r{}", index - 1),
            format!("r{}", index - 3),
            format!("r{}", index - 2),
        );
        assert_every_snapshot_is(&c, index, &[("k0", &r0), ("k1", &r1), ("k2", &r2)]);
    }
    assert_eq!(c.replica(2).commit_index(), 35);
}
