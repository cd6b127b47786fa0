package prefs

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// MaxResponses caps the size V^L of the enumerated response space.
const MaxResponses = 1 << 20

// MaxV caps the vocabulary (the proxy has V + V² features and is fitted by
// Newton's method).
const MaxV = 16

// Config describes a problem. Zero fields take the defaults documented on
// each field.
type Config struct {
	V int // vocabulary size, 2..MaxV (default 4)
	L int // response length, ≥ 1, with V^L ≤ MaxResponses (default 6)
	// BaseScale is the standard deviation of π_base's seeded logits: 0
	// means 1; larger is a more peaked base policy.
	BaseScale float64
	// Linear drops the gold reward's nonlinear terms, so that the gold
	// reward lies in the span of the proxy's features (up to its shift).
	Linear bool
	// Seed seeds π_base and the gold reward (any value, 0 included).
	Seed uint64
}

// withDefaults returns c with its zero fields set and checks it.
func (c Config) withDefaults() (Config, error) {
	if c.V == 0 {
		c.V = 4
	}
	if c.L == 0 {
		c.L = 6
	}
	if c.BaseScale == 0 {
		c.BaseScale = 1
	}
	switch {
	case c.V < 2 || c.V > MaxV:
		return c, fmt.Errorf("prefs: Config.V = %d: want 2..%d", c.V, MaxV)
	case c.L < 1:
		return c, fmt.Errorf("prefs: Config.L = %d: want ≥ 1", c.L)
	case math.Log(float64(c.V))*float64(c.L) > math.Log(MaxResponses)+1e-9:
		return c, fmt.Errorf("prefs: Config.V^L = %d^%d exceeds MaxResponses = %d", c.V, c.L, MaxResponses)
	case !(c.BaseScale > 0) || math.IsInf(c.BaseScale, 0):
		return c, fmt.Errorf("prefs: Config.BaseScale = %v: want finite and > 0", c.BaseScale)
	}
	return c, nil
}

// Problem is one seeded instance: π_base and r_gold over the enumerated
// responses. It is immutable and safe for concurrent use; the slices its
// methods return are its own and must not be modified.
type Problem struct {
	cfg  Config
	size int
	base *Policy
	dist []float64 // π_base(y) for every y
	gold []float64 // r_gold(y) for every y, standardized under π_base
}

// Seed streams of the PCG generators, so that the components never share
// random numbers.
const (
	streamBase    = 0x9e3779b97f4a7c15
	streamGold    = 0xbf58476d1ce4e5b9
	streamCompare = 0x94d049bb133111eb
)

// New builds the problem cfg describes.
func New(cfg Config) (*Problem, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	v, l := cfg.V, cfg.L
	rng := rand.New(rand.NewPCG(cfg.Seed, streamBase))
	logits := make([]float64, NumRows(v, l)*v)
	for i := range logits {
		logits[i] = cfg.BaseScale * rng.NormFloat64()
	}
	base, err := NewPolicy(v, l, logits)
	if err != nil {
		return nil, err
	}
	p := &Problem{cfg: cfg, size: pow(v, l), base: base}
	p.dist = base.Dist(nil)
	p.gold = p.goldRewards()
	return p, nil
}

// goldRewards computes the standardized gold reward of every response.
func (p *Problem) goldRewards() []float64 {
	v, l := p.cfg.V, p.cfg.L
	rng := rand.New(rand.NewPCG(p.cfg.Seed, streamGold))
	uni := make([]float64, v)
	for i := range uni {
		uni[i] = rng.NormFloat64()
	}
	bi := make([]float64, v*v)
	for i := range bi {
		bi[i] = 0.5 * rng.NormFloat64()
	}
	// The interaction: a bonus (or malus) when both tokens u ≠ w occur.
	u := rng.IntN(v)
	w := (u + 1 + rng.IntN(v-1)) % v
	kappa := 1.0
	if rng.IntN(2) == 0 {
		kappa = -1
	}
	gold := make([]float64, p.size)
	counts := make([]int, v)
	var buf [maxL]int
	for y := range gold {
		tokens := decode(y, v, buf[:l])
		clear(counts)
		r := 0.0
		for t, tok := range tokens {
			counts[tok]++
			r += uni[tok]
			if t > 0 {
				r += bi[tokens[t-1]*v+tok]
			}
		}
		if !p.cfg.Linear {
			sq, distinct := 0, 0
			for _, c := range counts {
				sq += c * c
				if c > 0 {
					distinct++
				}
			}
			r -= float64(sq) / float64(l)
			r += 0.5 * float64(distinct)
			if counts[u] > 0 && counts[w] > 0 {
				r += kappa
			}
		}
		gold[y] = r
	}
	mean := Expect(p.dist, gold)
	vr := 0.0
	for y, g := range gold {
		vr += p.dist[y] * (g - mean) * (g - mean)
	}
	sd := math.Sqrt(vr)
	if sd == 0 {
		sd = 1 // a constant gold reward (L = 1 with Linear): keep it at 0
	}
	for y := range gold {
		gold[y] = (gold[y] - mean) / sd
	}
	return gold
}

