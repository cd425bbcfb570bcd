package dev.db20.script;

/**
 * The exit statuses of SPEC §7's programs (N16 for {@code check}) and of every {@code db20}
 * command: the one definition, for the programs and for the conformance suite that checks them.
 */
public final class ExitCode {
  private ExitCode() {}

  /** Success. */
  public static final int OK = 0;

  /**
   * A check failed (a corrupt snapshot, a conformance mismatch, nodes that disagree) or the
   * operation could not be done at run time (a cluster that cannot be reached, a port taken).
   */
  public static final int FAILED = 1;

  /**
   * Bad usage or bad input: an unknown option, a bad script line, an unreadable or unwritable file.
   */
  public static final int BAD_INPUT = 2;
}
