// Command argmax runs the direct-vs-amortized optimization toolkit: the claim
// suite and its comparison table, single experiments, solvers, search bots,
// training and benchmarks. Run `argmax --help` for the list of subcommands.
package main

import (
	"fmt"
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

func main() {
	if err := rootCmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "argmax:", err)
		os.Exit(1)
	}
}
