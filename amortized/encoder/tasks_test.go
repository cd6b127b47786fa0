package encoder

import (
	"argmax/task"
	"argmax/task/tasktest"
)

// quad is the shared quadratic test task (task/tasktest).
type quad = tasktest.Quad

func newQuad(dx, dy int, seed uint64) quad { return tasktest.NewQuad(dx, dy, seed) }

// opaque hides every method of a task beyond task.Task (Exact,
// HessianVector).
type opaque struct{ task.Task }
