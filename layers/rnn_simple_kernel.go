package layers

import "github.com/deepgo-dev/deepgo/internal/kernels"

// simpleForward runs part p's rows of a SimpleRNN through every timestep:
// Z_t += h_{t−1}·recurrent_kernel, h_t = act(Z_t), kept in Z.
func (r *recurrent) simpleForward(s *rnnState, p int) {
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
			z := bf.z[k:][:u]
			actForward(r.Activation, z, 1, u)
			copy(h, z)
			copyIf(out, z)
		}
	}
}

// simpleBackward runs part p's rows back through time: dZ_t = dh ⊙
// act'(h_t), dh_{t−1} = dZ_t·Rᵀ.
func (r *recurrent) simpleBackward(s *rnnState, p int) {
	lo, hi := s.rows(p)
	n, t, u := s.n, s.t, r.Units
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
			dz := s.dzd[row*u:][:u]
			if !s.real(b, tt) {
				clear(dz)
				continue
			}
			copy(dz, dhb)
			actBackward(r.Activation, dz, s.zd[row*u:][:u], 1, u)
			clear(dhb)
		}
		if i > 0 {
			s.gemm(hi-lo, u, u, s.dzd[(tt*n+lo)*u:], u, s.rt, u, 1, dh, u, nil)
		}
	}
}
