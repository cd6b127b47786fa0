// Package lab is where argmax's claims become measurements: the machinery
// every experiment runs on, between the optimizers (direct/, amortized/,
// hybrid/) and the faces (cli and cmd/argmax, web/).
//
// An Experiment is Go code registered by name (Register) with typed
// parameters (Param: kinds, ranges, choices, checks, defaults per Scale).
// A Spec, read from YAML (ParseSpec), picks experiments, fixed parameter
// values, grid sweeps, seeds and scale; it is validated completely before
// anything runs, and every problem is reported with its file, line, field
// and reason (SpecErrors). Spec.Plan expands it into Trials — one parameter
// point × one seed index — each seeded deterministically from (spec seed,
// experiment, point, seed index).
//
// A Runner runs the trials in parallel over the cores, shows progress (a
// bar with rate and ETA on a terminal, slog lines otherwise), stops cleanly
// when its context is cancelled, and stores each finished trial in one
// transaction of the SQLite store (lab/store); trials already done are
// skipped, so an interrupted run resumes. Results are read back with
// LoadResults, summarized with CI, GeoCI and the helpers of lab/stats, and
// rendered as a self-contained HTML report (lab/report, SpecReport).
//
// Figures are of two kinds: reproducible ones (Trial.Record: counts,
// shares, anything computed from the seed) and timings (Trial.Timing: wall
// clock), kept apart because they change from run to run.
//
// The claim suite of `argmax table` lives in lab/claims; MonteCarloPi is a
// built-in experiment with a known answer.
package lab
