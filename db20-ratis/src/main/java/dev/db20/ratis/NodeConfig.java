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
 */
public record NodeConfig(Peers peers, int id, Path dir, Endpoints endpoints,
    Db20Server.Settings settings, RatisTuning tuning) {
  /** Checks the fields. */
  public NodeConfig {
    if (peers == null || dir == null || endpoints == null || settings == null || tuning == null) {
      throw new IllegalArgumentException("NodeConfig: a field is null");
    }
    if (id < 0 || id >= peers.size()) {
      throw new IllegalArgumentException(
          "--id " + id + " is not in --peers (ids 0.." + (peers.size() - 1) + ")");
    }
  }

  /**
   * Node {@code id} of {@code peers} with its data in {@code dir}: bound where its {@code --peers}
   * entry says (admin on loopback), {@link Db20Server.Settings#DEFAULT} and {@link
   * RatisTuning#DEFAULT}.
   */
  public static NodeConfig of(Peers peers, int id, Path dir) {
    if (id < 0 || id >= peers.size()) {
      throw new IllegalArgumentException(
          "--id " + id + " is not in --peers (ids 0.." + (peers.size() - 1) + ")");
    }
    return new NodeConfig(peers, id, dir,
        Endpoints.bind(peers.endpoint(id), Optional.empty(), Optional.empty()),
        Db20Server.Settings.DEFAULT, RatisTuning.DEFAULT);
  }

  /**
   * This config with the peer endpoint bound on {@code listen} (e.g. {@code 0.0.0.0:7000}, or the
   * real port behind a proxy that {@code --peers} names) and the admin endpoint on {@code
   * adminListen}; an empty one keeps the default.
   */
  public NodeConfig withListen(Optional<Endpoint> listen, Optional<Endpoint> adminListen) {
    return new NodeConfig(peers, id, dir, Endpoints.bind(peers.endpoint(id), listen, adminListen),
        settings, tuning);
  }

  /** This config with {@code settings}. */
  public NodeConfig withSettings(Db20Server.Settings settings) {
    return new NodeConfig(peers, id, dir, endpoints, settings, tuning);
  }

  /** This config with {@code tuning}. */
  public NodeConfig withTuning(RatisTuning tuning) {
    return new NodeConfig(peers, id, dir, endpoints, settings, tuning);
  }
}
