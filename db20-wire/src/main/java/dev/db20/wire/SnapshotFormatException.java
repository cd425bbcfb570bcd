package dev.db20.wire;

/**
 * The strict reader refused a snapshot. The message names the byte offset and the rule broken;
 * {@link #offset()} and {@link #rule()} give both to code.
 */
public final class SnapshotFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Every reason SPEC §4 gives a reader to refuse a snapshot. */
  public enum Rule {
    /** The first four bytes are not {@code DB20}. */
    BAD_MAGIC,
    /** The version is not 1. */
    UNKNOWN_VERSION,
    /** The reserved flags are not zero. */
    NONZERO_FLAGS,
    /** The buffer ends before a fixed-size field does. */
    TRUNCATED,
    /** A length (or the entry count) runs past the end of the buffer. */
    LENGTH_PAST_END,
    /** A key of length zero. */
    EMPTY_KEY,
    /** A key longer than 65,535 bytes. */
    KEY_TOO_LONG,
    /** A value longer than 1,048,576 bytes. */
    VALUE_TOO_LONG,
    /** A key not greater than the one before it. */
    KEYS_OUT_OF_ORDER,
    /** A key equal to the one before it. */
    DUPLICATE_KEY,
    /** Bytes after the CRC. */
    TRAILING_BYTES,
    /** The stored CRC is not the CRC-32C of the bytes before it. */
    CRC_MISMATCH;

    /** The rule in words, as {@code check} prints it (SPEC §7.7). */
    public String words() {
      return RuleWords.of(this);
    }
  }

  private final long offset;
  private final Rule rule;

  SnapshotFormatException(long offset, Rule rule, String detail) {
    super("offset " + offset + ": " + rule.words() + ": " + detail);
    this.offset = offset;
    this.rule = rule;
  }

  /** The byte offset of the field that broke the rule. */
  public long offset() {
    return offset;
  }

  /** The rule broken. */
  public Rule rule() {
    return rule;
  }
}
