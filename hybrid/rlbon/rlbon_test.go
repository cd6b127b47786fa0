package rlbon

import (
	"context"
	"math"
	"testing"

	"argmax"
	"argmax/amortized/klpg"
	"argmax/direct/bestofn"
	"argmax/task/prefs"
)

// Best-of-1 over the policy is the policy: its point is the trained
// policy's last one; more candidates raise the proxy gain and move further
// from π_base.
func TestSweepStartsAtThePolicy(t *testing.T) {
	ctx := context.Background()
	p, err := prefs.New(prefs.Config{V: 3, L: 4, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	comps, err := p.Compare(300, 5)
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := p.FitProxy(comps, prefs.ProxyConfig{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := klpg.Config{Beta: 0.1, Steps: 60, LR: 0.05, Seed: 3}
	traj, err := klpg.Trajectory{Config: cfg}.Curve(ctx, p, proxy)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := Sweep{Config: cfg, MaxN: 16}.Curve(ctx, p, proxy)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 16 {
		t.Fatalf("%d points, want 16", len(pts))
	}
	last := traj[len(traj)-1]
	if math.Abs(pts[0].KL-last.KL) > 1e-9 || math.Abs(pts[0].Gold-last.Gold) > 1e-9 || math.Abs(pts[0].Proxy-last.Proxy) > 1e-9 {
		t.Errorf("best-of-1 %+v, the policy %+v", pts[0], last)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].Proxy < pts[i-1].Proxy-1e-12 {
			t.Errorf("proxy gain falls from n = %d to %d: %v → %v", i, i+1, pts[i-1].Proxy, pts[i].Proxy)
		}
	}
	if pts[15].KL <= pts[0].KL {
		t.Errorf("KL at n = 16 %v, not above the policy's %v", pts[15].KL, pts[0].KL)
	}
	if _, err := (Sweep{Config: cfg}).Curve(ctx, p, proxy); err == nil {
		t.Error("MaxN 0: no error")
	}
}

// The Decider draws n candidates from the trained policy and answers
// with the proxy's favourite among them.
func TestDecider(t *testing.T) {
	ctx := context.Background()
	p, err := prefs.New(prefs.Config{V: 3, L: 4, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	comps, _ := p.Compare(300, 5)
	proxy, err := p.FitProxy(comps, prefs.ProxyConfig{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(ctx, p, proxy, klpg.Config{Beta: 0.1, Steps: 30, LR: 0.05, Seed: 3}, bestofn.Config{N: 8, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	var _ argmax.Decider[prefs.Prompt, int] = d
	var _ argmax.Trainable = d
	y, c, err := d.Decide(ctx, prefs.Prompt{}, argmax.Budget{})
	if err != nil || c.Samples != 8 || y < 0 || y >= p.Size() {
		t.Errorf("answer %d, cost %+v, %v; want a response after 8 samples", y, c, err)
	}
	if d.TrainingCost().Iterations == 0 {
		t.Errorf("training cost %+v: no steps", d.TrainingCost())
	}
}
