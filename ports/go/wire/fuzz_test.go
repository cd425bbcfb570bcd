package wire

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
)

// allocBound is what LoadState may allocate for an input of n bytes: one copy of the input,
// the entries slice (at most one 48-byte Entry per 9 input bytes, and what append's growth
// leaves behind), and a refusal's message. Linear in n; nothing sized by an unchecked count.
// The slack covers heapAllocs' span-sized steps (below).
func allocBound(n int) uint64 { return 16*uint64(n) + 256<<10 }

// totalAlloc is exact and stops the world: for unit tests.
func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

var heapSample = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}

// heapAllocs does not stop the world, so the fuzzer (and its minimizer, which runs an input
// thousands of times) stays fast. It counts a large allocation at once and small ones a span
// at a time, which is what the property needs: no allocation out of proportion to the input.
func heapAllocs() uint64 {
	metrics.Read(heapSample)
	return heapSample[0].Value.Uint64()
}

// checkLoadState is the fuzz property: the input decodes to a state that re-encodes to
// exactly the same bytes, or is refused with the reader's own error naming an offset inside
// the input and one of SPEC §4's rules. Never a panic, never an allocation out of proportion
// to the input, and the result never aliases the caller's bytes.
func checkLoadState(t *testing.T, b []byte) {
	input := append([]byte(nil), b...)
	// The count is the whole process's, the fuzz engine's goroutines too, so a run over the
	// bound is measured twice more and the least counts. Only that rare path repeats: the
	// fuzzer needs the same coverage every time it runs an input.
	before := heapAllocs()
	state, err := LoadState(b)
	least := heapAllocs() - before
	if least > allocBound(len(b)) {
		for i := 0; i < 2; i++ {
			before = heapAllocs()
			LoadState(b)
			least = min(least, heapAllocs()-before)
		}
	}
	if least > allocBound(len(b)) {
		t.Fatalf("LoadState of %d bytes allocated %d bytes", len(b), least)
	}
	if !bytes.Equal(b, input) {
		t.Fatal("LoadState changed its input")
	}
	if err != nil {
		var fe *SnapshotFormatError
		if !errors.As(err, &fe) {
			t.Fatalf("refusal of another type: %T %v", err, err)
		}
		if fe.Offset < 0 || fe.Offset > len(b) || fe.Rule < BadMagic || fe.Rule > CrcMismatch {
			t.Fatalf("refusal outside the input or the rules: %v (input %d bytes)", err, len(b))
		}
		if want := fmt.Sprintf("offset %d: %s: ", fe.Offset, fe.Rule); !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("message %q, want prefix %q", err.Error(), want)
		}
		return
	}
	again := state.Encode()
	if !bytes.Equal(again, b) {
		t.Fatalf("accepted bytes re-encode differently:\n%s\n%s", Hex(b), Hex(again))
	}
	for i := range b {
		b[i] ^= 0xff
	}
	if !bytes.Equal(state.Encode(), again) {
		t.Fatal("the decoded state aliases the input")
	}
	copy(b, input)
}

func FuzzLoadState(f *testing.F) {
	f.Add([]byte{})
	f.Add(SnapshotState{}.Encode())
	f.Add(snapshot("a", "v"))
	f.Add(snapshot("a", "1", "b", "2", "bb", ""))
	f.Add(snapshot("a", "v")[:20])
	f.Add(fixCrc(append(snapshot("a", "v"), 0, 0, 0, 0)))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkLoadState(t, b)
		// The same bytes with a correct CRC: random bytes almost never carry one, and
		// without it the fuzzer would seldom reach the accepting path.
		if len(b) >= SizeCrc {
			checkLoadState(t, fixCrc(append([]byte(nil), b...)))
		}
	})
}

// The bound is not vacuous: a forged entry count or length allocates nothing for it.
func TestLoadStateAllocatesByTheInputNotTheCounts(t *testing.T) {
	forged := [][]byte{
		fixCrc(func() []byte { b := snapshot(); PutU32Le(b, 16, 0xffffffff); return b }()),
		fixCrc(func() []byte { b := snapshot("a", "v"); PutU32Le(b, 20, 65535); return b }()),
		fixCrc(func() []byte { b := snapshot("a", "v"); PutU32Le(b, 25, 1048576); return b }()),
	}
	for i, b := range forged {
		// The process-wide counter also counts whatever the runtime or the test framework
		// allocates meanwhile (once, 6200 bytes in CI): the least of five runs is the reader's.
		least := ^uint64(0)
		for run := 0; run < 5; run++ {
			before := totalAlloc()
			if _, err := LoadState(b); err == nil {
				t.Fatalf("forged %d accepted", i)
			}
			least = min(least, totalAlloc()-before)
		}
		if least > 4096 {
			t.Fatalf("forged %d: %d bytes allocated for a %d-byte input", i, least, len(b))
		}
	}
	big := SnapshotState{CommitIndex: 9}
	for i := 0; i < 5000; i++ {
		big.Entries = append(big.Entries, Entry{[]byte(fmt.Sprintf("k%05d", i)), nil})
	}
	checkLoadState(t, big.Encode())
}

func TestEncodeSnapshotStringsMatchesEncodeSnapshot(t *testing.T) {
	s := SnapshotState{CommitIndex: 3, Entries: []Entry{{[]byte("a"), []byte("")}, {[]byte("a\x00"), []byte("x")}, {[]byte("\xff"), []byte("yz")}}}
	strs := []StringEntry{{"a", ""}, {"a\x00", "x"}, {"\xff", "yz"}}
	if got := EncodeSnapshotStrings(3, strs, 8*3+1+2+1+1+2); !bytes.Equal(got, s.Encode()) {
		t.Fatalf("%s\n%s", Hex(got), Hex(s.Encode()))
	}
	defer func() {
		if recover() == nil {
			t.Fatal("keys out of order were written")
		}
	}()
	EncodeSnapshotStrings(3, []StringEntry{{"b", ""}, {"a", ""}}, 18)
}
