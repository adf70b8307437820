package layers

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/deepgo-dev/deepgo/activations"
	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/initializers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// recurrent is what SimpleRNN, LSTM and GRU share (Keras's RNN base with
// its cell's weights): the arguments, the three weights and the loop over
// timesteps. Inputs are (batch, timesteps, features) as in Keras; the output
// is the last state (batch, units) or, with ReturnSequences, every state
// (batch, timesteps, units).
//
// The weights keep Keras's fused layouts: kernel (features, gates·units),
// recurrent_kernel (units, gates·units), the gates side by side in columns,
// so the input projection of every timestep is one product and each step's
// recurrent projection is one more.
type recurrent struct {
	base
	Units                int
	Activation           string
	RecurrentActivation  string // LSTM and GRU only
	UseBias              bool
	KernelInitializer    string
	RecurrentInitializer string
	BiasInitializer      string
	ReturnSequences      bool
	// GoBackwards processes the sequence from its last timestep to its
	// first; with ReturnSequences the output is in that (reversed) order,
	// as Keras returns it.
	GoBackwards bool
	// Dropout and RecurrentDropout are the fractions of the inputs and of
	// the recurrent state dropped in training, one mask per sequence as in
	// Keras. ReturnState also returns the final states (Go API only: a
	// Sequential model has one output). Not implemented yet: readRecurrent
	// rejects non-default values.
	Dropout, RecurrentDropout float64
	ReturnState               bool

	gates int // column blocks in the fused matrices: 1, 4 or 3
	// Options that belong to one layer type, carried to its constructor.
	noUnitForgetBias bool // LSTM
	noResetAfter     bool // GRU
	act, recAct      activations.Func

	kernel, recurrentKernel, bias *Weight
}

// RNNOption sets an optional argument of SimpleRNN, LSTM or GRU.
type RNNOption func(*recurrent)

// WithRNNActivation sets the activation of the state (and of LSTM's cell
// output and candidate, GRU's candidate); default tanh.
func WithRNNActivation(name string) RNNOption { return func(r *recurrent) { r.Activation = name } }

// WithRecurrentActivation sets the gates' activation of LSTM and GRU;
// default sigmoid.
func WithRecurrentActivation(name string) RNNOption {
	return func(r *recurrent) { r.RecurrentActivation = name }
}

// WithoutRNNBias drops the bias (Keras use_bias=False).
func WithoutRNNBias() RNNOption { return func(r *recurrent) { r.UseBias = false } }

// ReturnSequences makes the layer output every timestep's state, (batch,
// timesteps, units), instead of the last one.
func ReturnSequences() RNNOption { return func(r *recurrent) { r.ReturnSequences = true } }

// GoBackwards makes the layer read the sequence from the end.
func GoBackwards() RNNOption { return func(r *recurrent) { r.GoBackwards = true } }

// WithRNNInitializers sets the kernel, recurrent kernel and bias
// initializers (defaults glorot_uniform, orthogonal, zeros); "" keeps one.
func WithRNNInitializers(kernel, recurrentKernel, bias string) RNNOption {
	return func(r *recurrent) {
		for _, p := range []struct {
			dst *string
			v   string
		}{{&r.KernelInitializer, kernel},
			{&r.RecurrentInitializer, recurrentKernel}, {&r.BiasInitializer, bias}} {
			if p.v != "" {
				*p.dst = p.v
			}
		}
	}
}

// newRecurrent applies Keras's defaults and the options and checks them.
func newRecurrent(units, gates int, opts []RNNOption) recurrent {
	r := recurrent{Units: units, Activation: "tanh", UseBias: true, KernelInitializer: "glorot_uniform",
		RecurrentInitializer: "orthogonal", BiasInitializer: "zeros", gates: gates}
	if gates > 1 {
		r.RecurrentActivation = "sigmoid"
	}
	for _, o := range opts {
		o(&r)
	}
	if units <= 0 {
		r.fail("units must be a positive integer, got %d", units)
	}
	var err error
	if r.act, err = activations.Get(r.Activation); err != nil {
		r.fail("activation: %v", err)
	}
	if gates > 1 {
		if r.recAct, err = activations.Get(r.RecurrentActivation); err != nil {
			r.fail("recurrent_activation: %v", err)
		}
	}
	return r
}

// build checks the (timesteps, features) input and creates the weights;
// biasShape is the bias's shape (GRU's reset_after bias has two rows).
func (r *recurrent) build(l Layer, in []int, rng *rand.Rand, biasShape []int) error {
	if err := r.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	if len(in) != 2 || in[0] <= 0 || in[1] <= 0 {
		return shapeErr(l, "needs inputs of shape (timesteps, features) per sample, got %s", tensor.ShapeString(in))
	}
	var inits [3]initializers.Initializer
	for i, name := range []string{r.KernelInitializer, r.RecurrentInitializer, r.BiasInitializer} {
		init, err := initializers.Get(name)
		if err != nil {
			return shapeErr(l, "%s: %v", []string{"kernel_initializer", "recurrent_initializer", "bias_initializer"}[i], err)
		}
		inits[i] = init
	}
	cols := r.gates * r.Units
	r.kernel = newWeight(r.name, "kernel", inits[0].Init([]int{in[1], cols}, rng), true)
	r.recurrentKernel = newWeight(r.name, "recurrent_kernel", inits[1].Init([]int{r.Units, cols}, rng), true)
	r.bias = nil
	if r.UseBias {
		r.bias = newWeight(r.name, "bias", inits[2].Init(biasShape, rng), true)
	}
	if r.ReturnSequences {
		r.outShape = []int{in[0], r.Units}
	} else {
		r.outShape = []int{r.Units}
	}
	return nil
}

