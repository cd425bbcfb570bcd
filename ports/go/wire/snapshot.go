package wire

import (
	"bytes"
	"fmt"
)

// Entry is one key and its value.
type Entry struct {
	Key, Value []byte
}

// SnapshotState is a decoded snapshot: commit index and entries in key order.
type SnapshotState struct {
	CommitIndex uint64
	Entries     []Entry
}

// Rule is a reason SPEC §4 gives a reader to refuse a snapshot.
type Rule int

const (
	BadMagic Rule = iota
	UnknownVersion
	NonzeroFlags
	Truncated
	LengthPastEnd
	EmptyKey
	KeyTooLong
	ValueTooLong
	KeysOutOfOrder
	DuplicateKey
	TrailingBytes
	CrcMismatch
)

var ruleText = [...]string{"bad magic", "unknown version", "nonzero flags", "truncated", "length past end",
	"empty key", "key too long", "value too long", "keys out of order", "duplicate key", "trailing bytes",
	"crc mismatch"}

func (r Rule) String() string { return ruleText[r] }

// SnapshotFormatError is the strict reader's refusal: the byte offset and the rule broken.
type SnapshotFormatError struct {
	Offset int
	Rule   Rule
	Detail string
}

func (e *SnapshotFormatError) Error() string {
	return fmt.Sprintf("offset %d: %s: %s", e.Offset, e.Rule, e.Detail)
}

func refuse(offset int, rule Rule, format string, args ...any) error {
	return &SnapshotFormatError{Offset: offset, Rule: rule, Detail: fmt.Sprintf(format, args...)}
}

// StringEntry is one key and its value as immutable strings: the form the core's frozen
// state versions hold (shared with the live state machine, never copied).
type StringEntry struct {
	Key, Value string
}

// EncodeSnapshot writes the canonical snapshot of SPEC §4 into one buffer sized up front.
// Entries must be in strictly increasing unsigned bytewise key order, within SPEC §1's
// limits; payload is the sum over entries of 8 + len(key) + len(value). It panics on a broken
// precondition: that is a caller bug.
func EncodeSnapshot(commitIndex uint64, entries []Entry, payload int) []byte {
	buf, at := startSnapshot(commitIndex, len(entries), payload)
	for i, e := range entries {
		checkEntry(i, len(e.Key), len(e.Value), i > 0 && bytes.Compare(entries[i-1].Key, e.Key) >= 0)
		at = writeBytes(buf, at, e.Key)
		at = writeBytes(buf, at, e.Value)
	}
	return finishSnapshot(buf, at)
}

// EncodeSnapshotStrings is EncodeSnapshot for string entries, with the same preconditions.
func EncodeSnapshotStrings(commitIndex uint64, entries []StringEntry, payload int) []byte {
	buf, at := startSnapshot(commitIndex, len(entries), payload)
	for i, e := range entries {
		checkEntry(i, len(e.Key), len(e.Value), i > 0 && entries[i-1].Key >= e.Key)
		at = writeString(buf, at, e.Key)
		at = writeString(buf, at, e.Value)
	}
	return finishSnapshot(buf, at)
}

// MaxSnapshotSize is the largest snapshot this writer makes (spec-notes N9: Java's array
// limit), so that every implementation refuses the same sizes.
const MaxSnapshotSize = 1<<31 - 1 - 8

func startSnapshot(commitIndex uint64, count, payload int) ([]byte, int) {
	size := MinSnapshotSize + payload
	if payload < 0 || size > MaxSnapshotSize {
		panic(fmt.Sprintf("snapshot of %d bytes exceeds the limit of %d bytes (spec-notes N9)", size, MaxSnapshotSize))
	}
	buf := make([]byte, size)
	copy(buf[OffsetMagic:], Magic[:])
	PutU16Le(buf, OffsetVersion, Version)
	PutU16Le(buf, OffsetFlags, Flags)
	PutU64Le(buf, OffsetCommitIndex, commitIndex)
	PutU32Le(buf, OffsetEntryCount, uint32(count))
	return buf, HeaderSize
}

