package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The conventions every subcommand follows: help, usage errors, the command list. */
class CliConventionsTest {
  /** Every subcommand, as the CLI registers it (so a new one is covered without editing this). */
  static List<String> subcommands() {
    return List.copyOf(Db20.commandLine().getSubcommands().keySet());
  }

  @Test
  void everySubcommandHelpExitsZeroAndPrintsItsUsage() throws Exception {
    List<String> subs = subcommands();
    assertTrue(
        subs.containsAll(List.of("run", "scenario", "inspect", "conform", "help")),
        subs.toString());
    for (String sub : subs) {
      for (String flag : List.of("--help", "-h")) {
        Db20Process.Run r = Db20Process.run("", sub, flag);
        assertEquals(0, r.exit(), sub + " " + flag + ": " + r.err());
        assertTrue(r.out().contains("Usage: db20 " + sub), sub + ":\n" + r.out());
        assertEquals("", r.err(), sub);
      }
    }
  }

  @Test
  void everyNestedSubcommandHelpExitsZeroWithoutTheParentsRequiredOptions() throws Exception {
    int seen = 0;
    for (var sub : Db20.commandLine().getSubcommands().entrySet()) {
      for (String nested : sub.getValue().getSubcommands().keySet()) {
        Db20Process.Run r = Db20Process.run("", sub.getKey(), nested, "--help");
        String what = sub.getKey() + " " + nested + " --help";
        assertEquals(0, r.exit(), what + ": " + r.err());
        assertTrue(r.out().contains("Usage: db20 " + sub.getKey() + " " + nested), what + r.out());
        assertEquals("", r.err(), what);
        seen++;
      }
    }
    assertTrue(seen >= 9, "client's and admin's commands at least, saw " + seen);
  }

  @Test
  void anUnknownSubcommandExitsTwoEvenWithHelp() throws Exception {
    for (List<String> args :
        List.of(
            List.of("frobnicate"),
            List.of("frobnicate", "--help"),
            List.of("--help", "frobnicate"),
            List.of("run", "--help", "extra", "more"))) {
      Db20Process.Run r = Db20Process.run("", args.toArray(String[]::new));
      assertEquals(2, r.exit(), args + ": " + r.out());
      assertTrue(r.err().startsWith("Unmatched argument"), args + ": " + r.err());
    }
  }

  @Test
  void theCommandListShowsWholeSentences() throws Exception {
    Db20Process.Run r = Db20Process.run("", "--help");
    assertEquals(0, r.exit());
    String list = r.out().substring(r.out().indexOf("Commands:"), r.out().indexOf("Exit codes:"));
    // Join each command's wrapped lines, then every summary must end a sentence.
    Matcher m = Pattern.compile("(?m)^  (\\S+)\\s+(.*(?:\\n {10,}.*)*)").matcher(list);
    int seen = 0;
    while (m.find()) {
      String summary = m.group(2).replaceAll("\\s+", " ").strip();
      assertTrue(summary.endsWith("."), m.group(1) + " summary is cut: '" + summary + "'");
      seen++;
    }
    assertEquals(subcommands().size(), seen, list);
  }

  @Test
  void firstSentenceJoinsLinesAndStopsAtTheFirstPeriod() {
    assertEquals(
        "Decodes a file with the reader and prints each field.",
        Db20.firstSentence(
            new String[] {
              "Decodes a file with the reader", "and prints each field. A corrupt", "file exits 1."
            }));
    assertEquals("No period at all", Db20.firstSentence(new String[] {"No period", " at all"}));
  }

  @Test
  void versionAndMissingSubcommand() throws Exception {
    Db20Process.Run v = Db20Process.run("", "--version");
    assertEquals(0, v.exit());
    assertTrue(v.out().startsWith("db20 "), v.out());
    assertEquals(2, Db20Process.run("").exit());
    assertEquals(2, Db20Process.run("", "run").exit());
    assertFalse(Db20Process.run("", "run").err().contains("\tat "), "no stack trace");
  }

  @Test
  void theExceptionHandlerTurnsAnIoExceptionIntoOneLine() throws Exception {
    CommandLine cl = Db20.commandLine();
    var err = new java.io.StringWriter();
    cl.setErr(new java.io.PrintWriter(err, true));
    int exit =
        cl.getExecutionExceptionHandler()
            .handleExecutionException(
                new java.nio.file.AccessDeniedException("/x"),
                cl.getSubcommands().get("run"),
                null);
    assertEquals(2, exit);
    assertEquals("db20 run: permission denied", err.toString().strip());
  }
}
