package dev.db20.cli;

import dev.db20.ratis.Db20Server;
import dev.db20.ratis.Endpoint;
import dev.db20.ratis.Endpoints;
import dev.db20.ratis.NodeConfig;
import dev.db20.ratis.Peers;
import dev.db20.script.ExitCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code db20 server}: one db20 node on Ratis. Logs go to stderr. SIGTERM (or Ctrl-C) closes the
 * server cleanly; started again on the same {@code --dir} it recovers its log and snapshots.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one db20 node on Apache Ratis until SIGTERM or Ctrl-C.",
      "--bootstrap formats a fresh --dir (a new cluster), --join one for a node being added;",
      "an existing --dir is recovered and must hold this --id of these --peers."
    })
public final class ServerCommand implements Callable<Integer> {
  /** SIGTERM stops a node within this many seconds. */
  static final int STOP_SECONDS = 5;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--id", required = true, paramLabel = "N", description = "this node's id, 0..N-1")
  int id;

  @Option(
      names = "--peers",
      required = true,
      paramLabel = "0=HOST:PORT,1=...",
      description = "every node of the cluster, by id")
  String peers;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DATA",
      description = "this node's storage directory")
  Path dir;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = {
        "bind the peer endpoint here instead of this node's --peers entry",
        "(e.g. 0.0.0.0:7000, or the real port behind a proxy --peers names);",
        "the client endpoint binds the same host, port + 1"
      })
  String listen;

  @Option(
      names = "--admin-listen",
      paramLabel = "HOST:PORT",
      description = "bind the admin endpoint here (default 127.0.0.1, peer port + 2)")
  String adminListen;

  @Option(
      names = "--tls-dir",
      paramLabel = "DIR",
      description = {
        "mutual TLS on every endpoint with DIR/node-ID.pem, node-ID.key and the CAs",
        "ca-node.pem, ca-client.pem, ca-admin.pem (db20 certs makes them)"
      })
  Path tlsDir;

  @Option(
      names = "--insecure",
      description = "serve without TLS: no authentication at all (needed without --tls-dir)")
  boolean insecure;

  @Option(
      names = "--bootstrap",
      description = {
        "form a new cluster: format an empty --dir as node --id of --peers",
        "(every node of a new cluster starts once with it; never on a restart)"
      })
  boolean bootstrap;

  @Option(
      names = "--join",
      description = {
        "format an empty --dir as a new member of a running cluster; it waits as a",
        "listener until 'db20 admin add-node ID=HOST:PORT' makes it a member"
      })
  boolean join;

  @Option(
      names = "--snapshot-every",
      paramLabel = "ENTRIES",
      defaultValue = "100000",
      description = "take a snapshot every ENTRIES log entries (default ${DEFAULT-VALUE})")
  long snapshotEvery;

  @Option(
      names = "--segment-bytes",
      paramLabel = "BYTES",
      defaultValue = "8388608",
      description =
          "largest log segment; closed segments are purged after a snapshot (default ${DEFAULT-VALUE})")
  long segmentBytes;

  @Option(
      names = "--purge-gap",
      paramLabel = "ENTRIES",
      defaultValue = "1024",
      description =
          "purge the log when a snapshot is ENTRIES past the last purge (default ${DEFAULT-VALUE})")
  int purgeGap;

  @CommandLine.Mixin RatisTuningOptions tuning;

  @Override
  public Integer call() throws InterruptedException {
    Peers p = Cli.peers(spec.commandLine(), peers);
    if (snapshotEvery < 1 || segmentBytes < 1024 || purgeGap < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--snapshot-every and --purge-gap must be >= 1, --segment-bytes >= 1024");
    }
    NodeConfig config;
    try {
      config =
          NodeConfig.of(p, id, dir)
              .withListen(endpoint("--listen", listen), endpoint("--admin-listen", adminListen))
              .withSettings(new Db20Server.Settings(snapshotEvery, segmentBytes, purgeGap))
              .withTuning(tuning.tuning());
      if (bootstrap && join) {
        throw new IllegalArgumentException("--bootstrap and --join exclude each other");
      }
      config =
          config.withStartup(
              bootstrap
                  ? NodeConfig.Startup.BOOTSTRAP
                  : join ? NodeConfig.Startup.JOIN : NodeConfig.Startup.RESTART);
      if (tlsDir != null && insecure) {
        throw new IllegalArgumentException("--tls-dir and --insecure exclude each other");
      }
      config = tlsDir != null ? config.withTls(tlsDir) : insecure ? config.withInsecure() : config;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (insecure) {
      System.err.println(
          "db20 server: WARNING: --insecure: node "
              + id
              + " serves without TLS; anyone who reaches "
              + config.endpoints().peer().host()
              + " can read, write and administer it");
    }
    Db20Server server;
    try {
      server = Db20Server.start(config);
    } catch (IllegalArgumentException e) {
      System.err.println("db20 server: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    } catch (IOException | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof Db20Server.StorageFailure f) {
          System.err.println("db20 server: ERROR node " + id + " cannot start: " + f.getMessage());
          return ExitCode.FAILED;
        }
      }
      System.err.println("db20 server: node " + id + " failed to start: " + e);
      return ExitCode.FAILED;
    }
    Endpoints bound = config.endpoints();
    System.err.println(
        "db20 server: node "
            + id
            + " serving peers on "
            + bound.peer()
            + ", clients on "
            + bound.client()
            + ", admin on "
            + bound.admin()
            + ", data in "
            + dir
            + (tlsDir != null ? ", mutual TLS from " + tlsDir : ", no TLS"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // SIGTERM stops the node within STOP_SECONDS, even if closing hangs on broken
                  // storage.
                  Thread watchdog =
                      new Thread(
                          () -> {
                            try {
                              Thread.sleep(STOP_SECONDS * 1000L);
                              System.err.println(
                                  "db20 server: node "
                                      + id
                                      + " did not stop within "
                                      + STOP_SECONDS
                                      + " s; halting");
                              Runtime.getRuntime().halt(ExitCode.FAILED);
                            } catch (InterruptedException e) {
                              // Stopped in time.
                            }
                          },
                          "db20-server-stop-watchdog");
                  watchdog.setDaemon(true);
                  watchdog.start();
                  try {
                    server.close();
                    System.err.println("db20 server: node " + id + " stopped");
                  } catch (IOException | RuntimeException e) {
                    System.err.println("db20 server: node " + id + " close failed: " + e);
                  } finally {
                    watchdog.interrupt();
                  }
                },
                "db20-server-shutdown"));
    // Fail-stop: the first storage failure ends the process, non-zero, so a supervisor restarts
    // it; the node never stays up with a failed log.
    Db20Server.StorageFailure f;
    try {
      f = server.failure().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the failure future failed: " + e, e);
    }
    System.err.println(
        "db20 server: ERROR node " + id + " storage failed: " + f.getMessage() + "; exiting");
    return ExitCode.FAILED;
  }

  private Optional<Endpoint> endpoint(String option, String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(Endpoint.parse(value));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  /** Runs one node; the entry point {@code db20 local} and the process tests start. */
  public static void main(String[] args) {
    CommonPool.ofTwo();
    System.exit(Cli.execute(new ServerCommand(), args));
  }
}
