package layers

import "github.com/deepgo-dev/deepgo/internal/kernels"

// lstmForward runs part p's rows of an LSTM through every timestep (see
// rnn_kernel.go): the step's products, then the cell row by row.
func (r *recurrent) lstmForward(s *rnnState, p int) {
	lo, hi := s.rows(p)
	u := r.Units
	for i := range s.t {
		bf := r.stepBufs(s, p, i)
		tt := r.timeOf(i, s.t)
		for b := lo; b < hi; b++ {
			k := (b - lo) * u
			hprev, c := bf.hprev[k:][:u], bf.c[k:][:u]
			out := r.outRow(s, b, i)
			h := out // the last step of training has no next step
			if bf.hnext != nil {
				h = bf.hnext[k:][:u]
			}
			cprev := s.zeros
			if bf.cprev != nil {
				cprev = bf.cprev[k:][:u]
			}
			if !s.real(b, tt) { // carry the states over
				copy(c, cprev)
				copy(h, hprev)
				copyIf(out, hprev)
				continue
			}
			lstmCell(bf.z[4*k:][:4*u], cprev, c, bf.tc[k:][:u], h, r.Activation, r.RecurrentActivation)
			copyIf(out, h)
		}
	}
}

// lstmCell turns one row's pre-activations z = [i f c o] into the gate
// activations (in place) and computes c = f⊙c_prev + i⊙g, tc = act(c) and
// h = o⊙tc. c may be c_prev itself.
func lstmCell(z, cprev, c, tc, h []float32, act, recAct string) {
	u := len(c)
	actForward(recAct, z[:2*u], 1, 2*u)
	actForward(act, z[2*u:3*u], 1, u)
	actForward(recAct, z[3*u:4*u], 1, u)
	kernels.LSTMCellState(c, cprev, z)
	copy(tc, c)
	actForward(act, tc, 1, u)
	kernels.Binary(kernels.OpMul, h, z[3*u:4*u], tc)
}

// lstmBackward runs part p's rows back through time: at each step dh (with
// the step's dy) and dc become dZ_t, then dh_{t−1} = dZ_t·Rᵀ.
func (r *recurrent) lstmBackward(s *rnnState, p int) {
	lo, hi := s.rows(p)
	n, t, u := s.n, s.t, r.Units
	gu := 4 * u
	sc := &s.scratch[p]
	dh, dc := sc.dh[:(hi-lo)*u], sc.dc[:(hi-lo)*u]
	clear(dh)
	clear(dc)
	for i := t - 1; i >= 0; i-- {
		tt := r.timeOf(i, t)
		for b := lo; b < hi; b++ {
			row := tt*n + b
			dhb, dcb := dh[(b-lo)*u:][:u], dc[(b-lo)*u:][:u]
			if g := r.dyRow(s, b, i); g != nil {
				kernels.Binary(kernels.OpAdd, dhb, dhb, g)
			}
			dz := s.dzd[row*gu:][:gu]
			if !s.real(b, tt) { // dh and dc pass through to the step before
				clear(dz)
				continue
			}
			cprev := s.zeros
			if i > 0 {
				cprev = s.csd[(r.timeOf(i-1, t)*n+b)*u:][:u]
			}
			lstmCellBackward(dz, dhb, dcb, s.zd[row*gu:][:gu], cprev, s.tcd[row*u:][:u], r.Activation, r.RecurrentActivation)
		}
		if i > 0 {
			s.gemm(hi-lo, u, gu, s.dzd[(tt*n+lo)*gu:], gu, s.rt, u, 1, dh, u, nil)
		}
	}
}

// lstmCellBackward computes one row's dZ from dh and dc, given the gate
// activations a = [i f g o], c_prev and tc = act(c); it leaves dc_prev =
// dc⊙f in dc and zeroes dh, to which the caller adds dZ·Rᵀ. Keras's
// default activations, tanh and sigmoid, run in one vectorised pass
// (kernels.LSTMCellBackward); others compose act' from actBackward.
func lstmCellBackward(dz, dh, dc, a, cprev, tc []float32, act, recAct string) {
	if act == "tanh" && recAct == "sigmoid" {
		kernels.LSTMCellBackward(dz, dh, dc, a, cprev, tc)
		return
	}
	u := len(dh)
	i, f, g, o := a[:u], a[u:2*u], a[2*u:3*u], a[3*u:4*u]
	di, df, dg, do := dz[:u], dz[u:2*u], dz[2*u:3*u], dz[3*u:4*u]
	// dc += dh ⊙ o ⊙ act'(c), with dg as scratch.
	for j := range dg {
		dg[j] = dh[j] * o[j]
	}
	actBackward(act, dg, tc, 1, u)
	for j := range dc {
		dc[j] += dg[j]
		do[j] = dh[j] * tc[j]
		di[j] = dc[j] * g[j]
		df[j] = dc[j] * cprev[j]
		dg[j] = dc[j] * i[j]
		dc[j] *= f[j]
		dh[j] = 0
	}
	actBackward(recAct, dz[:2*u], a[:2*u], 1, 2*u)
	actBackward(act, dg, g, 1, u)
	actBackward(recAct, do, o, 1, u)
}

// copyIf copies src into dst unless dst is nil.
func copyIf(dst, src []float32) {
	if dst != nil {
		copy(dst, src)
	}
}
