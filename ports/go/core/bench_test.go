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

func BenchmarkDumpState10000Keys(b *testing.B) {
	c, _ := filled(b, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
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
