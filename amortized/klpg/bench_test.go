package klpg_test

import (
	"context"
	"testing"

	"argmax/amortized/klpg"
	"argmax/task/prefs"
)

// One KL-PG update (a batch of 64 responses, the REINFORCE gradient and an
// Adam step) on the default space (V=4, L=6); the exact records at the
// start and end are amortized over b.N updates.
func BenchmarkUpdate(b *testing.B) {
	p, proxy := setup(b, prefs.Config{Seed: 1}, 1000)
	ctx := context.Background()
	b.ResetTimer()
	if _, err := klpg.Train(ctx, p, proxy, klpg.Config{Beta: 0.1, Steps: b.N, Record: b.N, Seed: 1}); err != nil {
		b.Fatal(err)
	}
}
