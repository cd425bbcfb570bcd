package dev.db20.ratis;

import dev.db20.api.Op;
import dev.db20.core.KvState;
import dev.db20.core.OpRecord;
import dev.db20.core.OpRecordFormatException;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import dev.db20.wire.LittleEndian;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.JavaUtils;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * db20's state machine on Ratis. A transaction is one SPEC §4.1 op record, decoded strictly and
 * applied with {@link KvState#apply}, the apply code the model uses. The db20 commit index is the
 * number of db20 ops applied; Ratis's own entries (configuration, leader no-ops) take log indexes
 * but are not db20 ops, so the two indexes differ and both are kept.
 *
 * <p>Lifecycle, as Ratis's {@code SimpleStateMachine4Testing} does it: {@link #pause} before a
 * snapshot installed from the leader replaces the state machine directory, then {@link
 * #reinitialize} reloads the newest snapshot there. (A state machine without this crashes the
 * server on install: Ratis asserts the PAUSED state before reloading.)
 *
 * <p>Thread-safety: applies run on Ratis's one updater thread, queries on RPC threads; every access
 * to the state holds this object's monitor, and applies keep the db20 count and Ratis's applied
 * term/index in step under it, so a snapshot captures a consistent triple.
 */
public final class Db20StateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(Db20StateMachine.class);

  private final Store store = new Store();
  private KvState state = new KvState();
  private long applied; // db20 ops applied: the db20 commit index
  // The STATE reply (its fnv1a64 is over the whole encoded state) for the Ratis applied index
  // stateReplyAt; clients poll STATE while they wait for a node to catch up. Reset by load().
  private byte[] stateReply;
  private long stateReplyAt = -1;

  private final Consumer<String> membershipChanged;
  private final CompletableFuture<Db20Server.StorageFailure> failure = new CompletableFuture<>();
  private volatile Path currentDir;

  /** Completes with the first storage failure. */
  CompletableFuture<Db20Server.StorageFailure> failure() {
    return failure;
  }

  /** Fail-stop: records the first failure, logs it once at ERROR. */
  void failed(Db20Server.StorageFailure f) {
    if (failure.complete(f)) {
      LOG.debug("{}: storage failed: {}; this node stops", getId(), f.getMessage(), f);
    }
  }

  /** Ratis's log could not write: fail-stop (the log stays failed until a restart). */
  @Override
  public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
    failed(new Db20Server.StorageFailure(currentDir, cause));
  }

  /**
   * A state machine with an empty state; {@link #initialize} loads the newest valid snapshot.
   * {@code membershipChanged} receives the membership ({@code ID=HOST:PORT,...} by id, listeners
   * left out) each time Ratis applies a configuration entry.
   */
  public Db20StateMachine(Consumer<String> membershipChanged) {
    this.membershipChanged = membershipChanged;
  }

  @Override
  public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto conf) {
    java.util.TreeMap<Integer, String> byId = new java.util.TreeMap<>();
    for (RaftPeerProto peer : conf.getPeersList()) {
      byId.put(Peers.nodeId(RaftPeerId.valueOf(peer.getId())), peer.getAddress());
    }
    StringBuilder sb = new StringBuilder();
    byId.forEach(
        (id, address) -> sb.append(sb.isEmpty() ? "" : ",").append(id).append('=').append(address));
    LOG.info("{}: membership at log index {}: {}", getId(), index, sb);
    membershipChanged.accept(sb.toString());
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    getLifeCycle()
        .startAndTransition(
            () -> {
              super.initialize(server, groupId, raftStorage);
              store.init(raftStorage);
              currentDir = raftStorage.getStorageDir().getCurrentDir().toPath();
              boolean hadSnapshots = !SnapshotFiles.list(store.dir()).isEmpty();
              load();
              long first = firstLogIndex(currentDir);
              // Ratis's log starts at index 0: without a snapshot, a log that starts later (purged)
              // or
              // is gone (every segment purged) cannot rebuild the state.
              boolean purged = first != Long.MAX_VALUE ? first > 0 : hadSnapshots;
              if (store.latest == null && purged) {
                throw new Db20Server.StorageFailure(
                    store.dir(),
                    "no snapshot can be loaded and the log"
                        + (first == Long.MAX_VALUE ? " is empty" : " starts at index " + first)
                        + ": the state cannot be rebuilt here; move the node's --dir away and start it with"
                        + " --join (the leader installs its snapshot)");
              }
            });
  }

  @Override
  public synchronized void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public synchronized void reinitialize() throws IOException {
    load();
    LOG.info("{}: reinitialized from snapshot {} (db20 index {})", getId(), store.latest, applied);
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  /**
   * The lowest index in the log segments in {@code current} ({@code log_S-E}, {@code
   * log_inprogress_S}), or MAX_VALUE if there are none.
   */
  static long firstLogIndex(Path current) throws IOException {
    long min = Long.MAX_VALUE;
    if (!java.nio.file.Files.isDirectory(current)) {
      return min;
    }
    try (java.nio.file.DirectoryStream<Path> s = java.nio.file.Files.newDirectoryStream(current)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        try {
          if (name.startsWith("log_inprogress_")) {
            min = Math.min(min, Long.parseLong(name.substring("log_inprogress_".length())));
          } else if (name.startsWith("log_") && name.indexOf('-') > 4) {
            min = Math.min(min, Long.parseLong(name.substring(4, name.indexOf('-'))));
          }
        } catch (NumberFormatException e) {
          // Not a segment.
        }
      }
    }
    return min;
  }

  /** Replaces the state with the newest valid snapshot on disk, or the empty state if none. */
  private synchronized void load() throws IOException {
    stateReply = null;
    stateReplyAt = -1;
    SnapshotFiles.Loaded loaded = SnapshotFiles.loadNewestValid(store.dir());
    if (loaded == null) {
      state = new KvState();
      applied = 0;
      store.latest = null;
      return;
    }
    state = KvState.of(loaded.state());
    applied = loaded.state().commitIndex();
    TermIndex ti = TermIndex.valueOf(loaded.ref().term(), loaded.ref().index());
    setLastAppliedTermIndex(ti);
    store.latest = new SingleFileSnapshotInfo(new FileInfo(loaded.ref().path(), null), ti);
    LOG.info(
        "{}: loaded {} (db20 index {}, {} keys)",
        getId(),
        loaded.ref().path(),
        applied,
        state.size());
  }

  /** Refuses a bad op record on the leader, before it reaches the log. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext trx = super.startTransaction(request);
    try {
      // The leader applies the op it decoded here; a follower decodes the log entry.
      trx.setStateMachineContext(OpRecord.decode(request.getMessage().getContent().toByteArray()));
    } catch (OpRecordFormatException e) {
      trx.setException(new RefusedOpRecordException(e));
    }
    return trx;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    Op op;
    try {
      op =
          trx.getStateMachineContext() instanceof Op decoded
              ? decoded
              : OpRecord.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
    } catch (OpRecordFormatException e) {
      // Every node decodes the same bytes the same way, so every node skips it alike.
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return JavaUtils.completeExceptionally(
          new StateMachineException(
              getId() + " refused an op record", new RefusedOpRecordException(e)));
    }
    long index;
    synchronized (this) {
      state.apply(op);
      index = ++applied;
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    }
    // The reply array is new and never written again: wrapped, not copied.
    return CompletableFuture.completedFuture(
        Message.valueOf(UnsafeByteOperations.unsafeWrap(Protocol.written(index))));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    byte[] q = request.getContent().toByteArray();
    byte[] reply;
    synchronized (this) {
      // Paused for a snapshot install: the state is about to be replaced; the client retries.
      reply =
          getLifeCycleState() != LifeCycle.State.RUNNING
              ? Protocol.status(Protocol.STATUS_PAUSED)
              : answer(q);
    }
    // A copy: the STATE reply is cached and handed out again.
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
  }

  /** The reply to query {@code q} (holding the monitor). */
  private byte[] answer(byte[] q) {
    if (q.length == 0) {
      return Protocol.status(Protocol.STATUS_BAD_QUERY);
    }
    switch (q[0]) {
      case Protocol.GET -> {
        Optional<Bytes> v = state.get(Bytes.copyOf(q, 1, q.length - 1));
        if (v.isEmpty()) {
          return Protocol.ok(Protocol.OFFSET_GET_VALUE);
        }
        byte[] reply = Protocol.ok(Protocol.OFFSET_GET_VALUE + v.get().length());
        reply[Protocol.OFFSET_GET_PRESENT] = 1;
        v.get().copyTo(reply, Protocol.OFFSET_GET_VALUE);
        return reply;
      }
      case Protocol.STATE -> {
        long raftIndex = getLastAppliedTermIndex().getIndex();
        if (stateReply != null && stateReplyAt == raftIndex) {
          return stateReply;
        }
        byte[] reply = Protocol.ok(Protocol.SIZE_STATE_REPLY);
        LittleEndian.putU64Le(reply, Protocol.OFFSET_APPLIED, applied);
        LittleEndian.putU64Le(reply, Protocol.OFFSET_STATE_KEYS, state.size());
        LittleEndian.putU64Le(reply, Protocol.OFFSET_STATE_FNV, Fnv1a64.of(state.encode(applied)));
        LittleEndian.putU64Le(reply, Protocol.OFFSET_STATE_RAFT_INDEX, raftIndex);
        stateReply = reply;
        stateReplyAt = raftIndex;
        return reply;
      }
      case Protocol.SNAPSHOT -> {
        byte[] snapshot = state.encode(applied);
        byte[] reply = Protocol.ok(Protocol.OFFSET_SNAPSHOT + snapshot.length);
        System.arraycopy(snapshot, 0, reply, Protocol.OFFSET_SNAPSHOT, snapshot.length);
        return reply;
      }
      case Protocol.CHAIN -> {
        if (q.length != Protocol.SIZE_CHAIN_QUERY) {
          return Protocol.status(Protocol.STATUS_BAD_QUERY);
        }
        byte[] reply = Protocol.ok(Protocol.SIZE_CHAIN_REPLY);
        LittleEndian.putU64Le(reply, Protocol.OFFSET_APPLIED, applied);
        LittleEndian.putU64Le(
            reply,
            Protocol.OFFSET_CHAIN_HASH,
            Fnv1a64.update(LittleEndian.getU64Le(q, 1), state.encode(applied)));
        return reply;
      }
      default -> {
        return Protocol.status(Protocol.STATUS_BAD_QUERY);
      }
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex ti;
    byte[] bytes;
    synchronized (this) {
      ti = getLastAppliedTermIndex();
      if (ti == null || ti.getIndex() < 0) {
        return -1;
      }
      bytes = state.encode(applied);
    }
    Path file;
    try {
      file = SnapshotFiles.write(store.dir(), ti.getTerm(), ti.getIndex(), bytes);
    } catch (IOException e) {
      failed(new Db20Server.StorageFailure(store.dir(), e));
      throw e;
    }
    synchronized (this) {
      store.latest = new SingleFileSnapshotInfo(new FileInfo(file, null), ti);
    }
    LOG.info("{}: took snapshot {} ({} bytes)", getId(), file.getFileName(), bytes.length);
    return ti.getIndex();
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return store;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return store.getLatestSnapshot();
  }

  @Override
  public void close() {
    getLifeCycle().checkStateAndClose();
  }

  /** The db20 index (ops applied) and the state, for in-process tests. */
  public synchronized byte[] snapshotBytes() {
    return state.encode(applied);
  }

  /**
   * Where snapshots live: Ratis's state machine directory, the one a snapshot installed from the
   * leader replaces whole.
   */
  private final class Store implements StateMachineStorage {
    private volatile File smDir;
    volatile SingleFileSnapshotInfo latest;

    @Override
    public void init(RaftStorage raftStorage) {
      smDir = raftStorage.getStorageDir().getStateMachineDir();
    }

    Path dir() {
      return smDir.toPath();
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
      return latest;
    }

    @Override
    public void format() {}

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
      // Ratis's retention policy (raft.server.snapshot.retention.file.num); 0 or less keeps all.
      int keep = policy.getNumSnapshotsRetained();
      if (keep > 0 && SnapshotFiles.list(dir()).size() > keep) {
        SnapshotFiles.retain(dir(), keep);
      }
    }
  }
}
