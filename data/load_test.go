package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "d.csv", []byte("a,b,label\n1,2,0\n3,4,1\n"), false)
	img := writeFile(t, dir, "img.gz", idxBytes(0x08, []int{2, 1}, []byte{0, 255}), true)
	lbl := writeFile(t, dir, "lbl", idxBytes(0x08, []int{2}, []byte{1, 0}), false)
	xPath, yPath := filepath.Join(dir, "x.npy"), filepath.Join(dir, "y.npy")
	if err := SaveNPY(xPath, tensor.Zeros(2, 3, 2)); err != nil {
		t.Fatal(err)
	}
	if err := os.Link("testdata/i1_4.npy", yPath); err != nil { // 4 int8 targets: -128, -1, 0, 127
		t.Fatal(err)
	}
	y2 := filepath.Join(dir, "y2.npy")
	if err := SaveNPY(y2, tensor.FromFloat32([]float32{2, 0}, 2)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec    string
		opt     LoadOptions
		n       int
		hasY    bool
		classes int
	}{
		{"mnist", LoadOptions{}, 60000, true, 10},
		{"mnist:test", LoadOptions{}, 10000, true, 10},
		{"csv:" + csvPath, LoadOptions{}, 2, true, 2},
		{"csv:" + csvPath, LoadOptions{NoLabel: true}, 2, false, 0},
		{"csv:" + csvPath, LoadOptions{Label: "a"}, 2, true, 4},
		{"idx:" + img + "," + lbl, LoadOptions{}, 2, true, 2},
		{"idx:" + img, LoadOptions{}, 2, false, 0},
		{"npy:" + xPath, LoadOptions{}, 2, false, 0},
		// float32 targets: not known to be class labels.
		{"npy:" + xPath + "," + y2, LoadOptions{}, 2, true, 0},
	}
	for _, tc := range tests {
		ds, err := Load(tc.spec, tc.opt)
		if err != nil {
			t.Errorf("Load(%q): %v", tc.spec, err)
			continue
		}
		if ds.Len() != tc.n || (ds.Y != nil) != tc.hasY || ds.NumClasses != tc.classes {
			t.Errorf("Load(%q): got %d samples, targets %v, %d classes; want %d, %v, %d",
				tc.spec, ds.Len(), ds.Y != nil, ds.NumClasses, tc.n, tc.hasY, tc.classes)
		}
	}
	// Integer targets whose count differs from the samples'.
	if _, err := Load("npy:"+xPath+","+yPath, LoadOptions{}); err == nil || !strings.Contains(err.Error(), "one target row per sample") {
		t.Errorf("mismatched npy: got %v, want a row-count error", err)
	}
}

func TestLoadNPYClasses(t *testing.T) {
	// testdata/u1_2x2.npy is uint8 [[0, 1], [200, 255]]: integer targets
	// are class labels, 256 classes.
	dir := t.TempDir()
	xPath := filepath.Join(dir, "x.npy")
	if err := SaveNPY(xPath, tensor.Zeros(2, 5)); err != nil {
		t.Fatal(err)
	}
	ds, err := Load("npy:"+xPath+",testdata/u1_2x2.npy", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.NumClasses != 256 {
		t.Errorf("got %d classes, want 256", ds.NumClasses)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		spec string
		want []string
	}{
		{"", []string{"unknown data form", "csv:PATH", "npy:X.npy"}},
		{"data.csv", []string{"did you mean csv:data.csv?"}},
		{"x.NPY", []string{"did you mean npy:x.NPY?"}},
		{"parquet:x", []string{"unknown data form", "mnist:train"}},
		{"mnist:validation", []string{`unknown MNIST split "validation"`}},
		{"text:no/such/reviews", []string{"text folder no/such/reviews: no such file"}},
		{"csv:", []string{"want csv:PATH"}},
		{"idx:", []string{"want idx:IMAGES,LABELS"}},
		{"npy:", []string{"want npy:X.npy"}},
		{"csv:/no/such/file.csv", []string{"/no/such/file.csv"}},
		{"npy:/no/such/x.npy", []string{"/no/such/x.npy"}},
	}
	for _, tc := range tests {
		_, err := Load(tc.spec, LoadOptions{})
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("Load(%q): got %v, want an error containing %q", tc.spec, err, w)
			}
		}
	}
}
