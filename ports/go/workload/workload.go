package workload

import (
	"strconv"

	"db20/core"
	"db20/wire"
)

const (
	DefaultKeySpace uint64 = 16
	ValueModulus    uint64 = 10000
)

// Workload draws three values per op, always (Java: Workload).
type Workload struct {
	generator *SplitMix64
	// Invariant: keySpace >= 1.
	keySpace uint64
}

func NewWorkload(seed, keySpace uint64) *Workload {
	if keySpace == 0 {
		panic("key space 0 out of range (must be >= 1)")
	}
	return &Workload{generator: NewSplitMix64(seed), keySpace: keySpace}
}

func (w *Workload) SetSeed(seed uint64) { w.generator = NewSplitMix64(seed) }

func (w *Workload) SetKeySpace(k uint64) {
	if k == 0 {
		panic("key space 0 out of range (must be >= 1)")
	}
	w.keySpace = k
}

func (w *Workload) NextOp() *core.Op {
	r1 := w.generator.Next()
	r2 := w.generator.Next()
	r3 := w.generator.Next()
	return Decode(r1, r2, r3, w.keySpace)
}

// Decode turns three draws into an op (SPEC §6).
func Decode(r1, r2, r3, keySpace uint64) *core.Op {
	key := "k" + strconv.FormatUint(r2%keySpace, 10)
	if r1>>62 == 3 {
		return &core.Op{Kind: core.Del, Key: key}
	}
	value := make([]byte, 8)
	wire.PutU64Le(value, 0, r3%ValueModulus)
	return &core.Op{Kind: core.Put, Key: key, Value: value}
}
