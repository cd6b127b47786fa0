package supervised

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"argmax"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

// cpuTime returns the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage returns the first field of /proc/loadavg, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

// labelExamples reads label files (calibration format) as examples, the
// first limit[i] positions of file i (all when limit is 0).
func labelExamples(t testing.TB, paths []string, limits []int) []Example {
	var out []Example
	for i, path := range paths {
		ps, err := readLabels(path)
		if err != nil {
			t.Fatal(err)
		}
		if i < len(limits) && limits[i] > 0 && limits[i] < len(ps) {
			ps = ps[:limits[i]]
		}
		for _, p := range ps {
			out = append(out, positionExample(p))
		}
	}
	return out
}

// report is what an experiment measured.
type report struct {
	Middle, MiddleStrict       float64
	End, EndStrict             float64
	Beginning, BeginningStrict float64
	Dev, DevStrict             float64 // on held-out labelled positions
	DevPositions               int
	WinTake                    float64 // share of calibration positions with an immediate win where the net takes one
	WinPositions               int
	Wall, CPU                  time.Duration
	Load                       string
	Steps                      int64
	Examples                   int
	FLOPsPerInput              int64
}

func (r report) String() string {
	return fmt.Sprintf("dev %.2f%% (strict %.2f%%) of %d  middle %.2f%% (strict %.2f%%)  end %.2f%% (%.2f%%)  beginning %.2f%% (%.2f%%)  win-take %.2f%% of %d  train wall %v cpu %v (load %s)  steps %d  labels %d  FLOPs/forward %d",
		100*r.Dev, 100*r.DevStrict, r.DevPositions, 100*r.Middle, 100*r.MiddleStrict, 100*r.End, 100*r.EndStrict, 100*r.Beginning, 100*r.BeginningStrict,
		100*r.WinTake, r.WinPositions, r.Wall.Round(time.Second), r.CPU.Round(time.Second), r.Load, r.Steps, r.Examples, r.FLOPsPerInput)
}

// winTake returns the share of calibration positions with an immediate
// win in which p plays a winning move.
func winTake(p *Policy) (float64, int) {
	var n, took int
	for _, pos := range calibration.All() {
		s, _ := connect4.Parse(pos.Moves)
		has := false
		for c := 0; c < connect4.Width; c++ {
			if s.CanPlay(c) && s.IsWinningMove(c) {
				has = true
			}
		}
		if !has {
			continue
		}
		n++
		a, _, err := p.Decide(context.Background(), s, argmax.Budget{})
		if err == nil && s.IsWinningMove(int(a)) {
			took++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(took) / float64(n), n
}

// scoreCalibration fills the accuracy figures of r.
func scoreCalibration(p *Policy, r *report) {
	r.Middle, r.MiddleStrict = p.Accuracy(calibrationExamples(calibration.Middle))
	r.End, r.EndStrict = p.Accuracy(calibrationExamples(calibration.End))
	r.Beginning, r.BeginningStrict = p.Accuracy(calibrationExamples(calibration.Beginning))
	r.WinTake, r.WinPositions = winTake(p)
	r.FLOPsPerInput = p.FLOPsPerInput()
}

// runExperiment trains on examples with cfg and scores the net on the
// calibration file.
func runExperiment(t testing.TB, examples []Example, cfg Config, verbose bool) (*Policy, report) {
	if verbose {
		cfg.Progress = func(p Progress) { t.Log(p) }
	}
	load := loadAverage()
	c0, w0 := cpuTime(), time.Now()
	p, err := Train(context.Background(), connect4.Game{}, examples, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := report{Wall: time.Since(w0), CPU: cpuTime() - c0, Load: load + "→" + loadAverage(),
		Steps: p.TrainingCost().Iterations, Examples: len(examples)}
	scoreCalibration(p, &r)
	return p, r
}

// TestExperiment trains a net on label files and scores it on the
// calibration positions (held out: the label generator excludes them and
// their mirror images), when SUPERVISED_DATA lists label files:
//
//	SUPERVISED_DATA=/tmp/sup/me.txt,/tmp/sup/beg.txt SUPERVISED_LIMITS=60000,2000 \
//	SUPERVISED_CONFIG='{"Steps":1000}' SUPERVISED_SAVE=/tmp/net.safetensors \
//	  GOMAXPROCS=2 go test ./amortized/supervised -run TestExperiment -v -timeout 0
//
// SUPERVISED_CONFIG is JSON merged over DefaultConfig.
func TestExperiment(t *testing.T) {
	files := os.Getenv("SUPERVISED_DATA")
	if files == "" {
		t.Skip("SUPERVISED_DATA not set")
	}
	var limits []int
	if l := os.Getenv("SUPERVISED_LIMITS"); l != "" {
		for _, f := range strings.Split(l, ",") {
			var n int
			fmt.Sscan(f, &n)
			limits = append(limits, n)
		}
	}
	examples := labelExamples(t, strings.Split(files, ","), limits)
	cfg := DefaultConfig
	if c := os.Getenv("SUPERVISED_CONFIG"); c != "" {
		if err := json.Unmarshal([]byte(c), &cfg); err != nil {
			t.Fatalf("SUPERVISED_CONFIG: %v", err)
		}
	}
	t.Logf("config %+v", cfg)
	p, r := runExperiment(t, examples, cfg, true)
	if dev := os.Getenv("SUPERVISED_DEV"); dev != "" {
		// path:from:count, positions of a label file the training does not use
		var from, count int
		parts := strings.Split(dev, ":")
		if len(parts) != 3 {
			t.Fatalf("SUPERVISED_DEV %q: want path:from:count", dev)
		}
		fmt.Sscan(parts[1], &from)
		fmt.Sscan(parts[2], &count)
		ps, err := readLabels(parts[0])
		if err != nil {
			t.Fatal(err)
		}
		var ex []Example
		for _, q := range ps[from:min(from+count, len(ps))] {
			ex = append(ex, positionExample(q))
		}
		r.Dev, r.DevStrict = p.Accuracy(ex)
		r.DevPositions = len(ex)
	}
	t.Log(r)
	if path := os.Getenv("SUPERVISED_SAVE"); path != "" {
		if err := p.Save(path); err != nil {
			t.Fatal(err)
		}
	}
}
