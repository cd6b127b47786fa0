package dynamics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"argmax"
	"argmax/env"
)

// Propagation is the way Model carries particles through the ensemble.
type Propagation int

// The propagation rules.
const (
	// TS1 draws each particle's member once, for the whole sequence
	// (PETS's TS1): a particle follows one consistent hypothesis.
	TS1 Propagation = iota
	// TSInf draws each particle's member again at every step (PETS's
	// TS∞).
	TSInf
	// Mean steps each particle by the average of all the members' mean
	// predictions: a deterministic model, costing Members forward passes
	// a step.
	Mean
)

// String returns "ts1", "tsinf" or "mean".
func (p Propagation) String() string {
	switch p {
	case TS1:
		return "ts1"
	case TSInf:
		return "tsinf"
	case Mean:
		return "mean"
	}
	return fmt.Sprintf("Propagation(%d)", int(p))
}

// ParsePropagation reads "ts1", "tsinf" or "mean".
func ParsePropagation(name string) (Propagation, error) {
	for _, p := range []Propagation{TS1, TSInf, Mean} {
		if name == p.String() {
			return p, nil
		}
	}
	return 0, fmt.Errorf("propagation %q: want ts1, tsinf or mean", name)
}

// modelTag is the second word of the PCG seed of a Model's sampling.
const modelTag = 0x64796e6d6f64656c // "dynmodel"

// Model simulates action sequences with an Ensemble, the shape a planner
// searches (it satisfies direct/cem's Model interface). Configure it by
// its fields; the zero value of each is the default documented on it. A
// Model is not safe for concurrent use.
type Model struct {
	// Ensemble is the learned dynamics.
	Ensemble *Ensemble
	// Propagation is TS1 (the default), TSInf or Mean.
	Propagation Propagation
	// Particles is the number of particles simulating each sequence,
	// whose rewards are averaged; 0 means 1.
	Particles int
	// NoNoise steps particles by their member's mean prediction instead
	// of a sample from its Gaussian head (Gaussian heads only).
	NoNoise bool

	state, next, accum []float64
	alive              []bool
	member, rows       []int
	raw                []float64
	xs                 []float32
}

// Evaluate plays n = len(rewards)/horizon action sequences from the
// situation's observation s.Obs (s.Env is not used) and writes the reward
// of sequence i at step t, averaged over its particles, to
// rewards[i*horizon+t]; actions holds the sequences as direct/cem's Model
// describes. A particle whose episode ends (Config.Done) earns 0
// afterwards. Particles and noise are drawn from seed. The Cost counts
// particle steps (Steps), the rows of the forward passes (ForwardPasses)
// and their FLOPs.
func (m *Model) Evaluate(s env.Situation, actions []float64, horizon int, seed uint64, rewards []float64) (argmax.Cost, error) {
	e := m.Ensemble
	if e == nil {
		return argmax.Cost{}, fmt.Errorf("dynamics: model without an ensemble")
	}
	if len(s.Obs) != e.obsDim {
		return argmax.Cost{}, fmt.Errorf("dynamics: observation of %d values for a model of %d", len(s.Obs), e.obsDim)
	}
	if horizon < 1 || len(rewards)%horizon != 0 {
		return argmax.Cost{}, fmt.Errorf("dynamics: %d rewards for horizon %d: want a positive multiple", len(rewards), horizon)
	}
	n, od, ad := len(rewards)/horizon, e.obsDim, e.actDim
	if len(actions) != n*horizon*ad {
		return argmax.Cost{}, fmt.Errorf("dynamics: %d action values for %d sequences of %d steps of dimension %d", len(actions), n, horizon, ad)
	}
	if m.Propagation < TS1 || m.Propagation > Mean {
		return argmax.Cost{}, fmt.Errorf("dynamics: propagation %d: want TS1, TSInf or Mean", int(m.Propagation))
	}
	P := max(1, m.Particles)
	B, M := n*P, len(e.nets)
	state := grow(&m.state, B*od)
	next := grow(&m.next, B*od)
	for b := range B {
		copy(state[b*od:(b+1)*od], s.Obs)
	}
	alive := grow(&m.alive, B)
	for b := range alive {
		alive[b] = true
	}
	clear(rewards)
	member := grow(&m.member, B)
	rng := rand.New(rand.NewPCG(seed, modelTag))
	assign := func() {
		for b := range member {
			member[b] = b % M
		}
		rng.Shuffle(B, func(i, j int) { member[i], member[j] = member[j], member[i] })
	}
	if m.Propagation == TS1 {
		assign()
	}
	gauss := !e.cfg.Deterministic && !m.NoNoise && m.Propagation != Mean
	learned := e.cfg.Reward == nil
	out := e.out
	heads := out
	if !e.cfg.Deterministic {
		heads *= 2
	}
	// accum holds, per particle, the predicted change of observation and
	// the learned reward (out values).
	accum := grow(&m.accum, B*out)
	raw := grow(&m.raw, e.in)
	flops0 := e.eval.FLOPs()
	var c argmax.Cost
	for t := range horizon {
		if m.Propagation == TSInf {
			assign()
		}
		clear(accum)
		for mem := range M {
			rows := m.rows[:0]
			for b := range B {
				if alive[b] && (m.Propagation == Mean || member[b] == mem) {
					rows = append(rows, b)
				}
			}
			m.rows = rows
			if len(rows) == 0 {
				continue
			}
			xs := grow(&m.xs, len(rows)*e.in)
			for r, b := range rows {
				i := b / P
				e.input(state[b*od:(b+1)*od], actions[(i*horizon+t)*ad:(i*horizon+t+1)*ad], raw)
				e.normIn(raw, xs[r*e.in:(r+1)*e.in])
			}
			y := e.forward(mem, xs, len(rows))
			c.ForwardPasses += int64(len(rows))
			w := 1.0
			if m.Propagation == Mean {
				w = 1 / float64(M)
			}
			for r, b := range rows {
				row := y[r*heads : (r+1)*heads]
				for j := range out {
					v := float64(row[j])
					if gauss {
						lv := e.cfg.MinLogVar + (e.cfg.MaxLogVar-e.cfg.MinLogVar)*sigmoid(float64(row[out+j]))
						v += math.Exp(lv/2) * rng.NormFloat64()
					}
					accum[b*out+j] += w * (v*e.outStd[j] + e.outMean[j])
				}
			}
		}
		for b := range B {
			if !alive[b] {
				continue
			}
			c.Steps++
			i := b / P
			o, nx := state[b*od:(b+1)*od], next[b*od:(b+1)*od]
			a := actions[(i*horizon+t)*ad : (i*horizon+t+1)*ad]
			for j := range od {
				nx[j] = o[j] + accum[b*out+j]
			}
			e.clipObs(nx)
			var r float64
			if learned {
				r = accum[b*out+od]
			} else {
				r = e.cfg.Reward(o, a, nx)
			}
			rewards[i*horizon+t] += r / float64(P)
			if e.cfg.Done != nil && e.cfg.Done(o, a, nx) {
				alive[b] = false
			}
			copy(o, nx)
		}
	}
	c.FLOPs = e.eval.FLOPs() - flops0
	return c, nil
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// grow returns (*buf)[:n], growing the buffer when needed.
func grow[T any](buf *[]T, n int) []T {
	*buf = slices.Grow((*buf)[:0], n)[:n]
	return *buf
}
