// Package safetensors reads and writes the safetensors tensor file format,
// so that nn checkpoints open in Python tools (safetensors, PyTorch, JAX)
// and the other way round.
//
// A file is an 8-byte little-endian header length N, N bytes of JSON
// mapping each tensor name to {"dtype", "shape", "data_offsets": [begin,
// end]} (plus an optional "__metadata__" object of strings), then the raw
// little-endian tensor bytes, with offsets relative to the end of the
// header. Parse validates everything a malformed or truncated file can get
// wrong and reports it as an error, never a panic; WriteFile writes
// atomically (temporary file in the same directory, fsync, rename).
package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxHeader is the largest header accepted, as in the reference reader.
const MaxHeader = 100 << 20

// DType names an element type as the format spells it.
type DType string

// The element types of the format.
const (
	BOOL DType = "BOOL"
	U8   DType = "U8"
	I8   DType = "I8"
	F8E4 DType = "F8_E4M3"
	F8E5 DType = "F8_E5M2"
	I16  DType = "I16"
	U16  DType = "U16"
	F16  DType = "F16"
	BF16 DType = "BF16"
	I32  DType = "I32"
	U32  DType = "U32"
	F32  DType = "F32"
	F64  DType = "F64"
	I64  DType = "I64"
	U64  DType = "U64"
)

// Size returns the bytes per element, or 0 for an unknown type.
func (d DType) Size() int {
	switch d {
	case BOOL, U8, I8, F8E4, F8E5:
		return 1
	case I16, U16, F16, BF16:
		return 2
	case I32, U32, F32:
		return 4
	case F64, I64, U64:
		return 8
	}
	return 0
}

// Tensor is one named tensor: its element type, shape and raw
// little-endian bytes.
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// Numel returns the number of elements.
func (t *Tensor) Numel() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Float32s decodes an F32 tensor.
func (t *Tensor) Float32s() ([]float32, error) {
	if t.DType != F32 {
		return nil, fmt.Errorf("tensor %q has dtype %s, not F32", t.Name, t.DType)
	}
	out := make([]float32, len(t.Data)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
	}
	return out, nil
}

// Float64s decodes an F64 tensor.
func (t *Tensor) Float64s() ([]float64, error) {
	if t.DType != F64 {
		return nil, fmt.Errorf("tensor %q has dtype %s, not F64", t.Name, t.DType)
	}
	out := make([]float64, len(t.Data)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(t.Data[8*i:]))
	}
	return out, nil
}

// FromFloat32s makes an F32 tensor.
func FromFloat32s(name string, shape []int, v []float32) Tensor {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return Tensor{Name: name, DType: F32, Shape: append([]int(nil), shape...), Data: b}
}

// FromFloat64s makes an F64 tensor.
func FromFloat64s(name string, shape []int, v []float64) Tensor {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return Tensor{Name: name, DType: F64, Shape: append([]int(nil), shape...), Data: b}
}

// File is the content of a safetensors file.
type File struct {
	Tensors  []Tensor // in the order of their data
	Metadata map[string]string
}

// Get returns the tensor with the given name.
func (f *File) Get(name string) (*Tensor, bool) {
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i], true
		}
	}
	return nil, false
}

// ErrFormat is wrapped by every error about malformed content.
var ErrFormat = errors.New("malformed safetensors")

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

type entry struct {
	DType   string  `json:"dtype"`
	Shape   []int64 `json:"shape"`
	Offsets []int64 `json:"data_offsets"`
}

