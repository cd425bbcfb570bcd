package dev.db20.ratis;

import dev.db20.core.Op;
import dev.db20.core.OpRecord;
import dev.db20.core.ReadResult;
import dev.db20.script.KvCluster;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * A real db20 cluster on Ratis behind the script seam: {@code propose} is a Raft write of the op
 * record, {@code read} a linearizable read (ReadIndex on the leader), and the node queries go to
 * one node each. Fault injection ({@code partition}, {@code heal}, {@code leader}) has no honest
 * meaning on a real cluster and is refused.
 *
 * <p>Before {@code digest}, {@code replica} and {@code snapshot} look at nodes, the client waits
 * (at most {@link #WAIT}) until every node has applied the last committed db20 index, so a script
 * prints what it would on the model once the cluster is quiet.
 *
 * <p>Not thread-safe: one caller at a time (one per {@link RaftClient}; use one instance per
 * concurrent client).
 */
public final class RatisCluster implements KvCluster, Closeable {
  /** How long node queries wait for a node to catch up before giving up with an error. */
  public static final Duration WAIT = Duration.ofSeconds(30);

  private final Peers peers;
  private final RaftClient client;
  private long lastIndex; // the highest db20 index this client saw committed

  /** A client of the cluster {@code peers}. */
  public RatisCluster(Peers peers) {
    this.peers = peers;
    RaftProperties p = Db20Server.properties();
    ClientId id = ClientId.randomId();
    this.client = RaftClient.newBuilder()
        .setProperties(p)
        .setRaftGroup(peers.group())
        .setClientId(id)
        .setParameters(new Parameters())
        .setClientRpc(new GrpcFactory(new Parameters()).newRaftClientRpc(id, p))
        // Retries carry the same call id, so Ratis's retry cache applies a write at most once
        // even when a leader dies after committing it. About 30 s before giving up.
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(300,
            TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build();
  }

  /**
   * The factory {@code cluster N} uses: this cluster, if it has N nodes.
   *
   * @throws UnsupportedOperationException if it does not
   */
  public KvCluster.Factory factory() {
    return n -> {
      if (n != size()) {
        throw new UnsupportedOperationException(
            "cluster " + n + ": the real cluster has " + size() + " nodes");
      }
      return this;
    };
  }

  /** A failure to reach the cluster (after retries), as one line. */
  public static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public int size() {
    return peers.size();
  }

  /** The Raft client, for tests that look at leadership. */
  public RaftClient raftClient() {
    return client;
  }

  /** The db20 node id of the leader this client last talked to, or -1. */
  public int leaderId() {
    RaftPeerId l = client.getLeaderId();
    return l == null ? -1 : Peers.nodeId(l);
  }

  /** The last db20 index this client saw committed. */
  public long lastIndex() {
    return lastIndex;
  }

  @Override
  public long propose(Op op) {
    return write(OpRecord.encode(op));
  }

  /**
   * Writes raw bytes as one transaction and returns the db20 index it committed at.
   *
   * @throws IllegalArgumentException if the cluster refused the bytes (a bad op record)
   */
  public long write(byte[] record) {
    RaftClientReply reply = call("write", () -> client.io().send(message(record)));
    long index = Protocol.u64(reply.getMessage().getContent().toByteArray(), 0);
    lastIndex = Math.max(lastIndex, index);
    return index;
  }

  /**
   * Writes {@code op} without waiting: Ratis's ordered async API, so one client can have many
   * writes in flight (they commit in the order sent). Completes with the db20 index, or
   * exceptionally with {@link UnavailableException}.
   */
  public java.util.concurrent.CompletableFuture<Long> proposeAsync(Op op) {
    return client.async().send(message(OpRecord.encode(op))).handle((reply, e) -> {
      if (e != null) {
        throw failure("write", e instanceof Exception x ? x : new IOException(e));
      }
      if (!reply.isSuccess()) {
        throw failure("write", reply.getException());
      }
      return Protocol.u64(reply.getMessage().getContent().toByteArray(), 0);
    });
  }

  @Override
  public ReadResult read(Bytes key) {
    byte[] r = readOnly(Protocol.get(key));
    return r[0] == 0 ? ReadResult.Missing.INSTANCE : new ReadResult.Value(Bytes.copyOf(r, 1, r.length - 1));
  }

  /**
   * A linearizable read. A server paused for a snapshot install refuses queries (a follower
   * serving a read, or a leader that was a lagging follower a moment ago); that refusal is
   * retried for at most {@link #WAIT}.
   */
  private byte[] readOnly(byte[] query) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        return call("read", () -> client.io().sendReadOnly(message(query))).getMessage().getContent().toByteArray();
      } catch (UnavailableException e) {
        if (!String.valueOf(e.getMessage()).contains("installing a snapshot") || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted", e);
      }
    }
  }

  @Override
  public long digest() {
    long target = awaitQuiet();
    long h = Fnv1a64.OFFSET_BASIS;
    for (int id = 0; id < size(); id++) {
      byte[] r = nodeQuery(id, Protocol.chain(h), target);
      h = Protocol.u64(r, 8);
    }
    return h;
  }

  /**
   * Node {@code id}'s db20 index and the fnv1a64 of its canonical snapshot, without waiting.
   *
   * @return {@code {index, keys, fnv1a64, Ratis applied log index}}
   */
  public long[] nodeDigest(int id) {
    byte[] r = nodeQuery(id, new byte[] {Protocol.STATE}, awaitQuiet());
    return new long[] {Protocol.u64(r, 0), Protocol.u64(r, 8), Protocol.u64(r, 16), Protocol.u64(r, 24)};
  }

  @Override
  public NodeState node(int id) {
    long[] s = nodeDigest(id);
    return new NodeState(s[0], s[1], false);
  }

  @Override
  public byte[] snapshot(int id) {
    return nodeQuery(id, new byte[] {Protocol.SNAPSHOT}, awaitQuiet());
  }

  @Override
  public void partition(int... ids) {
    throw new UnsupportedOperationException("'partition' needs the model: a real cluster cannot be cut from a script");
  }

  @Override
  public void heal() {
    throw new UnsupportedOperationException("'heal' needs the model: a real cluster cannot be cut from a script");
  }

  @Override
  public long[] leader() {
    throw new UnsupportedOperationException("'leader' needs the model: Raft terms are not the model's views");
  }

  /**
   * The db20 index every node must reach: the cluster's current index, read linearizably from the
   * leader (so a fresh client knows it too), and at least what this client saw committed.
   */
  private long awaitQuiet() {
    byte[] r = readOnly(new byte[] {Protocol.STATE});
    lastIndex = Math.max(lastIndex, Protocol.u64(r, 0));
    return lastIndex;
  }

  /** Queries node {@code id} once it has applied {@code target} db20 ops, waiting at most WAIT. */
  private byte[] nodeQuery(int id, byte[] query, long target) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RaftPeerId peer = Peers.peerId(id);
    String last = "";
    while (true) {
      try {
        RaftClientReply reply = client.io().sendStaleRead(message(query), 0, peer);
        if (reply.isSuccess()) {
          byte[] r = reply.getMessage().getContent().toByteArray();
          long index = query[0] == Protocol.SNAPSHOT ? Protocol.u64(r, 8) : Protocol.u64(r, 0);
          if (index >= target) {
            return r;
          }
          last = "at db20 index " + index + ", waiting for " + target;
        } else {
          last = String.valueOf(reply.getException());
        }
      } catch (IOException e) {
        last = e.toString();
      }
      if (System.nanoTime() > deadline) {
        throw new UnavailableException("node " + id + " did not catch up within " + WAIT.toSeconds() + " s (" + last + ")", null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted", e);
      }
    }
  }

  private interface Call {
    RaftClientReply run() throws IOException;
  }

  private static RaftClientReply call(String what, Call call) {
    RaftClientReply reply;
    try {
      reply = call.run();
    } catch (IOException e) {
      throw failure(what, e);
    }
    if (!reply.isSuccess()) {
      throw failure(what, reply.getException());
    }
    return reply;
  }

  /**
   * A bad op record (the leader's strict decoder refused it in startTransaction, so nothing was
   * logged) as IllegalArgumentException with the decoder's offset and rule; anything else as
   * UnavailableException. The client surfaces the refusal either as a failed reply or as a
   * thrown StateMachineException, so both paths come here.
   */
  private static RuntimeException failure(String what, Exception e) {
    String m = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      m += " " + t;
    }
    int at = m.indexOf("op record offset");
    if (at >= 0) {
      String detail = m.substring(at);
      int cut = detail.indexOf(" org.apache");
      return new IllegalArgumentException("bad " + (cut < 0 ? detail : detail.substring(0, cut)), e);
    }
    return new UnavailableException(what + " failed: " + (e == null ? "no reply" : e.getMessage()), e);
  }

  private static Message message(byte[] bytes) {
    return Message.valueOf(ByteString.copyFrom(bytes));
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
