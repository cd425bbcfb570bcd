package workload

import (
	"fmt"
	"strconv"

	"db20/core"
	"db20/wire"
)

const (
	DefaultKeySpace uint64 = 16
	ValueModulus    uint64 = 10000
	// MaxCachedKeys bounds the key cache: keys k0 … k(2^20 − 1) are made once; a key beyond
	// that is formatted and allocated per op, so memory stays bounded whatever K is.
	MaxCachedKeys = 1 << 20
)

// Workload draws three values per op, always (Java: Workload), and makes no garbage beyond
// the op for a cached key: keys and values are immutable strings made once and shared by
// every op (and by the state machine) that uses them.
type Workload struct {
	generator SplitMix64
	// Invariant: keySpace >= 1.
	keySpace uint64
	// keys[i] is "k" + decimal(i), or "" when not made yet. len(keys) <= MaxCachedKeys. The
	// text of a key depends only on i, so the cache outlives a change of key space.
	keys []string
	// values[v] is the 8-byte little-endian v, or "" when not made yet.
	values []string
	// digits is the reused buffer a key is formatted into.
	digits []byte
}

func NewWorkload(seed, keySpace uint64) *Workload {
	w := &Workload{generator: SplitMix64{state: seed}, digits: make([]byte, 0, 24)}
	w.SetKeySpace(keySpace)
	return w
}

// SetSeed restarts the generator at seed.
func (w *Workload) SetSeed(seed uint64) { w.generator = SplitMix64{state: seed} }

// SetKeySpace sets K; 0 is a caller bug (the script checks it first).
func (w *Workload) SetKeySpace(k uint64) {
	if k == 0 {
		panic("key space 0 out of range (must be >= 1)")
	}
	w.keySpace = k
}

func (w *Workload) KeySpace() uint64 { return w.keySpace }

// NextOp draws r1, r2, r3 (SPEC §6) and decodes them.
func (w *Workload) NextOp() core.Op {
	r1 := w.generator.Next()
	r2 := w.generator.Next()
	r3 := w.generator.Next()
	key := w.key(r2 % w.keySpace)
	var op core.Op
	var err error
	if r1>>62 == 3 {
		op, err = core.NewDelString(key)
	} else {
		op, err = core.NewPutString(key, w.value(r3%ValueModulus))
	}
	if err != nil {
		// A key of at most 21 bytes and an 8-byte value are within SPEC §1's limits.
		panic(fmt.Sprintf("workload op outside the limits: %v", err))
	}
	return op
}

func (w *Workload) key(i uint64) string {
	if i < uint64(len(w.keys)) && w.keys[i] != "" {
		return w.keys[i]
	}
	w.digits = strconv.AppendUint(append(w.digits[:0], 'k'), i, 10)
	key := string(w.digits)
	if i < MaxCachedKeys {
		if i >= uint64(len(w.keys)) {
			// Grow by doubling up to the bound, so a key space of K costs O(K) once.
			n := max(2*len(w.keys), int(i)+1, 64)
			grown := make([]string, min(n, MaxCachedKeys))
			copy(grown, w.keys)
			w.keys = grown
		}
		w.keys[i] = key
	}
	return key
}

func (w *Workload) value(v uint64) string {
	if w.values == nil {
		w.values = make([]string, ValueModulus)
	}
	if w.values[v] == "" {
		var b [8]byte
		wire.PutU64Le(b[:], 0, v)
		w.values[v] = string(b[:])
	}
	return w.values[v]
}

// Decode turns three draws into an op (SPEC §6), without the caches.
func Decode(r1, r2, r3, keySpace uint64) core.Op {
	key := "k" + strconv.FormatUint(r2%keySpace, 10)
	var op core.Op
	var err error
	if r1>>62 == 3 {
		op, err = core.NewDelString(key)
	} else {
		var b [8]byte
		wire.PutU64Le(b[:], 0, r3%ValueModulus)
		op, err = core.NewPutString(key, string(b[:]))
	}
	if err != nil {
		panic(fmt.Sprintf("workload op outside the limits: %v", err))
	}
	return op
}
