package lab

import (
	"context"
	"errors"
)

// Session is one run of a spec from start to results: it plans the
// trials, runs those not yet in the store (through the Runner's Executor),
// and loads the stored results. `argmax table`, `argmax run` and the
// dashboard all go through it, so they plan, resume and read alike.
type Session struct {
	Runner
	Spec *Spec
}

// Run runs the session's spec and returns what the run did and the
// results of every planned trial that is done, including those of earlier
// runs. An interrupted run (ErrInterrupted) or failed trials still return
// the results there are, with the error.
func (s *Session) Run(ctx context.Context) (Summary, *Results, error) {
	if s.Spec == nil {
		return Summary{}, nil, errors.New("lab: session has no spec")
	}
	sum, runErr := s.RunSpec(ctx, s.Spec)
	if sum.Planned == 0 && runErr != nil {
		return sum, nil, runErr
	}
	res, err := LoadResults(context.WithoutCancel(ctx), s.Store, s.Spec.Plan())
	if err != nil {
		return sum, nil, err
	}
	return sum, res, runErr
}