func checkEntry(i, keyLen, valueLen int, outOfOrder bool) {
	if keyLen < MinKeyLen || keyLen > MaxKeyLen || valueLen > MaxValueLen {
		panic(fmt.Sprintf("entry %d outside the limits: key %d bytes, value %d bytes", i, keyLen, valueLen))
	}
	if outOfOrder {
		panic(fmt.Sprintf("keys not strictly increasing at entry %d", i))
	}
}

func finishSnapshot(buf []byte, at int) []byte {
	if at != len(buf)-SizeCrc {
		panic(fmt.Sprintf("crc offset(%d) != size(%d) - 4: payload size was wrong", at, len(buf)))
	}
	PutU32Le(buf, at, Crc32c(buf[:at]))
	return buf
}

func writeBytes(buf []byte, at int, b []byte) int {
	PutU32Le(buf, at, uint32(len(b)))
	copy(buf[at+SizeLengthPrefix:], b)
	return at + SizeLengthPrefix + len(b)
}

func writeString(buf []byte, at int, s string) int {
	PutU32Le(buf, at, uint32(len(s)))
	copy(buf[at+SizeLengthPrefix:], s)
	return at + SizeLengthPrefix + len(s)
}

// Encode is the canonical snapshot of s.
func (s SnapshotState) Encode() []byte {
	payload := 0
	for _, e := range s.Entries {
		payload += 2*SizeLengthPrefix + len(e.Key) + len(e.Value)
	}
	return EncodeSnapshot(s.CommitIndex, s.Entries, payload)
}

// cursor reads untrusted bytes; every read checks the bytes remaining first.
type cursor struct {
	buf []byte
	at  int
}

// field names what is read for an error message; entry >= 0 adds " of entry N". Built only
// when a refusal needs it, so reading an entry formats nothing.
type field struct {
	name  string
	entry int
}

func (f field) String() string {
	if f.entry < 0 {
		return f.name
	}
	return fmt.Sprintf("%s of entry %d", f.name, f.entry)
}

func header(name string) field { return field{name, -1} }

func (c *cursor) need(size int, f field) error {
	if remain := len(c.buf) - c.at; remain < size {
		return refuse(c.at, Truncated, "buffer ends early: %s needs %d bytes, %d remain", f, size, remain)
	}
	return nil
}

func (c *cursor) u16(f field) (uint16, error) {
	if err := c.need(2, f); err != nil {
		return 0, err
	}
	v := GetU16Le(c.buf, c.at)
	c.at += 2
	return v, nil
}

func (c *cursor) u32(f field) (uint32, error) {
	if err := c.need(4, f); err != nil {
		return 0, err
	}
	v := GetU32Le(c.buf, c.at)
	c.at += 4
	return v, nil
}

func (c *cursor) u64(f field) (uint64, error) {
	if err := c.need(8, f); err != nil {
		return 0, err
	}
	v := GetU64Le(c.buf, c.at)
	c.at += 8
	return v, nil
}

func (c *cursor) bytes(lenAt int, n uint32, f field) ([]byte, error) {
	remain := len(c.buf) - c.at
	if uint64(n) > uint64(remain) {
		return nil, refuse(lenAt, LengthPastEnd, "%s of length %d runs past the end: %d bytes remain", f, n, remain)
	}
	// A view into the reader's one private copy of the input; the full slice expression caps
	// it, so appending to one key cannot overwrite the next field.
	out := c.buf[c.at : c.at+int(n) : c.at+int(n)]
	c.at += int(n)
	return out, nil
}

