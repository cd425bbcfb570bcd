package dev.db20.ratis;

import java.util.Optional;

/**
 * The three endpoints of a node, each a gRPC server of its own (Ratis's {@code GrpcConfigKeys}
 * server, client and admin host/port):
 *
 * <ul>
 *   <li><b>peer</b>: Raft traffic between nodes (append entries, votes, snapshot install). Its
 *       advertised address is the node's own {@code --peers} entry.
 *   <li><b>client</b>: reads, writes and node queries; port {@link #CLIENT_PORT_OFFSET} past the
 *       peer port, on the same host.
 *   <li><b>admin</b>: membership, leadership, snapshots, group management; port {@link
 *       #ADMIN_PORT_OFFSET} past the peer port, bound on {@link Endpoint#LOOPBACK} unless given.
 * </ul>
 *
 * <p>A cluster is named by its {@code --peers} string alone: every party derives the client and
 * admin ports from each peer port, so the string stays {@code 0=HOST:PORT,...}.
 *
 * @param peer where the peer endpoint binds
 * @param client where the client endpoint binds
 * @param admin where the admin endpoint binds
 */
public record Endpoints(Endpoint peer, Endpoint client, Endpoint admin) {
  /** The client port is this far past the peer port. */
  public static final int CLIENT_PORT_OFFSET = 1;

  /** The admin port is this far past the peer port. */
  public static final int ADMIN_PORT_OFFSET = 2;

  /** Checks that the three ports differ where the hosts could overlap. */
  public Endpoints {
    if (peer == null || client == null || admin == null) {
      throw new IllegalArgumentException(
          "an endpoint is missing: " + peer + " " + client + " " + admin);
    }
    if (peer.port() == client.port()
        || peer.port() == admin.port()
        || client.port() == admin.port()) {
      throw new IllegalArgumentException(
          "peer, client and admin endpoints need three ports: "
              + peer
              + " "
              + client
              + " "
              + admin);
    }
  }

  /**
   * Where a node binds: the peer endpoint on {@code listen} (default: its advertised {@code
   * --peers} entry), the client endpoint on the same host {@link #CLIENT_PORT_OFFSET} further, the
   * admin endpoint on {@code adminListen} (default: {@link Endpoint#LOOPBACK}, the peer port plus
   * {@link #ADMIN_PORT_OFFSET}).
   */
  public static Endpoints bind(
      Endpoint advertised, Optional<Endpoint> listen, Optional<Endpoint> adminListen) {
    Endpoint peer = listen.orElse(advertised);
    return new Endpoints(
        peer,
        peer.plusPort(CLIENT_PORT_OFFSET),
        adminListen.orElse(
            new Endpoint(Endpoint.LOOPBACK, peer.port()).plusPort(ADMIN_PORT_OFFSET)));
  }

  /** The client endpoint other parties reach for a node advertised at {@code peer}. */
  public static Endpoint clientOf(Endpoint peer) {
    return peer.plusPort(CLIENT_PORT_OFFSET);
  }

  /** The admin endpoint other parties reach for a node advertised at {@code peer}. */
  public static Endpoint adminOf(Endpoint peer) {
    return peer.plusPort(ADMIN_PORT_OFFSET);
  }

  /** Whether every endpoint binds a loopback address. */
  public boolean allLoopback() {
    return peer.isLoopback() && client.isLoopback() && admin.isLoopback();
  }
}
