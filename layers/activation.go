package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/activations"
	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
)

// Activation applies a named activation function ("relu", "sigmoid",
// "tanh", "softmax", …).
type Activation struct {
	base
	Fn   string
	f    activations.Func
	fast actState
}

// NewActivation returns an Activation layer.
func NewActivation(name string) *Activation {
	l := &Activation{Fn: name}
	f, err := activations.Get(name)
	if err != nil {
		l.fail("%v", err)
	}
	l.f = f
	return l
}

// Activation layers work elementwise (Softmax along the features), so a
// timestep mask passes through them, as Keras's supports_masking. Keras's
// Softmax also adds a large negative number where an attention-style mask
// of its input's shape is 0; deepgo's timestep masks only pass through.

func (*Activation) ClassName() string     { return "Activation" }
func (*Activation) SupportsMasking() bool { return true }
func (*ReLU) SupportsMasking() bool       { return true }
func (*LeakyReLU) SupportsMasking() bool  { return true }
func (*Softmax) SupportsMasking() bool    { return true }
func (l *Activation) Config() spec.Args   { return spec.Args{{Name: "activation", Value: l.Fn}} }
func (l *Activation) Build(in []int, _ *rand.Rand) error {
	l.outShape = append([]int(nil), in...)
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	return nil
}
func (l *Activation) Call(_ *Context, x *autograd.Value) *autograd.Value { return l.f(x) }

// ReLU is the rectified linear unit layer, max(x, 0) (Keras ReLU with its
// defaults).
type ReLU struct {
	base
	fast actState
}

// NewReLU returns a ReLU layer.
func NewReLU() *ReLU { return &ReLU{} }

func (*ReLU) ClassName() string { return "ReLU" }
func (*ReLU) Config() spec.Args { return nil }
func (l *ReLU) Build(in []int, _ *rand.Rand) error {
	l.outShape = append([]int(nil), in...)
	return nil
}
func (l *ReLU) Call(_ *Context, x *autograd.Value) *autograd.Value { return autograd.ReLU(x) }

// LeakyReLU is x for x > 0 and negative_slope·x otherwise (Keras default
// negative_slope 0.3).
type LeakyReLU struct {
	base
	NegativeSlope float64
	fast          leakyState
}

// NewLeakyReLU returns a LeakyReLU layer with the given negative slope.
func NewLeakyReLU(negativeSlope float64) *LeakyReLU {
	l := &LeakyReLU{NegativeSlope: negativeSlope}
	if negativeSlope < 0 {
		l.fail("negative_slope must be >= 0, got %v", negativeSlope)
	}
	return l
}

func (*LeakyReLU) ClassName() string { return "LeakyReLU" }
func (l *LeakyReLU) Config() spec.Args {
	return spec.Args{{Name: "negative_slope", Value: l.NegativeSlope}}
}
func (l *LeakyReLU) Build(in []int, _ *rand.Rand) error {
	l.outShape = append([]int(nil), in...)
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	return nil
}
func (l *LeakyReLU) Call(_ *Context, x *autograd.Value) *autograd.Value {
	return autograd.LeakyReLU(x, l.NegativeSlope)
}

// Softmax normalises the last axis to probabilities.
type Softmax struct {
	base
	fast actState
}

// NewSoftmax returns a Softmax layer over the last axis.
func NewSoftmax() *Softmax { return &Softmax{} }

func (*Softmax) ClassName() string { return "Softmax" }
func (*Softmax) Config() spec.Args { return nil }
func (l *Softmax) Build(in []int, _ *rand.Rand) error {
	l.outShape = append([]int(nil), in...)
	if len(in) == 0 {
		return shapeErr(l, "needs at least one axis per sample")
	}
	return nil
}
func (l *Softmax) Call(_ *Context, x *autograd.Value) *autograd.Value { return autograd.Softmax(x) }
