package kv

import (
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := NewRegistry[int]("thing spec")
	r.Add("b", "b[:n=1]  the b", 2)
	r.Add("a", "a  the a", 1)
	if got := strings.Join(r.Names(), ","); got != "a,b" {
		t.Errorf("Names = %s", got)
	}
	if got := r.Describe(); got != "  a  the a\n  b[:n=1]  the b\n" {
		t.Errorf("Describe = %q", got)
	}
	make := func(k int, a *Args) (int64, error) { return int64(k) * a.Int("n", 1, 1, 10), nil }
	if v, err := Build(r, "b:n=3", make); err != nil || v != 6 {
		t.Errorf("Build(b:n=3) = %d, %v", v, err)
	}
	for spec, want := range map[string]string{"c": `thing spec "c": unknown kind "c" (known: a, b)`, "b:m=1": "m", "b:n=11": "n", "B": "B"} {
		if _, err := Build(r, spec, make); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Build(%q) = %v, want an error with %q", spec, err, want)
		}
	}
	for _, name := range []string{"a", "Bad"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Add(%q): no panic", name)
				}
			}()
			r.Add(name, "", 0)
		}()
	}
}
