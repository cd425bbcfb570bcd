package dev.db20.cli;

import dev.db20.script.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code db20 nemesis}: one seeded fault run against a local cluster of server processes ({@link
 * Nemesis}). Prints one line, {@code PASS ...} or {@code FAIL ...}; exit 0 or 1. A failed run keeps
 * its directory (history.txt, node-N.log, the nodes' data); a passed one is deleted unless {@code
 * --keep}.
 */
@Command(
    name = "nemesis",
    mixinStandardHelpOptions = true,
    description = {
      "Runs N local server processes behind loopback link proxies under a seeded fault",
      "schedule (kill -9 + restart, SIGSTOP/SIGCONT, partitions, one-way drops, delays) while",
      "clients record a history; then checks linearizability, unique write indexes, and that",
      "every node reaches the leader's index with one digest within 30 s.",
      "Prints 'PASS ...' or 'FAIL ...'; exit 0 or 1. DIR/history.txt and DIR/node-N.log."
    })
public final class NemesisCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "schedule seed")
  long seed;

  @Option(names = "--nodes", defaultValue = "3", paramLabel = "N", description = "3..7 nodes")
  int nodes;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      paramLabel = "T",
      description = "length of the fault phase (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(
      names = "--clients",
      defaultValue = "4",
      paramLabel = "C",
      description = "concurrent clients, 1..32 (default ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "the run's directory (must not exist)")
  Path dir;

  @Option(names = "--keep", description = "keep DIR after a passed run")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    if (nodes < 3 || nodes > 7 || seconds < 1 || seconds > 86_400 || clients < 1 || clients > 32) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--nodes 3..7, --seconds 1..86400, --clients 1..32");
    }
    if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--dir " + dir + " already exists (a run needs a fresh directory)");
    }
    Cli.quietGrpc();
    Nemesis.Result r;
    try {
      r = new Nemesis(new Nemesis.Config(seed, nodes, seconds, clients, dir), System.err).run();
    } catch (IOException | IllegalArgumentException e) {
      System.out.println(
          "FAIL seed="
              + seed
              + " nodes="
              + nodes
              + " could not set up: "
              + e.getMessage()
              + " dir="
              + dir);
      return ExitCode.FAILED;
    }
    System.out.println((r.passed() ? "PASS " : "FAIL ") + r.summary() + " dir=" + dir);
    if (r.passed() && !keep) {
      deleteTree(dir);
    }
    return r.passed() ? 0 : ExitCode.FAILED;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
