package maze

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"argmax/env"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var moves = [4]Pos{{-1, 0}, {0, 1}, {1, 0}, {0, -1}} // Up, Right, Down, Left

func add(p, d Pos) Pos { return Pos{p.Row + d.Row, p.Col + d.Col} }

// distances returns the path length of every cell from `from` (−1 where
// unreachable), computed from the public view of the level; with
// aroundObjects, object cells are entered but not left (from excepted).
func distances(m *Maze, from Pos, aroundObjects bool) map[Pos]int {
	d := map[Pos]int{from: 0}
	q := []Pos{from}
	for len(q) > 0 {
		p := q[0]
		q = q[1:]
		if _, obj := m.ObjectAt(p); aroundObjects && obj && p != from {
			continue
		}
		for _, mv := range moves {
			n := add(p, mv)
			if _, seen := d[n]; !seen && !m.Wall(n) {
				d[n] = d[p] + 1
				q = append(q, n)
			}
		}
	}
	return d
}

// path returns the actions of a shortest path from the agent to target
// around objects (nil if none).
func path(m *Maze, target Pos) []int {
	d := distances(m, target, true)
	var acts []int
	p := m.Agent()
	for p != target {
		best, bestD := -1, math.MaxInt
		for a, mv := range moves {
			n := add(p, mv)
			dn, ok := d[n]
			if _, obj := m.ObjectAt(n); !ok || (obj && n != target) {
				continue
			}
			if dn < bestD {
				best, bestD = a, dn
			}
		}
		if best < 0 || bestD >= d[p] {
			return nil
		}
		acts = append(acts, best)
		p = add(p, moves[best])
	}
	return acts
}

