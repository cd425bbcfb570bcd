package dev.db20.core;

import static dev.db20.core.NumberedTest.b;
import static dev.db20.core.NumberedTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.wire.Fnv1a64;
import org.junit.jupiter.api.Test;

/** SPEC §3 rules beyond the numbered tests, one rule a test. */
class ClusterTest {

  @Test
  void quorumIsHalfPlusOne() {
    int[][] table = {{1, 1}, {2, 2}, {3, 2}, {4, 3}, {5, 3}, {255, 128}};
    for (int[] row : table) {
      assertEquals(row[1], new Cluster(row[0]).quorum(), "N=" + row[0]);
    }
  }

  @Test
  void sizeOutsideOneTo255IsRefused() {
    assertEquals(
        "cluster size 0 out of range 1..255",
        assertThrows(IllegalArgumentException.class, () -> new Cluster(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Cluster(256));
  }

  @Test
  void partitionWithAnIdOutOfRangeChangesNothing() {
    Cluster c = new Cluster(3);
    c.partition(2);
    var e = assertThrows(IllegalArgumentException.class, () -> c.partition(0, 3));
    assertEquals("replica id 3 out of range 0..2", e.getMessage());
    assertTrue(c.isPartitioned(2));
    assertFalse(c.isPartitioned(0));
  }

  @Test
  void partitionReplacesThePreviousSetAndRepeatsAreFine() {
    Cluster c = new Cluster(5);
    c.partition(1, 1, 2);
    c.partition(3, 3);
    assertFalse(c.isPartitioned(1));
    assertTrue(c.isPartitioned(3));
    assertEquals(1L, c.propose(put("a", "v")));
  }

  @Test
  void partitionedReplicaDoesNotChange() {
    Cluster c = new Cluster(3);
    c.partition(2);
    c.propose(put("a", "v"));
    assertEquals(0, c.replica(2).commitIndex());
    assertEquals(0, c.replica(2).keyCount());
  }

  @Test
  void rejoinedFollowerCatchesUpOnNextCommit() {
    Cluster c = new Cluster(3);
    c.partition(2);
    c.propose(put("a", "1"));
    c.propose(put("b", "2"));
    c.partition();
    assertEquals(0, c.replica(2).commitIndex());
    assertEquals(3L, c.propose(Op.NoOp.INSTANCE));
    assertEquals(3, c.replica(2).commitIndex());
    assertEquals(2, c.replica(2).keyCount());
  }

  @Test
  void readChangesNoReplica() {
    Cluster c = new Cluster(3);
    c.partition(2);
    c.propose(put("a", "1"));
    c.partition();
    assertEquals(new ReadResult.Value(b("1")), c.read(b("a")));
    assertEquals(ReadResult.Missing.INSTANCE, c.read(b("zz")));
    assertEquals(0, c.replica(2).commitIndex());
  }

  @Test
  void readRunsTheLeaderCheck() {
    Cluster c = new Cluster(3);
    c.propose(put("a", "1"));
    c.partition(0);
    assertEquals(new ReadResult.Value(b("1")), c.read(b("a")));
    assertEquals(1, c.view());
  }

  @Test
  void viewChangeSkipsPartitionedReplicas() {
    Cluster c = new Cluster(5);
    c.partition(0, 1);
    c.propose(Op.NoOp.INSTANCE);
    assertEquals(2, c.view());
    assertEquals(2, c.leader());
  }

  @Test
  void healDoesNotChangeTheView() {
    Cluster c = new Cluster(5);
    c.partition(0);
    c.propose(Op.NoOp.INSTANCE);
    c.heal();
    assertEquals(1, c.leader());
    assertEquals(1, c.replica(0).commitIndex());
  }

  @Test
  void digestIsFnvOfSnapshotsInIdOrder() {
    Cluster c = new Cluster(2);
    c.propose(put("a", "v"));
    long h = Fnv1a64.OFFSET_BASIS;
    h = Fnv1a64.update(h, c.replica(0).dumpState());
    h = Fnv1a64.update(h, c.replica(1).dumpState());
    assertEquals(h, c.digest());
  }

  @Test
  void snapshotSizeMatchesDumpState() {
    Cluster c = new Cluster(1);
    c.propose(put("a", "v"));
    c.propose(put("a", "longer value"));
    c.propose(put("bb", ""));
    c.propose(new Op.Del(b("bb")));
    c.propose(put("c", "x"));
    Replica r = c.replica(0);
    assertEquals(r.dumpState().length, r.snapshotSize());
  }

  @Test
  void assertionsAreOnSoTheAliasChecksRun() {
    // The model checks its cached aliases (settled, partitionedCount, payloadBytes, the tip's
    // snapshot) with assert; surefire must run with -ea for those checks to mean anything.
    boolean enabled = false;
    assert enabled = true;
    assertTrue(enabled, "run the tests with -ea");
  }
}
