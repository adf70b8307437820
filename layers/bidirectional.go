package layers

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Bidirectional runs a recurrent layer (SimpleRNN, LSTM or GRU) over the
// sequence in both directions and merges the two outputs, as Keras's
// Bidirectional: the forward layer is the given one, the backward layer a
// copy of it with go_backwards flipped (or the backward_layer given). With
// return_sequences the backward layer's outputs, which come in its reading
// order, are flipped back to input order before merging, and a masked
// step's output is zero in both directions (Keras forces
// zero_output_for_mask there). merge_mode is "concat" (default, features
// side by side, forward first), "sum", "mul" or "ave"; Keras's None, which
// returns two outputs, has no place in a Sequential model.
//
// The two layers are called "forward_<name>" and "backward_<name>" after
// the wrapped layer's name ("lstm" when it has none), and their weights
// "<bidirectional>.forward_lstm.kernel" and so on, Keras 3's weight paths
// with dots; Weights lists the forward layer's first.
type Bidirectional struct {
	base
	// ForwardLayer and BackwardLayer are the two recurrent layers (Keras's
	// forward_layer and backward_layer).
	ForwardLayer, BackwardLayer Layer
	MergeMode                   string

	baseName         string // the wrapped layer's own name, for Config
	fwdName, bwdName string // the two layers' names inside this one
	userBackward     bool   // BackwardLayer was given, not derived
	fast             bidiState
}

// BidirectionalOption sets an optional argument of Bidirectional.
type BidirectionalOption func(*Bidirectional)

// WithMergeMode sets how the two directions' outputs are combined:
// "concat" (default), "sum", "mul" or "ave".
func WithMergeMode(mode string) BidirectionalOption {
	return func(l *Bidirectional) { l.MergeMode = mode }
}

// WithBackwardLayer sets the layer that reads the sequence backwards
// (Keras backward_layer); its go_backwards must differ from the forward
// layer's and its return_sequences agree with it.
func WithBackwardLayer(backward Layer) BidirectionalOption {
	return func(l *Bidirectional) { l.BackwardLayer, l.userBackward = backward, true }
}

// rnnLayer is implemented by SimpleRNN, LSTM and GRU.
type rnnLayer interface {
	Layer
	rnn() *recurrent
}

func (r *recurrent) rnn() *recurrent { return r }

// NewBidirectional wraps layer, an unbuilt SimpleRNN, LSTM or GRU, which
// becomes the forward layer.
func NewBidirectional(layer Layer, opts ...BidirectionalOption) *Bidirectional {
	l := &Bidirectional{ForwardLayer: layer, MergeMode: "concat"}
	for _, o := range opts {
		o(l)
	}
	if !slices.Contains([]string{"concat", "sum", "mul", "ave"}, l.MergeMode) {
		l.fail("merge_mode must be one of \"concat\", \"sum\", \"mul\", \"ave\", got %q "+
			"(None, two outputs, does not fit a Sequential model)", l.MergeMode)
	}
	fwd, ok := layer.(rnnLayer)
	if !ok {
		l.fail("layer must be a SimpleRNN, LSTM or GRU, got %s", className(layer))
		return l
	}
	if err := fwd.rnn().configErr(); err != nil {
		l.fail("layer: %v", err)
		return l
	}
	l.baseName = defaultName(layer)
	l.fwdName = "forward_" + strings.TrimPrefix(l.baseName, "forward_")
	if l.BackwardLayer == nil {
		// Keras: the forward layer's config with go_backwards flipped.
		args := withArg(layer.Config(), "go_backwards", !fwd.rnn().GoBackwards)
		b, err := FromSpec(spec.Layer{Type: TypeName(layer), Args: args})
		if err != nil {
			l.fail("backward layer: %v", err)
			return l
		}
		l.BackwardLayer = b
		l.bwdName = "backward_" + strings.TrimPrefix(l.baseName, "backward_")
	} else {
		l.bwdName = defaultName(l.BackwardLayer)
	}
	bwd, ok := l.BackwardLayer.(rnnLayer)
	switch {
	case !ok:
		l.fail("backward_layer must be a SimpleRNN, LSTM or GRU, got %s", className(l.BackwardLayer))
	case fwd.rnn().GoBackwards == bwd.rnn().GoBackwards:
		l.fail("the forward and backward layers must have different go_backwards, both have %v", bwd.rnn().GoBackwards)
	case fwd.rnn().ReturnSequences != bwd.rnn().ReturnSequences:
		l.fail("the forward and backward layers must agree on return_sequences")
	case l.fwdName == l.bwdName:
		l.fail("the forward and backward layers are both named %q", l.fwdName)
	}
	return l
}

func className(l Layer) string {
	if l == nil {
		return "nothing"
	}
	return l.ClassName()
}

func (*Bidirectional) ClassName() string { return "Bidirectional" }

func (l *Bidirectional) Config() spec.Args {
	args := spec.Args{{Name: "merge_mode", Value: l.MergeMode}, {Name: "layer", Value: nestedConfig(l.ForwardLayer, l.baseName)}}
	if l.userBackward {
		args = append(args, spec.Arg{Name: "backward_layer", Value: nestedConfig(l.BackwardLayer, l.bwdName)})
	}
	return args
}

