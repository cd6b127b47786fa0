package nn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"argmax/nn/safetensors"
)

func TestCheckpointRoundTrip(t *testing.T) {
	net := NewPolicyValueNet[float32](NewRand(1), "pv", PolicyValueConfig{Planes: 2, Height: 6, Width: 7, Blocks: 1, Channels: 8, Policy: 7})
	for _, p := range net.Params() {
		p.Init(NewRand(uint64(len(p.Name))), Normal(1)) // buffers too
	}
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := Save(path, net.Params(), map[string]string{"step": "3"}); err != nil {
		t.Fatal(err)
	}
	other := NewPolicyValueNet[float32](NewRand(2), "pv", net.Config)
	meta, err := Load(path, other.Params())
	if err != nil {
		t.Fatal(err)
	}
	if meta["step"] != "3" {
		t.Errorf("metadata %v", meta)
	}
	for i, p := range net.Params() {
		q := other.Params()[i]
		for j := range p.Data {
			if p.Data[j] != q.Data[j] {
				t.Fatalf("%s[%d]: %g after load, want %g", p.Name, j, q.Data[j], p.Data[j])
			}
		}
	}
}

func TestCheckpointErrors(t *testing.T) {
	dir := t.TempDir()
	mk := func() *MLP[float32] { return NewMLP[float32](NewRand(1), "mlp", []int{3, 4, 2}, ReLU, Identity) }
	good := filepath.Join(dir, "good.safetensors")
	if err := Save(good, mk().Params(), nil); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	m64 := NewMLP[float64](NewRand(1), "mlp", []int{3, 4, 2}, ReLU, Identity)
	wrongShape := NewMLP[float32](NewRand(1), "mlp", []int{3, 5, 2}, ReLU, Identity)
	renamed := NewMLP[float32](NewRand(1), "net", []int{3, 4, 2}, ReLU, Identity)
	extra := filepath.Join(dir, "extra.safetensors")
	Save(extra, append(mk().Params(), NewParam[float32]("surplus", 2)), nil)

	cases := []struct {
		name string
		load func() error
		want string
	}{
		{"truncated", func() error { _, err := Load(write("trunc.safetensors", raw[:len(raw)-5]), mk().Params()); return err }, "trunc.safetensors"},
		{"corrupt header", func() error {
			b := append([]byte(nil), raw...)
			b[8] = '#'
			_, err := Load(write("corrupt.safetensors", b), mk().Params())
			return err
		}, "not a JSON object"},
		{"dtype", func() error { _, err := Load(good, m64.Params()); return err }, "dtype F32, the model wants F64"},
		{"shape", func() error { _, err := Load(good, wrongShape.Params()); return err }, "shape [3 4], the model wants [3 5]"},
		{"missing", func() error { _, err := Load(good, renamed.Params()); return err }, `missing tensor "net.0.weight"`},
		{"extra", func() error { _, err := Load(extra, mk().Params()); return err }, `unexpected tensor "surplus"`},
		{"no file", func() error { _, err := Load(filepath.Join(dir, "absent"), mk().Params()); return err }, "absent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.load()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	// A failed load leaves the parameters as they were.
	m := mk()
	before := append([]float32(nil), m.Layers[0].W.Data...)
	if _, err := Load(extra, m.Params()); err == nil {
		t.Fatal("expected an error")
	}
	for i := range before {
		if m.Layers[0].W.Data[i] != before[i] {
			t.Fatal("failed load modified the parameters")
		}
	}
}

func FuzzLoadCheckpoint(f *testing.F) {
	net := NewMLP[float32](NewRand(1), "mlp", []int{3, 4, 2}, ReLU, Identity)
	path := filepath.Join(f.TempDir(), "seed.safetensors")
	if err := Save(path, net.Params(), map[string]string{"k": "v"}); err != nil {
		f.Fatal(err)
	}
	seed, _ := os.ReadFile(path)
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte("\x10\x00\x00\x00\x00\x00\x00\x00{}              "))
	f.Fuzz(func(t *testing.T, b []byte) {
		m := NewMLP[float32](NewRand(1), "mlp", []int{3, 4, 2}, ReLU, Identity)
		_, err := LoadBytes("fuzz.safetensors", b, m.Params())
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.safetensors: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// A file that loads must hold exactly the model's tensors.
		file, perr := safetensors.Parse(b)
		if perr != nil || len(file.Tensors) != len(m.Params()) {
			t.Fatalf("loaded a file that does not match the model")
		}
	})
}
