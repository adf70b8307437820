package layers

import (
	"runtime"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// The Kernel of SimpleRNN, LSTM and GRU (float32, on buffers).
//
// Forward projects the inputs of every timestep in one product,
// Z = X·kernel + bias, (batch·timesteps, gates·units), then runs the cells
// over time: each step adds h_{t−1}·recurrent_kernel to its rows of Z (one
// product for all gates) and applies the gates and the state update in one
// pass per row, overwriting Z with the gate activations that Backward
// needs. The batch is cut into chunks of rows that run their whole
// sequence on one goroutine each: the rows of a batch never meet, so the
// chunks need no synchronisation between timesteps, and their step
// products run on their own thread (kernels.GemmSerial) when every thread
// has a chunk.
//
// Backward runs the chunks back through time: at each step it turns dh
// (and LSTM's dc) into dZ_t, stored for every step in one buffer, and takes
// dh_{t−1} = dZ_t·recurrent_kernelᵀ. The weight gradients then come from
// whole-sequence products after the loop: dkernel = Xᵀ·dZ, drecurrent =
// H_prevᵀ·dZ, dbias = Σ rows of dZ, dx = dZ·kernelᵀ.
//
// Buffers are time-major, row t·N + b for sample b at the original
// timestep t whatever the direction (X is transposed on the way in, dx on
// the way out), so X, Z, dZ and H_prev line up row for row in those
// products, and the rows one step of a chunk reads and writes are
// contiguous. Batch-major, each step touched a 2 KiB piece of every
// sample's row of Z and dZ (LSTM 128), too short for the hardware
// prefetcher: the backward cell pass ran 3× slower, bound by memory
// latency. The output with return_sequences is (N, T, U) in the order of
// processing (reversed for go_backwards), as Keras returns it.
//
// In inference (Context.Training false) nothing is kept for Backward, so
// each chunk projects its inputs step by step, z_t = x_t·kernel + bias,
// into a chunk-sized buffer that stays in cache, and updates h (and c) in
// place: for the mnist-lstm model at batch 1000, the whole-sequence Z
// would be 57 MB written once and read back once per step.
//
// Masks (Context.Mask, see mask.go): at a masked step of a sample the
// states are carried over, the step's output is the carried h, and its dZ
// row is zero, so the weight products skip it and dh passes through.

// rnnState holds the buffers of a recurrent layer's Kernel. The
// time-major ones are taken as T·N rows, so that a smaller batch (the last
// of an epoch) is a view of the same memory.
type rnnState struct {
	xt tensor.Buffer // (T, N, F) the input, time-major; then dx
	z  tensor.Buffer // (T, N, G·U) input projection, then gate activations
	hp tensor.Buffer // (T, N, U) h_{t−1}: the state each step starts from
	cs tensor.Buffer // (T, N, U) LSTM's c_t after each step
	tc tensor.Buffer // (T, N, U) LSTM's act(c_t); GRU's recurrent h block
	y  tensor.Buffer // the output: (N, T, U) or (N, U)
	dz tensor.Buffer // (T, N, G·U) dZ on the input side
	dr tensor.Buffer // (T, N, G·U) GRU's dZ on the recurrent side
	dx tensor.Buffer // (N, T, F)

	// The Float32s of the buffers above, for the last Forward.
	zd, hpd, csd, tcd, yd, dzd, drd []float32

	xtd    []float32 // the last input, time-major (training)
	xd     []float32 // the last input (inference)
	n, t   int       // its batch and timesteps
	f      int       // features
	train  bool      // whether the last Forward was in training mode
	mask   []bool    // the last Context.Mask, copied (true = real step)
	masked bool      // whether the last Forward had a mask
	// Chunks of rows: part p has rows [p·chunk, min((p+1)·chunk, n)).
	parts, chunk int
	serial       bool         // every thread has a chunk: products on one thread
	scratch      []rnnScratch // one per part
	rt           []float32    // recurrent_kernelᵀ, (G·U, U), for Backward
	zeros        []float32    // U zeros: the initial states
	dy           []float32    // Backward's dy
	fwd, bwd     func(part int)
}

// rnnScratch is what one chunk of rows works in.
type rnnScratch struct {
	dh, dc []float32 // (rows, U) gradients flowing back through time
	rec    []float32 // (rows, G·U) GRU's recurrent projection
	// Inference: one step's Z (rows, G·U), and the states h, c and act(c)
	// (rows, U), updated in place.
	z, h, c, tc []float32
}

// stepBufs are where one step of a chunk reads and writes: the chunk's
// row k at offset k·width of each slice (width G·U for z and rec, U for
// the others). hnext is nil after the last step of training, cprev nil at
// the first (zeros). In inference h and c are updated in place.
type stepBufs struct {
	z, rec, hprev, hnext, c, cprev, tc []float32
}

// stepBufs returns step i's buffers for part p, after computing its Z
// (LSTM, SimpleRNN) or its recurrent projection (GRU): the products of the
// step.
func (r *recurrent) stepBufs(s *rnnState, p, i int) stepBufs {
	lo, hi := s.rows(p)
	n, t, u, gu := s.n, s.t, r.Units, r.gates*r.Units
	tt := r.timeOf(i, t)
	sc := &s.scratch[p]
	var b stepBufs
	if s.train {
		b = stepBufs{z: s.zd[(tt*n+lo)*gu:], hprev: s.hpd[(tt*n+lo)*u:]}
		if i+1 < t {
			b.hnext = s.hpd[(r.timeOf(i+1, t)*n+lo)*u:]
		}
		if r.gates == 4 {
			b.c = s.csd[(tt*n+lo)*u:]
			if i > 0 {
				b.cprev = s.csd[(r.timeOf(i-1, t)*n+lo)*u:]
			}
		}
		if r.gates != 1 {
			b.tc = s.tcd[(tt*n+lo)*u:]
		}
	} else {
		b = stepBufs{z: sc.z, hprev: sc.h, hnext: sc.h, c: sc.c, cprev: sc.c, tc: sc.tc}
		// z_t = x_t·kernel + input bias, x_t's rows t·F apart in x.
		f := s.f
		bias := r.biasBlock(0)
		s.gemm(hi-lo, gu, f, s.xd[(lo*t+tt)*f:], t*f, r.kernel.Value.Data.Float32s(), gu, 0, b.z, gu, bias)
	}
	b.rec = sc.rec
	if i == 0 { // h_0 = c_0 = 0
		clear(b.hprev[:(hi-lo)*u])
		if !s.train && r.gates == 4 {
			clear(sc.c[:(hi-lo)*u])
		}
	}
	rk := r.recurrentKernel.Value.Data.Float32s()
	switch {
	case r.gates == 3: // rec = h_{t−1}·recurrent_kernel + bias[1]
		rb := r.biasBlock(1)
		if i > 0 {
			s.gemm(hi-lo, gu, u, b.hprev, u, rk, gu, 0, b.rec, gu, rb)
			break
		}
		for k := range hi - lo {
			if rb != nil {
				copy(b.rec[k*gu:][:gu], rb)
			} else {
				clear(b.rec[k*gu:][:gu])
			}
		}
	case i > 0: // Z_t += h_{t−1}·recurrent_kernel
		s.gemm(hi-lo, gu, u, b.hprev, u, rk, gu, 1, b.z, gu, nil)
	}
	return b
}

// biasBlock returns block i of the bias, G·U values: the whole bias, or
// for GRU's (2, 3·units) bias its input (0) or recurrent (1) row; nil
// without a bias.
func (r *recurrent) biasBlock(i int) []float32 {
	if r.bias == nil {
		return nil
	}
	gu := r.gates * r.Units
	return r.bias.Value.Data.Float32s()[i*gu : (i+1)*gu]
}

// kernelState returns r's kernel state, made on first use.
func (r *recurrent) kernelState() *rnnState {
	if r.fast == nil {
		r.fast = new(rnnState)
	}
	return r.fast
}

// Fast reports whether the layer runs as a Kernel: float32 weights, no
// dropout (done on the autograd path), no return_state, and activations
// whose derivative comes from their output (tanh, sigmoid, relu, linear).
func (r *recurrent) Fast() bool {
	if r.kernel == nil || r.kernel.Value.Data.DType() != tensor.Float32 {
		return false
	}
	if r.Dropout > 0 || r.RecurrentDropout > 0 || r.ReturnState {
		return false
	}
	ok := func(name string) bool { return name != "softmax" && fastActivation(name) }
	return ok(r.Activation) && (r.gates == 1 || ok(r.RecurrentActivation))
}

// Forward runs the layer on x, (batch, timesteps, features), with the mask
// in ctx.Mask; see the comment at the top of this file.
func (r *recurrent) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	s := r.kernelState()
	shape := x.Shape()
	if len(shape) != 3 || shape[2] != r.kernel.Value.Data.Dim(0) {
		panic(&tensor.ShapeError{Op: r.name, Shapes: [][]int{shape}, Msg: "want (batch, timesteps, features)"})
	}
	n, t, f, u, gu := shape[0], shape[1], shape[2], r.Units, r.gates*r.Units
	s.n, s.t, s.f, s.train = n, t, f, ctx.Training
	s.setMask(ctx.Mask, n, t)
	s.setChunks(n, u, gu, s.train)
	if len(s.zeros) != u {
		s.zeros = make([]float32, u)
	}
	var y *tensor.Tensor
	if r.ReturnSequences {
		y = s.y.Get(n, []int{t, u})
	} else {
		y = s.y.Get(n, []int{u})
	}
	s.yd = y.Float32s()
	if s.train {
		xt := s.xt.Get(t*n, []int{f}).Float32s()
		transpose12(xt, x.Float32s(), n, t, f)
		s.xtd, s.zd, s.hpd = xt, s.z.Get(t*n, []int{gu}).Float32s(), s.hp.Get(t*n, []int{u}).Float32s()
		if r.gates != 1 {
			s.tcd = s.tc.Get(t*n, []int{u}).Float32s()
		}
		if r.gates == 4 {
			s.csd = s.cs.Get(t*n, []int{u}).Float32s()
		}
		// Z = X·kernel + input bias for every timestep at once.
		bias := r.biasBlock(0)
		kernels.GemmBiasAct(false, false, n*t, gu, f, xt, f, r.kernel.Value.Data.Float32s(), gu, s.zd, gu, bias, kernels.EpilogueNone)
	} else {
		s.xd = x.Float32s()
	}
	if s.fwd == nil {
		s.fwd = func(p int) { r.forwardChunk(s, p) }
		s.bwd = func(p int) { r.backwardChunk(s, p) }
	}
	kernels.ParallelFor(s.parts, runtime.GOMAXPROCS(0), s.fwd)
	s.xd = nil
	return y
}

