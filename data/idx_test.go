package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// idxBytes builds an IDX file: magic 00 00 code rank, big-endian uint32
// dims, then data (already encoded).
func idxBytes(code byte, dims []int, data []byte) []byte {
	b := []byte{0, 0, code, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

func TestReadIDXTypes(t *testing.T) {
	be := binary.BigEndian
	tests := []struct {
		name string
		code byte
		data []byte
		want []float32
	}{
		{"ubyte", 0x08, []byte{0, 7, 255}, []float32{0, 7, 255}},
		{"byte", 0x09, []byte{0x80, 0xff, 5}, []float32{-128, -1, 5}},
		{"short", 0x0B, be.AppendUint16(be.AppendUint16(be.AppendUint16(nil, 0x8000), 0xfffe), 300), []float32{-32768, -2, 300}},
		{"int", 0x0C, be.AppendUint32(be.AppendUint32(be.AppendUint32(nil, 0xffffffff), 1<<20), 9), []float32{-1, 1 << 20, 9}},
		{"float", 0x0D, be.AppendUint32(be.AppendUint32(be.AppendUint32(nil, math.Float32bits(1.5)), math.Float32bits(-2)), 0), []float32{1.5, -2, 0}},
		{"double", 0x0E, be.AppendUint64(be.AppendUint64(be.AppendUint64(nil, math.Float64bits(0.25)), math.Float64bits(-1e3)), 0), []float32{0.25, -1000, 0}},
	}
	for _, tc := range tests {
		shape, got, err := ReadIDX(bytes.NewReader(idxBytes(tc.code, []int{3, 1}, tc.data)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.Equal(shape, []int{3, 1}) || !slices.Equal(got, tc.want) {
			t.Errorf("%s: got shape %v values %v, want [3 1] %v", tc.name, shape, got, tc.want)
		}
	}
}

func TestReadIDXErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "magic"},
		{"bad magic", []byte{1, 2, 8, 1, 0, 0, 0, 1, 0}, "not an IDX file"},
		{"bad type", idxBytes(0x0A, []int{1}, []byte{0}), "element type 0x0a"},
		{"rank 0", []byte{0, 0, 8, 0}, "rank 0"},
		{"short dims", []byte{0, 0, 8, 2, 0, 0, 0, 1}, "dimensions"},
		{"truncated", idxBytes(0x08, []int{2, 3}, []byte{1, 2, 3, 4}), "truncated: got 0 of 6 elements"},
		{"extra", idxBytes(0x08, []int{2}, []byte{1, 2, 3}), "extra bytes"},
		// 2^31 * 2^31 elements: the product overflows the cap before any allocation.
		{"huge", idxBytes(0x08, []int{1 << 31, 1 << 31}, nil), "more than"},
		// A header claiming 2^30 doubles with no data behind it must fail
		// on the short read, not allocate 4 GiB first.
		{"lying header", idxBytes(0x0E, []int{1 << 30}, []byte{1, 2, 3}), "truncated"},
	}
	for _, tc := range tests {
		_, _, err := ReadIDX(bytes.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func writeFile(t testing.TB, dir, name string, b []byte, gz bool) string {
	t.Helper()
	if gz {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		b = buf.Bytes()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadIDX(t *testing.T) {
	// Two 2x2 "images" and their labels, written plain and gzipped.
	pixels := []byte{0, 51, 102, 255, 255, 0, 0, 0}
	for _, gz := range []bool{false, true} {
		dir := t.TempDir()
		img := writeFile(t, dir, "img", idxBytes(0x08, []int{2, 2, 2}, pixels), gz)
		lbl := writeFile(t, dir, "lbl", idxBytes(0x08, []int{2}, []byte{3, 1}), gz)
		ds, err := LoadIDX(img, lbl)
		if err != nil {
			t.Fatalf("gzip=%v: %v", gz, err)
		}
		// 51/255 = 0.2 and 102/255 = 0.4: pixels scale to [0, 1].
		want := []float32{0, 0.2, 0.4, 1, 1, 0, 0, 0}
		if !slices.Equal(ds.X.Shape(), []int{2, 2, 2}) || !slices.Equal(ds.X.Float32s(), want) {
			t.Errorf("gzip=%v: got X %v %v, want [2 2 2] %v", gz, ds.X.Shape(), ds.X.Float32s(), want)
		}
		if got := ds.Y.Float32s(); !slices.Equal(got, []float32{3, 1}) {
			t.Errorf("gzip=%v: got Y %v, want [3 1]", gz, got)
		}
		if ds.NumClasses != 4 { // largest label 3, plus one
			t.Errorf("gzip=%v: NumClasses got %d, want 4", gz, ds.NumClasses)
		}
	}
}

func TestLoadIDXErrors(t *testing.T) {
	dir := t.TempDir()
	img := writeFile(t, dir, "img", idxBytes(0x08, []int{2, 1}, []byte{1, 2}), true)
	three := writeFile(t, dir, "three", idxBytes(0x08, []int{3}, []byte{1, 2, 3}), false)
	trunc := writeFile(t, dir, "trunc.gz", idxBytes(0x08, []int{5, 1}, []byte{1, 2}), true)
	badgz := writeFile(t, dir, "bad.gz", []byte{0x1f, 0x8b, 0, 0}, false)
	tests := []struct {
		name, images, labels string
		want                 []string
	}{
		{"missing", filepath.Join(dir, "nope"), "", []string{"nope", "no such file"}},
		{"count mismatch", img, three, []string{"3 labels", "2 images"}},
		{"truncated", trunc, "", []string{trunc, "truncated: got 0 of 5"}},
		{"bad gzip", badgz, "", []string{"gzip"}},
	}
	for _, tc := range tests {
		_, err := LoadIDX(tc.images, tc.labels)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: got %v, want an error containing %q", tc.name, err, w)
			}
		}
	}
}

func FuzzReadIDX(f *testing.F) {
	f.Add(idxBytes(0x08, []int{2, 2}, []byte{1, 2, 3, 4}))
	f.Add(idxBytes(0x0B, []int{1}, []byte{0, 9}))
	f.Add(idxBytes(0x0E, []int{1, 1}, make([]byte, 8)))
	f.Add(idxBytes(0x0D, []int{0}, nil))
	f.Add([]byte{0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		shape, values, err := ReadIDX(bytes.NewReader(in))
		if err != nil {
			return
		}
		n := 1
		for _, d := range shape {
			n *= d
		}
		if n != len(values) {
			t.Fatalf("shape %v holds %d elements but got %d values", shape, n, len(values))
		}
	})
}
