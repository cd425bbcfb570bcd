// Package workload is splitmix64 and the workload decoder of SPEC §6 (Java: db20-workload).
package workload

// Gamma is the splitmix64 increment.
const Gamma uint64 = 0x9e3779b97f4a7c15

// SplitMix64 is the generator of SPEC §6; uint64 arithmetic wraps modulo 2^64.
type SplitMix64 struct{ state uint64 }

func NewSplitMix64(seed uint64) *SplitMix64 { return &SplitMix64{state: seed} }

func Mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (g *SplitMix64) Next() uint64 {
	g.state += Gamma
	return Mix(g.state)
}

func (g *SplitMix64) State() uint64 { return g.state }
