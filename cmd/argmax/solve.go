package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"argmax/direct/alphabeta"
	"argmax/game/connect4"
)

var solveCmd = &cobra.Command{
	Use:   "solve [--analyze] [--weak]",
	Short: "Exact connect-four scores of positions read from stdin",
	Long: `solve reads connect-four positions from stdin, one per line in the standard
notation (the 1-based columns played from the empty board, e.g. 4453; an empty
line is the empty board, whose solution takes a long time), and writes the
exact score of each on stdout as "<position> <score>", flushing after every
line so it works in a pipe.

Scores are for the side to move: positive if it wins, the larger the sooner
(22 minus the number of its stones when it completes four), 0 for a draw,
negative if it loses. A finished game scores as its outcome (minus the
winner's score; 0 for a full board).

--analyze writes "<position>" and the score of each of the 7 columns instead:
the score for the side to move if it plays there, -1000 for a full column
(every column of a finished game). --weak gives only the sign of each score
(1 win, 0 draw, -1 loss), which is faster to find.

A line that is not a valid position gets an error on stderr naming its line
number and what is wrong; the run goes on with the next line and exits with a
non-zero status at the end. One solver serves the whole run, so positions
that share subtrees are solved faster together.

Example:
  printf '4453\n2336344717262237226151774766\n' | argmax solve --analyze`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		analyze, _ := cmd.Flags().GetBool("analyze")
		weak, _ := cmd.Flags().GetBool("weak")
		return runSolve(alphabeta.New(), analyze, weak, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
	},
}

func init() {
	solveCmd.Flags().Bool("analyze", false, "print the score of each of the 7 columns (-1000: column full)")
	solveCmd.Flags().Bool("weak", false, "print only win/draw/loss (1/0/-1), faster")
	rootCmd.AddCommand(solveCmd)
}

// runSolve answers every line of in on out; invalid lines are reported on
// errw, named by line number, and counted in the returned error.
func runSolve(s *alphabeta.Solver, analyze, weak bool, in io.Reader, out, errw io.Writer) error {
	r := bufio.NewReader(in)
	w := bufio.NewWriter(out)
	bad, lines := 0, 0
	for n := 1; ; n++ {
		line, err := r.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading positions: line %d: %w", n, err)
		}
		if line == "" && errors.Is(err, io.EOF) {
			break
		}
		lines++
		st, perr := parseSolveLine(line)
		if perr != nil {
			bad++
			fmt.Fprintf(errw, "line %d: %v\n", n, perr)
		} else {
			w.WriteString(st.String())
			if analyze {
				for _, v := range s.Analyze(st, weak) {
					w.WriteByte(' ')
					w.WriteString(strconv.Itoa(v))
				}
			} else {
				w.WriteByte(' ')
				w.WriteString(strconv.Itoa(s.Solve(st, weak)))
			}
			w.WriteByte('\n')
			if ferr := w.Flush(); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if bad > 0 {
		return fmt.Errorf("solve: %d of %d lines were not valid positions", bad, lines)
	}
	return nil
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
