package irl

// The Fisher information, exactly. The objective's Hessian is −(1/N)·Σ_i
// ∇²V_0(s_0^i), and the soft Bellman equation differentiates twice into
//
//	∇²V_t(s) = Cov_{a∼π_t(·|s)}[G_t(s, a)] + Σ_a π_t(a|s) Σ_{s'} p(s'|s, a)·∇²V_{t+1}(s'),
//
// with G_t(s, a) = ∇Q_t(s, a) = Σ_{s'} p(s'|s, a)·(φ(s') + F_{t+1}(s')) the
// expected feature counts after taking a (F_{t+1} = ∇V_{t+1}, zero after a
// terminal outcome and at the horizon) and F_t(s) = Σ_a π_t(a|s)·G_t(s, a).
// Unrolled from the start states, the Fisher information is
//
//	Σ_t Σ_s P_t(s)·Cov_{a∼π_t(·|s)}[G_t(s, a)] / N,
//
// P_t the expected number of episodes still running in s at step t: a
// backward pass for F, a forward one for P and the covariances, exact for
// any transitions (on deterministic ones it is the covariance of the
// feature counts over whole episodes). It costs about one evaluation of
// the objective for a dozen features.

// fisherLevel adds the level's Σ_t Σ_s P_t(s)·Cov[G_t(s, ·)] at w to acc
// (K×K, row-major).
func (e *evaluator) fisherLevel(ls *levelSet, w []float64, acc []float64) error {
	env := e.p.Envs[ls.env]
	nS, nA, nF, h := ls.table.NumStates(), ls.table.NumActions(), e.nF, e.h
	tbl, err := ls.table.WithFeatureRewards(env.Features, w)
	if err != nil {
		return err
	}
	_, _, pol, err := backward(tbl, h, false)
	if err != nil {
		return err
	}
	size := nS * nA
	phi := env.Features
	// gain writes G_t(s, a) for every a into g (nA×nF), from next = F_{t+1}
	// (nil at the horizon).
	gain := func(g []float64, s int, next []float64) {
		clear(g)
		for a := range nA {
			ga := g[a*nF : (a+1)*nF]
			for _, o := range tbl.Transitions(s, a) {
				for k, x := range phi[o.Next*nF : (o.Next+1)*nF] {
					ga[k] += o.Prob * x
				}
				if o.Terminal || next == nil {
					continue
				}
				for k, x := range next[o.Next*nF : (o.Next+1)*nF] {
					ga[k] += o.Prob * x
				}
			}
		}
	}
	// Backward: F_t for t = h−1 … 0 (fs[t]; fs[h] = nil, zero).
	fs := make([][]float64, h+1)
	g := make([]float64, nA*nF)
	for t := h - 1; t >= 0; t-- {
		f := make([]float64, nS*nF)
		pi := pol[t*size : (t+1)*size]
		for s := range nS {
			gain(g, s, fs[t+1])
			fsk := f[s*nF : (s+1)*nF]
			for a, p := range pi[s*nA : (s+1)*nA] {
				for k, x := range g[a*nF : (a+1)*nF] {
					fsk[k] += p * x
				}
			}
		}
		fs[t] = f
	}
	// Forward: P_t and the covariances.
	live := ls.table.Start()
	for s := range live {
		live[s] *= ls.count
	}
	next := make([]float64, nS)
	dev := make([]float64, nF)
	for t := range h {
		pi := pol[t*size : (t+1)*size]
		clear(next)
		for s, m := range live {
			if m == 0 {
				continue
			}
			gain(g, s, fs[t+1])
			mean := fs[t][s*nF : (s+1)*nF]
			for a, p := range pi[s*nA : (s+1)*nA] {
				if p == 0 {
					continue
				}
				wp := m * p
				for k := range nF {
					dev[k] = g[a*nF+k] - mean[k]
				}
				for j, dj := range dev {
					if dj == 0 {
						continue
					}
					row := acc[j*nF : (j+1)*nF]
					for k := j; k < nF; k++ {
						row[k] += wp * dj * dev[k]
					}
				}
				for _, o := range tbl.Transitions(s, a) {
					if !o.Terminal {
						next[o.Next] += wp * o.Prob
					}
				}
			}
		}
		live, next = next, live
	}
	return nil
}

// fisher is the Fisher information per demonstration of ds at w (K×K,
// row-major, symmetric): the Hessian of the negative mean dual, the prior
// excluded.
func (e *evaluator) fisher(ds *demoSet, w []float64, workers int) ([]float64, error) {
	nF := e.nF
	accs := make([][]float64, len(ds.levels))
	err := parallel(len(ds.levels), workers, func(i int) error {
		accs[i] = make([]float64, nF*nF)
		return e.fisherLevel(&ds.levels[i], w, accs[i])
	})
	if err != nil {
		return nil, err
	}
	f := make([]float64, nF*nF)
	for _, a := range accs {
		for i, x := range a {
			f[i] += x
		}
	}
	for j := range nF {
		for k := j; k < nF; k++ {
			f[j*nF+k] /= ds.n
			f[k*nF+j] = f[j*nF+k]
		}
	}
	return f, nil
}
