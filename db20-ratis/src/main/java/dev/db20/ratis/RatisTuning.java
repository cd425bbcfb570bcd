package dev.db20.ratis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis settings a db20 user tunes, typed, applied to Ratis's properties in one place ({@link
 * #applyTo}). None of them weakens durability: every acknowledged write is still fsynced on a
 * quorum (Ratis's synchronous flush; {@code unsafe-flush} and {@code async-flush} are not settings
 * here, docs/ratis.md says why).
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound, above {@code electionTimeoutMin}
 * @param outstandingAppendsMax AppendEntries a leader keeps in flight per follower ({@code
 *     raft.grpc.server.leader.outstanding.appends.max})
 * @param appenderBufferElements log entries in one AppendEntries, 0 for no limit ({@code
 *     raft.server.log.appender.buffer.element-limit})
 * @param appenderBufferBytes bytes in one AppendEntries ({@code
 *     raft.server.log.appender.buffer.byte-limit})
 * @param appenderWaitMin shortest wait between two AppendEntries to a follower ({@code
 *     raft.server.log.appender.wait-time.min})
 * @param forceSyncNum most entries one log flush covers ({@code raft.server.log.force.sync.num})
 * @param writeBufferBytes the log writer's buffer ({@code raft.server.log.write.buffer.size})
 */
public record RatisTuning(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    int outstandingAppendsMax,
    int appenderBufferElements,
    long appenderBufferBytes,
    Duration appenderWaitMin,
    int forceSyncNum,
    long writeBufferBytes) {
  /**
   * db20's defaults: a 1–2 s election timeout (Ratis's 150–300 ms flaps leaders when two cores are
   * shared by several JVMs), appends spaced 3 ms apart while a follower owes a reply (Ratis: 1 ms;
   * {@link Db20LogAppender} does not space them for a follower that has answered, so one
   * synchronous client does not wait; the figures are in docs/benchmarks.md), Ratis's own defaults
   * for the rest.
   */
  public static final RatisTuning DEFAULT =
      new RatisTuning(
          Duration.ofMillis(1000),
          Duration.ofMillis(2000),
          GrpcConfigKeys.Server.LEADER_OUTSTANDING_APPENDS_MAX_DEFAULT,
          RaftServerConfigKeys.Log.Appender.BUFFER_ELEMENT_LIMIT_DEFAULT,
          RaftServerConfigKeys.Log.Appender.BUFFER_BYTE_LIMIT_DEFAULT.getSize(),
          Duration.ofMillis(3),
          RaftServerConfigKeys.Log.FORCE_SYNC_NUM_DEFAULT,
          RaftServerConfigKeys.Log.WRITE_BUFFER_SIZE_DEFAULT.getSize());

  /** Checks the ranges; the message names the value. */
  public RatisTuning {
    if (electionTimeoutMin == null || electionTimeoutMax == null || appenderWaitMin == null) {
      throw new IllegalArgumentException("RatisTuning: a duration is null");
    }
    if (electionTimeoutMin.toMillis() < 10
        || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0
        || electionTimeoutMax.toSeconds() > 600) {
      throw new IllegalArgumentException(
          "election timeout "
              + electionTimeoutMin.toMillis()
              + ".."
              + electionTimeoutMax.toMillis()
              + " ms: wants 10 ms <= min < max <= 600 s");
    }
    if (outstandingAppendsMax < 1 || outstandingAppendsMax > 1024) {
      throw new IllegalArgumentException(
          "outstanding appends " + outstandingAppendsMax + " not in 1..1024");
    }
    if (appenderBufferElements < 0) {
      throw new IllegalArgumentException(
          "appender buffer elements " + appenderBufferElements + " < 0");
    }
    if (appenderBufferBytes < 1024 || appenderBufferBytes > 1L << 30) {
      throw new IllegalArgumentException(
          "appender buffer bytes " + appenderBufferBytes + " not in 1 KiB..1 GiB");
    }
    if (appenderWaitMin.isNegative() || appenderWaitMin.toSeconds() > 10) {
      throw new IllegalArgumentException("appender wait " + appenderWaitMin + " not in 0..10 s");
    }
    if (forceSyncNum < 1 || forceSyncNum > 1 << 20) {
      throw new IllegalArgumentException("force sync num " + forceSyncNum + " not in 1..2^20");
    }
    if (writeBufferBytes < 4096 || writeBufferBytes > 1L << 30) {
      throw new IllegalArgumentException(
          "write buffer bytes " + writeBufferBytes + " not in 4 KiB..1 GiB");
    }
  }

  /** These values with the election timeout {@code min..max}. */
  public RatisTuning withElectionTimeout(Duration min, Duration max) {
    return new RatisTuning(
        min,
        max,
        outstandingAppendsMax,
        appenderBufferElements,
        appenderBufferBytes,
        appenderWaitMin,
        forceSyncNum,
        writeBufferBytes);
  }

  /** These values with {@code wait} as the appender's spacing. */
  public RatisTuning withAppenderWaitMin(Duration wait) {
    return new RatisTuning(
        electionTimeoutMin,
        electionTimeoutMax,
        outstandingAppendsMax,
        appenderBufferElements,
        appenderBufferBytes,
        wait,
        forceSyncNum,
        writeBufferBytes);
  }

  /** Sets these values in {@code p}. */
  public void applyTo(RaftProperties p) {
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(electionTimeoutMin));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(electionTimeoutMax));
    GrpcConfigKeys.Server.setLeaderOutstandingAppendsMax(p, outstandingAppendsMax);
    RaftServerConfigKeys.Log.Appender.setBufferElementLimit(p, appenderBufferElements);
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(
        p, SizeInBytes.valueOf(appenderBufferBytes));
    RaftServerConfigKeys.Log.Appender.setWaitTimeMin(
        p, TimeDuration.valueOf(appenderWaitMin.toNanos(), TimeUnit.NANOSECONDS));
    RaftServerConfigKeys.Log.setForceSyncNum(p, forceSyncNum);
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(writeBufferBytes));
  }

  private static TimeDuration millis(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }
}