// checkLevel checks the current level against the generator's rules,
// from the public view of the level alone.
func checkLevel(m *Maze) error {
	cfg := m.Config()
	w := m.Width()
	if w != cfg.Size+2 {
		return fmt.Errorf("width %d for size %d", w, cfg.Size)
	}
	floor := 0
	for r := range w {
		for c := range w {
			p := Pos{r, c}
			border := r == 0 || c == 0 || r == w-1 || c == w-1
			if border && !m.Wall(p) {
				return fmt.Errorf("border cell %v is floor", p)
			}
			if !m.Wall(p) {
				floor++
			}
		}
	}
	if floor != m.NumStates() {
		return fmt.Errorf("%d floor cells, %d states", floor, m.NumStates())
	}
	if walls := cfg.Size*cfg.Size - floor; walls > int(math.Round(cfg.Walls*float64(cfg.Size*cfg.Size))) {
		return fmt.Errorf("%d interior walls for density %v", walls, cfg.Walls)
	}
	start := m.Start()
	if m.Wall(start) {
		return fmt.Errorf("start %v is a wall", start)
	}
	if _, ok := m.ObjectAt(start); ok {
		return fmt.Errorf("an object at the start %v", start)
	}
	dS := distances(m, start, false)
	if len(dS) != floor {
		return fmt.Errorf("floor not connected: %d of %d cells reachable", len(dS), floor)
	}
	dO := distances(m, start, true)
	if len(dO) != floor {
		return fmt.Errorf("objects cut %d floor cells off the start", floor-len(dO))
	}
	objs := m.Objects()
	if want := cfg.Distractors + 1; len(objs) != want && len(objs) != want+1 {
		return fmt.Errorf("%d objects for %d distractors", len(objs), cfg.Distractors)
	}
	seen := map[Pos]bool{}
	for _, o := range objs {
		if m.Wall(o.Pos) || seen[o.Pos] {
			return fmt.Errorf("%v on a wall or a taken cell", o)
		}
		seen[o.Pos] = true
		if got, ok := m.ObjectAt(o.Pos); !ok || got != o {
			return fmt.Errorf("ObjectAt(%v) = %v, want %v", o.Pos, got, o)
		}
		if dS[o.Pos] < 2 {
			return fmt.Errorf("%v at path length %d from the start %v: want ≥ 2", o, dS[o.Pos], start)
		}
		if _, ok := dO[o.Pos]; !ok {
			return fmt.Errorf("%v unreachable without stepping on another object", o)
		}
	}
	goal := objs[0]
	dG := distances(m, goal.Pos, false)
	onPath := func(p Pos) bool { return dS[p]+dG[p] == dS[goal.Pos] }
	if dO[goal.Pos] != dS[goal.Pos] {
		return fmt.Errorf("objects lengthen the path to the goal %v: %d, %d without them", goal, dO[goal.Pos], dS[goal.Pos])
	}
	corner := Pos{1, cfg.Size}
	count := func(pred func(Object) bool) (n int) {
		for _, o := range objs {
			if pred(o) {
				n++
			}
		}
		return n
	}
	switch cfg.Dist {
	case DistCornerTrain, DistCornerTest:
		if goal.Kind != Gem || count(func(o Object) bool { return o.Kind == Gem }) != 1 || len(objs) != cfg.Distractors+1 {
			return fmt.Errorf("corner level with objects %v: want one gem first, then %d non-gems", objs, cfg.Distractors)
		}
		if (goal.Pos == corner) != (cfg.Dist == DistCornerTrain) {
			return fmt.Errorf("%s: gem at %v, corner %v", cfg.Dist, goal.Pos, corner)
		}
		if start == corner {
			return fmt.Errorf("the start is the corner")
		}
		if o, ok := m.ObjectAt(corner); ok && o.Kind != Gem {
			return fmt.Errorf("a distractor %v in the corner", o)
		}
	default:
		test := cfg.Dist == DistTest || (cfg.Dist == DistDiverse && m.TestKind())
		if m.TestKind() != test {
			return fmt.Errorf("TestKind %v on a %s level", m.TestKind(), cfg.Dist)
		}
		if goal.Kind != Door || count(func(o Object) bool { return o.Kind == Door }) != 1 {
			return fmt.Errorf("objects %v: want exactly one door, first", objs)
		}
		if !test {
			if goal.Colour != Red || len(objs) != cfg.Distractors+1 || count(func(o Object) bool { return o.Colour == Red }) != 1 {
				return fmt.Errorf("train level with objects %v: want a red door and %d non-red distractors", objs, cfg.Distractors)
			}
			break
		}
		if goal.Colour == Red || (cfg.Dist == DistTest && goal.Colour != Blue) || len(objs) != cfg.Distractors+2 {
			return fmt.Errorf("%s level with objects %v: want a blue (not red) door, the proxy, %d distractors", cfg.Dist, objs, cfg.Distractors)
		}
		red := objs[1]
		if red.Colour != Red || red.Kind == Door || count(func(o Object) bool { return o.Colour == Red }) != 1 {
			return fmt.Errorf("objects %v: want exactly one red object, a non-door, second", objs)
		}
		if onPath(red.Pos) {
			return fmt.Errorf("the red %v is on a shortest path from %v to the door %v", red, start, goal)
		}
		if d, dd := dO[red.Pos], dO[goal.Pos]; 2*d < dd || d > 2*dd {
			return fmt.Errorf("the red %v at path length %d, the door at %d: want within a factor 2", red, d, dd)
		}
	}
	for _, o := range objs[1:] {
		if onPath(o.Pos) {
			return fmt.Errorf("%v on a shortest path to the goal %v", o, goal)
		}
	}
	return nil
}

var dists = []string{DistTrain, DistTest, DistDiverse, DistCornerTrain, DistCornerTest}

func configOf(dist string) Config {
	cfg := Config{Dist: dist}
	if dist == DistDiverse {
		cfg.P = 0.5
	}
	return cfg
}

// TestGenerator checks many levels of every distribution and of several
// sizes, densities and numbers of distractors.
func TestGenerator(t *testing.T) {
	for _, dist := range dists {
		for _, v := range []struct {
			size, distractors int
			walls             float64
		}{{0, 0, 0}, {5, NoDistractors, NoWalls}, {5, 5, MaxWalls}, {9, 4, 0.3}, {12, 12, 0.4}} {
			cfg := configOf(dist)
			cfg.Size, cfg.Distractors, cfg.Walls = v.size, v.distractors, v.walls
			m := must(New(cfg))
			for seed := range uint64(150) {
				m.Reset(seed)
				if err := checkLevel(m); err != nil {
					t.Fatalf("%+v, seed %d: %v\n%s", cfg, seed, err, m.render(false))
				}
			}
		}
	}
}

