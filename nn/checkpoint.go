package nn

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"

	"argmax/nn/safetensors"
)

func dtypeOf[T Float]() safetensors.DType {
	if is32[T]() {
		return safetensors.F32
	}
	return safetensors.F64
}

// Save writes params (names must be unique) and string metadata to path in
// the safetensors format, atomically: a crash leaves either the previous
// file or the complete new one.
func Save[T Float](path string, params []*Param[T], meta map[string]string) error {
	dt := dtypeOf[T]()
	ts := make([]safetensors.Tensor, 0, len(params))
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.Name] {
			return fmt.Errorf("%s: two parameters named %q", path, p.Name)
		}
		seen[p.Name] = true
		b := make([]byte, len(p.Data)*dt.Size())
		for i, v := range p.Data {
			if dt == safetensors.F32 {
				binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(v)))
			} else {
				binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(float64(v)))
			}
		}
		ts = append(ts, safetensors.Tensor{Name: p.Name, DType: dt, Shape: p.shape, Data: b})
	}
	return safetensors.WriteFile(path, ts, meta)
}

// Load reads a checkpoint written by Save (or by any safetensors writer)
// into params and returns its metadata. The file must hold exactly the
// parameters' names with the same shapes and the element type of T;
// otherwise Load returns an error naming the file and the first mismatch and
// leaves every parameter unchanged.
func Load[T Float](path string, params []*Param[T]) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadBytes(path, b, params)
}

// LoadBytes is Load on a file already in memory; name is used in errors.
func LoadBytes[T Float](name string, b []byte, params []*Param[T]) (map[string]string, error) {
	f, err := safetensors.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dt := dtypeOf[T]()
	byName := make(map[string]*safetensors.Tensor, len(f.Tensors))
	for i := range f.Tensors {
		byName[f.Tensors[i].Name] = &f.Tensors[i]
	}
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.Name] {
			return nil, fmt.Errorf("%s: the model has two parameters named %q", name, p.Name)
		}
		seen[p.Name] = true
		t, ok := byName[p.Name]
		if !ok {
			return nil, fmt.Errorf("%s: missing tensor %q (shape %v)", name, p.Name, p.shape)
		}
		if t.DType != dt {
			return nil, fmt.Errorf("%s: tensor %q has dtype %s, the model wants %s", name, p.Name, t.DType, dt)
		}
		if !sameShape(t.Shape, p.shape) {
			return nil, fmt.Errorf("%s: tensor %q has shape %v, the model wants %v", name, p.Name, t.Shape, p.shape)
		}
	}
	for _, t := range f.Tensors {
		if !seen[t.Name] {
			return nil, fmt.Errorf("%s: unexpected tensor %q (shape %v) not in the model", name, t.Name, t.Shape)
		}
	}
	for _, p := range params {
		d := byName[p.Name].Data
		for i := range p.Data {
			if dt == safetensors.F32 {
				p.Data[i] = T(math.Float32frombits(binary.LittleEndian.Uint32(d[4*i:])))
			} else {
				p.Data[i] = T(math.Float64frombits(binary.LittleEndian.Uint64(d[8*i:])))
			}
		}
	}
	if f.Metadata == nil {
		f.Metadata = map[string]string{}
	}
	return f.Metadata, nil
}
