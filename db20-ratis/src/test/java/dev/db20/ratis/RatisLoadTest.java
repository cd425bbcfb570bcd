package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.core.KvState;
import dev.db20.workload.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator on three in-process nodes: every write counted once, none lost. */
class RatisLoadTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  @Test
  void oneWriteAtATimeCommitsExactlyTheStreamInOrder() throws Exception {
    int ops = 150;
    try (LocalCluster lc = new LocalCluster(3, dir, Db20Server.Settings.DEFAULT);
        RatisCluster c = new RatisCluster(lc.peers)) {
      // The source hands write n the workload's n-th op (sequential: one slot, one thread).
      Workload w = new Workload(3, 16);
      AtomicLong next = new AtomicLong();
      RatisLoad.Result r =
          RatisLoad.run(
              lc.peers,
              new RatisLoad.Plan(1, 1, Duration.ZERO, ops, Duration.ZERO),
              (n, sink) -> {
                assertEquals(next.getAndIncrement(), n);
                w.next(sink);
              });
      assertEquals(ops, r.ops());
      assertTrue(r.p50Nanos() > 0 && r.p50Nanos() <= r.p99Nanos(), r.toString());
      // Sequential: half the writes took at least about p50 each.
      assertTrue(r.nanos() >= (long) ops * r.p50Nanos() / 3, r.toString());
      KvState model = new KvState();
      Workload again = new Workload(3, 16);
      for (int i = 0; i < ops; i++) {
        model.apply(again.nextOp());
      }
      byte[] expected = model.encode(ops);
      for (int id = 0; id < 3; id++) {
        assertArrayEquals(expected, c.snapshot(id), "node " + id);
      }
    }
  }

  @Test
  void manyInFlightWithWarmUpCountsOnlyTheMeasuredWrites() throws Exception {
    try (LocalCluster lc = new LocalCluster(3, dir, Db20Server.Settings.DEFAULT);
        RatisCluster c = new RatisCluster(lc.peers)) {
      AtomicLong calls = new AtomicLong();
      RatisLoad.Result r =
          RatisLoad.run(
              lc.peers,
              new RatisLoad.Plan(4, 40, Duration.ofMillis(300), 400, Duration.ZERO),
              (n, sink) -> {
                calls.incrementAndGet();
                Workload w = new Workload(n, 16); // any op; the count is what is checked
                w.next(sink);
              });
      assertEquals(400, r.ops());
      // Every write the source made was committed once: warm-up's plus the 400 measured.
      assertTrue(calls.get() > 400, "warm-up sent nothing: " + calls);
      assertEquals(calls.get(), c.nodeDigest(0).index());
      // The node's cached STATE reply follows the next write.
      long next = c.put(dev.db20.wire.Bytes.ofAscii("k0"), dev.db20.wire.Bytes.ofAscii("v"));
      assertEquals(calls.get() + 1, next);
      for (int id = 0; id < 3; id++) {
        assertEquals(next, c.nodeDigest(id).index(), "node " + id);
      }
    }
  }

  @Test
  void aFailingSourceStopsTheRunWithItsError() throws Exception {
    try (LocalCluster lc = new LocalCluster(3, dir, Db20Server.Settings.DEFAULT)) {
      var e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class,
              () ->
                  RatisLoad.run(
                      lc.peers,
                      new RatisLoad.Plan(2, 4, Duration.ZERO, 100, Duration.ZERO),
                      (n, sink) -> {
                        if (n == 30) {
                          throw new IllegalStateException("source broke at " + n);
                        }
                        new Workload(n, 16).next(sink);
                      }));
      assertEquals("source broke at 30", e.getMessage());
    }
  }

  @Test
  void planRefusesBadRangesWithTheValues() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> new RatisLoad.Plan(0, 1, Duration.ZERO, 1, Duration.ZERO));
    assertTrue(e.getMessage().contains("clients 0"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new RatisLoad.Plan(1, 1, Duration.ZERO, 0, Duration.ZERO));
  }
}
