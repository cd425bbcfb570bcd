package dev.db20.ratis;

import dev.db20.api.Faults;
import dev.db20.api.KvCluster;
import dev.db20.api.LeaderView;
import dev.db20.api.NodeState;
import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.core.OpRecord;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import dev.db20.wire.LittleEndian;
import dev.db20.wire.SnapshotFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * A real db20 cluster on Ratis behind the script seam: {@code propose} is a Raft write of the op
 * record, {@code read} a linearizable read (ReadIndex on the leader), and the node queries go to
 * one node each. It has no {@code Faults}: a script's {@code partition}, {@code heal} and {@code
 * leader} are refused as bad lines (SPEC §7's fault commands need something that can really cut the
 * links).
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

  /**
   * How long a client retries one write, from its first attempt, before it fails the write with its
   * outcome unknown. With the longest request timeout a client sets ({@link
   * RatisLoad#REQUEST_TIMEOUT}) it stays below the servers' {@link Db20Server#RETRY_CACHE_EXPIRY},
   * so every retry of a write that was applied finds its retry-cache entry and gets the first
   * reply; a retry after the entry expired would apply the write a second time.
   */
  static final Duration WRITE_RETRY_BUDGET = Duration.ofSeconds(30);

  /** The sleep between two attempts of a request. */
  static final Duration RETRY_SLEEP = Duration.ofMillis(100);

  private final Peers peers;
  private final RaftClient client;
  private long lastIndex; // the highest db20 index this client saw committed
  private final ProxiedLinks links; // null: no fault injection
  private final RatisCluster inspector; // around the links, to look at a partitioned node
  private final Faults faults;

  /** A client of the cluster {@code peers} without TLS (for nodes started insecure). */
  public RatisCluster(Peers peers) {
    this(peers, null, new Parameters());
  }

  /**
   * A client of the cluster {@code peers} with the client certificate of {@code tlsDir} (mutual
   * TLS), or without TLS if it is empty.
   *
   * @throws IllegalArgumentException one line naming a missing or unreadable file of {@code tlsDir}
   */
  public RatisCluster(Peers peers, Optional<Path> tlsDir) {
    this(
        peers,
        null,
        tlsDir.isPresent()
            ? TlsFiles.forParty(tlsDir.get(), TlsFiles.Party.CLIENT)
            : new Parameters());
  }

  /**
   * A client of a cluster whose nodes run behind {@code links} (each node with {@link
   * ProxiedLinks#nodeView} as its peers), with the {@link Faults} capability: {@code partition}
   * cuts links, {@code heal} restores them and waits for every node to catch up. A partitioned node
   * is looked at around the links, without waiting ({@code replica}, {@code snapshot}, {@code
   * digest} show what it has). Without TLS.
   */
  public static RatisCluster behind(ProxiedLinks links) {
    return new RatisCluster(links.clientView(), links, new Parameters());
  }

  private RatisCluster(Peers peers, ProxiedLinks links, Parameters rpc) {
    this.peers = peers;
    this.links = links;
    this.inspector = links == null ? null : new RatisCluster(links.real());
    this.faults = links == null ? null : new LinkFaults();
    this.client = newClient(peers, Db20Server.properties(), rpc, 300);
  }

  /** A Raft client of {@code peers} with db20's retry policy, without TLS. */
  static RaftClient newClient(Peers peers, RaftProperties p) {
    return newClient(peers, p, new Parameters(), 300);
  }

  /**
   * A Raft client of {@code peers} with {@code rpc}'s TLS, retrying {@code retries} times 100 ms
   * apart.
   */
  static RaftClient newClient(Peers peers, RaftProperties p, Parameters rpc, int retries) {
    ClientId id = ClientId.randomId();
    return RaftClient.newBuilder()
        .setProperties(p)
        .setRaftGroup(peers.group())
        .setClientId(id)
        .setParameters(rpc)
        .setClientRpc(new GrpcFactory(rpc).newRaftClientRpc(id, p))
        .setRetryPolicy(retryPolicy(retries))
        .build();
  }

  /**
   * Up to {@code retries} attempts {@link #RETRY_SLEEP} apart, and for a write none once {@link
   * #WRITE_RETRY_BUDGET} has passed since its first attempt. Retries carry the same call id, so
   * Ratis's retry cache applies a write at most once even when a leader dies after committing it —
   * while the cache still holds the entry, which the budget ensures (attempts alone do not bound
   * the time: each may wait a whole request timeout).
   */
  static RetryPolicy retryPolicy(int retries) {
    RetryPolicy fixed =
        RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            retries, TimeDuration.valueOf(RETRY_SLEEP.toMillis(), TimeUnit.MILLISECONDS));
    RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
    for (RaftClientRequestProto.TypeCase type : RaftClientRequestProto.TypeCase.values()) {
      b.setRetryPolicy(type, fixed); // Ratis's default for an unset type retries forever
    }
    return b.setTimeout(
            RaftClientRequestProto.TypeCase.WRITE,
            TimeDuration.valueOf(WRITE_RETRY_BUDGET.toMillis(), TimeUnit.MILLISECONDS))
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
  public Optional<Faults> faults() {
    return Optional.ofNullable(faults);
  }

  private boolean partitioned(int id) {
    return links != null && links.isPartitioned(id);
  }

  /** The fault commands over the links: a real partition, a real heal. */
  private final class LinkFaults implements Faults {
    @Override
    public void partition(int... ids) {
      List<Integer> side = new ArrayList<>();
      for (int id : ids) {
        side.add(id);
      }
      links.partition(side);
    }

    @Override
    public void heal() {
      links.passAll();
      for (int id = 0; id < size(); id++) {
        nodeDigest(id); // waits (at most WAIT) for the node to reach the leader's index
      }
    }

    @Override
    public LeaderView leader() {
      awaitQuiet(); // a linearizable read: this client now talks to the current leader
      int id = leaderId();
      try {
        // The admin endpoint has no link (ProxiedLinks): asked at the node's real address.
        long term =
            inspector
                .client
                .getGroupManagementApi(Peers.peerId(id))
                .info(Peers.GROUP_ID)
                .getRoleInfoProto()
                .getLeaderInfo()
                .getTerm();
        return new LeaderView(id, term);
      } catch (IOException e) {
        throw new UnavailableException("leader: " + e.getMessage(), e);
      }
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
  public long put(Bytes key, Bytes value) {
    return write(OpRecord.encode(new Op.Put(key, value)));
  }

  @Override
  public long del(Bytes key) {
    return write(OpRecord.encode(new Op.Del(key)));
  }

  @Override
  public long noop() {
    return write(OpRecord.encode(Op.NoOp.INSTANCE));
  }

  /**
   * Writes raw bytes as one transaction and returns the db20 index it committed at.
   *
   * @throws IllegalArgumentException if the leader refused the bytes (a bad op record), with its
   *     offset and rule
   */
  public long write(byte[] record) {
    RaftClientReply reply = call("write", () -> client.io().send(message(record)));
    long index = writtenIndex(reply);
    lastIndex = Math.max(lastIndex, index);
    return index;
  }

  /**
   * Writes {@code op} without waiting: Ratis's ordered async API, so one client can have many
   * writes in flight (they commit in the order sent). Completes with the db20 index, or
   * exceptionally with {@link UnavailableException} or IllegalArgumentException (a refused record).
   */
  public java.util.concurrent.CompletableFuture<Long> proposeAsync(Op op) {
    return client
        .async()
        .send(message(OpRecord.encode(op)))
        .handle(
            (reply, e) -> {
              if (e != null) {
                throw failure("write", e instanceof Exception x ? x : new IOException(e));
              }
              if (!reply.isSuccess()) {
                throw failure("write", reply.getException());
              }
              return writtenIndex(reply);
            });
  }

  private static long writtenIndex(RaftClientReply reply) {
    byte[] r = reply.getMessage().getContent().toByteArray();
    if (r.length != Protocol.OFFSET_WRITE_INDEX + 8 || r[0] != Protocol.STATUS_OK) {
      throw new UnavailableException("write: malformed reply of " + r.length + " bytes", null);
    }
    return LittleEndian.getU64Le(r, Protocol.OFFSET_WRITE_INDEX);
  }

  @Override
  public ReadResult read(Bytes key) {
    byte[] r = readOnly(Protocol.get(key));
    return r[Protocol.OFFSET_GET_PRESENT] == 0
        ? ReadResult.Missing.INSTANCE
        : new ReadResult.Value(
            Bytes.copyOf(r, Protocol.OFFSET_GET_VALUE, r.length - Protocol.OFFSET_GET_VALUE));
  }

  /**
   * A linearizable read: its reply, status OK. A server paused for a snapshot install answers
   * PAUSED (a follower serving a read, or a leader that was a lagging follower a moment ago); that
   * is retried for at most {@link #WAIT}.
   */
  private byte[] readOnly(byte[] query) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      byte[] r =
          call("read", () -> client.io().sendReadOnly(message(query)))
              .getMessage()
              .getContent()
              .toByteArray();
      byte status = r.length == 0 ? Protocol.STATUS_BAD_QUERY : r[0];
      if (status == Protocol.STATUS_OK) {
        return r;
      }
      if (status != Protocol.STATUS_PAUSED || System.nanoTime() > deadline) {
        throw new UnavailableException(
            "read: the leader answered status "
                + status
                + (status == Protocol.STATUS_PAUSED
                    ? " (paused for a snapshot install) for " + WAIT.toSeconds() + " s"
                    : ""),
            null);
      }
      sleep();
    }
  }

  @Override
  public long digest() {
    long target = awaitQuiet();
    long h = Fnv1a64.OFFSET_BASIS;
    for (int id = 0; id < size(); id++) {
      byte[] r =
          partitioned(id)
              ? inspector.nodeQuery(id, Protocol.chain(h), 0)
              : nodeQuery(id, Protocol.chain(h), target);
      h = LittleEndian.getU64Le(r, Protocol.OFFSET_CHAIN_HASH);
    }
    return h;
  }

  /**
   * Node {@code id}'s state, once it has applied every op this client knows committed (waiting at
   * most {@link #WAIT}).
   */
  public NodeDigest nodeDigest(int id) {
    byte[] r = nodeQuery(id, new byte[] {Protocol.STATE}, awaitQuiet());
    return new NodeDigest(
        LittleEndian.getU64Le(r, Protocol.OFFSET_APPLIED),
        LittleEndian.getU64Le(r, Protocol.OFFSET_STATE_KEYS),
        LittleEndian.getU64Le(r, Protocol.OFFSET_STATE_FNV),
        LittleEndian.getU64Le(r, Protocol.OFFSET_STATE_RAFT_INDEX));
  }

  @Override
  public NodeState node(int id) {
    if (partitioned(id)) {
      byte[] r = inspector.nodeQuery(id, new byte[] {Protocol.STATE}, 0);
      return new NodeState(
          LittleEndian.getU64Le(r, Protocol.OFFSET_APPLIED),
          LittleEndian.getU64Le(r, Protocol.OFFSET_STATE_KEYS),
          true);
    }
    NodeDigest d = nodeDigest(id);
    return new NodeState(d.index(), d.keyCount(), false);
  }

  @Override
  public byte[] snapshot(int id) {
    byte[] r =
        partitioned(id)
            ? inspector.nodeQuery(id, new byte[] {Protocol.SNAPSHOT}, 0)
            : nodeQuery(id, new byte[] {Protocol.SNAPSHOT}, awaitQuiet());
    return java.util.Arrays.copyOfRange(r, Protocol.OFFSET_SNAPSHOT, r.length);
  }

  /**
   * The db20 index every node must reach: the cluster's current index, read linearizably from the
   * leader (so a fresh client knows it too), and at least what this client saw committed.
   */
  private long awaitQuiet() {
    byte[] r = readOnly(new byte[] {Protocol.STATE});
    lastIndex = Math.max(lastIndex, LittleEndian.getU64Le(r, Protocol.OFFSET_APPLIED));
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
        byte[] r = reply.isSuccess() ? reply.getMessage().getContent().toByteArray() : null;
        if (r != null && r.length > 0 && r[0] == Protocol.STATUS_OK) {
          long index =
              LittleEndian.getU64Le(
                  r,
                  query[0] == Protocol.SNAPSHOT
                      ? Protocol.OFFSET_SNAPSHOT + SnapshotFormat.OFFSET_COMMIT_INDEX
                      : Protocol.OFFSET_APPLIED);
          if (index >= target) {
            return r;
          }
          last = "at db20 index " + index + ", waiting for " + target;
        } else if (r != null) {
          last =
              r.length > 0 && r[0] == Protocol.STATUS_PAUSED
                  ? "paused for a snapshot install"
                  : "bad reply";
        } else {
          last = String.valueOf(reply.getException());
        }
      } catch (IOException e) {
        last = e.toString();
      }
      if (System.nanoTime() > deadline) {
        throw new UnavailableException(
            "node " + id + " did not catch up within " + WAIT.toSeconds() + " s (" + last + ")",
            null);
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
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
   * A refused op record (the leader's strict decoder refused it in startTransaction, so nothing was
   * logged) as IllegalArgumentException with its offset and rule; anything else as
   * UnavailableException. The client sees the refusal either in a failed reply or as a thrown
   * StateMachineException, so both paths come here; the refusal is found by its type.
   */
  private static RuntimeException failure(String what, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RefusedOpRecordException r) {
        return new IllegalArgumentException(r.describe(), r);
      }
    }
    return new UnavailableException(
        what + " failed: " + (e == null ? "no reply" : e.getMessage()), e);
  }

  private static Message message(byte[] bytes) {
    return Message.valueOf(ByteString.copyFrom(bytes));
  }

  @Override
  public void close() throws IOException {
    client.close();
    if (inspector != null) {
      inspector.close();
    }
  }
}
