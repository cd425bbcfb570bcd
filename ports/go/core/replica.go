package core

import (
	"fmt"
	"sort"

	"db20/wire"
)

// ReplicaLog holds entries at indexes 1, 2, 3, …; the ops are shared, not copied. A type of its
// own so that it can later be compacted behind a snapshot (SPEC §2 allows it).
type ReplicaLog struct {
	// Invariant: entries[i] is the op at log index i + 1.
	entries []*Op
}

func (l *ReplicaLog) Size() uint64 { return uint64(len(l.entries)) }

// Get is the op at index, 1 ≤ index ≤ Size().
func (l *ReplicaLog) Get(index uint64) *Op {
	if index < 1 || index > l.Size() {
		panic(fmt.Sprintf("log index %d outside 1..%d", index, l.Size()))
	}
	return l.entries[index-1]
}

func (l *ReplicaLog) Append(op *Op) { l.entries = append(l.entries, op) }

// Prefix is a new log of the first count entries.
func (l *ReplicaLog) Prefix(count uint64) *ReplicaLog {
	if count > l.Size() {
		panic(fmt.Sprintf("prefix of %d entries from a log of %d", count, l.Size()))
	}
	return &ReplicaLog{entries: append([]*Op(nil), l.entries[:count]...)}
}

// Replica is one replica of SPEC §2 (Java: Replica).
type Replica struct {
	id int
	// Invariant: log.Size() == commitIndex; every entry is applied to sm.
	log         *ReplicaLog
	commitIndex uint64
	// Go map order is random: DumpState sorts the keys bytewise before writing.
	sm map[string][]byte
	// Invariant: smPayloadBytes == sum over sm of 8 + len(key) + len(value).
	smPayloadBytes int
}

func NewReplica(id int) *Replica {
	return &Replica{id: id, log: &ReplicaLog{}, sm: map[string][]byte{}}
}

func (r *Replica) ID() int             { return r.id }
func (r *Replica) CommitIndex() uint64 { return r.commitIndex }
func (r *Replica) KeyCount() int       { return len(r.sm) }
func (r *Replica) Log() *ReplicaLog    { return r.log }
func (r *Replica) Get(key []byte) ([]byte, bool) {
	v, ok := r.sm[string(key)]
	return v, ok
}

// DumpState is the canonical snapshot of SPEC §4: keys sorted (Go strings compare bytewise,
// unsigned), written once into one buffer of the right size.
func (r *Replica) DumpState() []byte {
	keys := make([]string, 0, len(r.sm))
	for k := range r.sm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	entries := make([]wire.Entry, len(keys))
	for i, k := range keys {
		entries[i] = wire.Entry{Key: []byte(k), Value: r.sm[k]}
	}
	return wire.EncodeSnapshot(r.commitIndex, entries, r.smPayloadBytes)
}

// Append adds op at commitIndex + 1, commits and applies it.
func (r *Replica) Append(op *Op) {
	r.log.Append(op)
	r.commitIndex++
	r.apply(op)
	r.checkInvariant()
}

// CatchUpFrom receives the leader's entries after this replica's commit index (SPEC §3 step 3).
func (r *Replica) CatchUpFrom(leader *Replica) {
	if r.commitIndex > leader.commitIndex {
		panic(fmt.Sprintf("replica %d commit(%d) > leader %d commit(%d)", r.id, r.commitIndex, leader.id, leader.commitIndex))
	}
	for i := r.commitIndex + 1; i <= leader.commitIndex; i++ {
		r.Append(leader.log.Get(i))
	}
}

// TruncateAndReplay is SPEC §2's catch-up: clear sm, take the first sourceCommit entries of
// source, replay them in order.
func (r *Replica) TruncateAndReplay(source *ReplicaLog, sourceCommit uint64) {
	r.sm = map[string][]byte{}
	r.smPayloadBytes = 0
	r.log = source.Prefix(sourceCommit)
	r.commitIndex = sourceCommit
	for i := uint64(1); i <= sourceCommit; i++ {
		r.apply(r.log.Get(i))
	}
	r.checkInvariant()
}

func (r *Replica) apply(op *Op) {
	switch op.Kind {
	case Put:
		if old, ok := r.sm[op.Key]; ok {
			r.smPayloadBytes += len(op.Value) - len(old)
		} else {
			r.smPayloadBytes += 2*wire.SizeLengthPrefix + len(op.Key) + len(op.Value)
		}
		r.sm[op.Key] = op.Value
	case Del:
		if old, ok := r.sm[op.Key]; ok {
			r.smPayloadBytes -= 2*wire.SizeLengthPrefix + len(op.Key) + len(old)
			delete(r.sm, op.Key)
		}
	}
}

func (r *Replica) checkInvariant() {
	if r.log.Size() != r.commitIndex {
		panic(fmt.Sprintf("replica %d: log.size(%d) != commitIndex(%d)", r.id, r.log.Size(), r.commitIndex))
	}
}
