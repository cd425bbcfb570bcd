package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * A client's retries of one write end before the servers forget its reply: the retry policy stops
 * retrying a write once {@link RatisCluster#WRITE_RETRY_BUDGET} has passed since its first attempt,
 * however many attempts remain, and the retry cache outlasts that budget plus the longest request
 * timeout a client sets.
 */
class RetryBudgetTest {
  private static final int RETRIES = 300;

  private static RaftClientRequest request(RaftClientRequest.Type type) {
    return RaftClientRequest.newBuilder()
        .setClientId(ClientId.randomId())
        .setServerId(RaftPeerId.valueOf("n0"))
        .setGroupId(RaftGroupId.randomId())
        .setCallId(7)
        .setMessage(Message.EMPTY)
        .setType(type)
        .build();
  }

  /**
   * The policy's answer to the {@code attempt}th failure of a request first sent {@code age} ago.
   */
  private static RetryPolicy.Action afterFailure(
      RaftClientRequest.Type type, int attempt, Duration age) {
    Timestamp created = Timestamp.currentTime().addTimeMs(-age.toMillis());
    ClientRetryEvent e =
        new ClientRetryEvent(attempt, request(type), 1, new IOException("lost"), created);
    return RatisCluster.retryPolicy(RETRIES).handleAttemptFailure(e);
  }

  @Test
  void aYoungWriteIsRetriedAfterTheSleep() {
    RetryPolicy.Action a = afterFailure(RaftClientRequest.writeRequestType(), 1, Duration.ZERO);
    assertTrue(a.shouldRetry());
    assertEquals(100, a.getSleepTime().toLong(TimeUnit.MILLISECONDS));
  }

  @Test
  void aWriteOlderThanTheBudgetIsNotRetriedThoughAttemptsRemain() {
    Duration late = RatisCluster.WRITE_RETRY_BUDGET.plusSeconds(1);
    assertFalse(afterFailure(RaftClientRequest.writeRequestType(), 2, late).shouldRetry());
    Duration early = RatisCluster.WRITE_RETRY_BUDGET.minusSeconds(5);
    assertTrue(afterFailure(RaftClientRequest.writeRequestType(), 2, early).shouldRetry());
  }

  @Test
  void aReadIsBoundByAttemptsOnly() {
    Duration late = RatisCluster.WRITE_RETRY_BUDGET.plusSeconds(60);
    assertTrue(afterFailure(RaftClientRequest.readRequestType(), 2, late).shouldRetry());
    assertFalse(afterFailure(RaftClientRequest.readRequestType(), RETRIES + 1, late).shouldRetry());
  }

  @Test
  void everyRequestTypeStopsAfterItsAttempts() {
    // Ratis's RequestTypeDependentRetryPolicy retries forever, without sleeping, for a type it has
    // no policy for: a watch or a stale read must not be one.
    for (RaftClientRequest.Type t :
        new RaftClientRequest.Type[] {
          RaftClientRequest.watchRequestType(),
          RaftClientRequest.staleReadRequestType(0),
          RaftClientRequest.forwardRequestType()
        }) {
      assertFalse(afterFailure(t, RETRIES + 1, Duration.ZERO).shouldRetry(), t.toString());
    }
  }

  @Test
  void theRetryCacheOutlastsAClientsRetriesOfOneWrite() {
    // The last attempt starts at most one sleep after the budget ends and waits at most one
    // request timeout.
    Duration longest =
        RatisCluster.WRITE_RETRY_BUDGET
            .plus(RatisCluster.RETRY_SLEEP)
            .plusMillis(RatisLoad.REQUEST_TIMEOUT.toLong(TimeUnit.MILLISECONDS));
    assertTrue(
        Db20Server.RETRY_CACHE_EXPIRY.compareTo(longest) > 0,
        "retry cache " + Db20Server.RETRY_CACHE_EXPIRY + " vs retries up to " + longest);
  }
}
