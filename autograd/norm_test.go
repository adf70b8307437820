package autograd

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// normCase is one configuration of a normalisation op: the fused op and the
// same math composed from primitive ops, on inputs x, gamma, beta (gamma
// and beta may be left out with scale/center false).
type normCase struct {
	name          string
	layer         bool // LayerNorm, else BatchNorm
	training      bool // BatchNorm: batch statistics, else the fixed ones below
	axis          int
	shape         []int
	scale, center bool
}

var normCases = []normCase{
	{"batch rank 2", false, true, -1, []int{4, 3}, true, true},
	{"batch rank 4", false, true, -1, []int{2, 3, 2, 3}, true, true},
	{"batch rank 4 axis 1", false, true, 1, []int{2, 3, 2, 2}, true, true},
	{"batch rank 3 axis 1 of 3", false, true, 1, []int{3, 2, 4}, true, true},
	{"batch no scale no center", false, true, -1, []int{5, 2}, false, false},
	{"batch scale only", false, true, -1, []int{3, 4}, true, false},
	{"batch inference", false, false, -1, []int{3, 4}, true, true},
	{"batch inference rank 4 axis 1", false, false, 1, []int{2, 3, 2, 2}, true, true},
	{"batch inference no scale", false, false, -1, []int{3, 4}, false, true},
	{"layer rank 2", true, false, -1, []int{3, 5}, true, true},
	{"layer batch 1", true, false, -1, []int{1, 6}, true, true},
	{"layer rank 4", true, false, -1, []int{2, 3, 2, 4}, true, true},
	{"layer rank 3 axis 1", true, false, 1, []int{2, 4, 3}, true, true},
	{"layer no scale no center", true, false, -1, []int{3, 5}, false, false},
	{"layer center only", true, false, -1, []int{3, 5}, false, true},
}

const normEps = 1e-3 // Keras's default epsilon for both layers

// channels is the size of c's normalised axis.
func (c normCase) channels() int {
	a := c.axis
	if a < 0 {
		a += len(c.shape)
	}
	return c.shape[a]
}

// inputs returns x, then gamma and beta when used. gamma is kept away from
// zero so that no gradient vanishes by accident.
func (c normCase) inputs() []*tensor.Tensor {
	in := []*tensor.Tensor{det(1, c.shape...)}
	if c.scale {
		in = append(in, pos(2, c.channels()))
	}
	if c.center {
		in = append(in, det(3, c.channels()))
	}
	return in
}

// stats are the fixed "moving" statistics of the inference cases.
func (c normCase) stats() (mean, variance *tensor.Tensor) {
	return det(4, c.channels()), pos(5, c.channels())
}

// split names the values of in (as produced by inputs).
func (c normCase) split(in []*Value) (x, gamma, beta *Value) {
	x, in = in[0], in[1:]
	if c.scale {
		gamma, in = in[0], in[1:]
	}
	if c.center {
		beta = in[0]
	}
	return x, gamma, beta
}

// fused runs the op under test.
func (c normCase) fused(in []*Value) *Value {
	x, gamma, beta := c.split(in)
	switch {
	case c.layer:
		return LayerNorm(x, gamma, beta, c.axis, normEps)
	case c.training:
		y, _, _ := BatchNorm(x, gamma, beta, c.axis, normEps)
		return y
	}
	mean, variance := c.stats()
	return BatchNormInference(x, gamma, beta, mean, variance, c.axis, normEps)
}

// composed computes the same from primitive ops:
// (x − μ)/√(σ² + eps)·γ + β with μ = mean(x), σ² = mean((x − μ)²) over the
// reduced axes, γ and β reshaped to broadcast along the channel axis.
func (c normCase) composed(in []*Value) *Value {
	x, gamma, beta := c.split(in)
	r := len(c.shape)
	axis := (c.axis + r) % r
	var reduce []int
	bshape := make([]int, r)
	for i := range bshape {
		bshape[i] = 1
		if c.layer == (i == axis) {
			reduce = append(reduce, i)
		}
	}
	bshape[axis] = c.channels()
	var mu, v *Value
	if c.layer || c.training {
		mu = Mean(x, true, reduce...)
		v = Mean(Square(Sub(x, mu)), true, reduce...)
	} else {
		mean, variance := c.stats()
		mu, v = Const(mean.Reshape(bshape...)), Const(variance.Reshape(bshape...))
	}
	y := Div(Sub(x, mu), Sqrt(AddConst(v, normEps)))
	if gamma != nil {
		y = Mul(y, Reshape(gamma, bshape...))
	}
	if beta != nil {
		y = Add(y, Reshape(beta, bshape...))
	}
	return y
}

