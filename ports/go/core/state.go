package core

import (
	"fmt"

	"db20/wire"
)

// StateVersion is the state machine after some prefix of the one committed history, and that
// prefix's length: what a replica holds (Java: StateVersion; docs/core-model.md). Replicas at
// the same index hold the same version. Two kinds: the *Tip, the one mutable version at the end
// of the history (applying an op to it advances every replica that holds it at once), and a
// *Frozen version, what a partitioned replica keeps when the tip moves on without it:
// immutable, made once, shared. The interface is sealed: only this package implements it.
type StateVersion interface {
	// Index is the number of committed ops this state has applied: the holder's commit index.
	Index() uint64
	// KeyCount is the number of keys of the state machine.
	KeyCount() int
	// get is the value of key, shared (strings are immutable).
	get(key string) (string, bool)
	// snapshot is the canonical snapshot bytes, cached; shared, so never handed out of this
	// package (public accessors copy it, so no caller can change what the digest hashes).
	snapshot() []byte
}

// Tip is the tip of the history: the state after every committed op.
type Tip struct {
	state *KvState
	// Invariant: index == the number of ops applied to state == the history's length.
	index uint64
	// The snapshot at index, or nil when an apply came after it was encoded.
	snap []byte
}

func newTip() *Tip { return &Tip{state: newKvState()} }

func (t *Tip) Index() uint64                 { return t.index }
func (t *Tip) KeyCount() int                 { return t.state.Len() }
func (t *Tip) get(key string) (string, bool) { v, ok := t.state.m[key]; return v, ok }

// apply commits op at index + 1 and applies it. Only the cluster calls it, after freezing
// every partitioned replica that held the tip (copy on diverge).
func (t *Tip) apply(op Op) {
	t.state.apply(op)
	t.index++
	t.snap = nil
}

// freeze is an immutable copy of this state at its current index: one sort, and the tip's
// cached snapshot if it has one (the bytes are the same, and neither changes them).
func (t *Tip) freeze() *Frozen {
	return &Frozen{index: t.index, entries: t.state.sortedEntries(), payloadBytes: t.state.payloadBytes, snap: t.snap}
}

func (t *Tip) snapshot() []byte {
	if t.snap == nil {
		t.snap = wire.EncodeSnapshotStrings(t.index, t.state.sortedEntries(), t.state.payloadBytes)
	}
	return t.snap
}

// Frozen is a state left behind by the tip, kept for the replicas that still hold it.
type Frozen struct {
	// Invariant: index < the tip's index for as long as a replica holds this version.
	index uint64
	// entries in snapshot order (strings shared with the tip's map at the time of the
	// freeze). Never written after the freeze.
	entries []wire.StringEntry
	// Invariant: payloadBytes == Σ 8 + |key| + |value| over entries.
	payloadBytes int
	// Encoded on first use; one encode per distinct state however many replicas hold it.
	snap []byte
}

func (f *Frozen) Index() uint64 { return f.index }
func (f *Frozen) KeyCount() int { return len(f.entries) }

func (f *Frozen) get(key string) (string, bool) {
	// Sorted: binary search, as sort.SearchStrings would.
	lo, hi := 0, len(f.entries)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if f.entries[mid].Key < key {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(f.entries) && f.entries[lo].Key == key {
		return f.entries[lo].Value, true
	}
	return "", false
}

func (f *Frozen) snapshot() []byte {
	if f.snap == nil {
		f.snap = wire.EncodeSnapshotStrings(f.index, f.entries, f.payloadBytes)
	}
	return f.snap
}

// check is the version's own invariants: keys strictly increasing, payloadBytes their sum,
// the cached snapshot (if made) of that size. O(keys), for Cluster.check.
func (f *Frozen) check() error {
	sum := 0
	for i, e := range f.entries {
		if i > 0 && f.entries[i-1].Key >= e.Key {
			return fmt.Errorf("frozen keys out of order at %q", e.Key)
		}
		sum += 2*wire.SizeLengthPrefix + len(e.Key) + len(e.Value)
	}
	if sum != f.payloadBytes {
		return fmt.Errorf("frozen payloadBytes %d != %d recounted", f.payloadBytes, sum)
	}
	if f.snap != nil && len(f.snap) != wire.MinSnapshotSize+sum {
		return fmt.Errorf("frozen snapshot of %d bytes for payload %d", len(f.snap), sum)
	}
	return nil
}
