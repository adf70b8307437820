package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
)

// GRU is Keras's gated recurrent unit (Cho et al. 2014) in its default
// reset_after=True form (the cuDNN one): with input projection
// x_t·kernel + bias[0] and recurrent projection h_{t−1}·recurrent_kernel +
// bias[1], each split into three column blocks in Keras's order z, r, h,
//
//	z = σ(x_z + r_z)   r = σ(x_r + r_r)    (σ: recurrent_activation)
//	ĥ = tanh(x_h + r ⊙ r_h)                (tanh: activation)
//	h_t = z ⊙ h_{t−1} + (1 − z) ⊙ ĥ
//
// with h_0 = 0; bias has shape (2, 3·units). Gate order versus PyTorch:
// Keras's z, r, h are torch.nn.GRU's z, r, n blocks stored in the order
// r, z, n, so weight_ih = kernelᵀ with the first two row blocks swapped
// (likewise weight_hh from recurrent_kernelᵀ), bias_ih = bias[0] and
// bias_hh = bias[1] with the same swap.
//
// With reset_after=False (the original GRU, Keras 2's old default) the
// reset gate applies to h_{t−1} before its product, and there is one bias
// of shape (3·units) on the input side:
//
//	ĥ = tanh(x_h + (r ⊙ h_{t−1})·recurrent_kernel_h)
//
// PyTorch has no such GRU; this form runs on the autograd path only.
type GRU struct {
	recurrent
	// ResetAfter applies the reset gate after the recurrent product
	// (Keras's default); false selects the original GRU.
	ResetAfter bool
}

// WithoutResetAfter selects the original GRU (Keras reset_after=False).
func WithoutResetAfter() RNNOption { return func(r *recurrent) { r.noResetAfter = true } }

// NewGRU returns a GRU with Keras's defaults: tanh and sigmoid,
// reset_after, a (2, 3·units) zero bias, glorot_uniform kernel, orthogonal
// recurrent kernel, the last state only, forwards.
func NewGRU(units int, opts ...RNNOption) *GRU {
	r := newRecurrent(units, 3, opts)
	if r.noResetAfter && r.RecurrentDropout > 0 {
		r.fail("reset_after=false with recurrent_dropout: not supported yet")
	}
	return &GRU{recurrent: r, ResetAfter: !r.noResetAfter}
}

func (*GRU) ClassName() string { return "GRU" }

func (l *GRU) Config() spec.Args {
	return l.config(spec.Arg{Name: "reset_after", Value: l.ResetAfter})
}

func (l *GRU) Build(in []int, rng *rand.Rand) error {
	if !l.ResetAfter {
		return l.build(l, in, rng, []int{3 * l.Units})
	}
	return l.build(l, in, rng, []int{2, 3 * l.Units})
}

// Fast reports whether the layer runs as a Kernel: the recurrent layers'
// conditions, and reset_after (the original GRU runs on the autograd path
// only).
func (l *GRU) Fast() bool { return l.ResetAfter && l.recurrent.Fast() }

func (l *GRU) Call(ctx *Context, x *autograd.Value) *autograd.Value {
	y, _ := l.CallWithState(ctx, x)
	return y
}

// CallWithState is Call that also returns the final state [h] (Keras's
// return_state=True), the carried h where the last steps are masked.
func (l *GRU) CallWithState(ctx *Context, x *autograd.Value) (*autograd.Value, []*autograd.Value) {
	if !l.ResetAfter {
		return l.callResetBefore(ctx, x)
	}
	var inBias, recBias *autograd.Value
	if l.bias != nil {
		cols := 3 * l.Units
		inBias = autograd.Reshape(autograd.SliceAxis(l.bias.Value, 0, 0, 1), cols)
		recBias = autograd.Reshape(autograd.SliceAxis(l.bias.Value, 0, 1, 2), cols)
	}
	return l.run(ctx, x, inBias, 1, func(xt, rec *autograd.Value, s []*autograd.Value) []*autograd.Value {
		if recBias != nil {
			rec = autograd.Add(rec, recBias)
		}
		z := l.recAct(autograd.Add(l.gate(xt, 0), l.gate(rec, 0)))
		r := l.recAct(autograd.Add(l.gate(xt, 1), l.gate(rec, 1)))
		hh := l.act(autograd.Add(l.gate(xt, 2), autograd.Mul(r, l.gate(rec, 2))))
		// z⊙h + (1−z)⊙ĥ, written ĥ + z⊙(h − ĥ) to need no constant 1.
		return []*autograd.Value{autograd.Add(hh, autograd.Mul(z, autograd.Sub(s[0], hh)))}
	})
}

// callResetBefore is CallWithState for reset_after=False: the run loop's
// recurrent product serves the z and r blocks, and the candidate's block
// is a second product of r ⊙ h_{t−1}.
func (l *GRU) callResetBefore(ctx *Context, x *autograd.Value) (*autograd.Value, []*autograd.Value) {
	b := l.bias.value()
	rh := autograd.SliceAxis(l.recurrentKernel.Value, 1, 2*l.Units, 3*l.Units)
	return l.run(ctx, x, b, 1, func(xt, rec *autograd.Value, s []*autograd.Value) []*autograd.Value {
		z := l.recAct(autograd.Add(l.gate(xt, 0), l.gate(rec, 0)))
		r := l.recAct(autograd.Add(l.gate(xt, 1), l.gate(rec, 1)))
		hh := l.act(autograd.Add(l.gate(xt, 2), autograd.MatMul(autograd.Mul(r, s[0]), rh)))
		return []*autograd.Value{autograd.Add(hh, autograd.Mul(z, autograd.Sub(s[0], hh)))}
	})
}

func init() {
	register(entry{"gru", append([]string{"recurrent_activation", "reset_after"}, recurrentArgs...),
		func(r *spec.Reader) Layer {
			opts := readRecurrent(r, 3)
			if !r.Bool("reset_after", true) {
				opts = append(opts, WithoutResetAfter())
			}
			return NewGRU(r.PositiveInt("units", 0), opts...)
		}})
}
