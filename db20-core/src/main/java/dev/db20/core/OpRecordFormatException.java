package dev.db20.core;

import dev.db20.wire.RuleWords;

/**
 * The strict op record reader refused a record (SPEC §4.1). Like the snapshot reader's {@code
 * SnapshotFormatException}, it names the byte offset and the rule broken.
 */
public final class OpRecordFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Every reason SPEC §4.1 gives a reader to refuse a record. */
  public enum Rule {
    /** The tag is not 0, 1 or 2. */
    UNKNOWN_TAG,
    /** The record ends before a tag or a length field does. */
    TRUNCATED,
    /** A key or value length runs past the end of the record. */
    LENGTH_PAST_END,
    /** A key of length zero. */
    EMPTY_KEY,
    /** A key longer than 65,535 bytes. */
    KEY_TOO_LONG,
    /** A value longer than 1,048,576 bytes. */
    VALUE_TOO_LONG,
    /** Bytes after the record. */
    TRAILING_BYTES;

    /** The rule in words, as messages and the {@code check} command print it. */
    public String words() {
      return RuleWords.of(this);
    }
  }

  private final long offset;
  private final Rule rule;

  OpRecordFormatException(long offset, Rule rule, String detail) {
    super("op record offset " + offset + ": " + rule.words() + ": " + detail);
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
