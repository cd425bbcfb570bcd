package dev.db20.core;

import static dev.db20.core.NumberedTest.b;
import static dev.db20.core.NumberedTest.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/core-model.md: one history, states shared by index, copy on diverge, bounded memory. */
class StateVersionTest {

  @Test
  void replicasAtOneIndexShareOneVersion() {
    Cluster c = new Cluster(5);
    c.propose(put("a", "1"));
    c.partition(3, 4);
    c.propose(put("b", "2"));
    c.propose(put("c", "3"));
    assertSame(c.replica(0).state(), c.replica(1).state());
    assertSame(c.replica(1).state(), c.replica(2).state());
    assertSame(c.replica(3).state(), c.replica(4).state());
    assertNotSame(c.replica(0).state(), c.replica(3).state());
    assertEquals(2, c.distinctStates());
  }

  @Test
  void aPartitionedReplicaKeepsItsSnapshotByteForByteWhileTheTipMovesOn() {
    Cluster c = new Cluster(3);
    c.propose(put("a", "1"));
    c.propose(put("b", "1"));
    byte[] before = c.replica(2).dumpState();
    c.partition(2);
    for (int i = 0; i < 100; i++) {
      c.propose(put("a", "v" + i));
      c.propose(new Op.Del(b("b")));
    }
    assertArrayEquals(before, c.replica(2).dumpState());
    assertEquals(2, c.replica(2).commitIndex());
    assertEquals(b("1"), c.replica(2).get(b("b")).orElseThrow());
    assertEquals(202, c.replica(0).commitIndex());
  }

  @Test
  void freezingHappensOncePerDivergenceNotPerOp() {
    Cluster c = new Cluster(5);
    c.partition(4);
    c.propose(put("a", "1"));
    StateVersion frozen = c.replica(4).state();
    for (int i = 0; i < 50; i++) {
      c.propose(put("a", "x" + i));
    }
    assertSame(frozen, c.replica(4).state());
  }

  @Test
  void distinctStatesNeverExceedDistinctCommitIndexes() {
    Cluster c = new Cluster(7);
    int[][] rounds = {{5, 6}, {0}, {1, 2}, {}, {3}, {0, 4, 6}, {2}};
    for (int[] p : rounds) {
      c.partition(p);
      for (int i = 0; i < 20; i++) {
        c.propose(put("k" + (i % 5), "v" + i));
        long indexes =
            Arrays.stream(new int[] {0, 1, 2, 3, 4, 5, 6})
                .mapToLong(id -> c.replica(id).commitIndex())
                .distinct()
                .count();
        assertTrue(
            c.distinctStates() <= indexes,
            c.distinctStates() + " states > " + indexes + " indexes");
      }
    }
    c.heal();
    assertEquals(1, c.distinctStates());
  }

  @Test
  void dumpStateHandsOutAFreshArray() {
    Cluster c = new Cluster(2);
    c.propose(put("a", "v"));
    byte[] first = c.replica(0).dumpState();
    Arrays.fill(first, (byte) 0);
    assertEquals(c.replica(1).snapshotSize(), c.replica(0).dumpState().length);
    assertArrayEquals(c.replica(1).dumpState(), c.replica(0).dumpState());
    assertEquals(0x44, c.replica(0).dumpState()[0]);
  }

  @Test
  void kvStatePayloadBytesIsTheEntriesSizeInASnapshot() {
    KvState s = new KvState();
    s.apply(put("a", "v"));
    s.apply(put("a", "longer"));
    s.apply(put("bb", ""));
    s.apply(new Op.Del(b("bb")));
    s.apply(new Op.Del(b("absent")));
    s.apply(Op.NoOp.INSTANCE);
    s.apply(put("c", "x"));
    long sum = s.sortedEntries().stream().mapToLong(e -> e.encodedSize()).sum();
    assertEquals(sum, s.payloadBytes());
    assertEquals(24 + sum, s.encode(7).length);
  }
}
