package core

import (
	"fmt"

	"db20/wire"
)

const (
	MinSize = 1
	MaxSize = 255
)

// ProposeResult is Committed(Index) or Rejected (Java: ProposeResult).
type ProposeResult struct {
	Committed bool
	Index     uint64
}

// ReadStatus says which of SPEC §3's three read outcomes happened.
type ReadStatus int

const (
	ReadValue ReadStatus = iota
	ReadMissing
	ReadRejected
)

// ReadResult is Value(bytes), Missing or Rejected (Java: ReadResult).
type ReadResult struct {
	Status ReadStatus
	Value  []byte
}

// Cluster is N replicas under a quorum, exactly as SPEC §3 says (Java: Cluster).
type Cluster struct {
	replicas []*Replica
	// Invariant: partitionedCount == number of true entries in partitioned.
	partitioned      []bool
	partitionedCount int
	// The leader is replica view mod N.
	view uint64
}

// NewCluster makes n new replicas, view 0, no partition.
func NewCluster(n int) (*Cluster, error) {
	if n < MinSize || n > MaxSize {
		return nil, fmt.Errorf("cluster size %d out of range %d..%d", n, MinSize, MaxSize)
	}
	c := &Cluster{partitioned: make([]bool, n)}
	for i := 0; i < n; i++ {
		c.replicas = append(c.replicas, NewReplica(i))
	}
	return c, nil
}

func (c *Cluster) Size() int                 { return len(c.replicas) }
func (c *Cluster) Quorum() int               { return len(c.replicas)/2 + 1 }
func (c *Cluster) View() uint64              { return c.view }
func (c *Cluster) Replica(id int) *Replica   { return c.replicas[id] }
func (c *Cluster) IsPartitioned(id int) bool { return c.partitioned[id] }
func (c *Cluster) reachableCount() int       { return len(c.replicas) - c.partitionedCount }

// Leader is view mod N. Pure: runs no leader check.
func (c *Cluster) Leader() int { return int(c.view % uint64(len(c.replicas))) }

// CheckID returns an error naming the range unless id < N.
func (c *Cluster) CheckID(id uint64) error {
	if id >= uint64(len(c.replicas)) {
		return fmt.Errorf("replica id %d out of range 0..%d", id, len(c.replicas)-1)
	}
	return nil
}

// Partition makes the partitioned set exactly ids; an id ≥ N is an error that changes nothing.
func (c *Cluster) Partition(ids []uint64) error {
	for _, id := range ids {
		if err := c.CheckID(id); err != nil {
			return err
		}
	}
	for i := range c.partitioned {
		c.partitioned[i] = false
	}
	for _, id := range ids {
		c.partitioned[id] = true
	}
	c.partitionedCount = 0
	for _, p := range c.partitioned {
		if p {
			c.partitionedCount++
		}
	}
	return nil
}

// Heal empties P, then catches every replica whose commit index differs from the leader's up
// with TruncateAndReplay. No leader check (spec-notes N7).
func (c *Cluster) Heal() {
	for i := range c.partitioned {
		c.partitioned[i] = false
	}
	c.partitionedCount = 0
	leader := c.replicas[c.Leader()]
	for _, r := range c.replicas {
		if r != leader && r.commitIndex != leader.commitIndex {
			r.TruncateAndReplay(leader.log, leader.commitIndex)
		}
	}
}

// Propose is SPEC §3 propose.
func (c *Cluster) Propose(op *Op) ProposeResult {
	if !c.leaderCheck() || c.reachableCount() < c.Quorum() {
		return ProposeResult{}
	}
	leader := c.replicas[c.Leader()]
	for id, r := range c.replicas {
		if !c.partitioned[id] && r != leader && r.commitIndex < leader.commitIndex {
			r.CatchUpFrom(leader)
		}
	}
	index := leader.commitIndex + 1
	for id, r := range c.replicas {
		if !c.partitioned[id] {
			if r.commitIndex != index-1 {
				panic(fmt.Sprintf("replica %d commit(%d) != leader %d commit(%d) before append", id, r.commitIndex, leader.id, index-1))
			}
			r.Append(op)
		}
	}
	return ProposeResult{Committed: true, Index: index}
}

// Read is SPEC §3 read.
func (c *Cluster) Read(key []byte) ReadResult {
	if !c.leaderCheck() || c.reachableCount() < c.Quorum() {
		return ReadResult{Status: ReadRejected}
	}
	if v, ok := c.replicas[c.Leader()].Get(key); ok {
		return ReadResult{Status: ReadValue, Value: v}
	}
	return ReadResult{Status: ReadMissing}
}

// Digest is FNV-1a 64 over every replica's snapshot in id order (SPEC §5).
func (c *Cluster) Digest() uint64 {
	h := wire.FnvOffsetBasis
	for _, r := range c.replicas {
		h = wire.Fnv1a64Update(h, r.DumpState())
	}
	return h
}

// leaderCheck is SPEC §3's leader check: false when the leader is cut off without a quorum.
func (c *Cluster) leaderCheck() bool {
	if !c.partitioned[c.Leader()] {
		return true
	}
	if c.reachableCount() < c.Quorum() {
		return false
	}
	for {
		c.view++
		if !c.partitioned[c.Leader()] {
			break
		}
	}
	leader := c.replicas[c.Leader()]
	var best *Replica
	for id, r := range c.replicas {
		// Strictly greater: the lowest id wins a tie.
		if !c.partitioned[id] && (best == nil || r.commitIndex > best.commitIndex) {
			best = r
		}
	}
	if best.commitIndex > leader.commitIndex {
		leader.TruncateAndReplay(best.log, best.commitIndex)
	}
	return true
}
