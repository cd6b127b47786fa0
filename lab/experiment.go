package lab

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"

	"argmax"
	"argmax/lab/cache"
)

// Scale selects the parameter defaults of a run: Quick for minutes on a
// laptop, Full for research scale.
type Scale string

// The two scales.
const (
	Quick Scale = "quick"
	Full  Scale = "full"
)

// ParseScale checks a scale name.
func ParseScale(s string) (Scale, error) {
	switch Scale(s) {
	case Quick, Full:
		return Scale(s), nil
	}
	return "", fmt.Errorf("scale %q: want quick or full", s)
}

// Experiment is a named, parameterized measurement. Each trial runs Run once
// for one parameter point and one seed; Run records its metrics on the
// Trial. Run must be deterministic given the trial's parameters and seed
// (timings excepted, which it records with Trial.Timing), must not keep
// state between trials, and should return ctx.Err() promptly when ctx is
// cancelled.
type Experiment struct {
	Name    string  // registry name: lower case, digits, '-', '/', '.'
	Doc     string  // one paragraph: what is measured and why
	Version int     // bump when results change meaning: trials of older versions are not reused
	Params  []Param // the typed parameters, in display order
	Seeds   [2]int  // default number of seeds at quick and full scale (0 means 5)
	Run     func(ctx context.Context, t *Trial) error
}

// DefaultSeeds returns the default seed count at scale s.
func (e *Experiment) DefaultSeeds(s Scale) int {
	i := 0
	if s == Full {
		i = 1
	}
	if e.Seeds[i] > 0 {
		return e.Seeds[i]
	}
	if i == 1 && e.Seeds[0] > 0 {
		return e.Seeds[0]
	}
	return 5
}

// Param returns the declared parameter called name, or nil.
func (e *Experiment) Param(name string) *Param {
	for i := range e.Params {
		if e.Params[i].Name == name {
			return &e.Params[i]
		}
	}
	return nil
}

// ParamNames returns the declared parameter names in sorted order.
func (e *Experiment) ParamNames() []string {
	names := make([]string, len(e.Params))
	for i, p := range e.Params {
		names[i] = p.Name
	}
	sort.Strings(names)
	return names
}

