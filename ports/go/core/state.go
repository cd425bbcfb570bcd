package core

import (
	"fmt"

	"db20/wire"
)

// StateVersion is what a replica holds (docs/core-model.md): either the tip, the one mutable
// state at the history's length L that every replica at L shares, or a frozen version, an
// immutable sorted copy made once when partitioned replicas are left behind at some index.
type StateVersion struct {
	// index is the commit index of every replica that holds this version.
	// Invariant: a frozen version's index < the tip's index (checked by Cluster.check).
	index uint64
	// kv is the live state machine of the tip; nil for a frozen version.
	kv *KvState
	// frozen holds a frozen version's entries in snapshot order (strings shared with the
	// tip's map at the time of the freeze); nil for the tip. Never written after the freeze.
	frozen []wire.StringEntry
	// frozenPayload is Σ 8 + |key| + |value| over frozen.
	frozenPayload int
	// snapshot caches the canonical snapshot of this version; nil when not made yet, and
	// reset by every apply on the tip. Never handed out: public accessors copy it, so no
	// caller can change what the cluster digest hashes.
	snapshot []byte
}

func newTip() *StateVersion { return &StateVersion{kv: newKvState()} }

// Index is the commit index of the replicas holding this version.
func (v *StateVersion) Index() uint64 { return v.index }

// IsTip tells the tip from a frozen version.
func (v *StateVersion) IsTip() bool { return v.kv != nil }

// KeyCount is the number of keys of the state machine.
func (v *StateVersion) KeyCount() int {
	if v.kv != nil {
		return v.kv.Len()
	}
	return len(v.frozen)
}

// get is the value of key, shared (strings are immutable).
func (v *StateVersion) get(key string) (string, bool) {
	if v.kv != nil {
		val, ok := v.kv.m[key]
		return val, ok
	}
	// A frozen version is sorted: binary search, as sort.SearchStrings would.
	lo, hi := 0, len(v.frozen)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if v.frozen[mid].Key < key {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(v.frozen) && v.frozen[lo].Key == key {
		return v.frozen[lo].Value, true
	}
	return "", false
}

// apply advances the tip by one committed op. Only the cluster calls it, after freezing
// every partitioned replica that held the tip (copy on diverge).
func (v *StateVersion) apply(op Op) {
	if v.kv == nil {
		panic(fmt.Sprintf("apply on a frozen version at index %d", v.index))
	}
	v.kv.apply(op)
	v.index++
	v.snapshot = nil
}

// freeze is an immutable copy of the tip at its current index: one sort, and the tip's cached
// snapshot if it has one (the bytes are the same, and neither changes them).
func (v *StateVersion) freeze() *StateVersion {
	if v.kv == nil {
		panic(fmt.Sprintf("freeze of a frozen version at index %d", v.index))
	}
	return &StateVersion{index: v.index, frozen: v.kv.sorted(), frozenPayload: v.kv.payload, snapshot: v.snapshot}
}

// snapshotBytes is the cached canonical snapshot, made on first use. Shared: callers inside
// the package only read it.
func (v *StateVersion) snapshotBytes() []byte {
	if v.snapshot == nil {
		if v.kv != nil {
			v.snapshot = wire.EncodeSnapshotStrings(v.index, v.kv.sorted(), v.kv.payload)
		} else {
			v.snapshot = wire.EncodeSnapshotStrings(v.index, v.frozen, v.frozenPayload)
		}
	}
	return v.snapshot
}
