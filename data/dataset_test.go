package data

import (
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// seq returns a dataset of n samples of width features where sample i's
// features are i*width, i*width+1, ... and its label is i.
func seq(n, width int) *Dataset {
	x := tensor.Zeros(n, width)
	y := tensor.Zeros(n)
	for i := range n {
		for j := range width {
			x.Set(float64(i*width+j), i, j)
		}
		y.Set(float64(i), i)
	}
	return &Dataset{X: x, Y: y, Source: "seq"}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		n          int
		frac       float64
		train, val int
	}{
		// Keras: split_at = floor(n * (1 - validation_split)).
		{60000, 0.1, 54000, 6000},
		{10, 0.25, 7, 3}, // floor(7.5) = 7
		{3, 0.5, 1, 2},   // floor(1.5) = 1
	}
	for _, tc := range tests {
		ds := seq(tc.n, 1)
		tr, va, err := ds.Split(tc.frac)
		if err != nil {
			t.Fatalf("Split(%v) of %d: %v", tc.frac, tc.n, err)
		}
		if tr.Len() != tc.train || va.Len() != tc.val {
			t.Errorf("Split(%v) of %d: got %d/%d, want %d/%d", tc.frac, tc.n, tr.Len(), va.Len(), tc.train, tc.val)
		}
		// The validation part is the tail and shares storage.
		if got := va.Y.At(0); got != float64(tc.train) {
			t.Errorf("first validation label: got %v, want %v", got, tc.train)
		}
		va.X.Set(-1, 0, 0)
		if got := ds.X.At(tc.train, 0); got != -1 {
			t.Errorf("validation part is not a view: got %v, want -1", got)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		n    int
		frac float64
		want string
	}{
		{10, 0, "between 0 and 1"},
		{10, 1, "between 0 and 1"},
		{10, -0.5, "between 0 and 1"},
		{1, 0.5, "too few"},    // floor(0.5) = 0 training samples
		{10, 1e-17, "too few"}, // 1 - 1e-17 rounds to 1 in float64: no validation samples
	}
	for _, tc := range tests {
		_, _, err := seq(tc.n, 1).Split(tc.frac)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Split(%v) of %d: got %v, want an error containing %q", tc.frac, tc.n, err, tc.want)
		}
	}
}

func TestSlice(t *testing.T) {
	s := seq(5, 2).Slice(1, 3)
	if s.Len() != 2 || s.X.At(0, 0) != 2 || s.Y.At(1) != 2 {
		t.Errorf("got %v / %v, want rows 1 and 2", s.X, s.Y)
	}
	if s.Source != "seq[1:3]" {
		t.Errorf("Source: got %q, want %q", s.Source, "seq[1:3]")
	}
}

func TestCheckLabels(t *testing.T) {
	tests := []struct {
		labels []float32
		shape  []int
		k      int
		want   string // "" = no error
	}{
		{[]float32{0, 9, 3}, []int{3}, 10, ""},
		{[]float32{0, 9, 3}, []int{3, 1}, 10, ""},
		{[]float32{0, 10, 3}, []int{3}, 10, "label 10 of sample 1 is out of range [0, 10)"},
		{[]float32{0, 1, -1}, []int{3}, 10, "label -1 of sample 2 is out of range"},
		{[]float32{0, 1.5}, []int{2}, 10, "label 1.5 of sample 1 is not an integer"},
		{[]float32{0, 1, 2, 3}, []int{2, 2}, 10, "want (n,) or (n, 1)"},
		{[]float32{0}, []int{1}, 0, "must be positive"},
	}
	for _, tc := range tests {
		err := CheckLabels(tensor.FromFloat32(tc.labels, tc.shape...), tc.k)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("CheckLabels(%v, %d): got %v, want no error", tc.labels, tc.k, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("CheckLabels(%v, %d): got %v, want an error containing %q", tc.labels, tc.k, err, tc.want)
		}
	}
	if err := CheckLabels(nil, 10); err == nil {
		t.Error("CheckLabels(nil): got no error, want one")
	}
}

func TestValidate(t *testing.T) {
	ds := &Dataset{X: tensor.Zeros(3, 2), Y: tensor.Zeros(4), Source: "hand"}
	if err := ds.Validate(); err == nil || !strings.Contains(err.Error(), "3 feature rows") {
		t.Errorf("got %v, want an error about 3 feature rows", err)
	}
}
