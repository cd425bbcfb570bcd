package core

import (
	"fmt"
	"sort"

	"db20/wire"
)

// KvState is the state machine of SPEC §2 (Java: KvState): a hash map from key to value, and
// the running snapshot payload size. Keys are sorted only when a snapshot is taken; a map
// update is the least work a committed op can cost.
type KvState struct {
	// Keys and values are the ops' strings themselves, never copied: strings are immutable,
	// so frozen versions share them with this map.
	m map[string]string
	// Invariant: payloadBytes == Σ over m of 8 + len(key) + len(value) (checkPayload).
	payloadBytes int
}

func newKvState() *KvState { return &KvState{m: map[string]string{}} }

// apply is the one apply code of SPEC §1.
func (s *KvState) apply(op Op) {
	switch op.kind {
	case Put:
		if old, ok := s.m[op.key]; ok {
			s.payloadBytes += len(op.value) - len(old)
		} else {
			s.payloadBytes += 2*wire.SizeLengthPrefix + len(op.key) + len(op.value)
		}
		s.m[op.key] = op.value
	case Del:
		if old, ok := s.m[op.key]; ok {
			s.payloadBytes -= 2*wire.SizeLengthPrefix + len(op.key) + len(old)
			delete(s.m, op.key)
		}
	}
}

// Len is the number of keys.
func (s *KvState) Len() int { return len(s.m) }

// PayloadBytes is the snapshot payload size: Σ 8 + |key| + |value|.
func (s *KvState) PayloadBytes() int { return s.payloadBytes }

// sortedEntries is the entries in snapshot order. sort.Strings compares unsigned bytewise, which is
// SPEC §4's order. The strings are shared with the map.
func (s *KvState) sortedEntries() []wire.StringEntry {
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	entries := make([]wire.StringEntry, len(keys))
	for i, k := range keys {
		entries[i] = wire.StringEntry{Key: k, Value: s.m[k]}
	}
	return entries
}

// checkPayload recomputes the payload size; O(n), for tests.
func (s *KvState) checkPayload() error {
	sum := 0
	for k, v := range s.m {
		sum += 2*wire.SizeLengthPrefix + len(k) + len(v)
	}
	if sum != s.payloadBytes {
		return fmt.Errorf("kv payload(%d) != Σ 8+|key|+|value| (%d) over %d keys", s.payloadBytes, sum, len(s.m))
	}
	return nil
}
