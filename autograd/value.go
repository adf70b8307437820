package autograd

import (
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Value is a node of the computational graph: a tensor, its gradient and,
// for op outputs, the inputs and the rule that sends the gradient back.
type Value struct {
	Data *tensor.Tensor
	// Grad holds d(loss)/d(Data) after Backward, for values that require a
	// gradient. Gradients of parameters accumulate across calls to Backward
	// until ZeroGrad, as in PyTorch.
	Grad *tensor.Tensor
	// RequiresGrad marks values whose gradient Backward computes: parameters
	// and everything computed from them.
	RequiresGrad bool
	// Name labels parameters (e.g. "dense_1.kernel") and DOT nodes.
	Name string

	op       string
	inputs   []*Value
	backward func(g *tensor.Tensor)
	// logits is the pre-activation input of a softmax or sigmoid output, kept
	// so that cross-entropy can be computed from logits (as Keras does) and
	// stay finite where the probabilities round to 0 or 1.
	logits     *Value
	logitsKind string
}

// Param returns a leaf that requires a gradient: a trainable weight.
func Param(t *tensor.Tensor, name string) *Value {
	return &Value{Data: t, RequiresGrad: true, Name: name}
}

// Const returns a leaf without a gradient: inputs, targets, masks.
func Const(t *tensor.Tensor) *Value { return &Value{Data: t} }

// Op returns the name of the op that produced v ("" for leaves).
func (v *Value) Op() string { return v.op }

// Inputs returns the values v was computed from (nil for leaves, and after
// Backward has released the graph).
func (v *Value) Inputs() []*Value { return v.inputs }

// Shape is v.Data.Shape().
func (v *Value) Shape() []int { return v.Data.Shape() }

// ZeroGrad drops the accumulated gradient.
func (v *Value) ZeroGrad() {
	if v.Grad != nil {
		v.Grad.Fill(0)
	}
}

// Logits returns the input of the softmax or sigmoid that produced v, with
// "softmax" or "sigmoid", or nil and "" when v is not such an output.
func (v *Value) Logits() (*Value, string) { return v.logits, v.logitsKind }

// accumulate adds g into v.Grad. g may be shared with other inputs, so the
// first contribution is copied rather than kept.
func (v *Value) accumulate(g *tensor.Tensor) {
	if !v.RequiresGrad {
		return
	}
	if v.Grad == nil {
		if tensor.SameShape(g.Shape(), v.Data.Shape()) {
			v.Grad = g.Clone()
		} else {
			v.Grad = g.Clone().Reshape(v.Data.Shape()...)
		}
		return
	}
	tensor.BinaryInto(kernels.OpAdd, v.Grad, v.Grad, g.Reshape(v.Data.Shape()...))
}

// record makes the output value of an op. The gradient rule is kept only
// when some input requires a gradient, so inference builds no graph.
func record(op string, data *tensor.Tensor, backward func(g *tensor.Tensor), inputs ...*Value) *Value {
	out := &Value{Data: data, op: op}
	for _, in := range inputs {
		if in.RequiresGrad {
			out.RequiresGrad = true
			break
		}
	}
	if out.RequiresGrad {
		out.inputs = inputs
		out.backward = backward
	}
	return out
}

// Backward computes the gradient of loss (a scalar, or any tensor seeded
// with ones) with respect to every value it depends on that requires a
// gradient, then releases the graph.
func Backward(loss *Value) {
	BackwardWith(loss, nil)
}

// BackwardWith is Backward with an explicit seed gradient (ones when nil).
func BackwardWith(loss *Value, seed *tensor.Tensor) {
	if !loss.RequiresGrad {
		return
	}
	order := topo(loss)
	if seed == nil {
		seed = tensor.ZerosLike(loss.Data)
		seed.Fill(1)
	}
	loss.accumulate(seed)
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		if v.backward != nil && v.Grad != nil {
			v.backward(v.Grad)
		}
		if v.backward != nil {
			// Release: intermediate gradients and the closures that keep
			// activations alive are not needed again.
			v.Grad, v.backward, v.inputs = nil, nil, nil
		}
	}
}

// topo returns the graph under root in topological order (inputs first).
func topo(root *Value) []*Value {
	var order []*Value
	seen := map[*Value]bool{}
	type frame struct {
		v    *Value
		next int
	}
	stack := []frame{{v: root}}
	seen[root] = true
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next < len(f.v.inputs) {
			in := f.v.inputs[f.next]
			f.next++
			if !seen[in] && in.RequiresGrad {
				seen[in] = true
				stack = append(stack, frame{v: in})
			}
			continue
		}
		order = append(order, f.v)
		stack = stack[:len(stack)-1]
	}
	return order
}
