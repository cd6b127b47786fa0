package gumbel

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
	"argmax/hybrid/guided"
)

func mustNew(t testing.TB, net guided.Net, cfg Config) *Searcher {
	t.Helper()
	s, err := New(net, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func search(t testing.TB, s *Searcher, st game.State, sims int64) *Result {
	t.Helper()
	r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: sims})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSchedule checks the plan of sequential halving against the paper's
// rule as mctx lays it out, and that a search spends its visits that way:
// for m = 4 and n = 16, four moves get 2 visits each, then the best two
// 4 more each.
func TestSchedule(t *testing.T) {
	for _, tc := range []struct {
		m, n   int
		plan   []phasePlan
		visits []int64 // per considered move, most first
	}{
		{4, 16, []phasePlan{{4, 2}, {2, 4}}, []int64{6, 6, 2, 2}},
		{2, 2, []phasePlan{{2, 1}}, []int64{1, 1}},
		{1, 5, []phasePlan{{1, 5}}, []int64{5}},
		{8, 8, []phasePlan{{8, 1}}, []int64{1, 1, 1, 1, 1, 1, 1, 1}},
		{3, 8, []phasePlan{{3, 1}, {2, 2}, {2, 2}}, []int64{4, 3, 1}},
		{5, 7, []phasePlan{{5, 1}, {2, 1}}, []int64{2, 2, 1, 1, 1}},
		{8, 32, []phasePlan{{8, 1}, {4, 2}, {2, 5}, {2, 5}}, []int64{11, 11, 3, 3, 1, 1, 1, 1}},
	} {
		plan := schedule(tc.m, tc.n)
		if !slices.Equal(plan, tc.plan) {
			t.Errorf("schedule(%d, %d) = %v, want %v", tc.m, tc.n, plan, tc.plan)
		}
		net := newHash(tictactoe.Cells)
		s := mustNew(t, net, Config{Game: tictactoe.Game{}, Considered: tc.m, Seed: 7})
		r := search(t, s, tictactoe.New(), int64(tc.n))
		if r.Considered != tc.m || r.Cost.Simulations != int64(tc.n) {
			t.Errorf("m=%d n=%d: considered %d, simulations %d", tc.m, tc.n, r.Considered, r.Cost.Simulations)
		}
		var visits []int64
		for _, c := range r.Children {
			if c.Considered {
				visits = append(visits, c.Visits)
			} else if c.Visits != 0 {
				t.Errorf("m=%d n=%d: move %d was not considered but has %d visits", tc.m, tc.n, c.Action, c.Visits)
			}
		}
		slices.SortFunc(visits, func(a, b int64) int { return int(b - a) })
		if !slices.Equal(visits, tc.visits) {
			t.Errorf("m=%d n=%d: visits %v, want %v", tc.m, tc.n, visits, tc.visits)
		}
		// The phases: each visits the survivors of the one before it.
		if len(r.Phases) != len(tc.plan) {
			t.Fatalf("m=%d n=%d: %d phases, want %d", tc.m, tc.n, len(r.Phases), len(tc.plan))
		}
		sims := 0
		for i, ph := range r.Phases {
			if len(ph.Actions) != tc.plan[i].c || ph.Visits != tc.plan[i].e {
				t.Errorf("m=%d n=%d: phase %d visits %v %d times each, want %d moves %d times", tc.m, tc.n, i, ph.Actions, ph.Visits, tc.plan[i].c, tc.plan[i].e)
			}
			if i > 0 {
				for _, a := range ph.Actions {
					if !slices.Contains(r.Phases[i-1].Actions, a) {
						t.Errorf("m=%d n=%d: phase %d visits %d, eliminated before", tc.m, tc.n, i, a)
					}
				}
			}
			sims += ph.Simulations
		}
		if sims != tc.n {
			t.Errorf("m=%d n=%d: phases ran %d simulations", tc.m, tc.n, sims)
		}
		if last := r.Phases[len(r.Phases)-1]; !slices.Contains(last.Actions, r.Action) {
			t.Errorf("m=%d n=%d: chose %d, not a survivor %v", tc.m, tc.n, r.Action, last.Actions)
		}
	}
}

// TestQTransform checks the completed Q values, the mixed value and σ
// against numbers worked by hand from mctx's definitions.
func TestQTransform(t *testing.T) {
	// The node's net value is 0.5 (for its player to move); child values
	// are for the opponent, so w = -1 over 2 visits is q = 0.5.
	ch := []node{
		{n: 2, w: -1, p: 0.5},  // q = 0.5
		{n: 0, p: 0.3},         // unvisited
		{n: 1, w: 0.5, p: 0.2}, // q = -0.5
	}
	q := make([]float64, 3)
	vmix, maxN, sumN := completedQ(0.5, ch, q)
	// v_mix = (0.5 + 3·(0.5·0.5 + 0.2·(-0.5))/0.7) / 4 (priors are float32)
	wantMix := (0.5 + 3*(0.25-0.1)/0.7) / 4
	if math.Abs(vmix-wantMix) > 1e-6 || maxN != 2 || sumN != 3 {
		t.Errorf("v_mix %v, max N %d, sum N %d; want %v, 2, 3", vmix, maxN, sumN, wantMix)
	}
	for j, want := range []float64{0.5, wantMix, -0.5} {
		if math.Abs(q[j]-want) > 1e-6 {
			t.Errorf("completed Q[%d] = %v, want %v", j, q[j], want)
		}
	}
	// Rescaled to [0, 1] by min and max, times (50 + 2)·0.1.
	sigma(q, maxN, DefaultCVisit, DefaultCScale)
	for j, want := range []float64{5.2, 5.2 * (wantMix + 0.5), 0} {
		if math.Abs(q[j]-want) > 1e-6 {
			t.Errorf("σ[%d] = %v, want %v", j, q[j], want)
		}
	}
	// All equal: no spread, σ = 0 (the 1e-8 floor of the denominator).
	eq := []float64{0.3, 0.3}
	sigma(eq, 0, DefaultCVisit, DefaultCScale)
	if eq[0] != 0 || eq[1] != 0 {
		t.Errorf("σ of equal values %v, want 0", eq)
	}
	// No visits: v_mix is the net's value.
	if v, _, _ := completedQ(-0.25, []node{{p: 1}}, q[:1]); v != -0.25 {
		t.Errorf("v_mix without visits %v, want the net's -0.25", v)
	}
}

// TestInteriorSelection checks the deterministic selection below the
// root: repeated, it makes the visit shares track π' (here the prior, with
// σ made negligible), within one visit.
func TestInteriorSelection(t *testing.T) {
	s := mustNew(t, newHash(tictactoe.Cells), Config{Game: tictactoe.Game{}, CScale: 1e-12})
	prior := []float32{0.5, 0.3, 0.2}
	s.nodes = []node{{nchild: 3, first: 1, n: 1}}
	for _, p := range prior {
		s.nodes = append(s.nodes, node{p: p, logit: float32(math.Log(float64(p)))})
	}
	for i := 1; i <= 100; i++ {
		c := &s.nodes[s.selectInterior(0)]
		c.n++
		c.w -= 0.1 // any value: σ ≈ 0
		for j, p := range prior {
			if d := float64(s.nodes[1+j].n) - float64(p)*float64(i); math.Abs(d) > 1 {
				t.Fatalf("after %d selections child %d has %d visits, prior %v", i, j, s.nodes[1+j].n, p)
			}
		}
	}
}

// TestConsideredSample checks Gumbel-top-k: the considered moves are the
// m highest g + logit, and the first phase visits them in that order.
func TestConsideredSample(t *testing.T) {
	s := mustNew(t, newHash(connect4.Width), Config{Game: connect4.Game{}, Considered: 4, Seed: 3})
	r := search(t, s, connect4.New(), 16)
	type kv struct {
		a game.Action
		v float64
	}
	var all []kv
	for _, c := range r.Children {
		all = append(all, kv{c.Action, c.Gumbel + math.Log(c.Prior)})
	}
	slices.SortStableFunc(all, func(x, y kv) int {
		if x.v > y.v {
			return -1
		}
		if x.v < y.v {
			return 1
		}
		return 0
	})
	for i, c := range all {
		considered := slices.ContainsFunc(r.Children, func(ch Child) bool { return ch.Action == c.a && ch.Considered })
		if considered != (i < 4) {
			t.Errorf("move %d, rank %d by g+logit: considered %v", c.a, i, considered)
		}
		if i < 4 && r.Phases[0].Actions[i] != c.a {
			t.Errorf("first phase %v, want rank %d to be %d", r.Phases[0].Actions, i, c.a)
		}
	}
}

// TestPerfectValue checks that with a uniform prior and a net that knows
// the exact values, the search keeps the game value of tic-tac-toe's
// critical positions (those where some move loses it): always when every
// move is visited once without noise (the values alone decide), nearly
// always with 16 or 64 simulations, where the prior alone keeps it in
// about 40%.
func TestPerfectValue(t *testing.T) {
	states, scores := criticalPositions()
	var priorShare float64
	for i, st := range states {
		legal := st.Legal(nil)
		for _, a := range legal {
			if keepsValue(scores[i], a) {
				priorShare += 1 / float64(len(legal))
			}
		}
	}
	priorShare /= float64(len(states))
	if priorShare > 0.45 {
		t.Fatalf("the uniform prior keeps the value with probability %.3f: the positions are not critical", priorShare)
	}
	for _, tc := range []struct {
		name     string
		noGumbel bool
		sims     int64 // 0: one per legal move
		min      float64
	}{
		{"no noise, one visit per move", true, 0, 1},
		{"no noise, 16 simulations", true, 16, 0.98},
		{"noise, one visit per move", false, 0, 0.95},
		{"noise, 16 simulations", false, 16, 0.93},
		{"noise, 64 simulations", false, 64, 0.97},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, newPerfect(), Config{Game: tictactoe.Game{}, NoGumbel: tc.noGumbel, Seed: 1})
			good := 0
			for i, st := range states {
				n := tc.sims
				if n == 0 {
					n = int64(len(st.Legal(nil)))
				}
				if r := search(t, s, st, n); keepsValue(scores[i], r.Action) {
					good++
				}
			}
			share := float64(good) / float64(len(states))
			t.Logf("%d of %d critical positions (%.3f; the prior alone %.3f)", good, len(states), share, priorShare)
			if share < tc.min {
				t.Errorf("share of value-keeping moves %.3f, want ≥ %v", share, tc.min)
			}
		})
	}
}

