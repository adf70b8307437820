package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// GlobalPooling is Keras's GlobalMaxPooling1D/2D and
// GlobalAveragePooling1D/2D: the maximum or the mean of each channel over
// all steps or all pixels, giving (channels), or (1, channels) and (1, 1,
// channels) with KeepDims. It is a pooling whose window is the whole input,
// so on equal maxima the gradient goes to the first one (PyTorch's
// max_pool2d and adaptive_max_pool2d; Keras's ops.max would share it
// among them).
//
// Masks, as Keras 3: GlobalAveragePooling1D averages over the real steps
// only (Σ m_t x_t / Σ m_t); a sample with every step masked gives zeros
// where Keras divides 0 by 0. GlobalMaxPooling1D and the 2-D layers do not
// support masking in Keras 3 and ignore a mask: the maximum runs over every
// step, padding included. None passes a mask on (ComputeMask is nil).
type GlobalPooling struct {
	base
	// Mode is "max" or "average".
	Mode string
	// Rank is the number of spatial axes, 1 or 2.
	Rank     int
	KeepDims bool

	fast   poolState
	masked maskedMeanState
}

// GlobalPoolOption sets an optional argument of a global pooling layer.
type GlobalPoolOption func(*GlobalPooling)

// KeepDims keeps the spatial axes as 1s (Keras keepdims=True).
func KeepDims() GlobalPoolOption { return func(l *GlobalPooling) { l.KeepDims = true } }

// NewGlobalMaxPooling1D returns a GlobalMaxPooling1D layer.
func NewGlobalMaxPooling1D(opts ...GlobalPoolOption) *GlobalPooling {
	return newGlobalPooling("max", 1, opts)
}

// NewGlobalMaxPooling2D returns a GlobalMaxPooling2D layer.
func NewGlobalMaxPooling2D(opts ...GlobalPoolOption) *GlobalPooling {
	return newGlobalPooling("max", 2, opts)
}

// NewGlobalAveragePooling1D returns a GlobalAveragePooling1D layer.
func NewGlobalAveragePooling1D(opts ...GlobalPoolOption) *GlobalPooling {
	return newGlobalPooling("average", 1, opts)
}

// NewGlobalAveragePooling2D returns a GlobalAveragePooling2D layer.
func NewGlobalAveragePooling2D(opts ...GlobalPoolOption) *GlobalPooling {
	return newGlobalPooling("average", 2, opts)
}

func newGlobalPooling(mode string, rank int, opts []GlobalPoolOption) *GlobalPooling {
	l := &GlobalPooling{Mode: mode, Rank: rank}
	for _, o := range opts {
		o(l)
	}
	return l
}

func (l *GlobalPooling) ClassName() string {
	switch {
	case l.Mode == "max" && l.Rank == 1:
		return "GlobalMaxPooling1D"
	case l.Mode == "max":
		return "GlobalMaxPooling2D"
	case l.Rank == 1:
		return "GlobalAveragePooling1D"
	}
	return "GlobalAveragePooling2D"
}

func (l *GlobalPooling) Config() spec.Args {
	return spec.Args{{Name: "data_format", Value: "channels_last"}, {Name: "keepdims", Value: l.KeepDims}}
}

func (l *GlobalPooling) Build(in []int, _ *rand.Rand) error {
	if err := checkSpatialRank(l, in, l.Rank); err != nil {
		return err
	}
	window := in[:l.Rank]
	l.fast.setup(l.Mode == "max", in, window, window, false)
	c := in[l.Rank]
	l.outShape = []int{c}
	if l.KeepDims {
		l.outShape = append(make([]int, l.Rank), c)
		for i := range l.Rank {
			l.outShape[i] = 1
		}
	}
	l.fast.out = l.outShape
	return nil
}

func (l *GlobalPooling) Call(ctx *Context, x *autograd.Value) *autograd.Value {
	if l.maskedMean(ctx) {
		w := maskWeights(nil, ctx.Mask, x.Data.DType())
		shape := x.Shape()
		y := autograd.Sum(autograd.Mul(x, autograd.Const(w.Reshape(shape[0], shape[1], 1))), false, 1)
		return autograd.Reshape(y, append([]int{shape[0]}, l.outShape...)...)
	}
	window := x.Shape()[1 : 1+l.Rank]
	var y *autograd.Value
	if l.Mode == "max" {
		y = autograd.MaxPool(x, window, window, "valid")
	} else {
		y = autograd.AvgPool(x, window, window, "valid")
	}
	return autograd.Reshape(y, append([]int{x.Shape()[0]}, l.outShape...)...)
}

// ComputeMask is nil: the timestep axis is pooled away.
func (l *GlobalPooling) ComputeMask(*Context, *tensor.Tensor, *tensor.Tensor) *tensor.Tensor {
	return nil
}

