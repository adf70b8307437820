package autograd

import (
	"math"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// det fills a float64 tensor with deterministic values in (-1.5, 1.5),
// avoiding 0 so that kinks (ReLU, Abs) are never hit exactly.
func det(seed int, shape ...int) *tensor.Tensor {
	t := tensor.New(tensor.Float64, shape...)
	for i := 0; i < t.Len(); i++ {
		v := math.Sin(float64(seed*131+i*17)+0.3) * 1.5
		if math.Abs(v) < 0.05 {
			v = 0.1
		}
		t.SetFlat(i, v)
	}
	return t
}

func pos(seed int, shape ...int) *tensor.Tensor {
	t := det(seed, shape...)
	for i := 0; i < t.Len(); i++ {
		t.SetFlat(i, math.Abs(t.AtFlat(i))+0.2)
	}
	return t
}

func TestGradCheckOps(t *testing.T) {
	cases := []struct {
		name   string
		f      func(in []*Value) *Value
		inputs []*tensor.Tensor
	}{
		{"add", func(in []*Value) *Value { return Add(in[0], in[1]) }, []*tensor.Tensor{det(1, 3, 4), det(2, 3, 4)}},
		{"add broadcast row", func(in []*Value) *Value { return Add(in[0], in[1]) }, []*tensor.Tensor{det(1, 3, 4), det(2, 4)}},
		{"add broadcast col", func(in []*Value) *Value { return Add(in[0], in[1]) }, []*tensor.Tensor{det(1, 3, 1), det(2, 2, 1, 4)}},
		{"sub broadcast", func(in []*Value) *Value { return Sub(in[0], in[1]) }, []*tensor.Tensor{det(1, 2, 3), det(2, 1)}},
		{"mul broadcast", func(in []*Value) *Value { return Mul(in[0], in[1]) }, []*tensor.Tensor{det(1, 2, 3), det(2, 3)}},
		{"div", func(in []*Value) *Value { return Div(in[0], in[1]) }, []*tensor.Tensor{det(1, 2, 3), pos(2, 2, 3)}},
		{"maximum", func(in []*Value) *Value { return Maximum(in[0], in[1]) }, []*tensor.Tensor{det(1, 2, 3), det(2, 2, 3)}},
		{"minimum", func(in []*Value) *Value { return Minimum(in[0], in[1]) }, []*tensor.Tensor{det(1, 2, 3), det(2, 3)}},
		{"scale", func(in []*Value) *Value { return Scale(in[0], -2.5) }, []*tensor.Tensor{det(1, 5)}},
		{"add_const", func(in []*Value) *Value { return AddConst(in[0], 3) }, []*tensor.Tensor{det(1, 5)}},
		{"exp", func(in []*Value) *Value { return Exp(in[0]) }, []*tensor.Tensor{det(1, 2, 3)}},
		{"log", func(in []*Value) *Value { return Log(in[0]) }, []*tensor.Tensor{pos(1, 2, 3)}},
		{"tanh", func(in []*Value) *Value { return Tanh(in[0]) }, []*tensor.Tensor{det(1, 2, 3)}},
		{"sigmoid", func(in []*Value) *Value { return Sigmoid(in[0]) }, []*tensor.Tensor{det(1, 2, 3)}},
		{"relu", func(in []*Value) *Value { return ReLU(in[0]) }, []*tensor.Tensor{det(1, 4, 3)}},
		{"leaky_relu", func(in []*Value) *Value { return LeakyReLU(in[0], 0.3) }, []*tensor.Tensor{det(1, 4, 3)}},
		{"abs", func(in []*Value) *Value { return Abs(in[0]) }, []*tensor.Tensor{det(1, 4, 3)}},
		{"sqrt", func(in []*Value) *Value { return Sqrt(in[0]) }, []*tensor.Tensor{pos(1, 4)}},
		{"square", func(in []*Value) *Value { return Square(in[0]) }, []*tensor.Tensor{det(1, 4)}},
		{"softplus", func(in []*Value) *Value { return Softplus(in[0]) }, []*tensor.Tensor{det(1, 4)}},
		{"clip", func(in []*Value) *Value { return Clip(in[0], -0.5, 0.7) }, []*tensor.Tensor{det(1, 3, 5)}},
		{"matmul", func(in []*Value) *Value { return MatMul(in[0], in[1]) }, []*tensor.Tensor{det(1, 3, 4), det(2, 4, 5)}},
		{"linear", func(in []*Value) *Value { return Linear(in[0], in[1], in[2]) }, []*tensor.Tensor{det(1, 3, 4), det(2, 4, 5), det(3, 5)}},
		{"linear no bias", func(in []*Value) *Value { return Linear(in[0], in[1], nil) }, []*tensor.Tensor{det(1, 3, 4), det(2, 4, 5)}},
		{"sum all", func(in []*Value) *Value { return Sum(in[0], false) }, []*tensor.Tensor{det(1, 2, 3, 4)}},
		{"sum axis 1", func(in []*Value) *Value { return Sum(in[0], false, 1) }, []*tensor.Tensor{det(1, 2, 3, 4)}},
		{"sum axes 0,2 keep", func(in []*Value) *Value { return Sum(in[0], true, 0, 2) }, []*tensor.Tensor{det(1, 2, 3, 4)}},
		{"mean -1", func(in []*Value) *Value { return Mean(in[0], false, -1) }, []*tensor.Tensor{det(1, 2, 3, 4)}},
		{"reshape", func(in []*Value) *Value { return Mul(Reshape(in[0], 6, 2), in[1]) }, []*tensor.Tensor{det(1, 3, 4), det(2, 6, 2)}},
		{"softmax", func(in []*Value) *Value { return Softmax(in[0]) }, []*tensor.Tensor{det(1, 3, 5)}},
		{"log_softmax", func(in []*Value) *Value { return LogSoftmax(in[0]) }, []*tensor.Tensor{det(1, 3, 5)}},
		{"pick", func(in []*Value) *Value { return Pick(in[0], []int{2, 0, 4}) }, []*tensor.Tensor{det(1, 3, 5)}},
		{"fan-out", func(in []*Value) *Value { return Mul(Tanh(in[0]), Add(in[0], in[0])) }, []*tensor.Tensor{det(1, 3, 5)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := GradCheck(c.f, c.inputs, GradCheckOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestGradCheckCatchesWrongRule makes sure the checker can fail: an op with
// a deliberately wrong gradient (2x instead of 3x²) must be reported.
func TestGradCheckCatchesWrongRule(t *testing.T) {
	cube := func(in []*Value) *Value {
		a := in[0]
		out := tensor.Mul(tensor.Square(a.Data), a.Data)
		return record("bad_cube", out, func(g *tensor.Tensor) {
			a.accumulate(tensor.Mul(g, tensor.MulScalar(a.Data, 2)))
		}, a)
	}
	if err := GradCheck(cube, []*tensor.Tensor{det(1, 4)}, GradCheckOptions{}); err == nil {
		t.Fatal("GradCheck accepted a wrong gradient rule")
	}
}

func TestBackwardReleasesGraph(t *testing.T) {
	w := Param(det(1, 3), "w")
	h := Tanh(w)
	l := Sum(Mul(h, h), false)
	Backward(l)
	if h.Inputs() != nil || l.Inputs() != nil {
		t.Error("graph still referenced after Backward")
	}
	if w.Grad == nil {
		t.Fatal("parameter has no gradient")
	}
	// d/dw sum(tanh(w)^2) = 2 tanh(w) (1 - tanh(w)^2), by hand
	for i := 0; i < 3; i++ {
		th := math.Tanh(w.Data.AtFlat(i))
		want := 2 * th * (1 - th*th)
		if got := w.Grad.AtFlat(i); math.Abs(got-want) > 1e-12 {
			t.Errorf("grad[%d] = %v, want %v", i, got, want)
		}
	}
}

func TestGradientsAccumulateUntilZeroGrad(t *testing.T) {
	w := Param(det(1, 2), "w")
	for range 2 {
		Backward(Sum(Scale(w, 3), false))
	}
	if got := w.Grad.AtFlat(0); got != 6 { // two backward passes of d(3w)/dw = 3
		t.Errorf("accumulated grad = %v, want 6", got)
	}
	w.ZeroGrad()
	if got := w.Grad.AtFlat(0); got != 0 {
		t.Errorf("after ZeroGrad grad = %v, want 0", got)
	}
}

func TestLogSoftmaxStableForHugeLogits(t *testing.T) {
	x := Param(tensor.FromFloat32([]float32{1e4, -1e4, 0, 5e3}, 2, 2), "x")
	y := LogSoftmax(x)
	for i, v := range y.Data.Values() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("log_softmax[%d] = %v for logits ±1e4", i, v)
		}
	}
	Backward(Sum(Pick(y, []int{1, 0}), false))
	for i, v := range x.Grad.Values() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("grad[%d] = %v", i, v)
		}
	}
}

func TestNoGraphWithoutGrad(t *testing.T) {
	x := Const(det(1, 2, 2))
	y := Tanh(MatMul(x, x))
	if y.RequiresGrad || y.Inputs() != nil {
		t.Error("an op on constants recorded a graph")
	}
}
