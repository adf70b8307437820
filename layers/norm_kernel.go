package layers

import (
	"math"
	"runtime"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// The Kernels of BatchNormalization and LayerNormalization: the loops of
// internal/kernels/norm.go (the ones autograd's ops run) over the rows of
// the batch seen as (rows, channels), cut into row blocks run
// concurrently. Channels-last only: with another axis, Fast is false and
// the model takes the autograd path.

// minPartWork is the fewest elements worth a row block of their own:
// waking a helper costs microseconds, about as long as a loop over 32k
// floats.
const minPartWork = 1 << 15

// rowSplit runs run(p, lo, hi) over row blocks [lo, hi) of a batch through
// kernels.ParallelFor, giving block p its own row of partial sums (width
// float64s, zeroed first). Once sized it allocates nothing: body is a
// method value made once.
type rowSplit struct {
	rows, parts, width int
	partial            []float64
	run                func(p, lo, hi int)
	body               func(int)
}

// do runs s.run over rows rows of rowLen elements.
func (s *rowSplit) do(rows, rowLen, width int) {
	s.rows, s.width = rows, width
	s.parts = max(1, min(runtime.GOMAXPROCS(0), rows*rowLen/minPartWork, rows))
	s.partial = vec(s.partial, s.parts*width)
	clear(s.partial)
	if s.body == nil {
		s.body = s.part
	}
	kernels.ParallelFor(s.parts, s.parts, s.body)
}

func (s *rowSplit) part(p int) { s.run(p, p*s.rows/s.parts, (p+1)*s.rows/s.parts) }

// block returns the partial sums of block p.
func (s *rowSplit) block(p int) []float64 { return s.partial[p*s.width : (p+1)*s.width] }

// sum adds the blocks' partial sums into dst, in block order.
func (s *rowSplit) sum(dst []float64) {
	clear(dst)
	for p := range s.parts {
		for j, v := range s.block(p) {
			dst[j] += v
		}
	}
}

// float32Weights reports whether every weight of l is float32.
func float32Weights(l Layer) bool {
	for _, w := range l.Weights() {
		if w.Value.Data.DType() != tensor.Float32 {
			return false
		}
	}
	return true
}

// batchNormState holds BatchNormalization's Kernel buffers: per channel,
// the mean and r = 1/√(variance + ε) of the last Forward, its scale γr and
// the coefficients of the input gradient.
type batchNormState struct {
	split          rowSplit
	phase          int
	y, dx          tensor.Buffer
	x              *tensor.Tensor
	xs, ys, dys    []float32
	dxs            []float32
	rows, c        int
	training       bool
	mean, variance []float64
	r, sums        []float64 // sums: Σdy, then Σdy·(x − μ)
	mu, k, beta    []float32
	gamma          []float32
	a, b, cc       []float32
}

const (
	bnSums = iota
	bnSquares
	bnNormalize
	bnGradSums
	bnInputGrad
)

// Fast reports whether BatchNormalization runs as a Kernel: channels-last
// and float32 weights.
func (l *BatchNormalization) Fast() bool {
	return l.axis == len(l.outShape)-1 && float32Weights(l)
}

// Forward is Call on buffers. In training it takes the batch statistics
// and updates the moving ones once.
func (l *BatchNormalization) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	s := &l.fast
	c := l.outShape[l.axis]
	s.init(l, c)
	s.x, s.xs, s.rows, s.training = x, x.Float32s(), x.Len()/c, ctx.Training
	y := s.y.Like(x)
	s.ys = y.Float32s()
	if s.training {
		s.phase = bnSums
		s.split.do(s.rows, c, c)
		s.split.sum(s.mean)
		for j := range s.mean {
			s.mean[j] /= float64(s.rows)
		}
		s.phase = bnSquares
		s.split.do(s.rows, c, c)
		s.split.sum(s.variance)
		for j := range s.variance {
			s.variance[j] /= float64(s.rows)
		}
		l.updateMoving(s.mean, s.variance)
	} else {
		mm, mv := l.movingMean.Value.Data.Float32s(), l.movingVariance.Value.Data.Float32s()
		for j := range s.mean {
			s.mean[j], s.variance[j] = float64(mm[j]), float64(mv[j])
		}
	}
	for j := range s.mean {
		s.r[j] = 1 / math.Sqrt(s.variance[j]+l.Epsilon)
		s.mu[j], s.k[j] = float32(s.mean[j]), float32(s.r[j]*float64(s.gamma[j]))
	}
	s.phase = bnNormalize
	s.split.do(s.rows, c, 0)
	return y
}

// init sizes the per-channel buffers and reads gamma and beta (ones and
// zeros when absent).
func (s *batchNormState) init(l *BatchNormalization, c int) {
	if s.split.run == nil {
		s.split.run = s.runPart
	}
	s.c = c
	s.mean, s.variance, s.r = vec(s.mean, c), vec(s.variance, c), vec(s.r, c)
	s.sums = vec(s.sums, 2*c)
	s.mu, s.k, s.a, s.b, s.cc = vec(s.mu, c), vec(s.k, c), vec(s.a, c), vec(s.b, c), vec(s.cc, c)
	s.gamma, s.beta = affineOrDefault(l.gamma, s.gamma, 1, c), affineOrDefault(l.beta, s.beta, 0, c)
}

// affineOrDefault returns w's values, or buf filled with def when w is nil.
func affineOrDefault(w *Weight, buf []float32, def float32, c int) []float32 {
	if w != nil {
		return w.Value.Data.Float32s()
	}
	buf = vec(buf, c)
	for j := range buf {
		buf[j] = def
	}
	return buf
}

