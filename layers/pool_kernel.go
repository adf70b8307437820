package layers

import (
	"runtime"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// poolState is the Kernel of the pooling layers (Pooling and
// GlobalPooling): the loops of internal/kernels on buffers it owns, the
// batch split over GOMAXPROCS goroutines when there is enough work. Max
// pooling in training keeps the position of each window's maximum in arg,
// an int32 tensor.Buffer that grows with the largest batch and is then reused;
// inference skips it (about half the work), and a Backward after an
// inference Forward finds the positions then, from the input the Kernel
// contract keeps intact.
type poolState struct {
	max     bool
	g       kernels.Pool2D // N is the batch of the last Forward
	in, out []int          // sample shapes
	y, dx   tensor.Buffer
	arg     []int32
	withArg bool           // arg holds the positions for the last Forward
	last    *tensor.Tensor // the input of the last Forward

	// The operands of the run in progress, read by part.
	back          bool
	parts         int
	x, y0, dy, d0 []float32
	body          func(part int) // s.part, made once so runs allocate nothing
}

// poolParallelWork is the number of window cells a batch must visit before
// it is split over goroutines: below it (a few tens of microseconds of
// work) waking helpers costs more than it saves.
const poolParallelWork = 1 << 16

// setup sets the geometry for samples of shape in (spatial..., channels).
func (s *poolState) setup(isMax bool, in, pool, strides []int, same bool) {
	rank := len(in) - 1
	s.max = isMax
	s.g = kernels.NewPool2D(0, in[:rank], in[rank], pool, strides, same)
	s.in = append(s.in[:0], in...)
}

// forward pools x; training asks max pooling to record arg.
func (s *poolState) forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	n := x.Dim(0)
	s.g.N, s.last = n, x
	y := s.y.Get(n, s.out)
	s.withArg = s.max && training
	if s.withArg && len(s.arg) < n*s.g.OutLen() {
		s.arg = make([]int32, n*s.g.OutLen())
	}
	s.x, s.y0 = x.Float32s(), y.Float32s()
	s.run(false)
	return y
}

func (s *poolState) backward(dy *tensor.Tensor) *tensor.Tensor {
	if s.max && !s.withArg {
		s.forward(s.last, true)
	}
	dx := s.dx.Get(s.g.N, s.in)
	s.dy, s.d0 = dy.Float32s(), dx.Float32s()
	s.run(true)
	return dx
}

func (s *poolState) run(back bool) {
	g := &s.g
	s.back, s.parts = back, 1
	if g.N*g.OutLen()*g.KH*g.KW >= poolParallelWork {
		s.parts = min(g.N, runtime.GOMAXPROCS(0))
	}
	if s.body == nil {
		s.body = s.part
	}
	kernels.ParallelFor(s.parts, s.parts, s.body)
	s.x, s.y0, s.dy, s.d0 = nil, nil, nil, nil
}

// part pools the samples of one part of the batch.
func (s *poolState) part(p int) {
	g := s.g
	n0, n1 := p*g.N/s.parts, (p+1)*g.N/s.parts
	g.N = n1 - n0
	in0, in1, out0, out1 := n0*g.InLen(), n1*g.InLen(), n0*g.OutLen(), n1*g.OutLen()
	switch {
	case s.max && !s.back && !s.withArg:
		kernels.MaxPool2D(g, s.y0[out0:out1], nil, s.x[in0:in1])
	case s.max && !s.back:
		kernels.MaxPool2D(g, s.y0[out0:out1], s.arg[out0:out1], s.x[in0:in1])
	case s.max:
		kernels.MaxPool2DBackward(g, s.d0[in0:in1], s.arg[out0:out1], s.dy[out0:out1])
	case !s.back:
		kernels.AvgPool2D(g, s.y0[out0:out1], s.x[in0:in1])
	default:
		kernels.AvgPool2DBackward(g, s.d0[in0:in1], s.dy[out0:out1])
	}
}

// Fast is always true: pooling has no weights.
func (l *Pooling) Fast() bool { return true }

// Forward pools x into the layer's tensor.Buffer, as Call.
func (l *Pooling) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	return l.fast.forward(x, ctx.Training)
}

// Backward returns dL/dx for the last Forward.
func (l *Pooling) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	return l.fast.backward(dy)
}

// Fast is always true: global pooling has no weights.
func (l *GlobalPooling) Fast() bool { return true }

// Forward pools each channel of x over all cells into the layer's tensor.Buffer.
func (l *GlobalPooling) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	if y := l.forwardMasked(ctx, x); y != nil { // a masked mean (pool_global.go)
		return y
	}
	return l.fast.forward(x, ctx.Training)
}

// Backward returns dL/dx for the last Forward.
func (l *GlobalPooling) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	if dx := l.backwardMasked(dy); dx != nil {
		return dx
	}
	return l.fast.backward(dy)
}