// maskedMean reports whether this pass averages over the real steps only:
// a GlobalAveragePooling1D given a mask.
func (l *GlobalPooling) maskedMean(ctx *Context) bool {
	return ctx != nil && ctx.Mask != nil && l.Mode == "average" && l.Rank == 1
}

// maskWeights returns the (batch, steps) weights m_t / max(Σ m, 1) of a
// masked mean, in dtype dt, written into dst when it is given.
func maskWeights(dst, mask *tensor.Tensor, dt tensor.DType) *tensor.Tensor {
	if dst == nil {
		dst = tensor.New(dt, mask.Shape()...)
	}
	steps := mask.Dim(1)
	for b := 0; b < mask.Dim(0); b++ {
		n := 0.0
		for t := 0; t < steps; t++ {
			if mask.AtFlat(b*steps+t) != 0 {
				n++
			}
		}
		for t := 0; t < steps; t++ {
			v := 0.0
			if mask.AtFlat(b*steps+t) != 0 {
				v = 1 / n
			}
			dst.SetFlat(b*steps+t, v)
		}
	}
	return dst
}

// maskedMeanState is the Kernel of a masked GlobalAveragePooling1D.
type maskedMeanState struct {
	on        bool // the last Forward was masked
	w, y, dx  tensor.Buffer
	last      *tensor.Tensor // the weights of the last Forward
	steps, ch int
}

// forwardMasked runs the masked mean when ctx has a mask for it and
// returns nil otherwise (the pooling kernel runs then).
func (l *GlobalPooling) forwardMasked(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	s := &l.masked
	s.on = l.maskedMean(ctx)
	if !s.on {
		return nil
	}
	n, steps, ch := x.Dim(0), x.Dim(1), x.Dim(2)
	if !tensor.SameShape(ctx.Mask.Shape(), []int{n, steps}) {
		panic(&tensor.ShapeError{Op: l.name, Shapes: [][]int{ctx.Mask.Shape(), x.Shape()}, Msg: "mask must be (batch, timesteps)"})
	}
	s.steps, s.ch = steps, ch
	s.last = maskWeights(s.w.Get(n, []int{steps}), ctx.Mask, tensor.Float32)
	y := s.y.Get(n, l.outShape)
	yd, xd, w := y.Float32s(), x.Float32s(), s.last.Float32s()
	clear(yd)
	for b := 0; b < n; b++ {
		for t := 0; t < steps; t++ {
			if wt := w[b*steps+t]; wt != 0 {
				kernels.Axpy(wt, xd[(b*steps+t)*ch:(b*steps+t+1)*ch], yd[b*ch:(b+1)*ch])
			}
		}
	}
	return y
}

// backwardMasked returns dL/dx of the last masked Forward, or nil when it
// was not masked: dx_t = w_t · dy.
func (l *GlobalPooling) backwardMasked(dy *tensor.Tensor) *tensor.Tensor {
	s := &l.masked
	if !s.on {
		return nil
	}
	n := dy.Dim(0)
	dx := s.dx.Get(n, []int{s.steps, s.ch})
	dd, g, w := dx.Float32s(), dy.Float32s(), s.last.Float32s()
	for b := 0; b < n; b++ {
		for t := 0; t < s.steps; t++ {
			wt, row := w[b*s.steps+t], dd[(b*s.steps+t)*s.ch:(b*s.steps+t+1)*s.ch]
			for c, v := range g[b*s.ch : (b+1)*s.ch] {
				row[c] = wt * v
			}
		}
	}
	return dx
}

func globalPoolFromSpec(r *spec.Reader, mode string, rank int) Layer {
	l := newGlobalPooling(mode, rank, nil)
	l.KeepDims = r.Bool("keepdims", false)
	readChannelsLast(r, &l.base)
	return l
}

// The global pooling layers register under their Keras names and Keras's
// aliases (GlobalMaxPool2D, GlobalAvgPool2D, …), through spec.SnakeCase.
func init() {
	type kind struct {
		class, alias string
		mode         string
		rank         int
	}
	globalArgs := []string{"data_format", "keepdims"}
	for _, k := range []kind{
		{"GlobalMaxPooling1D", "GlobalMaxPool1D", "max", 1}, {"GlobalMaxPooling2D", "GlobalMaxPool2D", "max", 2},
		{"GlobalAveragePooling1D", "GlobalAvgPool1D", "average", 1}, {"GlobalAveragePooling2D", "GlobalAvgPool2D", "average", 2},
	} {
		build := func(r *spec.Reader) Layer { return globalPoolFromSpec(r, k.mode, k.rank) }
		register(entry{spec.SnakeCase(k.class), globalArgs, build}, entry{spec.SnakeCase(k.alias), globalArgs, build})
	}
}
