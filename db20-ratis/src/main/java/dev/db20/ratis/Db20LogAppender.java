package dev.db20.ratis;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ratis 3.3.0's gRPC log appender with two decisions changed.
 *
 * <p>Where to resend from, the workaround for <a
 * href="https://issues.apache.org/jira/browse/RATIS-2523">RATIS-2523</a> (open upstream; no fix on
 * master as of 2026-07-21). When a follower answers INCONSISTENCY with a next index below the
 * leader's {@code matchIndex + 1} for it, Ratis's {@code
 * LogAppenderBase.getNextIndexForInconsistency} keeps {@code matchIndex + 1}: the leader then sends
 * from an index the follower cannot accept, the follower answers the same, and on an idle cluster
 * (heartbeats only) this never ends. It happens when a follower restarts with less log than it had
 * acknowledged (issue 16's first stuck mode; {@code StaleMatchIndexTest} builds that state). Here
 * the follower's answer wins: it is the only party that knows its log.
 *
 * <p>When to send: Ratis spaces the appends to a follower at least {@code
 * raft.server.log.appender.wait-time.min} apart, counted from the last send, so that the writes
 * which arrive meanwhile go out together in the next append. Here the spacing holds only while the
 * follower owes a reply ({@link #getRemainingWaitTime}): a loaded leader still batches, and the
 * single write of an idle one goes at once instead of waiting out the spacing.
 *
 * <p>Everything else is Ratis's appender, plugged in through Ratis's own hook ({@link RpcType} by
 * class name, {@code raft.rpc.type}, whose factory makes the appenders).
 */
public final class Db20LogAppender extends GrpcLogAppender {
  private static final Logger LOG = LoggerFactory.getLogger(Db20LogAppender.class);

  Db20LogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo f) {
    super(server, leaderState, f);
  }

  @Override
  protected long getNextIndexForInconsistency(long requestFirstIndex, long replyNextIndex) {
    long matchNext = getFollower().getMatchIndex() + 1;
    if (replyNextIndex >= matchNext) {
      return super.getNextIndexForInconsistency(requestFirstIndex, replyNextIndex);
    }
    LOG.warn(
        "{}: follower answered nextIndex {} below matchIndex + 1 = {}; sending from {}"
            + " (RATIS-2523 workaround)",
        this,
        replyNextIndex,
        matchNext,
        replyNextIndex);
    long next = replyNextIndex;
    // As Ratis does: never resend the same first entry the follower just refused.
    if (next == requestFirstIndex && next > RaftLog.LEAST_VALID_LOG_INDEX) {
      next--;
    }
    return next;
  }

  /**
   * No wait when a reply from the follower has come since the last send (nothing is in flight to
   * it, or, with appends pipelined, an earlier one's reply: the follower keeps up); otherwise
   * Ratis's remaining spacing. Ratis asks this before waiting for new entries and again before
   * sending a request it has built.
   */
  @Override
  protected TimeDuration getRemainingWaitTime() {
    FollowerInfo f = getFollower();
    if (f.getLastRpcResponseTime().compareTo(f.getLastRpcSendTime()) > 0) {
      return TimeDuration.ZERO;
    }
    return super.getRemainingWaitTime();
  }

  /**
   * The RPC type a db20 server runs: gRPC, with {@link Db20LogAppender} as the leader's appender.
   * Ratis instantiates it by class name from {@code raft.rpc.type}.
   */
  public static final class Rpc implements RpcType {
    /** What Ratis's reflection calls. */
    public Rpc() {}

    @Override
    public String name() {
      return Rpc.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
      return new Factory(parameters);
    }
  }

  /** Ratis's gRPC factory, making {@link Db20LogAppender}s. */
  static final class Factory extends GrpcFactory {
    Factory(Parameters parameters) {
      super(parameters);
    }

    @Override
    public LogAppender newLogAppender(
        RaftServer.Division server, LeaderState state, FollowerInfo f) {
      return new Db20LogAppender(server, state, f);
    }
  }
}
