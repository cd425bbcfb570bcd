/**
 * The db20 wire format: the canonical snapshot of SPEC §4 (writer and strict reader), the
 * little-endian helpers it is made of, CRC-32C and the FNV-1a 64 digest of SPEC §5.
 *
 * <p>This module knows bytes, not clusters, and has no runtime dependencies: it can be used as the
 * artifact {@code dev.db20:db20-wire} or copied alone into another project. Entry points, in pairs:
 * {@link dev.db20.wire.SnapshotWriter#encode SnapshotWriter.encode} makes one array and {@link
 * dev.db20.wire.SnapshotReader#decode SnapshotReader.decode} takes it back; {@link
 * dev.db20.wire.SnapshotWriter#write SnapshotWriter.write} (or a {@link
 * dev.db20.wire.SnapshotSink}) streams a snapshot of any size out and {@link
 * dev.db20.wire.SnapshotReader#read SnapshotReader.read} streams it back to a {@link
 * dev.db20.wire.SnapshotVisitor}, both in bounded memory. A snapshot that breaks a rule is refused
 * with a {@link dev.db20.wire.SnapshotFormatException} that names the byte offset and the rule, the
 * same from every reader.
 */
package dev.db20.wire;