// Parse decodes and validates a whole file held in memory. The tensors'
// Data alias b.
func Parse(b []byte) (*File, error) {
	if len(b) < 8 {
		return nil, bad("truncated: %d bytes, fewer than the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > MaxHeader {
		return nil, bad("header length %d exceeds the %d-byte limit", n, MaxHeader)
	}
	if n > uint64(len(b)-8) {
		return nil, bad("truncated: header says %d bytes but only %d follow the length", n, len(b)-8)
	}
	hdr := b[8 : 8+n]
	data := b[8+n:]
	if !bytes.HasPrefix(bytes.TrimLeft(hdr, " "), []byte("{")) {
		return nil, bad("header is not a JSON object")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &raw); err != nil {
		return nil, bad("header JSON: %v", err)
	}
	f := &File{}
	type item struct {
		t          Tensor
		begin, end int64
	}
	var items []item
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.Metadata); err != nil {
				return nil, bad("__metadata__ is not an object of strings: %v", err)
			}
			continue
		}
		var e entry
		dec := json.NewDecoder(bytes.NewReader(msg))
		if err := dec.Decode(&e); err != nil {
			return nil, bad("tensor %q: %v", name, err)
		}
		dt := DType(e.DType)
		if dt.Size() == 0 {
			return nil, bad("tensor %q: unknown dtype %q", name, e.DType)
		}
		if len(e.Offsets) != 2 {
			return nil, bad("tensor %q: data_offsets has %d entries, want 2", name, len(e.Offsets))
		}
		begin, end := e.Offsets[0], e.Offsets[1]
		if begin < 0 || end < begin || end > int64(len(data)) {
			return nil, bad("tensor %q: data_offsets [%d, %d] outside the %d data bytes (truncated file?)", name, begin, end, len(data))
		}
		numel := int64(1)
		shape := make([]int, len(e.Shape))
		for i, d := range e.Shape {
			if d < 0 {
				return nil, bad("tensor %q: negative dimension in shape %v", name, e.Shape)
			}
			if d > 0 && numel > math.MaxInt64/8/d {
				return nil, bad("tensor %q: shape %v overflows", name, e.Shape)
			}
			numel *= d
			shape[i] = int(d)
		}
		if numel*int64(dt.Size()) != end-begin {
			return nil, bad("tensor %q: shape %v of %s needs %d bytes, data_offsets give %d", name, e.Shape, dt, numel*int64(dt.Size()), end-begin)
		}
		items = append(items, item{Tensor{Name: name, DType: dt, Shape: shape, Data: data[begin:end:end]}, begin, end})
	}
	// Offsets must tile the data region exactly, as the reference reader
	// requires: no gaps, no overlaps, nothing left over.
	sort.Slice(items, func(a, b int) bool {
		if items[a].begin != items[b].begin {
			return items[a].begin < items[b].begin
		}
		if items[a].end != items[b].end {
			return items[a].end < items[b].end
		}
		return items[a].t.Name < items[b].t.Name
	})
	var at int64
	for _, it := range items {
		if it.begin != at {
			return nil, bad("tensor %q starts at byte %d, expected %d (gap or overlap)", it.t.Name, it.begin, at)
		}
		at = it.end
		f.Tensors = append(f.Tensors, it.t)
	}
	if at != int64(len(data)) {
		return nil, bad("tensors cover %d data bytes but the file holds %d", at, len(data))
	}
	return f, nil
}

// ReadFile reads and validates the file at path; errors name the file.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Encode writes tensors (data in the given order) and metadata to w.
func Encode(w io.Writer, tensors []Tensor, meta map[string]string) error {
	hdr := map[string]any{}
	if len(meta) > 0 {
		hdr["__metadata__"] = meta
	}
	var off int64
	for _, t := range tensors {
		if t.Name == "" || t.Name == "__metadata__" {
			return fmt.Errorf("safetensors: invalid tensor name %q", t.Name)
		}
		if _, dup := hdr[t.Name]; dup {
			return fmt.Errorf("safetensors: duplicate tensor name %q", t.Name)
		}
		if t.DType.Size() == 0 {
			return fmt.Errorf("safetensors: tensor %q has unknown dtype %q", t.Name, t.DType)
		}
		if t.Numel()*t.DType.Size() != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q: shape %v of %s needs %d bytes, has %d", t.Name, t.Shape, t.DType, t.Numel()*t.DType.Size(), len(t.Data))
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		hdr[t.Name] = map[string]any{"dtype": t.DType, "shape": shape, "data_offsets": []int64{off, off + int64(len(t.Data))}}
		off += int64(len(t.Data))
	}
	js, err := json.Marshal(hdr)
	if err != nil {
		return err
	}
	if pad := (8 - len(js)%8) % 8; pad > 0 {
		js = append(js, strings.Repeat(" ", pad)...)
	}
	var lenb [8]byte
	binary.LittleEndian.PutUint64(lenb[:], uint64(len(js)))
	if _, err := w.Write(lenb[:]); err != nil {
		return err
	}
	if _, err := w.Write(js); err != nil {
		return err
	}
	for _, t := range tensors {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile encodes tensors and metadata to path atomically: it writes a
// temporary file in the same directory, syncs it, and renames it over
// path, so readers see either the old file or the complete new one.
func WriteFile(path string, tensors []Tensor, meta map[string]string) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := &bufWriter{f: tmp}
	if err = Encode(bw, tensors, meta); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = bw.flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable
		d.Sync()
		d.Close()
	}
	return nil
}

// bufWriter batches small writes.
type bufWriter struct {
	f   *os.File
	buf []byte
}

// Write buffers p, flushing when the buffer is full.
func (b *bufWriter) Write(p []byte) (int, error) {
	if len(b.buf)+len(p) > 1<<20 {
		if err := b.flush(); err != nil {
			return 0, err
		}
	}
	if len(p) > 1<<20 {
		return b.f.Write(p)
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *bufWriter) flush() error {
	_, err := b.f.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}
