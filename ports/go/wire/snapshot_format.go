// Package wire is the snapshot byte format of SPEC §4, CRC-32C and FNV-1a 64 (Java: db20-wire).
package wire

// Every offset and size of the canonical snapshot, format version 1 (Java: SnapshotFormat).
// Each offset is the previous offset plus the previous size.
const (
	Version = 1
	Flags   = 0

	OffsetMagic       = 0
	SizeMagic         = 4
	OffsetVersion     = OffsetMagic + SizeMagic
	SizeVersion       = 2
	OffsetFlags       = OffsetVersion + SizeVersion
	SizeFlags         = 2
	OffsetCommitIndex = OffsetFlags + SizeFlags
	SizeCommitIndex   = 8
	OffsetEntryCount  = OffsetCommitIndex + SizeCommitIndex
	SizeEntryCount    = 4
	// HeaderSize is where the first entry starts.
	HeaderSize       = OffsetEntryCount + SizeEntryCount
	SizeLengthPrefix = 4
	SizeCrc          = 4
	MinSnapshotSize  = HeaderSize + SizeCrc

	MinKeyLen   = 1
	MaxKeyLen   = 65535
	MaxValueLen = 1048576
	// MinEntrySize is two length prefixes and a one-byte key.
	MinEntrySize = 2*SizeLengthPrefix + MinKeyLen
)

// Magic is ASCII "DB20".
var Magic = [SizeMagic]byte{'D', 'B', '2', '0'}