// FuzzGenerator: every level of every distribution, size, density and
// number of distractors keeps the generator's rules.
func FuzzGenerator(f *testing.F) {
	f.Add(uint64(0), uint8(0), uint8(7), uint8(2), uint8(15))
	f.Add(uint64(7), uint8(1), uint8(5), uint8(5), uint8(50))
	f.Add(uint64(99), uint8(4), uint8(5), uint8(5), uint8(50))
	f.Fuzz(func(t *testing.T, seed uint64, dist, size, distractors, walls uint8) {
		cfg := configOf(dists[int(dist)%len(dists)])
		cfg.Size = MinSize + int(size)%(16-MinSize)
		cfg.Distractors = int(distractors) % (cfg.Size + 1)
		if cfg.Distractors == 0 {
			cfg.Distractors = NoDistractors
		}
		cfg.Walls = float64(walls%51) / 100
		if cfg.Walls == 0 {
			cfg.Walls = NoWalls
		}
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.Reset(seed)
		if err := checkLevel(m); err != nil {
			t.Fatalf("%+v, seed %d: %v\n%s", cfg, seed, err, m.render(false))
		}
	})
}

func TestDiverseShare(t *testing.T) {
	m := must(New(Config{Dist: DistDiverse, P: 0.3}))
	n, tests := 2000, 0
	colours := map[Colour]int{}
	for seed := range uint64(n) {
		m.Reset(seed)
		if m.TestKind() {
			tests++
			colours[m.Objects()[0].Colour]++
		}
	}
	if share := float64(tests) / float64(n); math.Abs(share-0.3) > 0.035 {
		t.Errorf("share of test-kind levels %v, want 0.3", share)
	}
	if colours[Red] != 0 || colours[Blue] == 0 || colours[Green] == 0 || colours[Yellow] == 0 {
		t.Errorf("door colours of test-kind levels %v: want blue, green and yellow", colours)
	}
	for _, p := range []float64{0, 1} {
		m := must(New(Config{Dist: DistDiverse, P: p}))
		for seed := range uint64(50) {
			if m.Reset(seed); m.TestKind() != (p == 1) {
				t.Fatalf("P=%v, seed %d: TestKind %v", p, seed, m.TestKind())
			}
		}
	}
}

func TestConfig(t *testing.T) {
	m := must(New(Config{}))
	want := Config{Dist: DistTrain, Size: 7, Distractors: 2, Walls: 0.15, Obs: ObsGlobal, Reward: RewardDoor, MaxSteps: 196}
	if m.Config() != want {
		t.Errorf("defaults %+v, want %+v", m.Config(), want)
	}
	if m := must(New(Config{Dist: DistCornerTest, Obs: ObsEgo})); m.Config().Reward != RewardGem || m.Config().Radius != 2 {
		t.Errorf("corner-test defaults %+v", m.Config())
	}
	if m := must(New(Config{Distractors: NoDistractors, Walls: NoWalls})); m.Config().Distractors != 0 || m.Config().Walls != 0 || m.NumStates() != 49 || len(m.Objects()) != 1 {
		t.Errorf("no distractors, no walls: %+v, %d states, %v", m.Config(), m.NumStates(), m.Objects())
	}
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Dist: "tset"}, `Dist="tset": want train, test`},
		{Config{P: 0.5}, `P=0.5: only the diverse distribution takes P`},
		{Config{Dist: DistDiverse, P: 1.5}, `P=1.5: want a probability`},
		{Config{Size: 4}, "Size=4: want 5..32"},
		{Config{Size: 33}, "Size=33"},
		{Config{Distractors: 8}, "Distractors=8: want 1..Size (7)"},
		{Config{Distractors: -2}, "Distractors=-2"},
		{Config{Walls: 0.6}, "Walls=0.6: want a density in (0, 0.5]"},
		{Config{Walls: math.NaN()}, "Walls=NaN"},
		{Config{Obs: "local"}, `Obs="local": want global or ego`},
		{Config{Radius: 3}, `Radius=3: only the ego observation takes a radius`},
		{Config{Obs: ObsEgo, Radius: 9}, "Radius=9: want 1..Size (7)"},
		{Config{Reward: "blue"}, `Reward="blue": want door, red, gem or value`},
		{Config{StepCost: -1}, "StepCost=-1: want a finite cost ≥ 0"},
		{Config{StepCost: math.Inf(1)}, "StepCost=+Inf"},
		{Config{MaxSteps: -5}, "MaxSteps=-5: want ≥ 1"},
	} {
		_, err := New(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "maze: config: ") {
			t.Errorf("%+v: %v, want an error containing %q", c.cfg, err, c.want)
		}
	}
	_, err := New(Config{Size: 2, Obs: "x"})
	if err == nil || !strings.Contains(err.Error(), "Size=2") || !strings.Contains(err.Error(), `Obs="x"`) {
		t.Errorf("two bad fields: %v, want both named", err)
	}
}

