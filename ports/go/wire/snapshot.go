package wire

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
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

// source is where the strict reader's bytes come from: a slice held whole, or a stream of
// known size read front to back (Java: SnapshotInput). Positions are absolute offsets.
type source interface {
	// size is the input's size in bytes.
	size() int
	// load makes the n bytes at at available; at is where the previous load ended and the
	// caller has checked that n bytes remain.
	load(at, n int) error
	// get is the n bytes at at, loaded and not released.
	get(at, n int) []byte
	// release says the bytes before at are not asked for again.
	release(at int)
	// crcBefore is the CRC-32C of the bytes before at (all loaded).
	crcBefore(at int) uint32
}

// sliceSource is a snapshot held whole.
type sliceSource struct{ b []byte }

func (s *sliceSource) size() int            { return len(s.b) }
func (s *sliceSource) load(at, n int) error { return nil }
func (s *sliceSource) get(at, n int) []byte {
	// The full slice expression caps a view, so appending to one key cannot overwrite the next
	// field.
	return s.b[at : at+n : at+n]
}
func (s *sliceSource) release(at int)          {}
func (s *sliceSource) crcBefore(at int) uint32 { return Crc32c(s.b[:at]) }

// streamSource is a stream of known size: it holds the bytes from the previous entry's key
// on, at most two entries (each bounded by the limits), and the CRC of the bytes released.
type streamSource struct {
	in    io.Reader
	n     int
	held  []byte
	base  int
	crc   uint32
	ioErr error
}

func (s *streamSource) size() int { return s.n }
func (s *streamSource) load(at, n int) error {
	from := len(s.held)
	if cap(s.held) < from+n {
		grown := make([]byte, from, 2*(from+n))
		copy(grown, s.held)
		s.held = grown
	}
	s.held = s.held[:from+n]
	if _, err := io.ReadFull(s.in, s.held[from:]); err != nil {
		s.ioErr = err
		return err
	}
	return nil
}
func (s *streamSource) get(at, n int) []byte {
	return s.held[at-s.base : at-s.base+n : at-s.base+n]
}
func (s *streamSource) release(at int) {
	k := at - s.base
	s.crc = crc32.Update(s.crc, castagnoli, s.held[:k])
	s.held = append(s.held[:0], s.held[k:]...)
	s.base = at
}
func (s *streamSource) crcBefore(at int) uint32 {
	s.release(at)
	return s.crc
}

// cursor reads untrusted bytes; every read checks the bytes remaining first.
type cursor struct {
	src source
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
	if remain := c.src.size() - c.at; remain < size {
		return refuse(c.at, Truncated, "buffer ends early: %s needs %d bytes, %d remain", f, size, remain)
	}
	return nil
}

// take reads the n fixed bytes of f at the cursor and returns them.
func (c *cursor) take(n int, f field) ([]byte, error) {
	if err := c.need(n, f); err != nil {
		return nil, err
	}
	if err := c.src.load(c.at, n); err != nil {
		return nil, err
	}
	c.at += n
	return c.src.get(c.at-n, n), nil
}

func (c *cursor) u16(f field) (uint16, error) {
	b, err := c.take(2, f)
	if err != nil {
		return 0, err
	}
	return GetU16Le(b, 0), nil
}

func (c *cursor) u32(f field) (uint32, error) {
	b, err := c.take(4, f)
	if err != nil {
		return 0, err
	}
	return GetU32Le(b, 0), nil
}

func (c *cursor) u64(f field) (uint64, error) {
	b, err := c.take(8, f)
	if err != nil {
		return 0, err
	}
	return GetU64Le(b, 0), nil
}

// bytes is the position of the n bytes at the cursor; lenAt is where that length was read.
func (c *cursor) bytes(lenAt int, n uint32, f field) (int, error) {
	remain := c.src.size() - c.at
	if uint64(n) > uint64(remain) {
		return 0, refuse(lenAt, LengthPastEnd, "%s of length %d runs past the end: %d bytes remain", f, n, remain)
	}
	if err := c.src.load(c.at, int(n)); err != nil {
		return 0, err
	}
	c.at += int(n)
	return c.at - int(n), nil
}

// SnapshotSummary is what the strict reader learns from a snapshot it accepts.
type SnapshotSummary struct {
	CommitIndex uint64
	EntryCount  int
	// Crc is the stored CRC-32C (equal to the computed one).
	Crc uint32
}

