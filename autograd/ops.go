package autograd

import (
	"fmt"
	"math"
	"slices"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Each op computes its output and records its local gradient rule beside
// it. Rules receive g = d(loss)/d(out) and add d(loss)/d(input) into inputs.

// Add returns a + b (broadcasting).
func Add(a, b *Value) *Value {
	return record("add", tensor.Add(a.Data, b.Data), func(g *tensor.Tensor) {
		a.accumulate(tensor.SumTo(g, a.Shape()))
		b.accumulate(tensor.SumTo(g, b.Shape()))
	}, a, b)
}

// Sub returns a - b (broadcasting).
func Sub(a, b *Value) *Value {
	return record("sub", tensor.Sub(a.Data, b.Data), func(g *tensor.Tensor) {
		a.accumulate(tensor.SumTo(g, a.Shape()))
		b.accumulate(tensor.SumTo(tensor.Neg(g), b.Shape()))
	}, a, b)
}

// Mul returns a * b elementwise (broadcasting).
func Mul(a, b *Value) *Value {
	return record("mul", tensor.Mul(a.Data, b.Data), func(g *tensor.Tensor) {
		if a.RequiresGrad {
			a.accumulate(tensor.SumTo(tensor.Mul(g, b.Data), a.Shape()))
		}
		if b.RequiresGrad {
			b.accumulate(tensor.SumTo(tensor.Mul(g, a.Data), b.Shape()))
		}
	}, a, b)
}

// Div returns a / b elementwise (broadcasting).
func Div(a, b *Value) *Value {
	out := tensor.Div(a.Data, b.Data)
	return record("div", out, func(g *tensor.Tensor) {
		if a.RequiresGrad {
			a.accumulate(tensor.SumTo(tensor.Div(g, b.Data), a.Shape()))
		}
		if b.RequiresGrad { // d(a/b)/db = -out/b
			b.accumulate(tensor.SumTo(tensor.Neg(tensor.Div(tensor.Mul(g, out), b.Data)), b.Shape()))
		}
	}, a, b)
}

// Maximum returns the elementwise larger of a and b; the gradient goes to
// the larger input (to a on ties).
func Maximum(a, b *Value) *Value { return minMax("maximum", kernels.OpMax, a, b) }

// Minimum returns the elementwise smaller of a and b; the gradient goes to
// the smaller input (to a on ties).
func Minimum(a, b *Value) *Value { return minMax("minimum", kernels.OpMin, a, b) }

func minMax(name string, op kernels.BinOp, a, b *Value) *Value {
	var out *tensor.Tensor
	if op == kernels.OpMin {
		out = tensor.Minimum(a.Data, b.Data)
	} else {
		out = tensor.Maximum(a.Data, b.Data)
	}
	return record(name, out, func(g *tensor.Tensor) {
		ga, gb := tensor.ZerosLike(g), tensor.ZerosLike(g)
		// a and b broadcast to out's shape, to compare elementwise
		ab, bb := tensor.Add(a.Data, tensor.ZerosLike(out)), tensor.Add(b.Data, tensor.ZerosLike(out))
		for i := 0; i < g.Len(); i++ {
			if ab.AtFlat(i) == out.AtFlat(i) {
				ga.SetFlat(i, g.AtFlat(i))
			} else if bb.AtFlat(i) == out.AtFlat(i) {
				gb.SetFlat(i, g.AtFlat(i))
			}
		}
		a.accumulate(tensor.SumTo(ga, a.Shape()))
		b.accumulate(tensor.SumTo(gb, b.Shape()))
	}, a, b)
}

// Scale returns s*a for a constant s.
func Scale(a *Value, s float64) *Value {
	return record("scale", tensor.MulScalar(a.Data, s), func(g *tensor.Tensor) {
		a.accumulate(tensor.MulScalar(g, s))
	}, a)
}

// AddConst returns a + s for a constant s.
func AddConst(a *Value, s float64) *Value {
	return record("add_const", tensor.AddScalar(a.Data, s), func(g *tensor.Tensor) {
		a.accumulate(g)
	}, a)
}

// Neg returns -a.
func Neg(a *Value) *Value { return Scale(a, -1) }

// unary records an elementwise op whose derivative is given as a function
// of the input x and the output y.
func unary(name string, op kernels.UnOp, a *Value, deriv func(x, y *tensor.Tensor) *tensor.Tensor) *Value {
	out := tensor.Apply(op, a.Data)
	return record(name, out, func(g *tensor.Tensor) {
		a.accumulate(tensor.Mul(g, deriv(a.Data, out)))
	}, a)
}

// Exp returns e**a; d/dx = e**x.
func Exp(a *Value) *Value {
	return unary("exp", kernels.OpExp, a, func(_, y *tensor.Tensor) *tensor.Tensor { return y })
}

// Log returns ln(a); d/dx = 1/x.
func Log(a *Value) *Value {
	return unary("log", kernels.OpLog, a, func(x, _ *tensor.Tensor) *tensor.Tensor {
		return tensor.Apply(kernels.OpReciprocal, x)
	})
}

// Tanh returns tanh(a); d/dx = 1 - y².
func Tanh(a *Value) *Value {
	return unary("tanh", kernels.OpTanh, a, func(_, y *tensor.Tensor) *tensor.Tensor {
		return tensor.AddScalar(tensor.Neg(tensor.Square(y)), 1)
	})
}

// Sigmoid returns 1/(1+e**-a); d/dx = y(1-y). The input is kept as the
// output's logits for binary cross-entropy.
func Sigmoid(a *Value) *Value {
	v := unary("sigmoid", kernels.OpSigmoid, a, func(_, y *tensor.Tensor) *tensor.Tensor {
		return tensor.Mul(y, tensor.AddScalar(tensor.Neg(y), 1))
	})
	v.logits, v.logitsKind = a, "sigmoid"
	return v
}

// ReLU returns max(a, 0); d/dx = 1 where x > 0, else 0 (0 at x = 0, as PyTorch).
func ReLU(a *Value) *Value {
	return unary("relu", kernels.OpReLU, a, func(x, _ *tensor.Tensor) *tensor.Tensor {
		return tensor.Apply(kernels.OpStep, x)
	})
}

// LeakyReLU returns a where a > 0 and alpha*a elsewhere.
func LeakyReLU(a *Value, alpha float64) *Value {
	out := tensor.LeakyReLU(a.Data, alpha)
	return record("leaky_relu", out, func(g *tensor.Tensor) {
		d := tensor.ZerosLike(a.Data)
		for i := 0; i < d.Len(); i++ {
			if a.Data.AtFlat(i) > 0 {
				d.SetFlat(i, 1)
			} else {
				d.SetFlat(i, alpha)
			}
		}
		a.accumulate(tensor.Mul(g, d))
	}, a)
}

// Abs returns |a|; d/dx = sign(x) (0 at 0, as PyTorch).
func Abs(a *Value) *Value {
	return unary("abs", kernels.OpAbs, a, func(x, _ *tensor.Tensor) *tensor.Tensor {
		return tensor.Apply(kernels.OpSign, x)
	})
}

// Sqrt returns √a; d/dx = 1/(2y).
func Sqrt(a *Value) *Value {
	return unary("sqrt", kernels.OpSqrt, a, func(_, y *tensor.Tensor) *tensor.Tensor {
		return tensor.Apply(kernels.OpReciprocal, tensor.MulScalar(y, 2))
	})
}

// Square returns a²; d/dx = 2x.
func Square(a *Value) *Value {
	return unary("square", kernels.OpSquare, a, func(x, _ *tensor.Tensor) *tensor.Tensor {
		return tensor.MulScalar(x, 2)
	})
}

// Softplus returns log(1+e**a), stable for any a; d/dx = sigmoid(x).
func Softplus(a *Value) *Value {
	return unary("softplus", kernels.OpSoftplus, a, func(x, _ *tensor.Tensor) *tensor.Tensor {
		return tensor.Sigmoid(x)
	})
}

// Clip limits a to [lo, hi]; the gradient passes where lo <= x <= hi, as
// torch.clamp.
func Clip(a *Value, lo, hi float64) *Value {
	out := tensor.ZerosLike(a.Data)
	mask := tensor.ZerosLike(a.Data)
	for i := 0; i < out.Len(); i++ {
		x := a.Data.AtFlat(i)
		out.SetFlat(i, math.Min(math.Max(x, lo), hi))
		if x >= lo && x <= hi {
			mask.SetFlat(i, 1)
		}
	}
	return record("clip", out, func(g *tensor.Tensor) {
		a.accumulate(tensor.Mul(g, mask))
	}, a)
}

// MatMul returns a·b for 2-D values.
func MatMul(a, b *Value) *Value {
	return record("matmul", tensor.MatMul(a.Data, b.Data, false, false), func(g *tensor.Tensor) {
		if a.RequiresGrad { // dA = G·Bᵀ
			a.accumulate(tensor.MatMul(g, b.Data, false, true))
		}
		if b.RequiresGrad { // dB = Aᵀ·G
			b.accumulate(tensor.MatMul(a.Data, g, true, false))
		}
	}, a, b)
}

// Linear returns x·w + b (b may be nil): a Dense layer's affine map in one
// op, the bias added in the product's output pass. x is (batch, in), w is
// (in, units), b is (units).
func Linear(x, w, b *Value) *Value {
	out := tensor.MatMul(x.Data, w.Data, false, false)
	inputs := []*Value{x, w}
	if b != nil {
		m, n := out.Dim(0), out.Dim(1)
		if out.DType() == tensor.Float64 {
			kernels.AddRowVector(out.Float64s(), b.Data.Float64s(), m, n)
		} else {
			kernels.AddRowVector(out.Float32s(), b.Data.Float32s(), m, n)
		}
		inputs = append(inputs, b)
	}
	return record("linear", out, func(g *tensor.Tensor) {
		if x.RequiresGrad {
			x.accumulate(tensor.MatMul(g, w.Data, false, true))
		}
		if w.RequiresGrad {
			w.accumulate(tensor.MatMul(x.Data, g, true, false))
		}
		if b != nil && b.RequiresGrad {
			b.accumulate(tensor.Sum(g, false, 0))
		}
	}, inputs...)
}

// Sum adds a over axes (all when none), keeping reduced axes as 1 when
// keepDims is set.
func Sum(a *Value, keepDims bool, axes ...int) *Value {
	out := tensor.Sum(a.Data, keepDims, axes...) // also checks the axes
	// The gradient broadcasts g back over a, viewed with the summed axes
	// kept as 1 (out's shape with keepDims).
	kept := slices.Clone(a.Shape())
	if len(axes) == 0 {
		for i := range kept {
			kept[i] = 1
		}
	}
	for _, ax := range axes {
		if ax < 0 {
			ax += len(kept)
		}
		kept[ax] = 1
	}
	return record("sum", out, func(g *tensor.Tensor) {
		a.accumulate(tensor.Add(tensor.ZerosLike(a.Data), g.Reshape(kept...)))
	}, a)
}

// Mean averages a over axes (all when none).
func Mean(a *Value, keepDims bool, axes ...int) *Value {
	s := Sum(a, keepDims, axes...)
	n := a.Data.Len() / max(s.Data.Len(), 1)
	return Scale(s, 1/float64(n))
}

// Reshape returns a with a new shape (a view); the gradient is reshaped back.
func Reshape(a *Value, shape ...int) *Value {
	return record("reshape", a.Data.Reshape(shape...), func(g *tensor.Tensor) {
		a.accumulate(g.Reshape(a.Shape()...))
	}, a)
}

// Softmax returns softmax along the last axis; d/dx = y ⊙ (g − Σ g⊙y).
// The input is kept as the output's logits for cross-entropy.
func Softmax(a *Value) *Value {
	out := tensor.Softmax(a.Data)
	v := record("softmax", out, func(g *tensor.Tensor) {
		gy := tensor.Mul(g, out)
		s := tensor.Sum(gy, true, -1)
		a.accumulate(tensor.Mul(out, tensor.Sub(g, s)))
	}, a)
	v.logits, v.logitsKind = a, "softmax"
	return v
}

// LogSoftmax returns log(softmax(a)) along the last axis, finite for any
// finite logits; d/dx = g − softmax(x)·Σg.
func LogSoftmax(a *Value) *Value {
	out := tensor.LogSoftmax(a.Data)
	return record("log_softmax", out, func(g *tensor.Tensor) {
		s := tensor.Sum(g, true, -1)
		a.accumulate(tensor.Sub(g, tensor.Mul(tensor.Exp(out), s)))
	}, a)
}

// Pick selects, for each row r of a viewed as (rows, n) along its last
// axis, the element a[r, idx[r]]: the gather that sparse cross-entropy
// needs. The gradient is scattered back to the picked positions.
func Pick(a *Value, idx []int) *Value {
	n := a.Data.Dim(-1)
	rows := a.Data.Len() / n
	if len(idx) != rows {
		panic(&tensor.ShapeError{Op: "Pick", Shapes: [][]int{a.Shape()}, Msg: fmt.Sprintf("%d indices for %d rows", len(idx), rows)})
	}
	outShape := a.Shape()[:a.Data.Rank()-1]
	out := tensor.New(a.Data.DType(), outShape...)
	for r, j := range idx {
		if j < 0 || j >= n {
			panic(&tensor.ShapeError{Op: "Pick", Shapes: [][]int{a.Shape()}, Msg: fmt.Sprintf("index %d out of range [0, %d) at row %d", j, n, r)})
		}
		out.SetFlat(r, a.Data.AtFlat(r*n+j))
	}
	return record("pick", out, func(g *tensor.Tensor) {
		d := tensor.ZerosLike(a.Data)
		for r, j := range idx {
			d.SetFlat(r*n+j, g.AtFlat(r))
		}
		a.accumulate(d)
	}, a)
}
