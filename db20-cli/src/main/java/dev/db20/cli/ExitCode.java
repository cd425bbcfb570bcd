package dev.db20.cli;

/** The exit codes of every {@code db20} command: the one definition. */
final class ExitCode {
  private ExitCode() {}

  /** Success. */
  static final int OK = 0;
  /**
   * A check failed (a corrupt snapshot, a conformance mismatch, nodes that disagree) or the
   * operation could not be done at run time (a cluster that cannot be reached, a port taken).
   */
  static final int FAILED = 1;
  /** Bad usage or bad input: an unknown option, a bad script line, an unreadable or unwritable file. */
  static final int BAD_INPUT = 2;
}