// TestResetDeterminism: a seed's level depends on the seed alone, not on
// the levels before it; different seeds give different levels.
func TestResetDeterminism(t *testing.T) {
	for _, dist := range dists {
		a, b := must(New(configOf(dist))), must(New(configOf(dist)))
		levels := map[string]bool{}
		for seed := range uint64(30) {
			obsA := slices.Clone(a.Reset(seed))
			b.Reset(seed + 1000)
			b.Step([]float64{Up})
			obsB := b.Reset(seed)
			if !slices.Equal(obsA, obsB) || a.render(false) != b.render(false) || !slices.Equal(a.Objects(), b.Objects()) || a.Seed() != seed {
				t.Fatalf("%s, seed %d: two resets, two levels", dist, seed)
			}
			levels[a.render(false)] = true
		}
		if len(levels) < 29 {
			t.Errorf("%s: %d distinct levels of 30 seeds", dist, len(levels))
		}
	}
}

func TestStep(t *testing.T) {
	for _, c := range []struct {
		name     string
		cfg      Config
		target   func(m *Maze) Object // the object walked to
		reward   float64              // of the step onto it
		perf     float64
		result   Result
		stepCost float64
	}{
		{"train door", Config{}, func(m *Maze) Object { return m.Objects()[0] }, 1, 1, Robust, 0},
		{"train distractor", Config{}, func(m *Maze) Object { return m.Objects()[1] }, 0, 0, Neither, 0},
		{"test door", Config{Dist: DistTest}, func(m *Maze) Object { return m.Objects()[0] }, 1, 1, Robust, 0},
		{"test red", Config{Dist: DistTest}, func(m *Maze) Object { return m.Objects()[1] }, 0, 0, Proxy, 0},
		{"test red, red reward", Config{Dist: DistTest, Reward: RewardRed}, func(m *Maze) Object { return m.Objects()[1] }, 1, 0, Proxy, 0},
		{"test door, red reward, step cost", Config{Dist: DistTest, Reward: RewardRed, StepCost: 0.01}, func(m *Maze) Object { return m.Objects()[0] }, 0, 1, Robust, 0.01},
		{"corner-train gem", Config{Dist: DistCornerTrain}, func(m *Maze) Object { return m.Objects()[0] }, 1, 1, Robust, 0},
		{"corner-test gem", Config{Dist: DistCornerTest}, func(m *Maze) Object { return m.Objects()[0] }, 1, 1, Robust, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := must(New(c.cfg))
			for seed := range uint64(20) {
				m.Reset(seed)
				o := c.target(m)
				acts := path(m, o.Pos)
				if acts == nil {
					t.Fatalf("seed %d: no path to %v", seed, o)
				}
				var ret float64
				result := c.result
				for i, a := range acts {
					_, r, term, trunc := m.Step([]float64{float64(a)})
					if m.Agent() == m.Corner() && !term && c.cfg.Dist == DistCornerTest {
						result = Proxy // walked through the empty corner on the way
					}
					ret += r
					last := i == len(acts)-1
					want := -c.stepCost
					if last {
						want = c.reward - c.stepCost
					}
					if term != last || trunc || r != want {
						t.Fatalf("seed %d, step %d of %d: reward %v, terminated %v, truncated %v; want %v, %v, false", seed, i+1, len(acts), r, term, trunc, want, last)
					}
				}
				got, ok := m.Reached()
				if !ok || got != o || m.Performance() != c.perf || m.Result() != result || m.Steps() != len(acts) || m.Return() != ret {
					t.Fatalf("seed %d: reached %v %v, performance %v, result %v, steps %d, return %v; want %v, %v, %v",
						seed, got, ok, m.Performance(), m.Result(), m.Steps(), m.Return(), o, c.perf, result)
				}
				if obs, r, term, _ := m.Step([]float64{Up}); r != 0 || !term || m.Agent() != o.Pos || len(obs) != m.ObservationSpace().Dim() {
					t.Fatalf("seed %d: a step after the end moved or paid", seed)
				}
			}
		})
	}
}

