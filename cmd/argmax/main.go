// Command argmax runs the direct-vs-amortized optimization toolkit: the claim
// suite and its comparison table, single experiments, matches, solvers,
// search bots, position sets and benchmarks. Run `argmax --help` for the
// list of subcommands. The command itself is package argmax/cli, so that
// a main of your own can add deciders and experiments to it.
package main

import "argmax/cli"

func main() { cli.Main() }
