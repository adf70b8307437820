package autograd

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/tensor"
)

// GradCheckOptions tunes GradCheck. Zero values select the defaults.
type GradCheckOptions struct {
	Eps  float64 // finite-difference step; default 1e-6
	ATol float64 // absolute tolerance; default 1e-6
	RTol float64 // relative tolerance; default 1e-4
}

// GradCheck is the one checker every differentiable op and layer goes
// through. It converts inputs to float64, builds f on parameters wrapping
// them, reduces f's output to a scalar with fixed pseudo-random weights (so
// every output element's gradient is exercised), and compares the gradient
// Backward computes with central finite differences
//
//	(L(x + eps) − L(x − eps)) / 2eps
//
// for every element of every input. It returns an error describing the
// first mismatch.
func GradCheck(f func(in []*Value) *Value, inputs []*tensor.Tensor, opt GradCheckOptions) error {
	if opt.Eps == 0 {
		opt.Eps = 1e-6
	}
	if opt.ATol == 0 {
		opt.ATol = 1e-6
	}
	if opt.RTol == 0 {
		opt.RTol = 1e-4
	}
	xs := make([]*tensor.Tensor, len(inputs))
	for i, t := range inputs {
		xs[i] = t.Clone().AsType(tensor.Float64)
	}
	var weights *tensor.Tensor
	loss := func(track bool) (float64, []*Value) {
		params := make([]*Value, len(xs))
		for i, x := range xs {
			params[i] = Param(x, fmt.Sprintf("input%d", i))
			params[i].RequiresGrad = track
		}
		out := f(params)
		if out.Data.DType() != tensor.Float64 {
			panic("GradCheck: f must compute in float64 when given float64 inputs")
		}
		if weights == nil {
			weights = tensor.New(tensor.Float64, out.Shape()...)
			for i := 0; i < weights.Len(); i++ {
				// fixed weights in [0.5, 1.5): deterministic, never zero
				weights.SetFlat(i, 0.5+math.Mod(float64(i)*0.618033988749895, 1))
			}
		}
		l := Sum(Mul(out, Const(weights)), false)
		if track {
			Backward(l)
		}
		return l.Data.Item(), params
	}
	_, params := loss(true)
	for i, x := range xs {
		got := params[i].Grad
		for j := 0; j < x.Len(); j++ {
			orig := x.AtFlat(j)
			x.SetFlat(j, orig+opt.Eps)
			lp, _ := loss(false)
			x.SetFlat(j, orig-opt.Eps)
			lm, _ := loss(false)
			x.SetFlat(j, orig)
			num := (lp - lm) / (2 * opt.Eps)
			var ana float64
			if got != nil {
				ana = got.AtFlat(j)
			}
			if math.IsNaN(ana) || math.Abs(ana-num) > opt.ATol+opt.RTol*math.Abs(num) {
				return fmt.Errorf("input %d %s element %d: analytic gradient %.8g, numeric %.8g", i, tensor.ShapeString(x.Shape()), j, ana, num)
			}
		}
	}
	return nil
}
