package dev.db20.ratis;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything one node is started with: who it is in which cluster, where its data lives, where it
 * listens and how it is tuned. Built with {@link #of} and the {@code with} methods, so a new
 * setting does not change any caller.
 *
 * @param peers every member of the cluster, as {@code --peers} names them (advertised addresses)
 * @param id this node's id in {@code peers}
 * @param dir the node's storage directory
 * @param endpoints where this node binds its peer, client and admin endpoints
 * @param settings snapshot and log tuning
 * @param tuning Ratis's replication, election and log-flush settings
 * @param tlsDir the node's certificates ({@link TlsFiles}): mutual TLS on every endpoint
 * @param insecure serve without TLS: no authentication at all; the explicit opt-in a node without
 *     {@code tlsDir} needs
 * @param startup what the node may do with its data directory
 */
public record NodeConfig(
    Peers peers,
    int id,
    Path dir,
    Endpoints endpoints,
    Db20Server.Settings settings,
    RatisTuning tuning,
    Optional<Path> tlsDir,
    boolean insecure,
    Startup startup) {
  /** What a start may do with the data directory. */
  public enum Startup {
    /** Recover the node the directory holds; refuse an empty one (the default). */
    RESTART,
    /** Form a new cluster: format an empty directory as node {@code id} of {@code peers}. */
    BOOTSTRAP,
    /**
     * Format an empty directory as a new member of a running cluster: it starts as a Raft listener
     * (it never campaigns or votes) until {@code db20 admin add-node} makes it a member.
     */
    JOIN
  }

  /** Checks the fields. */
  public NodeConfig {
    if (peers == null
        || dir == null
        || endpoints == null
        || settings == null
        || tuning == null
        || tlsDir == null
        || startup == null) {
      throw new IllegalArgumentException("NodeConfig: a field is null");
    }
    if (tlsDir.isPresent() && insecure) {
      throw new IllegalArgumentException("--tls-dir and --insecure exclude each other");
    }
    if (id < 0 || id >= peers.size()) {
      throw new IllegalArgumentException(
          "--id " + id + " is not in --peers (ids 0.." + (peers.size() - 1) + ")");
    }
  }

  /**
   * Node {@code id} of {@code peers} with its data in {@code dir}: bound where its {@code --peers}
   * entry says (admin on loopback), {@link Db20Server.Settings#DEFAULT} and {@link
   * RatisTuning#DEFAULT}, neither TLS nor {@code insecure} yet ({@link Db20Server#start} refuses it
   * so).
   */
  public static NodeConfig of(Peers peers, int id, Path dir) {
    if (id < 0 || id >= peers.size()) {
      throw new IllegalArgumentException(
          "--id " + id + " is not in --peers (ids 0.." + (peers.size() - 1) + ")");
    }
    return new NodeConfig(
        peers,
        id,
        dir,
        Endpoints.bind(peers.endpoint(id), Optional.empty(), Optional.empty()),
        Db20Server.Settings.DEFAULT,
        RatisTuning.DEFAULT,
        Optional.empty(),
        false,
        Startup.RESTART);
  }

  /**
   * This config with the peer endpoint bound on {@code listen} (e.g. {@code 0.0.0.0:7000}, or the
   * real port behind a proxy that {@code --peers} names) and the admin endpoint on {@code
   * adminListen}; an empty one keeps the default.
   */
  public NodeConfig withListen(Optional<Endpoint> listen, Optional<Endpoint> adminListen) {
    return new NodeConfig(
        peers,
        id,
        dir,
        Endpoints.bind(peers.endpoint(id), listen, adminListen),
        settings,
        tuning,
        tlsDir,
        insecure,
        startup);
  }

  /** This config with {@code settings}. */
  public NodeConfig withSettings(Db20Server.Settings settings) {
    return new NodeConfig(peers, id, dir, endpoints, settings, tuning, tlsDir, insecure, startup);
  }

  /** This config with {@code tuning}. */
  public NodeConfig withTuning(RatisTuning tuning) {
    return new NodeConfig(peers, id, dir, endpoints, settings, tuning, tlsDir, insecure, startup);
  }

  /** This config with {@code startup}. */
  public NodeConfig withStartup(Startup startup) {
    return new NodeConfig(peers, id, dir, endpoints, settings, tuning, tlsDir, insecure, startup);
  }

  /** This config with mutual TLS from {@code tlsDir} ({@link TlsFiles}). */
  public NodeConfig withTls(Path tlsDir) {
    return new NodeConfig(
        peers, id, dir, endpoints, settings, tuning, Optional.of(tlsDir), false, startup);
  }

  /** This config serving without TLS: anyone who reaches an endpoint may use it. */
  public NodeConfig withInsecure() {
    return new NodeConfig(
        peers, id, dir, endpoints, settings, tuning, Optional.empty(), true, startup);
  }
}
