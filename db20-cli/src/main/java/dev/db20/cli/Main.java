package dev.db20.cli;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * The jar's entry point. {@code db20 run FILE} goes straight to {@link RunCommand}; every other
 * command line goes through picocli ({@link Db20}). This class names no picocli type, so the JVM
 * loads (and verifies) none for {@code run}: building picocli's model of every subcommand costs
 * about 0.4 s of CPU at start (0.50 s user for {@code run} of a two-line script through picocli,
 * 0.09 s calling the runner directly), more than a million workload ops. Only the bare form {@code
 * run FILE} (or {@code run -}) takes this path; help, options and everything else go through
 * picocli.
 */
public final class Main {
  private Main() {}

  /** Runs {@code args} and exits with the exit code. */
  public static void main(String[] args) {
    CommonPool.ofTwo();
    Integer fast = runWithoutParser(args);
    System.exit(fast != null ? fast : Db20.execute(args));
  }

  /** {@code db20 run FILE} without the command-line parser, or null for any other command line. */
  static Integer runWithoutParser(String[] args) {
    if (args.length != 2
        || !args[0].equals("run")
        || (args[1].startsWith("-") && !args[1].equals("-"))) {
      return null;
    }
    RunCommand run = new RunCommand();
    run.file = args[1];
    try {
      return run.call();
    } catch (IOException e) {
      return Db20.ioFailure("run", e, new PrintWriter(System.err, true));
    }
  }
}
