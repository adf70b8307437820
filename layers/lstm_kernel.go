package layers

import "github.com/deepgo-dev/deepgo/internal/kernels"

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
