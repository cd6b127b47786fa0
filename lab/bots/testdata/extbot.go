//go:build ignore

// Command extbot is a tiny external bot for the tests of the ext kind: it
// speaks the argmax line protocol and plays the lowest legal column or cell
// of connect four or tic-tac-toe. Its first argument picks a behaviour:
// good (default), garbage, illegal, exit, hang, error, refuse, silent,
// extra, or echo-budget (reports the sims limit it was sent as its sims
// count).
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	mode := "good"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() {
		return
	}
	hello := strings.Fields(in.Text()) // argmax 1 GAME
	switch {
	case mode == "silent":
		time.Sleep(time.Hour)
	case mode == "refuse":
		fmt.Println("error I only play chess")
		return
	case len(hello) != 3 || hello[0] != "argmax" || hello[1] != "1":
		fmt.Println("error bad handshake")
		return
	}
	fmt.Println("bot extbot-" + mode)
	for in.Scan() {
		f := strings.Fields(in.Text()) // GAME POSITION [LIMIT ...]
		switch mode {
		case "garbage":
			fmt.Println("hello there")
			continue
		case "illegal":
			fmt.Println("1") // column 1 even when full
			continue
		case "exit":
			fmt.Fprintln(os.Stderr, "extbot: giving up")
			os.Exit(3)
		case "hang":
			time.Sleep(time.Hour)
		case "error":
			fmt.Println("error no idea")
			continue
		}
		move := lowestLegal(f[0], f[1])
		switch mode {
		case "extra":
			fmt.Printf("%d\n%d\n", move, move)
		case "echo-budget":
			sims := "0"
			for _, kv := range f[2:] {
				if v, ok := strings.CutPrefix(kv, "sims="); ok {
					sims = v
				}
			}
			fmt.Printf("%d sims=%s\n", move, sims)
		default:
			fmt.Printf("%d nodes=7 passes=1\n", move)
		}
	}
}

// lowestLegal returns the lowest 1-based column (connect four) or cell
// (tic-tac-toe) that can be played after the moves of position.
func lowestLegal(game, position string) int {
	if position == "-" {
		position = ""
	}
	count := map[rune]int{}
	for _, r := range position {
		count[r]++
	}
	limit, n := 1, 9 // tic-tac-toe: a cell is taken once
	if game == "connect4" {
		limit, n = 6, 7
	}
	for m := 1; m <= n; m++ {
		if count[rune('0'+m)] < limit {
			return m
		}
	}
	return 0
}
