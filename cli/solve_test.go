package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"argmax/direct/alphabeta"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

// solveLines builds the expected output of solve for calibration
// positions.
func solveLines(ps []calibration.Position, analyze, weak bool) string {
	var b strings.Builder
	sgn := func(v int) int {
		switch {
		case !weak || v == calibration.Full:
			return v
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return 0
	}
	for _, p := range ps {
		b.WriteString(p.Moves)
		if analyze {
			for _, v := range p.Scores {
				fmt.Fprintf(&b, " %d", sgn(v))
			}
		} else {
			fmt.Fprintf(&b, " %d", sgn(p.Best()))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestSolve runs argmax solve on good and bad lines in every mode.
func TestSolve(t *testing.T) {
	mid := calibration.Of(calibration.Middle)[:20]
	end := calibration.Of(calibration.End)[:20]
	good := append(append([]calibration.Position{}, mid...), end...)
	var goodIn strings.Builder
	for _, p := range good {
		goodIn.WriteString(p.Moves + "\n")
	}
	p0, p1 := end[0], end[1]
	for _, tc := range []struct {
		name          string
		in            string
		analyze, weak bool
		out           string
		stderr        []string // substrings, in order of lines
		errMsg        string   // substring of the returned error, "" for none
	}{
		{name: "scores", in: goodIn.String(), out: solveLines(good, false, false)},
		{name: "analysis", in: goodIn.String(), analyze: true, out: solveLines(good, true, false)},
		{name: "weak scores", in: goodIn.String(), weak: true, out: solveLines(good, false, true)},
		{name: "weak analysis", in: goodIn.String(), analyze: true, weak: true, out: solveLines(good, true, true)},
		{
			name: "white space, CRLF and no final newline",
			in:   "  " + p0.Moves + " \r\n\t" + p1.Moves,
			out:  solveLines([]calibration.Position{p0, p1}, false, false),
		},
		{
			name: "finished games",
			in:   "1212121\n4455667\n",
			out:  "1212121 -18\n4455667 -18\n",
		},
		{
			name:    "finished game analyzed",
			in:      "1212121\n",
			analyze: true,
			out:     "1212121 -1000 -1000 -1000 -1000 -1000 -1000 -1000\n",
		},
		{
			name: "bad lines are reported and skipped",
			in: strings.Join([]string{
				p0.Moves,                      // 1
				"44x3",                        // 2: not a move
				"1111111",                     // 3: column full
				"12121213",                    // 4: game over
				p0.Moves + " 3",               // 5: two fields
				"0",                           // 6: not a move
				"4455667" + "1",               // 7: game over
				strings.Repeat("1234567", 10), // 8: too long
				p1.Moves,                      // 9
			}, "\n") + "\n",
			out: solveLines([]calibration.Position{p0, p1}, false, false),
			stderr: []string{
				`line 2: connect4 position "44x3": character 3 'x': not a move`,
				`line 3: connect4 position "1111111": character 7 '1': 1 is not a legal move here`,
				`line 4: connect4 position "12121213": character 8 '3': the game is already over`,
				`line 5: "` + p0.Moves + ` 3": want one position, got 2 fields`,
				`line 6: connect4 position "0": character 1 '0': not a move`,
				`line 7: connect4 position "44556671": character 8 '1': the game is already over`,
				`line 8: "123456712345671234567123456712345671234567123456712345671234...": 70 moves, a game has at most 42`,
			},
			errMsg: "7 of 9 lines were not valid positions",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			opts := solveOptions{analyze: tc.analyze, weak: tc.weak, slowPlies: slowPlies, every: time.Hour}
			err := runSolve(alphabeta.New(), opts, nil, strings.NewReader(tc.in), &out, &errw)
			if out.String() != tc.out {
				t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), tc.out)
			}
			errLines := strings.Split(strings.TrimSuffix(errw.String(), "\n"), "\n")
			if errw.Len() == 0 {
				errLines = nil
			}
			if len(errLines) != len(tc.stderr) {
				t.Errorf("stderr has %d lines, want %d:\n%s", len(errLines), len(tc.stderr), errw.String())
			}
			for i, want := range tc.stderr {
				if i < len(errLines) && !strings.Contains(errLines[i], want) {
					t.Errorf("stderr line %d: %q, want it to contain %q", i+1, errLines[i], want)
				}
			}
			switch {
			case tc.errMsg == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.errMsg != "" && (err == nil || !strings.Contains(err.Error(), tc.errMsg)):
				t.Errorf("error %v, want %q", err, tc.errMsg)
			}
		})
	}
}

// TestSolveCommand runs the cobra command itself, flags and all.
func TestSolveCommand(t *testing.T) {
	p := calibration.Of(calibration.End)[5]
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"solve", "--analyze=false", "--weak=false"}, solveLines([]calibration.Position{p}, false, false)},
		{[]string{"solve", "--analyze", "--weak=false"}, solveLines([]calibration.Position{p}, true, false)},
		{[]string{"solve", "--analyze", "--weak"}, solveLines([]calibration.Position{p}, true, true)},
	} {
		var out, errw bytes.Buffer
		rootCmd.SetArgs(tc.args)
		rootCmd.SetIn(strings.NewReader(p.Moves + "\n"))
		rootCmd.SetOut(&out)
		rootCmd.SetErr(&errw)
		if err := rootCmd.Execute(); err != nil {
			t.Errorf("%v: %v", tc.args, err)
		}
		if out.String() != tc.want {
			t.Errorf("%v: stdout %q, want %q", tc.args, out.String(), tc.want)
		}
	}
	rootCmd.SetArgs([]string{"solve", "--analyze=false", "--weak=false"})
	rootCmd.SetIn(strings.NewReader("12x\n"))
	var out, errw bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&errw)
	if err := rootCmd.Execute(); err == nil || !strings.Contains(errw.String(), "line 1:") {
		t.Errorf("bad line: error %v, stderr %q", err, errw.String())
	}
	rootCmd.SetArgs(nil)
	rootCmd.SetIn(nil)
	rootCmd.SetOut(nil)
	rootCmd.SetErr(nil)
}