func TestWallsAndTimeLimit(t *testing.T) {
	m := must(New(Config{MaxSteps: 30, StepCost: 0.5}))
	for seed := range uint64(10) {
		m.Reset(seed)
		// Walk up until a wall (no objects are adjacent to the start, but one
		// may lie further up: choose a direction with none in line).
		a := -1
		for d, mv := range moves {
			clear := true
			for p := add(m.Agent(), mv); !m.Wall(p); p = add(p, mv) {
				if _, ok := m.ObjectAt(p); ok {
					clear = false
				}
			}
			if clear {
				a = d
				break
			}
		}
		if a < 0 {
			continue
		}
		for step := 1; step <= 30; step++ {
			before := m.Agent()
			_, r, term, trunc := m.Step([]float64{float64(a)})
			if n := add(before, moves[a]); m.Wall(n) && m.Agent() != before || !m.Wall(n) && m.Agent() != n {
				t.Fatalf("seed %d: moved from %v to %v by action %d", seed, before, m.Agent(), a)
			}
			if term || trunc != (step == 30) || r != -0.5 {
				t.Fatalf("seed %d, step %d: reward %v, terminated %v, truncated %v", seed, step, r, term, trunc)
			}
		}
		if m.Performance() != 0 || m.Result() != Neither || m.Return() != -15 {
			t.Errorf("seed %d: performance %v, result %v, return %v", seed, m.Performance(), m.Result(), m.Return())
		}
		if _, ok := m.Reached(); ok {
			t.Errorf("seed %d: reached an object", seed)
		}
	}
}

// TestCornerProxy: in corner-test, an agent that walks to the empty
// corner first is a proxy, even if it reaches the gem afterwards.
func TestCornerProxy(t *testing.T) {
	m := must(New(Config{Dist: DistCornerTest, Distractors: NoDistractors}))
	done := 0
	for seed := range uint64(40) {
		m.Reset(seed)
		acts := path(m, m.Corner())
		if acts == nil {
			continue
		}
		for _, a := range acts {
			if _, _, term, _ := m.Step([]float64{float64(a)}); term {
				break
			}
		}
		if m.Agent() != m.Corner() {
			continue // the gem lay on the way
		}
		done++
		if m.Result() != Proxy || m.Performance() != 0 {
			t.Fatalf("seed %d: in the corner: %v, performance %v", seed, m.Result(), m.Performance())
		}
		for _, a := range path(m, m.Objects()[0].Pos) {
			m.Step([]float64{float64(a)})
		}
		if m.Result() != Proxy || m.Performance() != 1 {
			t.Fatalf("seed %d: corner then gem: %v, performance %v", seed, m.Result(), m.Performance())
		}
	}
	if done < 20 {
		t.Errorf("only %d of 40 levels walked to the corner", done)
	}
	if Classify(Object{Kind: Door, Colour: Red}, true) != Robust || Classify(Object{Kind: Key, Colour: Red}, true) != Proxy ||
		Classify(Object{Kind: Key, Colour: Blue}, true) != Neither || Classify(Object{}, false) != Neither {
		t.Error("Classify")
	}
}

// TestObservation compares the observations with the public view of the
// level, cell by cell.
func TestObservation(t *testing.T) {
	for _, obs := range []string{ObsGlobal, ObsEgo} {
		for _, radius := range []int{1, 2, 4} {
			cfg := Config{Dist: DistTest, Obs: obs}
			if obs == ObsEgo {
				cfg.Radius = radius
			} else if radius > 1 {
				continue
			}
			m := must(New(cfg))
			names := m.ChannelNames()
			nc := len(names)
			// want is the channel values of cell p.
			want := func(p Pos, agent bool) []float64 {
				v := map[string]float64{}
				if m.Wall(p) {
					v["wall"] = 1
				}
				if o, ok := m.ObjectAt(p); ok {
					v[o.Kind.String()], v[o.Colour.String()] = 1, 1
				}
				if agent {
					v["agent"] = 1
				}
				out := make([]float64, nc)
				for k, n := range names {
					out[k] = v[n]
				}
				return out
			}
			for seed := range uint64(5) {
				o := m.Reset(seed)
				for step := 0; step < 12; step++ {
					if obs == ObsGlobal {
						if len(o) != m.Width()*m.Width()*nc || nc != 10 {
							t.Fatalf("global observation of %d values, %d channels", len(o), nc)
						}
						for r := range m.Width() {
							for c := range m.Width() {
								i := (r*m.Width() + c) * nc
								if p := (Pos{r, c}); !slices.Equal(o[i:i+nc], want(p, p == m.Agent())) {
									t.Fatalf("seed %d, cell %v: %v, want %v", seed, p, o[i:i+nc], want(p, p == m.Agent()))
								}
							}
						}
					} else {
						side := 2*radius + 1
						if len(o) != side*side*nc || nc != 9 {
							t.Fatalf("ego observation of %d values, %d channels", len(o), nc)
						}
						for dr := -radius; dr <= radius; dr++ {
							for dc := -radius; dc <= radius; dc++ {
								i := ((dr+radius)*side + dc + radius) * nc
								p := add(m.Agent(), Pos{dr, dc})
								if !slices.Equal(o[i:i+nc], want(p, false)) {
									t.Fatalf("seed %d, radius %d, cell %v: %v, want %v", seed, radius, p, o[i:i+nc], want(p, false))
								}
							}
						}
					}
					if err := m.ObservationSpace().Check(o); err != nil {
						t.Fatal(err)
					}
					var term bool
					o, _, term, _ = m.Step([]float64{float64((step * 7 / 3) % 4)})
					if term {
						break
					}
				}
			}
		}
	}
}

