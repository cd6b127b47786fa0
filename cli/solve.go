package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/lab"
)

var solveCmd = &cobra.Command{
	Use:   "solve [--analyze] [--weak] [POSITION...]",
	Short: "Exact connect-four scores of positions (arguments, or lines on stdin)",
	Long: `solve reads connect-four positions in the standard notation (the 1-based
columns played from the empty board, e.g. 4453) from its arguments, or when
there are none from stdin, one per line (an empty line, or "", is the empty
board, whose solution takes a long time), and writes the exact score of each
on stdout as "<position> <score>", flushing after every line so it works in a
pipe.

Scores are for the side to move: positive if it wins, the larger the sooner
(22 minus the number of its stones when it completes four), 0 for a draw,
negative if it loses. A finished game scores as its outcome (minus the
winner's score; 0 for a full board).

--analyze writes "<position>" and the score of each of the 7 columns instead:
the score for the side to move if it plays there, -1000 for a full column
(every column of a finished game). --weak gives only the sign of each score
(1 win, 0 draw, -1 loss), which is faster to find.

Positions of fewer than 8 plies take seconds to many minutes: solve warns on
stderr before it starts one, and reports its progress there every few
seconds (the column being analysed, the time so far).

A position that is not valid gets an error on stderr naming its line number
(or argument number) and what is wrong; the run goes on with the next and
exits with a non-zero status at the end. One solver serves the whole run, so
positions that share subtrees are solved faster together.

Examples:
  argmax solve --analyze 4453 2336344717262237226151774766
  printf '4453\n44\n' | argmax solve`,
	RunE: func(cmd *cobra.Command, args []string) error {
		analyze, _ := cmd.Flags().GetBool("analyze")
		weak, _ := cmd.Flags().GetBool("weak")
		opts := solveOptions{analyze: analyze, weak: weak, slowPlies: slowPlies, every: 5 * time.Second}
		if f, ok := cmd.ErrOrStderr().(*os.File); ok {
			opts.tty = lab.IsTerminal(f)
		}
		return runSolve(alphabeta.New(), opts, args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
	},
}

func init() {
	solveCmd.Flags().Bool("analyze", false, "print the score of each of the 7 columns (-1000: column full)")
	solveCmd.Flags().Bool("weak", false, "print only win/draw/loss (1/0/-1), faster")
	rootCmd.AddCommand(solveCmd)
}

// slowPlies is the length under which a position is slow to solve: on a
// 2-core machine the calibration's 8-14-ply positions take at most about
// 1.5 s to analyse, 4 plies take 15 s for the sign alone, the empty board
// far longer.
const slowPlies = 8

// solveOptions are the settings of a solve run.
type solveOptions struct {
	analyze, weak bool
	slowPlies     int           // positions with fewer plies get a warning and progress
	every         time.Duration // interval of the progress reports
	tty           bool          // stderr is a terminal: redraw the progress in place
}

// runSolve answers every position (args, or the lines of in) on out;
// invalid ones are reported on errw, named by line or argument number, and
// counted in the returned error.
func runSolve(s *alphabeta.Solver, o solveOptions, args []string, in io.Reader, out, errw io.Writer) error {
	w := bufio.NewWriter(out)
	bad, n := 0, 0
	err := eachInput(args, in, func(label, line string) error {
		n++
		st, perr := parseSolveLine(line)
		if perr != nil {
			bad++
			fmt.Fprintf(errw, "%s: %v\n", label, perr)
			return nil
		}
		w.WriteString(st.String())
		if o.analyze {
			for _, v := range solveOne(s, st, o, errw) {
				w.WriteByte(' ')
				w.WriteString(strconv.Itoa(v))
			}
		} else {
			w.WriteByte(' ')
			w.WriteString(strconv.Itoa(solveOne(s, st, o, errw)[0]))
		}
		w.WriteByte('\n')
		return w.Flush()
	})
	if err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("solve: %d of %d %s were not valid positions", bad, n, inputNoun(args))
	}
	return nil
}

// solveOne solves st (its score in [0]) or, with o.analyze, analyses it
// (the 7 column scores). A position under o.slowPlies that is not over
// gets a warning on errw first, and a progress report every o.every while
// it runs: in analysis, the column being solved.
func solveOne(s *alphabeta.Solver, st *connect4.State, o solveOptions, errw io.Writer) []int {
	if over, _ := st.Terminal(); over || st.Ply() >= o.slowPlies {
		if o.analyze {
			scores := s.Analyze(st, o.weak)
			return scores[:]
		}
		return []int{s.Solve(st, o.weak)}
	}
	what := "solving"
	if o.analyze {
		what = "analysing"
	}
	fmt.Fprintf(errw, "solve: %s position %q (%d plies): positions under %d plies take seconds to many minutes; progress every %v\n",
		what, st.String(), st.Ply(), o.slowPlies, o.every)
	p := &solveProgress{pos: st.String(), start: time.Now()}
	stop := p.report(errw, o.every, o.tty)
	defer stop()
	if !o.analyze {
		return []int{s.Solve(st, o.weak)}
	}
	// Column by column, so the progress can say which: the score of a move
	// is minus the score of the position it leads to (Analyze's result).
	scores := make([]int, connect4.Width)
	for c := range scores {
		p.column.Store(int32(c + 1))
		a := game.Action(c)
		if !st.IsLegal(a) {
			scores[c] = alphabeta.Full
			continue
		}
		st.Play(a)
		scores[c] = -s.Solve(st, o.weak)
		st.Undo(a)
	}
	return scores
}

// solveProgress is what the progress report of a slow solve says.
type solveProgress struct {
	pos    string
	start  time.Time
	column atomic.Int32 // 1-based column being analysed; 0 when solving the position
}

// line renders the report at time now.
func (p *solveProgress) line(now time.Time) string {
	el := now.Sub(p.start).Round(time.Second)
	if c := p.column.Load(); c > 0 {
		return fmt.Sprintf("solve: position %q: column %d of %d, %v so far", p.pos, c, connect4.Width, el)
	}
	return fmt.Sprintf("solve: position %q: %v so far", p.pos, el)
}

// report writes the progress line to w every interval until the returned
// function is called: redrawn in place on a terminal (and erased at the
// end), as plain lines otherwise.
func (p *solveProgress) report(w io.Writer, every time.Duration, tty bool) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		drawn := false
		for {
			select {
			case now := <-t.C:
				if tty {
					fmt.Fprintf(w, "\r\033[K%s", p.line(now))
					drawn = true
				} else {
					fmt.Fprintln(w, p.line(now))
				}
			case <-done:
				if drawn {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// maxSolveLine bounds the length of a line that is echoed in an error.
const maxSolveLine = 60

// parseSolveLine reads one input line: a connect-four position in the
// standard notation, with surrounding white space (and a CRLF line end)
// allowed. The error says what is wrong.
func parseSolveLine(line string) (*connect4.State, error) {
	text := strings.TrimSpace(line)
	if f := strings.Fields(text); len(f) > 1 {
		return nil, fmt.Errorf("%q: want one position, got %d fields", clip(text), len(f))
	}
	if len(text) > connect4.Cells {
		return nil, fmt.Errorf("%q: %d moves, a game has at most %d", clip(text), len(text), connect4.Cells)
	}
	return connect4.Parse(text)
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) <= maxSolveLine {
		return s
	}
	return s[:maxSolveLine] + "..."
}