// LoadState is the strict reader: it accepts exactly the bytes EncodeSnapshot writes and
// refuses everything else naming the offset and the rule. The CRC is checked last.
//
// Allocation is bounded by the input: the keys and values of the result are views into one
// copy of b (made only once the header has been read), and the entries slice grows with the
// entries actually read, each of which took at least MinEntrySize input bytes; no count or
// length from the input sizes an allocation.
func LoadState(b []byte) (SnapshotState, error) {
	c := &cursor{buf: b}
	if err := c.need(SizeMagic, header("magic")); err != nil {
		return SnapshotState{}, err
	}
	if !bytes.Equal(b[:SizeMagic], Magic[:]) {
		return SnapshotState{}, refuse(OffsetMagic, BadMagic, "expected 44423230 (\"DB20\"), found %s", Hex(b[:SizeMagic]))
	}
	c.at = OffsetVersion
	version, err := c.u16(header("format version"))
	if err != nil {
		return SnapshotState{}, err
	}
	if version != Version {
		return SnapshotState{}, refuse(OffsetVersion, UnknownVersion, "format version %d, this reader knows only %d", version, Version)
	}
	flags, err := c.u16(header("flags"))
	if err != nil {
		return SnapshotState{}, err
	}
	if flags != Flags {
		return SnapshotState{}, refuse(OffsetFlags, NonzeroFlags, "flags 0x%x, must be 0 (reserved)", flags)
	}
	commit, err := c.u64(header("commit_index"))
	if err != nil {
		return SnapshotState{}, err
	}
	count, err := c.u32(header("entry count"))
	if err != nil {
		return SnapshotState{}, err
	}
	room := len(b) - c.at - SizeCrc
	if room < 0 {
		room = 0
	}
	// SPEC §4.0: the file must hold 24 + 9n bytes, n = 0 included (a 20-23-byte file fails here).
	if uint64(len(b)) < uint64(HeaderSize+SizeCrc)+uint64(count)*MinEntrySize {
		return SnapshotState{}, refuse(OffsetEntryCount, LengthPastEnd,
			"entry count %d needs at least %d bytes of entries, %d remain before the CRC", count, uint64(count)*MinEntrySize, room)
	}
	// The caller keeps b; the result must not alias it.
	c.buf = append([]byte(nil), b...)
	b = c.buf
	var entries []Entry
	for i := 0; i < int(count); i++ {
		keyAt := c.at
		keyLen, err := c.u32(field{"key length", i})
		if err != nil {
			return SnapshotState{}, err
		}
		if keyLen == 0 {
			return SnapshotState{}, refuse(keyAt, EmptyKey, "entry %d has a key of length 0", i)
		}
		if keyLen > MaxKeyLen {
			return SnapshotState{}, refuse(keyAt, KeyTooLong, "entry %d key length %d exceeds the limit of %d bytes", i, keyLen, MaxKeyLen)
		}
		key, err := c.bytes(keyAt, keyLen, field{"key", i})
		if err != nil {
			return SnapshotState{}, err
		}
		if i > 0 {
			switch prev := entries[i-1].Key; bytes.Compare(prev, key) {
			case 0:
				return SnapshotState{}, refuse(keyAt, DuplicateKey, "entry %d repeats key %s", i, Hex(key))
			case 1:
				return SnapshotState{}, refuse(keyAt, KeysOutOfOrder, "entry %d key %s sorts before the previous key %s", i, Hex(key), Hex(prev))
			}
		}
		valueAt := c.at
		valueLen, err := c.u32(field{"value length", i})
		if err != nil {
			return SnapshotState{}, err
		}
		if valueLen > MaxValueLen {
			return SnapshotState{}, refuse(valueAt, ValueTooLong, "entry %d value length %d exceeds the limit of %d bytes", i, valueLen, MaxValueLen)
		}
		value, err := c.bytes(valueAt, valueLen, field{"value", i})
		if err != nil {
			return SnapshotState{}, err
		}
		entries = append(entries, Entry{Key: key, Value: value})
	}
	crcAt := c.at
	stored, err := c.u32(header("CRC"))
	if err != nil {
		return SnapshotState{}, err
	}
	if c.at != len(b) {
		return SnapshotState{}, refuse(c.at, TrailingBytes, "%d bytes after the CRC", len(b)-c.at)
	}
	if computed := Crc32c(b[:crcAt]); stored != computed {
		return SnapshotState{}, refuse(crcAt, CrcMismatch, "stored CRC-32C 0x%08x, computed 0x%08x", stored, computed)
	}
	return SnapshotState{CommitIndex: commit, Entries: entries}, nil
}
