package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.ratis.Db20Server;
import dev.db20.ratis.NodeConfig;
import dev.db20.ratis.Peers;
import dev.db20.ratis.ShmTempDir;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db20 client run -} streams: with its standard input still open, the result of each line
 * arrives before the next line is sent, so a driver can time every op through it.
 */
class ClientStreamTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  @Test
  void eachResultArrivesBeforeTheNextLineIsSent() throws Exception {
    Peers peers = Peers.freeLoopback(3);
    List<Db20Server> servers = new ArrayList<>();
    Process p = null;
    try {
      for (int i = 0; i < 3; i++) {
        NodeConfig config = NodeConfig.of(peers, i, dir.resolve("node-" + i));
        servers.add(
            Db20Server.start(
                config
                    .withSettings(Db20Server.Settings.SMALL)
                    .withInsecure()
                    .withStartup(NodeConfig.Startup.BOOTSTRAP)));
      }
      List<String> cmd = Db20Process.command("client", "--peers", peers.toString(), "run", "-");
      p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      OutputStream in = p.getOutputStream();
      // Each line is sent only after the previous one's result was read, stdin kept open: a
      // runner that buffers until end of input never answers the first line and the test fails.
      String[][] steps = {
        {"cluster 3", null},
        {"put a 1", "committed 1"},
        {"get a", "value 31"},
        {"del a", "committed 2"},
        {"get a", "missing"},
      };
      for (String[] step : steps) {
        in.write((step[0] + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
        if (step[1] != null) {
          BufferedReader r = out;
          String line =
              CompletableFuture.supplyAsync(
                      () -> {
                        try {
                          return r.readLine();
                        } catch (java.io.IOException e) {
                          return "read failed: " + e;
                        }
                      })
                  .get(60, TimeUnit.SECONDS);
          assertEquals(step[1], line, "result of '" + step[0] + "' with stdin still open");
        }
      }
      in.close();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "client did not exit after stdin closed");
      assertEquals(0, p.exitValue());
      assertEquals(null, out.readLine(), "nothing more after the streamed results");
    } finally {
      if (p != null) {
        p.destroyForcibly();
      }
      for (Db20Server s : servers) {
        s.close();
      }
    }
  }
}
