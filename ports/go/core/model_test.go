package core

import (
	"bytes"
	"fmt"
	"testing"

	"db20/wire"
)

// rng is splitmix64, so the test needs nothing outside the module.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func distinctIndexes(c *Cluster) int {
	seen := map[uint64]bool{}
	for _, r := range c.replicas {
		seen[r.CommitIndex()] = true
	}
	return len(seen)
}

func mustPut(t *testing.T, k, v string) Op {
	op, err := NewPutString(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func TestReplicasAtOneIndexShareOneVersion(t *testing.T) {
	c, _ := NewCluster(7)
	c.Propose(mustPut(t, "a", "1"))
	if c.distinctStates() != 1 {
		t.Fatalf("%d versions for one index", c.distinctStates())
	}
	c.Partition([]uint64{2, 5, 6})
	c.Propose(mustPut(t, "b", "2"))
	r2, r5, r6 := c.replicas[2].state, c.replicas[5].state, c.replicas[6].state
	if r2 != r5 || r5 != r6 || r2 == StateVersion(c.tip) || r2.Index() != 1 {
		t.Fatal("the replicas cut off at one index should share one frozen version")
	}
	for _, id := range []int{0, 1, 3, 4} {
		if c.replicas[id].state != StateVersion(c.tip) {
			t.Fatalf("replica %d does not hold the tip", id)
		}
	}
	if c.distinctStates() != 2 {
		t.Fatalf("%d versions, want 2", c.distinctStates())
	}
}

func TestPartitionedReplicaKeepsItsSnapshotWhileTheTipMovesOn(t *testing.T) {
	c, _ := NewCluster(5)
	c.Propose(mustPut(t, "a", "1"))
	c.Propose(mustPut(t, "b", "2"))
	before := c.Replica(4).DumpState()
	c.Partition([]uint64{4})
	for i := 0; i < 50; i++ {
		c.Propose(mustPut(t, "a", fmt.Sprint(i)))
		c.Propose(mustPut(t, fmt.Sprint("n", i), "x"))
		if got := c.Replica(4).DumpState(); !bytes.Equal(got, before) {
			t.Fatalf("after %d ops the partitioned replica's snapshot changed", 2*(i+1))
		}
	}
	if c.Replica(0).CommitIndex() != 102 || c.Replica(4).CommitIndex() != 2 {
		t.Fatalf("commits %d and %d", c.Replica(0).CommitIndex(), c.Replica(4).CommitIndex())
	}
}

// Memory is bounded by the key space times the number of versions, not by the ops: no log,
// and never more versions than distinct commit indexes (two here: the tip, one frozen).
func TestMemoryDoesNotGrowWithOps(t *testing.T) {
	c, _ := NewCluster(5)
	keys := []string{"a", "b", "c"}
	for round := 0; round < 20; round++ {
		c.Partition([]uint64{uint64(round % 5), uint64((round + 2) % 5)})
		for i := 0; i < 500; i++ {
			c.Propose(mustPut(t, keys[i%3], fmt.Sprint(i)))
			if v := c.distinctStates(); v > 2 || v > distinctIndexes(c) {
				t.Fatalf("round %d op %d: %d versions", round, i, v)
			}
		}
		c.Heal()
		if c.distinctStates() != 1 {
			t.Fatalf("after heal %d versions", c.distinctStates())
		}
	}
	if c.tip.state.Len() != 3 || c.tip.index != 20*500 {
		t.Fatalf("tip at %d with %d keys", c.tip.index, c.tip.state.Len())
	}
}

func TestPayloadBytesIsTheSumOverEntries(t *testing.T) {
	s := newKvState()
	for i, op := range []Op{mustPut(t, "a", "1"), mustPut(t, "a", "xyz"), mustPut(t, "bb", ""), {kind: Del, key: "a"}, {kind: Del, key: "zz"}} {
		s.apply(op)
		if err := s.checkPayload(); err != nil {
			t.Fatalf("after op %d: %v", i, err)
		}
	}
	if s.PayloadBytes() != 8+2 {
		t.Fatalf("payload %d", s.PayloadBytes())
	}
}

// Nothing handed out aliases the cluster's state: changing it changes no later answer.
func TestAccessorsReturnCopies(t *testing.T) {
	c, _ := NewCluster(3)
	c.Propose(mustPut(t, "a", "value"))
	digest := c.Digest()
	snap := c.Replica(0).DumpState()
	snap[len(snap)-1] ^= 0xff
	v, _ := c.Replica(1).Get([]byte("a"))
	v[0] = 'X'
	r := c.Read([]byte("a"))
	r.Value[0] = 'Y'
	op := mustPut(t, "k", "v")
	op.Value()[0] = 'Z'
	if c.Digest() != digest {
		t.Fatal("a caller's change reached the cluster")
	}
	if r := c.Read([]byte("a")); string(r.Value) != "value" {
		t.Fatalf("read %q", r.Value)
	}
	if op.Value()[0] != 'v' {
		t.Fatal("op value changed")
	}
	if _, err := wire.LoadState(c.Replica(0).DumpState()); err != nil {
		t.Fatal(err)
	}
}

func TestSettledFastPath(t *testing.T) {
	c, _ := NewCluster(5)
	if !c.settled {
		t.Fatal("a new cluster is settled")
	}
	c.Partition([]uint64{3})
	if c.settled {
		t.Fatal("settled with a partition")
	}
	c.Propose(mustPut(t, "a", "1"))
	if !c.settled {
		t.Fatal("not settled after a propose froze the cut-off replica")
	}
	op := mustPut(t, "a", "2")
	if n := testing.AllocsPerRun(100, func() { c.Propose(op) }); n != 0 {
		t.Fatalf("settled propose with replica 3 cut off allocates %v times", n)
	}
	c.Partition(nil)
	if c.settled {
		t.Fatal("settled with replica 3 behind the tip")
	}
	c.Propose(mustPut(t, "b", "1"))
	if !c.settled || c.distinctStates() != 1 {
		t.Fatal("a propose with everyone reachable catches everyone up and settles")
	}
	if n := testing.AllocsPerRun(100, func() { c.Propose(op) }); n != 0 {
		t.Fatalf("settled propose of an existing key allocates %v times", n)
	}
}

func TestCheckedConstructors(t *testing.T) {
	long := make([]byte, wire.MaxKeyLen+1)
	if _, err := NewPut(long, nil); err == nil || err.Error() != "key length 65536 exceeds the limit of 65535 bytes" {
		t.Fatalf("err %v", err)
	}
	if _, err := NewDel(nil); err == nil {
		t.Fatal("an empty key was accepted")
	}
	if _, err := NewPutString("k", string(make([]byte, wire.MaxValueLen+1))); err == nil || err.Error() != "value length 1048577 exceeds the limit of 1048576 bytes" {
		t.Fatalf("err %v", err)
	}
	if _, err := NewPut(long[:wire.MaxKeyLen], make([]byte, wire.MaxValueLen)); err != nil {
		t.Fatalf("limits themselves refused: %v", err)
	}
	if NoOpOp.Kind() != NoOp || (Op{}) != NoOpOp {
		t.Fatal("the zero Op is the NoOp")
	}
}