// readSnapshot is the strict reader of SPEC §4, one pass front to back with the CRC checked
// last; onEntry sees each entry in order (views valid until it returns, for a stream). It
// accepts exactly the bytes EncodeSnapshot writes and refuses everything else naming the
// offset and the rule; a stream's read error is returned as it is.
func readSnapshot(src source, onEntry func(key, value []byte)) (SnapshotSummary, error) {
	c := &cursor{src: src}
	magic, err := c.take(SizeMagic, header("magic"))
	if err != nil {
		return SnapshotSummary{}, err
	}
	if !bytes.Equal(magic, Magic[:]) {
		return SnapshotSummary{}, refuse(OffsetMagic, BadMagic, "expected 44423230 (\"DB20\"), found %s", Hex(magic))
	}
	version, err := c.u16(header("format version"))
	if err != nil {
		return SnapshotSummary{}, err
	}
	if version != Version {
		return SnapshotSummary{}, refuse(OffsetVersion, UnknownVersion, "format version %d, this reader knows only %d", version, Version)
	}
	flags, err := c.u16(header("flags"))
	if err != nil {
		return SnapshotSummary{}, err
	}
	if flags != Flags {
		return SnapshotSummary{}, refuse(OffsetFlags, NonzeroFlags, "flags 0x%x, must be 0 (reserved)", flags)
	}
	commit, err := c.u64(header("commit_index"))
	if err != nil {
		return SnapshotSummary{}, err
	}
	count, err := c.u32(header("entry count"))
	if err != nil {
		return SnapshotSummary{}, err
	}
	room := src.size() - c.at - SizeCrc
	if room < 0 {
		room = 0
	}
	// SPEC §4.0: the file must hold 24 + 9n bytes, n = 0 included (a 20-23-byte file fails here).
	if uint64(src.size()) < uint64(HeaderSize+SizeCrc)+uint64(count)*MinEntrySize {
		return SnapshotSummary{}, refuse(OffsetEntryCount, LengthPastEnd,
			"entry count %d needs at least %d bytes of entries, %d remain before the CRC", count, uint64(count)*MinEntrySize, room)
	}
	prevAt, prevLen := -1, 0
	for i := 0; i < int(count); i++ {
		keyAt := c.at
		if prevAt >= 0 {
			src.release(prevAt - SizeLengthPrefix)
		} else {
			src.release(keyAt)
		}
		keyLen, err := c.u32(field{"key length", i})
		if err != nil {
			return SnapshotSummary{}, err
		}
		if keyLen == 0 {
			return SnapshotSummary{}, refuse(keyAt, EmptyKey, "entry %d has a key of length 0", i)
		}
		if keyLen > MaxKeyLen {
			return SnapshotSummary{}, refuse(keyAt, KeyTooLong, "entry %d key length %d exceeds the limit of %d bytes", i, keyLen, MaxKeyLen)
		}
		keyPos, err := c.bytes(keyAt, keyLen, field{"key", i})
		if err != nil {
			return SnapshotSummary{}, err
		}
		key := src.get(keyPos, int(keyLen))
		if prevAt >= 0 {
			switch prev := src.get(prevAt, prevLen); bytes.Compare(prev, key) {
			case 0:
				return SnapshotSummary{}, refuse(keyAt, DuplicateKey, "entry %d repeats key %s", i, Hex(key))
			case 1:
				return SnapshotSummary{}, refuse(keyAt, KeysOutOfOrder, "entry %d key %s sorts before the previous key %s", i, Hex(key), Hex(prev))
			}
		}
		prevAt, prevLen = keyPos, int(keyLen)
		valueAt := c.at
		valueLen, err := c.u32(field{"value length", i})
		if err != nil {
			return SnapshotSummary{}, err
		}
		if valueLen > MaxValueLen {
			return SnapshotSummary{}, refuse(valueAt, ValueTooLong, "entry %d value length %d exceeds the limit of %d bytes", i, valueLen, MaxValueLen)
		}
		valuePos, err := c.bytes(valueAt, valueLen, field{"value", i})
		if err != nil {
			return SnapshotSummary{}, err
		}
		if onEntry != nil {
			onEntry(src.get(keyPos, int(keyLen)), src.get(valuePos, int(valueLen)))
		}
	}
	crcAt := c.at
	stored, err := c.u32(header("CRC"))
	if err != nil {
		return SnapshotSummary{}, err
	}
	if c.at != src.size() {
		return SnapshotSummary{}, refuse(c.at, TrailingBytes, "%d bytes after the CRC", src.size()-c.at)
	}
	if computed := src.crcBefore(crcAt); stored != computed {
		return SnapshotSummary{}, refuse(crcAt, CrcMismatch, "stored CRC-32C 0x%08x, computed 0x%08x", stored, computed)
	}
	return SnapshotSummary{CommitIndex: commit, EntryCount: int(count), Crc: stored}, nil
}

// ValidateSnapshotStream is the strict reader over a stream of size bytes (a regular file's
// length), read front to back in memory bounded by two entries whatever size is: a bad magic is
// refused after 4 bytes. It refuses exactly what LoadState refuses for the same bytes, at the
// same offset, with a *SnapshotFormatError; any other error is a failure to read (the stream
// ending before size bytes, too).
func ValidateSnapshotStream(in io.Reader, size int64) (SnapshotSummary, error) {
	if size > int64(int(^uint(0)>>1)) {
		return SnapshotSummary{}, errors.New("file too large")
	}
	return readSnapshot(&streamSource{in: in, n: int(size)}, nil)
}

// LoadState is the strict reader: it accepts exactly the bytes EncodeSnapshot writes and
// refuses everything else naming the offset and the rule. The CRC is checked last.
//
// Allocation is bounded by the input: the keys and values of the result are views into one
// copy of b (made only once the header has been read), and the entries slice grows with the
// entries actually read, each of which took at least MinEntrySize input bytes; no count or
// length from the input sizes an allocation.
func LoadState(b []byte) (SnapshotState, error) {
	// Validated first, so nothing is copied for input that will be refused.
	summary, err := readSnapshot(&sliceSource{b}, nil)
	if err != nil {
		return SnapshotState{}, err
	}
	// The caller keeps b; the result must not alias it.
	copied := append([]byte(nil), b...)
	entries := make([]Entry, 0, summary.EntryCount)
	if _, err := readSnapshot(&sliceSource{copied}, func(k, v []byte) {
		entries = append(entries, Entry{Key: k, Value: v})
	}); err != nil {
		panic(fmt.Sprintf("LoadState: validated input refused on the second pass: %v", err))
	}
	return SnapshotState{CommitIndex: summary.CommitIndex, Entries: entries}, nil
}