// runPart runs the current phase on rows [lo, hi).
func (s *batchNormState) runPart(p, lo, hi int) {
	c, n := s.c, hi-lo
	xs := s.xs[lo*c : hi*c]
	switch s.phase {
	case bnSums:
		kernels.ColumnSums(s.split.block(p), xs, n, c)
	case bnSquares:
		kernels.ColumnSquaredDeviations(s.split.block(p), xs, s.mean, n, c)
	case bnNormalize:
		kernels.NormalizeColumns(s.ys[lo*c:hi*c], xs, s.mu, s.k, s.beta, n, c)
	case bnGradSums:
		b := s.split.block(p)
		kernels.ColumnGradSums(b[:c], b[c:], s.dys[lo*c:hi*c], xs, s.mu, n, c)
	case bnInputGrad:
		kernels.BatchNormInputGrad(s.dxs[lo*c:hi*c], s.dys[lo*c:hi*c], xs, s.mu, s.a, s.b, s.cc, n, c)
	}
}

// Backward: with s1 = Σdy and s2 = Σdy·(x − μ) per channel, dβ = s1,
// dγ = r·s2, and dx = γr·dy (inference) or, in training, where the
// gradient also flows through the batch statistics, γr·dy − γr³s2/N·(x − μ)
// − γr·s1/N (see autograd.BatchNorm).
func (l *BatchNormalization) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	s := &l.fast
	c, m := s.c, float64(s.rows)
	s.dys = dy.Float32s()
	s.phase = bnGradSums
	s.split.do(s.rows, c, 2*c)
	s.split.sum(s.sums)
	s1, s2 := s.sums[:c], s.sums[c:]
	if l.gamma != nil {
		g := weightGrad(l.gamma)
		for j := range g {
			g[j] = float32(s2[j] * s.r[j])
		}
	}
	if l.beta != nil {
		g := weightGrad(l.beta)
		for j := range g {
			g[j] = float32(s1[j])
		}
	}
	if !needDX {
		return nil
	}
	for j := range s.a {
		s.a[j], s.b[j], s.cc[j] = s.k[j], 0, 0
		if s.training {
			r := s.r[j]
			s.b[j] = float32(-float64(s.gamma[j]) * r * r * r * s2[j] / m)
			s.cc[j] = float32(-float64(s.k[j]) * s1[j] / m)
		}
	}
	dx := s.dx.Like(s.x)
	s.dxs = dx.Float32s()
	s.phase = bnInputGrad
	s.split.do(s.rows, c, 0)
	return dx
}

// layerNormState holds LayerNormalization's Kernel buffers: the mean and
// r = 1/√(variance + ε) of every row of the last Forward.
type layerNormState struct {
	split       rowSplit
	backward    bool
	y, dx       tensor.Buffer
	x           *tensor.Tensor
	xs, ys, dys []float32
	dxs         []float32
	rows, c     int
	mean, rstd  []float32
	gamma, beta []float32
	dg          []float64 // Σ dy·x̂, then Σ dy
	eps         float64
	scale       bool // gamma and beta present: their gradients are wanted
	center      bool
}

// Fast reports whether LayerNormalization runs as a Kernel: along the last
// axis, with float32 weights.
func (l *LayerNormalization) Fast() bool {
	return l.axis == len(l.outShape)-1 && float32Weights(l)
}

// Forward is Call on buffers; it keeps each row's mean and r for Backward.
func (l *LayerNormalization) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	s := &l.fast
	if s.split.run == nil {
		s.split.run = s.runPart
	}
	c := l.outShape[l.axis]
	s.x, s.xs, s.c, s.rows, s.eps = x, x.Float32s(), c, x.Len()/c, l.Epsilon
	s.scale, s.center = l.gamma != nil, l.beta != nil
	s.gamma, s.beta = affineOrDefault(l.gamma, s.gamma, 1, c), affineOrDefault(l.beta, s.beta, 0, c)
	s.mean, s.rstd = vec(s.mean, s.rows), vec(s.rstd, s.rows)
	y := s.y.Like(x)
	s.ys = y.Float32s()
	s.backward = false
	s.split.do(s.rows, c, 0)
	return y
}

// runPart runs the forward or the backward loop on rows [lo, hi).
func (s *layerNormState) runPart(p, lo, hi int) {
	c, n := s.c, hi-lo
	xs := s.xs[lo*c : hi*c]
	if !s.backward {
		kernels.LayerNormRows(s.ys[lo*c:hi*c], xs, s.gamma, s.beta, s.mean[lo:hi], s.rstd[lo:hi], n, c, s.eps)
		return
	}
	var dx []float32
	if s.dxs != nil {
		dx = s.dxs[lo*c : hi*c]
	}
	var dg, db []float64
	b := s.split.block(p)
	if s.scale {
		dg = b[:c]
	}
	if s.center {
		db = b[c:]
	}
	kernels.LayerNormRowsGrad(dx, dg, db, s.dys[lo*c:hi*c], xs, s.gamma, s.mean[lo:hi], s.rstd[lo:hi], n, c)
}

// Backward: per row, with x̂ the normalised input and h = dy·γ,
// dx = r·(h − mean(h) − x̂·mean(h·x̂)); dγ = Σ dy·x̂ and dβ = Σ dy over rows.
func (l *LayerNormalization) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	s := &l.fast
	c := s.c
	s.dys, s.dxs, s.backward = dy.Float32s(), nil, true
	var dx *tensor.Tensor
	if needDX {
		dx = s.dx.Like(s.x)
		s.dxs = dx.Float32s()
	}
	s.split.do(s.rows, c, 2*c)
	s.dg = vec(s.dg, 2*c)
	s.split.sum(s.dg)
	for i, w := range []*Weight{l.gamma, l.beta} {
		if w == nil {
			continue
		}
		g := weightGrad(w)
		for j := range g {
			g[j] = float32(s.dg[i*c+j])
		}
	}
	return dx
}