func (r *recurrent) Weights() []*Weight {
	if r.bias == nil {
		return []*Weight{r.kernel, r.recurrentKernel}
	}
	return []*Weight{r.kernel, r.recurrentKernel, r.bias}
}

// config lists the Keras arguments; extra ones (unit_forget_bias,
// reset_after) go after use_bias as in Keras's get_config.
func (r *recurrent) config(extra ...spec.Arg) spec.Args {
	args := spec.Args{{Name: "units", Value: r.Units}, {Name: "activation", Value: r.Activation}}
	if r.gates > 1 {
		args = append(args, spec.Arg{Name: "recurrent_activation", Value: r.RecurrentActivation})
	}
	args = append(args, spec.Arg{Name: "use_bias", Value: r.UseBias},
		spec.Arg{Name: "kernel_initializer", Value: r.KernelInitializer},
		spec.Arg{Name: "recurrent_initializer", Value: r.RecurrentInitializer},
		spec.Arg{Name: "bias_initializer", Value: r.BiasInitializer})
	args = append(args, extra...)
	return append(args, spec.Arg{Name: "return_sequences", Value: r.ReturnSequences},
		spec.Arg{Name: "go_backwards", Value: r.GoBackwards})
}

// step advances the state by one timestep: xt is that timestep's input
// projection x·kernel (+ input bias), (batch, gates·units); state holds h
// (and LSTM's c). It returns the new state, h first.
type step func(xt *autograd.Value, state []*autograd.Value) []*autograd.Value

// run projects every timestep's input in one product, then runs the cell
// over time, and returns the last h or the sequence of them.
func (r *recurrent) run(x *autograd.Value, inputBias *autograd.Value, nState int, cell step) *autograd.Value {
	shape := x.Shape()
	if len(shape) != 3 {
		panic(&tensor.ShapeError{Op: "recurrent", Shapes: [][]int{shape}, Msg: "want (batch, timesteps, features)"})
	}
	batch, steps, cols := shape[0], shape[1], r.gates*r.Units
	proj := autograd.Linear(autograd.Reshape(x, batch*steps, shape[2]), r.kernel.Value, inputBias)
	proj = autograd.Reshape(proj, batch, steps, cols)
	state := make([]*autograd.Value, nState)
	for i := range state { // Keras's initial state: zeros
		state[i] = autograd.Const(tensor.New(x.Data.DType(), batch, r.Units))
	}
	var outs []*autograd.Value
	for s := 0; s < steps; s++ {
		t := s
		if r.GoBackwards {
			t = steps - 1 - s
		}
		xt := autograd.Reshape(autograd.SliceAxis(proj, 1, t, t+1), batch, cols)
		state = cell(xt, state)
		if r.ReturnSequences {
			outs = append(outs, autograd.Reshape(state[0], batch, 1, r.Units))
		}
	}
	if r.ReturnSequences {
		return autograd.Concat(outs, 1)
	}
	return state[0]
}

// gate returns columns [k·units, (k+1)·units) of a fused gate matrix.
func (r *recurrent) gate(z *autograd.Value, k int) *autograd.Value {
	return autograd.SliceAxis(z, -1, k*r.Units, (k+1)*r.Units)
}

// readRecurrent reads the arguments SimpleRNN, LSTM and GRU share from a
// spec entry. Keras arguments deepgo does not implement yet are accepted
// only with their default values, so that Keras configs load and a
// non-default value fails clearly instead of being ignored.
func readRecurrent(r *spec.Reader, gates int) []RNNOption {
	opts := []RNNOption{WithRNNActivation(r.String("activation", "tanh")),
		WithRNNInitializers(r.String("kernel_initializer", "glorot_uniform"),
			r.String("recurrent_initializer", "orthogonal"), r.String("bias_initializer", "zeros"))}
	if gates > 1 {
		opts = append(opts, WithRecurrentActivation(r.String("recurrent_activation", "sigmoid")))
	}
	if !r.Bool("use_bias", true) {
		opts = append(opts, WithoutRNNBias())
	}
	if r.Bool("return_sequences", false) {
		opts = append(opts, ReturnSequences())
	}
	if r.Bool("go_backwards", false) {
		opts = append(opts, GoBackwards())
	}
	var unsupported []string
	for _, name := range []string{"dropout", "recurrent_dropout"} {
		if v := r.Float(name, 0); v != 0 {
			unsupported = append(unsupported, fmt.Sprintf("%s=%g", name, v))
		}
	}
	for _, name := range []string{"return_state", "stateful", "unroll"} {
		if r.Bool(name, false) {
			unsupported = append(unsupported, name+"=true")
		}
	}
	r.Int("seed", 0) // Keras's dropout seed: meaningless without dropout
	if len(unsupported) > 0 {
		opts = append(opts, func(rec *recurrent) { rec.fail("%s: not supported yet", strings.Join(unsupported, ", ")) })
	}
	return opts
}

// recurrentArgs are the spec arguments readRecurrent accepts.
var recurrentArgs = []string{"units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
	"bias_initializer", "return_sequences", "go_backwards", "dropout", "recurrent_dropout", "return_state",
	"stateful", "unroll", "seed"}
