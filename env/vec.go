package env

import (
	"fmt"
	"runtime"
	"sync"
)

// Vec is a batch of n clones of one env stepped together, the shape that
// amortized learners (PPO, DQN) collect experience in. Its vectors are flat
// and its own: Obs holds n rows of the observation dimension, actions n
// rows of the action dimension, one row per env; they are valid until the
// next Reset or Step.
//
// A Vec resets finished envs itself, in the same step (Gymnasium's
// AutoresetMode.SAME_STEP, as Stable-Baselines3): when env i terminates or
// is truncated, Step's rewards[i], terminated[i] and truncated[i] are those
// of the finished step, but its observation row already holds the first
// observation of env i's next episode; the final observation of the
// finished episode is in FinalObs and its Performance in FinalPerformance.
// Every action the agent sends is thus executed, and no step is a dummy.
//
// Env i's episode k (counted from 0 at Reset) starts from
// EpisodeSeed(seed, i, k), so a Vec's trajectories are a function of the
// Reset seed and the actions alone: bit for bit the same at any number of
// workers, and the same as stepping the clones one by one.
//
// With more than one worker, Reset and Step split the envs into as many
// fixed contiguous chunks, stepped concurrently by long-lived goroutines
// (the caller's goroutine takes the first chunk); Close stops them. A Vec
// is not safe for concurrent use.
type Vec struct {
	c       *vecCore
	cleanup runtime.Cleanup
}

// vecCore is what the worker goroutines see, apart from the Vec, so that
// a Vec dropped without Close can still be collected (its cleanup stops
// them).
type vecCore struct {
	envs           []Env
	obsDim, actDim int
	obs, finalObs  []float64
	rewards, perf  []float64
	term, trunc    []bool
	episodes       []int
	seed           uint64
	started        bool

	// The current job, read by the workers between a start signal and
	// wg.Done.
	resetting bool
	actions   []float64

	bounds []int           // chunk w is envs bounds[w]..bounds[w+1]-1
	start  []chan struct{} // start[w-1] signals worker w; nil when serial
	wg     sync.WaitGroup
	panics []any // a worker's panic, raised again in the caller
}

// NewVec returns a Vec of n clones of e (e itself is left alone), stepped
// by the given number of workers: 1 steps them in the caller's goroutine,
// more (at most n are used) step them in parallel.
func NewVec(e Env, n, workers int) (*Vec, error) {
	if e == nil {
		return nil, errNil("NewVec")
	}
	if n < 1 {
		return nil, fmt.Errorf("env: NewVec: n = %d: want at least 1 env", n)
	}
	if workers < 1 {
		return nil, fmt.Errorf("env: NewVec: workers = %d: want at least 1 worker", workers)
	}
	workers = min(workers, n)
	od, ad := e.ObservationSpace().Dim(), e.ActionSpace().Dim()
	c := &vecCore{
		envs:     make([]Env, n),
		obsDim:   od,
		actDim:   ad,
		obs:      make([]float64, n*od),
		finalObs: make([]float64, n*od),
		rewards:  make([]float64, n),
		perf:     make([]float64, n),
		term:     make([]bool, n),
		trunc:    make([]bool, n),
		episodes: make([]int, n),
		bounds:   make([]int, workers+1),
		panics:   make([]any, workers),
	}
	for i := range c.envs {
		c.envs[i] = e.Clone()
	}
	for w := range c.bounds {
		c.bounds[w] = w * n / workers
	}
	v := &Vec{c: c}
	if workers > 1 {
		c.start = make([]chan struct{}, workers-1)
		for w := range c.start {
			c.start[w] = make(chan struct{}, 1)
			go c.work(w + 1)
		}
		v.cleanup = runtime.AddCleanup(v, stopWorkers, c.start)
	}
	return v, nil
}

// EpisodeSeed is the seed a Vec reset with seed starts env i's episode
// with, episode counting env i's episodes from 0 at Reset. It mixes its
// three arguments so that the seeds of different envs and episodes are
// unrelated.
func EpisodeSeed(seed uint64, i, episode int) uint64 {
	h := mix64(seed ^ 0x7665632e65707369) // "vec.epsi"
	h = mix64(h + uint64(i)*golden + golden)
	return mix64(h ^ (uint64(episode)*golden + 0x5851f42d4c957f2d))
}

// Len is the number of envs.
func (v *Vec) Len() int { return len(v.c.envs) }

// Workers is the number of goroutines that step the envs (the caller's
// included); 1 after Close.
func (v *Vec) Workers() int { return len(v.c.start) + 1 }

// ObservationSpace is the space of one env's observation, one row of Obs.
func (v *Vec) ObservationSpace() Space { return v.c.envs[0].ObservationSpace() }

