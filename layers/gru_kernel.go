package layers

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
