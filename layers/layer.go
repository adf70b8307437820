package layers

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Context carries what a forward pass needs besides its input.
type Context struct {
	// Training selects training behaviour (Dropout active).
	Training bool
	// RNG draws dropout masks; it is the model's seeded generator.
	RNG *rand.Rand
	// Mask is the timestep mask of the layer's input, (batch, timesteps)
	// with 1 for real steps and 0 for padding, or nil; see NextMask.
	Mask *tensor.Tensor
}

// Weight is one tensor a layer owns, with its name inside the layer
// ("kernel", "bias").
type Weight struct {
	Name      string
	Value     *autograd.Value
	Trainable bool
}

// Layer is the contract every layer implements.
type Layer interface {
	// Name is the instance name ("dense_1"), unique within a model.
	Name() string
	SetName(name string)
	// ClassName is the Keras class name ("Dense").
	ClassName() string
	// Build validates the input shape (one sample, without the batch
	// axis) and creates the weights, drawing initial values from rng.
	Build(inputShape []int, rng *rand.Rand) error
	// OutputShape is one sample's output shape; valid after Build.
	OutputShape() []int
	// Call applies the layer to a batch.
	Call(ctx *Context, x *autograd.Value) *autograd.Value
	// Weights lists the layer's weights in a fixed order.
	Weights() []*Weight
	// Config returns the Keras arguments that rebuild this layer.
	Config() spec.Args
}

// base holds what every layer shares: its name, the error its constructor
// found (reported by Build), and its output shape.
type base struct {
	name     string
	err      error
	outShape []int
}

func (b *base) Name() string       { return b.name }
func (b *base) SetName(n string)   { b.name = n }
func (b *base) OutputShape() []int { return b.outShape }
func (b *base) Weights() []*Weight { return nil }
func (b *base) configErr() error   { return b.err }
func (b *base) fail(format string, a ...any) {
	if b.err == nil {
		b.err = fmt.Errorf(format, a...)
	}
}

// value returns w's Value, or nil for an absent weight (a layer without a
// bias): what the autograd ops take for "none".
func (w *Weight) value() *autograd.Value {
	if w == nil {
		return nil
	}
	return w.Value
}

// present lists those of ws that exist, in order: a layer's Weights when
// some of them (a bias, gamma or beta) are optional.
func present(ws ...*Weight) []*Weight {
	var out []*Weight
	for _, w := range ws {
		if w != nil {
			out = append(out, w)
		}
	}
	return out
}

// newWeight makes a trainable parameter named "<layer>.<name>".
func newWeight(layer, name string, t *tensor.Tensor, trainable bool) *Weight {
	v := autograd.Param(t, layer+"."+name)
	v.RequiresGrad = trainable
	return &Weight{Name: name, Value: v, Trainable: trainable}
}

// CountParams returns the number of trainable and non-trainable scalars.
func CountParams(l Layer) (trainable, nonTrainable int) {
	for _, w := range l.Weights() {
		if w.Trainable {
			trainable += w.Value.Data.Len()
		} else {
			nonTrainable += w.Value.Data.Len()
		}
	}
	return
}

// InputError is bad input data found while a layer runs (a token id out
// of range, say): the user's mistake, not the library's. Layers panic with
// it from Call and Forward, and the model returns it unchanged as Fit's,
// Evaluate's or Predict's error.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// InputChecker is implemented by layers that can reject bad input values
// before a pass starts (Embedding: ids outside [0, input_dim)). The model
// calls it on a whole dataset, so the error names the sample in the
// dataset rather than in a shuffled batch.
type InputChecker interface {
	CheckInput(x *tensor.Tensor) error
}

// ShapeError is returned by Build when a layer cannot take its input.
func shapeErr(l Layer, format string, a ...any) error {
	return fmt.Errorf("layer %s (%s): %s", l.Name(), l.ClassName(), fmt.Sprintf(format, a...))
}
