package dev.db20.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.wire.Bytes;
import dev.db20.wire.Hex;
import dev.db20.wire.SnapshotFormat;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotWriter;
import org.junit.jupiter.api.Test;

/**
 * The numbered tests of the reactor issue. Every port has the same thirteen under the same names
 * (tests 9 and 10 live in db20-workload, which owns splitmix64).
 */
class NumberedTest {

  static Bytes b(String s) {
    return Bytes.ofAscii(s);
  }

  static Op put(String k, String v) {
    return new Op.Put(b(k), b(v));
  }

  static long committed(long index) {
    return index;
  }

  /**
   * Every replica's snapshot is the expected one, built here from the keys and values the test's
   * ops leave (in key order, through db20-wire's writer), not from the cluster's own state: after a
   * heal every replica shares one state object, so comparing replicas with each other would prove
   * nothing.
   */
  static void assertEverySnapshotIs(Cluster c, long commit, String... keysAndValues) {
    java.util.TreeMap<Bytes, Bytes> map = new java.util.TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(b(keysAndValues[i]), b(keysAndValues[i + 1]));
    }
    java.util.List<SnapshotState.Entry> entries = new java.util.ArrayList<>();
    map.forEach((k, v) -> entries.add(new SnapshotState.Entry(k, v)));
    String expected = Hex.encode(SnapshotWriter.encode(new SnapshotState(commit, entries)));
    for (int id = 0; id < c.size(); id++) {
      assertEquals(expected, Hex.encode(c.replica(id).dumpState()), "replica " + id);
    }
  }

  @Test
  void test01_singleReplicaPut() {
    Cluster c = new Cluster(1);
    assertEquals(1, c.quorum());
    assertEquals(committed(1), c.propose(put("a", "v")));
    assertEquals(new ReadResult.Value(b("v")), c.read(b("a")));
    assertEquals(1, c.replica(0).commitIndex());
    assertEquals(
        "444232300100000001000000000000000100000001000000610100000076fdcf62bd",
        Hex.encode(c.replica(0).dumpState()));
  }

  @Test
  void test02_fiveReplicaPutReachesAllFive() {
    Cluster c = new Cluster(5);
    assertEquals(committed(1), c.propose(put("a", "v")));
    for (int id = 0; id < 5; id++) {
      assertEquals(1, c.replica(id).commitIndex());
      assertEquals(b("v"), c.replica(id).get(b("a")).orElseThrow());
    }
  }

  @Test
  void test03_twoOfFiveReachableRejectedNothingChanges() {
    Cluster c = new Cluster(5);
    c.propose(put("a", "1"));
    byte[][] before = new byte[5][];
    for (int id = 0; id < 5; id++) {
      before[id] = c.replica(id).dumpState();
    }
    c.partition(2, 3, 4);
    assertEquals(Cluster.REJECTED, c.propose(put("b", "2")));
    assertEquals(ReadResult.Rejected.INSTANCE, c.read(b("a")));
    for (int id = 0; id < 5; id++) {
      assertArrayEquals(before[id], c.replica(id).dumpState(), "replica " + id);
    }
    assertEquals(0, c.view());
  }

  @Test
  void test04_threeOfFiveReachableCommitsPartitionedFollowersKeepZero() {
    Cluster c = new Cluster(5);
    c.partition(3, 4);
    assertEquals(committed(1), c.propose(put("a", "v")));
    for (int id = 0; id < 3; id++) {
      assertEquals(1, c.replica(id).commitIndex(), "replica " + id);
    }
    assertEquals(0, c.replica(3).commitIndex());
    assertEquals(0, c.replica(4).commitIndex());
    assertTrue(c.isPartitioned(3));
    assertFalse(c.isPartitioned(2));
  }

  @Test
  void test05_healAfterMutationsFiveIdenticalSnapshots() {
    Cluster c = new Cluster(5);
    c.partition(1, 4);
    c.propose(put("a", "1"));
    c.propose(put("b", "2"));
    c.propose(new Op.Del(b("a")));
    assertNotEquals(Hex.encode(c.replica(0).dumpState()), Hex.encode(c.replica(4).dumpState()));
    c.heal();
    assertEverySnapshotIs(c, 3, "b", "2");
    assertFalse(c.isPartitioned(1));
    assertEquals(3, c.replica(4).commitIndex());
  }

  @Test
  void test06_orderedApplyOnAllFive() {
    Cluster c = new Cluster(5);
    assertEquals(committed(1), c.propose(put("a", "1")));
    assertEquals(committed(2), c.propose(put("b", "1")));
    assertEquals(committed(3), c.propose(new Op.Del(b("a"))));
    assertEquals(committed(4), c.propose(put("b", "2")));
    for (int id = 0; id < 5; id++) {
      Replica r = c.replica(id);
      assertEquals(4, r.commitIndex());
      assertEquals(1, r.keyCount());
      assertTrue(r.get(b("a")).isEmpty());
      assertEquals(b("2"), r.get(b("b")).orElseThrow());
    }
  }

  @Test
  void test07_noopAndAbsentDelCommitWithoutChangingMap() throws Exception {
    Cluster c = new Cluster(3);
    c.propose(put("a", "v"));
    assertEquals(committed(2), c.propose(Op.NoOp.INSTANCE));
    assertEquals(committed(3), c.propose(new Op.Del(b("absent"))));
    for (int id = 0; id < 3; id++) {
      assertEquals(3, c.replica(id).commitIndex());
      var state = SnapshotReader.loadState(c.replica(id).dumpState());
      assertEquals(1, state.entries().size());
      assertEquals(3, state.commitIndex());
    }
  }

  @Test
  void test08_byteFormatOffsetsAndSpecVectors() {
    Cluster c = new Cluster(1);
    assertEquals(
        "44423230" + "0100" + "0000" + "0000000000000000" + "00000000" + "71239af8",
        Hex.encode(c.replica(0).dumpState()));
    c.propose(put("a", "v"));
    byte[] s = c.replica(0).dumpState();
    assertEquals(34, s.length);
    // Each field at its SPEC §4 offset, little-endian.
    assertEquals(
        "44423230", Hex.encode(java.util.Arrays.copyOfRange(s, SnapshotFormat.OFFSET_MAGIC, 4)));
    assertEquals(
        "0100", Hex.encode(java.util.Arrays.copyOfRange(s, SnapshotFormat.OFFSET_VERSION, 6)));
    assertEquals(
        "0000", Hex.encode(java.util.Arrays.copyOfRange(s, SnapshotFormat.OFFSET_FLAGS, 8)));
    assertEquals(
        "0100000000000000",
        Hex.encode(java.util.Arrays.copyOfRange(s, SnapshotFormat.OFFSET_COMMIT_INDEX, 16)));
    assertEquals(
        "01000000",
        Hex.encode(java.util.Arrays.copyOfRange(s, SnapshotFormat.OFFSET_ENTRY_COUNT, 20)));
    assertEquals("0100000061" + "0100000076", Hex.encode(java.util.Arrays.copyOfRange(s, 20, 30)));
    assertEquals("fdcf62bd", Hex.encode(java.util.Arrays.copyOfRange(s, 30, 34)));
  }

  @Test
  void test11_leaderCutOffViewChangeOldLeaderLagsUntilHeal() {
    Cluster c = new Cluster(5);
    c.propose(put("a", "1"));
    c.partition(0);
    assertEquals(committed(2), c.propose(put("b", "2")));
    assertEquals(1, c.view());
    assertEquals(1, c.leader());
    assertEquals(1, c.replica(0).commitIndex());
    assertEquals(2, c.replica(1).commitIndex());
    c.heal();
    assertEquals(2, c.replica(0).commitIndex());
    assertEverySnapshotIs(c, 2, "a", "1", "b", "2");
  }

  @Test
  void test11b_newLeaderCatchesUpFromMostCompleteReachable() {
    Cluster c = new Cluster(5);
    c.partition(1, 2);
    c.propose(put("a", "1")); // replicas 0, 3, 4 at commit 1
    c.partition(0);
    // View 1: replica 1 leads, behind; it catches up from replica 3 (highest commit, lowest id).
    assertEquals(committed(2), c.propose(put("b", "2")));
    assertEquals(1, c.leader());
    for (int id = 1; id < 5; id++) {
      assertEquals(2, c.replica(id).commitIndex(), "replica " + id);
    }
  }

  @Test
  void test12_leaderCutOffWithoutQuorumRejectedViewUnchanged() {
    Cluster c = new Cluster(5);
    c.propose(put("a", "1"));
    c.partition(0, 1, 2);
    assertEquals(Cluster.REJECTED, c.propose(put("b", "2")));
    assertEquals(ReadResult.Rejected.INSTANCE, c.read(b("a")));
    assertEquals(0, c.view());
    assertEquals(0, c.leader());
    for (int id = 0; id < 5; id++) {
      assertEquals(1, c.replica(id).commitIndex());
    }
  }

  @Test
  void test13_truncateAndReplayClearsStateAndRepeatedRoundsIdentical() {
    // A replica left behind holds a key the history later deletes; catching it up must leave
    // exactly the source's state (SPEC §2): the stale key gone, the bytes equal.
    Cluster lag = new Cluster(3);
    lag.propose(put("stale", "x"));
    lag.partition(2);
    lag.propose(new Op.Del(b("stale")));
    lag.propose(put("a", "1"));
    lag.propose(put("b", "2"));
    lag.propose(new Op.Del(b("a")));
    assertEquals(b("x"), lag.replica(2).get(b("stale")).orElseThrow());
    lag.heal();
    assertTrue(lag.replica(2).get(b("stale")).isEmpty());
    assertEquals(5, lag.replica(2).commitIndex());
    assertArrayEquals(lag.replica(0).dumpState(), lag.replica(2).dumpState());

    Cluster c = new Cluster(5);
    int[][] rounds = {{3, 4}, {0}, {1, 2}, {4}, {0, 1}};
    long index = 0;
    for (int[] p : rounds) {
      c.partition(p);
      for (int i = 0; i < 7; i++) {
        assertNotEquals(Cluster.REJECTED, c.propose(put("k" + (i % 3), "r" + index++)));
      }
      c.heal();
      // The round's last three puts, to k0, k1, k2 in turn, are what every replica holds.
      assertEverySnapshotIs(
          c, index, "k0", "r" + (index - 1), "k1", "r" + (index - 3), "k2", "r" + (index - 2));
    }
    assertEquals(35, c.replica(2).commitIndex());
  }
}
