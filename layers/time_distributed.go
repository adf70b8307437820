package layers

import (
	"math/rand/v2"
	"slices"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// TimeDistributed applies a layer to every timestep of a sequence, as
// Keras's TimeDistributed: inputs (batch, timesteps, ...) are viewed as
// (batch·timesteps, ...), passed through the wrapped layer (so every
// timestep shares its weights) and viewed back as (batch, timesteps, ...).
// A timestep mask passes through unchanged; the wrapped layer sees none.
//
// The wrapped layer keeps its name inside this one ("dense" when it has
// none), and its weights are "<time_distributed>.dense.kernel" and so on,
// Keras 3's weight paths with dots.
type TimeDistributed struct {
	base
	// Layer is the wrapped layer.
	Layer Layer

	innerName string
	fast      tdState
}

// NewTimeDistributed wraps layer, which must not have been built.
func NewTimeDistributed(layer Layer) *TimeDistributed {
	l := &TimeDistributed{Layer: layer}
	if layer == nil {
		l.fail("layer: missing; give the layer to apply at each timestep, such as layer: {dense: {units: 8}}")
		return l
	}
	l.innerName = defaultName(layer)
	return l
}

func (*TimeDistributed) ClassName() string { return "TimeDistributed" }

func (l *TimeDistributed) Config() spec.Args {
	return spec.Args{{Name: "layer", Value: nestedConfig(l.Layer, l.innerName)}}
}

// SupportsMasking is true: the mask of the timesteps passes through.
func (*TimeDistributed) SupportsMasking() bool { return true }

func (l *TimeDistributed) Build(in []int, rng *rand.Rand) error {
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	if len(in) < 2 {
		return shapeErr(l, "needs inputs of shape (timesteps, ...) with at least one axis after the timesteps, got %s", tensor.ShapeString(in))
	}
	if err := buildNested(l.name, l.Layer, l.innerName, slices.Clone(in[1:]), rng); err != nil {
		return err
	}
	l.outShape = append([]int{in[0]}, l.Layer.OutputShape()...)
	return nil
}

func (l *TimeDistributed) Weights() []*Weight { return l.Layer.Weights() }

func (l *TimeDistributed) Call(ctx *Context, x *autograd.Value) *autograd.Value {
	shape := x.Shape()
	inner := &Context{}
	if ctx != nil {
		inner.Training, inner.RNG = ctx.Training, ctx.RNG
	}
	y := l.Layer.Call(inner, autograd.Reshape(x, append([]int{shape[0] * shape[1]}, shape[2:]...)...))
	return autograd.Reshape(y, append([]int{shape[0]}, l.outShape...)...)
}

// tdState holds TimeDistributed's re-pointed views.
type tdState struct {
	ctx           Context
	x, y, dy, dx  tensor.Tensor
	shape, xshape []int
}

// Fast reports whether the wrapped layer runs as a Kernel.
func (l *TimeDistributed) Fast() bool {
	k, ok := l.Layer.(Kernel)
	return ok && k.Fast()
}

// Forward runs the wrapped layer's kernel on x viewed as (batch·timesteps,
// ...), without copying.
func (l *TimeDistributed) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	s := &l.fast
	s.ctx.Training, s.ctx.RNG, s.ctx.Mask = ctx.Training, ctx.RNG, nil
	s.xshape = append(s.xshape[:0], x.Shape()...)
	s.shape = append(append(s.shape[:0], s.xshape[0]*s.xshape[1]), s.xshape[2:]...)
	s.x.Alias(x, s.shape...)
	y := l.Layer.(Kernel).Forward(&s.ctx, &s.x)
	s.shape = append(append(s.shape[:0], s.xshape[0]), l.outShape...)
	s.y.Alias(y, s.shape...)
	return &s.y
}

// Backward runs the wrapped layer's Backward on dy viewed as
// (batch·timesteps, ...).
func (l *TimeDistributed) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	s := &l.fast
	s.shape = append(append(s.shape[:0], s.xshape[0]*s.xshape[1]), l.outShape[1:]...)
	s.dy.Alias(dy, s.shape...)
	dx := l.Layer.(Kernel).Backward(&s.dy, needDX)
	if !needDX {
		return nil
	}
	s.dx.Alias(dx, s.xshape...)
	return &s.dx
}

func init() {
	register(entry{"time_distributed", []string{"layer"}, func(r *spec.Reader) Layer {
		inner, err := readNested(r, "layer")
		if err != nil {
			l := &TimeDistributed{}
			l.fail("%v", err)
			return l
		}
		return NewTimeDistributed(inner)
	}})
}
