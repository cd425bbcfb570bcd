/**
 * The db20 wire format: the canonical snapshot of SPEC §4 (writer and strict reader), the
 * little-endian helpers it is made of, CRC-32C and the FNV-1a 64 digest of SPEC §5.
 *
 * <p>This module knows bytes, not clusters, and has no runtime dependencies: it can be copied
 * alone into another project. Entry points: {@link dev.db20.wire.SnapshotWriter} writes a
 * snapshot, {@link dev.db20.wire.SnapshotReader} reads one back or refuses it with a {@link
 * dev.db20.wire.SnapshotFormatException} that names the byte offset and the rule broken.
 */
package dev.db20.wire;