// setMask copies the mask (nil for none) into s.mask.
func (s *rnnState) setMask(m *tensor.Tensor, n, t int) {
	s.masked = m != nil
	if m == nil {
		return
	}
	if m.Len() != n*t {
		panic(&tensor.ShapeError{Op: "recurrent mask", Shapes: [][]int{m.Shape()}, Msg: "want (batch, timesteps)"})
	}
	s.mask = vec(s.mask, n*t)
	if m.DType() == tensor.Float32 {
		for i, v := range m.Float32s() {
			s.mask[i] = v != 0
		}
		return
	}
	for i := range s.mask {
		s.mask[i] = m.AtFlat(i) != 0
	}
}

// rnnChunkRows bounds the rows of a chunk, so that a large batch gives
// chunks whose step products Gemm computes with the recurrent kernel read
// in place (it packs B above 256 rows) and whose step of Z stays in L2.
// The size hardly matters otherwise: mnist-lstm inference at batch 1000 on
// 2 threads took 26–28 ms per batch with 64, 128, 256 or 512 rows.
const rnnChunkRows = 256

// setChunks cuts the n rows into chunks, a multiple of 8 rows each (the
// product's micro-tile), enough to give every thread one, and sizes each
// chunk's scratch.
func (s *rnnState) setChunks(n, u, gu int, train bool) {
	threads := runtime.GOMAXPROCS(0)
	chunk := max(1, min(rnnChunkRows, (n+threads-1)/threads))
	chunk = (chunk + 7) / 8 * 8
	s.chunk, s.parts = chunk, (n+chunk-1)/chunk
	s.serial = s.parts >= threads
	for len(s.scratch) < s.parts {
		s.scratch = append(s.scratch, rnnScratch{})
	}
	grow := func(b *[]float32, n int) {
		if len(*b) < n {
			*b = make([]float32, n)
		}
	}
	for i := range s.parts {
		sc := &s.scratch[i]
		grow(&sc.rec, chunk*gu)
		if train {
			grow(&sc.dh, chunk*u)
			grow(&sc.dc, chunk*u)
		} else {
			grow(&sc.z, chunk*gu)
			grow(&sc.h, chunk*u)
			grow(&sc.c, chunk*u)
			grow(&sc.tc, chunk*u)
		}
	}
}

