package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
)

// SimpleRNN is Keras's fully connected recurrent layer:
//
//	h_t = activation(x_t·kernel + h_{t−1}·recurrent_kernel + bias)
//
// with kernel (features, units), recurrent_kernel (units, units), bias
// (units) and h_0 = 0. It equals torch.nn.RNN(nonlinearity="tanh") with
// weight_ih = kernelᵀ, weight_hh = recurrent_kernelᵀ, bias_ih = bias and
// bias_hh = 0.
type SimpleRNN struct{ recurrent }

// NewSimpleRNN returns a SimpleRNN with Keras's defaults: tanh, a bias,
// glorot_uniform kernel, orthogonal recurrent kernel, zero bias, the last
// state only, forwards.
func NewSimpleRNN(units int, opts ...RNNOption) *SimpleRNN {
	return &SimpleRNN{newRecurrent(units, 1, opts)}
}

func (*SimpleRNN) ClassName() string   { return "SimpleRNN" }
func (l *SimpleRNN) Config() spec.Args { return l.config() }

func (l *SimpleRNN) Build(in []int, rng *rand.Rand) error {
	return l.build(l, in, rng, []int{l.Units})
}

func (l *SimpleRNN) Call(ctx *Context, x *autograd.Value) *autograd.Value {
	y, _ := l.CallWithState(ctx, x)
	return y
}

// CallWithState is Call that also returns the final state [h] (Keras's
// return_state=True), the carried h where the last steps are masked.
func (l *SimpleRNN) CallWithState(ctx *Context, x *autograd.Value) (*autograd.Value, []*autograd.Value) {
	b := l.bias.value()
	return l.run(ctx, x, b, 1, func(xt, rec *autograd.Value, _ []*autograd.Value) []*autograd.Value {
		return []*autograd.Value{l.act(autograd.Add(xt, rec))}
	})
}

func init() {
	register(entry{"simple_rnn", recurrentArgs, func(r *spec.Reader) Layer {
		return NewSimpleRNN(r.PositiveInt("units", 0), readRecurrent(r, 1)...)
	}})
}
