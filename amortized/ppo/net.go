package ppo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/nn"
)

// The gains of CleanRL's layer_init: √2 for hidden layers, 0.01 for the
// policy head (a near-uniform initial policy), 1 for the value head.
const (
	hiddenGain = math.Sqrt2
	policyGain = 0.01
	valueGain  = 1.0
)

// Parameter names (the keys of checkpoints).
const (
	actorName  = "actor"
	criticName = "critic"
	logStdName = "actor.log_std"
)

// agent is the actor-critic: two separate tanh MLPs over the (normalized)
// observation, the actor giving the logits of a categorical policy or the
// mean of a Gaussian one, whose state-independent log standard deviation
// is logStd; the critic giving the value.
type agent struct {
	actor, critic *nn.MLP[float32]
	logStd        *nn.Param[float32] // [actDim], nil for discrete actions
	obsDim        int
	outDim        int // logits (discrete) or action dimensions (box)
	discrete      bool
}

// newAgent builds an agent initialized as CleanRL's, drawing the weights
// from rng.
func newAgent(rng *rand.Rand, obsDim, outDim int, discrete bool, hidden []int, initLogStd float64) *agent {
	sizes := append(append([]int{obsDim}, hidden...), 0)
	sizes[len(sizes)-1] = outDim
	a := &agent{obsDim: obsDim, outDim: outDim, discrete: discrete}
	a.actor = nn.NewMLP[float32](rng, actorName, sizes, nn.Tanh, nn.Identity)
	sizes[len(sizes)-1] = 1
	a.critic = nn.NewMLP[float32](rng, criticName, sizes, nn.Tanh, nn.Identity)
	// The weights NewMLP drew are replaced by CleanRL's initialization.
	for _, m := range []struct {
		mlp  *nn.MLP[float32]
		head float64
	}{{a.actor, policyGain}, {a.critic, valueGain}} {
		for i, l := range m.mlp.Layers {
			gain := hiddenGain
			if i == len(m.mlp.Layers)-1 {
				gain = m.head
			}
			orthogonal(rng, l.W, gain)
			l.B.Fill(0)
		}
	}
	if !discrete {
		a.logStd = nn.NewParam[float32](logStdName, outDim)
		a.logStd.Fill(initLogStd)
	}
	return a
}

// params returns every parameter: the actor's, the log std (boxes), the
// critic's.
func (a *agent) params() []*nn.Param[float32] {
	ps := a.actor.Params()
	if a.logStd != nil {
		ps = append(ps, a.logStd)
	}
	return append(ps, a.critic.Params()...)
}

// orthogonal sets the weight p, of shape [in, out], to gain times a random
// semi-orthogonal matrix — orthonormal columns when in ≥ out, orthonormal
// rows otherwise — drawn as PyTorch's orthogonal_ draws it: the Q of the QR
// decomposition of a standard Gaussian matrix, with the signs that make
// R's diagonal positive (modified Gram-Schmidt gives exactly that Q).
func orthogonal(rng *rand.Rand, p *nn.Param[float32], gain float64) {
	sh := p.Shape()
	if len(sh) != 2 {
		panic(fmt.Sprintf("ppo: orthogonal init of %s of shape %v", p.Name, sh))
	}
	in, out := sh[0], sh[1]
	m, k := max(in, out), min(in, out)
	// q holds k columns of length m, column-major.
	q := make([]float64, m*k)
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	for c := range k {
		col := q[c*m : c*m+m]
		for prev := range c {
			pc := q[prev*m : prev*m+m]
			var dot float64
			for r := range m {
				dot += pc[r] * col[r]
			}
			for r := range m {
				col[r] -= dot * pc[r]
			}
		}
		var norm float64
		for _, v := range col {
			norm += v * v
		}
		norm = math.Sqrt(norm)
		for r := range col {
			col[r] /= norm
		}
	}
	for i := range in {
		for j := range out {
			var v float64
			if in >= out {
				v = q[j*m+i] // column j of q is column j of W
			} else {
				v = q[i*m+j] // column i of q is row i of W
			}
			p.Data[i*out+j] = float32(gain * v)
		}
	}
}