// gemm computes C = A·B + bias + beta·C for one step of a chunk (bias
// only with beta 0): on the calling goroutine when every thread has a
// chunk of its own (see kernels.GemmSerial), else with Gemm's threads.
func (s *rnnState) gemm(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bias []float32) {
	switch {
	case s.serial:
		kernels.GemmSerial(m, n, k, a, lda, b, ldb, beta, c, ldc, bias)
	case beta == 0:
		kernels.GemmBiasAct(false, false, m, n, k, a, lda, b, ldb, c, ldc, bias, kernels.EpilogueNone)
	default:
		kernels.Gemm(false, false, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
	}
}

// rows returns part p's rows [lo, hi).
func (s *rnnState) rows(p int) (lo, hi int) {
	return p * s.chunk, min((p+1)*s.chunk, s.n)
}

// timeOf returns the timestep processed at step i.
func (r *recurrent) timeOf(i, t int) int {
	if r.GoBackwards {
		return t - 1 - i
	}
	return i
}

// real reports whether sample b's timestep t is a real step (not masked).
func (s *rnnState) real(b, t int) bool { return !s.masked || s.mask[b*s.t+t] }

// forwardChunk runs part p's rows through every timestep: the step's
// products (stepBufs), then the cell row by row. At a masked step the
// states (h, and LSTM's c) are carried over and the output is the carried
// h.
func (r *recurrent) forwardChunk(s *rnnState, p int) {
	lo, hi := s.rows(p)
	u, gu := r.Units, r.gates*r.Units
	for i := range s.t {
		bf := r.stepBufs(s, p, i)
		tt := r.timeOf(i, s.t)
		for b := lo; b < hi; b++ {
			k := (b - lo) * u
			hprev := bf.hprev[k:][:u]
			out := stepRow(s.yd, r, s, b, i)
			h := out // the last step of training has no next step
			if bf.hnext != nil {
				h = bf.hnext[k:][:u]
			}
			var c, cprev []float32 // LSTM's
			if r.gates == 4 {
				c, cprev = bf.c[k:][:u], s.zeros
				if bf.cprev != nil {
					cprev = bf.cprev[k:][:u]
				}
			}
			if !s.real(b, tt) { // carry the states over
				copy(c, cprev)
				copy(h, hprev)
				copyIf(out, hprev)
				continue
			}
			z := bf.z[k*r.gates:][:gu]
			switch r.gates {
			case 4:
				lstmCell(z, cprev, c, bf.tc[k:][:u], h, r.Activation, r.RecurrentActivation)
			case 3:
				gruCell(z, bf.rec[3*k:][:gu], hprev, bf.tc[k:][:u], h, r.Activation, r.RecurrentActivation)
			default: // SimpleRNN: h_t = act(Z_t), kept in Z
				actForward(r.Activation, z, 1, u)
				copy(h, z)
			}
			copyIf(out, h)
		}
	}
}

// backwardChunk runs part p's rows back through time: at each step dh
// (with the step's dy, and LSTM's dc) becomes dZ_t, then dh_{t−1} =
// dZ_t·Rᵀ. GRU's dZ on the recurrent side differs from the input side's in
// the h block (the reset gate multiplies the recurrent one), so both are
// kept; for the others they are one buffer.
func (r *recurrent) backwardChunk(s *rnnState, p int) {
	lo, hi := s.rows(p)
	n, t, u := s.n, s.t, r.Units
	gu := r.gates * u
	sc := &s.scratch[p]
	dh, dc := sc.dh[:(hi-lo)*u], sc.dc[:(hi-lo)*u]
	clear(dh)
	clear(dc)
	for i := t - 1; i >= 0; i-- {
		tt := r.timeOf(i, t)
		for b := lo; b < hi; b++ {
			row := tt*n + b
			dhb := dh[(b-lo)*u:][:u]
			if g := stepRow(s.dy, r, s, b, i); g != nil {
				kernels.Binary(kernels.OpAdd, dhb, dhb, g)
			}
			dz, dr, z := s.dzd[row*gu:][:gu], s.drd[row*gu:][:gu], s.zd[row*gu:][:gu]
			if !s.real(b, tt) { // dh (and dc) pass through to the step before
				clear(dz)
				clear(dr)
				continue
			}
			switch r.gates {
			case 4:
				cprev := s.zeros
				if i > 0 {
					cprev = s.csd[(r.timeOf(i-1, t)*n+b)*u:][:u]
				}
				lstmCellBackward(dz, dhb, dc[(b-lo)*u:][:u], z, cprev, s.tcd[row*u:][:u], r.Activation, r.RecurrentActivation)
			case 3:
				gruCellBackward(dz, dr, dhb, z, s.hpd[row*u:][:u], s.tcd[row*u:][:u], r.Activation, r.RecurrentActivation)
			default: // SimpleRNN: dZ_t = dh ⊙ act'(h_t)
				copy(dz, dhb)
				actBackward(r.Activation, dz, z, 1, u)
				clear(dhb)
			}
		}
		if i > 0 {
			s.gemm(hi-lo, u, gu, s.drd[(tt*n+lo)*gu:], gu, s.rt, u, 1, dh, u, nil)
		}
	}
}

// stepRow returns sample b's row of d for step i's output (d is the
// output or its gradient), or nil when step i has no output of its own
// (the last state only, before the last step).
func stepRow(d []float32, r *recurrent, s *rnnState, b, i int) []float32 {
	u := r.Units
	if r.ReturnSequences {
		return d[(b*s.t+i)*u:][:u]
	}
	if i+1 == s.t {
		return d[b*u:][:u]
	}
	return nil
}

// Backward runs the chunks back through time, then computes the weight
// gradients and dx with one product each.
func (r *recurrent) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	s := r.kernelState()
	if !s.train {
		panic("layers: " + r.name + ": Backward after a Forward in inference mode")
	}
	n, t, u, gu := s.n, s.t, r.Units, r.gates*r.Units
	f := r.kernel.Value.Data.Dim(0)
	// Rᵀ, so that each step's dh = dZ·Rᵀ reads its B operand in place.
	rk := r.recurrentKernel.Value.Data.Float32s()
	if len(s.rt) != gu*u {
		s.rt = make([]float32, gu*u)
	}
	for i := range u {
		for j, v := range rk[i*gu : (i+1)*gu] {
			s.rt[j*u+i] = v
		}
	}
	s.dy = dy.Float32s()
	dz := s.dz.Get(t*n, []int{gu}).Float32s()
	dr := dz // the recurrent side's dZ: GRU's differs
	if r.gates == 3 {
		dr = s.dr.Get(t*n, []int{gu}).Float32s()
	}
	s.dzd, s.drd = dz, dr
	kernels.ParallelFor(s.parts, runtime.GOMAXPROCS(0), s.bwd)
	s.dy = nil

	rows := n * t
	kv := r.kernel.Value
	kernels.Gemm(true, false, f, gu, rows, 1, s.xtd, f, dz, gu, 0, weightGrad(r.kernel), gu)
	// h_{t−1} is zero at the first step processed (timestep 0, or T−1
	// backwards): its rows add nothing to drecurrent.
	hp, first := s.hpd, 0
	if !r.GoBackwards {
		first = n
	}
	kernels.Gemm(true, false, u, gu, rows-n, 1, hp[first*u:], u, dr[first*gu:], gu, 0, weightGrad(r.recurrentKernel), gu)
	if r.bias != nil {
		g := weightGrad(r.bias)
		kernels.SumRows(g[:gu], dz, rows, gu)
		if r.gates == 3 {
			kernels.SumRows(g[gu:2*gu], dr, rows, gu)
		}
	}
	if !needDX {
		return nil
	}
	// X has served dkernel: its buffer takes dx, time-major.
	kernels.Gemm(false, true, rows, f, gu, 1, dz, gu, kv.Data.Float32s(), gu, 0, s.xtd, f)
	dx := s.dx.Get(n, []int{t, f})
	transpose12(dx.Float32s(), s.xtd, t, n, f)
	return dx
}

// transpose12 swaps the first two axes of the (a, b, c) array src into
// dst, (b, a, c).
func transpose12(dst, src []float32, a, b, c int) {
	for i := range a {
		for j := range b {
			copy(dst[(j*a+i)*c:][:c], src[(i*b+j)*c:][:c])
		}
	}
}
