package dist

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"argmax/lab"
	"argmax/lab/store"
)

// helper starts this test binary as a helper process in role with the
// extra environment, and stops it (SIGTERM, then SIGKILL) at the end of
// the test.
func helper(t *testing.T, role string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{roleEnv + "=" + role}, env...)...)
	cmd.Stderr = os.Stderr
	return cmd
}

func stop(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// startWorkers starts n worker processes on url; the first one's stdout
// is returned as a channel of the keys of the trials it starts.
func startWorkers(t *testing.T, url string, n int) ([]*exec.Cmd, <-chan string) {
	t.Helper()
	var cmds []*exec.Cmd
	started := make(chan string, 1024)
	for i := range n {
		cmd := helper(t, "worker", urlEnv+"="+url)
		if i == 0 {
			cmd.Env = append(cmd.Env, announceEnv+"=1")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					if k, ok := strings.CutPrefix(sc.Text(), "run "); ok {
						select {
						case started <- k:
						default:
						}
					}
				}
			}()
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		t.Cleanup(func() { stop(cmd) })
	}
	return cmds, started
}

// serverWithWorkers starts an embedded server in a temporary folder and n
// worker processes on it (see startWorkers), all stopped at the end of
// the test, and returns the folder, the server and the workers.
func serverWithWorkers(t *testing.T, n int) (string, *Server, []*exec.Cmd, <-chan string) {
	t.Helper()
	dir := t.TempDir()
	srv, err := StartServer(ServerConfig{Dir: filepath.Join(dir, "nats")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown) // registered first, so it runs after the workers are stopped
	workers, started := startWorkers(t, srv.URL(), n)
	return dir, srv, workers, started
}

// killMidTrial kills worker with SIGKILL just after it starts a trial,
// once at least after trials are stored in st; it returns the key of the
// trial it was running. It runs in its own goroutine, so it reports
// failures with t.Error.
func killMidTrial(t *testing.T, worker *exec.Cmd, started <-chan string, st *store.Store, after int) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if _, n, _ := st.Count(context.Background()); n >= after {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	for {
		select {
		case <-started: // drain what it started before
			continue
		default:
		}
		break
	}
	select {
	case k := <-started:
		if err := worker.Process.Kill(); err != nil {
			t.Error(err)
		}
		worker.Wait()
		return k
	case <-time.After(30 * time.Second):
		t.Error("the worker to kill started no trial")
		return ""
	}
}

// sweepTrials is the size of the process tests' sweeps, and sweepSleep
// the length of each trial.
const (
	sweepTrials = 200
	sweepSleep  = 25
)

// TestWorkerKilledMidTrial runs a sweep on three worker processes and
// kills one with SIGKILL in the middle of a trial: the trial is delivered
// again after the ack deadline and every trial is stored exactly once,
// with the figures of a single-process run.
func TestWorkerKilledMidTrial(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir, srv, workers, started := serverWithWorkers(t, 3)
	nc, err := Dial(srv.URL(), "test coordinator")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	st, err := store.Open(filepath.Join(dir, "results.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := mustSweep(t, sweepTrials, sweepSleep)
	exec := &Executor{Conn: nc, AckWait: testAckWait}
	var killed string
	var wg sync.WaitGroup
	wg.Go(func() { killed = killMidTrial(t, workers[0], started, st, sweepTrials/4) })
	r := &lab.Runner{Store: st, Executor: exec}
	start := time.Now()
	sum, err := r.RunSpec(context.Background(), s)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	stats := exec.Stats()
	t.Logf("%d trials in %v, killed worker 0 running %s; stats %+v", sum.Ran, time.Since(start), killed, stats)
	if sum.Ran != sweepTrials {
		t.Errorf("ran %d trials, want %d", sum.Ran, sweepTrials)
	}
	if stats.Redelivered < 1 {
		t.Errorf("no trial was delivered again after the kill: %+v", stats)
	}
	rows, distinct, err := st.Count(context.Background())
	if err != nil || rows != sweepTrials || distinct != sweepTrials {
		t.Errorf("store holds %d rows, %d distinct done trials (%v), want %d each", rows, distinct, err, sweepTrials)
	}
	sameFigures(t, figures(t, st), singleProcess(t, s))
}

// TestCoordinatorKilledAndRestarted kills the coordinator process with
// SIGKILL in the middle of a sweep and starts it again: the new one picks
// up the queued trials and the results that came in meanwhile, and every
// trial is stored exactly once with the single-process figures.
func TestCoordinatorKilledAndRestarted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir, srv, _, _ := serverWithWorkers(t, 3)
	db := filepath.Join(dir, "results.db")
	env := []string{urlEnv + "=" + srv.URL(), dbEnv + "=" + db, trialsEnv + "=" + strconv.Itoa(sweepTrials), sleepEnv + "=" + strconv.Itoa(sweepSleep)}
	first := helper(t, "coordinator", env...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var before int
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if _, before, _ = st.Count(context.Background()); before >= sweepTrials/3 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	_, atKill, _ := st.Count(context.Background())
	time.Sleep(300 * time.Millisecond) // results keep coming in with no coordinator
	second := helper(t, "coordinator", env...)
	out, err := second.Output()
	if err != nil {
		t.Fatalf("restarted coordinator: %v", err)
	}
	t.Logf("killed with %d trials stored; the restarted coordinator says %q", atKill, strings.TrimSpace(string(out)))
	if atKill >= sweepTrials {
		t.Fatalf("the first coordinator finished before it was killed")
	}
	rows, distinct, err := st.Count(context.Background())
	if err != nil || rows != sweepTrials || distinct != sweepTrials {
		t.Errorf("store holds %d rows, %d distinct done trials (%v), want %d each", rows, distinct, err, sweepTrials)
	}
	sameFigures(t, figures(t, st), singleProcess(t, mustSweep(t, sweepTrials, sweepSleep)))
}
