package dev.db20.ratis.cli;

import dev.db20.ratis.Peers;
import picocli.CommandLine;

/** What the three commands share: exit codes and running a command outside {@code db20}. */
final class Cli {
  private Cli() {}

  /** Something failed at run time (a node unreachable, a port taken). */
  static final int EXIT_FAILED = 1;
  /** Bad usage or bad input. */
  static final int EXIT_BAD_INPUT = 2;

  // gRPC (shaded in Ratis) logs through java.util.logging; one INFO line per JVM about epoll is
  // noise on a client's stderr. A strong reference: JUL holds loggers weakly.
  private static final java.util.logging.Logger GRPC_LOG =
      java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

  /** Keeps gRPC's java.util.logging at WARNING and above. */
  static void quietGrpc() {
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** Parses {@code --peers}, turning a bad string into a usage error. */
  static Peers peers(CommandLine cmd, String spec) {
    quietGrpc();
    try {
      return Peers.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--peers: " + e.getMessage());
    }
  }

  /** Runs {@code command} as a program of its own: a usage error is one line and exit 2. */
  static int execute(Object command, String... args) {
    return execute(command, new java.io.PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(Object, String...)} with usage errors and help errors going to {@code err}. */
  static int execute(Object command, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
      return EXIT_BAD_INPUT;
    });
    return cl.execute(args);
  }
}
