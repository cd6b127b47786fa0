package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample() ([]Tensor, map[string]string) {
	return []Tensor{
		FromFloat32s("layer.weight", []int{2, 3}, []float32{1, 2, 3, 4, 5, -6.5}),
		FromFloat64s("layer.bias", []int{2}, []float64{0.25, -1}),
		{Name: "empty", DType: F32, Shape: []int{0, 4}, Data: nil},
		FromFloat32s("scalar", []int{}, []float32{7}),
	}, map[string]string{"format": "pt", "step": "12"}
}

func TestRoundTrip(t *testing.T) {
	ts, meta := sample()
	var buf bytes.Buffer
	if err := Encode(&buf, ts, meta); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if n := binary.LittleEndian.Uint64(b); n%8 != 0 {
		t.Errorf("header length %d not padded to 8", n)
	}
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata["step"] != "12" || f.Metadata["format"] != "pt" {
		t.Errorf("metadata %v", f.Metadata)
	}
	if len(f.Tensors) != len(ts) {
		t.Fatalf("%d tensors, want %d", len(f.Tensors), len(ts))
	}
	for i, want := range ts {
		got := f.Tensors[i] // data order is the write order
		if got.Name != want.Name || got.DType != want.DType || !bytes.Equal(got.Data, want.Data) || len(got.Shape) != len(want.Shape) {
			t.Errorf("tensor %d: got %+v, want %+v", i, got, want)
		}
	}
	w, _ := f.Get("layer.weight")
	v, err := w.Float32s()
	if err != nil || v[5] != -6.5 {
		t.Errorf("Float32s: %v %v", v, err)
	}
	if _, err := w.Float64s(); err == nil {
		t.Error("Float64s of an F32 tensor should fail")
	}
}

// TestKnownBytes checks the encoding against a file laid out by hand from
// the format description.
func TestKnownBytes(t *testing.T) {
	hdr := `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(hdr)))
	b.WriteString(hdr)
	binary.Write(&b, binary.LittleEndian, []float32{1.5, -2})
	f, err := Parse(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.Tensors[0].Float32s()
	if len(v) != 2 || v[0] != 1.5 || v[1] != -2 || f.Tensors[0].Shape[0] != 2 {
		t.Errorf("decoded %v shape %v", v, f.Tensors[0].Shape)
	}
}

func TestParseErrors(t *testing.T) {
	ts, meta := sample()
	var buf bytes.Buffer
	Encode(&buf, ts, meta)
	good := buf.Bytes()
	mk := func(hdr string, data int) []byte {
		var b bytes.Buffer
		binary.Write(&b, binary.LittleEndian, uint64(len(hdr)))
		b.WriteString(hdr)
		b.Write(make([]byte, data))
		return b.Bytes()
	}
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "fewer than the 8-byte"},
		{"truncated header", good[:20], "truncated"},
		{"truncated data", good[:len(good)-3], "outside"},
		{"huge header", binary.LittleEndian.AppendUint64(nil, 1<<40), "exceeds"},
		{"not json", mk("hello", 0), "not a JSON object"},
		{"bad json", mk(`{"a":`, 0), "header JSON"},
		{"unknown dtype", mk(`{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}`, 4), "unknown dtype"},
		{"short offsets", mk(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}`, 4), "2"},
		{"size mismatch", mk(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, 8), "needs 12 bytes"},
		{"negative dim", mk(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, 4), "negative"},
		{"overflow", mk(`{"a":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,8]}}`, 8), "overflows"},
		{"gap", mk(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8), "gap or overlap"},
		{"overlap", mk(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8), "gap or overlap"},
		{"trailing bytes", mk(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 8), "cover 4 data bytes"},
		{"bad metadata", mk(`{"__metadata__":{"k":1}}`, 0), "__metadata__"},
		{"wrong field type", mk(`{"a":{"dtype":"F32","shape":"x","data_offsets":[0,4]}}`, 4), "tensor \"a\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.b)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want ErrFormat mentioning %q", err, c.want)
			}
		})
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ckpt.safetensors")
	ts, meta := sample()
	if err := WriteFile(path, ts, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path); err != nil {
		t.Fatal(err)
	}
	// A failing write (duplicate names) leaves the old file and no temporary.
	bad := append(ts, ts[0])
	if err := WriteFile(path, bad, nil); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Fatalf("duplicate names: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want 1", len(ents))
	}
	if f, err := ReadFile(path); err != nil || len(f.Tensors) != len(ts) {
		t.Errorf("old file damaged: %v", err)
	}
	os.WriteFile(path, []byte("garbage!garbage"), 0o644)
	if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error should name the file: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	ts, meta := sample()
	var buf bytes.Buffer
	Encode(&buf, ts, meta)
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Add(binary.LittleEndian.AppendUint64(nil, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Parse(b)
		if err != nil {
			return
		}
		// Whatever parses must re-encode and parse to the same tensors.
		var out bytes.Buffer
		if err := Encode(&out, file.Tensors, file.Metadata); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		again, err := Parse(out.Bytes())
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if len(again.Tensors) != len(file.Tensors) {
			t.Fatalf("%d tensors after round trip, want %d", len(again.Tensors), len(file.Tensors))
		}
	})
}