func TestNormGradCheck(t *testing.T) {
	for _, c := range normCases {
		t.Run(c.name, func(t *testing.T) {
			if err := GradCheck(c.fused, c.inputs(), GradCheckOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestNormMatchesComposed checks each fused op against its composition
// from primitives: the output and the gradient of every input of
// L = Σ y·R, in float64, to 1e-12 (rounding differences only).
func TestNormMatchesComposed(t *testing.T) {
	for _, c := range normCases {
		t.Run(c.name, func(t *testing.T) {
			run := func(f func([]*Value) *Value) (*tensor.Tensor, []*tensor.Tensor) {
				var vs []*Value
				for _, x := range c.inputs() {
					vs = append(vs, Param(x, "in"))
				}
				y := f(vs)
				r := tensor.ZerosLike(y.Data)
				for i := 0; i < r.Len(); i++ {
					r.SetFlat(i, 0.5+math.Mod(float64(i)*0.618033988749895, 1))
				}
				Backward(Sum(Mul(y, Const(r)), false))
				grads := make([]*tensor.Tensor, len(vs))
				for i, v := range vs {
					grads[i] = v.Grad
				}
				return y.Data, grads
			}
			y, gs := run(c.fused)
			wy, wgs := run(c.composed)
			closeTo(t, "output", y, wy)
			for i := range gs {
				closeTo(t, fmt.Sprintf("gradient of input %d", i), gs[i], wgs[i])
			}
		})
	}
}

func closeTo(t *testing.T, what string, got, want *tensor.Tensor) {
	t.Helper()
	if !tensor.SameShape(got.Shape(), want.Shape()) {
		t.Fatalf("%s: shape %v, composed %v", what, got.Shape(), want.Shape())
	}
	for i := 0; i < got.Len(); i++ {
		if g, w := got.AtFlat(i), want.AtFlat(i); math.Abs(g-w) > 1e-12*(1+math.Abs(w)) {
			t.Fatalf("%s[%d] = %.15g, composed %.15g", what, i, g, w)
		}
	}
}

// TestBatchNormStats checks the returned statistics on a hand-computed
// column: x = 1, 2, 3, 4 has mean 2.5 and biased variance
// ((1.5² + 0.5²)·2)/4 = 1.25 (the unbiased one would be 5/3).
func TestBatchNormStats(t *testing.T) {
	x := tensor.FromFloat64([]float64{1, 10, 2, 20, 3, 30, 4, 40}, 4, 2)
	_, mean, variance := BatchNorm(Const(x), nil, nil, -1, 0)
	want := [][2]float64{{2.5, 1.25}, {25, 125}}
	for j, w := range want {
		if math.Abs(mean[j]-w[0]) > 1e-12 || math.Abs(variance[j]-w[1]) > 1e-12 {
			t.Errorf("channel %d: mean %v variance %v, want %v %v", j, mean[j], variance[j], w[0], w[1])
		}
	}
}

// TestNormFloat32 runs the float32 instantiation against float64 (the
// layers' kernels use it); agreement to float32 rounding.
func TestNormFloat32(t *testing.T) {
	for _, c := range normCases {
		in64 := c.inputs()
		var in32 []*Value
		for _, x := range in64 {
			in32 = append(in32, Const(x.AsType(tensor.Float32)))
		}
		var vs []*Value
		for _, x := range in64 {
			vs = append(vs, Const(x))
		}
		got, want := c.fused(in32), c.fused(vs)
		for i := 0; i < got.Data.Len(); i++ {
			if g, w := got.Data.AtFlat(i), want.Data.AtFlat(i); math.Abs(g-w) > 1e-5*(1+math.Abs(w)) {
				t.Fatalf("%s: float32 output[%d] = %v, float64 %v", c.name, i, g, w)
			}
		}
	}
}

func TestNormShapeErrors(t *testing.T) {
	x := Const(det(1, 2, 3))
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"gamma length", func() { BatchNorm(x, Const(det(2, 4)), nil, -1, 1e-3) }, "3 elements"},
		{"beta length", func() { LayerNorm(x, nil, Const(det(2, 2)), -1, 1e-3) }, "3 elements"},
		{"axis", func() { LayerNorm(x, nil, nil, 2, 1e-3) }, "axis 2 out of range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				var se *tensor.ShapeError
				err, _ := recover().(error)
				if !errors.As(err, &se) || !strings.Contains(se.Error(), c.want) {
					t.Errorf("got panic %v, want a ShapeError containing %q", err, c.want)
				}
			}()
			c.f()
		})
	}
}
