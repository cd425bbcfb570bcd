package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.conformance.SnapshotCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db20 check FILE} (docs/spec-notes.md N16) on the whole snapshot corpus, the committed
 * files and the generated multi-megabyte ones, plus the unreadable-file and failing-stdout cases.
 */
class CheckCommandTest {
  static final Path CORPUS = Path.of("..", "db20-conformance", "vectors");

  @TempDir Path tmp;

  record Out(int exit, String out, String err) {}

  static Out check(String file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = CheckCommand.run(file, out, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Out(
        rc, out.toString(StandardCharsets.US_ASCII), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyCorpusFilePrintsItsExpectedLine() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files =
          s.filter(
                  p ->
                      p.getFileName().toString().startsWith("check-")
                          && p.toString().endsWith(".db20"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertTrue(files.size() >= 17, "corpus files: " + files.size());
    for (Path f : files) {
      String check = Files.readString(Path.of(f.toString().replaceFirst("\\.db20$", ".check")));
      String expected = check.substring(0, check.indexOf('\n') + 1);
      Out o = check(f.toString());
      assertEquals(expected, o.out(), f.toString());
      assertEquals(expected.startsWith("ok ") ? 0 : 1, o.exit(), f.toString());
      assertEquals("", o.err(), f.toString());
    }
  }

  @Test
  void multiMegabyteCorpusFiles() throws IOException {
    Map<String, SnapshotCorpus.Case> big = SnapshotCorpus.big();
    for (String name : big.keySet()) {
      Files.write(tmp.resolve(name + ".db20"), SnapshotCorpus.recipe(name));
      Out o = check(tmp.resolve(name + ".db20").toString());
      assertEquals(new Out(0, big.get(name).expected() + "\n", ""), o, name);
    }
  }

  @Test
  void unreadableFilesExit2WithOneEscapedLine() throws IOException {
    Out missing = check(tmp.resolve("no\u001b]0;t\u0007such").toString());
    assertEquals(2, missing.exit());
    assertEquals("", missing.out());
    assertEquals(
        "error: cannot read " + tmp + "/no\\x1b]0;t\\x07such: no such file\n", missing.err());
    Out dir = check(tmp.toString());
    assertEquals(new Out(2, "", "error: cannot read " + tmp + ": is a directory\n"), dir);
    // N18: any other failure is `read error` (here ENOTDIR: a path through a regular file).
    Path file = Files.write(tmp.resolve("plain"), new byte[] {1});
    assertEquals(
        new Out(2, "", "error: cannot read " + file + "/x: read error\n"), check(file + "/x"));
    assertEquals(new Out(2, "", "error: cannot read a\\x00b: read error\n"), check("a\u0000b"));
  }

  @Test
  void failingStandardOutputIsOneLineAndExit2() throws IOException {
    Path f = CORPUS.resolve("check-good-empty.db20");
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }
        };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        CheckCommand.run(f.toString(), broken, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, rc);
    assertEquals("error: cannot write to standard output\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theCommandLineRunsCheck() throws Exception {
    Db20Process.Run ok =
        Db20Process.run("", "check", CORPUS.resolve("check-good-one.db20").toString());
    assertEquals(new Db20Process.Run(0, "ok commit=1 entries=1 crc=bd62cffd\n", ""), ok);
    Db20Process.Run refused =
        Db20Process.run("", "check", CORPUS.resolve("check-refused-crc-mismatch.db20").toString());
    assertEquals(new Db20Process.Run(1, "refused offset 30: crc mismatch\n", ""), refused);
  }
}
