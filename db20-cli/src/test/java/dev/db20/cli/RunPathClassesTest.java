package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db20 run FILE} loads none of the classes it does not use: no picocli (the command-line
 * model), no java.util.logging (gRPC's logger), no Ratis or gRPC. Each costs start-up time a script
 * run pays in full (docs/benchmarks.md, "Java start-up"). Read from the JVM's own log of the
 * classes it loads.
 */
class RunPathClassesTest {
  private static final List<String> UNUSED_ON_RUN =
      List.of("picocli.", "java.util.logging.", "org.apache.ratis.", "io.grpc.", "io.netty.");

  @Test
  void runLoadsNoParserLoggingOrRaftClasses(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("s.txt");
    Files.writeString(
        script, "cluster 3\nseed 1\nkeys 16\nops 100\npartition 0\nops 10\nheal\ndigest\n");
    Path log = dir.resolve("classes.log");
    Db20Process.Run r =
        Db20Process.run(
            "",
            pb -> {},
            Db20Process.java(
                List.of("-Xlog:class+load=info:file=" + log),
                Main.class,
                "run",
                script.toString()));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("digest "), r.out());
    List<String> loaded = Files.readAllLines(log, StandardCharsets.UTF_8);
    // The log holds the run's own classes, so it is the log of a run and not an empty file.
    assertTrue(
        loaded.stream().anyMatch(l -> l.contains(" dev.db20.script.ScriptRunner ")),
        "no ScriptRunner in the class-load log of " + loaded.size() + " lines");
    for (String prefix : UNUSED_ON_RUN) {
      List<String> hits = loaded.stream().filter(l -> l.contains("] " + prefix)).toList();
      assertTrue(hits.isEmpty(), "run loaded " + prefix + "* classes: " + hits);
    }
  }
}