// ActionSpace is the space of one env's action, one row of Step's actions.
func (v *Vec) ActionSpace() Space { return v.c.envs[0].ActionSpace() }

// Env returns env i, to read its Performance or Clone it for a planner;
// stepping or resetting it directly desynchronizes the Vec.
func (v *Vec) Env(i int) Env { return v.c.envs[i] }

// Reset starts a new episode of every env, env i from EpisodeSeed(seed, i,
// 0), and returns the first observations, n rows. Rewards and flags read 0
// and false until the first Step.
func (v *Vec) Reset(seed uint64) []float64 {
	c := v.c
	c.seed = seed
	clear(c.episodes)
	clear(c.rewards)
	clear(c.perf)
	clear(c.term)
	clear(c.trunc)
	c.resetting = true
	c.dispatch()
	c.started = true
	return c.obs
}

// Step applies actions (n rows of the action dimension, flat) and returns
// the observations (n rows), the rewards and the terminated and truncated
// flags of every env. An env whose episode ended in this step is reset at
// once: its observation row is the first of its next episode, its final
// one is in FinalObs (see Vec).
func (v *Vec) Step(actions []float64) (obs, rewards []float64, terminated, truncated []bool) {
	c := v.c
	if !c.started {
		panic("env: Vec.Step before Reset")
	}
	if len(actions) != len(c.envs)*c.actDim {
		panic(fmt.Sprintf("env: Vec.Step: %d action values, want %d envs × %d",
			len(actions), len(c.envs), c.actDim))
	}
	c.resetting, c.actions = false, actions
	c.dispatch()
	c.actions = nil
	return c.obs, c.rewards, c.term, c.trunc
}

// FinalObs holds, in row i, the last observation of env i's episode when
// that episode ended at the last Step (terminated[i] or truncated[i]);
// other rows hold older values and mean nothing.
func (v *Vec) FinalObs() []float64 { return v.c.finalObs }

// FinalPerformance holds, at i, the Performance of env i's episode when
// that episode ended at the last Step; other values mean nothing. (Env(i)'s
// Performance then already measures the new episode.)
func (v *Vec) FinalPerformance() []float64 { return v.c.perf }

// Close stops the worker goroutines; the Vec keeps working, stepping its
// envs in the caller's goroutine, with the same results. A Vec dropped
// without Close stops them when it is collected.
func (v *Vec) Close() {
	c := v.c
	if c.start == nil {
		return
	}
	v.cleanup.Stop()
	stopWorkers(c.start)
	c.start = nil
	c.bounds = []int{0, len(c.envs)}
	c.panics = c.panics[:1]
}

func stopWorkers(start []chan struct{}) {
	for _, ch := range start {
		close(ch)
	}
}

// work is worker w's loop, which ends when its start channel is closed.
func (c *vecCore) work(w int) {
	for range c.start[w-1] {
		c.run(w)
		c.wg.Done()
	}
}

// dispatch runs the current job on every chunk and waits for them all,
// then raises a worker's panic in the caller.
func (c *vecCore) dispatch() {
	c.wg.Add(len(c.start))
	for _, ch := range c.start {
		ch <- struct{}{}
	}
	c.run(0)
	c.wg.Wait()
	for w, p := range c.panics {
		if p != nil {
			clear(c.panics)
			panic(fmt.Sprintf("env: Vec worker %d: %v", w, p))
		}
	}
}

// run does the current job on chunk w, catching a panic for dispatch.
func (c *vecCore) run(w int) {
	defer func() {
		if p := recover(); p != nil {
			c.panics[w] = p
		}
	}()
	for i := c.bounds[w]; i < c.bounds[w+1]; i++ {
		if c.resetting {
			copy(c.obs[i*c.obsDim:(i+1)*c.obsDim], c.envs[i].Reset(EpisodeSeed(c.seed, i, 0)))
		} else {
			c.step(i)
		}
	}
}

// step steps env i, resetting it when its episode ends.
func (c *vecCore) step(i int) {
	e := c.envs[i]
	obs, r, term, trunc := e.Step(c.actions[i*c.actDim : (i+1)*c.actDim])
	c.rewards[i], c.term[i], c.trunc[i] = r, term, trunc
	if term || trunc {
		copy(c.finalObs[i*c.obsDim:(i+1)*c.obsDim], obs)
		c.perf[i] = e.Performance()
		c.episodes[i]++
		obs = e.Reset(EpisodeSeed(c.seed, i, c.episodes[i]))
	}
	copy(c.obs[i*c.obsDim:(i+1)*c.obsDim], obs)
}
