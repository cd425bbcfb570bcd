package dev.db20.ratis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;

/**
 * Membership changes through Ratis's {@code setConfiguration} on the admin endpoints, as the
 * administrator ({@code admin.pem} of a {@link TlsFiles} directory). The leader catches a new
 * member up before the change commits; every node then records the new membership in its {@link
 * NodeIdentity}, so its next start must name the new {@code --peers}.
 */
public final class Membership {
  private Membership() {}

  /**
   * Adds node {@code id}, advertised at {@code peer}, to the cluster {@code peers} (whose members
   * are reached through it). The node must be running ({@code db20 server --join}).
   *
   * @return the new membership, {@code ID=HOST:PORT,...}
   * @throws IllegalArgumentException if {@code id} is already a member
   * @throws RatisCluster.UnavailableException if the change was not made, with Ratis's reason
   */
  public static String addNode(Peers peers, Optional<Path> tlsDir, int id, Endpoint peer) {
    List<RaftPeer> next = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      if (i == id) {
        throw new IllegalArgumentException(
            "node " + id + " is already a member (" + peers.address(i) + ")");
      }
      next.add(peers.peer(i));
    }
    next.add(Peers.raftPeer(id, peer));
    return change(peers, tlsDir, next);
  }

  /**
   * Removes node {@code id} from the cluster {@code peers}.
   *
   * @return the new membership
   * @throws IllegalArgumentException if {@code id} is not a member, or is the only one
   * @throws RatisCluster.UnavailableException if the change was not made, with Ratis's reason
   */
  public static String removeNode(Peers peers, Optional<Path> tlsDir, int id) {
    if (id < 0 || id >= peers.size()) {
      throw new IllegalArgumentException(
          "node " + id + " is not in --peers (ids 0.." + (peers.size() - 1) + ")");
    }
    if (peers.size() == 1) {
      throw new IllegalArgumentException("node " + id + " is the only member");
    }
    List<RaftPeer> next = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      if (i != id) {
        next.add(peers.peer(i));
      }
    }
    return change(peers, tlsDir, next);
  }

  private static String change(Peers peers, Optional<Path> tlsDir, List<RaftPeer> next) {
    Parameters rpc =
        tlsDir.isPresent()
            ? TlsFiles.forParty(tlsDir.get(), TlsFiles.Party.ADMIN)
            : new Parameters();
    RaftClientReply reply;
    // About 10 s of retries: long enough to find the leader, short enough to say no soon.
    try (RaftClient c = RatisCluster.newClient(peers, Db20Server.properties(), rpc, 100)) {
      reply = c.admin().setConfiguration(next);
    } catch (IOException e) {
      throw new RatisCluster.UnavailableException("setConfiguration failed: " + e.getMessage(), e);
    }
    if (!reply.isSuccess()) {
      throw new RatisCluster.UnavailableException(
          "setConfiguration refused: " + reply.getException(), reply.getException());
    }
    StringBuilder sb = new StringBuilder();
    next.stream()
        .sorted(java.util.Comparator.comparingInt(p -> Peers.nodeId(p.getId())))
        .forEach(
            p ->
                sb.append(sb.isEmpty() ? "" : ",")
                    .append(Peers.nodeId(p.getId()))
                    .append('=')
                    .append(p.getAddress()));
    return sb.toString();
  }
}