// FuzzSolveLine checks the line parser on arbitrary input: it never
// panics, a position it accepts prints back as the trimmed line and is a
// legal game, and a rejected line gets a message.
func FuzzSolveLine(f *testing.F) {
	for _, s := range []string{"", "4453", " 4453\r\n", "44x", "1111111", "1212121", "12121212", "0", "8", "4453 2", strings.Repeat("4", 50), "\xff", "٤"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		st, err := parseSolveLine(line)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%q: empty error message", line)
			}
			return
		}
		text := strings.TrimSpace(line)
		if st.String() != text {
			t.Fatalf("%q: parsed as %q", line, st.String())
		}
		if st.Ply() != len(text) || st.Ply() > connect4.Cells {
			t.Fatalf("%q: %d plies", line, st.Ply())
		}
		again, err := connect4.Parse(st.String())
		if err != nil || again.Key() != st.Key() {
			t.Fatalf("%q: does not parse back: %v", line, err)
		}
	})
}

// TestSolveArguments checks that positions given as arguments are solved
// in order, stdin unread, and bad ones named by argument number.
func TestSolveArguments(t *testing.T) {
	ps := calibration.Of(calibration.End)[:2]
	var out, errw bytes.Buffer
	opts := solveOptions{analyze: true, slowPlies: slowPlies, every: time.Hour}
	err := runSolve(alphabeta.New(), opts, []string{ps[0].Moves, "44x", ps[1].Moves}, strings.NewReader("4453\n"), &out, &errw)
	if want := solveLines(ps, true, false); out.String() != want {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}
	if !strings.Contains(errw.String(), `argument 2: connect4 position "44x"`) || err == nil || !strings.Contains(err.Error(), "1 of 3 arguments were not valid") {
		t.Errorf("stderr %q, error %v", errw.String(), err)
	}
}

// TestSolveSlow checks the path of slow positions: the warning before it
// starts, progress lines naming the column being analysed, and scores equal
// to the solver's own Analyze and Solve.
func TestSolveSlow(t *testing.T) {
	const pos = "21625532" // 8 plies: about 0.3 s to analyse
	st, _ := connect4.Parse(pos)
	want := alphabeta.New().Analyze(st, false)
	var out, errw bytes.Buffer
	opts := solveOptions{analyze: true, slowPlies: 9, every: 10 * time.Millisecond}
	if err := runSolve(alphabeta.New(), opts, []string{pos}, nil, &out, &errw); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pos, " ", strings.Trim(fmt.Sprint(want), "[]"), "\n"); out.String() != got {
		t.Errorf("analysis %q, want %q", out.String(), got)
	}
	lines := strings.Split(strings.TrimSpace(errw.String()), "\n")
	if !strings.HasPrefix(lines[0], `solve: analysing position "21625532" (8 plies): positions under 9 plies take seconds to many minutes`) {
		t.Errorf("warning %q", lines[0])
	}
	if len(lines) < 2 || !strings.Contains(errw.String(), `solve: position "21625532": column `) || !strings.Contains(errw.String(), " of 7, ") {
		t.Errorf("no progress lines:\n%s", errw.String())
	}

	// Column by column agrees with Analyze (weak too) and Solve on other
	// positions, full columns and finished games included.
	s := alphabeta.New()
	for _, p := range append(calibration.Of(calibration.Middle)[:10], calibration.Of(calibration.End)[:10]...) {
		st, _ := connect4.Parse(p.Moves)
		for _, weak := range []bool{false, true} {
			o := solveOptions{analyze: true, weak: weak, slowPlies: 100, every: time.Hour}
			got := solveOne(s, st, o, io.Discard)
			if want := s.Analyze(st, weak); fmt.Sprint(got) != fmt.Sprint(want[:]) {
				t.Errorf("%s weak=%v: column by column %v, Analyze %v", p.Moves, weak, got, want)
			}
			o.analyze = false
			if got, want := solveOne(s, st, o, io.Discard)[0], s.Solve(st, weak); got != want {
				t.Errorf("%s weak=%v: %d, Solve %d", p.Moves, weak, got, want)
			}
		}
	}
}

// TestSolveProgressLine checks the progress text, and that on a terminal
// it is redrawn in place and erased at the end.
func TestSolveProgressLine(t *testing.T) {
	start := time.Now()
	p := &solveProgress{pos: "44", start: start}
	if got := p.line(start.Add(12 * time.Second)); got != `solve: position "44": 12s so far` {
		t.Errorf("solving: %q", got)
	}
	p.column.Store(3)
	if got := p.line(start.Add(75 * time.Second)); got != `solve: position "44": column 3 of 7, 1m15s so far` {
		t.Errorf("analysing: %q", got)
	}
	var b bytes.Buffer
	stop := p.report(&b, time.Millisecond, true)
	time.Sleep(100 * time.Millisecond)
	stop()
	if s := b.String(); !strings.HasPrefix(s, "\r\033[Ksolve: position") || !strings.HasSuffix(s, "so far\r\033[K") || strings.Contains(s, "\n") {
		t.Errorf("terminal progress %q", s)
	}
}