// TestImprovedPolicy checks π' = softmax(logit + σ(q̂)): a distribution
// over the legal moves, ordered like the completed Q values under a
// uniform prior, and moving mass toward the value-keeping moves.
func TestImprovedPolicy(t *testing.T) {
	states, scores := criticalPositions()
	s := mustNew(t, newPerfect(), Config{Game: tictactoe.Game{}, Seed: 2})
	var prior, improved float64
	for i, st := range states[:400] {
		r := search(t, s, st, 16)
		var sum float64
		for a, p := range r.Policy {
			if !st.IsLegal(game.Action(a)) && p != 0 {
				t.Fatalf("%s: illegal move %d has mass %v", st, a, p)
			}
			if !(p >= 0) {
				t.Fatalf("%s: move %d has mass %v", st, a, p)
			}
			sum += float64(p)
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Fatalf("%s: policy sums to %v", st, sum)
		}
		for _, a := range r.Children {
			for _, b := range r.Children {
				if a.CompletedQ > b.CompletedQ+1e-12 && !(r.Policy[a.Action] > r.Policy[b.Action]) {
					t.Fatalf("%s: move %d has completed Q %.3f > %.3f of move %d but mass %v ≤ %v",
						st, a.Action, a.CompletedQ, b.CompletedQ, b.Action, r.Policy[a.Action], r.Policy[b.Action])
				}
			}
			if keepsValue(scores[i], a.Action) {
				prior += a.Prior
				improved += float64(r.Policy[a.Action])
			}
		}
	}
	prior /= 400
	improved /= 400
	t.Logf("mass on value-keeping moves: prior %.3f, improved policy %.3f", prior, improved)
	if improved < prior+0.4 {
		t.Errorf("improved policy puts %.3f on value-keeping moves, the prior %.3f: want at least 0.4 more", improved, prior)
	}
}

