package wire

import (
	"bytes"
	"errors"
	"testing"
	"testing/iotest"

	"db20/internal/testkit"
)

func TestSpecVectors(t *testing.T) {
	if got := Crc32c([]byte("123456789")); got != 0xE3069283 {
		t.Fatalf("crc32c = %08x", got)
	}
	if DigestHex(Fnv1a64(nil)) != "cbf29ce484222325" || DigestHex(Fnv1a64([]byte("a"))) != "af63dc4c8601ec8c" {
		t.Fatal("fnv1a64 vectors")
	}
	if got := Hex(SnapshotState{}.Encode()); got != "444232300100000000000000000000000000000071239af8" {
		t.Fatalf("empty = %s", got)
	}
	one := SnapshotState{CommitIndex: 1, Entries: []Entry{{[]byte("a"), []byte("v")}}}
	if got := Hex(one.Encode()); got != "444232300100000001000000000000000100000001000000610100000076fdcf62bd" {
		t.Fatalf("one = %s", got)
	}
}

func TestOffsetsAddUp(t *testing.T) {
	got := []int{OffsetMagic, OffsetVersion, OffsetFlags, OffsetCommitIndex, OffsetEntryCount, HeaderSize, MinSnapshotSize}
	want := []int{0, 4, 6, 8, 16, 20, 24}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("offsets %v, want %v", got, want)
		}
	}
}

func TestLittleEndian(t *testing.T) {
	b := make([]byte, 9)
	PutU64Le(b, 1, 0x0102030405060708)
	if Hex(b) != "000807060504030201" || GetU64Le(b, 1) != 0x0102030405060708 {
		t.Fatal(Hex(b))
	}
	PutU32Le(b, 0, 0xfdcf62bd)
	if Hex(b[:4]) != "bd62cffd" || GetU32Le(b, 0) != 0xfdcf62bd {
		t.Fatal(Hex(b[:4]))
	}
	PutU16Le(b, 0, 0xbeef)
	if Hex(b[:2]) != "efbe" || GetU16Le(b, 0) != 0xbeef {
		t.Fatal(Hex(b[:2]))
	}
}

func snapshot(pairs ...string) []byte { return testkit.Snapshot(7, pairs...) }

var fixCrc = testkit.FixCrc

// One case per refusal of SPEC §4, each with its rule and offset.
func TestLoadStateRefusals(t *testing.T) {
	full := snapshot("a", "v")
	with := func(f func(b []byte)) []byte { b := snapshot("a", "v"); f(b); return fixCrc(b) }
	two := func(f func(b []byte)) []byte { b := snapshot("a", "1", "b", "2"); f(b); return fixCrc(b) }
	crcBad := SnapshotState{CommitIndex: 1, Entries: []Entry{{[]byte("a"), []byte("v")}}}.Encode()
	crcBad[29] ^= 1
	cases := []struct {
		name   string
		b      []byte
		rule   Rule
		offset int
	}{
		{"wrong magic", with(func(b []byte) { b[0] = 'X' }), BadMagic, 0},
		{"unknown version", with(func(b []byte) { b[4] = 2 }), UnknownVersion, 4},
		{"nonzero flags", with(func(b []byte) { b[6] = 1 }), NonzeroFlags, 6},
		{"empty buffer", nil, Truncated, 0},
		{"ends in header", full[:12], Truncated, 8},
		{"ends in crc", full[:len(full)-1], Truncated, 30},
		// SPEC §4.0 step 5: 24 + 9n bytes, n = 0 included; 20-23 bytes never reach the CRC.
		{"20 bytes, no entries", snapshot()[:20], LengthPastEnd, 16},
		{"23 bytes, no entries", snapshot()[:23], LengthPastEnd, 16},
		{"entry count past end", with(func(b []byte) { PutU32Le(b, 16, 0xffffffff) }), LengthPastEnd, 16},
		{"key length past end", with(func(b []byte) { PutU32Le(b, 20, 60000) }), LengthPastEnd, 20},
		{"value length past end", with(func(b []byte) { PutU32Le(b, 25, 1000000) }), LengthPastEnd, 25},
		{"empty key", with(func(b []byte) { PutU32Le(b, 20, 0) }), EmptyKey, 20},
		{"key over limit", with(func(b []byte) { PutU32Le(b, 20, 65536) }), KeyTooLong, 20},
		{"value over limit", with(func(b []byte) { PutU32Le(b, 25, 1048577) }), ValueTooLong, 25},
		{"keys out of order", two(func(b []byte) { b[24] = 'c' }), KeysOutOfOrder, 30},
		{"repeated key", two(func(b []byte) { b[34] = 'a' }), DuplicateKey, 30},
		{"bytes after crc", append(snapshot("a", "v"), 0), TrailingBytes, 34},
		{"crc mismatch", crcBad, CrcMismatch, 30},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadState(tc.b)
			var fe *SnapshotFormatError
			if !errors.As(err, &fe) || fe.Rule != tc.rule || fe.Offset != tc.offset {
				t.Fatalf("err = %v, want %s at %d", err, tc.rule, tc.offset)
			}
			// The stream reader (check FILE, N18) refuses the same bytes the same way.
			_, err = ValidateSnapshotStream(iotest.OneByteReader(bytes.NewReader(tc.b)), int64(len(tc.b)))
			if !errors.As(err, &fe) || fe.Rule != tc.rule || fe.Offset != tc.offset {
				t.Fatalf("stream: err = %v, want %s at %d", err, tc.rule, tc.offset)
			}
		})
	}
}

func TestTheStreamReaderAcceptsWhatLoadStateAccepts(t *testing.T) {
	b := snapshot("a", "1", "ab", "", "b", "xyz")
	got, err := ValidateSnapshotStream(iotest.OneByteReader(bytes.NewReader(b)), int64(len(b)))
	want := SnapshotSummary{CommitIndex: 7, EntryCount: 3, Crc: GetU32Le(b, len(b)-4)}
	if err != nil || got != want {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	// A stream shorter than its stated size is a read failure, not a refusal.
	_, err = ValidateSnapshotStream(bytes.NewReader(b[:10]), int64(len(b)))
	var fe *SnapshotFormatError
	if err == nil || errors.As(err, &fe) {
		t.Fatalf("short stream: %v", err)
	}
}

func TestSeededRoundTripAndBitFlips(t *testing.T) {
	state := uint64(2026)
	next := func() uint64 { state = state*6364136223846793005 + 1442695040888963407; return state >> 33 }
	for round := 0; round < 300; round++ {
		keys := map[string][]byte{}
		for i := uint64(0); i < next()%20; i++ {
			k := make([]byte, 1+next()%6)
			for j := range k {
				k[j] = byte(next())
			}
			v := make([]byte, next()%10)
			for j := range v {
				v[j] = byte(next())
			}
			keys[string(k)] = v
		}
		s := SnapshotState{CommitIndex: next()}
		for _, k := range sortedKeys(keys) {
			s.Entries = append(s.Entries, Entry{[]byte(k), keys[k]})
		}
		b := s.Encode()
		got, err := LoadState(b)
		if err != nil || Hex(got.Encode()) != Hex(b) {
			t.Fatalf("round trip: %v", err)
		}
		bit := next() % uint64(len(b)*8)
		b[bit/8] ^= 1 << (bit % 8)
		if _, err := LoadState(b); err == nil {
			t.Fatalf("flip of bit %d accepted", bit)
		}
	}
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
