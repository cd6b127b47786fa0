package supervised

import (
	"fmt"

	"argmax/game"
)

// Encoding describes the net's input and output: the game, the
// observation planes State.Encode writes (from the mover's view), the
// extra planes this package adds, and how a mirror image maps actions. It
// is stored in checkpoints so that a loaded net reads positions the way it
// was trained.
type Encoding struct {
	Game    string `json:"game"`    // Game.Name
	Planes  int    `json:"planes"`  // planes written by State.Encode
	Height  int    `json:"height"`  // rows of each plane (row 0 first in memory)
	Width   int    `json:"width"`   // columns of each plane
	Actions int    `json:"actions"` // Game.NumActions: the policy head's width
	// OnesPlane appends a constant plane of ones after the game's planes.
	OnesPlane bool `json:"ones_plane"`
	// Mirror is how actions map under a left-right flip of the planes
	// ("columns": action a ↔ Actions-1-a; "cells": action r·Width+c ↔
	// r·Width+Width-1-c; "" when the game has neither form).
	Mirror string `json:"mirror"`
}

// The mirror conventions of Encoding.Mirror.
const (
	MirrorColumns = "columns"
	MirrorCells   = "cells"
)

// NewEncoding returns the encoding of g's observations, with a plane of
// ones appended when ones is set.
func NewEncoding(g game.Game, ones bool) Encoding {
	planes, h, w := g.Shape()
	e := Encoding{Game: g.Name(), Planes: planes, Height: h, Width: w, Actions: g.NumActions(), OnesPlane: ones}
	switch e.Actions {
	case w:
		e.Mirror = MirrorColumns
	case h * w:
		e.Mirror = MirrorCells
	}
	return e
}

func (e Encoding) check() error {
	if e.Planes <= 0 || e.Height <= 0 || e.Width <= 0 || e.Actions <= 0 {
		return fmt.Errorf("encoding %+v: planes, height, width and actions must be positive", e)
	}
	if e.Mirror != "" && e.Mirror != MirrorColumns && e.Mirror != MirrorCells {
		return fmt.Errorf("encoding: unknown mirror convention %q", e.Mirror)
	}
	return nil
}

// InPlanes is the number of input planes of the net.
func (e Encoding) InPlanes() int {
	if e.OnesPlane {
		return e.Planes + 1
	}
	return e.Planes
}

// Size is the number of input values per position.
func (e Encoding) Size() int { return e.InPlanes() * e.Height * e.Width }

// Encode writes the net's input for s into dst[:e.Size()].
func (e Encoding) Encode(s game.State, dst []float32) {
	n := e.Planes * e.Height * e.Width
	s.Encode(dst[:n])
	if e.OnesPlane {
		ones := dst[n : n+e.Height*e.Width]
		for i := range ones {
			ones[i] = 1
		}
	}
}

// mirrorInput writes the left-right mirror image of the input src into
// dst (both e.Size() long, not overlapping).
func (e Encoding) mirrorInput(dst, src []float32) {
	w := e.Width
	for r := 0; r < e.InPlanes()*e.Height; r++ {
		s, d := src[r*w:(r+1)*w], dst[r*w:(r+1)*w]
		for c := range d {
			d[c] = s[w-1-c]
		}
	}
}

// MirrorAction returns the action that a takes the place of in the mirror
// image.
func (e Encoding) MirrorAction(a int) int {
	switch e.Mirror {
	case MirrorColumns:
		return e.Actions - 1 - a
	case MirrorCells:
		r, c := a/e.Width, a%e.Width
		return r*e.Width + e.Width - 1 - c
	}
	return a
}
