package dev.db20.ratis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test harness: N in-process Ratis servers on free loopback ports, closed together. */
final class LocalCluster implements AutoCloseable {
  final Peers peers;
  final List<Db20Server> servers = new ArrayList<>();

  LocalCluster(int n, Path dir, Db20Server.Settings settings) throws IOException {
    peers = Peers.parse(freePeers(n));
    try {
      for (int i = 0; i < n; i++) {
        servers.add(Db20Server.start(peers, i, dir.resolve("node-" + i), settings));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A {@code --peers} string of {@code n} free loopback ports. */
  static String freePeers(int n) {
    StringBuilder sb = new StringBuilder();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        held.add(s);
        sb.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(s.getLocalPort());
      }
      for (ServerSocket s : held) {
        s.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }

  @Override
  public void close() {
    for (Db20Server s : servers) {
      try {
        s.close();
      } catch (IOException | RuntimeException e) {
        // Keep closing the others.
      }
    }
  }
}
