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
	// Dropout and RecurrentDropout are the fractions of the inputs x_t and
	// of the recurrent state h_{t−1} dropped in training, as in Keras 3
	// (3.8 on, keras-team/keras#20656 and #20663, which restored Keras 2's
	// scheme): masks are drawn once per sequence, the same for every
	// timestep, kept units scaled by 1/(1−rate). With dropout alone, one
	// input mask (batch, features) multiplies x_t for all gates. With
	// recurrent dropout (Keras's "implementation 1"), every gate of LSTM
	// and GRU gets its own input mask and its own recurrent mask (batch,
	// units) on h_{t−1} where it enters that gate's recurrent product; the
	// state itself (LSTM's c_{t−1}, GRU's z ⊙ h_{t−1}) is not dropped. Call
	// draws the input masks first, then the recurrent masks, gate by gate
	// in Keras's order, from Context.RNG with dropoutMask; a kernel must
	// draw them in the same order.
	Dropout, RecurrentDropout float64
	// ReturnState is Keras's return_state. A Sequential model has one
	// output per layer, so a spec cannot set it; in Go, CallWithState
	// returns the final states whatever its value.
	ReturnState bool

	gates int // column blocks in the fused matrices: 1, 4 or 3
	// Options that belong to one layer type, carried to its constructor.
	noUnitForgetBias bool // LSTM
	noResetAfter     bool // GRU
	act, recAct      activations.Func

	kernel, recurrentKernel, bias *Weight
	fast                          *rnnState // the Kernel's buffers (rnn_kernel.go), made on first use
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

// WithRNNDropout sets the fraction of the inputs dropped in training
// (Keras dropout), in [0, 1).
func WithRNNDropout(rate float64) RNNOption { return func(r *recurrent) { r.Dropout = rate } }

// WithRecurrentDropout sets the fraction of the recurrent state dropped in
// training (Keras recurrent_dropout), in [0, 1).
func WithRecurrentDropout(rate float64) RNNOption {
	return func(r *recurrent) { r.RecurrentDropout = rate }
}

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
	for _, d := range []struct {
		name string
		v    float64
	}{{"dropout", r.Dropout}, {"recurrent_dropout", r.RecurrentDropout}} {
		if d.v < 0 || d.v >= 1 {
			r.fail("%s must be in [0, 1), got %v", d.name, d.v)
		}
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

func (r *recurrent) Weights() []*Weight { return present(r.kernel, r.recurrentKernel, r.bias) }

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
	return append(args, spec.Arg{Name: "dropout", Value: r.Dropout},
		spec.Arg{Name: "recurrent_dropout", Value: r.RecurrentDropout},
		spec.Arg{Name: "return_sequences", Value: r.ReturnSequences},
		spec.Arg{Name: "go_backwards", Value: r.GoBackwards})
}

// step advances the state by one timestep: xt is that timestep's input
// projection x·kernel (+ input bias), (batch, gates·units); rec is the
// recurrent product h_{t−1}·recurrent_kernel (after recurrent dropout,
// without bias), (batch, gates·units); state holds h_{t−1} (and LSTM's
// c_{t−1}). It returns the new state, h first.
type step func(xt, rec *autograd.Value, state []*autograd.Value) []*autograd.Value

// run projects every timestep's input in one product, then runs the cell
// over time. It returns the last h or, with ReturnSequences, the sequence
// of them, and the final state.
//
// With a mask in ctx (Keras semantics, zero_output_for_mask=False), a
// masked step leaves the state as it was, h_t = h_{t−1} (and c_t =
// c_{t−1}), and outputs that carried h: zeros before the first real step.
// The selection is new⊙m + old⊙(1−m), exact for m in {0, 1}, so real steps
// give the same numbers as without a mask.
func (r *recurrent) run(ctx *Context, x, inputBias *autograd.Value, nState int, cell step) (*autograd.Value, []*autograd.Value) {
	if ctx == nil {
		ctx = &Context{}
	}
	shape := x.Shape()
	if len(shape) != 3 {
		panic(&tensor.ShapeError{Op: r.name, Shapes: [][]int{shape}, Msg: "want (batch, timesteps, features)"})
	}
	batch, steps, cols := shape[0], shape[1], r.gates*r.Units
	dt := x.Data.DType()
	keep, drop := r.stepMasks(ctx.Mask, batch, steps, dt)
	inMasks, recMasks := r.dropoutMasks(ctx, batch, shape[2], dt)
	var proj *autograd.Value
	switch len(inMasks) {
	case 0:
		proj = autograd.Linear(autograd.Reshape(x, batch*steps, shape[2]), r.kernel.Value, inputBias)
	case 1: // one mask per sequence, broadcast over time
		proj = autograd.Linear(autograd.Reshape(autograd.Mul(x, inMasks[0]), batch*steps, shape[2]), r.kernel.Value, inputBias)
	default: // one per gate: (x ⊙ m_k)·kernel_k + bias_k
		blocks := make([]*autograd.Value, r.gates)
		for k, m := range inMasks {
			var b *autograd.Value
			if inputBias != nil {
				b = r.gate(inputBias, k)
			}
			xk := autograd.Reshape(autograd.Mul(x, m), batch*steps, shape[2])
			blocks[k] = autograd.Linear(xk, r.gate(r.kernel.Value, k), b)
		}
		proj = autograd.Concat(blocks, -1)
	}
	proj = autograd.Reshape(proj, batch, steps, cols)
	var recBlocks []*autograd.Value // recurrent_kernel's gate blocks, with recurrent dropout
	if recMasks != nil {
		for k := range recMasks {
			recBlocks = append(recBlocks, r.gate(r.recurrentKernel.Value, k))
		}
	}
	state := make([]*autograd.Value, nState)
	for i := range state { // Keras's initial state: zeros
		state[i] = autograd.Const(tensor.New(dt, batch, r.Units))
	}
	var outs []*autograd.Value
	for s := 0; s < steps; s++ {
		t := s
		if r.GoBackwards {
			t = steps - 1 - s
		}
		xt := autograd.Reshape(autograd.SliceAxis(proj, 1, t, t+1), batch, cols)
		var rec *autograd.Value
		if recMasks == nil {
			rec = autograd.MatMul(state[0], r.recurrentKernel.Value)
		} else {
			blocks := make([]*autograd.Value, len(recMasks))
			for k, m := range recMasks {
				blocks[k] = autograd.MatMul(autograd.Mul(state[0], m), recBlocks[k])
			}
			rec = blocks[0]
			if len(blocks) > 1 {
				rec = autograd.Concat(blocks, -1)
			}
		}
		next := cell(xt, rec, state)
		if keep != nil {
			for i := range next {
				next[i] = autograd.Add(autograd.Mul(next[i], keep[t]), autograd.Mul(state[i], drop[t]))
			}
		}
		state = next
		if r.ReturnSequences {
			outs = append(outs, autograd.Reshape(state[0], batch, 1, r.Units))
		}
	}
	if r.ReturnSequences {
		return autograd.Concat(outs, 1), state
	}
	return state[0], state
}

