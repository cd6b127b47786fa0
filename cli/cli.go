// Package cli is the argmax command as a library: the claim suite and its
// comparison table, single experiments, matches, solvers, search bots,
// position sets and benchmarks, every subcommand working on the registries
// of lab/bots (deciders) and lab (experiments). cmd/argmax is a main that
// calls Main; a researcher's own main registers a decider or an experiment
// first and gets every subcommand with it — `table`, `match`, `move`,
// `run` — with no edit to argmax:
//
//	func main() {
//		bots.RegisterKind(bots.Kind{Name: "mine", Role: argmax.Direct, New: newMine, Suite: []string{"mine"}})
//		lab.Register(myExperiment)
//		cli.Main()
//	}
package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"argmax/lab/store"
)

// rootCmd is the top of the command tree; each subcommand file adds itself
// to it in an init function.
var rootCmd = &cobra.Command{
	Use:   "argmax",
	Short: "Direct vs amortized optimization, measured",
	Long: `argmax makes the difference between direct optimization (search and
per-instance solving: alpha-beta, MCTS, ...) and amortized optimization
(learned functions answering in one forward pass) real, runnable and measured.

Start with
  argmax table              run the claim suite at quick scale, print the
                            comparison table and write argmax-report/index.html
  argmax solve --analyze    exact connect-four scores of positions on stdin
  argmax play --game connect4 --bot mcts:sims=2000
                            play against a bot in the terminal`,
	SilenceUsage:  true,
	SilenceErrors: true,
}

func init() {
	rootCmd.Version = versionLine(store.Current())
	rootCmd.SetVersionTemplate("{{.Version}}\n")
}

// versionLine renders argmax --version: the module version, the commit it
// was built from (and whether the checkout was modified), the Go version
// and the platform.
func versionLine(p store.Provenance) string {
	v := p.Version
	if v == "" {
		v = "(unknown version)"
	}
	return "argmax " + v + ", " + p.Build()
}

// Main runs the command on the process's arguments and exits with status 1
// (the error printed to standard error) if it fails.
func Main() {
	if err := rootCmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "argmax:", err)
		os.Exit(1)
	}
}

// Run runs the command on args (without the program name), writing to
// stdout and stderr, and returns its error: the command from a test or
// another program.
func Run(args []string, stdout, stderr io.Writer) error {
	rootCmd.SetOut(stdout)
	rootCmd.SetErr(stderr)
	rootCmd.SetArgs(args)
	defer func() {
		rootCmd.SetArgs(nil)
		rootCmd.SetOut(nil)
		rootCmd.SetErr(nil)
	}()
	return rootCmd.Execute()
}

// Command returns the root of the command tree, for a main that adds
// subcommands of its own before calling Main.
func Command() *cobra.Command { return rootCmd }
