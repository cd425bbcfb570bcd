package dev.db20.ratis;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
   * @param segmentBytes the largest log segment; only closed segments are purged, so small
   *     segments let tests see the log purged after a snapshot
   * @param purgeGap purge the log when a snapshot is this many entries past the last purge
   */
  public record Settings(long snapshotEvery, long segmentBytes, int purgeGap) {
    /** Production-ish defaults: a snapshot every 100,000 entries, 8 MiB segments. */
    public static final Settings DEFAULT = new Settings(100_000, 8L << 20, 1024);
    /** Small enough that a test of a few hundred ops snapshots and purges its log. */
    public static final Settings SMALL = new Settings(100, 16L << 10, 16);
  }

  /** Snapshot files a node keeps: the newest and two older ones to fall back on if it is corrupt. */
  public static final int SNAPSHOTS_RETAINED = 3;

  private final RaftServer server;
  private final Db20StateMachine stateMachine;

  private Db20Server(RaftServer server, Db20StateMachine stateMachine) {
    this.server = server;
    this.stateMachine = stateMachine;
  }

  /** Raft settings shared by servers and clients: timeouts sized for a loaded two-core machine. */
  static RaftProperties properties() {
    RaftProperties p = new RaftProperties();
    // Ratis's 150-300 ms default election timeout flaps leaders when two cores are shared by
    // several JVMs; a second is still a quick failover.
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
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
    if (config.tlsDir().isEmpty() && !config.insecure()) {
      throw new IllegalArgumentException("refusing to serve node " + config.id()
          + " without authentication: give --tls-dir DIR (db20 certs makes one) or --insecure");
    }
    Parameters rpc = config.tlsDir().isPresent()
        ? TlsFiles.forNode(config.tlsDir().get(), config.id()) : new Parameters();
    RaftProperties p = properties();
    Path dir = config.dir();
    Db20Server.Settings settings = config.settings();
    Files.createDirectories(dir);
    RaftServerConfigKeys.setStorageDir(p, List.of(dir.toFile()));
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
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, settings.purgeGap());
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(settings.segmentBytes()));
    // Ratis appends a metadata entry (the commit index) after commits, by default: with one
    // synchronous client that is a second log entry, and a second fsync, per write. Raft does not
    // need it (a restarted node learns the commit index from the leader), so it is off.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(settings.segmentBytes(), 4L << 20)));

    boolean exists = Files.isDirectory(dir.resolve(Peers.groupDirectoryName()));
    Db20StateMachine sm = new Db20StateMachine();
    RaftServer server = RaftServer.newBuilder()
        .setServerId(Peers.peerId(config.id()))
        .setGroup(config.peers().group())
        .setProperties(p)
        .setParameters(rpc)
        .setStateMachine(sm)
        .setOption(exists ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
    server.start();
    return new Db20Server(server, sm);
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
