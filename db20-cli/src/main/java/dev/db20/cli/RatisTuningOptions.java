package dev.db20.cli;

import dev.db20.ratis.RatisTuning;
import dev.db20.script.Escape;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@link RatisTuning} options of {@code db20 server} and {@code db20 local} (which passes them
 * on to every server). Unset options keep {@link RatisTuning#DEFAULT}.
 */
final class RatisTuningOptions {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--election-timeout-ms",
      paramLabel = "MIN..MAX",
      description = "randomized election timeout (default 1000..2000)")
  String electionTimeout;

  @Option(
      names = "--outstanding-appends",
      paramLabel = "N",
      description = "AppendEntries in flight per follower (Ratis default 8)")
  Integer outstandingAppends;

  @Option(
      names = "--append-max-entries",
      paramLabel = "N",
      description = "log entries in one AppendEntries, 0 = no limit (Ratis default 0)")
  Integer appendMaxEntries;

  @Option(
      names = "--append-max-bytes",
      paramLabel = "BYTES",
      description = "bytes in one AppendEntries (Ratis default 4194304)")
  Long appendMaxBytes;

  @Option(
      names = "--append-wait-min-ms",
      paramLabel = "MS",
      description =
          "shortest wait between AppendEntries to a follower that owes a reply (db20 default 3;"
              + " Ratis 1, counted from any send)")
  Long appendWaitMinMs;

  @Option(
      names = "--flush-max-entries",
      paramLabel = "N",
      description = "most log entries one fsync covers (Ratis default 128)")
  Integer flushMaxEntries;

  @Option(
      names = "--log-write-buffer",
      paramLabel = "BYTES",
      description = "the log writer's buffer (Ratis default 8388608)")
  Long logWriteBuffer;

  /** The tuning these options give; a bad value is a usage error naming it. */
  RatisTuning tuning() {
    RatisTuning d = RatisTuning.DEFAULT;
    Duration min = d.electionTimeoutMin();
    Duration max = d.electionTimeoutMax();
    if (electionTimeout != null) {
      byte[] raw = electionTimeout.getBytes(StandardCharsets.UTF_8);
      String[] parts = electionTimeout.split("\\.\\.", -1);
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        min = Duration.ofMillis(Long.parseLong(parts[0]));
        max = Duration.ofMillis(Long.parseLong(parts[1]));
      } catch (NumberFormatException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--election-timeout-ms wants MIN..MAX in milliseconds, got '"
                + Escape.token(raw, 0, raw.length)
                + "'");
      }
    }
    try {
      return new RatisTuning(
          min,
          max,
          outstandingAppends == null ? d.outstandingAppendsMax() : outstandingAppends,
          appendMaxEntries == null ? d.appenderBufferElements() : appendMaxEntries,
          appendMaxBytes == null ? d.appenderBufferBytes() : appendMaxBytes,
          appendWaitMinMs == null ? d.appenderWaitMin() : Duration.ofMillis(appendWaitMinMs),
          flushMaxEntries == null ? d.forceSyncNum() : flushMaxEntries,
          logWriteBuffer == null ? d.writeBufferBytes() : logWriteBuffer);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The options that were given, as arguments for a {@code db20 server} command line. */
  List<String> arguments() {
    List<String> a = new ArrayList<>();
    add(a, "--election-timeout-ms", electionTimeout);
    add(a, "--outstanding-appends", outstandingAppends);
    add(a, "--append-max-entries", appendMaxEntries);
    add(a, "--append-max-bytes", appendMaxBytes);
    add(a, "--append-wait-min-ms", appendWaitMinMs);
    add(a, "--flush-max-entries", flushMaxEntries);
    add(a, "--log-write-buffer", logWriteBuffer);
    return a;
  }

  private static void add(List<String> a, String name, Object value) {
    if (value != null) {
      a.add(name);
      a.add(value.toString());
    }
  }
}