func (l *Bidirectional) Build(in []int, rng *rand.Rand) error {
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	if err := buildNested(l.name, l.ForwardLayer, l.fwdName, in, rng); err != nil {
		return err
	}
	if err := buildNested(l.name, l.BackwardLayer, l.bwdName, in, rng); err != nil {
		return err
	}
	l.outShape = slices.Clone(l.ForwardLayer.OutputShape())
	if l.MergeMode == "concat" {
		l.outShape[len(l.outShape)-1] *= 2
	}
	return nil
}

func (l *Bidirectional) Weights() []*Weight {
	return append(slices.Clone(l.ForwardLayer.Weights()), l.BackwardLayer.Weights()...)
}

func (l *Bidirectional) fwd() *recurrent { return l.ForwardLayer.(rnnLayer).rnn() }
func (l *Bidirectional) bwd() *recurrent { return l.BackwardLayer.(rnnLayer).rnn() }

func (l *Bidirectional) Call(ctx *Context, x *autograd.Value) *autograd.Value {
	yf, yb := l.ForwardLayer.Call(ctx, x), l.BackwardLayer.Call(ctx, x)
	if l.fwd().ReturnSequences {
		yb = autograd.Flip(yb, 1)
		if ctx != nil && ctx.Mask != nil {
			// Zero masked steps, each layer's in its own reading order,
			// which after the flip is input order for a backwards layer.
			mf, mb := l.outputMasks(ctx.Mask, x.Data.DType())
			yf = autograd.Mul(yf, autograd.Const(mf))
			yb = autograd.Mul(yb, autograd.Const(mb))
		}
	}
	switch l.MergeMode {
	case "sum":
		return autograd.Add(yf, yb)
	case "mul":
		return autograd.Mul(yf, yb)
	case "ave":
		return autograd.Scale(autograd.Add(yf, yb), 0.5)
	}
	return autograd.Concat([]*autograd.Value{yf, yb}, -1)
}

// outputMasks returns the masks, (batch, steps, 1) in dtype dt, that zero
// the masked steps of the forward output and of the flipped backward
// output: the input mask, reversed for a layer whose output after the
// merge is in reverse order (a go_backwards forward layer, or a backward
// layer that reads forwards).
func (l *Bidirectional) outputMasks(mask *tensor.Tensor, dt tensor.DType) (mf, mb *tensor.Tensor) {
	n, steps := mask.Dim(0), mask.Dim(1)
	mf, mb = tensor.New(dt, n, steps, 1), tensor.New(dt, n, steps, 1)
	timeMask(mf, mask, l.fwd().GoBackwards)
	timeMask(mb, mask, !l.bwd().GoBackwards)
	return mf, mb
}

// timeMask copies mask (batch, steps) into dst's elements as 0 or 1,
// reversing the steps when reversed is set.
func timeMask(dst, mask *tensor.Tensor, reversed bool) {
	n, steps := mask.Dim(0), mask.Dim(1)
	for b := 0; b < n; b++ {
		for t := 0; t < steps; t++ {
			src := t
			if reversed {
				src = steps - 1 - t
			}
			v := 0.0
			if mask.AtFlat(b*steps+src) != 0 {
				v = 1
			}
			dst.SetFlat(b*steps+t, v)
		}
	}
}

// ComputeMask passes the mask on with the sequence of outputs, as Keras.
func (l *Bidirectional) ComputeMask(_ *Context, _, mask *tensor.Tensor) *tensor.Tensor {
	if l.fwd().ReturnSequences {
		return mask
	}
	return nil
}

// nullArgs lists, per layer type, the arguments whose null (Keras's None)
// has a meaning deepgo cannot honour, with the reason: FromSpec rejects
// them (see rejectNull) instead of reading the default, as the typed
// getters of spec.Reader would.
var nullArgs = map[string]map[string]string{
	"bidirectional": {"merge_mode": "None returns the two directions as two outputs, " +
		"and a Sequential model takes one output per layer; use concat, sum, mul or ave"},
}

// rejectNull returns an error for an argument of l listed in nullArgs
// that is given as null.
func rejectNull(l spec.Layer) error {
	for name, why := range nullArgs[l.Type] {
		if v, ok := l.Args.Get(name); ok && v == nil {
			return l.Errorf("%s: null: %s", name, why)
		}
	}
	return nil
}

func init() {
	register(entry{"bidirectional", []string{"layer", "merge_mode", "backward_layer"}, func(r *spec.Reader) Layer {
		mode := r.String("merge_mode", "concat")
		layer, err := readNested(r, "layer")
		backward, berr := readNested(r, "backward_layer")
		if err = errors.Join(err, berr); err != nil || (layer == nil && r.Err() == nil) {
			l := &Bidirectional{}
			if err == nil {
				err = errors.New("layer: missing; give the recurrent layer to wrap, such as layer: {lstm: {units: 64}}")
			}
			l.fail("%v", err)
			return l
		}
		opts := []BidirectionalOption{WithMergeMode(mode)}
		if backward != nil {
			opts = append(opts, WithBackwardLayer(backward))
		}
		return NewBidirectional(layer, opts...)
	}})
}
