package workload

import (
	"testing"
	"unsafe"

	"db20/core"
	"db20/wire"
)

// The cached path and the plain decoder agree, op for op, and each op draws exactly three.
func TestNextOpIsDecodeOfThreeDraws(t *testing.T) {
	for _, k := range []uint64{1, 16, 1000, MaxCachedKeys + 5, ^uint64(0)} {
		w := NewWorkload(42, k)
		g := NewSplitMix64(42)
		for i := 0; i < 2000; i++ {
			got := w.NextOp()
			want := Decode(g.Next(), g.Next(), g.Next(), k)
			if got != want {
				t.Fatalf("K=%d op %d: %v, want %v", k, i, got, want)
			}
		}
		if w.generator.State() != g.State() {
			t.Fatalf("K=%d: generator state differs: not three draws per op", k)
		}
	}
}

func TestDecodeFollowsSpec6(t *testing.T) {
	put := Decode(0, 123456789, 10000+42, 1000)
	if put.Kind() != core.Put || put.Key() != "k789" || wire.Hex(put.Value()) != "2a00000000000000" {
		t.Fatalf("put = %v", put)
	}
	del := Decode(3<<62, 5, 7, 16)
	if del.Kind() != core.Del || del.Key() != "k5" || len(del.Value()) != 0 {
		t.Fatalf("del = %v", del)
	}
	if huge := Decode(0, ^uint64(0), 0, ^uint64(0)); huge.Key() != "k0" {
		t.Fatalf("r2 mod K with K = 2^64-1: %v", huge)
	}
}

// No garbage beyond the op: once a key and a value have been made, NextOp allocates nothing.
func TestNextOpAllocatesNothingOnceWarm(t *testing.T) {
	w := NewWorkload(7, 4)
	for i := 0; i < 1000; i++ {
		w.NextOp()
	}
	w.values = nil // values are made lazily; warm them all through the public path
	for i := 0; i < 200000; i++ {
		w.NextOp()
	}
	if n := testing.AllocsPerRun(1000, func() { w.NextOp() }); n != 0 {
		t.Fatalf("NextOp allocates %v times per op", n)
	}
}

func TestKeyCacheIsBounded(t *testing.T) {
	w := NewWorkload(1, ^uint64(0))
	for i := 0; i < 5000; i++ {
		w.NextOp()
	}
	if len(w.keys) > MaxCachedKeys {
		t.Fatalf("%d cached keys", len(w.keys))
	}
	if got := w.key(MaxCachedKeys + 1); got != "k1048577" || len(w.keys) > MaxCachedKeys {
		t.Fatalf("key %q, cache %d", got, len(w.keys))
	}
	if got := w.key(MaxCachedKeys - 1); got != "k1048575" || len(w.keys) != MaxCachedKeys || w.keys[MaxCachedKeys-1] != got {
		t.Fatalf("key %q, cache %d", got, len(w.keys))
	}
	// A cached key is the very string handed out before: one allocation, shared.
	a, b := w.key(12), w.key(12)
	if a != "k12" || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatal("k12 was made twice")
	}
}

func TestSetSeedRestartsAndKeySpaceCarriesOn(t *testing.T) {
	w := NewWorkload(5, 8)
	first := w.NextOp()
	w.NextOp()
	w.SetSeed(5)
	if w.NextOp() != first {
		t.Fatal("seed did not restart the generator")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("key space 0 accepted")
		}
	}()
	w.SetKeySpace(0)
}
