package gumbel

import (
	"context"
	"testing"

	"argmax"
	"argmax/game/connect4"
)

// BenchmarkSearch measures searches of 16 and 256 simulations from a
// connect four position with a cheap stand-in net (the search's own
// overhead: a real net's forward passes dominate in use); one op is one
// search. It reports simulations per second and the net's batch width.
func BenchmarkSearch(b *testing.B) {
	st, err := connect4.Parse("4453")
	if err != nil {
		b.Fatal(err)
	}
	for _, sims := range []int64{16, 256} {
		b.Run(map[int64]string{16: "sims=16", 256: "sims=256"}[sims], func(b *testing.B) {
			net := newHash(connect4.Width)
			s, err := New(net, Config{Game: connect4.Game{}, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var total int64
			for b.Loop() {
				r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: sims})
				if err != nil {
					b.Fatal(err)
				}
				total += r.Cost.Simulations
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "sims/s")
			b.ReportMetric(float64(*net.states)/float64(*net.calls), "leaves/call")
		})
	}
}
