package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code db20 conform} as a TCK for any program: real subprocesses throughout. */
class ConformCommandTest {
  static final Path VECTORS = CliProcessTest.VECTORS;

  @TempDir Path tmp;

  /** How many vectors the directory holds: each NAME.txt. */
  static long vectorCount() throws Exception {
    try (var s = Files.list(VECTORS)) {
      return s.filter(
              p ->
                  p.toString().endsWith(".txt")
                      || p.toString().endsWith(".check")
                      || p.toString().endsWith(".proc"))
          .count();
    }
  }

  /** A program that behaves as db20 does, written as a shell script: the Java CLI itself. */
  Path javaAsProgram() throws Exception {
    Path p = tmp.resolve("db20-java");
    StringBuilder sh = new StringBuilder("#!/bin/sh\nexec");
    for (String arg : Db20Process.command()) {
      sh.append(" '").append(arg.replace("'", "'\\''")).append('\'');
    }
    sh.append(" \"$@\"\n");
    Files.writeString(p, sh);
    p.toFile().setExecutable(true);
    return p;
  }

  @Test
  void runsTheVectorsInsideTheJarFromAnyDirectory() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("empty"));
    Db20Process.Run r =
        Db20Process.run("", pb -> pb.directory(elsewhere.toFile()), Db20Process.command("conform"));
    assertTrue(r.err().isEmpty(), r.err());
    Matcher m =
        Pattern.compile("(?m)^suite (db20-vectors \\d+) \\(sha256 [0-9a-f]{16}, (\\d+) vectors\\)$")
            .matcher(r.out());
    assertTrue(m.find(), r.out());
    assertEquals(vectorCount(), Long.parseLong(m.group(2)));
    // Every vector passes, the process vectors too: they run this CLI as a process.
    assertTrue(r.out().endsWith("\njava: " + vectorCount() + " passed, 0 failed\n"), r.out());
  }

  @Test
  void junitXmlHasOneTestcasePerVectorAndCatFailsEachWithAMessage() throws Exception {
    Path xml = tmp.resolve("r.xml");
    Path json = tmp.resolve("r.json");
    Db20Process.Run r =
        Db20Process.run(
            "",
            "conform",
            "--impl",
            "cat",
            "--junit-xml",
            xml.toString(),
            "--json",
            json.toString(),
            VECTORS.toString());
    assertEquals(1, r.exit(), r.err());
    long n = vectorCount();
    assertTrue(r.out().endsWith("cat: 0 passed, " + n + " failed\n"), r.out());

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    Element suite = doc.getDocumentElement();
    assertEquals("testsuite", suite.getTagName());
    assertEquals(Long.toString(n), suite.getAttribute("tests"));
    assertEquals(Long.toString(n), suite.getAttribute("failures"));
    assertTrue(suite.getAttribute("time").matches("\\d+\\.\\d{3}"), suite.getAttribute("time"));
    NodeList cases = suite.getElementsByTagName("testcase");
    assertEquals(n, cases.getLength());
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      Element failure = (Element) c.getElementsByTagName("failure").item(0);
      assertTrue(failure != null, c.getAttribute("name") + " has no failure");
      assertFalse(failure.getAttribute("message").isEmpty(), c.getAttribute("name"));
    }
    Element first = (Element) cases.item(0);
    assertEquals("01-single-replica", first.getAttribute("name"));
    // cat is started as `cat run -`: it cannot open `run`, exits 1 and echoes the script.
    assertTrue(
        ((Element) first.getElementsByTagName("failure").item(0))
            .getAttribute("message")
            .contains("stdout line 1: expected 'committed 1', got '"),
        first.getTextContent());
    for (byte b : Files.readAllBytes(xml)) {
      assertTrue(b == '\n' || (b >= 0x20 && b < 0x7f), "raw byte " + b + " in the XML");
    }

    String j = Files.readString(json, StandardCharsets.US_ASCII);
    assertTrue(j.contains("\"implementation\": \"cat\""), j);
    assertTrue(j.contains("\"tests\": " + n + ","), j);
    assertTrue(j.contains("\"failed\": " + n + ","), j);
    assertTrue(
        j.matches(
            "(?s).*\"suite\": \\{\"version\": \"db20-vectors \\d+\", \"sha256\": \"[0-9a-f]{64}\", \"released\": true}.*"),
        j);
    assertEquals(n, Pattern.compile("\\{\"name\": ").matcher(j).results().count());
  }

  @Test
  void aMissingProgramIsOneLineAndExitTwo() throws Exception {
    Path missing = tmp.resolve("no-such-db20");
    Db20Process.Run r = Db20Process.run("", "conform", "--impl", missing.toString());
    assertEquals(2, r.exit(), r.out() + r.err());
    assertEquals(
        "db20 conform: cannot start '" + missing + "': No such file or directory", r.oneErrLine());
    assertFalse(r.out().contains("FAIL"), r.out());
  }

  @Test
  void aLoneScriptIsAnErrorNamingIt() throws Exception {
    Files.copy(VECTORS.resolve("01-single-replica.txt"), tmp.resolve("01-single-replica.txt"));
    Files.copy(VECTORS.resolve("01-single-replica.out"), tmp.resolve("01-single-replica.out"));
    Files.writeString(tmp.resolve("02-lonely.txt"), "cluster 1\n");
    Db20Process.Run dir = Db20Process.run("", "conform", tmp.toString());
    assertEquals(2, dir.exit(), dir.out());
    assertTrue(
        dir.oneErrLine()
            .matches(
                "db20 conform: .*02-lonely\\.txt: a script without 02-lonely\\.out or 02-lonely\\.err is not a vector"),
        dir.err());
    Db20Process.Run file = Db20Process.run("", "conform", tmp.resolve("02-lonely.txt").toString());
    assertEquals(2, file.exit());
    assertTrue(file.oneErrLine().contains("02-lonely.txt"), file.err());
  }

  @Test
  void oneVectorFileRunsThatVectorAlone() throws Exception {
    Db20Process.Run r =
        Db20Process.run("", "conform", VECTORS.resolve("10-put-get-del.out").toString());
    assertEquals("pass 10-put-get-del", r.out().lines().findFirst().orElseThrow());
    assertTrue(r.out().contains("suite unreleased vectors from "), r.out());
    assertTrue(r.out().endsWith("java: 1 passed, 0 failed\n"), r.out());
    assertEquals(0, r.exit());
  }

  @Test
  void argumentsWithSpacesReachTheProgramWhole() throws Exception {
    // A wrapper that runs the Java CLI only if it got exactly the arguments we meant.
    Path wrapper = tmp.resolve("wrapper.sh");
    Files.writeString(
        wrapper,
        "#!/bin/sh\n"
            + "[ \"$1\" = 'two  words' ] && [ \"$2\" = \"it's\" ] || { echo \"bad args: $*\" >&2; exit 9; }\n"
            + "shift 2\nexec '"
            + javaAsProgram()
            + "' \"$@\"\n");
    wrapper.toFile().setExecutable(true);
    Path one = VECTORS.resolve("10-put-get-del.txt");

    Db20Process.Run viaImplArg =
        Db20Process.run(
            "",
            "conform",
            "--impl",
            wrapper.toString(),
            "--impl-arg",
            "two  words",
            "--impl-arg",
            "it's",
            one.toString());
    assertEquals(0, viaImplArg.exit(), viaImplArg.out() + viaImplArg.err());
    assertTrue(viaImplArg.out().endsWith("wrapper.sh: 1 passed, 0 failed\n"), viaImplArg.out());

    Db20Process.Run viaDashes =
        Db20Process.run(
            "", "conform", one.toString(), "--", wrapper.toString(), "two  words", "it's");
    assertEquals(0, viaDashes.exit(), viaDashes.out() + viaDashes.err());

    Db20Process.Run split =
        Db20Process.run("", "conform", "--impl", wrapper + " two words", one.toString());
    assertEquals(2, split.exit(), "--impl is one program name, never split: " + split.out());
    assertTrue(
        split.oneErrLine().startsWith("db20 conform: cannot start '" + wrapper + " two words'"),
        split.err());
  }

  @Test
  void aProgramThatHangsIsKilledAfterTheTimeout() throws Exception {
    Path slow = tmp.resolve("slow.sh");
    Files.writeString(slow, "#!/bin/sh\nexec sleep 60\n");
    slow.toFile().setExecutable(true);
    long start = System.nanoTime();
    Db20Process.Run r =
        Db20Process.run(
            "",
            "conform",
            "--impl",
            slow.toString(),
            "--timeout",
            "1",
            VECTORS.resolve("10-put-get-del.txt").toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(
        r.out().contains("FAIL 10-put-get-del: could not run: no exit within 1 s; killed"),
        r.out());
    assertTrue(System.nanoTime() - start < 40_000_000_000L, "took too long");
  }

  @Test
  void helpDocumentsTheDefaultTimeoutOfThirtySeconds() throws Exception {
    Db20Process.Run r = Db20Process.run("", "conform", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().matches("(?s).*--timeout=SECONDS.*\\(default: 30\\).*"), r.out());
    for (String option :
        List.of("--impl=PROGRAM", "--impl-arg=ARG", "--junit-xml=FILE", "--json=FILE")) {
      assertTrue(r.out().contains(option), option + " missing in\n" + r.out());
    }
  }

  @Test
  void usageMistakesExitTwo() throws Exception {
    assertEquals(2, Db20Process.run("", "conform", "--impl", "cat", "--", "cat").exit());
    assertEquals(2, Db20Process.run("", "conform", "--impl-arg", "x").exit());
    assertEquals(2, Db20Process.run("", "conform", "--timeout", "0").exit());
    Db20Process.Run missing = Db20Process.run("", "conform", tmp.resolve("nope").toString());
    assertEquals(2, missing.exit());
    assertEquals(
        "db20 conform: " + tmp.resolve("nope") + ": no such file or directory",
        missing.oneErrLine());
  }
}