// Config returns the problem's configuration with its defaults filled in.
func (p *Problem) Config() Config { return p.cfg }

// Size returns the number of responses, V^L.
func (p *Problem) Size() int { return p.size }

// Base returns π_base.
func (p *Problem) Base() *Policy { return p.base }

// BaseDist returns π_base(y) for every response y.
func (p *Problem) BaseDist() []float64 { return p.dist }

// Gold returns r_gold(y) for every response y (mean 0 and standard
// deviation 1 under π_base).
func (p *Problem) Gold() []float64 { return p.gold }

// Tokens writes the tokens of response y into dst (grown to L when it is
// shorter) and returns it.
func (p *Problem) Tokens(y int, dst []int) []int {
	if cap(dst) < p.cfg.L {
		dst = make([]int, p.cfg.L)
	}
	return decode(y, p.cfg.V, dst[:p.cfg.L])
}

// Index returns the index of the response spelled by tokens.
func (p *Problem) Index(tokens []int) (int, error) {
	if len(tokens) != p.cfg.L {
		return 0, fmt.Errorf("prefs: response of %d tokens: want L = %d", len(tokens), p.cfg.L)
	}
	y := 0
	for t, tok := range tokens {
		if tok < 0 || tok >= p.cfg.V {
			return 0, fmt.Errorf("prefs: response token %d = %d: want 0..%d", t, tok, p.cfg.V-1)
		}
		y = y*p.cfg.V + tok
	}
	return y, nil
}

// NumFeatures returns the number of proxy features, V + V².
func (p *Problem) NumFeatures() int { return p.cfg.V + p.cfg.V*p.cfg.V }

// Features writes φ(y) into dst (grown to NumFeatures when it is shorter)
// and returns it: the count of each token v at index v, then the count of
// each adjacent bigram (u, w) at index V + u·V + w.
func (p *Problem) Features(y int, dst []float64) []float64 {
	v := p.cfg.V
	n := p.NumFeatures()
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	clear(dst)
	var buf [maxL]int
	tokens := decode(y, v, buf[:p.cfg.L])
	for t, tok := range tokens {
		dst[tok]++
		if t > 0 {
			dst[v+tokens[t-1]*v+tok]++
		}
	}
	return dst
}

// Comparison is one labelled pair: the labeller preferred Winner to Loser.
type Comparison struct {
	Winner, Loser int
}

// Compare draws n comparisons: each a pair (y, y') of independent draws
// from π_base, labelled y ≻ y' with probability σ(r_gold(y) − r_gold(y'))
// (Bradley–Terry). The same seed gives the same comparisons.
func (p *Problem) Compare(n int, seed uint64) ([]Comparison, error) {
	if n < 1 {
		return nil, fmt.Errorf("prefs: %d comparisons: want ≥ 1", n)
	}
	rng := rand.New(rand.NewPCG(seed, streamCompare))
	out := make([]Comparison, n)
	for i := range out {
		a := p.base.Sample(rng, nil)
		b := p.base.Sample(rng, nil)
		if rng.Float64() < sigmoid(p.gold[a]-p.gold[b]) {
			out[i] = Comparison{Winner: a, Loser: b}
		} else {
			out[i] = Comparison{Winner: b, Loser: a}
		}
	}
	return out, nil
}

// sigmoid is the logistic function 1/(1+e^−x).
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Expect returns the exact expectation Σ dist(y)·f(y).
func Expect(dist, f []float64) float64 {
	s := 0.0
	for y, p := range dist {
		if p != 0 {
			s += p * f[y]
		}
	}
	return s
}

// KL returns the exact KL(p‖q) = Σ p log(p/q) in nats (+Inf when p puts
// mass where q has none; terms with p = 0 contribute 0).
func KL(p, q []float64) float64 {
	s := 0.0
	for y, a := range p {
		if a == 0 {
			continue
		}
		if q[y] == 0 {
			return math.Inf(1)
		}
		s += a * math.Log(a/q[y])
	}
	return max(s, 0)
}
