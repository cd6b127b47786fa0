package mcts

import "argmax/game"

// node is one position of a tree, 24 bytes. The statistics are from the
// point of view of the player who made the move into the node (the player to
// move at its parent), so a parent picks the child with the best score
// directly. Children are the contiguous nodes first..first+nchild-1, in the
// order of State.Legal; the root is node 0, so first == 0 means "no
// children".
type node struct {
	n      int32   // visits, virtual ones included while a batch is pending
	w      float32 // sum of values for the player who moved into the node
	p      float32 // prior probability of the move into the node
	first  int32   // index of the first child
	action uint16  // the move into the node
	nchild uint16  // number of children; 0 until expanded (and for terminals)
	proof  uint8   // proofNone, or the proven outcome for the mover: proofLoss..proofWin
	flags  uint8   // flagPending
}

// Proven outcomes, for the player who moved into the node. The value of a
// proof p is int(p)-2; the proof of the parent from its own mover's view is
// 4-max(children's proofs).
const (
	proofNone uint8 = 0
	proofLoss uint8 = 1
	proofDraw uint8 = 2
	proofWin  uint8 = 3
)

// flagPending marks a leaf waiting in the current batch for evaluation.
const flagPending uint8 = 1

// maxActions is the largest action number a node can hold.
const maxActions = 1<<16 - 1

// proofOf returns the proof, for the player who moved into a terminal
// position, of outcome o for the player to move there.
func proofOf(o game.Outcome) uint8 { return uint8(2 - int(o)) }

// outcomeOf returns the outcome for the player who moved into the node of a
// proof (which must not be proofNone).
func outcomeOf(p uint8) game.Outcome { return game.Outcome(int(p) - 2) }

// tree is a node arena. Its capacity only grows (up to max), so searches in
// steady state allocate nothing.
type tree struct {
	nodes []node
	spare []node // the second arena for compaction on reuse
	max   int    // node limit
}

// reset leaves only an unexpanded root.
func (t *tree) reset() {
	if cap(t.nodes) == 0 {
		t.nodes = make([]node, 0, min(4096, max(t.max, 1)))
	}
	t.nodes = append(t.nodes[:0], node{})
}

// room reports whether k more nodes fit under the limit.
func (t *tree) room(k int) bool { return len(t.nodes)+k <= t.max }

// alloc appends k zero nodes and returns the index of the first. The caller
// checks room first.
func (t *tree) alloc(k int) int32 {
	i := len(t.nodes)
	if i+k > cap(t.nodes) {
		c := max(2*cap(t.nodes), i+k, 4096)
		c = min(c, max(t.max, i+k))
		grown := make([]node, i, c)
		copy(grown, t.nodes)
		t.nodes = grown
	}
	t.nodes = t.nodes[:i+k]
	clear(t.nodes[i:])
	return int32(i)
}

// reroot makes the subtree under node x the whole tree, x its root (index
// 0), copying it breadth first into the spare arena, which then becomes the
// arena. It returns the number of nodes kept.
func (t *tree) reroot(x int32) int {
	if x == 0 {
		return len(t.nodes)
	}
	s := append(t.spare[:0], t.nodes[x])
	s[0].action = 0
	for i := 0; i < len(s); i++ {
		if k := int(s[i].nchild); k > 0 {
			f := s[i].first
			s[i].first = int32(len(s))
			s = append(s, t.nodes[f:int(f)+k]...)
		}
	}
	t.spare, t.nodes = t.nodes[:0], s
	return len(s)
}
