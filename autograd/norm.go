package autograd

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Normalisation ops, fused: each computes its statistics, its output and
// its gradient rule in one place on the channels-last loops of
// internal/kernels (the same loops the layers' kernels run). They are
// checked against their composition from Mean, Sub, Square, Sqrt, Div, Mul
// and Add in norm_test.go. An axis other than the last is moved last by a
// transposition (a copy) and back.

// BatchNorm is batch normalisation in training (Ioffe & Szegedy 2015): for
// each channel c along axis, with μ and σ² the mean and biased variance of
// x over every other axis,
//
//	y = (x − μ)/√(σ² + eps)·gamma + beta.
//
// gamma and beta have shape (C,) and may be nil (no scale, no shift). It
// returns μ and σ² too, for the moving statistics. The gradient flows
// through μ and σ²: with x̂ = (x − μ)/√(σ² + eps) and N values per channel,
// dx = γ/(N√(σ² + eps))·(N·g − Σg − x̂·Σg·x̂), dγ = Σg·x̂, dβ = Σg.
func BatchNorm(x, gamma, beta *Value, axis int, eps float64) (y *Value, mean, variance []float64) {
	if x.Data.DType() == tensor.Float64 {
		return batchNorm[float64](x, gamma, beta, axis, eps, nil, nil)
	}
	return batchNorm[float32](x, gamma, beta, axis, eps, nil, nil)
}

// BatchNormInference is batch normalisation with given statistics (the
// moving mean and variance, constants of shape (C,)):
// y = (x − mean)/√(variance + eps)·gamma + beta, so dx = γ/√(variance + eps)·g.
func BatchNormInference(x, gamma, beta *Value, mean, variance *tensor.Tensor, axis int, eps float64) *Value {
	if x.Data.DType() == tensor.Float64 {
		y, _, _ := batchNorm[float64](x, gamma, beta, axis, eps, mean.Values(), variance.Values())
		return y
	}
	y, _, _ := batchNorm[float32](x, gamma, beta, axis, eps, mean.Values(), variance.Values())
	return y
}

// batchNorm is BatchNorm (batch statistics) when mean is nil and
// BatchNormInference (the given statistics) otherwise.
func batchNorm[T kernels.Float](x, gamma, beta *Value, axis int, eps float64, mean, variance []float64) (*Value, []float64, []float64) {
	xt, back := toLast("BatchNorm", x.Data, axis)
	c := xt.Dim(-1)
	m := xt.Len() / c
	gs, bs, inputs := affineParams[T]("BatchNorm", x, gamma, beta, c)
	xs := floats[T](xt)
	training := mean == nil
	if training {
		mean, variance = make([]float64, c), make([]float64, c)
		kernels.ColumnSums(mean, xs, m, c)
		for j := range mean {
			mean[j] /= float64(m)
		}
		kernels.ColumnSquaredDeviations(variance, xs, mean, m, c)
		for j := range variance {
			variance[j] /= float64(m)
		}
	}
	mu, r, k := make([]T, c), make([]float64, c), make([]T, c)
	for j := range mu {
		mu[j], r[j] = T(mean[j]), 1/math.Sqrt(variance[j]+eps)
		k[j] = T(r[j] * float64(gs[j]))
	}
	yt := tensor.ZerosLike(xt)
	kernels.NormalizeColumns(floats[T](yt), xs, mu, k, bs, m, c)
	out := record("batch_norm", fromLast(yt, back), func(g *tensor.Tensor) {
		gt, _ := toLast("BatchNorm", g, axis)
		s1, s2 := make([]float64, c), make([]float64, c)
		kernels.ColumnGradSums(s1, s2, floats[T](gt), xs, mu, m, c)
		accumulateVec(gamma, s2, r)
		accumulateVec(beta, s1, nil)
		if !x.RequiresGrad {
			return
		}
		a, b, cc := k, make([]T, c), make([]T, c)
		if training {
			for j := range b {
				b[j] = T(-float64(gs[j]) * r[j] * r[j] * r[j] * s2[j] / float64(m))
				cc[j] = T(-float64(k[j]) * s1[j] / float64(m))
			}
		}
		dx := tensor.ZerosLike(gt)
		kernels.BatchNormInputGrad(floats[T](dx), floats[T](gt), xs, mu, a, b, cc, m, c)
		x.accumulate(fromLast(dx, back))
	}, inputs...)
	return out, mean, variance
}

