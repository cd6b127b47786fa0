package game

import "fmt"

// Mix64 is a bijective 64-bit mixer (the splitmix64 finalizer). Games apply it
// to an exact position encoding so Key is unique per position yet spreads
// evenly over hash-table slots.
func Mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// ParseMoves reads a move sequence written as 1-based digits from 1 to n
// ("4453" -> actions 3,3,4,2) and plays it on s, checking each move. The
// error names the position of the offending character and why it is wrong.
func ParseMoves(s State, notation string, n int) error {
	for i, r := range notation {
		if r < '1' || r > rune('0'+n) {
			return fmt.Errorf("character %d %q: not a move (want a digit 1-%d)", i+1, r, n)
		}
		if over, _ := s.Terminal(); over {
			return fmt.Errorf("character %d %q: the game is already over", i+1, r)
		}
		a := Action(r - '1')
		if !s.IsLegal(a) {
			return fmt.Errorf("character %d %q: %d is not a legal move here", i+1, r, a+1)
		}
		s.Play(a)
	}
	return nil
}

// Perft counts the move sequences of exactly depth plies from s, counting a
// finished game as one sequence however short (the standard perft of game
// engines, used to test move generation). s is left unchanged.
func Perft(s State, depth int) int64 {
	if depth == 0 {
		return 1
	}
	if over, _ := s.Terminal(); over {
		return 1
	}
	var buf [64]Action
	var n int64
	for _, a := range s.Legal(buf[:0]) {
		s.Play(a)
		n += Perft(s, depth-1)
		s.Undo(a)
	}
	return n
}

// Games counts every complete game (move sequence to a terminal position)
// from s. Only practical for small games such as tic-tac-toe.
func Games(s State) int64 {
	if over, _ := s.Terminal(); over {
		return 1
	}
	var buf [64]Action
	var n int64
	for _, a := range s.Legal(buf[:0]) {
		s.Play(a)
		n += Games(s)
		s.Undo(a)
	}
	return n
}

// Positions counts the distinct positions (by Key) reachable from s within
// maxPlies further plies, s included; play stops at finished games.
func Positions(s State, maxPlies int) int {
	seen := map[uint64]bool{}
	var walk func(d int)
	walk = func(d int) {
		k := s.Key()
		if seen[k] {
			return
		}
		seen[k] = true
		if over, _ := s.Terminal(); over || d == 0 {
			return
		}
		var buf [64]Action
		for _, a := range s.Legal(buf[:0]) {
			s.Play(a)
			walk(d - 1)
			s.Undo(a)
		}
	}
	walk(maxPlies)
	return len(seen)
}

// SplitMix is a tiny, fast pseudo-random generator (splitmix64) for inner
// loops such as random playouts, where a call through rand.Rand's Source
// interface per move would dominate. Seed it from the caller's *rand.Rand so
// results stay a deterministic function of the caller's seed.
type SplitMix uint64

// Next returns the next 64 pseudo-random bits.
func (x *SplitMix) Next() uint64 {
	*x += 0x9e3779b97f4a7c15
	z := uint64(*x)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Below returns a pseudo-random number in [0, n) for 0 < n < 2^32.
func (x *SplitMix) Below(n int) int {
	return int((x.Next() & 0xffffffff) * uint64(n) >> 32)
}
