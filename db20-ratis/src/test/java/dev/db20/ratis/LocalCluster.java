package dev.db20.ratis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Test harness: N in-process Ratis servers on free loopback ports, bootstrapped together and closed
 * together; insecure, or with mutual TLS from a {@link TlsFiles} directory.
 */
final class LocalCluster implements AutoCloseable {
  final Peers peers;
  final List<Db20Server> servers = new ArrayList<>();

  LocalCluster(int n, Path dir, Db20Server.Settings settings) throws IOException {
    this(n, dir, settings, Optional.empty());
  }

  LocalCluster(int n, Path dir, Db20Server.Settings settings, Optional<Path> tlsDir)
      throws IOException {
    this(
        n,
        dir,
        c -> {
          NodeConfig s = c.withSettings(settings);
          return tlsDir.isPresent() ? s.withTls(tlsDir.get()) : s.withInsecure();
        });
  }

  /**
   * N servers, each started from {@code each} applied to its bootstrap config (which has neither
   * TLS nor {@code insecure} yet).
   */
  LocalCluster(int n, Path dir, UnaryOperator<NodeConfig> each) throws IOException {
    peers = Peers.freeLoopback(n);
    try {
      for (int i = 0; i < n; i++) {
        servers.add(
            Db20Server.start(
                each.apply(
                    NodeConfig.of(peers, i, dir.resolve("node-" + i))
                        .withStartup(NodeConfig.Startup.BOOTSTRAP))));
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
