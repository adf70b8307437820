package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// ZeroPadding2D adds rows of zeros above and below and columns of zeros
// left and right of (height, width, channels) images, as Keras's
// ZeroPadding2D. Padding is ((top, bottom), (left, right)).
type ZeroPadding2D struct {
	base
	Padding [2][2]int
	fast    padState
}

// NewZeroPadding2D returns a ZeroPadding2D layer. As Keras's padding
// argument, it takes no value (1 on every side), one value p (p on every
// side), two values (symmetric height, symmetric width), or four (top,
// bottom, left, right), the flattened ((top, bottom), (left, right)).
func NewZeroPadding2D(padding ...int) *ZeroPadding2D {
	l := &ZeroPadding2D{}
	switch len(padding) {
	case 0:
		l.Padding = [2][2]int{{1, 1}, {1, 1}}
	case 1:
		p := padding[0]
		l.Padding = [2][2]int{{p, p}, {p, p}}
	case 2:
		h, w := padding[0], padding[1]
		l.Padding = [2][2]int{{h, h}, {w, w}}
	case 4:
		l.Padding = [2][2]int{{padding[0], padding[1]}, {padding[2], padding[3]}}
	default:
		l.fail("padding must be 1, 2 or 4 integers, got %v", padding)
	}
	for _, p := range padding {
		if p < 0 {
			l.fail("padding must not be negative, got %v", padding)
		}
	}
	return l
}

func (*ZeroPadding2D) ClassName() string { return "ZeroPadding2D" }

// Config writes padding as Keras's get_config does: ((top, bottom), (left,
// right)).
func (l *ZeroPadding2D) Config() spec.Args {
	p := l.Padding
	return spec.Args{
		{Name: "padding", Value: []any{[]any{p[0][0], p[0][1]}, []any{p[1][0], p[1][1]}}},
		{Name: "data_format", Value: "channels_last"},
	}
}

func (l *ZeroPadding2D) Build(in []int, _ *rand.Rand) error {
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	if err := checkSpatialRank(l, in, 2); err != nil {
		return err
	}
	p := l.Padding
	l.outShape = []int{in[0] + p[0][0] + p[0][1], in[1] + p[1][0] + p[1][1], in[2]}
	s := &l.fast
	s.in = append(s.in[:0], in...)
	s.before = []int{0, p[0][0], p[1][0], 0}
	s.after = []int{0, p[0][1], p[1][1], 0}
	return nil
}

func (l *ZeroPadding2D) Call(_ *Context, x *autograd.Value) *autograd.Value {
	p := l.Padding
	return autograd.Pad(x, [][2]int{{0, 0}, p[0], p[1], {0, 0}})
}

// padState holds ZeroPadding2D's buffers.
type padState struct {
	y, dx         tensor.Buffer
	in            []int // the sample shape
	shape         []int // the batch shape of the last Forward, reused
	before, after []int // padding of each batch axis
}

// Fast is always true for ZeroPadding2D.
func (l *ZeroPadding2D) Fast() bool { return true }

// Forward copies x into the middle of a zeroed tensor.Buffer.
func (l *ZeroPadding2D) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	s := &l.fast
	s.shape = append(append(s.shape[:0], x.Dim(0)), s.in...)
	y := s.y.Get(x.Dim(0), l.outShape)
	yd := y.Float32s()
	clear(yd)
	kernels.PadCopy(yd, x.Float32s(), s.shape, s.before, s.after)
	return y
}

// Backward returns the block of dy where x sat.
func (l *ZeroPadding2D) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	s := &l.fast
	dx := s.dx.Get(s.shape[0], s.in)
	kernels.CropCopy(dx.Float32s(), dy.Float32s(), s.shape, s.before, s.after)
	return dx
}

func init() {
	register(entry{spec.SnakeCase("ZeroPadding2D"), []string{"padding", "data_format"}, func(r *spec.Reader) Layer {
		p := r.IntPairs("padding", 2, [][2]int{{1, 1}, {1, 1}})
		if r.Err() != nil {
			return NewZeroPadding2D()
		}
		l := NewZeroPadding2D(p[0][0], p[0][1], p[1][0], p[1][1])
		readChannelsLast(r, &l.base)
		return l
	}})
}