// TestTerminal checks terminal positions: a winning move is found and
// scored by the rules (no net call), and values alternate sign.
func TestTerminal(t *testing.T) {
	st, err := tictactoe.Parse("1425") // X: 1, 2; O: 4, 5; X to move wins at 3
	if err != nil {
		t.Fatal(err)
	}
	for _, sims := range []int64{2, 4, 16, 64} {
		net := newCounting(uniform(tictactoe.Cells), 0)
		s := mustNew(t, net, Config{Game: tictactoe.Game{}, NoGumbel: true})
		r := search(t, s, st, sims)
		if r.Action != 2 {
			t.Errorf("%d sims: chose %d, want the win at 2", sims, r.Action)
		}
		for _, c := range r.Children {
			if c.Action == 2 && (c.Visits == 0 || c.Q != 1) {
				t.Errorf("%d sims: winning move visited %d times, Q %v; want Q 1", sims, c.Visits, c.Q)
			}
		}
		if r.Policy[2] <= 1/float32(len(r.Children)) {
			t.Errorf("%d sims: improved policy %.3f on the win, not above the prior", sims, r.Policy[2])
		}
		if *net.states >= r.Cost.Simulations+1 {
			t.Errorf("%d sims: %d positions evaluated, want fewer than the %d simulations + root (terminal leaves need no net)", sims, *net.states, r.Cost.Simulations)
		}
		if r.Cost.ForwardPasses != *net.states {
			t.Errorf("%d sims: cost counts %d forward passes, the net %d", sims, r.Cost.ForwardPasses, *net.states)
		}
	}
	// A lost position: X threatens two lines, O cannot win at once; the
	// root value must turn negative as simulations reach X's wins.
	lost, err := tictactoe.Parse("12379") // X: 1, 3, 9; O: 2, 7; O to move, X threatens 5 and 6
	if err != nil {
		t.Fatal(err)
	}
	s := mustNew(t, newCounting(uniform(tictactoe.Cells), 0), Config{Game: tictactoe.Game{}, NoGumbel: true})
	if r := search(t, s, lost, 64); r.Value >= 0 {
		t.Errorf("lost position: root value %.3f, want < 0", r.Value)
	}
}

