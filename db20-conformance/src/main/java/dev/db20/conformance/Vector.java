package dev.db20.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One conformance vector: a script {@code NAME.txt} and what it must print. A plain vector has
 * {@code NAME.out}, the exact standard output, and must exit 0. An error vector has {@code
 * NAME.err}, whose first line (such as {@code error line 3:}) must begin standard error, must
 * exit 2, and must print {@code NAME.out} (empty if absent) before it stops.
 *
 * @param name the file name without {@code .txt}
 * @param script the script bytes
 * @param expectedStdout the exact standard output expected
 * @param expectedStderrPrefix for an error vector, what standard error must start with; else null
 */
public record Vector(String name, byte[] script, byte[] expectedStdout, String expectedStderrPrefix) {

  /** The exit status an error vector expects (SPEC §7). */
  public static final int ERROR_EXIT = 2;

  /** Copies the arrays. */
  public Vector {
    script = script.clone();
    expectedStdout = expectedStdout.clone();
  }

  @Override
  public byte[] script() {
    return script.clone();
  }

  @Override
  public byte[] expectedStdout() {
    return expectedStdout.clone();
  }

  /** Whether this vector expects the run to stop at a bad line. */
  public boolean isError() {
    return expectedStderrPrefix != null;
  }

  /** The exit status expected. */
  public int expectedExit() {
    return isError() ? ERROR_EXIT : 0;
  }

  /**
   * Every vector in {@code dir}, sorted by name: each {@code NAME.txt} with a {@code NAME.out}
   * or a {@code NAME.err} beside it. A script with neither is not a vector yet and is skipped.
   */
  public static List<Vector> loadAll(Path dir) throws IOException {
    List<Path> scripts;
    try (Stream<Path> s = Files.list(dir)) {
      scripts = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
    }
    List<Vector> vectors = new ArrayList<>();
    for (Path script : scripts) {
      String file = script.getFileName().toString();
      String name = file.substring(0, file.length() - ".txt".length());
      Path out = dir.resolve(name + ".out");
      Path err = dir.resolve(name + ".err");
      if (!Files.exists(out) && !Files.exists(err)) {
        continue;
      }
      byte[] expected = Files.exists(out) ? Files.readAllBytes(out) : new byte[0];
      String prefix = null;
      if (Files.exists(err)) {
        prefix = Files.readString(err, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        if (prefix.isEmpty()) {
          throw new IOException(err + ": first line must be the expected stderr prefix");
        }
      }
      vectors.add(new Vector(name, Files.readAllBytes(script), expected, prefix));
    }
    return vectors;
  }
}
