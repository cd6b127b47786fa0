package toytext

// Independent reference transcriptions of the transition tables Gymnasium
// builds, written line by line from gymnasium/envs/toy_text/frozen_lake.py
// (FrozenLakeEnv.__init__: to_s, inc, update_probability_matrix) and
// cliffwalking.py (CliffWalkingEnv.__init__: _limit_coordinates,
// _calculate_transition_prob), with Python's lists and tuples as Go
// slices. They share no code with the package: the tests compare the
// tables entry by entry.

type refTransition struct {
	p          float64
	s          int
	r          float64
	terminated bool
}

// refFrozenLakeP is FrozenLakeEnv's self.P (v1, before success_rate: every
// slippery entry 1.0 / 3.0) and initial_state_distrib.
func refFrozenLakeP(desc []string, is_slippery bool) (P [][][]refTransition, initial_state_distrib []float64) {
	const LEFT, DOWN, RIGHT, UP = 0, 1, 2, 3
	nrow, ncol := len(desc), len(desc[0])
	nA := 4
	nS := nrow * ncol
	initial_state_distrib = make([]float64, nS)
	var sum float64
	for r := range nrow {
		for c := range ncol {
			if desc[r][c] == 'S' {
				initial_state_distrib[r*ncol+c] = 1
				sum++
			}
		}
	}
	for i := range initial_state_distrib {
		initial_state_distrib[i] /= sum
	}
	P = make([][][]refTransition, nS)
	for s := range P {
		P[s] = make([][]refTransition, nA)
	}
	to_s := func(row, col int) int { return row*ncol + col }
	inc := func(row, col, a int) (int, int) {
		if a == LEFT {
			col = max(col-1, 0)
		} else if a == DOWN {
			row = min(row+1, nrow-1)
		} else if a == RIGHT {
			col = min(col+1, ncol-1)
		} else if a == UP {
			row = max(row-1, 0)
		}
		return row, col
	}
	update_probability_matrix := func(row, col, action int) (int, float64, bool) {
		newrow, newcol := inc(row, col, action)
		newstate := to_s(newrow, newcol)
		newletter := desc[newrow][newcol]
		terminated := newletter == 'G' || newletter == 'H'
		reward := 0.0
		if newletter == 'G' {
			reward = 1.0
		}
		return newstate, reward, terminated
	}
	pymod := func(x, m int) int { return ((x % m) + m) % m }
	for row := range nrow {
		for col := range ncol {
			s := to_s(row, col)
			for a := range 4 {
				li := &P[s][a]
				letter := desc[row][col]
				if letter == 'G' || letter == 'H' {
					*li = append(*li, refTransition{1.0, s, 0, true})
				} else {
					if is_slippery {
						for _, b := range []int{pymod(a-1, 4), a, pymod(a+1, 4)} {
							ns, r, t := update_probability_matrix(row, col, b)
							*li = append(*li, refTransition{1.0 / 3.0, ns, r, t})
						}
					} else {
						ns, r, t := update_probability_matrix(row, col, a)
						*li = append(*li, refTransition{1.0, ns, r, t})
					}
				}
			}
		}
	}
	return P, initial_state_distrib
}

// refCliffP is CliffWalkingEnv's self.P, with the is_slippery option of
// the later version (False is v0).
func refCliffP(is_slippery bool) [][][]refTransition {
	const UP, RIGHT, DOWN, LEFT = 0, 1, 2, 3
	shape := [2]int{4, 12}
	start_state_index := 3*shape[1] + 0
	nS := shape[0] * shape[1]
	nA := 4
	var _cliff [4][12]bool
	for c := 1; c < shape[1]-1; c++ {
		_cliff[3][c] = true
	}
	POSITION_MAPPING := map[int][2]int{UP: {-1, 0}, RIGHT: {0, 1}, DOWN: {1, 0}, LEFT: {0, -1}}
	_limit_coordinates := func(coord [2]int) [2]int {
		coord[0] = min(coord[0], shape[0]-1)
		coord[0] = max(coord[0], 0)
		coord[1] = min(coord[1], shape[1]-1)
		coord[1] = max(coord[1], 0)
		return coord
	}
	pymod := func(x, m int) int { return ((x % m) + m) % m }
	_calculate_transition_prob := func(current [2]int, move int) []refTransition {
		var deltas [][2]int
		if !is_slippery {
			deltas = [][2]int{POSITION_MAPPING[move]}
		} else {
			for _, act := range []int{pymod(move-1, 4), move, pymod(move+1, 4)} {
				deltas = append(deltas, POSITION_MAPPING[act])
			}
		}
		var outcomes []refTransition
		for _, delta := range deltas {
			new_position := _limit_coordinates([2]int{current[0] + delta[0], current[1] + delta[1]})
			new_state := new_position[0]*shape[1] + new_position[1]
			if _cliff[new_position[0]][new_position[1]] {
				outcomes = append(outcomes, refTransition{1 / float64(len(deltas)), start_state_index, -100, false})
			} else {
				terminal_state := [2]int{shape[0] - 1, shape[1] - 1}
				is_terminated := new_position == terminal_state
				outcomes = append(outcomes, refTransition{1 / float64(len(deltas)), new_state, -1, is_terminated})
			}
		}
		return outcomes
	}
	P := make([][][]refTransition, nS)
	for s := range nS {
		position := [2]int{s / shape[1], s % shape[1]}
		P[s] = make([][]refTransition, nA)
		P[s][UP] = _calculate_transition_prob(position, UP)
		P[s][RIGHT] = _calculate_transition_prob(position, RIGHT)
		P[s][DOWN] = _calculate_transition_prob(position, DOWN)
		P[s][LEFT] = _calculate_transition_prob(position, LEFT)
	}
	return P
}
