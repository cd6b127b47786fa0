package env

import "io"

// Renderer is implemented by envs that can draw their current state as
// text for a person (a gridworld's level, with the agent in it).
type Renderer interface {
	Render(w io.Writer) error
}

// RendererOf returns the first env of e's wrapper stack that implements
// Renderer (e itself, or an env it wraps), and whether there is one. The
// wrappers change what the agent observes, not the state, so a frame drawn
// by a wrapped env shows the true state.
func RendererOf(e Env) (Renderer, bool) { return Find[Renderer](e) }
