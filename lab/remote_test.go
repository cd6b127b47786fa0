package lab

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"argmax/lab/store"
)

// TestResolveRoundTrip makes trials of every parameter kind from their
// references and gets the same trials back.
func TestResolveRoundTrip(t *testing.T) {
	reg := testRegistry()
	spec, err := ParseSpec([]byte("name: r\nseed: 9\nscale: full\nexperiments:\n  - name: kinds\n    seeds: 2\n    grid: {rate: [0.1, 0.3333333333333333], budgets: [[1, 2], [3]]}\n  - name: mc-pi\n"), "r.yaml", reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range spec.Plan() {
		got, err := reg.Resolve(tr.Ref())
		if err != nil {
			t.Fatalf("%s: %v", tr, err)
		}
		if got.Key != tr.Key || got.Seed != tr.Seed || got.Scale != tr.Scale || !reflect.DeepEqual(got.Params, tr.Params) {
			t.Errorf("%s resolved to %s (%+v)", tr, got, got.Params)
		}
	}
}

// TestResolveErrors checks that a reference this program cannot make
// into the same trial is refused with an error that says why.
func TestResolveErrors(t *testing.T) {
	reg := testRegistry()
	base := NewTrial(func() *Experiment { e, _ := reg.Lookup("kinds"); return e }(), func() Params {
		e, _ := reg.Lookup("kinds")
		return e.Defaults(Quick)
	}(), Quick, 1, 0).Ref()
	for _, tc := range []struct {
		name string
		edit func(r *TrialRef)
		want string
	}{
		{"unknown experiment", func(r *TrialRef) { r.Experiment = "nope" }, `"nope" is not registered`},
		{"other version", func(r *TrialRef) { r.Version = 7 }, "version 0 here, 7 in the reference"},
		{"bad scale", func(r *TrialRef) { r.Scale = "huge" }, `scale "huge"`},
		{"not JSON", func(r *TrialRef) { r.Point = "{n:" }, "not a JSON object"},
		{"unknown parameter", func(r *TrialRef) { r.Point = strings.Replace(r.Point, `"n":`, `"m":`, 1) }, `no parameter "m"`},
		{"wrong kind", func(r *TrialRef) { r.Point = strings.Replace(r.Point, `"n":4`, `"n":"four"`, 1) }, "parameter n: want an integer"},
		{"out of range", func(r *TrialRef) { r.Point = strings.Replace(r.Point, `"n":4`, `"n":5000`, 1) }, "parameter n"},
		{"other key", func(r *TrialRef) { r.SeedIndex = 1 }, "run the same argmax build"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			tc.edit(&r)
			_, err := reg.Resolve(r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to say %q", err, tc.want)
			}
		})
	}
}

// TestAdopt runs a trial as a worker would and adopts its record in the
// coordinator's copy: the stored form is the same.
func TestAdopt(t *testing.T) {
	e := MonteCarloPi
	p := e.Defaults(Quick)
	worker := NewTrial(&e, p, Quick, 3, 1)
	rec, err := RunTrial(context.Background(), worker, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	coord := NewTrial(&e, p, Quick, 3, 1)
	if err := coord.Adopt(rec); err != nil {
		t.Fatal(err)
	}
	got := coord.record(coord.began, nil)
	if !reflect.DeepEqual(got, rec) {
		t.Errorf("adopted record\n%+v\nwant\n%+v", got, rec)
	}
	if v, ok := coord.Value("pi", 0); !ok || math.Abs(v-math.Pi) > 0.1 {
		t.Errorf("adopted pi %v %v", v, ok)
	}
	failed := &store.Trial{Key: coord.Key, Status: store.StatusFailed, Error: "boom"}
	if err := coord.Adopt(failed); err == nil || err.Error() != "boom" {
		t.Errorf("adopting a failure: %v", err)
	}
	if err := coord.Adopt(&store.Trial{Key: "other"}); err == nil {
		t.Error("adopted another trial's record")
	}
}
