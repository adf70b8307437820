package kernels

import "math"

// The pure-Go twins of the optimizer kernels in optim_amd64.s: the
// reference they are tested against and the implementation under -tags
// noasm. The explicit float32 conversions round every product before it is
// added, as the assembly does: without them the compiler may fuse a*b+c into
// one multiply-add (the Go spec allows it, and the compiler does so for
// GOAMD64=v3), which rounds once and would make the twins differ from the
// assembly in the last bit.

// apply clips one gradient element: clamp(Scale*g, Lo, Hi). The comparisons
// are those of VMAXPS and VMINPS with g as the second source, so a NaN g
// stays NaN.
func (c *Clip) apply(g float32) float32 {
	g *= c.Scale
	if c.Lo > g {
		g = c.Lo
	}
	if c.Hi < g {
		g = c.Hi
	}
	return g
}

// sqrt32 is the correctly rounded float32 square root (VSQRTPS): rounding
// the float64 root to float32 gives the same result, since float64 carries
// more than twice float32's precision.
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// adamUpdateGo performs one Adam step in Keras's form on each element of w,
// with gi the clipped gradient a.Clip(g[i]):
//
//	m[i] += (gi - m[i]) * a.OneMinusBeta1
//	v[i] += (gi*gi - v[i]) * a.OneMinusBeta2
//	w[i] -= m[i]*a.Alpha / (sqrt(v[i]) + a.Epsilon)
func adamUpdateGo(w, g, m, v []float32, a AdamArgs) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		gi := a.apply(g[i])
		mi := m[i] + float32((gi-m[i])*a.OneMinusBeta1)
		vi := v[i] + float32((float32(gi*gi)-v[i])*a.OneMinusBeta2)
		m[i], v[i] = mi, vi
		w[i] -= float32(mi*a.Alpha) / (sqrt32(vi) + a.Epsilon)
	}
}

// sgdUpdateGo performs one plain SGD step on each element of w, with gi the
// clipped gradient a.Clip(g[i]): w[i] -= gi*a.LR.
func sgdUpdateGo(w, g []float32, a SGDArgs) {
	g = g[:len(w)]
	for i := range w {
		w[i] -= float32(a.apply(g[i]) * a.LR)
	}
}

// sgdMomentumUpdateGo performs one SGD step with momentum on each element of
// w, with gi the clipped gradient a.Clip(g[i]):
//
//	m[i] = m[i]*a.Momentum - gi*a.LR
//	w[i] += m[i]                         (a.Nesterov: w[i] += m[i]*a.Momentum - gi*a.LR)
func sgdMomentumUpdateGo(w, g, m []float32, a SGDArgs) {
	g, m = g[:len(w)], m[:len(w)]
	for i := range w {
		step := float32(a.apply(g[i]) * a.LR)
		mi := float32(m[i]*a.Momentum) - step
		m[i] = mi
		if a.Nesterov {
			w[i] += float32(mi*a.Momentum) - step
		} else {
			w[i] += mi
		}
	}
}

// rmspropUpdateGo performs one plain RMSprop step in Keras's form on each
// element of w, with gi the clipped gradient a.Clip(g[i]):
//
//	v[i] = a.Rho*v[i] + a.OneMinusRho*(gi*gi)
//	w[i] -= a.LR*gi / sqrt(v[i] + a.Epsilon)
func rmspropUpdateGo(w, g, v []float32, a RMSpropArgs) {
	g, v = g[:len(w)], v[:len(w)]
	for i := range w {
		gi := a.apply(g[i])
		vi := float32(a.Rho*v[i]) + float32(a.OneMinusRho*float32(gi*gi))
		v[i] = vi
		w[i] -= float32(a.LR*gi) / sqrt32(vi+a.Epsilon)
	}
}

// adagradUpdateGo performs one Adagrad step in Keras's form on each element
// of w, with gi the clipped gradient a.Clip(g[i]):
//
//	acc[i] += gi*gi
//	w[i] -= a.LR*gi / sqrt(acc[i] + a.Epsilon)
func adagradUpdateGo(w, g, acc []float32, a AdagradArgs) {
	g, acc = g[:len(w)], acc[:len(w)]
	for i := range w {
		gi := a.apply(g[i])
		ai := acc[i] + float32(gi*gi)
		acc[i] = ai
		w[i] -= float32(a.LR*gi) / sqrt32(ai+a.Epsilon)
	}
}

// decayWeightsGo applies decoupled weight decay with factor f:
// w[i] -= w[i]*f.
func decayWeightsGo(w []float32, f float32) {
	for i := range w {
		w[i] -= float32(w[i] * f)
	}
}

// sumSquaresLanes is the number of partial sums SumSquares keeps: four
// AVX-512 registers of 8 float64 (eight of AVX2's 4), enough independent
// additions to hide the latency of the vector adder.
const sumSquaresLanes = 32

// sumSquaresGo returns Σ x[i]² accumulated in float64: element i is added
// to partial sum i mod 32, and the 32 sums are added pairwise at the end
// (reduceLanes), in the assembly's order.
func sumSquaresGo(x []float32) float64 {
	var acc [sumSquaresLanes]float64
	for len(x) >= sumSquaresLanes {
		for j, v := range x[:sumSquaresLanes] {
			acc[j] += float64(v) * float64(v)
		}
		x = x[sumSquaresLanes:]
	}
	for j, v := range x {
		acc[j] += float64(v) * float64(v)
	}
	return reduceLanes(&acc)
}

// reduceLanes adds the 32 partial sums of SumSquares in the order of the
// AVX-512 kernel, whose register k holds sums 8k..8k+7: the four registers
// as (r0+r1)+(r2+r3), then the halves of the result, its quarters and its
// two last lanes.
func reduceLanes(acc *[sumSquaresLanes]float64) float64 {
	var s [8]float64
	for l := range s {
		s[l] = (acc[l] + acc[8+l]) + (acc[16+l] + acc[24+l])
	}
	for l := range 4 {
		s[l] += s[l+4]
	}
	for l := range 2 {
		s[l] += s[l+2]
	}
	return s[0] + s[1]
}
