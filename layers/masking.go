package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Masking marks padding timesteps in sequences of feature vectors, as
// Keras's Masking: a step whose features all equal mask_value is masked.
// The output is the input with masked steps set to zero (Keras multiplies
// by the boolean mask), and ComputeMask hands the (batch, timesteps) mask
// to the layers after it. Inputs are (timesteps, features) per sample.
type Masking struct {
	base
	MaskValue float64
	fast      maskingState
}

// NewMasking returns a Masking layer for the given mask_value (Keras
// default 0).
func NewMasking(maskValue float64) *Masking { return &Masking{MaskValue: maskValue} }

func (*Masking) ClassName() string   { return "Masking" }
func (l *Masking) Config() spec.Args { return spec.Args{{Name: "mask_value", Value: l.MaskValue}} }

func (l *Masking) Build(in []int, _ *rand.Rand) error {
	if len(in) != 2 {
		return shapeErr(l, "needs inputs of shape (timesteps, features) per sample, got %s", tensor.ShapeString(in))
	}
	l.outShape = append([]int(nil), in...)
	return nil
}

func (l *Masking) Call(_ *Context, x *autograd.Value) *autograd.Value {
	shape := x.Shape()
	keep := tensor.New(x.Data.DType(), shape[0], shape[1], 1)
	l.keep(keep, x.Data)
	return autograd.Mul(x, autograd.Const(keep))
}

// ComputeMask returns 1 for the steps with a feature other than mask_value.
func (l *Masking) ComputeMask(_ *Context, x, _ *tensor.Tensor) *tensor.Tensor {
	shape := x.Shape()
	var m *tensor.Tensor
	if x.DType() == tensor.Float32 {
		m = l.fast.mask.Get(shape[0], shape[1:2])
	} else {
		m = tensor.New(x.DType(), shape[0], shape[1])
	}
	l.keep(m, x)
	return m
}

// keep writes, for each (sample, step) of x, 1 when some feature differs
// from mask_value and 0 otherwise, into m's elements in order.
func (l *Masking) keep(m, x *tensor.Tensor) {
	f := x.Dim(-1)
	for r := 0; r < m.Len(); r++ {
		v := 0.0
		for j := r * f; j < (r+1)*f; j++ {
			if x.AtFlat(j) != l.MaskValue {
				v = 1
				break
			}
		}
		m.SetFlat(r, v)
	}
}

// maskingState holds the Kernel's buffers.
type maskingState struct {
	keep, y, mask tensor.Buffer
	last          *tensor.Tensor // keep of the last Forward, (batch, timesteps)
}

// Fast is always true: Masking has no weights.
func (l *Masking) Fast() bool { return true }

// Forward zeroes the masked steps of x into the layer's buffer.
func (l *Masking) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	shape := x.Shape()
	keep := l.fast.keep.Get(shape[0], shape[1:2])
	l.keep(keep, x)
	y := l.fast.y.Like(x)
	scaleSteps(y.Float32s(), x.Float32s(), keep.Float32s(), shape[2])
	l.fast.last = keep
	return y
}

// Backward zeroes dy at the masked steps, in place.
func (l *Masking) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	d := dy.Float32s()
	scaleSteps(d, d, l.fast.last.Float32s(), dy.Dim(-1))
	return dy
}

// scaleSteps sets dst = src with each row of f features multiplied by the
// row's entry of m (dst may be src).
func scaleSteps(dst, src, m []float32, f int) {
	for r, k := range m {
		d, s := dst[r*f:(r+1)*f], src[r*f:(r+1)*f]
		for j, v := range s {
			d[j] = v * k
		}
	}
}

func init() {
	register(entry{"masking", []string{"mask_value"}, func(r *spec.Reader) Layer {
		return NewMasking(r.Float("mask_value", 0))
	}})
}
