package alphabeta

import (
	"testing"
	"time"

	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

// benchAnalyze analyzes the positions of one phase of the calibration file,
// b.N positions in all, with one solver whose transposition table persists
// across positions, as when a file is analyzed; the table is emptied
// (outside the timing) at the start of every pass through the file, so no
// position is ever analyzed twice with the same table. It reports
// ms/position (wall time), cpu-ms/position (process CPU time, which does
// not grow when other processes share the cores) and nodes/s.
func benchAnalyze(b *testing.B, ph calibration.Phase) {
	ps := calibration.Of(ph)
	states := make([]*connect4.State, len(ps))
	for i, p := range ps {
		states[i], _ = connect4.Parse(p.Moves)
	}
	s := New()
	var wall, cpu time.Duration
	var nodes int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(ps)
		if k == 0 {
			b.StopTimer()
			s.Reset()
			b.StartTimer()
		}
		t0, c0, n0 := time.Now(), cpuTime(), s.Nodes()
		got := s.Analyze(states[k], false)
		wall += time.Since(t0)
		cpu += cpuTime() - c0
		nodes += s.Nodes() - n0
		if got != ps[k].Scores {
			b.Fatalf("%s: got %v, want %v", ps[k].Moves, got, ps[k].Scores)
		}
	}
	b.ReportMetric(wall.Seconds()*1e3/float64(b.N), "ms/position")
	b.ReportMetric(cpu.Seconds()*1e3/float64(b.N), "cpu-ms/position")
	b.ReportMetric(float64(nodes)/wall.Seconds(), "nodes/s")
	b.ReportMetric(float64(nodes)/float64(b.N), "nodes/position")
	b.ReportMetric(0, "ns/op")
}

func BenchmarkAnalyzeMiddle(b *testing.B)    { benchAnalyze(b, calibration.Middle) }
func BenchmarkAnalyzeEnd(b *testing.B)       { benchAnalyze(b, calibration.End) }
func BenchmarkAnalyzeBeginning(b *testing.B) { benchAnalyze(b, calibration.Beginning) }