func TestClone(t *testing.T) {
	for _, obs := range []string{ObsGlobal, ObsEgo} {
		m := must(New(Config{Dist: DistTest, Obs: obs}))
		m.Reset(3)
		m.Step([]float64{Right})
		c := m.Clone().(*Maze)
		before := slices.Clone(m.obs)
		acts := []float64{Up, Up, Left, Down, Right, Right, Down}
		var co [][]float64
		for _, a := range acts {
			o, _, term, _ := c.Step([]float64{a})
			co = append(co, slices.Clone(o))
			if term {
				break
			}
		}
		if !slices.Equal(m.obs, before) || m.Steps() != 1 {
			t.Fatalf("%s: stepping the clone changed the original", obs)
		}
		c.Reset(99)
		if !slices.Equal(m.obs, before) || m.Seed() != 3 {
			t.Fatalf("%s: resetting the clone changed the original", obs)
		}
		for i, a := range acts[:len(co)] {
			o, _, _, _ := m.Step([]float64{a})
			if !slices.Equal(o, co[i]) {
				t.Fatalf("%s: step %d: the clone and the original differ", obs, i)
			}
		}
	}
}

func TestStepAllocs(t *testing.T) {
	for _, obs := range []string{ObsGlobal, ObsEgo} {
		m := must(New(Config{Obs: obs}))
		a := []float64{0}
		i := 0
		allocs := testing.AllocsPerRun(1000, func() {
			a[0] = float64(i % 4)
			i++
			if _, _, term, trunc := m.Step(a); term || trunc {
				m.Reset(uint64(i))
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per step", obs, allocs)
		}
	}
}

func TestRender(t *testing.T) {
	m := must(New(Config{Dist: DistTest}))
	m.Reset(1)
	var b bytes.Buffer
	if err := m.Render(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != m.Width() {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), m.Width(), b.String())
	}
	for r, l := range lines {
		if len(l) != 2*m.Width() {
			t.Fatalf("line %d %q: want %d characters", r, l, 2*m.Width())
		}
		for c := range m.Width() {
			cell, p := l[2*c:2*c+2], Pos{r, c}
			o, isObj := m.ObjectAt(p)
			want := " ."
			switch {
			case m.Wall(p):
				want = "##"
			case isObj:
				want = string([]byte{o.Colour.Letter(), o.Kind.Letter()})
			case p == m.Agent():
				want = " @"
			}
			if cell != want {
				t.Fatalf("cell %v drawn %q, want %q:\n%s", p, cell, want, b.String())
			}
		}
	}
	if !strings.Contains(b.String(), "bD") || !strings.Contains(b.String(), "r") {
		t.Errorf("no blue door or red object:\n%s", b.String())
	}
	b.Reset()
	m.RenderANSI(&b)
	if !strings.Contains(b.String(), "\x1b[34mbD\x1b[0m") {
		t.Errorf("ANSI rendering without a blue door: %q", b.String())
	}
	// Wrapped, the maze still renders (env.RendererOf unwraps).
	w := must(env.TimeLimit(m, 5))
	r, ok := env.RendererOf(w)
	if !ok || r != env.Renderer(m) {
		t.Error("RendererOf(TimeLimit(maze)) did not find the maze")
	}
	if s := w.(fmt.Stringer).String(); s != "TimeLimit(maze(test, 7×7), 5)" {
		t.Errorf("wrapped description %q", s)
	}
}