// TestBatching checks that leaves share forward passes in calls of at
// most Config.Batch positions and that the batch size never changes the
// result; and the cost's counts.
func TestBatching(t *testing.T) {
	var want *Result
	for _, batch := range []int{1, 3, 16, 64} {
		net := newHash(tictactoe.Cells)
		s := mustNew(t, net, Config{Game: tictactoe.Game{}, Considered: 4, Batch: batch, Seed: 5})
		r := search(t, s, tictactoe.New(), 16)
		if *net.maxN > batch {
			t.Errorf("batch %d: a net call of %d positions", batch, *net.maxN)
		}
		// Waves: 2 of 4 descents, then 4 of 2; plus the root.
		calls := int64(1)
		for _, w := range []int{4, 4, 2, 2, 2, 2} {
			calls += int64((w + batch - 1) / batch)
		}
		if *net.calls != calls {
			t.Errorf("batch %d: %d net calls, want %d", batch, *net.calls, calls)
		}
		if r.Cost.ForwardPasses != *net.states || r.Cost.FLOPs != 100**net.states || *net.states > 17 {
			t.Errorf("batch %d: cost %+v, the net evaluated %d positions", batch, r.Cost, *net.states)
		}
		if r.Cost.Simulations != 16 || r.Cost.Steps < 16 || r.Cost.Nodes < 1+9 || r.Cost.CutShort != 0 {
			t.Errorf("batch %d: cost %+v", batch, r.Cost)
		}
		r.Cost = argmax.Cost{}
		if want == nil {
			want = r
		} else if !reflect.DeepEqual(r, want) {
			t.Errorf("batch %d: result differs from batch 1:\n%+v\n%+v", batch, r, want)
		}
	}
}

// TestTranspositions checks that identical positions reached in one wave
// (by transposition, through different root moves) are evaluated once and
// that sharing them changes nothing: over many positions, batched searches
// equal unbatched ones, with fewer forward passes, and no net call sees a
// position twice.
func TestTranspositions(t *testing.T) {
	states, _ := criticalPositions()
	repeated := 0
	checking := func(calls *int) guided.Net {
		inner := newPerfect()
		return guided.Shared(guided.EvalFunc(func(sts []game.State, priors, values []float32) argmax.Cost {
			seen := map[uint64]bool{}
			for _, s := range sts {
				if seen[s.Key()] {
					repeated++
				}
				seen[s.Key()] = true
			}
			*calls += len(sts)
			return inner.Evaluate(sts, priors, values)
		}))
	}
	var batched, single int
	b := mustNew(t, checking(&batched), Config{Game: tictactoe.Game{}, Seed: 3})
	u := mustNew(t, checking(&single), Config{Game: tictactoe.Game{}, Seed: 3, Batch: 1})
	for _, st := range states[:600] {
		rb, ru := search(t, b, st, 48), search(t, u, st, 48)
		if rb.Action != ru.Action || !reflect.DeepEqual(rb.Children, ru.Children) || !reflect.DeepEqual(rb.Policy, ru.Policy) {
			t.Fatalf("%s: batched search chose %d, unbatched %d, or their statistics differ", st, rb.Action, ru.Action)
		}
	}
	t.Logf("forward passes: %d batched, %d one at a time", batched, single)
	if repeated > 0 {
		t.Errorf("%d positions evaluated twice in one call", repeated)
	}
	if batched >= single {
		t.Errorf("batched searches made %d forward passes, unbatched %d: no transposition was shared", batched, single)
	}
}

