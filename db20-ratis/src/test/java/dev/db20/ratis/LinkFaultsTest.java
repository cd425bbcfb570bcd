package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partition} and {@code heal} on a real cluster: five in-process nodes behind link proxies,
 * a script with a partition run through {@link ScriptRunner} on both the model and the real
 * cluster, outputs equal byte for byte (the partition is done after a digest, so the cut nodes hold
 * exactly the first write, as in the model).
 */
class LinkFaultsTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  private static final String SCRIPT =
      String.join(
          "\n",
          "cluster 5",
          "put a 1",
          "digest",
          "partition 3 4",
          "put b 2",
          "del a",
          "replica 3",
          "replica 4",
          "replica 0",
          "snapshot 3",
          "digest",
          "heal",
          "replica 3",
          "snapshot 3",
          "digest",
          "");

  @Test
  void partitionAndHealPrintWhatTheModelPrints() throws Exception {
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    new ScriptRunner(model)
        .run(new ByteArrayInputStream(SCRIPT.getBytes(StandardCharsets.US_ASCII)));
    Peers real = Peers.freeLoopback(5);
    List<Db20Server> servers = new ArrayList<>();
    try (ProxiedLinks links = new ProxiedLinks(real)) {
      for (int i = 0; i < 5; i++) {
        servers.add(
            Db20Server.start(
                NodeConfig.of(links.nodeView(i), i, dir.resolve("node-" + i))
                    .withSettings(Db20Server.Settings.SMALL)
                    .withInsecure()
                    .withStartup(NodeConfig.Startup.BOOTSTRAP)));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (RatisCluster c = RatisCluster.behind(links)) {
        new ScriptRunner(out, c.factory())
            .run(new ByteArrayInputStream(SCRIPT.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(
            model.toString(StandardCharsets.US_ASCII), out.toString(StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> c.faults().orElseThrow().partition(5));
        assertTrue(c.faults().orElseThrow().leader().id() < 5);
      }
      for (int j = 0; j < 5; j++) {
        assertTrue(
            links.peerBytesThrough(j) > 0, "node " + j + " spoke to its peers through its links");
      }
    } finally {
      for (Db20Server s : servers) {
        s.close();
      }
    }
  }
}
