package cli

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sys/cpu"
)

// benchCmd groups the speed benchmarks; each hot path adds a subcommand.
var benchCmd = &cobra.Command{
	Use:   "bench",
	Short: "Measure the speed of a hot path (alphazero, dist, mcts, nn, solver)",
	Long: `bench measures one hot path and prints its figures together with the
CPU it ran on, so figures from different machines can be compared.`,
	Args: cobra.ArbitraryArgs,
	RunE: func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		return fmt.Errorf("bench: unknown benchmark %q (want %s)", args[0], strings.Join(names, ", "))
	},
}

func init() { rootCmd.AddCommand(benchCmd) }

// printMachine writes the CPU model, core count and vector features.
func printMachine(cmd *cobra.Command) {
	fmt.Fprintf(cmd.OutOrStdout(), "machine: %s, %d cores, %s/%s, avx2=%v fma=%v avx512f=%v\n",
		cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		cpu.X86.HasAVX2, cpu.X86.HasFMA, cpu.X86.HasAVX512F)
}
