package optimizers

import (
	"math"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// The sweep: Apply updates every element of every variable independently
// (an optimizer's rule is elementwise), so the elements of all variables,
// taken one after the other, are cut into chunks of at most sweepChunk, and
// the chunks are shared among the cores with kernels.ParallelFor. Each chunk
// is decayed and updated in one pass while it is in cache. When clipping by
// norm, a first pass sums the squared gradients chunk by chunk and the sums
// are added in chunk order, so the result does not depend on the number of
// threads.

// sweepChunk is the most elements one chunk holds: 16k float32 elements are
// 64 KiB per array, so a chunk of Adam (w, g, m, v) takes a quarter of a
// Zen 4 core's 1 MiB L2 cache, and about 5 µs with the vector kernel: long
// enough to amortise claiming it, short enough to balance two to a few
// dozen cores.
const sweepChunk = 16 << 10

// sweepPerThread is the least number of elements Apply gives one thread:
// about 60 µs of single-thread work for the vector Adam kernel (0.3 ns per
// element, BenchmarkOptim), the budget gemmWorkPerThread also uses. Waking a
// parked helper takes from a few to tens of µs when a core is free, and
// much more when the machine is busy: on the shared 2-core AMD EPYC VM this
// was tuned on, splitting 256k elements of Adam in two made Apply slower
// (median 110 µs against 73 µs on one thread) and 1M elements about even.
// So the course's MLP (235k parameters) stays on one thread, and models of
// 384k parameters and more use two or more.
const sweepPerThread = 192 << 10

// chunk is one piece of the sweep: elements [lo, hi) of variable v.
type chunk struct {
	v, lo, hi int
	s32       [][]float32 // the variable's slots, resliced to [lo, hi)
	s64       [][]float64
	sq        float64 // Σ g² over the chunk, when clipping by norm
}

// sweepVar is what the current Apply passes for one variable.
type sweepVar struct {
	active   bool // the variable has a gradient this step
	w32, g32 []float32
	w64, g64 []float64
	scale    float64 // the factor clipping by norm gives its gradient
}

// sweep is the state of the parallel update, built with the slots.
type sweep struct {
	chunkLen  int // sweepChunk, or what a test sets before Build
	perThread int // sweepPerThread, or what a test sets
	chunks    []chunk
	cur       []sweepVar
	// The current step, read by every chunk.
	lr     float64
	t      int64
	lo, hi float64 // clipvalue bounds, ±Inf when off
	// The bodies given to ParallelFor, made once so that Apply does not
	// allocate a closure.
	normBody, updateBody func(int)
}

// buildSweep cuts the built variables into chunks.
func (b *base) buildSweep() {
	sw := &b.sweep
	if sw.chunkLen == 0 {
		sw.chunkLen, sw.perThread = sweepChunk, sweepPerThread
	}
	sw.chunks = sw.chunks[:0]
	for v := range b.vars {
		vs := &b.vars[v]
		n := tensor.NumElements(vs.shape)
		for lo := 0; lo < n; lo += sw.chunkLen {
			c := chunk{v: v, lo: lo, hi: min(n, lo+sw.chunkLen)}
			for _, s := range vs.s32 {
				c.s32 = append(c.s32, s[c.lo:c.hi])
			}
			for _, s := range vs.s64 {
				c.s64 = append(c.s64, s[c.lo:c.hi])
			}
			sw.chunks = append(sw.chunks, c)
		}
	}
	sw.cur = make([]sweepVar, len(b.vars))
	sw.normBody = b.chunkSumSquares
	sw.updateBody = b.updateChunk
}

// runSweep updates every variable with a gradient, at learning rate lr.
func (b *base) runSweep(vars []Variable, lr float64) {
	sw := &b.sweep
	sw.lr, sw.t = lr, b.iterations+1
	sw.lo, sw.hi = math.Inf(-1), math.Inf(1)
	if b.clipValue > 0 {
		sw.lo, sw.hi = -b.clipValue, b.clipValue
	}
	total := 0
	for i := range vars {
		v, cv := &vars[i], &sw.cur[i]
		*cv = sweepVar{active: v.Grad != nil, scale: 1}
		if !cv.active {
			continue
		}
		total += v.Value.Len()
		if v.Value.DType() == tensor.Float64 {
			cv.w64, cv.g64 = v.Value.Float64s(), v.Grad.Float64s()
		} else {
			cv.w32, cv.g32 = v.Value.Float32s(), v.Grad.Float32s()
		}
	}
	threads := max(1, total/sw.perThread)
	if b.globalClipNorm > 0 || b.clipNorm > 0 {
		kernels.ParallelFor(len(sw.chunks), threads, sw.normBody)
		b.clipScales()
	}
	if p, ok := b.rule.(preparer); ok {
		p.prepare(lr, sw.t)
	}
	kernels.ParallelFor(len(sw.chunks), threads, sw.updateBody)
	clear(sw.cur) // keep no reference to the caller's tensors
}

// clipScales turns the chunks' sums of squares into each variable's
// clipping factor: Keras's clip_by_global_norm over all gradients, or
// clipnorm per gradient.
func (b *base) clipScales() {
	sw := &b.sweep
	var total float64
	for i := range sw.chunks {
		total += sw.chunks[i].sq
	}
	if b.globalClipNorm > 0 {
		norm := math.Sqrt(total)
		// (norm-norm) turns an infinite norm into NaN, as Keras does.
		scale := b.globalClipNorm*math.Min(1/norm, 1/b.globalClipNorm) + (norm - norm)
		for i := range sw.cur {
			sw.cur[i].scale = scale
		}
		return
	}
	for i := 0; i < len(sw.chunks); {
		v, sq := sw.chunks[i].v, 0.0
		for ; i < len(sw.chunks) && sw.chunks[i].v == v; i++ {
			sq += sw.chunks[i].sq
		}
		sw.cur[v].scale = b.clipNorm / math.Max(math.Sqrt(sq), b.clipNorm)
	}
}

// chunkSumSquares sums the squared gradient over chunk i.
func (b *base) chunkSumSquares(i int) {
	c := &b.sweep.chunks[i]
	cv := &b.sweep.cur[c.v]
	c.sq = 0
	switch {
	case !cv.active:
	case cv.g64 != nil:
		for _, x := range cv.g64[c.lo:c.hi] {
			c.sq += x * x
		}
	default:
		c.sq = kernels.SumSquares(cv.g32[c.lo:c.hi])
	}
}

// updateChunk applies weight decay and the optimizer's update to chunk i.
func (b *base) updateChunk(i int) {
	sw := &b.sweep
	c := &sw.chunks[i]
	cv := &sw.cur[c.v]
	switch {
	case !cv.active:
	case cv.w64 != nil:
		w := cv.w64[c.lo:c.hi]
		decay(w, b.weightDecay, sw.lr)
		b.rule.update64(step[float64]{w: w, g: cv.g64[c.lo:c.hi], slots: c.s64,
			scale: cv.scale, lo: sw.lo, hi: sw.hi, lr: sw.lr, t: sw.t})
	default:
		w := cv.w32[c.lo:c.hi]
		if b.weightDecay != 0 {
			kernels.DecayWeights(w, float32(b.weightDecay)*float32(sw.lr))
		}
		b.rule.update32(step[float32]{w: w, g: cv.g32[c.lo:c.hi], slots: c.s32,
			scale: float32(cv.scale), lo: float32(sw.lo), hi: float32(sw.hi), lr: sw.lr, t: sw.t})
	}
}

// preparer is implemented by a rule with per-step constants to compute once
// before the sweep (Adam's bias-corrected step size).
type preparer interface {
	prepare(lr float64, t int64)
}

// kclip is the clipping of a float32 step in the kernels' form.
func kclip(s *step[float32]) kernels.Clip {
	return kernels.Clip{Scale: s.scale, Lo: s.lo, Hi: s.hi}
}
