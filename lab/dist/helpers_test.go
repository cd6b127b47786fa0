package dist

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"argmax/lab"
	"argmax/lab/store"
)

// testRegistry holds the experiment of these tests: a trial that sleeps
// and records figures that depend on its seed and point alone.
func testRegistry() *lab.Registry {
	r := &lab.Registry{}
	r.Register(lab.Experiment{
		Name: "dist/work",
		Doc:  "sleeps sleep_ms and records figures of its seed and x",
		Params: []lab.Param{
			{Name: "x", Kind: lab.Int, Quick: 0, Full: 0},
			{Name: "sleep_ms", Kind: lab.Int, Quick: 0, Full: 0},
		},
		Run: func(ctx context.Context, t *lab.Trial) error {
			if os.Getenv(announceEnv) != "" {
				fmt.Printf("run %s\n", t.Key)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(t.Int("sleep_ms")) * time.Millisecond):
			}
			y := float64(t.Seed%1000)/1000 + float64(t.Int("x"))
			t.Record("y", y)
			t.RecordAt("y", 3, 2*y)
			t.Record("nan", math.NaN())
			t.RecordFor("d:k=1", "direct", "score", 1, y/2)
			t.Timing("seconds", 1e-3)
			return nil
		},
	})
	return r
}

// sweep is a sweep of n trials (n/4 points × 4 seeds) of dist/work.
func sweep(n, sleepMS int) (*lab.Spec, error) {
	xs := ""
	for i := range n / 4 {
		if i > 0 {
			xs += ", "
		}
		xs += strconv.Itoa(i)
	}
	src := fmt.Sprintf("name: sweep\nseed: 3\nexperiments:\n  - name: dist/work\n    seeds: 4\n    params: {sleep_ms: %d}\n    grid: {x: [%s]}\n", sleepMS, xs)
	return lab.ParseSpec([]byte(src), "sweep.yaml", testRegistry())
}

func mustSweep(t *testing.T, n, sleepMS int) *lab.Spec {
	t.Helper()
	s, err := sweep(n, sleepMS)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The environment of the helper processes (see TestMain).
const (
	roleEnv     = "ARGMAX_DIST_TEST_ROLE" // worker or coordinator
	urlEnv      = "ARGMAX_DIST_TEST_URL"
	dbEnv       = "ARGMAX_DIST_TEST_DB"
	trialsEnv   = "ARGMAX_DIST_TEST_TRIALS"
	sleepEnv    = "ARGMAX_DIST_TEST_SLEEP_MS"
	announceEnv = "ARGMAX_DIST_TEST_ANNOUNCE" // print "run KEY" as a trial starts
)

// testAckWait is the ack deadline of the tests: a killed worker's trial
// is delivered again this long after its last sign of life.
const testAckWait = time.Second

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	switch os.Getenv(roleEnv) {
	case "":
		os.Exit(m.Run())
	case "worker":
		os.Exit(helperWorker())
	case "coordinator":
		os.Exit(helperCoordinator())
	default:
		fmt.Fprintln(os.Stderr, "unknown role", os.Getenv(roleEnv))
		os.Exit(2)
	}
}

// helperWorker is a worker process: it runs trials until SIGTERM.
func helperWorker() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	nc, err := Dial(os.Getenv(urlEnv), "test worker")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer nc.Close()
	w := &Worker{Conn: nc, Registry: testRegistry(), ArtefactDir: os.TempDir()}
	if err := w.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// helperCoordinator is a coordinator process: it runs the sweep into the
// store and exits 0 when every trial is stored.
func helperCoordinator() int {
	nc, err := Dial(os.Getenv(urlEnv), "test coordinator")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer nc.Close()
	n, _ := strconv.Atoi(os.Getenv(trialsEnv))
	sleep, _ := strconv.Atoi(os.Getenv(sleepEnv))
	st, err := store.Open(os.Getenv(dbEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	s, err := sweep(n, sleep)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	r := &lab.Runner{Store: st, Executor: &Executor{Conn: nc, AckWait: testAckWait}, ArtefactDir: filepath.Join(filepath.Dir(st.Path()), "artefacts")}
	sum, err := r.RunSpec(context.Background(), s)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("ran %d skipped %d\n", sum.Ran, sum.Skipped)
	return 0
}
