package cli

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	scoreRE    = regexp.MustCompile(`\((\d+) positions\): optimal ([0-9.]+)%`)
	mistakeRE  = regexp.MustCompile(`(?m)^mistake: position \d+ `)
	mistakesRE = regexp.MustCompile(`(?m)^(\d+) mistakes in (\d+) positions(?:, (\d+) of them moves the 2-ply tactical rule forbids)?$`)
)

// TestScoreMistakes checks score --mistakes: one line per position whose
// move lost the value, as many as the optimal share leaves, and the count
// of moves the 2-ply rule forbids — none for the rule itself, some for a
// random mover, and no such count outside connect four.
func TestScoreMistakes(t *testing.T) {
	for _, tc := range []struct {
		bot, set  string
		forbidden func(int) bool
	}{
		{"tactical", "calibration-middle", func(k int) bool { return k == 0 }},
		{"random:seed=1", "calibration-middle", func(k int) bool { return k > 0 }},
		{"random:seed=1", "tictactoe", nil},
	} {
		out, err := runRoot("score", "--bot", tc.bot, "--set", tc.set, "--mistakes", "--workers", "2")
		if err != nil {
			t.Fatalf("%s on %s: %v\n%s", tc.bot, tc.set, err, out)
		}
		s, m := scoreRE.FindStringSubmatch(out), mistakesRE.FindStringSubmatch(out)
		if s == nil || m == nil {
			t.Fatalf("%s on %s: no score or mistakes line:\n%s", tc.bot, tc.set, out)
		}
		n, _ := strconv.Atoi(s[1])
		share, _ := strconv.ParseFloat(s[2], 64)
		mistakes, _ := strconv.Atoi(m[1])
		lines := len(mistakeRE.FindAllString(out, -1))
		if m[2] != s[1] || lines != mistakes || mistakes == 0 {
			t.Errorf("%s on %s: %d mistake lines, summary says %s in %s, score line %d positions", tc.bot, tc.set, lines, m[1], m[2], n)
		}
		if got := 100 * float64(n-mistakes) / float64(n); got < share-0.05 || got > share+0.05 {
			t.Errorf("%s on %s: %d mistakes in %d positions leave %.2f%% optimal, the score says %.1f%%", tc.bot, tc.set, mistakes, n, got, share)
		}
		switch {
		case tc.forbidden == nil && m[3] != "":
			t.Errorf("%s on %s: a tactical count outside connect four: %q", tc.bot, tc.set, m[0])
		case tc.forbidden != nil:
			k, err := strconv.Atoi(m[3])
			if err != nil || !tc.forbidden(k) || k > mistakes || strings.Count(out, "the 2-ply rule forbids it") != k {
				t.Errorf("%s on %s: %q", tc.bot, tc.set, m[0])
			}
		}
	}
}
