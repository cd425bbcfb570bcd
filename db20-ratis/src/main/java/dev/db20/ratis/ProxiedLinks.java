package dev.db20.ratis;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cluster's network for fault tests: one {@link LinkProxy} for every directed node-to-node link
 * (in front of the target's peer endpoint) and one for the clients' link to each node (in front of
 * its client endpoint). Node {@code i} runs with {@link #nodeView(int)} as its peers (itself at its
 * real port, every other node through link {@code i->j}); clients use {@link #clientView()}, whose
 * entry for node j is the client link's port minus {@link Endpoints#CLIENT_PORT_OFFSET}, since a
 * client derives a node's client endpoint from its entry. Ratis keeps the address a peer was first
 * registered with, so each node keeps dialing through its own links. The admin endpoints have no
 * links: the clients' view of them is meaningless, so admin calls go to {@link #real()}.
 */
public final class ProxiedLinks implements Closeable {
  private final Peers real;
  private final LinkProxy[][] links; // links[from][to]
  private final LinkProxy[] clientLinks;
  private final Set<Integer> partitioned = new TreeSet<>();

  /** Links in front of the nodes at {@code real}'s addresses (loopback ports). */
  public ProxiedLinks(Peers real) throws IOException {
    this.real = real;
    int n = real.size();
    links = new LinkProxy[n][n];
    clientLinks = new LinkProxy[n];
    // Every --peers entry in any view (the nodes' real ports and each link's entry) is at least
    // the three ports a node uses apart from every other, as Peers.parse requires.
    List<Integer> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      entries.add(real.port(i));
    }
    List<LinkProxy> misses = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        clientLinks[i] =
            newLink(
                "client->" + i,
                real.port(i) + Endpoints.CLIENT_PORT_OFFSET,
                Endpoints.CLIENT_PORT_OFFSET,
                entries,
                misses);
        for (int j = 0; j < n; j++) {
          if (i != j) {
            links[i][j] = newLink(i + "->" + j, real.port(j), 0, entries, misses);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    } finally {
      for (LinkProxy m : misses) {
        m.close();
      }
    }
  }

  /**
   * A link on a free port whose view entry (its port minus {@code offset}) is at least {@link
   * Endpoints#ADMIN_PORT_OFFSET} + 1 away from every entry in {@code entries}, so no view has two
   * nodes' port runs overlapping and no link takes a port a node will bind (the nodes' ports were
   * free when {@link Peers#freeLoopback} chose them, and are bound only later). A miss stays open
   * in {@code misses} until every link is made, so the system does not offer it again.
   */
  private static LinkProxy newLink(
      String name, int target, int offset, List<Integer> entries, List<LinkProxy> misses)
      throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      LinkProxy l = new LinkProxy(name, target);
      int entry = l.port() - offset;
      boolean clear = entry > 0;
      for (int e : entries) {
        clear &= Math.abs(entry - e) > Endpoints.ADMIN_PORT_OFFSET;
      }
      if (clear) {
        entries.add(entry);
        return l;
      }
      misses.add(l);
    }
    throw new IOException("no free loopback port for link " + name + " in 200 tries");
  }

  /** The nodes' real addresses: where they listen, and the inspection path around the links. */
  public Peers real() {
    return real;
  }

  /** How many nodes. */
  public int size() {
    return real.size();
  }

  /** Node {@code i}'s peers: itself at its real port, the others through its links. */
  public Peers nodeView(int i) {
    return Peers.parse(view(i));
  }

  /** The clients' peers: every node through its client link. */
  public Peers clientView() {
    return Peers.parse(view(-1));
  }

  private String view(int i) {
    StringBuilder b = new StringBuilder();
    for (int j = 0; j < size(); j++) {
      int port =
          i == j
              ? real.port(j)
              : i < 0 ? clientLinks[j].port() - Endpoints.CLIENT_PORT_OFFSET : links[i][j].port();
      b.append(j == 0 ? "" : ",").append(j).append("=127.0.0.1:").append(port);
    }
    return b.toString();
  }

  /** The link node {@code from} dials node {@code to} through. */
  public LinkProxy link(int from, int to) {
    if (from == to) {
      throw new IllegalArgumentException("no link from node " + from + " to itself");
    }
    return links[from][to];
  }

  /** The link the clients dial node {@code i} through. */
  public LinkProxy clientLink(int i) {
    return clientLinks[i];
  }

  /**
   * Makes the partitioned set exactly {@code side}: its nodes are cut off from every other node and
   * from the clients, both ways; every other link passes (and loses any delay).
   *
   * @throws IllegalArgumentException if an id is not a node; then nothing changes
   */
  public synchronized void partition(Collection<Integer> side) {
    for (int id : side) {
      if (id < 0 || id >= size()) {
        throw new IllegalArgumentException("node id " + id + " out of range 0.." + (size() - 1));
      }
    }
    partitioned.clear();
    partitioned.addAll(side);
    for (int i = 0; i < size(); i++) {
      clientLinks[i].setDelayMillis(0);
      clientLinks[i].setMode(partitioned.contains(i) ? LinkProxy.Mode.CUT : LinkProxy.Mode.PASS);
      for (int j = 0; j < size(); j++) {
        if (i != j) {
          links[i][j].setDelayMillis(0);
          links[i][j].setMode(
              partitioned.contains(i) != partitioned.contains(j)
                  ? LinkProxy.Mode.CUT
                  : LinkProxy.Mode.PASS);
        }
      }
    }
  }

  /** Every link passes, undelayed; the partitioned set is empty. */
  public void passAll() {
    partition(Set.of());
  }

  /** Whether node {@code id} is in the partitioned set. */
  public synchronized boolean isPartitioned(int id) {
    return partitioned.contains(id);
  }

  /**
   * Bytes node {@code j} sent to or received from its peers through the links so far (a dialer's
   * bytes on each link from or to {@code j}). A leader elected before any other node campaigned is
   * never dialed, so both directions count.
   */
  public long peerBytesThrough(int j) {
    long bytes = 0;
    for (int i = 0; i < size(); i++) {
      if (i != j) {
        bytes += links[i][j].bytesForwarded() + links[j][i].bytesForwarded();
      }
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    for (int i = 0; i < links.length; i++) {
      if (clientLinks[i] != null) {
        clientLinks[i].close();
      }
      for (LinkProxy l : links[i]) {
        if (l != null) {
          l.close();
        }
      }
    }
  }
}
