package kv

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	rest := func(kind string) string {
		if kind == "ext" {
			return "cmd"
		}
		return ""
	}
	for _, c := range []struct {
		text, want, err string
	}{
		{"mcts", "mcts", ""},
		{" mcts : sims=800 , seed=1 ", "mcts:sims=800,seed=1", ""},
		{"mcts:reuse", "mcts:reuse", ""},
		{"ext:cmd=python3 bot.py --a=1,b", "ext:cmd=python3 bot.py --a=1,b", ""},
		{"", "", `env spec "": no kind`},
		{"Cartpole", "", `kind "Cartpole": want lower-case`},
		{"cartpole:=1", "", `argument 1 "=1": no key`},
		{"cartpole:length=1,length=2", "", `key "length" given twice`},
		{"cartpole:length=", "", `key "length": empty value`},
	} {
		s, err := Parse("env spec", c.text, rest)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err) || !strings.HasPrefix(err.Error(), "env spec ")):
			t.Errorf("Parse(%q): error %v, want one containing %q", c.text, err, c.err)
		case c.err == "" && (err != nil || s.String() != c.want):
			t.Errorf("Parse(%q) = %q, %v; want %q", c.text, s, err, c.want)
		}
	}
}

func TestArgs(t *testing.T) {
	text := "k:n=1_000,f=0.5,b,d=250ms,s=x,u=0x10"
	s, err := Parse("thing spec", text, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := NewArgs("thing spec", text, s)
	if n, f, b, d, str, u := a.Int("n", 0, 0, 1e6), a.Float("f", 0, 0, 1), a.Bool("b", false), a.Duration("d", 0), a.String("s", ""), a.Uint("u", 0); n != 1000 || f != 0.5 || !b || d != 250*time.Millisecond || str != "x" || u != 16 {
		t.Errorf("getters: %v %v %v %v %q %v", n, f, b, d, str, u)
	}
	if a.Err() != nil || a.Unread() != nil || a.Kind() != "k" {
		t.Errorf("err %v, unread %v, kind %q", a.Err(), a.Unread(), a.Kind())
	}
	bad := NewArgs("thing spec", "k:n=2,m=3", Spec{Kind: "k", Args: []KeyValue{{Key: "n", Value: "2"}, {Key: "m", Value: "3"}}})
	if bad.Int("n", 0, 5, 9); bad.Err() == nil || bad.Err().Error() != `thing spec "k:n=2,m=3": key n=2: out of range [5, 9]` {
		t.Errorf("out of range: %v", bad.Err())
	}
	if err := bad.Unread(); err == nil || err.Error() != `thing spec "k:n=2,m=3": unknown key "m" for k (k has keys: n)` {
		t.Errorf("unread: %v", err)
	}
}

// FuzzParse: Parse never panics, and a spec it accepts prints back to a
// spec that parses to the same thing.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"mcts:sims=800,seed=1", "a:b", "ext:cmd=x,y", ":", "a:b=,c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse("spec", text, nil)
		if err != nil {
			return
		}
		again, err := Parse("spec", s.String(), nil)
		if err != nil || again.String() != s.String() {
			t.Fatalf("%q parsed to %q, which parses to %q, %v", text, s, again, err)
		}
	})
}
