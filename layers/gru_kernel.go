package layers

import "github.com/deepgo-dev/deepgo/internal/kernels"

// gruForward runs part p's rows of a GRU (reset_after) through every
// timestep: the recurrent projection h_{t−1}·recurrent_kernel + bias[1]
// goes to the chunk's scratch, since the reset gate multiplies its h block
// before it meets the input side.
func (r *recurrent) gruForward(s *rnnState, p int) {
	lo, hi := s.rows(p)
	u := r.Units
	for i := range s.t {
		bf := r.stepBufs(s, p, i)
		tt := r.timeOf(i, s.t)
		for b := lo; b < hi; b++ {
			k := (b - lo) * u
			hprev := bf.hprev[k:][:u]
			out := r.outRow(s, b, i)
			h := out // the last step of training has no next step
			if bf.hnext != nil {
				h = bf.hnext[k:][:u]
			}
			if !s.real(b, tt) {
				copy(h, hprev)
				copyIf(out, hprev)
				continue
			}
			gruCell(bf.z[3*k:][:3*u], bf.rec[3*k:][:3*u], hprev, bf.tc[k:][:u], h, r.Activation, r.RecurrentActivation)
			copyIf(out, h)
		}
	}
}

// gruCell turns one row's input projection z = [x_z x_r x_h] into the
// activations [z r ĥ] (in place) given the recurrent projection rec, keeps
// rec's h block in rh for Backward, and computes h = ĥ + z⊙(h_prev − ĥ).
func gruCell(z, rec, hprev, rh, h []float32, act, recAct string) {
	u := len(h)
	for j := range 2 * u {
		z[j] += rec[j]
	}
	actForward(recAct, z[:2*u], 1, 2*u)
	copy(rh, rec[2*u:3*u])
	zz, rr, hh := z[:u], z[u:2*u], z[2*u:3*u]
	for j := range hh {
		hh[j] += rr[j] * rh[j]
	}
	actForward(act, hh, 1, u)
	for j := range h {
		h[j] = hh[j] + zz[j]*(hprev[j]-hh[j])
	}
}

// gruBackward runs part p's rows back through time. The input side's dZ
// and the recurrent side's differ in the h block (the reset gate
// multiplies the recurrent one), so both are kept.
func (r *recurrent) gruBackward(s *rnnState, p int) {
	lo, hi := s.rows(p)
	n, t, u := s.n, s.t, r.Units
	gu := 3 * u
	dh := s.scratch[p].dh[:(hi-lo)*u]
	clear(dh)
	for i := t - 1; i >= 0; i-- {
		tt := r.timeOf(i, t)
		for b := lo; b < hi; b++ {
			row := tt*n + b
			dhb := dh[(b-lo)*u:][:u]
			if g := r.dyRow(s, b, i); g != nil {
				kernels.Binary(kernels.OpAdd, dhb, dhb, g)
			}
			dx, dr := s.dzd[row*gu:][:gu], s.drd[row*gu:][:gu]
			if !s.real(b, tt) {
				clear(dx)
				clear(dr)
				continue
			}
			gruCellBackward(dx, dr, dhb, s.zd[row*gu:][:gu], s.hpd[row*u:][:u], s.tcd[row*u:][:u], r.Activation, r.RecurrentActivation)
		}
		if i > 0 {
			s.gemm(hi-lo, u, gu, s.drd[(tt*n+lo)*gu:], gu, s.rt, u, 1, dh, u, nil)
		}
	}
}

// gruCellBackward computes one row's dZ on the input side (dx) and on the
// recurrent side (dr) from dh, given the activations a = [z r ĥ], h_prev
// and the recurrent h block rh; it leaves dh⊙z in dh, to which the caller
// adds dr·Rᵀ.
func gruCellBackward(dx, dr, dh, a, hprev, rh []float32, act, recAct string) {
	u := len(dh)
	if act == "tanh" && recAct == "sigmoid" {
		gruCellBackwardTS(dx, dr, dh, a, hprev, rh)
		return
	}
	zz, rr, hh := a[:u], a[u:2*u], a[2*u:3*u]
	dz, dre, dhh := dx[:u], dx[u:2*u], dx[2*u:3*u]
	for j := range dh {
		dhh[j] = dh[j] * (1 - zz[j])
		dz[j] = dh[j] * (hprev[j] - hh[j])
		dh[j] *= zz[j]
	}
	actBackward(act, dhh, hh, 1, u)
	drh := dr[2*u : 3*u]
	for j := range dhh {
		dre[j] = dhh[j] * rh[j]
		drh[j] = dhh[j] * rr[j]
	}
	actBackward(recAct, dx[:2*u], a[:2*u], 1, 2*u)
	copy(dr[:2*u], dx[:2*u])
}

// gruCellBackwardTS is gruCellBackward for Keras's default activations in
// one pass: tanh' = 1 − y², σ' = y(1 − y).
func gruCellBackwardTS(dx, dr, dh, a, hprev, rh []float32) {
	u := len(dh)
	hprev, rh = hprev[:u], rh[:u]
	zz, rr, hh := a[:u], a[u:2*u], a[2*u:3*u]
	dz, dre, dhh := dx[:u], dx[u:2*u], dx[2*u:3*u]
	rz, rre, rhh := dr[:u], dr[u:2*u], dr[2*u:3*u]
	for j, g := range dh {
		z, r, c := zz[j], rr[j], hh[j]
		dc := g * (1 - z) * (1 - c*c)
		dzj := g * (hprev[j] - c) * z * (1 - z)
		drj := dc * rh[j] * r * (1 - r)
		dz[j], dre[j], dhh[j] = dzj, drj, dc
		rz[j], rre[j], rhh[j] = dzj, drj, dc*r
		dh[j] = g * z
	}
}