// TestDeterminism checks that a search is a function of the config, the
// seed and the position: the same again, the same after Reseed, other
// noise for another seed, none of it with NoGumbel.
func TestDeterminism(t *testing.T) {
	st, _ := connect4.Parse("4453")
	run := func(s *Searcher) *Result {
		r := search(t, s, st, 24)
		r.Cost.Elapsed = 0
		return r
	}
	cfg := Config{Game: connect4.Game{}, Seed: 11}
	a := run(mustNew(t, newHash(connect4.Width), cfg))
	s := mustNew(t, newHash(connect4.Width), cfg)
	if b := run(s); !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different results:\n%+v\n%+v", a, b)
	}
	if b := run(s); !reflect.DeepEqual(a, b) {
		t.Errorf("second search, different result:\n%+v\n%+v", a, b)
	}
	s.Reseed(12)
	c := run(s)
	if reflect.DeepEqual(a.Children, c.Children) {
		t.Errorf("seeds 11 and 12 gave the same root statistics")
	}
	cfg.Seed = 12
	if d := run(mustNew(t, newHash(connect4.Width), cfg)); !reflect.DeepEqual(c, d) {
		t.Errorf("Reseed(12) differs from Seed 12")
	}
	cfg.NoGumbel = true
	e := run(mustNew(t, newHash(connect4.Width), cfg))
	cfg.Seed = 99
	if f := run(mustNew(t, newHash(connect4.Width), cfg)); !reflect.DeepEqual(e, f) {
		t.Errorf("without noise the seed changed the result")
	}
	for _, ch := range e.Children {
		if ch.Gumbel != 0 {
			t.Errorf("NoGumbel: move %d has noise %v", ch.Action, ch.Gumbel)
		}
	}
}

// TestSmallBudgets checks budgets of 1 and 2 simulations (and the default).
func TestSmallBudgets(t *testing.T) {
	for _, tc := range []struct {
		name  string
		g     game.Game
		sims  int64
		want  int64
		wantM int
	}{
		{"connect4, 1", connect4.Game{}, 1, 1, 1},
		{"connect4, 2", connect4.Game{}, 2, 2, 2},
		{"tictactoe, 1", tictactoe.Game{}, 1, 1, 1},
		{"tictactoe, 2", tictactoe.Game{}, 2, 2, 2},
		{"connect4, default", connect4.Game{}, 0, DefaultSimulations, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net := newHash(tc.g.NumActions())
			s := mustNew(t, net, Config{Game: tc.g, Seed: 1})
			st := tc.g.New()
			r := search(t, s, st, tc.sims)
			if r.Cost.Simulations != tc.want || r.Considered != tc.wantM || r.Cost.ForwardPasses != tc.want+1 {
				t.Errorf("cost %+v, considered %d; want %d simulations and forward passes, %d considered", r.Cost, r.Considered, tc.want+1, tc.wantM)
			}
			if !st.IsLegal(r.Action) {
				t.Errorf("chose illegal move %d", r.Action)
			}
			var sum float32
			for _, p := range r.Policy {
				sum += p
			}
			if math.Abs(float64(sum)-1) > 1e-5 {
				t.Errorf("policy sums to %v", sum)
			}
			dist := make([]float32, tc.g.NumActions())
			if _, err := s.Distribution(context.Background(), st, argmax.Budget{Simulations: tc.sims}, dist); err != nil || !slices.Equal(dist, r.Policy) {
				t.Errorf("Distribution %v (%v), want the result's policy %v", dist, err, r.Policy)
			}
			if a, _, err := s.Decide(context.Background(), st, argmax.Budget{Simulations: tc.sims}); err != nil || a != r.Action {
				t.Errorf("Decide %d (%v), want %d", a, err, r.Action)
			}
		})
	}
}

