package dev.db20.ratis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * A cluster's members from a {@code --peers} string, {@code 0=127.0.0.1:7000,1=127.0.0.1:7001}.
 * Ids are db20 node ids, 0 to N−1, each once: the script language and the SPEC §5 digest name
 * nodes by these ids, so they must be exactly 0..N−1.
 */
public final class Peers {
  /** One fixed group: a db20 cluster is one Raft group, so its id is a constant. */
  public static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.nameUUIDFromBytes("db20".getBytes(StandardCharsets.US_ASCII)));

  private final List<RaftPeer> peers;

  private Peers(List<RaftPeer> peers) {
    this.peers = List.copyOf(peers);
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
    String[] addresses = new String[parts.length];
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
        throw new IllegalArgumentException("peer id " + id + " out of range 0.." + (parts.length - 1));
      }
      if (addresses[id] != null) {
        throw new IllegalArgumentException("peer id " + id + " given twice");
      }
      String address = part.substring(eq + 1);
      int colon = address.lastIndexOf(':');
      int port;
      try {
        port = colon <= 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("bad address '" + address + "' for peer " + id + " (want HOST:PORT)");
      }
      addresses[id] = address;
    }
    List<RaftPeer> list = new ArrayList<>();
    for (int i = 0; i < addresses.length; i++) {
      list.add(RaftPeer.newBuilder().setId(peerId(i)).setAddress(addresses[i]).build());
    }
    return new Peers(list);
  }

  /**
   * A cluster of {@code n} nodes on loopback ports that are free now: each is bound once (all at
   * the same time, so they differ) and released before this returns, for a server to bind next.
   *
   * @throws IOException if the ports cannot be had
   */
  public static Peers freeLoopback(int n) throws IOException {
    StringBuilder sb = new StringBuilder();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        held.add(s);
        sb.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return parse(sb.toString());
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
    return peers.get(id).getAddress();
  }

  /** The name of the group's directory inside a node's storage directory (Ratis's layout). */
  public static String groupDirectoryName() {
    return GROUP_ID.getUuid().toString();
  }

  /** Node {@code id}'s port. */
  public int port(int id) {
    String a = peers.get(id).getAddress();
    return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
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
      sb.append(i == 0 ? "" : ",").append(i).append('=').append(peers.get(i).getAddress());
    }
    return sb.toString();
  }
}
