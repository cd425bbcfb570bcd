package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.core.KvState;
import dev.db20.wire.Bytes;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Db20LogAppender} spaces appends to a follower by {@code
 * raft.server.log.appender.wait-time.min} only while the follower owes a reply. With Ratis's own
 * rule (spacing counted from the last send, whatever came back) each write of one synchronous
 * client, whose append is the last thing sent, waits out the spacing before the next one goes: nine
 * writes under a 1 s spacing take at least 8 s. With db20's rule the follower has answered by then,
 * and they go at once.
 */
class AppendPacingTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  private static final Duration SPACING = Duration.ofSeconds(1);
  private static final int WRITES = 9;

  /**
   * Election timeouts well above the spacing (heartbeats, every half minimum, are spaced too under
   * Ratis's rule), so that Ratis's rule would delay writes, not flap leaders.
   */
  private static final RatisTuning WIDE_SPACING =
      RatisTuning.DEFAULT
          .withElectionTimeout(Duration.ofSeconds(3), Duration.ofSeconds(6))
          .withAppenderWaitMin(SPACING);

  @Test
  void anIdleFollowerGetsTheNextAppendWithoutWaitingOutTheSpacing() throws Exception {
    try (LocalCluster cluster =
        new LocalCluster(3, dir, c -> c.withTuning(WIDE_SPACING).withInsecure())) {
      KvState model = new KvState();
      try (RatisCluster c = new RatisCluster(cluster.peers)) {
        Op first = new Op.Put(Bytes.ofAscii("k0"), Bytes.ofAscii("v0"));
        model.apply(first);
        assertEquals(1, c.propose(first)); // a leader, and its appenders running
        long start = System.nanoTime();
        for (int i = 1; i <= WRITES; i++) {
          Op op = new Op.Put(Bytes.ofAscii("k" + i), Bytes.ofAscii("v" + i));
          model.apply(op);
          assertEquals(i + 1, c.propose(op));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // Ratis's rule needs about (WRITES - 1) spacings; half of that is far above what nine
        // loopback writes take even on a loaded machine.
        Duration bound = SPACING.multipliedBy(WRITES - 1).dividedBy(2);
        assertTrue(
            took.compareTo(bound) < 0,
            WRITES
                + " synchronous writes took "
                + took.toMillis()
                + " ms under a "
                + SPACING.toMillis()
                + " ms append spacing (bound "
                + bound.toMillis()
                + " ms): the appender waited with nothing in flight");
        // Every node gets everything (the followers were not starved of appends either).
        for (Db20Server s : cluster.servers) {
          assertArrayEquals(
              model.encode(WRITES + 1), StaleMatchIndexTest.awaitIndex(s, WRITES + 1));
        }
      }
    }
  }
}
