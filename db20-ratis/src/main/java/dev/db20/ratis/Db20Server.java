package dev.db20.ratis;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** One db20 node: a Ratis server over gRPC running {@link Db20StateMachine}. */
public final class Db20Server implements Closeable {
  /**
   * What a node is tuned with.
   *
   * @param snapshotEvery take a snapshot every this many log entries
   * @param segmentBytes the largest log segment; only closed segments are purged, so small segments
   *     let tests see the log purged after a snapshot
   * @param purgeGap purge the log when a snapshot is this many entries past the last purge
   */
  public record Settings(long snapshotEvery, long segmentBytes, int purgeGap) {
    /** Production-ish defaults: a snapshot every 100,000 entries, 8 MiB segments. */
    public static final Settings DEFAULT = new Settings(100_000, 8L << 20, 1024);

    /** Small enough that a test of a few hundred ops snapshots and purges its log. */
    public static final Settings SMALL = new Settings(100, 16L << 10, 16);
  }

  /**
   * Snapshot files a node keeps: the newest and two older ones to fall back on if it is corrupt.
   */
  public static final int SNAPSHOTS_RETAINED = 3;

  /**
   * How long a node remembers the reply to a client's write (Ratis's retry cache, {@code
   * raft.server.retrycache.expirytime}; Ratis's default), so a retry of it is answered, not applied
   * again. It must outlast a client's retries of one write ({@link RatisCluster#WRITE_RETRY_BUDGET}
   * plus one request timeout). A follower keeps every entry for this long, so it sets the
   * follower's live heap (docs/ratis.md, "JVM flags").
   */
  static final Duration RETRY_CACHE_EXPIRY = Duration.ofSeconds(60);

  private final RaftServer server;
  private final Db20StateMachine stateMachine;

  private Db20Server(RaftServer server, Db20StateMachine stateMachine) {
    this.server = server;
    this.stateMachine = stateMachine;
  }

  /** Raft settings shared by servers and clients (a server adds its {@link RatisTuning}). */
  static RaftProperties properties() {
    RaftProperties p = new RaftProperties();
    // Reads go through ReadIndex on the leader: linearizable, not a lease.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    return p;
  }

  /**
   * Starts the node {@code config} describes, its storage in {@code config.dir()}: FORMAT on a
   * fresh directory, RECOVER on one that already holds this group (FORMAT fails on existing
   * storage). The peer, client and admin endpoints are three gRPC servers, each bound on the host
   * {@link NodeConfig#endpoints()} names, never the wildcard unless it names it.
   */
  public static Db20Server start(NodeConfig config) throws IOException {
    return start(config, p -> {});
  }

