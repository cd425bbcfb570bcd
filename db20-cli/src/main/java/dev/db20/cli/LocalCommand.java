package dev.db20.cli;

import dev.db20.ratis.Certificates;
import dev.db20.ratis.Peers;
import dev.db20.script.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code db20 local}: a whole cluster on this machine, one {@code db20 server} child process per
 * node on free loopback ports. The ports are kept in {@code DATA/peers}: Ratis remembers its
 * members' addresses in its log, so a restarted cluster must come back on the same ones.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a local db20 cluster on Apache Ratis, one server process per node.",
      "Loopback only, mutual TLS (certificates in DATA/tls) unless --insecure.",
      "Prints the options for 'db20 client' (--peers P --tls-dir DATA/tls);",
      "Ctrl-C or SIGTERM stops every node.",
      "Node N logs to DATA/node-N.log; started again on the same DATA it recovers."
    })
public final class LocalCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      paramLabel = "N",
      description = "number of nodes, 1..9 (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DATA",
      description = "the cluster's directory")
  Path dir;

  @Option(
      names = "--snapshot-every",
      paramLabel = "ENTRIES",
      defaultValue = "100000",
      description = "passed to every server (default ${DEFAULT-VALUE})")
  long snapshotEvery;

  @Option(
      names = "--insecure",
      description = "no TLS (default: mutual TLS with certificates made in DATA/tls)")
  boolean insecure;

  @CommandLine.Mixin RatisTuningOptions tuning;

  /** The JVM flags every server gets (docs/ratis.md, "JVM flags", says why each). */
  static final List<String> SERVER_JVM_FLAGS = List.of("-XX:+UseSerialGC");

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (nodes < 1 || nodes > 9) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--nodes " + nodes + " out of range 1..9");
    }
    tuning.tuning(); // a bad tuning option fails here, before any server starts
    Files.createDirectories(dir);
    Path peersFile = dir.resolve("peers");
    Peers peers;
    boolean fresh = !Files.exists(peersFile);
    if (!fresh) {
      peers =
          Cli.peers(
              spec.commandLine(), Files.readString(peersFile, StandardCharsets.US_ASCII).trim());
      if (peers.size() != nodes) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            dir + " holds a cluster of " + peers.size() + " nodes, not " + nodes);
      }
    } else {
      peers = Peers.freeLoopback(nodes);
      Files.writeString(peersFile, peers + "\n", StandardCharsets.US_ASCII);
    }
    Path tls = dir.resolve("tls");
    if (!insecure) {
      try {
        Certificates.create(tls, nodes, List.of());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("java.class.path");
    List<Process> children = new ArrayList<>();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stopAll(children), "db20-local-shutdown"));
    synchronized (children) {
      for (int i = 0; i < nodes; i++) {
        Path log = dir.resolve("node-" + i + ".log");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(SERVER_JVM_FLAGS);
        command.addAll(
            List.of(
                "-cp",
                classpath,
                ServerCommand.class.getName(),
                "--id",
                Integer.toString(i),
                "--peers",
                peers.toString(),
                "--dir",
                dir.resolve("node-" + i).toString(),
                "--snapshot-every",
                Long.toString(snapshotEvery)));
        command.addAll(tuning.arguments());
        command.addAll(insecure ? List.of("--insecure") : List.of("--tls-dir", tls.toString()));
        if (fresh) {
          command.add("--bootstrap");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        children.add(pb.start());
      }
    }
    System.err.println(
        "db20 local: "
            + nodes
            + " nodes started, logs in "
            + dir
            + "/node-N.log; Ctrl-C stops them");
    System.out.println("--peers " + peers + (insecure ? "" : " --tls-dir " + tls));
    System.out.flush();
    int alive = nodes;
    boolean[] reported = new boolean[nodes];
    while (alive > 0) {
      alive = 0;
      for (int i = 0; i < nodes; i++) {
        Process p = children.get(i);
        if (p.waitFor(200, TimeUnit.MILLISECONDS) || !p.isAlive()) {
          if (!reported[i]) {
            reported[i] = true;
            System.err.println(
                "db20 local: node "
                    + i
                    + " exited with code "
                    + p.exitValue()
                    + " (see "
                    + dir.resolve("node-" + i + ".log")
                    + ")");
          }
        } else {
          alive++;
        }
      }
    }
    return ExitCode.FAILED;
  }

  /** SIGTERM to every child, then SIGKILL to any still running after ten seconds. */
  private static void stopAll(List<Process> children) {
    synchronized (children) {
      for (Process p : children) {
        p.destroy();
      }
      for (Process p : children) {
        try {
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** Runs {@code local} outside {@code db20}. */
  public static void main(String[] args) {
    CommonPool.ofTwo();
    System.exit(Cli.execute(new LocalCommand(), args));
  }
}
