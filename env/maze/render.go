package maze

import (
	"io"
	"math"
	"strings"
)

// Legend explains the renderings.
const Legend = "## wall, . floor, @ agent; objects D door, K key, G gem, B block, prefixed by their colour r red, b blue, g green, y yellow (in collect, by their value 1-9, in ninths)"

// Render writes the level as text, one line per row of the grid, two
// characters per cell: "##" a wall, " ." floor, " @" the agent, an object
// its colour's letter and its kind's ("rD" a red door, "bK" a blue key),
// "@D" the agent on a door.
func (m *Maze) Render(w io.Writer) error {
	_, err := io.WriteString(w, m.render(false))
	return err
}

// RenderANSI writes the level as Render does, with the objects drawn in
// their colours by ANSI escape codes, for a terminal.
func (m *Maze) RenderANSI(w io.Writer) error {
	_, err := io.WriteString(w, m.render(true))
	return err
}

var ansiColours = [numColours]string{"\x1b[31m", "\x1b[34m", "\x1b[32m", "\x1b[33m"}

func (m *Maze) render(ansi bool) string {
	var b strings.Builder
	for r := range m.w {
		for c := range m.w {
			cell := r*m.w + c
			switch o := m.objAt[cell]; {
			case m.wall[cell]:
				b.WriteString("##")
			case o >= 0:
				ob := m.objects[o]
				first := ob.Colour.Letter()
				if ob.Value > 0 {
					first = byte('0' + int(math.Round(ob.Value*MaxItems)))
				}
				if cell == m.agent {
					first = '@'
				}
				if ansi {
					b.WriteString(ansiColours[ob.Colour])
				}
				b.WriteByte(first)
				b.WriteByte(ob.Kind.Letter())
				if ansi {
					b.WriteString("\x1b[0m")
				}
			case cell == m.agent:
				if ansi {
					b.WriteString(" \x1b[1m@\x1b[0m")
				} else {
					b.WriteString(" @")
				}
			default:
				b.WriteString(" .")
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
