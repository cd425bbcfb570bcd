package core_test

import (
	"testing"

	"db20/core"
	"db20/workload"
)

// Benchmarks of the hot paths, the Go twin of Java's ClusterBench:
//   go test -run '^$' -bench . -benchtime 2s ./core

func filled(b *testing.B, keys uint64) (*core.Cluster, *workload.Workload) {
	c, err := core.NewCluster(5)
	if err != nil {
		b.Fatal(err)
	}
	w := workload.NewWorkload(20, keys)
	for i := uint64(0); i < keys*4; i++ {
		c.Propose(w.NextOp())
	}
	return c, w
}

func BenchmarkPropose(b *testing.B) {
	c, w := filled(b, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Propose(w.NextOp())
	}
}

// BenchmarkDumpState10000Keys is, after its first call, a copy of the version's cached
// snapshot: a state is encoded once per version (docs/core-model.md).
func BenchmarkDumpState10000Keys(b *testing.B) {
	c, _ := filled(b, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Replica(0).DumpState()
	}
}

// BenchmarkDumpStateAfterPropose encodes every time: each op makes the tip a new state.
func BenchmarkDumpStateAfterPropose10000Keys(b *testing.B) {
	c, w := filled(b, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Propose(w.NextOp())
		c.Replica(0).DumpState()
	}
}

func BenchmarkDigest10000Keys(b *testing.B) {
	c, _ := filled(b, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Digest()
	}
}

// BenchmarkIssue8Script is the issue-8 script through the core API: 5 replicas, 100,000
// keys, 600,000 ops, two cut off for 200,000, heal, 200,000 more, the digest. One iteration
// is a whole run (about a million ops); run it with -benchtime 1x or a few x.
func BenchmarkIssue8Script(b *testing.B) {
	for i := 0; i < b.N; i++ {
		c, err := core.NewCluster(5)
		if err != nil {
			b.Fatal(err)
		}
		w := workload.NewWorkload(7, 100000)
		for j := 0; j < 600000; j++ {
			c.Propose(w.NextOp())
		}
		if err := c.Partition([]uint64{3, 4}); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 200000; j++ {
			c.Propose(w.NextOp())
		}
		c.Heal()
		for j := 0; j < 200000; j++ {
			c.Propose(w.NextOp())
		}
		c.Digest()
	}
}
