package autograd

import (
	"slices"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

func TestGradCheckPoolAndPad(t *testing.T) {
	type pool func(x *Value, pool, strides []int, padding string) *Value
	p := func(op pool, k, s []int, padding string) func(in []*Value) *Value {
		return func(in []*Value) *Value { return op(in[0], k, s, padding) }
	}
	cases := []struct {
		name  string
		f     func(in []*Value) *Value
		input *tensor.Tensor
	}{
		// Odd sizes, uneven and overlapping windows (pool 3 stride 2 on 7),
		// rectangular windows, asymmetric "same" padding (pool 2 stride 2 on
		// 5 pads one cell after; pool 4 stride 1 pads 1 before, 2 after).
		{"max 2d 2x2 on 5x5", p(MaxPool, []int{2, 2}, []int{2, 2}, "valid"), det(1, 2, 5, 5, 3)},
		{"max 2d 3/2 valid on 7", p(MaxPool, []int{3, 3}, []int{2, 2}, "valid"), det(2, 1, 7, 7, 2)},
		{"max 2d 3/2 same on 7", p(MaxPool, []int{3, 3}, []int{2, 2}, "same"), det(3, 2, 7, 7, 1)},
		{"max 2d (2,3)/(1,2) same", p(MaxPool, []int{2, 3}, []int{1, 2}, "same"), det(4, 1, 5, 7, 2)},
		{"max 2d 4/1 same", p(MaxPool, []int{4, 4}, []int{1, 1}, "SAME"), det(5, 1, 5, 6, 2)},
		{"max 1d 3/2 same on 7", p(MaxPool, []int{3}, []int{2}, "same"), det(6, 2, 7, 3)},
		{"max 1d 2/1 valid", p(MaxPool, []int{2}, []int{1}, "valid"), det(7, 1, 5, 2)},
		{"avg 2d 2x2 on 5x5", p(AvgPool, []int{2, 2}, []int{2, 2}, "valid"), det(1, 2, 5, 5, 3)},
		{"avg 2d 3/2 same on 7", p(AvgPool, []int{3, 3}, []int{2, 2}, "same"), det(3, 2, 7, 7, 1)},
		{"avg 2d (2,3)/(1,2) same", p(AvgPool, []int{2, 3}, []int{1, 2}, "same"), det(4, 1, 5, 7, 2)},
		{"avg 2d 4/1 same", p(AvgPool, []int{4, 4}, []int{1, 1}, "same"), det(5, 1, 5, 6, 2)},
		{"avg 1d 3/2 valid on 7", p(AvgPool, []int{3}, []int{2}, "valid"), det(6, 2, 7, 3)},
		{"avg 1d 4/1 same", p(AvgPool, []int{4}, []int{1}, "same"), det(7, 1, 5, 2)},
		{"pad nhwc", func(in []*Value) *Value { return Pad(in[0], [][2]int{{0, 0}, {1, 2}, {0, 3}, {0, 0}}) }, det(8, 2, 3, 4, 2)},
		{"pad every axis", func(in []*Value) *Value { return Pad(in[0], [][2]int{{1, 0}, {2, 1}, {0, 1}}) }, det(9, 2, 3, 2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := GradCheck(c.f, []*tensor.Tensor{c.input}, GradCheckOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestMaxPoolTies checks the rule for equal maxima on a hand-made window:
// the whole gradient goes to the first maximum in row-major order, as
// torch.nn.functional.max_pool2d does (checked with torch 1.13: input
// [[1,3,3,0],[3,2,0,3]], pool 2 gives indices [1, 2]).
func TestMaxPoolTies(t *testing.T) {
	x := Param(tensor.FromFloat64([]float64{1, 3, 3, 0, 3, 2, 0, 3}, 1, 2, 4, 1), "x")
	y := MaxPool(x, []int{2, 2}, []int{2, 2}, "valid")
	Backward(Sum(y, false))
	if got, want := y.Data.Values(), []float64{3, 3}; !slices.Equal(got, want) {
		t.Errorf("max pool of the tie example = %v, want %v", got, want)
	}
	if got, want := x.Grad.Values(), []float64{0, 1, 1, 0, 0, 0, 0, 0}; !slices.Equal(got, want) {
		t.Errorf("gradient = %v, want %v (all to the first maximum of each window)", got, want)
	}
}

// TestAvgPoolSameDivisor: with "same" padding the padded cells are not
// counted. Pool 2 stride 2 on [1, 2, 3] pads one cell after (out = ⌈3/2⌉ = 2,
// total padding (2−1)·2 + 2 − 3 = 1), so the second window is [3] alone and
// its mean is 3, not 1.5.
func TestAvgPoolSameDivisor(t *testing.T) {
	x := Param(tensor.FromFloat64([]float64{1, 2, 3}, 1, 3, 1), "x")
	y := AvgPool(x, []int{2}, []int{2}, "same")
	Backward(Sum(y, false))
	if got, want := y.Data.Values(), []float64{1.5, 3}; !slices.Equal(got, want) {
		t.Errorf("avg pool = %v, want %v", got, want)
	}
	if got, want := x.Grad.Values(), []float64{0.5, 0.5, 1}; !slices.Equal(got, want) {
		t.Errorf("gradient = %v, want %v", got, want)
	}
}

func TestMaxPoolSameIgnoresPadding(t *testing.T) {
	// All inputs negative: zero padding would win a window, −∞ padding
	// does not. Pool 3 stride 1 "same" on 3 cells pads one each side.
	x := Const(tensor.FromFloat64([]float64{-3, -1, -2}, 1, 3, 1))
	y := MaxPool(x, []int{3}, []int{1}, "same")
	if got, want := y.Data.Values(), []float64{-1, -1, -1}; !slices.Equal(got, want) {
		t.Errorf("max pool = %v, want %v", got, want)
	}
}

func TestPad(t *testing.T) {
	x := Const(tensor.FromFloat64([]float64{1, 2, 3, 4}, 2, 2))
	y := Pad(x, [][2]int{{1, 0}, {0, 1}})
	want := []float64{0, 0, 0, 1, 2, 0, 3, 4, 0}
	if !tensor.SameShape(y.Shape(), []int{3, 3}) || !slices.Equal(y.Data.Values(), want) {
		t.Errorf("Pad = %v, want (3, 3) %v", y.Data, want)
	}
}

func TestPoolMisuse(t *testing.T) {
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"rank", func() { MaxPool(Const(tensor.Zeros(2, 3)), []int{2}, []int{2}, "valid") }, "tensor.MaxPool: shapes (2, 3)"},
		{"too large", func() { AvgPool(Const(tensor.Zeros(1, 2, 5, 1)), []int{3, 3}, []int{1, 1}, "valid") }, "larger than the input"},
		{"padding", func() { MaxPool(Const(tensor.Zeros(1, 4, 1)), []int{2}, []int{2}, "full") }, `"full"`},
		{"pool length", func() { MaxPool(Const(tensor.Zeros(1, 4, 4, 1)), []int{2}, []int{2}, "valid") }, "need 2 entries"},
		{"pad count", func() { Pad(Const(tensor.Zeros(2, 3)), [][2]int{{1, 1}}) }, "1 pads for 2 axes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				err, ok := r.(*tensor.ShapeError)
				if !ok || !strings.Contains(err.Error(), c.want) {
					t.Errorf("panic %v, want a ShapeError containing %q", r, c.want)
				}
			}()
			c.f()
		})
	}
}
