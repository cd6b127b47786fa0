package cli

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/nats-io/nats.go"

	"argmax/lab"
	"argmax/lab/dist"
	"argmax/lab/store"
)

// TestDistFlagErrors checks the errors of the distributed-run flags.
func TestDistFlagErrors(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "pi.yaml")
	os.WriteFile(spec, []byte("name: pi\nseed: 1\nexperiments:\n  - name: mc-pi\n    seeds: 2\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"worker"}, "--nats URL is required"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "--slots", "-2"}, "--slots -2"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "--selfplay", "--slots", "2"}, "one job at a time"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1"}, "connect to NATS at nats://127.0.0.1:1"},
		{[]string{"run", spec, "--out", dir, "--nats", "nats://127.0.0.1:1", "--replicas", "9"}, "--replicas 9"},
		{[]string{"run", spec, "--out", dir, "--nats", "nats://127.0.0.1:1"}, "--nats: dist: connect to NATS"},
		{[]string{"run", spec, "--out", dir, "--queue", "a.b"}, `queue name "a.b"`},
	} {
		_, err := execute(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("argmax %s: error %v, want it to say %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}

// withServer starts an embedded NATS server in dir with one client
// running run until the test ends, and returns the server.
func withServer(t *testing.T, dir string, run func(context.Context, *nats.Conn)) *dist.Server {
	t.Helper()
	srv, err := dist.StartServer(dist.ServerConfig{Dir: filepath.Join(dir, "nats")})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := srv.Connect()
	if err != nil {
		srv.Shutdown()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { run(ctx, nc) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		nc.Close()
		srv.Shutdown()
	})
	return srv
}

// TestRunOnExternalServer runs a spec with --nats against a server with a
// worker of its own, and with --nats off, and gets the same figures.
func TestRunOnExternalServer(t *testing.T) {
	dir := t.TempDir()
	srv := withServer(t, dir, func(ctx context.Context, nc *nats.Conn) {
		(&dist.Worker{Conn: nc, Registry: lab.Default, Slots: 2, ArtefactDir: filepath.Join(dir, "artefacts")}).Run(ctx)
	})
	spec := filepath.Join(dir, "pi.yaml")
	os.WriteFile(spec, []byte("name: pi\nseed: 1\nexperiments:\n  - name: mc-pi\n    seeds: 6\n"), 0o644)
	remote, err := execute(t, "run", spec, "--out", filepath.Join(dir, "remote"), "--nats", srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	local, err := execute(t, "run", spec, "--out", filepath.Join(dir, "local"), "--nats", "off")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(remote, "6 run now") || !strings.Contains(local, "6 run now") {
		t.Fatalf("through the server:\n%s\nin process:\n%s", remote, local)
	}
	figures := func(sub string) map[string]float64 {
		st, err := store.Open(filepath.Join(dir, sub, "results.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		trials, err := st.Trials(context.Background(), store.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, tr := range trials {
			for _, m := range tr.Metrics {
				if !m.Timing {
					out[fmt.Sprintf("%s %s %d", tr.Key, m.Name, m.Step)] = m.Value
				}
			}
		}
		return out
	}
	if r, l := figures("remote"), figures("local"); len(r) == 0 || !maps.Equal(r, l) {
		t.Errorf("figures through the server %v, in process %v", r, l)
	}
}

// TestTrainOnActors trains tic-tac-toe with --nats: the games are played
// by a self-play actor through the server.
func TestTrainOnActors(t *testing.T) {
	dir := t.TempDir()
	srv := withServer(t, dir, func(ctx context.Context, nc *nats.Conn) { (&dist.Actor{Conn: nc}).Run(ctx) })
	out, err := runRoot("train", "alphazero", "--game", "tictactoe", "--iterations", "2", "--games", "8", "--parallel", "4", "--size", "tiny",
		"--sims", "8", "--eval-games", "0", "--nats", srv.URL(), "--out", filepath.Join(dir, "train"))
	if err != nil {
		t.Fatal(err, out)
	}
	if !strings.Contains(out, "iter 2 ") || !strings.Contains(out, "games 16 ") || !strings.Contains(out, "self-play on actors") {
		t.Errorf("output:\n%s", out)
	}
}
