package dev.db20.ratis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test harness: N in-process Ratis servers on free loopback ports, closed together. */
final class LocalCluster implements AutoCloseable {
  final Peers peers;
  final List<Db20Server> servers = new ArrayList<>();

  LocalCluster(int n, Path dir, Db20Server.Settings settings) throws IOException {
    peers = Peers.freeLoopback(n);
    try {
      for (int i = 0; i < n; i++) {
        servers.add(Db20Server.start(
            NodeConfig.of(peers, i, dir.resolve("node-" + i)).withSettings(settings)));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
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