// TestLimits checks the node and tree-size limits and the budget from the
// config.
func TestLimits(t *testing.T) {
	ctx := context.Background()
	s := mustNew(t, newHash(connect4.Width), Config{Game: connect4.Game{}})
	r, err := s.Search(ctx, connect4.New(), argmax.Budget{Simulations: 64, Nodes: 30})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cost.Simulations >= 64 || r.Cost.CutShort != 1 || !connect4.New().IsLegal(r.Action) {
		t.Errorf("node limit 30: cost %+v, action %d", r.Cost, r.Action)
	}

	net := newHash(tictactoe.Cells)
	s = mustNew(t, net, Config{Game: tictactoe.Game{}, MaxNodes: 40})
	r = search(t, s, tictactoe.New(), 200)
	if r.Cost.Nodes > 40 || r.Cost.Simulations != 200 {
		t.Errorf("max nodes 40: cost %+v", r.Cost)
	}

	s = mustNew(t, newHash(tictactoe.Cells), Config{Game: tictactoe.Game{}, Budget: argmax.Budget{Simulations: 5}})
	if r := search(t, s, tictactoe.New(), 0); r.Cost.Simulations != 5 {
		t.Errorf("config budget of 5: %d simulations", r.Cost.Simulations)
	}
}

// TestErrors checks that bad configs, positions, budgets and contexts get
// errors naming what is wrong.
func TestErrors(t *testing.T) {
	net := newHash(tictactoe.Cells)
	for _, tc := range []struct {
		name string
		net  guided.Net
		cfg  Config
		want []string
	}{
		{"no net", nil, Config{Game: tictactoe.Game{}}, []string{"no net"}},
		{"no game", net, Config{}, []string{"Config.Game is required"}},
		{"considered", net, Config{Game: tictactoe.Game{}, Considered: -1}, []string{"considered -1"}},
		{"c_visit", net, Config{Game: tictactoe.Game{}, CVisit: math.NaN()}, []string{"c_visit NaN"}},
		{"c_scale", net, Config{Game: tictactoe.Game{}, CScale: -1}, []string{"c_scale -1"}},
		{"batch", net, Config{Game: tictactoe.Game{}, Batch: -2}, []string{"batch -2"}},
		{"max nodes", net, Config{Game: tictactoe.Game{}, MaxNodes: -1}, []string{"max nodes -1"}},
		{"budget", net, Config{Game: tictactoe.Game{}, Budget: argmax.Budget{Simulations: -1}}, []string{"negative limit"}},
		{"several", nil, Config{Game: tictactoe.Game{}, Considered: -1, Batch: -1}, []string{"no net", "considered -1", "batch -1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.net, tc.cfg)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}

	s := mustNew(t, net, Config{Game: tictactoe.Game{}})
	over, _ := tictactoe.Parse("14253") // X wins on the top row
	if _, err := s.Search(context.Background(), over, argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "the game is over") {
		t.Errorf("finished game: error %v", err)
	}
	if _, err := s.Search(context.Background(), tictactoe.New(), argmax.Budget{Simulations: -3}); err == nil || !strings.Contains(err.Error(), "negative limit") {
		t.Errorf("negative budget: error %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Search(ctx, tictactoe.New(), argmax.Budget{Simulations: 16}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: error %v", err)
	}
	// Cancelled during the search, by the net.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	cancelling := guided.Shared(guided.EvalFunc(func(states []game.State, priors, values []float32) argmax.Cost {
		if calls++; calls == 3 {
			cancel()
		}
		return net.Evaluate(states, priors, values)
	}))
	s2 := mustNew(t, cancelling, Config{Game: tictactoe.Game{}})
	if _, err := s2.Search(ctx, tictactoe.New(), argmax.Budget{Simulations: 1000}); !errors.Is(err, context.Canceled) || calls > 4 {
		t.Errorf("cancelled during the search: error %v after %d net calls", err, calls)
	}
	small := mustNew(t, net, Config{Game: tictactoe.Game{}, MaxNodes: 5})
	if _, err := small.Search(context.Background(), tictactoe.New(), argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "max nodes 5") {
		t.Errorf("tree too small for the root: error %v", err)
	}
	if _, err := s.Distribution(context.Background(), tictactoe.New(), argmax.Budget{Simulations: 2}, make([]float32, 4)); err == nil {
		t.Errorf("distribution into 4 entries: no error")
	}
}