// LayerNorm is layer normalisation (Ba et al. 2016): for each position of
// the axes other than axis, with μ and σ² the mean and biased variance of x
// along axis,
//
//	y = (x − μ)/√(σ² + eps)·gamma + beta,
//
// gamma and beta of shape (C,) (nil: no scale, no shift). With x̂ the
// normalised input, h = g·γ and C values per position, dx =
// (h − mean(h) − x̂·mean(h·x̂))/√(σ² + eps), dγ = Σg·x̂, dβ = Σg.
func LayerNorm(x, gamma, beta *Value, axis int, eps float64) *Value {
	if x.Data.DType() == tensor.Float64 {
		return layerNorm[float64](x, gamma, beta, axis, eps)
	}
	return layerNorm[float32](x, gamma, beta, axis, eps)
}

func layerNorm[T kernels.Float](x, gamma, beta *Value, axis int, eps float64) *Value {
	xt, back := toLast("LayerNorm", x.Data, axis)
	c := xt.Dim(-1)
	m := xt.Len() / c
	gs, bs, inputs := affineParams[T]("LayerNorm", x, gamma, beta, c)
	xs := floats[T](xt)
	mean, rstd := make([]T, m), make([]T, m)
	yt := tensor.ZerosLike(xt)
	kernels.LayerNormRows(floats[T](yt), xs, gs, bs, mean, rstd, m, c, eps)
	return record("layer_norm", fromLast(yt, back), func(g *tensor.Tensor) {
		gt, _ := toLast("LayerNorm", g, axis)
		var dg, db []float64
		if gamma != nil && gamma.RequiresGrad {
			dg = make([]float64, c)
		}
		if beta != nil && beta.RequiresGrad {
			db = make([]float64, c)
		}
		var dx *tensor.Tensor
		var dxs []T
		if x.RequiresGrad {
			dx = tensor.ZerosLike(gt)
			dxs = floats[T](dx)
		}
		kernels.LayerNormRowsGrad(dxs, dg, db, floats[T](gt), xs, gs, mean, rstd, m, c)
		accumulateVec(gamma, dg, nil)
		accumulateVec(beta, db, nil)
		if dx != nil {
			x.accumulate(fromLast(dx, back))
		}
	}, inputs...)
}

// affineParams returns the scale and shift of a normalisation as slices
// (ones and zeros where gamma or beta is nil) and the op's inputs. It
// panics when they do not have C elements or x's dtype.
func affineParams[T kernels.Float](op string, x, gamma, beta *Value, c int) (gs, bs []T, inputs []*Value) {
	inputs = []*Value{x}
	gs, bs = make([]T, c), make([]T, c)
	for i := range gs {
		gs[i] = 1
	}
	for _, p := range []struct {
		v   *Value
		dst []T
	}{{gamma, gs}, {beta, bs}} {
		if p.v == nil {
			continue
		}
		if p.v.Data.Len() != c || p.v.Data.DType() != x.Data.DType() {
			panic(&tensor.ShapeError{Op: op, Shapes: [][]int{x.Shape(), p.v.Shape()},
				Msg: fmt.Sprintf("scale and shift must be %s vectors of %d elements", x.Data.DType(), c)})
		}
		copy(p.dst, floats[T](p.v.Data))
		inputs = append(inputs, p.v)
	}
	return gs, bs, inputs
}

// accumulateVec adds s (times r elementwise when r is not nil) into the
// gradient of the vector v, if v is not nil and requires one.
func accumulateVec(v *Value, s, r []float64) {
	if v == nil || !v.RequiresGrad {
		return
	}
	g := tensor.ZerosLike(v.Data)
	for j, sj := range s {
		if r != nil {
			sj *= r[j]
		}
		g.SetFlat(j, sj)
	}
	v.accumulate(g)
}

// floats returns t's storage as []T.
func floats[T kernels.Float](t *tensor.Tensor) []T {
	if t.DType() == tensor.Float64 {
		return any(t.Float64s()).([]T)
	}
	return any(t.Float32s()).([]T)
}

// toLast returns t with axis (negative counts from the end) moved to the
// last place, and the permutation that moves it back (nil when axis is
// already last and t is returned as it is). Axis 0 is allowed: only the
// layers give it a meaning (the batch).
func toLast(op string, t *tensor.Tensor, axis int) (*tensor.Tensor, []int) {
	r, given := t.Rank(), axis
	if axis < 0 {
		axis += r
	}
	if axis < 0 || axis >= r {
		panic(&tensor.ShapeError{Op: op, Shapes: [][]int{t.Shape()}, Msg: fmt.Sprintf("axis %d out of range", given)})
	}
	if axis == r-1 {
		return t, nil
	}
	perm, back := make([]int, 0, r), make([]int, r)
	for i := 0; i < r; i++ {
		if i != axis {
			perm = append(perm, i)
		}
	}
	perm = append(perm, axis)
	for i, p := range perm {
		back[p] = i
	}
	return tensor.Transpose(t, perm...), back
}

// fromLast undoes toLast.
func fromLast(t *tensor.Tensor, back []int) *tensor.Tensor {
	if back == nil {
		return t
	}
	return tensor.Transpose(t, back...)
}
