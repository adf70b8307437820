package data

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// TestReadNPYNumPy reads files written by NumPy 1.24 (testdata/gen_npy.py)
// and compares them with the values the script recorded.
func TestReadNPYNumPy(t *testing.T) {
	raw, err := os.ReadFile("testdata/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var expected map[string]struct {
		Shape  []int
		Values []float64
	}
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(expected))
	for name := range expected {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		want := expected[name]
		got, err := LoadNPY(filepath.Join("testdata", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !slices.Equal(got.Shape(), want.Shape) {
			t.Errorf("%s: got shape %v, want %v", name, got.Shape(), want.Shape)
			continue
		}
		for i, w := range want.Values {
			if g := got.AtFlat(i); g != float64(float32(w)) {
				t.Errorf("%s: element %d: got %v, want %v", name, i, g, float32(w))
			}
		}
	}
}

func TestWriteNPYMatchesNumPy(t *testing.T) {
	// testdata/f4_2x3.npy is np.save of this array: our bytes must be
	// identical, header padding included.
	want, err := os.ReadFile("testdata/f4_2x3.npy")
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.FromFloat32([]float32{0.5, -1.25, 3.0, 1e-3, 2.5e6, float32(math.Copysign(0, -1))}, 2, 3)
	var buf bytes.Buffer
	if err := WriteNPY(&buf, x); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("got\n%q\nwant (np.save)\n%q", buf.Bytes(), want)
	}
}

func TestNPYRoundTrip(t *testing.T) {
	tests := []*tensor.Tensor{
		tensor.FromFloat32([]float32{1, -2, 3.5, 4, 5, 6}, 2, 3),
		tensor.FromFloat32([]float32{1, 2, 3}, 3),
		tensor.Scalar(7),
		tensor.Zeros(0, 4),
		tensor.Zeros(2, 1, 3, 1),
		tensor.FromFloat64([]float64{0.1, 1e-300, -3}, 3, 1),
	}
	for _, x := range tests {
		var buf bytes.Buffer
		if err := WriteNPY(&buf, x); err != nil {
			t.Fatal(err)
		}
		if n := tensor.NumElements(x.Shape()) * 4; x.DType() == tensor.Float32 && (buf.Len()-n)%64 != 0 {
			t.Errorf("%v: header takes %d bytes, want a multiple of 64 (NumPy's alignment)", x, buf.Len()-n)
		}
		got, err := ReadNPY(&buf)
		if err != nil {
			t.Fatalf("%v: %v", x, err)
		}
		want := x.AsType(tensor.Float32)
		if !slices.Equal(got.Shape(), want.Shape()) || !slices.Equal(got.Float32s(), want.Float32s()) {
			t.Errorf("got %v, want %v", got, want)
		}
	}
}

func TestSaveNPY(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.npy")
	x := tensor.FromFloat32([]float32{1, 2, 3, 4}, 2, 2)
	if err := SaveNPY(path, x); err != nil {
		t.Fatal(err)
	}
	got, err := LoadNPY(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Float32s(), x.Float32s()) {
		t.Errorf("got %v, want %v", got, x)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("got %d files in the folder, want only x.npy (no temporary left)", len(entries))
	}
	if err := SaveNPY(filepath.Join(dir, "no", "such", "dir.npy"), x); err == nil {
		t.Error("saving into a missing folder: got no error, want one")
	}
}

// npyBytes builds an NPY 1.0 file from a header dict and data.
func npyBytes(dict string, data []byte) []byte {
	b := []byte(npyMagic + "\x01\x00")
	b = append(b, byte(len(dict)), byte(len(dict)>>8))
	return append(append(b, dict...), data...)
}

func TestReadNPYErrors(t *testing.T) {
	f4 := func(shape string) string {
		return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }"
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "magic"},
		{"not npy", []byte("PK\x03\x04zipfile"), "not an NPY file"},
		{"version", []byte(npyMagic + "\x04\x00\x00\x00"), "version 4.0"},
		{"short header", npyBytes(f4("(2,)"), nil)[:20], "header"},
		{"not a dict", npyBytes("['descr']", nil), "bad NPY header"},
		{"missing key", npyBytes("{'descr': '<f4', 'shape': (1,)}", make([]byte, 4)), "want the keys"},
		{"unknown key", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", nil), `unexpected key "x"`},
		{"bad shape", npyBytes(f4("(2, -1)"), nil), "shape"},
		{"bad bool", npyBytes("{'descr': '<f4', 'fortran_order': Maybe, 'shape': ()}", nil), "True or False"},
		{"structured", npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}", nil), "structured"},
		{"complex", npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}", nil), `dtype "<c8" is not supported`},
		{"unicode", npyBytes("{'descr': '<U3', 'fortran_order': False, 'shape': (1,)}", nil), `dtype "<U3" is not supported`},
		{"truncated data", npyBytes(f4("(2, 3)"), make([]byte, 20)), "truncated: got 0 of 6 elements"},
		{"extra data", npyBytes(f4("(1,)"), make([]byte, 5)), "extra bytes"},
		{"huge", npyBytes(f4("(2147483648, 2147483648)"), nil), "more than"},
		// 2^30 float32 claimed, 4 bytes present: a short read, not a 4 GiB allocation.
		{"lying header", npyBytes(f4("(1073741824,)"), make([]byte, 4)), "truncated"},
	}
	for _, tc := range tests {
		_, err := ReadNPY(bytes.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestLoadNPYErrors(t *testing.T) {
	_, err := LoadNPY("testdata/fortran_2x3.npy")
	if err == nil || !strings.Contains(err.Error(), "fortran_order") || !strings.Contains(err.Error(), "fortran_2x3.npy") {
		t.Errorf("fortran order: got %v, want an error naming the file and fortran_order", err)
	}
	_, err = LoadNPY("testdata/missing.npy")
	if err == nil || !strings.Contains(err.Error(), "missing.npy") {
		t.Errorf("missing file: got %v, want an error naming it", err)
	}
}

func TestHalfToFloat32(t *testing.T) {
	tests := []struct {
		bits uint16
		want float32
	}{
		// Bit patterns from IEEE 754 binary16 (Wikipedia, "Half-precision floating-point format").
		{0x3c00, 1},
		{0xc000, -2},
		{0x7bff, 65504},         // largest normal
		{0x0001, 5.9604645e-08}, // smallest subnormal, 2^-24
		{0x0400, 6.1035156e-05}, // smallest normal, 2^-14
		{0x7c00, float32(math.Inf(1))},
		{0x8000, float32(math.Copysign(0, -1))},
	}
	for _, tc := range tests {
		if got := halfToFloat32(tc.bits); got != tc.want {
			t.Errorf("halfToFloat32(%#04x): got %v, want %v", tc.bits, got, tc.want)
		}
	}
	if got := halfToFloat32(0x7e00); !math.IsNaN(float64(got)) {
		t.Errorf("halfToFloat32(0x7e00): got %v, want NaN", got)
	}
}

func FuzzReadNPY(f *testing.F) {
	for _, name := range []string{"f4_2x3.npy", "i8_2x1x2.npy", "b1_3.npy", "v2_3x2.npy", "scalar_f4.npy", "f2_4.npy"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		x, err := ReadNPY(bytes.NewReader(in))
		if err != nil {
			return
		}
		if tensor.NumElements(x.Shape()) != x.Len() {
			t.Fatalf("shape %v does not match %d elements", x.Shape(), x.Len())
		}
	})
}
