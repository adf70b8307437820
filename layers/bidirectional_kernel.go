package layers

import (
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// bidiState is Bidirectional's Kernel: it runs the two layers' kernels
// and merges their outputs in buffers of its own, as Call does.
type bidiState struct {
	zf, zb   tensor.Buffer  // the outputs as merged: flipped and masked
	mf, mb   tensor.Buffer  // the output masks (batch, steps) with return_sequences
	masked   bool           // the last Forward had a mask
	of, ob   *tensor.Tensor // the outputs merged by the last Forward
	y, dx    tensor.Buffer
	gf, gb   tensor.Buffer // the two layers' output gradients
	gbr      tensor.Buffer // gb in the backward layer's reading order
	xshape   []int
	seqSteps int // timesteps with return_sequences, 0 without
}

// Fast reports whether both layers run as Kernels.
func (l *Bidirectional) Fast() bool {
	kf, okf := l.ForwardLayer.(Kernel)
	kb, okb := l.BackwardLayer.(Kernel)
	return okf && okb && kf.Fast() && kb.Fast()
}

// Forward runs the forward layer's kernel, then the backward one's (the
// order of Call, so dropout draws agree), and merges their outputs.
func (l *Bidirectional) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	s := &l.fast
	s.xshape = append(s.xshape[:0], x.Shape()...)
	yf := l.ForwardLayer.(Kernel).Forward(ctx, x)
	yb := l.BackwardLayer.(Kernel).Forward(ctx, x)
	s.of, s.ob, s.masked, s.seqSteps = yf, yb, false, 0
	if l.fwd().ReturnSequences {
		n, steps, units := yb.Dim(0), yb.Dim(1), yb.Dim(2)
		s.seqSteps = steps
		zb := s.zb.Like(yb)
		flipSteps(zb.Float32s(), yb.Float32s(), n, steps, units)
		s.ob = zb
		if ctx.Mask != nil {
			s.masked = true
			mf, mb := s.mf.Get(n, []int{steps}), s.mb.Get(n, []int{steps})
			timeMask(mf, ctx.Mask, l.fwd().GoBackwards)
			timeMask(mb, ctx.Mask, !l.bwd().GoBackwards)
			zf := s.zf.Like(yf)
			scaleSteps(zf.Float32s(), yf.Float32s(), mf.Float32s(), units)
			scaleSteps(zb.Float32s(), zb.Float32s(), mb.Float32s(), units)
			s.of = zf
		}
	}
	f, b := s.of.Float32s(), s.ob.Float32s()
	if l.MergeMode == "concat" {
		u := s.of.Dim(-1)
		y := s.y.Get(x.Dim(0), l.outShape)
		yd := y.Float32s()
		for r := 0; r < len(f)/u; r++ {
			copy(yd[2*r*u:(2*r+1)*u], f[r*u:(r+1)*u])
			copy(yd[(2*r+1)*u:(2*r+2)*u], b[r*u:(r+1)*u])
		}
		return y
	}
	y := s.y.Like(s.of)
	yd := y.Float32s()
	switch l.MergeMode {
	case "sum":
		kernels.Binary(kernels.OpAdd, yd, f, b)
	case "mul":
		kernels.Binary(kernels.OpMul, yd, f, b)
	default: // ave
		for i := range yd {
			yd[i] = (f[i] + b[i]) * 0.5
		}
	}
	return y
}

// Backward splits dy into the two layers' output gradients (through the
// merge, the mask and the flip) and runs their kernels' Backward; dL/dx is
// the sum of theirs.
func (l *Bidirectional) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	s := &l.fast
	gf, gb := s.gf.Like(s.of), s.gb.Like(s.ob)
	g, df, db := dy.Float32s(), gf.Float32s(), gb.Float32s()
	switch l.MergeMode {
	case "concat":
		u := s.of.Dim(-1)
		for r := 0; r < len(df)/u; r++ {
			copy(df[r*u:(r+1)*u], g[2*r*u:(2*r+1)*u])
			copy(db[r*u:(r+1)*u], g[(2*r+1)*u:(2*r+2)*u])
		}
	case "sum":
		copy(df, g)
		copy(db, g)
	case "mul":
		f, b := s.of.Float32s(), s.ob.Float32s()
		for i, v := range g {
			df[i], db[i] = v*b[i], v*f[i]
		}
	default: // ave
		for i, v := range g {
			df[i], db[i] = v*0.5, v*0.5
		}
	}
	if s.masked {
		u := s.of.Dim(-1)
		scaleSteps(df, df, s.mf.Get(s.of.Dim(0), []int{s.seqSteps}).Float32s(), u)
		scaleSteps(db, db, s.mb.Get(s.of.Dim(0), []int{s.seqSteps}).Float32s(), u)
	}
	if s.seqSteps > 0 {
		gbr := s.gbr.Like(gb)
		flipSteps(gbr.Float32s(), db, gb.Dim(0), s.seqSteps, gb.Dim(2))
		gb = gbr
	}
	dxf := l.ForwardLayer.(Kernel).Backward(gf, needDX)
	var dx *tensor.Tensor
	if needDX {
		dx = s.dx.Get(s.xshape[0], s.xshape[1:])
		copy(dx.Float32s(), dxf.Float32s())
	}
	dxb := l.BackwardLayer.(Kernel).Backward(gb, needDX)
	if needDX {
		kernels.Binary(kernels.OpAdd, dx.Float32s(), dx.Float32s(), dxb.Float32s())
	}
	return dx
}

// flipSteps writes src, (n, steps, units), into dst with the steps in
// reverse order.
func flipSteps(dst, src []float32, n, steps, units int) {
	for b := 0; b < n; b++ {
		for t := 0; t < steps; t++ {
			d, s := (b*steps+steps-1-t)*units, (b*steps+t)*units
			copy(dst[d:d+units], src[s:s+units])
		}
	}
}
