package encoder

import (
	"errors"
	"fmt"
	"math"

	"argmax/nn"
)

// Loss is what training minimizes.
type Loss int

// The losses.
const (
	// ObjectiveLoss is the mean of f(ŷ(x); x) over training contexts.
	ObjectiveLoss Loss = iota
	// RegressionLoss is the mean squared error between ŷ(x) and the
	// exact solution y*(x); the task must implement task.Exact.
	RegressionLoss
)

// String returns "objective" or "regression".
func (l Loss) String() string {
	switch l {
	case ObjectiveLoss:
		return "objective"
	case RegressionLoss:
		return "regression"
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

// ParseLoss reads "objective" or "regression".
func ParseLoss(name string) (Loss, error) {
	switch name {
	case "objective":
		return ObjectiveLoss, nil
	case "regression":
		return RegressionLoss, nil
	}
	return 0, fmt.Errorf("encoder: loss %q: want objective or regression", name)
}

// Defaults applied to zero fields of a Config.
const (
	DefaultSteps      = 2000
	DefaultBatch      = 64
	DefaultLR         = 1e-3
	DefaultContexts   = 4096
	DefaultEval       = 256
	DefaultActivation = "relu"
	curvePoints       = 20 // curve points when EvalEvery is 0
)

// DefaultHidden is the hidden layer widths when Config.Hidden is nil.
var DefaultHidden = []int{64, 64}

// Config sets up an encoder and its training. Zero fields take the
// defaults documented on them.
type Config struct {
	// Hidden is the widths of the hidden layers; nil means DefaultHidden,
	// an empty non-nil slice a linear map.
	Hidden []int `json:"hidden"`
	// Activation of the hidden layers: "relu", "tanh", "gelu", "sigmoid"
	// or "identity"; "" means DefaultActivation. The output is linear.
	Activation string `json:"activation"`
	// Loss is ObjectiveLoss (the default) or RegressionLoss.
	Loss Loss `json:"loss"`
	// Steps is the number of Adam steps; 0 means DefaultSteps.
	Steps int `json:"steps"`
	// Batch is the number of contexts per step, drawn with replacement;
	// 0 means DefaultBatch.
	Batch int `json:"batch"`
	// LR is Adam's initial learning rate, decayed along a half cosine to
	// LR/100 at the last step; 0 means DefaultLR.
	LR float64 `json:"lr"`
	// Contexts is the number of training contexts: indices 0..Contexts-1
	// of the task's Train split with seed Seed; 0 means DefaultContexts.
	Contexts int `json:"contexts"`
	// Eval is the number of contexts the curve averages over: the first
	// Eval training contexts, and Eval held-out ones (HeldOut split,
	// seed Seed); 0 means DefaultEval.
	Eval int `json:"eval"`
	// EvalEvery is the number of steps between curve points; 0 means
	// Steps/20 (at least 1). The curve always has the points of step 0
	// and of the last step.
	EvalEvery int `json:"eval_every"`
	// Seed seeds the initial weights, the batches and the contexts.
	Seed uint64 `json:"seed"`
}

// activations are the names Config.Activation accepts.
var activations = map[string]nn.Act{
	"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU, "sigmoid": nn.Sigmoid, "identity": nn.Identity,
}

// withDefaults checks c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Hidden == nil {
		c.Hidden = DefaultHidden
	}
	c.Hidden = append([]int{}, c.Hidden...)
	for i, h := range c.Hidden {
		if h < 1 {
			bad("Hidden[%d]=%d: want a width ≥ 1", i, h)
		}
	}
	if c.Activation == "" {
		c.Activation = DefaultActivation
	}
	if _, ok := activations[c.Activation]; !ok {
		bad("Activation=%q: want relu, tanh, gelu, sigmoid or identity", c.Activation)
	}
	switch c.Loss {
	case ObjectiveLoss, RegressionLoss:
	default:
		bad("Loss=%d: want ObjectiveLoss or RegressionLoss", int(c.Loss))
	}
	positive := func(name string, v *int, def int) {
		if *v == 0 {
			*v = def
		} else if *v < 0 {
			bad("%s=%d: want ≥ 1", name, *v)
		}
	}
	positive("Steps", &c.Steps, DefaultSteps)
	positive("Batch", &c.Batch, DefaultBatch)
	positive("Contexts", &c.Contexts, DefaultContexts)
	positive("Eval", &c.Eval, DefaultEval)
	positive("EvalEvery", &c.EvalEvery, max(c.Steps/curvePoints, 1))
	if c.LR == 0 {
		c.LR = DefaultLR
	}
	if c.LR < 0 || math.IsNaN(c.LR) || math.IsInf(c.LR, 0) {
		bad("LR=%v: want a finite number > 0", c.LR)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("encoder config: %w", errors.Join(errs...))
	}
	return c, nil
}
