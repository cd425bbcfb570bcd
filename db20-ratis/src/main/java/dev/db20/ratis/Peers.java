package dev.db20.ratis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * A cluster's members from a {@code --peers} string, {@code 0=127.0.0.1:7000,1=127.0.0.1:7003}:
 * each entry is a node's peer endpoint; its client and admin endpoints are the next two ports
 * ({@link Endpoints}). Ids are db20 node ids, 0 to N−1, each once: the script language and the SPEC
 * §5 digest name nodes by these ids, so they must be exactly 0..N−1.
 */
public final class Peers {
  /** One fixed group: a db20 cluster is one Raft group, so its id is a constant. */
  public static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.nameUUIDFromBytes("db20".getBytes(StandardCharsets.US_ASCII)));

  private final List<RaftPeer> peers;
  private final List<Endpoint> endpoints;

  private Peers(List<RaftPeer> peers, List<Endpoint> endpoints) {
    this.peers = List.copyOf(peers);
    this.endpoints = List.copyOf(endpoints);
  }

  /**
   * Parses {@code spec}.
   *
   * @throws IllegalArgumentException with a one-line message naming what is wrong
   */
  public static Peers parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--peers is empty (want 0=HOST:PORT,1=HOST:PORT,...)");
    }
    String[] parts = spec.split(",", -1);
    Endpoint[] addresses = new Endpoint[parts.length];
    for (String part : parts) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("bad peer '" + part + "' (want ID=HOST:PORT)");
      }
      int id;
      try {
        id = Integer.parseInt(part.substring(0, eq));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad peer id in '" + part + "'");
      }
      if (id < 0 || id >= parts.length) {
        throw new IllegalArgumentException(
            "peer id " + id + " out of range 0.." + (parts.length - 1));
      }
      if (addresses[id] != null) {
        throw new IllegalArgumentException("peer id " + id + " given twice");
      }
      Endpoint e;
      try {
        e = Endpoint.parse(part.substring(eq + 1));
        Endpoints.adminOf(e);
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(x.getMessage() + " for peer " + id);
      }
      addresses[id] = e;
    }
    for (int a = 0; a < addresses.length; a++) {
      for (int b = a + 1; b < addresses.length; b++) {
        if (addresses[a].host().equals(addresses[b].host())
            && Math.abs(addresses[a].port() - addresses[b].port()) <= Endpoints.ADMIN_PORT_OFFSET) {
          throw new IllegalArgumentException(
              "peers "
                  + a
                  + " and "
                  + b
                  + " overlap on "
                  + addresses[a].host()
                  + ": each node uses three ports (peer, client, admin), "
                  + addresses[a].port()
                  + " and "
                  + addresses[b].port()
                  + " are closer than 3");
        }
      }
    }
    List<RaftPeer> list = new ArrayList<>();
    for (int i = 0; i < addresses.length; i++) {
      list.add(raftPeer(i, addresses[i]));
    }
    return new Peers(list, List.of(addresses));
  }

  /**
   * A cluster of {@code n} nodes on loopback ports that are free now: for each node a run of three
   * consecutive ports (peer, client, admin; see {@link Endpoints}), each bound once (all at the
   * same time, so they differ) and released before this returns, for a server to bind next.
   *
   * @throws IOException if the ports cannot be had
   */
  public static Peers freeLoopback(int n) throws IOException {
    StringBuilder sb = new StringBuilder();
    List<ServerSocket> held = new ArrayList<>();
    InetAddress loopback = InetAddress.getByName(Endpoint.LOOPBACK);
    try {
      for (int i = 0; i < n; i++) {
        int base = -1;
        for (int attempt = 0; attempt < 100 && base < 0; attempt++) {
          ServerSocket first = new ServerSocket(0, 50, loopback);
          List<ServerSocket> run = new ArrayList<>(List.of(first));
          try {
            for (int k = 1; k <= Endpoints.ADMIN_PORT_OFFSET; k++) {
              run.add(new ServerSocket(first.getLocalPort() + k, 50, loopback));
            }
            base = first.getLocalPort();
            held.addAll(run);
          } catch (IOException | IllegalArgumentException busy) {
            for (ServerSocket s : run) {
              s.close();
            }
          }
        }
        if (base < 0) {
          throw new IOException("no run of three free loopback ports found in 100 tries");
        }
        sb.append(i == 0 ? "" : ",")
            .append(i)
            .append('=')
            .append(Endpoint.LOOPBACK)
            .append(':')
            .append(base);
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return parse(sb.toString());
  }

  /** Node {@code id} advertised at {@code peer}, with its client and admin endpoints. */
  public static RaftPeer raftPeer(int id, Endpoint peer) {
    return RaftPeer.newBuilder()
        .setId(peerId(id))
        .setAddress(peer.toString())
        .setClientAddress(Endpoints.clientOf(peer).toString())
        .setAdminAddress(Endpoints.adminOf(peer).toString())
        .build();
  }

  /** The Raft peer id of db20 node {@code id}. */
  public static RaftPeerId peerId(int id) {
    return RaftPeerId.valueOf("n" + id);
  }

  /** The db20 node id of a Raft peer id, or -1. */
  public static int nodeId(RaftPeerId peer) {
    String s = peer.toString();
    try {
      return s.startsWith("n") ? Integer.parseInt(s.substring(1)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** N. */
  public int size() {
    return peers.size();
  }

  /** Node {@code id}'s peer. */
  public RaftPeer peer(int id) {
    return peers.get(id);
  }

  /** Node {@code id}'s address, {@code HOST:PORT} as {@code --peers} gave it. */
  public String address(int id) {
    return endpoints.get(id).toString();
  }

  /** Node {@code id}'s peer endpoint as {@code --peers} gave it (its advertised address). */
  public Endpoint endpoint(int id) {
    return endpoints.get(id);
  }

  /** The name of the group's directory inside a node's storage directory (Ratis's layout). */
  public static String groupDirectoryName() {
    return GROUP_ID.getUuid().toString();
  }

  /** Node {@code id}'s peer port. */
  public int port(int id) {
    return endpoints.get(id).port();
  }

  /**
   * The Raft group of all nodes with node {@code id} as a listener: how a joining node starts, so
   * it neither campaigns nor votes until a configuration change makes it a member.
   */
  public RaftGroup groupJoining(int id) {
    List<RaftPeer> list = new ArrayList<>(peers);
    list.set(id, RaftPeer.newBuilder(peers.get(id)).setStartupRole(RaftPeerRole.LISTENER).build());
    return RaftGroup.valueOf(GROUP_ID, list);
  }

  /** The Raft group of all nodes. */
  public RaftGroup group() {
    return RaftGroup.valueOf(GROUP_ID, peers);
  }

  /** The {@code --peers} string. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < peers.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(i).append('=').append(endpoints.get(i));
    }
    return sb.toString();
  }
}
