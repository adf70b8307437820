package kernels

import "fmt"

// The elementwise part of an LSTM cell (Hochreiter & Schmidhuber 1997,
// with a forget gate, in Keras's gate order i, f, c, o), one row of u
// units at a time: the products around it (x·kernel, h·recurrent_kernel)
// are Gemm's. The gate activations a = [i f g o] (4u values) are those of
// Keras's defaults: sigmoid for i, f, o and tanh for the candidate g, so
// that their derivatives come from the activations themselves: σ' = a(1−a),
// tanh' = 1−a².
//
// Every operation is rounded separately (no FMA), so the assembly kernels
// (rnn_amd64.s) give the bits of the Go twins below; the explicit float32
// conversions in the twins keep the compiler from fusing a product into an
// addition (which the Go spec allows, and GOAMD64=v3 does).

// LSTMCellState computes the new cell state of one row, c = f⊙c_prev +
// i⊙g, from the gate activations a = [i f g o] (len(a) ≥ 4·len(c)). c may
// be c_prev itself.
func LSTMCellState(c, cprev, a []float32) {
	u := len(c)
	if len(cprev) < u || len(a) < 4*u {
		panic(fmt.Sprintf("kernels: LSTMCellState: %d units, c_prev has %d, a has %d (want 4·units)", u, len(cprev), len(a)))
	}
	if rnnF32 != nil && u > 0 {
		rnnF32.lstmState(c, cprev, a)
		return
	}
	lstmStateGo(c, cprev, a)
}

// LSTMCellBackward computes one row's gradients through the cell, from
// dh = dL/dh_t and dc = dL/dc_t (the part that reached c_t from the next
// step), the gate activations a = [i f g o], c_{t−1} and tc = tanh(c_t):
//
//	dc' = dc + dh⊙o⊙(1 − tc²)
//	dz  = [dc'⊙g⊙i(1−i), dc'⊙c_{t−1}⊙f(1−f), dc'⊙i⊙(1−g²), dh⊙tc⊙o(1−o)]
//
// the gradient of the gates' pre-activations, into dz (4u values); then
// it sets dc to dc'⊙f, the gradient reaching c_{t−1}, and dh to zero, to
// which the caller adds dz·recurrent_kernelᵀ. u is len(dh).
func LSTMCellBackward(dz, dh, dc, a, cprev, tc []float32) {
	u := len(dh)
	if len(dc) < u || len(cprev) < u || len(tc) < u || len(a) < 4*u || len(dz) < 4*u {
		panic(fmt.Sprintf("kernels: LSTMCellBackward: %d units, dc has %d, c_prev %d, tc %d, a %d, dz %d (want 4·units for a and dz)",
			u, len(dc), len(cprev), len(tc), len(a), len(dz)))
	}
	if rnnF32 != nil && u > 0 {
		rnnF32.lstmBack(dz, dh, dc, a, cprev, tc)
		return
	}
	lstmBackwardGo(dz, dh, dc, a, cprev, tc)
}

// rnnKernels is one implementation of the cell loops.
type rnnKernels struct {
	name      string
	lstmState func(c, cprev, a []float32)
	lstmBack  func(dz, dh, dc, a, cprev, tc []float32)
}

// rnnGo is the pure-Go reference twin of the assembly sets.
var rnnGo = &rnnKernels{name: "go", lstmState: lstmStateGo, lstmBack: lstmBackwardGo}

// rnnF32 is the fastest assembly set this CPU runs, nil for none.
var rnnF32 = fastest(rnnAsmKernels(), nil)

// lstmStateGo sets c[j] = f[j]·cprev[j] + i[j]·g[j].
func lstmStateGo(c, cprev, a []float32) {
	u := len(c)
	cprev = cprev[:u]
	i, f, g := a[:u], a[u:2*u], a[2*u:3*u]
	for j := range c {
		c[j] = float32(f[j]*cprev[j]) + float32(i[j]*g[j])
	}
}

// lstmBackwardGo is LSTMCellBackward's loop, each product rounded in the
// order the assembly computes it.
func lstmBackwardGo(dz, dh, dc, a, cprev, tc []float32) {
	u := len(dh)
	dc, cprev, tc = dc[:u], cprev[:u], tc[:u]
	i, f, g, o := a[:u], a[u:2*u], a[2*u:3*u], a[3*u:4*u]
	di, df, dg, do := dz[:u], dz[u:2*u], dz[2*u:3*u], dz[3*u:4*u]
	for j, h := range dh {
		t, oj, ij, fj, gj := tc[j], o[j], i[j], f[j], g[j]
		c := dc[j] + float32(float32(h*oj)*(1-float32(t*t)))
		do[j] = float32(float32(h*t)*oj) * (1 - oj)
		di[j] = float32(float32(c*gj)*ij) * (1 - ij)
		df[j] = float32(float32(c*cprev[j])*fj) * (1 - fj)
		dg[j] = float32(c*ij) * (1 - float32(gj*gj))
		dc[j] = c * fj
		dh[j] = 0
	}
}
