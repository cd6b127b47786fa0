package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

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
			err := runSolve(alphabeta.New(), tc.analyze, tc.weak, strings.NewReader(tc.in), &out, &errw)
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
