package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
)

// LSTM is Keras's long short-term memory layer (Hochreiter & Schmidhuber
// 1997, with a forget gate): with z = x_t·kernel + h_{t−1}·recurrent_kernel
// + bias split into four column blocks of units each, in Keras's order
// i, f, c, o,
//
//	i = σ(z_i)  f = σ(z_f)  o = σ(z_o)   (σ: recurrent_activation)
//	c_t = f ⊙ c_{t−1} + i ⊙ tanh(z_c)    (tanh: activation)
//	h_t = o ⊙ tanh(c_t)
//
// with h_0 = c_0 = 0. Gate order versus PyTorch: Keras's i, f, c, o is
// torch.nn.LSTM's i, f, g, o — the same order, so weight_ih = kernelᵀ,
// weight_hh = recurrent_kernelᵀ, bias_ih = bias, bias_hh = 0 without any
// reordering of the blocks.
type LSTM struct {
	recurrent
	// UnitForgetBias adds 1 to the forget gate's bias at initialisation
	// (Jozefowicz et al. 2015), Keras's default.
	UnitForgetBias bool
}

// WithoutUnitForgetBias initialises LSTM's forget-gate bias with the bias
// initializer alone (Keras unit_forget_bias=False).
func WithoutUnitForgetBias() RNNOption { return func(r *recurrent) { r.noUnitForgetBias = true } }

// NewLSTM returns an LSTM with Keras's defaults: tanh and sigmoid, a bias
// with unit_forget_bias, glorot_uniform kernel, orthogonal recurrent
// kernel, the last state only, forwards.
func NewLSTM(units int, opts ...RNNOption) *LSTM {
	r := newRecurrent(units, 4, opts)
	return &LSTM{recurrent: r, UnitForgetBias: !r.noUnitForgetBias}
}

func (*LSTM) ClassName() string { return "LSTM" }

func (l *LSTM) Config() spec.Args {
	return l.config(spec.Arg{Name: "unit_forget_bias", Value: l.UnitForgetBias})
}

func (l *LSTM) Build(in []int, rng *rand.Rand) error {
	if err := l.build(l, in, rng, []int{4 * l.Units}); err != nil {
		return err
	}
	if l.bias != nil && l.UnitForgetBias { // Keras: ones for the f block
		b := l.bias.Value.Data
		for j := l.Units; j < 2*l.Units; j++ {
			b.SetFlat(j, 1)
		}
	}
	return nil
}

func (l *LSTM) Call(ctx *Context, x *autograd.Value) *autograd.Value {
	y, _ := l.CallWithState(ctx, x)
	return y
}

// CallWithState is Call that also returns the final states [h, c] (Keras's
// return_state=True), carried over masked last steps.
func (l *LSTM) CallWithState(ctx *Context, x *autograd.Value) (*autograd.Value, []*autograd.Value) {
	b := l.bias.value()
	return l.run(ctx, x, b, 2, func(xt, rec *autograd.Value, s []*autograd.Value) []*autograd.Value {
		z := autograd.Add(xt, rec)
		i, f := l.recAct(l.gate(z, 0)), l.recAct(l.gate(z, 1))
		g, o := l.act(l.gate(z, 2)), l.recAct(l.gate(z, 3))
		c := autograd.Add(autograd.Mul(f, s[1]), autograd.Mul(i, g))
		return []*autograd.Value{autograd.Mul(o, l.act(c)), c}
	})
}

func init() {
	register(entry{"lstm", append([]string{"recurrent_activation", "unit_forget_bias"}, recurrentArgs...),
		func(r *spec.Reader) Layer {
			opts := readRecurrent(r, 4)
			if !r.Bool("unit_forget_bias", true) {
				opts = append(opts, WithoutUnitForgetBias())
			}
			return NewLSTM(r.PositiveInt("units", 0), opts...)
		}})
}