// Defaults returns the parameter point made of every default at scale s.
func (e *Experiment) Defaults(s Scale) Params {
	p := make(Params, len(e.Params))
	for i := range e.Params {
		v, err := normalize(e.Params[i].Kind, e.Params[i].Default(s))
		if err != nil {
			panic(fmt.Sprintf("lab: experiment %s: parameter %s: default: %v", e.Name, e.Params[i].Name, err))
		}
		p[e.Params[i].Name] = v
	}
	return p
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_./-]*$`)

// check validates the declaration itself: a bad declaration is a bug in
// the program, reported when it is registered.
func (e *Experiment) check() error {
	if !nameRE.MatchString(e.Name) {
		return fmt.Errorf("experiment name %q: want lower-case letters, digits, '_', '.', '/', '-'", e.Name)
	}
	if e.Run == nil {
		return fmt.Errorf("experiment %s: Run is nil", e.Name)
	}
	seen := map[string]bool{}
	for i := range e.Params {
		p := &e.Params[i]
		if !nameRE.MatchString(p.Name) {
			return fmt.Errorf("experiment %s: parameter name %q is not valid", e.Name, p.Name)
		}
		if seen[p.Name] {
			return fmt.Errorf("experiment %s: parameter %s declared twice", e.Name, p.Name)
		}
		seen[p.Name] = true
		for _, s := range []Scale{Quick, Full} {
			v, err := normalize(p.Kind, p.Default(s))
			if err != nil {
				return fmt.Errorf("experiment %s: parameter %s: %s default: %v", e.Name, p.Name, s, err)
			}
			if err := p.validate(v); err != nil {
				return fmt.Errorf("experiment %s: parameter %s: %s default: %v", e.Name, p.Name, s, err)
			}
		}
	}
	return nil
}

// Registry maps experiment names to experiments. The zero value is empty
// and ready to use; it is safe for concurrent use.
type Registry struct {
	mu  sync.RWMutex
	exp map[string]*Experiment
}

// Default is the registry that Register fills and that the argmax command
// reads; lab/claims registers the claim suite in it.
var Default = &Registry{}

// Register adds e to the Default registry. It panics on an invalid
// declaration or a duplicate name, both programming errors.
func Register(e Experiment) { Default.Register(e) }

// Register adds e to r; see the package-level Register.
func (r *Registry) Register(e Experiment) {
	if err := e.check(); err != nil {
		panic("lab: " + err.Error())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.exp == nil {
		r.exp = map[string]*Experiment{}
	}
	if _, dup := r.exp[e.Name]; dup {
		panic("lab: experiment " + e.Name + " registered twice")
	}
	r.exp[e.Name] = &e
}

// Lookup returns the experiment called name.
func (r *Registry) Lookup(name string) (*Experiment, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.exp[name]
	return e, ok
}

// Names returns the registered names in sorted order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.exp))
	for n := range r.exp {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Metric is one recorded figure of a trial. Decider and Role say which
// decider the figure measures (its spec, e.g. "mcts:sims=64") and its role
// in the taxonomy; both are empty for figures of the trial as a whole. Step
// orders figures recorded over time (training steps, budgets); Timing marks
// figures measured in wall-clock time, which differ from run to run and are
// kept apart from the reproducible ones.
type Metric struct {
	Name    string
	Decider string
	Role    argmax.Role
	Step    int64
	Value   float64
	Timing  bool
}

// Artefact names a file a trial produced (a checkpoint, a log).
type Artefact struct {
	Name string
	Path string
}

// Trial is one run of an experiment: one parameter point and one seed. The
// experiment reads its parameters and seed and records metrics on it.
type Trial struct {
	Experiment string
	Params     Params
	SeedIndex  int    // 0..seeds-1
	Seed       uint64 // derived from (spec seed, experiment, point, seed index)
	Scale      Scale
	SpecSeed   uint64 // the seed of the spec the trial belongs to
	Key        string // unique identity of the trial in the store

	exp       *Experiment
	dir       string
	cache     *cache.Cache
	began     time.Time
	finished  time.Time // set by Adopt: when the trial finished where it ran
	paramErr  error     // the first error of a parameter getter
	mu        sync.Mutex
	metrics   []Metric
	artefacts []Artefact
}

// NewTrial makes a trial for experiment e at point p (complete and
// validated) with seed index i under spec seed specSeed. It is what the
// runner does for each trial; programs and tests may call it to run an
// experiment directly.
func NewTrial(e *Experiment, p Params, s Scale, specSeed uint64, i int) *Trial {
	point := p.Canonical()
	h := sha256.New()
	fmt.Fprintf(h, "argmax-trial\x00%s\x00%d\x00%s\x00%d\x00%d", e.Name, e.Version, point, specSeed, i)
	sum := h.Sum(nil)
	return &Trial{
		Experiment: e.Name,
		Params:     p,
		SeedIndex:  i,
		Seed:       binary.LittleEndian.Uint64(sum[16:24]),
		Scale:      s,
		SpecSeed:   specSeed,
		Key:        hex.EncodeToString(sum[:16]),
		exp:        e,
	}
}

// getter reads a parameter through get, recording the first error.
func getter[T any](t *Trial, get func(Params, string) (T, error), name string) T {
	v, err := get(t.Params, name)
	if err != nil {
		t.mu.Lock()
		if t.paramErr == nil {
			t.paramErr = fmt.Errorf("experiment %s: %w", t.Experiment, err)
		}
		t.mu.Unlock()
	}
	return v
}

// Int returns the trial's Int parameter name. A name the experiment did not
// declare, or of another kind, returns 0 and fails the trial with an error
// naming it when Run returns; the same holds for the other getters.
func (t *Trial) Int(name string) int { return getter(t, Params.Int, name) }

// Float returns the trial's Float parameter name.
func (t *Trial) Float(name string) float64 { return getter(t, Params.Float, name) }

// Text returns the trial's String parameter name (String is taken: it
// describes the trial).
func (t *Trial) Text(name string) string { return getter(t, Params.String, name) }

// Bool returns the trial's Bool parameter name.
func (t *Trial) Bool(name string) bool { return getter(t, Params.Bool, name) }

// Ints returns the trial's Ints parameter name.
func (t *Trial) Ints(name string) []int { return getter(t, Params.Ints, name) }

// Floats returns the trial's Floats parameter name.
func (t *Trial) Floats(name string) []float64 { return getter(t, Params.Floats, name) }

// Strings returns the trial's Strings parameter name.
func (t *Trial) Strings(name string) []string { return getter(t, Params.Strings, name) }

// ParamErr returns the first error of a parameter getter, if any.
func (t *Trial) ParamErr() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.paramErr
}

// Rand returns a new PCG generator seeded from the trial seed and stream;
// different streams give independent generators.
func (t *Trial) Rand(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(t.Seed, stream^0x9e3779b97f4a7c15))
}

// CommonRand returns a PCG generator that depends only on the spec seed,
// the experiment, the seed index and stream — not on the parameter point.
// Every point of a sweep then draws the same positions or data at a given
// seed index (common random numbers), so differences between points are
// not blurred by different samples.
func (t *Trial) CommonRand(stream uint64) *rand.Rand {
	h := sha256.New()
	fmt.Fprintf(h, "argmax-common\x00%s\x00%d\x00%d", t.Experiment, t.SpecSeed, t.SeedIndex)
	sum := h.Sum(nil)
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])^stream))
}

// Record records a reproducible figure at step 0.
func (t *Trial) Record(name string, value float64) { t.RecordAt(name, 0, value) }

// RecordAt records a reproducible figure at a step (time, budget, data size).
// Recording the same name and step again replaces the value.
func (t *Trial) RecordAt(name string, step int64, value float64) {
	t.add(Metric{Name: name, Step: step, Value: value})
}

// RecordFor records a reproducible figure of one decider at a step: the
// decider and its role are dimensions of the figure, not part of its name.
func (t *Trial) RecordFor(decider string, role argmax.Role, name string, step int64, value float64) {
	t.add(Metric{Name: name, Decider: decider, Role: role, Step: step, Value: value})
}

// TimingFor records a wall-clock figure of one decider at a step.
func (t *Trial) TimingFor(decider string, role argmax.Role, name string, step int64, value float64) {
	t.add(Metric{Name: name, Decider: decider, Role: role, Step: step, Value: value, Timing: true})
}

// Timing records a wall-clock figure (seconds, rates): kept apart from
// reproducible figures because it changes from run to run.
func (t *Trial) Timing(name string, value float64) {
	t.add(Metric{Name: name, Value: value, Timing: true})
}

// TimingAt records a wall-clock figure at a step.
func (t *Trial) TimingAt(name string, step int64, value float64) {
	t.add(Metric{Name: name, Step: step, Value: value, Timing: true})
}

// Since is a convenience for Timing(name, seconds since start).
func (t *Trial) Since(name string, start time.Time) {
	t.Timing(name, time.Since(start).Seconds())
}

func (t *Trial) add(m Metric) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range t.metrics {
		if t.metrics[i].Name == m.Name && t.metrics[i].Decider == m.Decider && t.metrics[i].Step == m.Step {
			t.metrics[i] = m
			return
		}
	}
	t.metrics = append(t.metrics, m)
}

// Metrics returns the figures recorded so far.
func (t *Trial) Metrics() []Metric {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Metric(nil), t.metrics...)
}

// Value returns the trial-wide figure recorded under name at step, and
// whether there is one.
func (t *Trial) Value(name string, step int64) (float64, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range t.metrics {
		if m.Name == name && m.Decider == "" && m.Step == step {
			return m.Value, true
		}
	}
	return 0, false
}

// ArtefactPath returns a path in the trial's own artefact directory for a
// file called name, creating the directory, and records it as an artefact.
// With no artefact directory configured it uses a temporary directory.
func (t *Trial) ArtefactPath(name string) (string, error) {
	dir := t.dir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "argmax-artefacts")
	}
	dir = filepath.Join(dir, t.Experiment, t.Key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	p := filepath.Join(dir, name)
	t.mu.Lock()
	t.artefacts = append(t.artefacts, Artefact{Name: name, Path: p})
	t.mu.Unlock()
	return p, nil
}

// Cache returns the run's cache of shared artefacts (trained nets, labelled
// data): an artefact made by one trial is reused by every other that asks
// for the same key, in this run and the next. Trials run outside a Runner
// get a cache in a temporary folder.
func (t *Trial) Cache() (*cache.Cache, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cache == nil {
		c, err := cache.New(filepath.Join(os.TempDir(), "argmax-cache"))
		if err != nil {
			return nil, err
		}
		t.cache = c
	}
	return t.cache, nil
}

// Artefacts returns the artefacts recorded so far.
func (t *Trial) Artefacts() []Artefact {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Artefact(nil), t.artefacts...)
}

// String describes the trial for logs: experiment, point and seed index.
func (t *Trial) String() string {
	return t.Experiment + " " + t.Params.Canonical() + " seed#" + strconv.Itoa(t.SeedIndex)
}
