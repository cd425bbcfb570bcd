package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.apache.ratis.conf.RaftProperties;
import org.junit.jupiter.api.Test;

/** Each tuning value lands under the Ratis key docs/ratis.md names. */
class RatisTuningTest {
  @Test
  void appliesEveryValueUnderItsRatisKey() {
    RaftProperties p = new RaftProperties();
    new RatisTuning(
            Duration.ofMillis(300),
            Duration.ofMillis(700),
            32,
            500,
            2 << 20,
            Duration.ofMillis(2),
            512,
            1 << 20)
        .applyTo(p);
    assertEquals("300ms", p.get("raft.server.rpc.timeout.min"));
    assertEquals("700ms", p.get("raft.server.rpc.timeout.max"));
    assertEquals("32", p.get("raft.grpc.server.leader.outstanding.appends.max"));
    assertEquals("500", p.get("raft.server.log.appender.buffer.element-limit"));
    assertEquals("2097152", p.get("raft.server.log.appender.buffer.byte-limit"));
    assertEquals("2000000ns", p.get("raft.server.log.appender.wait-time.min"));
    assertEquals("512", p.get("raft.server.log.force.sync.num"));
    assertEquals("1048576", p.get("raft.server.log.write.buffer.size"));
    // Durability is not a tuning: the flush stays synchronous and safe.
    assertEquals(null, p.get("raft.server.log.async-flush.enabled"));
    assertEquals(null, p.get("raft.server.log.unsafe-flush.enabled"));
  }

  @Test
  void defaultsAreRatisDefaultsButTheElectionTimeoutAndTheAppendSpacing() {
    RatisTuning d = RatisTuning.DEFAULT;
    assertEquals(Duration.ofSeconds(1), d.electionTimeoutMin());
    assertEquals(Duration.ofSeconds(2), d.electionTimeoutMax());
    assertEquals(Duration.ofMillis(3), d.appenderWaitMin());
    assertEquals(8, d.outstandingAppendsMax());
    assertEquals(128, d.forceSyncNum());
  }

  @Test
  void badValuesAreRefusedWithTheValue() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RatisTuning(
                    Duration.ofMillis(500),
                    Duration.ofMillis(500),
                    8,
                    0,
                    4 << 20,
                    Duration.ZERO,
                    128,
                    65536));
    assertEquals("election timeout 500..500 ms: wants 10 ms <= min < max <= 600 s", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RatisTuning(
                Duration.ofMillis(500),
                Duration.ofMillis(900),
                8,
                0,
                4 << 20,
                Duration.ZERO,
                0,
                65536));
  }
}