// dropoutMasks draws the training dropout masks (see Dropout): input masks
// (batch, 1, features), one or one per gate, then recurrent masks (batch,
// units), one per gate; none outside training or at rate 0.
func (r *recurrent) dropoutMasks(ctx *Context, batch, features int, dt tensor.DType) (in, rec []*autograd.Value) {
	if !ctx.Training || ctx.RNG == nil {
		return nil, nil
	}
	count := 1
	if r.RecurrentDropout > 0 { // Keras: implementation 1, a mask per gate
		count = r.gates
	}
	draw := func(rate float64, shape ...int) []*autograd.Value {
		out := make([]*autograd.Value, count)
		for k := range out {
			m := tensor.New(dt, shape...)
			if dt == tensor.Float64 {
				dropoutMask(ctx.RNG, m.Float64s(), rate)
			} else {
				dropoutMask(ctx.RNG, m.Float32s(), rate)
			}
			out[k] = autograd.Const(m)
		}
		return out
	}
	if r.Dropout > 0 {
		in = draw(r.Dropout, batch, 1, features)
	}
	if r.RecurrentDropout > 0 {
		rec = draw(r.RecurrentDropout, batch, r.Units)
	}
	return in, rec
}

// stepMasks returns, for each timestep t, the mask column m_t and 1 − m_t
// as (batch, 1) constants, or nils when there is no mask.
func (r *recurrent) stepMasks(mask *tensor.Tensor, batch, steps int, dt tensor.DType) (keep, drop []*autograd.Value) {
	if mask == nil {
		return nil, nil
	}
	if !tensor.SameShape(mask.Shape(), []int{batch, steps}) {
		panic(&tensor.ShapeError{Op: r.name, Shapes: [][]int{mask.Shape()},
			Msg: fmt.Sprintf("mask must be (batch, timesteps) = (%d, %d)", batch, steps)})
	}
	keep, drop = make([]*autograd.Value, steps), make([]*autograd.Value, steps)
	for t := 0; t < steps; t++ {
		k, d := tensor.New(dt, batch, 1), tensor.New(dt, batch, 1)
		for b := 0; b < batch; b++ {
			if mask.AtFlat(b*steps+t) != 0 {
				k.SetFlat(b, 1)
			} else {
				d.SetFlat(b, 1)
			}
		}
		keep[t], drop[t] = autograd.Const(k), autograd.Const(d)
	}
	return keep, drop
}

// ComputeMask is Keras's RNN.compute_mask: the input mask goes on with the
// sequence of outputs (unchanged, also with GoBackwards, as in Keras) and
// stops at a layer that returns only its last state.
func (r *recurrent) ComputeMask(_ *Context, _, mask *tensor.Tensor) *tensor.Tensor {
	if r.ReturnSequences {
		return mask
	}
	return nil
}

// gate returns columns [k·units, (k+1)·units) of a fused gate matrix (or
// entries of a fused bias).
func (r *recurrent) gate(z *autograd.Value, k int) *autograd.Value {
	return autograd.SliceAxis(z, -1, k*r.Units, (k+1)*r.Units)
}

// readRecurrent reads the arguments SimpleRNN, LSTM and GRU share from a
// spec entry. Keras arguments deepgo does not implement (return_state in a
// Sequential model, stateful, unroll) are accepted only with their default
// values, so that Keras configs load and a non-default value fails clearly
// instead of being ignored.
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
	opts = append(opts, WithRNNDropout(r.Float("dropout", 0)), WithRecurrentDropout(r.Float("recurrent_dropout", 0)))
	var unsupported []string
	if r.Bool("return_state", false) {
		unsupported = append(unsupported, "return_state=true: a Sequential model takes one output per layer "+
			"(in Go, CallWithState returns the final states)")
	}
	for _, name := range []string{"stateful", "unroll"} {
		if r.Bool(name, false) {
			unsupported = append(unsupported, name+"=true: not supported")
		}
	}
	r.Int("seed", 0) // Keras's dropout seed: the model's seed drives dropout masks
	if len(unsupported) > 0 {
		opts = append(opts, func(rec *recurrent) { rec.fail("%s", strings.Join(unsupported, "; ")) })
	}
	return opts
}

// recurrentArgs are the spec arguments readRecurrent accepts.
var recurrentArgs = []string{"units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
	"bias_initializer", "return_sequences", "go_backwards", "dropout", "recurrent_dropout", "return_state",
	"stateful", "unroll", "seed"}
