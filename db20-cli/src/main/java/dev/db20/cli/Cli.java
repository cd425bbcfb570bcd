package dev.db20.cli;

import dev.db20.ratis.Peers;
import dev.db20.script.ExitCode;
import picocli.CommandLine;

/**
 * What the Ratis commands share: parsing --peers, quiet gRPC, running a command outside {@code
 * db20}.
 */
final class Cli {
  private Cli() {}

  // gRPC (shaded in Ratis) logs through java.util.logging; one INFO line per JVM about epoll is
  // noise on a client's stderr. A strong reference: JUL holds loggers weakly. In a holder class,
  // so that only the commands that talk gRPC start JUL's LogManager (about 10 ms at start, which
  // `db20 run` does not pay).
  private static final class GrpcLog {
    static final java.util.logging.Logger LOG =
        java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");
  }

  /** Keeps gRPC's java.util.logging at WARNING and above. */
  static void quietGrpc() {
    GrpcLog.LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** Parses {@code --peers}, turning a bad string into a usage error. */
  static Peers peers(CommandLine cmd, String spec) {
    if (spec == null) {
      throw new CommandLine.ParameterException(
          cmd, "Missing required option: '--peers=0=HOST:PORT,1=...'");
    }
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

  /**
   * As {@link #execute(Object, String...)} with usage errors and help errors going to {@code err}.
   */
  static int execute(Object command, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          ex.getCommandLine()
              .getErr()
              .println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
          return ExitCode.BAD_INPUT;
        });
    return cl.execute(args);
  }
}
