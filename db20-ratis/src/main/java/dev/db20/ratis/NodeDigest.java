package dev.db20.ratis;

/**
 * One node's state as its STATE query reports it.
 *
 * @param index the db20 index: db20 ops applied
 * @param keyCount the keys in its state machine
 * @param fnv1a64 FNV-1a 64 of its canonical snapshot
 * @param raftIndex Ratis's applied log index (db20 ops plus Ratis's own entries)
 */
public record NodeDigest(long index, long keyCount, long fnv1a64, long raftIndex) {}
