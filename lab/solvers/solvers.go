// Package solvers names the task families of task/ and the optimizers
// that solve them by text specs, as lab/envs does for environments and
// policies: "sphere", "mixture:d=2,k=8", "gd:lr=auto,iters=200",
// "encoder:loss=regression", "semiamortized:variant=end-to-end,k=5".
//
// A solver is an argmax.Decider from a context x to a solution y of one
// task: direct (gd, adam: per-instance gradient steps), amortized (encoder:
// one forward pass of a net trained over the task's contexts), hybrid
// (semiamortized: the encoder's guess refined by gradient steps) or a
// baseline (init: the task's starting point). The amortized-inference
// claims take their solvers from this registry, so a kind registered here
// with one RegisterSolver call enters them.
package solvers

import (
	"context"
	"fmt"
	"log/slog"

	"argmax"
	"argmax/amortized/encoder"
	"argmax/lab/kv"
	"argmax/task"
)

// Solver answers a task's contexts with solutions.
type Solver = argmax.Decider[[]float64, []float64]

// Refiner is implemented by solvers that refine a first guess by gradient
// steps (the hybrids): Curve is the objective after each of 0..steps steps
// for context x, from which the share of the guess's gap each step closes
// is read.
type Refiner interface {
	Curve(ctx context.Context, x []float64, steps int) ([]float64, error)
}

// Context is what a solver kind may need beyond its spec's keys.
type Context struct {
	Context context.Context
	// Task is the task the solver answers.
	Task task.Task
	// Seed is the default seed of the solvers that take one (a spec's
	// seed= wins): training contexts, initial weights, batches.
	Seed uint64
	// Log, if not nil, receives training progress.
	Log *slog.Logger
	// Encoders, if not nil, keeps the encoders trained in this context
	// by task and configuration, so that solvers configured alike (an
	// encoder and the warm-start hybrid refining it) share one training.
	// Solvers that share an encoder share its tape: use them from one
	// goroutine.
	Encoders map[string]*encoder.Encoder
}

func (c Context) context() context.Context {
	if c.Context == nil {
		return context.Background()
	}
	return c.Context
}

// TaskKind is one task family a spec can name.
type TaskKind struct {
	Name  string
	New   func(a *kv.Args) (task.Task, error)
	Usage string
}

// SolverKind is one kind of solver a spec can name.
type SolverKind struct {
	Name  string
	Role  argmax.Role // how the kind pays for its answers
	New   func(c Context, a *kv.Args) (Solver, error)
	Usage string
}

var (
	tasks   = kv.NewRegistry[TaskKind]("task spec")
	solvers = kv.NewRegistry[SolverKind]("solver spec")
)

// RegisterTask adds a task family. It panics on a duplicate or malformed
// name, or no factory.
func RegisterTask(k TaskKind) {
	if k.New == nil {
		panic("solvers: task kind " + k.Name + " has no factory")
	}
	tasks.Add(k.Name, k.Usage, k)
}

// RegisterSolver adds a solver kind. It panics on a duplicate or
// malformed name, a bad role, or no factory.
func RegisterSolver(k SolverKind) {
	if k.New == nil {
		panic("solvers: solver kind " + k.Name + " has no factory")
	}
	if _, err := argmax.ParseRole(string(k.Role)); err != nil {
		panic("solvers: solver kind " + k.Name + ": " + err.Error())
	}
	solvers.Add(k.Name, k.Usage, k)
}

// TaskKinds and SolverKinds return the registered names, sorted.
func TaskKinds() []string   { return tasks.Names() }
func SolverKinds() []string { return solvers.Names() }

// TaskUsage and SolverUsage describe every kind, one line each.
func TaskUsage() string   { return tasks.Describe() }
func SolverUsage() string { return solvers.Describe() }

// NewTask returns the task a spec describes; the error names the spec and
// what is wrong in it.
func NewTask(spec string) (task.Task, error) {
	return kv.Build(tasks, spec, func(k TaskKind, a *kv.Args) (task.Task, error) { return k.New(a) })
}

// SolverRole returns the role of the kind a solver spec names.
func SolverRole(spec string) (argmax.Role, error) {
	k, _, err := solvers.Lookup(spec)
	return k.Role, err
}

// NewSolver returns the solver a spec describes for c.Task, trained first
// when its kind learns.
func NewSolver(c Context, spec string) (Solver, error) {
	if c.Task == nil {
		return nil, fmt.Errorf("%s %q: no task to solve", solvers.What(), spec)
	}
	return kv.Build(solvers, spec, func(k SolverKind, a *kv.Args) (Solver, error) { return k.New(c, a) })
}