  /**
   * {@link #start(NodeConfig)} with {@code override} applied last to Ratis's properties: for tests
   * that pin a Ratis default db20 changes (see {@link #start(NodeConfig)}'s settings).
   */
  static Db20Server start(NodeConfig config, Consumer<RaftProperties> override) throws IOException {
    if (config.tlsDir().isEmpty() && !config.insecure()) {
      throw new IllegalArgumentException(
          "refusing to serve node "
              + config.id()
              + " without authentication: give --tls-dir DIR (db20 certs makes one) or --insecure");
    }
    Parameters rpc =
        config.tlsDir().isPresent()
            ? TlsFiles.forNode(config.tlsDir().get(), config.id())
            : new Parameters();
    RaftProperties p = properties();
    config.tuning().applyTo(p);
    Path dir = config.dir();
    Db20Server.Settings settings = config.settings();
    RaftServerConfigKeys.setStorageDir(p, List.of(dir.toFile()));
    // gRPC with one appender decision fixed (RATIS-2523): Db20LogAppender.
    RaftConfigKeys.Rpc.setType(p, new Db20LogAppender.Rpc());
    Endpoints e = config.endpoints();
    GrpcConfigKeys.Server.setHost(p, e.peer().host());
    GrpcConfigKeys.Server.setPort(p, e.peer().port());
    GrpcConfigKeys.Client.setHost(p, e.client().host());
    GrpcConfigKeys.Client.setPort(p, e.client().port());
    GrpcConfigKeys.Admin.setHost(p, e.admin().host());
    GrpcConfigKeys.Admin.setPort(p, e.admin().port());
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, settings.snapshotEvery());
    // The state machine keeps this many snapshot files (Ratis's retention policy).
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, SNAPSHOTS_RETAINED);
    RaftServerConfigKeys.RetryCache.setExpiryTime(
        p, TimeDuration.valueOf(RETRY_CACHE_EXPIRY.toMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, settings.purgeGap());
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(settings.segmentBytes()));
    // Ratis appends a metadata entry (the commit index) after commits, by default: with one
    // synchronous client that is a second log entry, and a second fsync, per write. Raft does not
    // need it (a restarted node learns the commit index from the leader), so it is off.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    RaftServerConfigKeys.Log.setPreallocatedSize(
        p, SizeInBytes.valueOf(Math.min(settings.segmentBytes(), 4L << 20)));
    // A follower appends each AppendEntries as it is checked, not chained behind the previous one
    // (RATIS-2387's switch; Apache Ozone sets it off too, HDDS-14874). With Ratis's default chain,
    // ServerImplUtils.NavigableIndices composes every append on the one before, so a single failed
    // append fails every later one on that follower, with the first one's exception, until it
    // restarts: issue 16's second stuck mode (docs/ratis.md, FailedAppendTest).
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    override.accept(p);

    RaftStorage.StartupOption option = checkIdentity(config);
    Db20StateMachine[] self = new Db20StateMachine[1];
    Db20StateMachine sm =
        new Db20StateMachine(
            peers -> {
              try {
                NodeIdentity have = NodeIdentity.read(dir);
                have.withPeers(NodeIdentity.merge(have.peers(), peers)).write(dir);
              } catch (IOException | RuntimeException x) {
                self[0].failed(new StorageFailure(NodeIdentity.file(dir), x));
              }
            });
    self[0] = sm;
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(Peers.peerId(config.id()))
            .setGroup(
                config.startup() == NodeConfig.Startup.JOIN
                    ? config.peers().groupJoining(config.id())
                    : config.peers().group())
            .setProperties(p)
            .setParameters(rpc)
            .setStateMachine(sm)
            .setOption(option)
            .build();
    server.start();
    // Fail-stop in-process too: a node whose storage failed does not keep serving.
    sm.failure()
        .thenRun(
            () ->
                new Thread(
                        () -> {
                          try {
                            server.close();
                          } catch (IOException | RuntimeException x) {
                            // Closing a node whose storage failed; the failure is what its owner
                            // reports.
                          }
                        },
                        "db20-fail-stop")
                    .start());
    return new Db20Server(server, sm);
  }

  /**
   * What the directory holds against what the node is started as: RECOVER a directory whose
   * identity matches, FORMAT an empty one when bootstrapping or joining (writing the identity
   * first); refuse everything else with one line naming both values.
   */
  private static RaftStorage.StartupOption checkIdentity(NodeConfig config) throws IOException {
    Path dir = config.dir();
    String peers = config.peers().toString();
    boolean raft = Files.isDirectory(dir.resolve(Peers.groupDirectoryName()));
    if (Files.exists(NodeIdentity.file(dir))) {
      NodeIdentity have = NodeIdentity.read(dir);
      if (config.startup() != NodeConfig.Startup.RESTART) {
        throw new IllegalArgumentException(
            dir
                + " already holds node "
                + have.id()
                + " of --peers "
                + have.peers()
                + ": start it again without --"
                + config.startup().name().toLowerCase(java.util.Locale.ROOT));
      }
      if (!have.cluster().equals(Peers.groupDirectoryName())) {
        throw new IllegalArgumentException(
            dir
                + " holds a node of cluster "
                + have.cluster()
                + ", not of this cluster "
                + Peers.groupDirectoryName());
      }
      if (have.id() != config.id()) {
        throw new IllegalArgumentException(
            dir
                + " holds node "
                + have.id()
                + ", not --id "
                + config.id()
                + " (of --peers "
                + have.peers()
                + ")");
      }
      if (!have.peers().equals(peers)) {
        throw new IllegalArgumentException(
            dir
                + " holds node "
                + have.id()
                + " of --peers "
                + have.peers()
                + ", not of --peers "
                + peers);
      }
      if (!raft) {
        throw new IllegalArgumentException(
            dir
                + " holds node "
                + have.id()
                + "'s identity but no Raft storage ("
                + Peers.groupDirectoryName()
                + "/ is gone): refusing to start empty; wipe the directory and --join it back");
      }
      return RaftStorage.StartupOption.RECOVER;
    }
    if (raft) {
      throw new IllegalArgumentException(
          dir
              + " holds Raft storage but no "
              + NodeIdentity.FILE
              + ": refusing to guess whose it is");
    }
    switch (config.startup()) {
      case RESTART ->
          throw new IllegalArgumentException(
              dir
                  + " holds no node: to form a new"
                  + " cluster start each node once with --bootstrap; to add this node to a running"
                  + " cluster start it with --join, then run db20 admin add-node "
                  + config.id()
                  + "="
                  + config.peers().address(config.id()));
      case BOOTSTRAP, JOIN -> {
        Files.createDirectories(dir, PRIVATE_DIR);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        new NodeIdentity(Peers.groupDirectoryName(), config.id(), peers).write(dir);
        return RaftStorage.StartupOption.FORMAT;
      }
      default -> throw new AssertionError(config.startup());
    }
  }

  private static final FileAttribute<?> PRIVATE_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  /**
   * A storage failure the node cannot serve past: the path, the cause and, where the operating
   * system's message names one, the errno.
   */
  public static final class StorageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String[][] ERRNO = {
      {"No space left on device", "ENOSPC"}, {"Read-only file system", "EROFS"},
      {"Input/output error", "EIO"}, {"Permission denied", "EACCES"},
      {"Disk quota exceeded", "EDQUOT"}, {"No such file or directory", "ENOENT"},
    };

    /** The file or directory that failed. */
    public final transient Path path;

    StorageFailure(Path path, Throwable cause) {
      super(path + ": " + reason(cause), cause);
      this.path = path;
    }

    StorageFailure(Path path, String message) {
      super(path + ": " + message);
      this.path = path;
    }

    /** The innermost message of {@code t} with the errno its text stands for, if known. */
    static String reason(Throwable t) {
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String m =
          root instanceof java.nio.file.FileSystemException f && f.getReason() != null
              ? f.getReason()
              : String.valueOf(root.getMessage());
      for (String[] e : ERRNO) {
        if (m.contains(e[0])) {
          return m + " (errno " + e[1] + ")";
        }
      }
      return m + " (" + root.getClass().getSimpleName() + ")";
    }
  }

  /**
   * Completes when this node's storage fails (a log write, a snapshot, its identity file): the node
   * must stop; {@code db20 server} exits non-zero, an in-process owner closes it.
   */
  public CompletableFuture<StorageFailure> failure() {
    return stateMachine.failure();
  }

  /** The state machine, for in-process tests. */
  public Db20StateMachine stateMachine() {
    return stateMachine;
  }

  /** The Ratis server. */
  public RaftServer raftServer() {
    return server;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
